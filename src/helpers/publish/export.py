"""nbconvert to self-contained HTML with the project template (templates/briefing).

One :class:`HTMLExporter` per process, built on first use and reused for every
notebook (the Jinja template and its CSS are read and compiled once).
The HTML has no code, no prompts, no parameters cells, no scripts and no
external resources; it is checked after export (:func:`check_html`).
"""

from __future__ import annotations

import functools
import html
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import config
from ..errors import BriefingsError

TEMPLATES_DIR = config.PACKAGE_DIR / "templates"
TEMPLATE_NAME = "briefing"
# Cells with these tags are not in the HTML (their outputs neither).
REMOVE_CELL_TAGS = frozenset({"parameters", "injected-parameters", "remove_cell", "remove-cell", "papermill-error-cell-tag"})
# Cells with these tags keep their outputs but never show input (inputs never show anyway).
REMOVE_OUTPUT_TAGS = frozenset({"remove_output", "remove-output"})
MAX_BYTES = 2 * 1024 * 1024
LANG = "vi"


class ExportError(BriefingsError):
    """The HTML could not be produced or broke a rule (size, external resources)."""


@dataclass
class ExportResult:
    path: Path
    bytes: int
    seconds: float
    title: str


@functools.lru_cache(maxsize=1)
def get_exporter():
    """The process-wide exporter (template compiled on first export)."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    c = Config()
    c.HTMLExporter.extra_template_basedirs = [str(TEMPLATES_DIR)]
    c.HTMLExporter.template_name = TEMPLATE_NAME
    c.HTMLExporter.exclude_input = True
    c.HTMLExporter.exclude_input_prompt = True
    c.HTMLExporter.exclude_output_prompt = True
    c.HTMLExporter.embed_images = True  # images referenced from markdown -> data: URIs
    c.HTMLExporter.sanitize_html = False  # would strip tables, headings, Styler CSS
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = set(REMOVE_CELL_TAGS)
    c.TagRemovePreprocessor.remove_all_outputs_tags = set(REMOVE_OUTPUT_TAGS)
    c.CSSHTMLHeaderPreprocessor.enabled = False  # pygments CSS: there is no code to highlight
    return HTMLExporter(config=c)


def warm_up() -> None:
    """Build the exporter and compile the template now (before forking workers)."""
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# x")])
    export_html(nb)


_HEADING_MD = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.M)
_HEADING_HTML = re.compile(r"<h[1-3][^>]*>(.*?)</h[1-3]>", re.S | re.I)
_TAGS = re.compile(r"<[^>]+>")
_MD_INLINE = re.compile(r"[*_`]+|\[([^\]]*)\]\([^)]*\)")


def _clean_md(text: str) -> str:
    text = _MD_INLINE.sub(lambda m: m.group(1) or "", text)
    return " ".join(html.unescape(_TAGS.sub("", text)).split())


def notebook_title(nb: Any, fallback: str = "Bản tin") -> str:
    """``metadata.title``, else the first heading of a markdown cell or of a markdown/HTML
    output (cells removed from the HTML are not looked at), else ``fallback``."""
    title = nb.metadata.get("title")
    if isinstance(title, str) and title.strip():
        return " ".join(title.split())
    for cell in nb.cells:
        if REMOVE_CELL_TAGS & set(cell.get("metadata", {}).get("tags", [])):
            continue
        if cell.cell_type == "markdown":
            m = _HEADING_MD.search(cell.source)
            if m and _clean_md(m.group(1)):
                return _clean_md(m.group(1))
        elif cell.cell_type == "code":
            for out in cell.get("outputs", []):
                data = out.get("data", {})
                if "text/markdown" in data:
                    m = _HEADING_MD.search(data["text/markdown"] if isinstance(data["text/markdown"], str) else "".join(data["text/markdown"]))
                    if m and _clean_md(m.group(1)):
                        return _clean_md(m.group(1))
                if "text/html" in data:
                    text = data["text/html"] if isinstance(data["text/html"], str) else "".join(data["text/html"])
                    m = _HEADING_HTML.search(text)
                    if m and _clean_md(m.group(1)):
                        return _clean_md(m.group(1))
    return fallback


# --------------------------------------------------------------------------- checks

_TAG_RE = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)\b([^>]*)>")
# a value starting with "//" or "scheme://" (http, https, ftp, ...): fetched over the network
_URL_ATTR_RE = re.compile(r"""(?:^|\s)(src|href|srcset|poster|data|action|background|xlink:href|formaction)\s*=\s*(["']?)\s*((?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//[^"'\s>]*)""", re.I)
_CSS_URL_RE = re.compile(r"""(?:url\(\s*["']?\s*|@import\s+["']?)((?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//[^"')\s]*)""", re.I)
_SCRIPT_RE = re.compile(r"<(/?)(script)\b", re.I)


def external_references(text: str) -> list[str]:
    """URLs the page would load from elsewhere (scripts, styles, images, frames, fonts...).

    Plain ``<a href="https://...">`` links load nothing and are allowed."""
    found = []
    for m in _TAG_RE.finditer(text):
        tag = m.group(1).lower()
        for a in _URL_ATTR_RE.finditer(m.group(2)):
            attr, url = a.group(1).lower(), a.group(3)
            if tag == "a" and attr == "href":
                continue
            found.append(f"<{tag} {attr}={url[:80]}>")
    for m in _CSS_URL_RE.finditer(text):
        found.append(f"css {m.group(1)[:80]}")
    return found


def check_html(text: str, name: str) -> None:
    size = len(text.encode("utf-8"))
    if size > MAX_BYTES:
        raise ExportError(f"{name}: {size / 1048576:.1f} MB, over the {MAX_BYTES // 1048576} MB limit of a briefing (smaller figures: lower dpi or JPEG)")
    refs = external_references(text)
    if refs:
        raise ExportError(f"{name}: loads external resources ({len(refs)}), first {refs[0]}; briefings must be self-contained")


def neutralize_scripts(text: str) -> str:
    """Briefings are static: any ``<script`` an output smuggled in becomes inert text."""
    return _SCRIPT_RE.sub(lambda m: f"&lt;{m.group(1)}{m.group(2)}", text)


# --------------------------------------------------------------------------- export


def export_html(nb: Any, title: str | None = None, name: str = "briefing") -> str:
    exporter = get_exporter()
    resources = {"metadata": {"name": name}, "briefing_title": title or notebook_title(nb, fallback=name), "briefing_lang": LANG}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return neutralize_scripts(body)


def export_file(nb: Any, html_path: Path, name: str | None = None) -> ExportResult:
    """Export ``nb`` to ``html_path`` after the checks (raises :class:`ExportError`)."""
    started = time.perf_counter()
    name = name or html_path.stem
    title = notebook_title(nb, fallback=name)
    try:
        text = export_html(nb, title=title, name=name)
    except ExportError:
        raise
    except Exception as exc:  # a template or filter error: one line, not a traceback
        raise ExportError(f"{html_path.name}: nbconvert failed: {type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}") from exc
    check_html(text, html_path.name)
    html_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = html_path.with_name(f".{html_path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(html_path)
    return ExportResult(path=html_path, bytes=len(text.encode("utf-8")), seconds=time.perf_counter() - started, title=title)
