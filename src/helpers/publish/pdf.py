"""A4 PDF twins of the briefings, printed offline by Debian's Chromium.

Leaders forward briefings as A4 PDFs. Chromium prints the very HTML the build
publishes (its print CSS: A4, real margins, figures kept with their captions,
table headers repeated) and adds, on every page, the distribution marking at the
top and "Trang N/M" with the report date at the bottom (Chromium's header and
footer templates, which know the page number and count).

One browser serves the whole build (:class:`PdfPrinter`, started on first use, driven
over Chromium's DevTools pipe: :mod:`.devtools`); pages are opened with every request outside the file being printed refused, so a
PDF can never depend on the network. Without Chromium the build says so in one line
and publishes the HTML alone (:func:`printer_or_reason`).
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

CHROMIUM_ENV = "BRIEFINGS_CHROMIUM"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
# What the workplace's headless Chromium needs: no sandbox as root, no GPU, and no
# background connections (this machine has no network; Chromium would retry forever).
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)
MARGINS = {"top": "18mm", "bottom": "16mm", "left": "14mm", "right": "14mm"}
A4_INCHES = {"paperWidth": 8.27, "paperHeight": 11.7}  # what browsers call A4 (210 x 297 mm, rounded)


def _inches(size: str) -> float:
    return round(float(size.removesuffix("mm")) / 25.4, 4)
_LINE = "font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 8.5px; color: #3d4450; width: 100%; margin: 0 14mm;"


_UNLINK = """() => {
  for (const a of document.querySelectorAll("a[href]")) {
    if (!a.getAttribute("href").startsWith("#")) a.removeAttribute("href");
  }
}"""


def chromium_path() -> Path:
    return Path(os.environ.get(CHROMIUM_ENV, DEFAULT_CHROMIUM))


def header_template(marking: str) -> str:
    return f'<div style="{_LINE} text-align: center; font-weight: 600;">{html.escape(marking)}</div>'


def footer_template(date_label: str) -> str:
    # Chromium fills the pageNumber / totalPages spans on each page
    return (
        f'<div style="{_LINE} display: flex; justify-content: space-between;">'
        f"<span>{html.escape(date_label)}</span>"
        '<span>Trang <span class="pageNumber"></span>/<span class="totalPages"></span></span></div>'
    )


class PdfUnavailable(RuntimeError):
    """No usable Chromium: the build publishes HTML only and says why in one line."""


class PdfError(RuntimeError):
    """Chromium started but could not print one briefing (one line)."""


class PdfPrinter:
    """One headless Chromium for a whole build (DevTools over a pipe, :mod:`.devtools`);
    :meth:`print` turns an HTML file into an A4 PDF."""

    def __init__(self, executable: Path | None = None):
        self.executable = executable or chromium_path()
        self._browser = None

    def start(self) -> PdfPrinter:
        if self._browser is not None:
            return self
        if not self.executable.is_file() or not os.access(self.executable, os.X_OK):
            raise PdfUnavailable(f"no Chromium at {self.executable} (Debian: apt-get install chromium)")
        from helpers.publish.devtools import Browser, DevToolsError

        try:
            self._browser = Browser(self.executable, CHROMIUM_ARGS)
        except DevToolsError as exc:
            raise PdfUnavailable(str(exc)) from None
        return self

    def print(self, html_path: Path, pdf_path: Path, *, marking: str, date_label: str, stamp: str) -> None:
        """Print ``html_path`` to ``pdf_path`` (A4); refuses every request but the file itself.

        ``stamp`` (``YYYY-MM-DD``, the report date) replaces the printing time in the PDF's
        metadata, so a rebuild from the same inputs gives the same bytes."""
        from helpers.publish.devtools import DevToolsError, print_to_pdf

        self.start()
        own = html_path.resolve().as_uri()
        options = {
            **A4_INCHES, **{f"margin{side.title()}": _inches(size) for side, size in MARGINS.items()},
            "printBackground": True, "preferCSSPageSize": False, "displayHeaderFooter": True,
            "generateTaggedPDF": False, "generateDocumentOutline": False,  # as Playwright: smaller files
            "headerTemplate": header_template(marking), "footerTemplate": footer_template(date_label),
        }
        try:
            # A link to another page would print as the file:// address of this build's staging
            # folder: a path in the PDF, different on every build, dead once the PDF is forwarded.
            # Such links print as their text (_UNLINK); links within the briefing (footnotes) stay.
            data = print_to_pdf(self._browser, own, allowed=lambda url: url.split("#")[0] == own or url.startswith("data:"), script=_UNLINK, options=options)
        except DevToolsError as exc:
            self.close()  # a browser that failed once is not trusted with the next date
            raise PdfError(f"{pdf_path.name}: Chromium could not print it: {exc}") from None
        tmp = pdf_path.with_name(f".{pdf_path.name}.tmp")
        tmp.write_bytes(stamp_dates(data, stamp))
        os.replace(tmp, pdf_path)

    def close(self) -> None:
        if self._browser is not None:
            self._browser.close()
        self._browser = None

    def __enter__(self) -> PdfPrinter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


_PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}([+-Z][^)]*)\)")


def stamp_dates(data: bytes, iso_date: str) -> bytes:
    """The PDF's creation and modification times set to ``iso_date`` 00:00:00.

    Each replacement has the length of what it replaces, so the cross-reference
    table's byte offsets stay valid."""
    digits = iso_date.replace("-", "").encode() + b"000000"
    return _PDF_DATE.sub(lambda m: b"/" + m.group(1) + b" (D:" + digits + m.group(2) + b")", data)

