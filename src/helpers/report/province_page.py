"""The page of one province on one reporting date, ``provinces/<code:02d>.html``.

Rendered by the engine for all 34 provinces from the date's profiles
(:mod:`helpers.analysis.profiles`) with a Jinja template (autoescape on: report text
is untrusted), no kernel per province. The page uses the briefing's stylesheet, so
it prints and reads on a phone like the briefing; it links back to the briefing and
the index and contains nothing but Vietnamese.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from helpers.analysis.profiles import PROFILE_TABLES, Figure, Flag, Profile, province_profiles
from helpers.report.formats import fmt_int, fmt_pct
from helpers.report.links import PROVINCES_DIR, signed
from helpers.report.sections.sources import KIND_LABELS, vn_date

TEMPLATES = Path(__file__).with_name("templates")

FIGURE_LABELS_VI = {
    "task_done_pct": "Tỷ lệ nhiệm vụ chuẩn bị đã hoàn thành",
    "green_pct": "Tỷ lệ xã, phường XANH (đủ điều kiện cơ bản)",
    "online_rate_pct": "Tỷ lệ hồ sơ nộp trực tuyến (lũy kế)",
}
SYSTEM_VI = {
    "tthc": "Hệ thống giải quyết thủ tục hành chính",
    "document_management": "Quản lý văn bản",
    "lgsp": "Nền tảng tích hợp, chia sẻ dữ liệu (LGSP)",
    "online_meetings": "Họp trực tuyến",
    "reporting": "Hệ thống thông tin báo cáo",
}
OBSTACLE_KIND_VI = {"obstacle": "Khó khăn", "proposal": "Đề xuất"}


def flag_text(flag: Flag) -> str:
    """One Vietnamese sentence: what the flag is and the numbers behind it."""
    v = flag.values
    if flag.key == "ready_but_low":
        return (
            f"Hạ tầng sẵn sàng nhưng người dân ít nộp trực tuyến: chỉ số sẵn sàng {fmt_pct(v['readiness'], 1).rstrip('%')} (ngưỡng {fmt_int(v['readiness_min'])}), "
            f"{fmt_pct(v['green_pct'], 1)} xã XANH (ngưỡng {fmt_int(v['green_pct_min'])}%), nhưng tỷ lệ nộp trực tuyến chỉ {fmt_pct(v['online_rate'], 1)}, "
            f"dưới mức {fmt_pct(v['online_rate_min'], 1)}."
        )
    if flag.key == "green_below_half":
        return f"Dưới một nửa số xã, phường đạt XANH: {fmt_int(v['green'])}/{fmt_int(v['communes'])} ({fmt_pct(v['green_pct'], 1)})."
    if flag.key == "open_tasks":
        return f"Còn {fmt_int(v['open'])}/{fmt_int(v['tasks'])} nhiệm vụ chuẩn bị chưa hoàn thành."
    raise KeyError(f"no Vietnamese wording for flag {flag.key!r}")


def assigned_when(deadline: str | None, overdue: bool) -> str:
    if overdue:
        return "đã quá hạn"
    return f"thời hạn {vn_date(deadline)}" if deadline else "thường xuyên"


def _figure_row(f: Figure) -> dict:
    return {
        "label": FIGURE_LABELS_VI[f.key],
        "value": fmt_pct(f.value, 1) if f.pct else fmt_int(f.value),
        "rank": f"{f.rank}/{f.of}" if f.rank else "—",
        "change": (signed(f.change) if f.pct else signed(f.change, 0, "")) + f" so với {vn_date(f.previous_date)}" if f.change is not None else "—",
    }


@lru_cache(maxsize=1)
def _env() -> Environment:
    return Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html", "j2"]), keep_trailing_newline=True)


@lru_cache(maxsize=1)
def _css() -> str:
    return (TEMPLATES / "briefing" / "briefing.css").read_text(encoding="utf-8")


def render_page(profile: Profile, names: Mapping[int, str], full_names: Mapping[int, str], marking: str = "") -> str:
    kinds = [KIND_LABELS[k] for k in profile.kinds if k in KIND_LABELS]
    if profile.vendors:
        kinds.append(KIND_LABELS["vendor_summary"])
    no_previous = "" if any(f.change is not None for f in profile.figures) else "Chưa có báo cáo cùng loại trước đó để so sánh."
    return _env().get_template("province/province.html.j2").render(
        css=_css(),
        name=names[profile.code],
        full_name=full_names[profile.code],
        date_vi=vn_date(profile.report_date),
        marking=marking,
        figures=[_figure_row(f) for f in profile.figures],
        of=max((f.of for f in profile.figures), default=len(names)),
        no_previous=no_previous,
        flags=[flag_text(f) for f in profile.flags],
        open_tasks=[{"title": title, "deadline": vn_date(deadline) if deadline else ""} for _, title, deadline in profile.open_tasks],
        obstacles=[{"kind": OBSTACLE_KIND_VI.get(kind, kind), "text": text} for kind, text in profile.obstacles],
        directives=[{"text": text, "deadline": vn_date(deadline) if deadline else ""} for text, deadline in profile.directives],
        assigned=[{"text": text, "when": assigned_when(deadline, overdue)} for text, deadline, overdue in profile.assigned],
        vendors=[{"system": SYSTEM_VI.get(s, s), "vendor": v} for s, v in profile.vendors],
        sources="; ".join(kinds),
    )


def render_list(profiles: Mapping[int, Profile], names: Mapping[int, str], report_date: str) -> str:
    """``provinces/index.html``: the 34 with the date's headline figure and how many flags each has."""
    rows = []
    label = ""
    for code, profile in sorted(profiles.items(), key=lambda item: names[item[0]]):
        first = profile.figures[0] if profile.figures else None
        label = FIGURE_LABELS_VI[first.key] if first else label
        rows.append(
            {
                "href": f"{code:02d}.html",
                "name": names[code],
                "value": (fmt_pct(first.value, 1) if first.pct else fmt_int(first.value)) if first else "—",
                "flags": "; ".join(flag_text(f).split(":")[0] for f in profile.flags),
            }
        )
    return _env().get_template("province/list.html.j2").render(css=_css(), date_vi=vn_date(report_date), rows=rows, label=label)


def write_province_pages(report_date: str, folder: Path, *, thresholds: dict | None = None, marking: str = "", processed_dir: Path | None = None) -> list[Path]:
    """Write ``folder/provinces/<code:02d>.html`` for every province and ``index.html``
    listing them (each file atomically)."""
    from helpers.tables import load_table

    tables = {name: load_table(name, processed_dir) for name in PROFILE_TABLES}
    provinces = tables["provinces"]
    names = dict(zip(provinces["province_code"].astype(int), provinces["short_name"]))
    full = dict(zip(provinces["province_code"].astype(int), provinces["province_name"]))
    target = folder / PROVINCES_DIR
    target.mkdir(parents=True, exist_ok=True)
    written = []
    profiles = province_profiles(tables, report_date, thresholds)
    pages = {f"{code:02d}.html": render_page(profile, names, full, marking) for code, profile in sorted(profiles.items())}
    pages["index.html"] = render_list(profiles, full, report_date)
    for name, text in pages.items():
        path = target / name
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
        written.append(path)
    return written
