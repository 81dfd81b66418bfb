"""The front page of a briefing: what a leader reads in 30 seconds.

A headline sentence stating the day's main finding, four number boxes with their
change since the previous report of the same kind, the tile map of the 34
provinces coloured by the headline indicator (share of communes GREEN on plan-02
dates, share of readiness tasks done on daily-readiness dates), and "Cần chỉ đạo":
the provinces that need a decision, the problem in one line and the directive or
deadline that applies. Everything is computed from the tables: the province
profiles (:mod:`helpers.analysis.profiles`) and the named numbers of
:mod:`helpers.analysis.facts`.
"""

from __future__ import annotations

from functools import lru_cache

from helpers.analysis.facts import key_metrics
from helpers.analysis.profiles import PROFILE_TABLES, Profile, previous_of_kind, province_profiles
from helpers.report.formats import fmt_int, fmt_pct
from helpers.report.links import province_href, province_link, signed
from helpers.report.province_page import assigned_when, flag_text
from helpers.report.render import Html, esc
from helpers.report.sections.sources import vn_date
from helpers.report.tilemap import GREEN_SHARE_BANDS, TASK_SHARE_BANDS, tile_map

# The boxes of each kind of date: (name in key_metrics, label, is a share in %).
BOXES = {
    "plan02": (
        ("communes_green_pct", "xã, phường XANH (đủ điều kiện cơ bản)", True),
        ("communes_green", "xã, phường XANH", False),
        ("online_rate_national_all_pct", "hồ sơ nộp trực tuyến (lũy kế)", True),
        ("dossiers_total", "hồ sơ trên Cổng DVCQG (lũy kế)", False),
    ),
    "daily_readiness": (
        ("task_province_done_pct", "lượt tỉnh × nhiệm vụ đã xong", True),
        ("tasks_complete", "nhiệm vụ xong ở cả 34 tỉnh", False),
        ("provinces_with_open_tasks", "tỉnh còn nhiệm vụ chưa xong", False),
        ("task_province_done", "lượt tỉnh × nhiệm vụ đã xong", False),
    ),
}
MAX_ACTIONS = 8


def _kind(b) -> str:
    return "plan02" if b.has("plan02") else "daily_readiness"


def profiles(b) -> dict[int, Profile]:
    """The date's province profiles, computed once per briefing."""
    if "_front_profiles" not in b.__dict__:
        tables = {name: b.table(name) for name in PROFILE_TABLES}
        b.__dict__["_front_profiles"] = province_profiles(tables, b.report_date, b.thresholds)
    return b.__dict__["_front_profiles"]


def headline(b, profs: dict[int, Profile]) -> str:
    """The day's main finding in one sentence."""
    names = b.province_names
    date = vn_date(b.report_date)
    if _kind(b) == "plan02":
        green = {c: f.value for c, p in profs.items() for f in p.figures if f.key == "green_pct"}
        cov = b.coverage
        low = sorted((v, c) for c, v in green.items() if v < 50)
        flagged = [c for c, p in profs.items() if any(f.key == "ready_but_low" for f in p.flags)]
        text = f"Ngày {date}: {fmt_pct(cov.green_pct, 1)} xã, phường đủ điều kiện cơ bản (XANH)"
        if low:
            text += f", nhưng {len(low)} tỉnh còn dưới một nửa, thấp nhất {names[low[0][1]]} ({fmt_pct(low[0][0], 1)})"
        if flagged:
            text += f"; {len(flagged)} tỉnh hạ tầng sẵn sàng mà người dân ít nộp hồ sơ trực tuyến"
        return text + "."
    open_by = {c: len(p.open_tasks) for c, p in profs.items() if p.open_tasks}
    metrics = key_metrics({n: b.table(n) for n in ("task_progress", "task_status", "commune_status", "dossiers")}, b.report_date)
    text = f"Ngày {date}: {fmt_pct(metrics['task_province_done_pct'], 1)} lượt nhiệm vụ chuẩn bị của các tỉnh đã xong"
    if open_by:
        worst = max(open_by, key=lambda c: (open_by[c], -c))
        text += f"; {len(open_by)} tỉnh còn nhiệm vụ dở dang, nhiều nhất {names[worst]} ({open_by[worst]} nhiệm vụ)"
    else:
        text += " ở cả 34 tỉnh, thành phố"
    return text + "."


def number_boxes(b) -> Html:
    tables = {n: b.table(n) for n in ("task_progress", "task_status", "commune_status", "dossiers")}
    kind = _kind(b)
    now = key_metrics(tables, b.report_date)
    previous = previous_of_kind(b.table("reports"), kind, b.report_date)
    before = key_metrics(tables, previous) if previous else {}
    cards = []
    for name, label, pct in BOXES[kind]:
        if name not in now:
            continue
        value = fmt_pct(now[name], 1) if pct else fmt_int(now[name])
        if name in before:
            delta = now[name] - before[name]
            change = f"{signed(delta) if pct else signed(delta, 0, '')} so với {vn_date(previous)}"
        else:
            change = "chưa có báo cáo cùng loại trước đó"
        cards.append(f'<div class="kpi"><div class="kpi-value">{esc(value)}</div><div class="kpi-label">{esc(label)}</div><div class="kpi-change">{esc(change)}</div></div>')
    return Html(f'<div class="kpis front-kpis">{"".join(cards)}</div>')


def front_map(b, profs: dict[int, Profile]) -> str:
    plan02 = _kind(b) == "plan02"
    key = "green_pct" if plan02 else "task_done_pct"
    values = {c: f.value for c, p in profs.items() for f in p.figures if f.key == key}
    flagged = {c for c, p in profs.items() if needs_direction(p)}
    title = "Tỷ lệ xã, phường XANH theo tỉnh" if plan02 else "Tỷ lệ nhiệm vụ chuẩn bị đã xong theo tỉnh"
    return tile_map(
        values,
        b.province_names,
        title=title,
        bands=GREEN_SHARE_BANDS if plan02 else TASK_SHARE_BANDS,
        value_text=lambda v: "—" if v is None else fmt_pct(v, 0),
        caption=f"{title}, ngày {vn_date(b.report_date)}. Mỗi ô là một tỉnh, thành phố (bấm để xem trang của tỉnh).",
        full_names=b.province_full_names,
        flagged=frozenset(flagged),
        flagged_label="cần chỉ đạo",
        href=province_href,
    )


def current_directives(profile: Profile, report_date: str) -> list[tuple[str, str]]:
    """(deadline, directive) of the directives naming the province whose deadline is still ahead."""
    return sorted((d, t) for t, d in profile.directives if d and d >= report_date)


def needs_direction(profile: Profile) -> bool:
    """A province with a problem of its own: a flag of the plan-02 rules, or three tasks or more still open."""
    return any(f.key in ("ready_but_low", "green_below_half") for f in profile.flags) or len(profile.open_tasks) >= 3


def applies(profile: Profile, report_date: str) -> str:
    """The directive or deadline that applies to the province, in one line."""
    if profile.assigned:
        text, deadline, overdue = profile.assigned[0]
        return f"Kế hoạch 02 giao tỉnh ({assigned_when(deadline, overdue)}): {text}"
    current = current_directives(profile, report_date)
    if current:
        return f"Có tên trong chỉ đạo của Phó Thủ tướng, thời hạn {vn_date(current[0][0])} (dưới đây)."
    due = sorted(d for _, _, d in profile.open_tasks if d and d <= report_date)
    if due:
        return f"{len(due)} nhiệm vụ chưa xong đã đến hạn (sớm nhất {vn_date(due[0])})."
    return "Chưa có chỉ đạo riêng nêu tên tỉnh trong các văn bản nguồn."


def directive_items(b, profs: dict[int, Profile]) -> list[str]:
    """One item per directive still running that names provinces: its deadline, its text, the provinces (linked)."""
    named: dict[tuple[str, str], list[int]] = {}
    for code, profile in sorted(profs.items()):
        for deadline, text in current_directives(profile, b.report_date):
            named.setdefault((deadline, text), []).append(code)
    items = []
    for (deadline, text), codes in sorted(named.items()):
        links = ", ".join(province_link(c, b.province_names[c]) for c in sorted(codes, key=lambda c: b.province_names[c]))
        items.append(f"<li><strong>Chỉ đạo của Phó Thủ tướng, thời hạn {esc(vn_date(deadline))}</strong> ({len(codes)} tỉnh: {links}). <span class=\"applies\">{esc(text)}</span></li>")
    return items


def actions(b, profs: dict[int, Profile]) -> Html:
    def severity(p: Profile) -> tuple:
        green = next((f.value for f in p.figures if f.key == "green_pct"), 100.0)
        return (-len(p.flags), -len(p.open_tasks), green, p.code)

    chosen = sorted((p for p in profs.values() if needs_direction(p)), key=severity)
    rows = [
        f"<li>{province_link(p.code, b.province_names[p.code])}: {esc(flag_text(p.flags[0]))} <span class=\"applies\">{esc(applies(p, b.report_date))}</span></li>"
        for p in chosen[:MAX_ACTIONS]
    ]
    more = len(chosen) - MAX_ACTIONS
    tail = f'<p class="note">Và {more} tỉnh khác (xem bản đồ và trang từng tỉnh).</p>' if more > 0 else ""
    rows += directive_items(b, profs)
    if not rows:
        return Html('<section class="actions"><h2>Cần chỉ đạo</h2><p class="absent">Không có tỉnh nào cần chỉ đạo riêng theo các tiêu chí của bản tin.</p></section>')
    return Html(f'<section class="actions"><h2>Cần chỉ đạo</h2><ul>{"".join(rows)}</ul>{tail}</section>')


def front_page(b) -> Html:
    """Headline, number boxes, tile map, "Cần chỉ đạo"; records the headline in summary.json."""
    profs = profiles(b)
    sentence = headline(b, profs)
    b.summary["front_headline"] = sentence
    notices = [n for n in b.reports_today["notice"].dropna().unique() if str(n).strip()]
    marking = "".join(f'<div class="confidential">{esc(n)}</div>' for n in notices)
    return Html(
        f'<section class="front"><p class="headline">{esc(sentence)}</p>{number_boxes(b).body}'
        f'<div class="front-body">{front_map(b, profs)}{actions(b, profs).body}</div>{marking}</section>'
    )
