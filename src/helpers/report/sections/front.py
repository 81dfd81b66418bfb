"""The front page of a briefing: what a leader reads in 30 seconds.

A headline sentence stating the day's main finding, four number boxes with their
change since the previous report of the same kind, the tile map of the 34 provinces
coloured by the headline indicator (share of communes GREEN on plan-02 dates, share
of readiness tasks done on daily-readiness dates), and "Cần chỉ đạo": the provinces
with a problem of their own, the problem in one line and the deadline that applies,
then each directive still running with the provinces it names. Every figure is the date's facts' (:class:`~helpers.analysis.facts.DateFacts`,
its province profiles among them).
"""

from __future__ import annotations

import pandas as pd

from helpers.analysis.facts import DAILY, PLAN02, DateFacts
from helpers.analysis.profiles import Profile
from helpers.report.formats import fmt_int, fmt_pct, signed, vn_date
from helpers.report.links import province_href
from helpers.report.names import display_full_names, display_names, display_text, name_of
from helpers.report.render import EMPTY, Html, render
from helpers.report.sections.sources import Sources
from helpers.report.tilemap import GREEN_SHARE_BANDS, TASK_SHARE_BANDS, tile_map
from helpers.report.wording import FIGURE_LABELS_VI, assigned_when, flag_text

# The boxes of each kind of date: (name in DateFacts.comparable, label, is a share in %).
BOXES = {
    PLAN02: (
        ("communes_green_pct", "xã, phường XANH (đủ điều kiện cơ bản)", True),
        ("communes_green", "xã, phường XANH", False),
        ("online_rate_national_all_pct", "hồ sơ nộp trực tuyến (lũy kế)", True),
        ("dossiers_total", "hồ sơ trên Cổng DVCQG (lũy kế)", False),
    ),
    DAILY: (
        ("task_province_done_pct", "lượt tỉnh × nhiệm vụ đã xong", True),
        ("tasks_complete", "nhiệm vụ xong ở cả 34 tỉnh", False),
        ("provinces_with_open_tasks", "tỉnh còn nhiệm vụ chưa xong", False),
        ("task_province_done", "lượt tỉnh × nhiệm vụ đã xong", False),
    ),
}
# The profile figure the tile map shows, per kind of date.
MAP_FIGURE = {PLAN02: "green_pct", DAILY: "task_done_pct"}
MAP_TITLE = {PLAN02: "Tỷ lệ xã, phường XANH theo tỉnh", DAILY: "Tỷ lệ nhiệm vụ chuẩn bị đã xong theo tỉnh"}
MAX_ACTIONS = 8


def kind(f: DateFacts) -> str | None:
    """The kind of report the front page is about: plan 02 when the date has one."""
    return PLAN02 if f.has(PLAN02) else DAILY if f.has(DAILY) else None


def headline(f: DateFacts) -> str:
    """The day's main finding in one sentence."""
    date = vn_date(f.report_date)
    if kind(f) == PLAN02:
        low = [p for p in f.profiles.values() if p.has_flag("green_below_half")]
        flagged = f.flagged
        text = f"Ngày {date}: {fmt_pct(f.coverage.green_pct, 1)} xã, phường đủ điều kiện cơ bản (XANH)"
        if low:
            lowest = min(low, key=lambda p: (p.figure("green_pct").value, p.code))
            text += f", nhưng {len(low)} tỉnh còn dưới một nửa, thấp nhất {name_of(f, lowest.code)} ({fmt_pct(lowest.figure('green_pct').value, 1)})"
        if len(flagged):
            text += f"; {len(flagged)} tỉnh hạ tầng sẵn sàng mà người dân ít nộp hồ sơ trực tuyến"
        return text + "."
    text = f"Ngày {date}: {fmt_pct(f.task_province_done_pct, 1)} lượt nhiệm vụ chuẩn bị của các tỉnh đã xong"
    open_by = f.provinces_open
    if len(open_by):
        worst = open_by.iloc[0]
        text += f"; {len(open_by)} tỉnh còn nhiệm vụ dở dang, nhiều nhất {name_of(f, worst['province_code'])} ({int(worst['open_tasks'])} nhiệm vụ)"
    else:
        text += " ở cả 34 tỉnh, thành phố"
    return text + "."


def number_boxes(f: DateFacts) -> list[dict[str, str]]:
    """The date's headline figures, each with its change since the previous report of the same kind."""
    which = kind(f)
    now = f.comparable
    previous = f.previous_of_kind(which)
    before = f.on(previous).comparable if previous else {}
    boxes = []
    for name, label, pct in BOXES[which]:
        if name not in now:
            continue
        if name in before:
            delta = now[name] - before[name]
            change = f"{signed(delta) if pct else signed(delta, 0, '')} so với {vn_date(previous)}"
        else:
            change = "chưa có báo cáo cùng loại trước đó"
        boxes.append({"value": fmt_pct(now[name], 1) if pct else fmt_int(now[name]), "label": label, "change": change})
    return boxes


def front_map(f: DateFacts) -> str:
    which = kind(f)
    key = MAP_FIGURE[which]
    values = {c: p.figure(key).value for c, p in f.profiles.items() if p.figure(key)}
    flagged = {c for c, p in f.profiles.items() if p.needs_direction}
    title = MAP_TITLE[which]
    return tile_map(
        values,
        display_names(f.short_names),
        title=title,
        bands=GREEN_SHARE_BANDS if which == PLAN02 else TASK_SHARE_BANDS,
        value_text=lambda v: "—" if v is None else fmt_pct(v, 0),
        caption=f"{title}, ngày {vn_date(f.report_date)}. Mỗi ô là một tỉnh, thành phố (bấm để xem trang của tỉnh).",
        full_names=display_full_names(f.full_names),
        flagged=frozenset(flagged),
        flagged_label="cần chỉ đạo",
        href=province_href,
    )


def applies(profile: Profile) -> str:
    """The directive or deadline that applies to the province, in one line."""
    if profile.assigned:
        text, deadline, overdue = profile.assigned[0]
        return f"Kế hoạch 02 giao tỉnh ({assigned_when(deadline, overdue)}): {text}"
    current = profile.current_directives()
    if current:
        return f"Có tên trong chỉ đạo của Phó Thủ tướng, thời hạn {vn_date(current[0][0])} (dưới đây)."
    due = sorted(d for _, _, d in profile.open_tasks if d and d <= profile.report_date)
    if due:
        return f"{len(due)} nhiệm vụ chưa xong đã đến hạn (sớm nhất {vn_date(due[0])})."
    return "Chưa có chỉ đạo riêng nêu tên tỉnh trong các văn bản nguồn."


def running_directives(f: DateFacts) -> list[dict]:
    """One item per directive still running that names provinces: its deadline, its text and the
    provinces it names (by name)."""
    named: dict[tuple[str, str], list[int]] = {}
    for code, profile in sorted(f.profiles.items()):
        for deadline, text in profile.current_directives():
            named.setdefault((deadline, text), []).append(code)
    return [
        {"deadline": vn_date(deadline), "text": display_text(text), "provinces": [{"href": province_href(c), "name": name_of(f, c)} for c in sorted(codes, key=f.short)]}
        for (deadline, text), codes in sorted(named.items())
    ]


def needing_direction(f: DateFacts) -> list[Profile]:
    """The provinces of "Cần chỉ đạo", most flags first, then most open tasks, then lowest GREEN share."""

    def severity(p: Profile) -> tuple:
        green = p.figure("green_pct")
        return (-len(p.flags), -len(p.open_tasks), green.value if green else 100.0, p.code)

    return sorted((p for p in f.profiles.values() if p.needs_direction), key=severity)


def html(f: DateFacts, sources: Sources) -> Html:
    """Headline, number boxes, tile map, "Cần chỉ đạo" and the source's own distribution marking."""
    if kind(f) is None:
        return EMPTY
    chosen = needing_direction(f)
    return render(
        "front",
        headline=headline(f),
        boxes=number_boxes(f),
        tile_map=Html(front_map(f)),
        actions=[{"href": province_href(p.code), "name": name_of(f, p.code), "problem": flag_text(p.flags[0].key, p.flags[0].values), "applies": applies(p)} for p in chosen[:MAX_ACTIONS]],
        more=len(chosen) - MAX_ACTIONS,
        directives=running_directives(f),
        notices=[n for n in f.reports_today["notice"].dropna().unique() if str(n).strip()],
    )


def frame(f: DateFacts) -> pd.DataFrame | None:
    """Behind the front page: each province's map figure, flags, and whether (and why) it needs direction."""
    which = kind(f)
    if which is None:
        return None
    key = MAP_FIGURE[which]
    rows = []
    for p in sorted(f.profiles.values(), key=lambda p: p.code):
        figure = p.figure(key)
        rows.append(
            {
                "province_code": p.code,
                "short_name": f.short(p.code),
                key: figure.value if figure else None,
                "change": figure.change if figure else None,
                "flags": ", ".join(fl.key for fl in p.flags),
                "open_tasks": len(p.open_tasks),
                "needs_direction": p.needs_direction,
                "applies": applies(p) if p.needs_direction else "",
                "running_directives": len(p.current_directives()),
            }
        )
    return pd.DataFrame(rows).rename(columns={key: FIGURE_LABELS_VI[key]})
