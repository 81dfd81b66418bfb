"""The page of one province on one reporting date, ``provinces/<code:02d>.html``.

Rendered for all 34 provinces from the date's facts (their profiles,
:attr:`DateFacts.profiles <helpers.analysis.facts.DateFacts.profiles>`) with a Jinja
template (autoescape on: report text is untrusted), no kernel per province: the briefing
notebook's last cell writes them (:meth:`helpers.report.Briefing.write_province_pages`),
with the facts its kernel already holds. The page
uses the briefing's stylesheet, so it prints and reads on a phone like the briefing;
it links back to the briefing and the index and contains nothing but Vietnamese.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from helpers.analysis.facts import DateFacts
from helpers.analysis.profiles import Figure, Profile
from helpers.report.formats import fmt_int, fmt_pct, signed, vn_date
from helpers.report.links import PROVINCES_DIR
from helpers.report.names import display_full_names, display_names, display_text
from helpers.report.wording import FIGURE_LABELS_VI, FLAG_NAMES_VI, KIND_LABELS, OBSTACLE_KIND_VI, SYSTEM_VI, assigned_when, flag_text

TEMPLATES = Path(__file__).with_name("templates")


def _figure_row(f: Figure) -> dict:
    change = "—"
    if f.change is not None:
        change = (signed(f.change) if f.pct else signed(f.change, 0, "")) + f" so với {vn_date(f.previous_date)}"
    return {
        "label": FIGURE_LABELS_VI[f.key],
        "value": fmt_pct(f.value, 1) if f.pct else fmt_int(f.value),
        "rank": f"{f.rank}/{f.of}" if f.rank else "—",
        "change": change,
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
        flags=[flag_text(f.key, f.values) for f in profile.flags],
        open_tasks=[{"title": display_text(title), "deadline": vn_date(deadline) if deadline else ""} for _, title, deadline in profile.open_tasks],
        obstacles=[{"kind": OBSTACLE_KIND_VI.get(kind, kind), "text": display_text(text)} for kind, text in profile.obstacles],
        directives=[{"text": display_text(text), "deadline": vn_date(deadline) if deadline else ""} for text, deadline in profile.directives],
        assigned=[{"text": display_text(text), "when": assigned_when(deadline, overdue)} for text, deadline, overdue in profile.assigned],
        vendors=[{"system": SYSTEM_VI.get(s, s), "vendor": v} for s, v in profile.vendors],
        sources="; ".join(kinds),
    )


def render_list(profiles: Mapping[int, Profile], names: Mapping[int, str], report_date: str) -> str:
    """``provinces/index.html``: the 34 with the date's headline figure and what flags each."""
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
                "flags": "; ".join(FLAG_NAMES_VI[f.key] for f in profile.flags),
            }
        )
    return _env().get_template("province/list.html.j2").render(css=_css(), date_vi=vn_date(report_date), rows=rows, label=label)


def marking(f: DateFacts, default: str | None) -> str | None:
    """The distribution marking the date's own reports print ('Báo cáo này không đăng tải
    ...'), else ``default`` (the params' ``distribution_marking``)."""
    notices = [str(n).strip() for n in f.reports_today["notice"].dropna().unique() if str(n).strip()]
    return notices[0] if notices else default


def write_province_pages(f: DateFacts, folder: Path, *, marking: str = "") -> list[Path]:
    """Write ``folder/provinces/<code:02d>.html`` for every province and ``index.html``
    listing them. ``folder`` is the date's private staging folder, published whole by one
    rename (helpers.publish.folders.commit), so each file is written plainly: no temporary
    file and fsync per page (35 of them a date)."""
    target = folder / PROVINCES_DIR
    target.mkdir(parents=True, exist_ok=True)
    profiles = f.profiles
    shown, full = display_names(f.short_names), display_full_names(f.full_names)  # 'TP. Hồ Chí Minh'
    pages = {f"{code:02d}.html": render_page(profile, shown, full, marking) for code, profile in sorted(profiles.items())}
    pages["index.html"] = render_list(profiles, full, f.report_date)
    written = []
    for name, text in pages.items():
        path = target / name
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    return written
