"""outputs/index.html: every briefing, newest date first, with its headline figures.

Headline figures come from ``outputs/<date>/summary.json`` (written by the briefing
notebook, see :func:`helpers.publish.store.write_summary`): its ``headline`` list
of ``{"label": str, "value": str}``. Self-contained HTML in Vietnamese; every
value is escaped. Deterministic: no timestamps, rewritten only when it changes.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from helpers.publish import store as outputs

TITLE = "Bản tin chính quyền địa phương hai cấp"
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
# Other notebooks' HTML, linked under each briefing.
LINK_LABELS = {"province_drilldown.html": "Phân tích theo tỉnh"}
MAX_HEADLINE = 12

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
    root = outputs.outputs_dir()
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


def _article(date: str, manifest: Mapping[str, Any]) -> str:
    folder = outputs.date_dir(date)
    href_date = quote(date)
    entry = outputs.date_entry(manifest, date)
    last_run = entry.get("last_run") or {}
    parts = ["<article>"]
    has_briefing = (folder / "briefing.html").is_file()
    if has_briefing:
        parts.append(f'<h2><a href="{_e(href_date)}/briefing.html">{_e(vi_date(date))}</a></h2>')
        summary = outputs.read_summary(date)
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
    failed = sorted((folder / outputs.FAILED_DIR).glob("*.ipynb")) if (folder / outputs.FAILED_DIR).is_dir() else []
    if last_run.get("status") == "failed" or failed:
        what = "; ".join(
            f"{_e(name)}.ipynb: {_e(err.get('summary', ''))}" for name, err in sorted((last_run.get("errors") or {}).items()) if isinstance(err, Mapping)
        )
        kept = "đây là bản tin thành công gần nhất" if has_briefing else "chưa có bản tin thành công"
        nb_links = ", ".join(f'<a href="{_e(href_date)}/{outputs.FAILED_DIR}/{_e(quote(f.name))}">{_e(f.name)}</a>' for f in failed)
        parts.append(f'<p class="note">Lần chạy gần nhất bị lỗi{(": " + what) if what else ""} ({kept}).{(" Sổ tay lỗi: " + nb_links) if nb_links else ""}</p>')
    parts.append("</article>")
    return "\n".join(parts)


def render_index(manifest: Mapping[str, Any] | None = None) -> str:
    manifest = manifest if manifest is not None else outputs.read_manifest()
    dates = listed_dates()
    body = [_article(d, manifest) for d in dates] or ['<p class="muted">Chưa có bản tin nào. Chạy <code>make briefings</code>.</p>']
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
    path = outputs.outputs_dir() / outputs.INDEX_FILE
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except OSError:
        pass
    outputs.write_text_atomic(path, text)
    return True
