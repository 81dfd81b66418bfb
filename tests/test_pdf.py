"""The A4 PDF twin of every briefing (Debian's Chromium, offline)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import make_project_copy, run_cli
from helpers.publish import pdf

pytestmark = [pytest.mark.slow, pytest.mark.browser]

A4_PT = (595.92, 842.88)  # 210 x 297 mm


def _pages(path: Path) -> list[tuple[str, int]]:
    """(text, number of images) of each page, after checking every page is A4."""
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - A4_PT[0]) < 1 and abs(height - A4_PT[1]) < 1, f"{path.name}: page is {width}x{height} pt, not A4"
    return [(page.extract_text() or "", len(page.images)) for page in reader.pages]


def _pages_text(path: Path) -> list[str]:
    return [text for text, _ in _pages(path)]


def _dates(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "outputs").iterdir() if p.is_dir() and re.fullmatch(r"\d{4}-\d{2}-\d{2}", p.name))


def test_every_briefing_has_an_a4_pdf_with_page_numbers_and_marking_on_every_page(built_project):
    import pandas as pd

    reports = pd.read_csv(built_project / "data" / "processed" / "reports.csv")
    dates = _dates(built_project)
    assert dates
    for date in dates:
        path = built_project / "outputs" / date / "briefing.pdf"
        assert b"file:" not in path.read_bytes(), f"{date}: the PDF links to the build's files"
        pages = _pages(path)
        notices = [n for n in reports.loc[reports["report_date"] == date, "notice"].dropna().unique() if str(n).strip()]
        marking = notices[0] if notices else "Tài liệu phục vụ lãnh đạo, không phát hành rộng rãi."
        total = len(pages)
        day, month, year = int(date[8:]), int(date[5:7]), date[:4]
        for number, (text, images) in enumerate(pages, start=1):
            flat = "".join(text.split())  # text extraction breaks lines anywhere: compare without spaces
            assert f"Trang{number}/{total}" in flat, f"{date} page {number}: no 'Trang {number}/{total}'"
            assert "".join(marking.split()) in flat, f"{date} page {number}: no distribution marking"
            body = flat.replace(f"Trang{number}/{total}", "").replace("".join(marking.split()), "").replace(f"Bảntinngày{day}/{month}/{year}", "")
            assert len(body) > 20 or images, f"{date} page {number} of {total} is blank but for its header and footer"


def test_the_source_marking_wins_over_the_default(built_project):
    texts = _pages_text(built_project / "outputs" / "2025-09-22" / "briefing.pdf")
    assert all("không đăng tải trên báo, đài và các mạng xã hội" in " ".join(t.split()) for t in texts)


def test_pdf_dates_are_the_report_date_so_rebuilds_are_byte_identical():
    data = b"<< /CreationDate (D:20261129152114+00'00')\n/ModDate (D:20261129152114+00'00')>>"
    stamped = pdf.stamp_dates(data, "2025-09-22")
    assert stamped == b"<< /CreationDate (D:20250922000000+00'00')\n/ModDate (D:20250922000000+00'00')>>"
    assert len(stamped) == len(data)


def test_without_chromium_the_build_says_so_in_one_line_and_publishes_html(tmp_path):
    root = make_project_copy(tmp_path / "project")
    done = run_cli(root, "build", env_extra={"BRIEFINGS_CHROMIUM": str(tmp_path / "no-chromium")})
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if "PDF" in line]
    assert len(warnings) == 1 and "no Chromium at" in warnings[0], done.stderr
    assert (root / "outputs" / "2025-06-27" / "briefing.html").is_file()
    assert not (root / "outputs" / "2025-06-27" / "briefing.pdf").exists()


# Leaders print the 22/9 briefing (the longest: every plan-02 appendix) on at most 8 A4 pages.
MAX_PAGES = {"2025-09-22": 8}


def test_sections_flow_and_the_longest_briefing_fits_eight_pages(built_project):
    for date, most in MAX_PAGES.items():
        pages = _pages_text(built_project / "outputs" / date / "briefing.pdf")
        assert len(pages) <= most, f"{date}: {len(pages)} A4 pages, at most {most}"


def test_the_appendix_starts_a_new_page_and_is_printed_open(built_project):
    for date in _dates(built_project):
        html = (built_project / "outputs" / date / "briefing.html").read_text(encoding="utf-8")
        assert html.count('<details class="appendix">') == 1, f"{date}: the appendix is not one collapsed block"
        pages = [" ".join(t.split()) for t in _pages_text(built_project / "outputs" / date / "briefing.pdf")]
        starts = [n for n, text in enumerate(pages) if "Phụ lục: nguồn và chất lượng số liệu" in text]
        assert len(starts) == 1, f"{date}: appendix heading on pages {starts}"
        page = pages[starts[0]]
        # the header line (marking) comes first, then the appendix heading: nothing of the sections above it
        assert page.index("Phụ lục: nguồn") < 160, f"{date}: the appendix does not start its page: {page[:200]!r}"
        # printed open: the data-quality table and the footnotes are on paper, after the heading
        rest = " ".join(pages[starts[0]:])
        assert "Chất lượng số liệu" in rest and "Chú thích nguồn" in rest, f"{date}: appendix printed collapsed"
