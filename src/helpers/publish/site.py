"""outputs/index.html: every briefing, newest date first, with its headline figures.

Headline figures come from ``outputs/<date>/summary.json`` (written by the briefing
notebook, see :func:`helpers.publish.summary.write_summary`): its ``headline`` list
of ``{"label": str, "value": str}``. Once a kind of report has several published
dates, the index opens with those headline figures over time: one small line chart
(inline SVG, no script, no external file) per figure, the first number of each value
as the briefing printed it (Vietnamese format: ``2.821/3.321`` -> 2821, ``77,06%`` ->
77.06). A revised briefing (see :mod:`.revisions`) says so under its date.
Self-contained HTML in Vietnamese; every value is escaped. Deterministic: no
timestamps beyond the revisions', rewritten only when it changes.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote

from helpers.publish import folders
from helpers.publish import manifest as manifests
from helpers.publish import summary as summaries

TITLE = "Bản tin chính quyền địa phương hai cấp"
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
# Other notebooks' HTML, linked under each briefing.
LINK_LABELS = {"province_drilldown.html": "Phân tích theo tỉnh"}
MAX_HEADLINE = 12
INDEX_FILE = "index.html"
# Headings of the trend charts, by the kind of report a date's briefing is built from.
KIND_LABELS = {
    "plan02": "Báo cáo tiến độ Kế hoạch 02-KH/BCĐTW",
    "daily_readiness": "Báo cáo hằng ngày về hệ thống thông tin (Bộ KH&CN)",
}
OTHER_KIND_LABEL = "Các báo cáo cùng loại"
TREND_MIN_DATES = 2
_VN_NUMBER_RE = re.compile(r"-?\d{1,3}(?:\.\d{3})+(?:,\d+)?|-?\d+(?:,\d+)?")

_CSS = """
:root { --ink:#1b1f24; --muted:#5b6470; --rule:#d5dae0; --accent:#a51d24; --warn:#8a5a00; }
html { background:#fff; color:var(--ink); }
body { margin:0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif; line-height:1.5; }
main { max-width:900px; margin:0 auto; padding:2rem 1.25rem 3rem; }
h1 { font-size:1.6rem; margin:0 0 1.25rem; padding-bottom:.35rem; border-bottom:3px solid var(--accent); }
article { border:1px solid var(--rule); border-radius:6px; padding:1rem 1.25rem; margin:0 0 1rem; break-inside:avoid; }
article h2 { font-size:1.2rem; margin:0 0 .5rem; }
a { color:#0b5cad; }
dl { display:grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap:.5rem 1rem; margin:.5rem 0; }
dl div { border-left:3px solid var(--rule); padding-left:.6rem; }
dt { font-size:.85rem; color:var(--muted); }
dd { margin:0; font-size:1.15rem; font-weight:600; font-variant-numeric:tabular-nums; }
.links { margin:.5rem 0 0; font-size:.95rem; }
.note { color:var(--warn); font-size:.9rem; margin:.5rem 0 0; }
.muted { color:var(--muted); }
.trends { border:1px solid var(--rule); border-radius:6px; padding:1rem 1.25rem; margin:0 0 1.5rem; break-inside:avoid; }
.trends h2 { font-size:1.2rem; margin:0 0 .25rem; }
.trends ul { list-style:none; padding:0; margin:.5rem 0 0; display:grid; grid-template-columns: repeat(auto-fill, minmax(250px, 1fr)); gap:.75rem 1.25rem; }
.trends li { font-size:.85rem; color:var(--muted); }
.trends svg { display:block; width:100%; max-width:260px; height:auto; margin:.2rem 0; }
.trends .last { color:var(--ink); font-weight:600; font-size:1rem; font-variant-numeric:tabular-nums; }
@page { size:A4; margin:16mm 14mm; }
@media print { main { max-width:none; padding:0; } a { color:inherit; text-decoration:none; } }
"""


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def vi_date(iso: str) -> str:
    d = dt.date.fromisoformat(iso)
    return f"{_WEEKDAYS[d.weekday()]}, {d.day}/{d.month}/{d.year}"


def listed_dates() -> list[str]:
    """Dates with a folder in outputs/ (published or failed), newest first."""
    root = folders.outputs_dir()
    if not root.is_dir():
        return []
    return sorted((p.name for p in root.iterdir() if p.is_dir() and _DATE_RE.match(p.name)), reverse=True)


def _headline(summary: Mapping[str, Any] | None) -> list[tuple[str, str]] | None:
    if summary is None:
        return None
    items = summary.get("headline")
    if not isinstance(items, list):
        return None
    out = []
    for item in items[:MAX_HEADLINE]:
        if isinstance(item, Mapping) and "label" in item and "value" in item:
            out.append((str(item["label"]), str(item["value"])))
    return out


def vn_number(text: str) -> float | None:
    """The first number of a value as briefings print it (``.`` thousands, ``,`` decimals)."""
    m = _VN_NUMBER_RE.search(text)
    if not m:
        return None
    return float(m.group(0).replace(".", "").replace(",", "."))


def _short_date(iso: str) -> str:
    d = dt.date.fromisoformat(iso)
    return f"{d.day}/{d.month}"


def sparkline(points: list[tuple[str, float, str]], width: int = 240, height: int = 56) -> str:
    """A small line chart of ``(date, value, printed value)``, oldest first, as inline SVG."""
    pad_x, pad_y = 4, 6
    values = [v for _, v, _ in points]
    lo, hi = min(values), max(values)
    span = (hi - lo) or 1.0
    step = (width - 2 * pad_x) / max(1, len(points) - 1)
    coords = [(pad_x + i * step, height - pad_y - (v - lo) / span * (height - 2 * pad_y)) for i, v in enumerate(values)]
    if hi == lo:
        coords = [(x, height / 2) for x, _ in coords]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    described = "; ".join(f"{_short_date(d)}: {printed}" for d, _, printed in points)
    dots = "".join(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.2"><title>{_e(_short_date(d))}: {_e(p)}</title></circle>' for (x, y), (d, _, p) in zip(coords, points))
    return (
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{_e(described)}" xmlns="http://www.w3.org/2000/svg">'
        f'<polyline points="{line}" fill="none" stroke="#a51d24" stroke-width="1.6"/>'
        f'<g fill="#a51d24">{dots}</g></svg>'
    )


def _briefing_kind(kinds: list[str]) -> str | None:
    from helpers.tables import BRIEFING_KINDS

    return next((k for k in BRIEFING_KINDS if k in kinds), None)


def trends(dates: list[str], read_summary: Callable[[str], Mapping[str, Any] | None] = summaries.read_summary) -> list[tuple[str, list[tuple[str, list[tuple[str, float, str]]]]]]:
    """Per kind of report with at least :data:`TREND_MIN_DATES` published dates: each headline
    label found in at least two of them, with its (date, number, printed value) over time."""
    from helpers.tables import available_dates

    kinds = available_dates()
    by_kind: dict[str, list[tuple[str, list[tuple[str, str]]]]] = {}
    for date in sorted(dates):
        if not (folders.date_dir(date) / "briefing.html").is_file():
            continue
        figures = _headline(read_summary(date))
        kind = _briefing_kind(kinds.get(date, []))
        if figures and kind:
            by_kind.setdefault(kind, []).append((date, figures))
    out = []
    for kind in sorted(by_kind, key=lambda k: (k not in KIND_LABELS, k)):
        series: dict[str, list[tuple[str, float, str]]] = {}
        for date, figures in by_kind[kind]:
            for label, value in figures:
                number = vn_number(value)
                if number is not None:
                    series.setdefault(label, []).append((date, number, value))
        charts = [(label, pts) for label, pts in series.items() if len(pts) >= TREND_MIN_DATES]
        if len({d for d, _ in by_kind[kind]}) >= TREND_MIN_DATES and charts:
            out.append((kind, charts))
    return out


def _trends_html(dates: list[str], read_summary: Callable[[str], Mapping[str, Any] | None]) -> str:
    parts = []
    for kind, charts in trends(dates, read_summary):
        first, last = charts[0][1][0][0], charts[0][1][-1][0]
        parts.append('<section class="trends">')
        parts.append(f"<h2>{_e(KIND_LABELS.get(kind, OTHER_KIND_LABEL))}: diễn biến qua các kỳ báo cáo</h2>")
        parts.append(f'<p class="muted">Từ {_e(_short_date(first))}/{first[:4]} đến {_e(_short_date(last))}/{last[:4]}: số liệu chính của từng bản tin.</p>')
        parts.append("<ul>")
        for label, pts in charts:
            parts.append(f'<li>{_e(label)}{sparkline(pts)}<span class="last">{_e(pts[-1][2])}</span> ({_e(_short_date(pts[-1][0]))})</li>')
        parts.append("</ul></section>")
    return "\n".join(parts)


def _revision_note(summary: Mapping[str, Any] | None) -> str:
    from helpers.publish.revisions import vi_time

    rev = (summary or {}).get("revision")
    if not isinstance(rev, Mapping) or not isinstance(rev.get("number"), int):
        return ""
    try:
        when = f", cập nhật lúc {vi_time(str(rev.get('at')))}"
    except (TypeError, ValueError):
        when = ""
    return f'<p class="note">Bản sửa đổi lần {rev["number"]}{_e(when)}.</p>'


def _article(date: str, manifest: Mapping[str, Any], read_summary: Callable[[str], Mapping[str, Any] | None]) -> str:
    folder = folders.date_dir(date)
    href_date = quote(date)
    entry = manifests.date_entry(manifest, date)
    last_run = entry.get("last_run") or {}
    parts = ["<article>"]
    has_briefing = (folder / "briefing.html").is_file()
    if has_briefing:
        parts.append(f'<h2><a href="{_e(href_date)}/briefing.html">{_e(vi_date(date))}</a></h2>')
        summary = read_summary(date)
        revised = _revision_note(summary)
        if revised:
            parts.append(revised)
        figures = _headline(summary)
        if figures:
            parts.append("<dl>")
            parts += [f"<div><dt>{_e(label)}</dt><dd>{_e(value)}</dd></div>" for label, value in figures]
            parts.append("</dl>")
        elif figures is None:
            parts.append('<p class="muted">Chưa có số liệu tóm tắt (summary.json).</p>')
        links = []
        for f in sorted(folder.glob("*.html")):
            if f.name != "briefing.html":
                links.append(f'<a href="{_e(href_date)}/{_e(quote(f.name))}">{_e(LINK_LABELS.get(f.name, f.stem))}</a>')
        if (folder / "briefing.pdf").is_file():
            links.insert(0, f'<a href="{_e(href_date)}/briefing.pdf">Bản PDF (A4)</a>')
        if (folder / "provinces" / "index.html").is_file():
            links.insert(1, f'<a href="{_e(href_date)}/provinces/index.html">Trang từng tỉnh, thành phố</a>')
        if links:
            parts.append(f'<p class="links">{" · ".join(links)}</p>')
    else:
        parts.append(f"<h2>{_e(vi_date(date))}</h2>")
        parts.append('<p class="muted">Chưa có bản tin cho ngày này.</p>')
    failed = sorted((folder / folders.FAILED_DIR).glob("*.ipynb")) if (folder / folders.FAILED_DIR).is_dir() else []
    if last_run.get("status") == "failed" or failed:
        what = "; ".join(
            f"{_e(name)}.ipynb: {_e(err.get('summary', ''))}" for name, err in sorted((last_run.get("errors") or {}).items()) if isinstance(err, Mapping)
        )
        kept = "đây là bản tin thành công gần nhất" if has_briefing else "chưa có bản tin thành công"
        nb_links = ", ".join(f'<a href="{_e(href_date)}/{folders.FAILED_DIR}/{_e(quote(f.name))}">{_e(f.name)}</a>' for f in failed)
        parts.append(f'<p class="note">Lần chạy gần nhất bị lỗi{(": " + what) if what else ""} ({kept}).{(" Sổ tay lỗi: " + nb_links) if nb_links else ""}</p>')
    parts.append("</article>")
    return "\n".join(parts)


def render_index(manifest: Mapping[str, Any] | None = None) -> str:
    manifest = manifest if manifest is not None else manifests.read_manifest()
    dates = listed_dates()
    read_summary = functools.lru_cache(maxsize=None)(summaries.read_summary)  # each summary.json read once
    body = ([_trends_html(dates, read_summary)] if dates else []) + [_article(d, manifest, read_summary) for d in dates] or ['<p class="muted">Chưa có bản tin nào. Chạy <code>make briefings</code>.</p>']
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="vi">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{_e(TITLE)}</title>",
            f"<style>{_CSS}</style>",
            "</head>",
            "<body>",
            "<main>",
            f"<h1>{_e(TITLE)}</h1>",
            *body,
            "</main>",
            "</body>",
            "</html>",
            "",
        ]
    )


def write_index(manifest: Mapping[str, Any] | None = None) -> bool:
    """Write outputs/index.html if its content changed; True if written."""
    text = render_index(manifest)
    path = folders.outputs_dir() / INDEX_FILE
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except OSError:
        pass
    folders.write_text_atomic(path, text)
    return True
