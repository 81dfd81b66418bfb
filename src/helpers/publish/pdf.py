"""A4 PDF twins of the briefings, printed offline by Debian's Chromium.

Leaders forward briefings as A4 PDFs. Chromium prints the very HTML the build
publishes (its print CSS: A4, real margins, figures kept with their captions,
table headers repeated) and adds, on every page, the distribution marking at the
top and "Trang N/M" with the report date at the bottom (Chromium's header and
footer templates, which know the page number and count).

One browser serves the whole build (:class:`PdfPrinter`, started on first use);
pages are opened with every request outside the file being printed refused, so a
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


class PdfPrinter:
    """One headless Chromium for a whole build; :meth:`print` turns an HTML file into an A4 PDF."""

    def __init__(self, executable: Path | None = None):
        self.executable = executable or chromium_path()
        self._playwright = None
        self._browser = None

    def start(self) -> PdfPrinter:
        if self._browser is not None:
            return self
        if not self.executable.is_file() or not os.access(self.executable, os.X_OK):
            raise PdfUnavailable(f"no Chromium at {self.executable} (Debian: apt-get install chromium)")
        try:
            from playwright.sync_api import Error as PlaywrightError
            from playwright.sync_api import sync_playwright
        except ImportError as exc:  # pragma: no cover - playwright is a pinned dependency
            raise PdfUnavailable(f"playwright is not installed ({exc})") from None
        try:
            self._playwright = sync_playwright().start()
            self._browser = self._playwright.chromium.launch(executable_path=str(self.executable), headless=True, args=list(CHROMIUM_ARGS), timeout=60_000)
        except PlaywrightError as exc:
            self.close()
            raise PdfUnavailable(f"Chromium at {self.executable} did not start: {str(exc).splitlines()[0]}") from None
        return self

    def print(self, html_path: Path, pdf_path: Path, *, marking: str, date_label: str, stamp: str) -> None:
        """Print ``html_path`` to ``pdf_path`` (A4); refuses every request but the file itself.

        ``stamp`` (``YYYY-MM-DD``, the report date) replaces the printing time in the PDF's
        metadata, so a rebuild from the same inputs gives the same bytes."""
        self.start()
        page = self._browser.new_page()
        try:
            own = html_path.resolve().as_uri()
            page.route("**/*", lambda route: route.continue_() if route.request.url.split("#")[0] == own or route.request.url.startswith("data:") else route.abort())
            page.goto(own, wait_until="load")
            # A link to another page would print as the file:// address of this build's staging
            # folder: a path in the PDF, different on every build, dead once the PDF is forwarded.
            # Such links print as their text; links within the briefing (footnotes) stay.
            page.evaluate(_UNLINK)
            page.emulate_media(media="print")
            tmp = pdf_path.with_name(f".{pdf_path.name}.tmp")
            page.pdf(
                path=str(tmp), format="A4", margin=MARGINS, print_background=True, prefer_css_page_size=False,
                display_header_footer=True, header_template=header_template(marking), footer_template=footer_template(date_label),
            )
            tmp.write_bytes(stamp_dates(tmp.read_bytes(), stamp))
            os.replace(tmp, pdf_path)
        finally:
            page.close()

    def close(self) -> None:
        for closer in (self._browser, self._playwright):
            if closer is None:
                continue
            try:
                (closer.close if closer is self._browser else closer.stop)()
            except Exception:  # noqa: BLE001 - closing a browser that already died
                pass
        self._browser = self._playwright = None

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

