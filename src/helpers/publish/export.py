"""nbconvert to self-contained HTML with the project template (report/templates/briefing).

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

from helpers import config
from helpers.errors import BriefingsError
from helpers.report.glue import MACHINE_OUTPUT_TAG

TEMPLATES_DIR = config.PACKAGE_DIR / "report" / "templates"
TEMPLATE_NAME = "briefing"
# Cells with these tags are not in the HTML (their outputs neither).
REMOVE_CELL_TAGS = frozenset({"parameters", "injected-parameters", "remove_cell", "remove-cell", "papermill-error-cell-tag", "analyst"})
# Cells with these tags keep their outputs but never show input (inputs never show anyway).
REMOVE_OUTPUT_TAGS = frozenset({"remove_output", "remove-output"})
# Single outputs with these tags (in the output's metadata) are not in the HTML: values
# handed to the engine, such as the briefing's summary (helpers.report.glue).
REMOVE_SINGLE_OUTPUT_TAGS = frozenset({MACHINE_OUTPUT_TAG})
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


_NO_ALT_IMG = re.compile(r"<img\b(?![^>]*\balt\s*=)", re.I)
_NUMERIC_REF = re.compile(r"&#(?:([0-9]{1,7})|[xX]([0-9a-fA-F]{1,6}));")


_START_TAG = re.compile(r"""<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)+)\s*(/?)>""")
_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
_RAW_TEXT = re.compile(r"(<(style|script)\b[^>]*>.*?</\2\s*>)", re.S | re.I)


def _sorted_tag(m: re.Match) -> str:
    attrs = []
    for a in _ATTRIBUTE.finditer(m.group(2)):
        name, value = a.group(1), a.group(2)
        if value is None:
            attrs.append((name, None))
            continue
        if value[:1] in "\"'":
            value = value[1:-1]
        if name.lower() == "class":
            value = " ".join(value.split())
        attrs.append((name, value.replace('"', "&quot;")))
    if len({n for n, _ in attrs}) != len(attrs):
        return m.group(0)  # a repeated attribute: leave the tag as written
    attrs.sort(key=lambda item: item[0])
    text = "".join(f' {n}="{v}"' if v is not None else f" {n}" for n, v in attrs)
    return f"<{m.group(1)}{text}{m.group(3)}>"


def _sorted_attributes(text: str) -> str:
    """Attributes in alphabetical order and class lists on single spaces, as BeautifulSoup
    wrote them (``<div class="jp-Cell ..." id="cell-id=...">``): pages read by string
    matching keep their shape. Not inside <style>/<script> raw text."""
    parts = _RAW_TEXT.split(text)
    out = []
    i = 0
    while i < len(parts):
        out.append(_START_TAG.sub(_sorted_tag, parts[i]))
        if i + 1 < len(parts):
            out.append(parts[i + 1])  # the raw-text element, unchanged
        i += 3
    return "".join(out)


def _char_of_ref(m: re.Match) -> str:
    """``&#224;`` -> ``à``: the markdown renderer writes every non-ASCII letter of a
    Vietnamese markdown cell as a reference (the page is UTF-8; BeautifulSoup's pass
    used to write them back as letters). ASCII references (``&#39;`` ...) stay: one
    may be a quote inside an attribute."""
    code = int(m.group(1)) if m.group(1) else int(m.group(2), 16)
    if code < 0xA0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF or (0xFDD0 <= code <= 0xFDEF) or (code & 0xFFFE) == 0xFFFE:
        return m.group(0)
    return chr(code)
MISSING_ALT = "No description has been provided for this image"  # nbconvert's words


def _exporter_class():
    """nbconvert's HTMLExporter without its last pass over the page.

    ``HTMLExporter.from_notebook_node`` renders the template, then parses the whole page
    with BeautifulSoup to give images without ``alt`` a placeholder and to make lab's
    cell wrappers focusable, and prints it again. The project template has none of those
    wrappers and gives every output image an alt text; the pass cost ~0.25 s for a
    briefing and grew with the size of the page (over 1 s for a drill-down listing
    every data-quality finding of 100 reporting dates). Images in markdown still get
    the placeholder, by a regular expression instead of a parser."""
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class BriefingHTMLExporter(HTMLExporter):
        def from_notebook_node(self, nb, resources=None, **kw):
            # HTMLExporter.from_notebook_node up to the template rendering (nbconvert 7.17)
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            highlight_code = self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
            resources = self._init_resources(resources)
            filter_data_type = WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self, resources=resources)
            self.register_filter("highlight_code", highlight_code)
            self.register_filter("filter_data_type", filter_data_type)
            html_text, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
            html_text = _NO_ALT_IMG.sub(f'<img alt="{MISSING_ALT}"', html_text)
            return _sorted_attributes(_NUMERIC_REF.sub(_char_of_ref, html_text)), resources

    return BriefingHTMLExporter


@functools.lru_cache(maxsize=1)
def get_exporter():
    """The process-wide exporter (template compiled on first export)."""
    from traitlets.config import Config

    HTMLExporter = _exporter_class()

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
    c.TagRemovePreprocessor.remove_single_output_tags = set(REMOVE_SINGLE_OUTPUT_TAGS)
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
