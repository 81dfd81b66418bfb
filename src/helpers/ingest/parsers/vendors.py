"""Vendor summary: which company deploys each of the five key information systems in each province.

The document (``BÁO CÁO / Tổng hợp tình hình triển khai 05 Hệ thống thông tin quan trọng``)
of June 2025 carries no date. It plans work "từ 22/06/2025" and cites a dispatch of
23/6/2025, so it was written about 22–23/6/2025; ``report_date`` stays empty and an info
Finding says why. A later summary that prints a place-and-date line above its title
(``Hà Nội, ngày 1 tháng 7 năm 2025``, as the Government's documents do) is dated by it:
``report_date`` and the tables' ``summary_date`` (empty for an undated summary) are that day.

Section 1.1 (the contract, table ``vendors``)
---------------------------------------------
``1.1. Hiện trạng Doanh nghiệp thực hiện`` up to ``1.2.`` has one subsection per system,
headed ``a)`` … ``đ)``::

    a) Hệ thống thông tin giải quyết TTHC:
    Toàn quốc có 04 Doanh nghiệp … và 2 tỉnh tự triển khai thực hiện, cụ thể:   (intro)
    - Tập đoàn Bưu chính Viễn thông Việt Nam (VNPT): 26/34 tỉnh, thành phố
    (chiếm 76%).                                                              (VNPT count)
    Các đơn vị khác đang triển khai giải pháp tại [13] tỉnh, thành phố còn lại, gồm:
    - Công ty Cổ phần Tin học Tân Dân: 02 tỉnh (Thanh Hoá, Hà Tĩnh).         (vendor item)
    - 03 tỉnh tự phát triển: Bắc Ninh, Thừa Thiên Huế, Tây Ninh.              (self-developed)

Items wrap over several lines, often with blank lines in the middle of a name
(``Hà \\n\\nTĩnh``); an item runs from its ``-`` to the next ``-`` or ``Các đơn vị khác``.
VNPT is every province not listed under another vendor or as self-developed (that is how
the document counts: "các tỉnh, thành phố còn lại"). Self-developed is the vendor value
``'Tự phát triển'``. Company names map to short names through ``VENDOR_SHORT_NAMES``; a
name not in it is an InputError.

A province listed twice for the same system is a contradiction: a Finding, and the table
keeps the *first* listing in document order (the document gives no reason to prefer either;
first-listed keeps the rule simple and stable).

Appendix (extra table ``vendors_appendix``)
-------------------------------------------
``PHỤ LỤC / Hiện tạng triển khai 05 Hệ thống thông tin theo từng Tỉnh/Thành phố`` is a
table (STT, province, system, vendor, notes, difficulties) flattened to one cell per line
group, so the columns can no longer be told apart by position. It is parsed as follows,
and each rule was checked against all 34 rows of the real extract:

* a row starts at a line ``N [name…]`` where N is the next STT (1, 2, …, 34); the name may
  wrap (``Quảng \\nTrị \\n(Quảng \\nBình)``); a parenthesis names the former province merged
  into it and is kept only in ``province_as_printed``;
* a system starts at one of the label line groups in ``_APPENDIX_LABELS`` (``HTTT Giải /
  quyết TTHC``, ``LGSP``, …). A label's last line may carry the start of the vendor
  (``quyết TTHC Tỉnh tự triển``), but only if that text starts a known vendor phrase;
  otherwise the line is note text (``tin báo cáo cấp tỉnh (HTTTBC)`` in a note is not a label);
* the cell text after a label is the vendor only if it starts with a phrase of
  ``APPENDIX_VENDOR_PHRASES``; anything else is the notes column. An empty vendor cell is a
  vertically merged cell: the vendor of the row above in the same province (the PDF's
  merged cells are top-aligned: Hà Tĩnh prints Tân Dân once for TTHC, LGSP and document
  management, as section 1.1 confirms). ``merged_cell`` marks these rows.

A system label repeated within a province (Lào Cai prints document management twice and no
reporting row) is a Finding; the first occurrence is kept and the missing system has no row.
Every appendix vendor that differs from section 1.1 is a Finding.

Across the document
-------------------
A vendor that two sections name with different provinces (each names a province for it the
other does not, e.g. Unitech: Khánh Hoà in 1.1, Đà Nẵng in the appendix) is a Finding naming
the vendor, both provinces and both lines. The sections that say where a vendor works are
compared pairwise: 1.1, 3.1.2 (the companies' commitments, '- <vendor>: <text>', province
names found in the running text) and the appendix. Only what a section *prints*: VNPT's
provinces in 1.1 are a count, and a merged appendix cell names no one.
Section 2 (difficulties) is left out on purpose: it names the vendor a province had
(``Hà Nội (FPT)``, which the appendix says MobiFone replaced), not the one deploying now.
Every printed date is checked against the report's year (``parsers/printed_dates.py``):
the document is undated, so its year is that of the latest document it cites.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from helpers.ingest.provinces import ALIASES, by_code, former_names, name_key, registry
from helpers.ingest.rawtext import RawReport
from helpers.ingest.parsers.base import Finding, ParsedReport, code_at, int_at, pct_at
from helpers.ingest.parsers.printed_dates import check_printed_dates, latest_cited_document, place_and_date

KIND = "vendor_summary"

SYSTEMS = ("tthc", "document_management", "online_meetings", "lgsp", "reporting")
SELF_DEVELOPED = "Tự phát triển"
DEFAULT_VENDOR = "VNPT"  # the document counts VNPT as "every province not listed otherwise"
TOTAL_PROVINCES = 34

_TITLE_RE = re.compile(r"^\s*Tổng hợp tình hình triển khai 05 Hệ thống thông tin quan trọng\s*$")
_SECTION_11_RE = re.compile(r"^\s*1\.1\.\s*Hiện trạng Doanh nghiệp thực hiện")
_SECTION_12_RE = re.compile(r"^\s*1\.2\.\s")
_SUBSECTION_RE = re.compile(r"^\s*([a-dđ])\)\s*(.*?)\s*$")
_ITEM_START_RE = re.compile(r"^\s*(?:-|Các đơn vị khác\b)")

_INTRO_RE = re.compile(
    r"^Toàn quốc có (?P<vendors>\d+) (?:Doanh nghiệp )?đơn vị được lựa chọn .*? và "
    r"(?P<self>\d+) tỉnh tự triển khai thực hiện, cụ thể:$"
)
_INTRO_VENDOR_LIST_RE = re.compile(r"cung cấp giải pháp \w+ \((?P<names>[^()]+)\)")
_VNPT_RE = re.compile(
    r"^-\s*(?P<company>[^:]+?)\s*:\s*(?P<count>\d+)/(?P<total>\d+) tỉnh, thành phố "
    r"\(chiếm (?P<pct>\d+(?:,\d+)?)%\)\.?$"
)
_OTHERS_RE = re.compile(
    r"^Các đơn vị khác đang triển khai giải pháp tại (?:(?P<count>\d+) )?(?:các )?"
    r"tỉnh, thành phố còn lại,? gồm:$"
)
_VENDOR_ITEM_RE = re.compile(r"^-\s*(?P<company>[^:]+?)\s*:\s*(?P<count>\d+) tỉnh \((?P<names>[^()]+)\)\.?$")
_SELF_ITEM_RE = re.compile(r"^-\s*(?P<count>\d+) tỉnh tự phát triển\s*:\s*(?P<names>[^()]+?)\.?$")

_APPENDIX_HEADING_RE = re.compile(r"^\s*PHỤ LỤC\s*$")
_APPENDIX_STT_RE = re.compile(r"^\s*STT\s*$")
_ROW_START_RE = re.compile(r"^\s*(\d{1,2})(?:\s+(.*?))?\s*$")
_PROVINCE_CELL_RE = re.compile(r"^(?P<name>[^()]+?)\s*(?:\((?P<former>[^()]+)\))?$")
_SPACES_RE = re.compile(r"\s+")
_NON_WORD_RE = re.compile(r"[^a-z0-9&]+")


def fold(text: str) -> str:
    """Lower-case, no diacritics, punctuation to spaces: ``'Tân Dân'`` -> ``'tan dan'``."""
    text = text.replace("Đ", "D").replace("đ", "d")
    text = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return _NON_WORD_RE.sub(" ", text).strip()


# Printed company names (section 1.1) -> short vendor names. Keys are fold()ed. Each entry
# was read off the document; a name not listed here is refused, never guessed.
_PRINTED_VENDOR_NAMES = {
    "Tập đoàn Bưu chính Viễn thông Việt Nam (VNPT)": "VNPT",
    "VNPT": "VNPT",
    "Tập đoàn Công nghiệp – Viễn thông Quân đội (Viettel)": "Viettel",
    "Viettel": "Viettel",
    "Công ty Cổ phần FPT": "FPT",
    "FPT": "FPT",
    "Mobifone": "Mobifone",
    "Công ty Cổ phần Tin học Tân Dân": "Tân Dân",
    "Tân Dân": "Tân Dân",
    "Công ty Cổ phần Unitech": "Unitech",
    "Công ty Cổ phần Tin học giải pháp tích hợp mở (iNet Solutions)": "iNet",
    "Công Ty Cổ Phần Thông Tin Hapro": "Hapro",
    "Công ty TNHH Giải pháp Công nghệ B&T Việt Nam": "B&T",
    "Minh Tuệ": "Minh Tuệ",
    "Công ty Cổ phần BKAV": "BKAV",
    "CTCP Sông Đà 10": "Sông Đà 10",
}
VENDOR_SHORT_NAMES: dict[str, str] = {fold(k): v for k, v in _PRINTED_VENDOR_NAMES.items()}

# Phrases the appendix prints in its vendor column -> vendor value. Several cells name two
# parties; they get both short names joined by " + " so they stay comparable with 1.1.
_APPENDIX_PHRASES = {
    "VNPT": "VNPT",
    "Viettel": "Viettel",  # also printed VIETTEL
    "FPT": "FPT",
    "MobiFone": "Mobifone",
    "MobiFone (Thay thế FPT)": "Mobifone",  # Hà Nội: Mobifone replaces FPT (see section 2)
    "Tân Dân": "Tân Dân",
    "INET": "iNet",
    "Unitech": "Unitech",
    "BKAV": "BKAV",
    "Minh Tuệ": "Minh Tuệ",
    "SDT": "Sông Đà 10",  # SDT is the stock ticker of CTCP Sông Đà 10 (section 1.1 đ) names it for Đà Nẵng)
    "Công ty TNHH Giải pháp Công nghệ B&T Việt Nam": "B&T",
    "Tỉnh tự triển khai": SELF_DEVELOPED,
    "Thành phố tự triển khai": SELF_DEVELOPED,
    "Tự triển khai": SELF_DEVELOPED,
    "Tự đầu tư": SELF_DEVELOPED,  # "self-invested"
    "Tự đầu tư, thuê VNPT vận hành": f"{SELF_DEVELOPED} + VNPT",  # self-invested, VNPT hired to run it
    "VNPT và Công Ty Cổ Phần Thông Tin Hapro": "VNPT + Hapro",
    "VNPT VIETTEL": "VNPT + Viettel",
    "SKHCN phối hợp VNPT": "Sở KHCN + VNPT",  # the provincial science department with VNPT
}
APPENDIX_VENDOR_PHRASES: dict[tuple[str, ...], str] = {tuple(fold(k).split()): v for k, v in _APPENDIX_PHRASES.items()}
_APPENDIX_PHRASES_LONGEST_FIRST = sorted(APPENDIX_VENDOR_PHRASES, key=len, reverse=True)

# Subsection headings of 1.1 -> system (matched on the fold()ed heading).
_HEADING_SYSTEMS = (
    ("giai quyet tthc", "tthc"),
    ("quan ly van ban", "document_management"),
    ("hop truc tuyen", "online_meetings"),
    ("tich hop chia se du lieu", "lgsp"),
    ("thong tin bao cao", "reporting"),
)

# Appendix system labels as line groups (each line fold()ed); the last line may carry text.
_APPENDIX_LABELS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("httt giai", "quyet tthc"), "tthc"),
    (("quan ly van ban", "va dieu hanh"), "document_management"),
    (("he thong hop", "truc tuyen"), "online_meetings"),
    (("lgsp",), "lgsp"),
    (("nen tang tich", "hop chia se du", "lieu"), "lgsp"),
    (("he thong thong", "tin bao cao"), "reporting"),
)

SYSTEM_NAMES_VI = {
    "tthc": "HTTT giải quyết TTHC",
    "document_management": "Quản lý văn bản và điều hành",
    "online_meetings": "Hệ thống họp trực tuyến",
    "lgsp": "LGSP",
    "reporting": "Hệ thống thông tin báo cáo",
}


def detect(report: RawReport) -> bool:
    return any(_TITLE_RE.match(line) for line in report.lines[:20])


def parse(report: RawReport) -> ParsedReport:
    return parse_vendor_summary(report)


# --------------------------------------------------------------------------- text items


@dataclass
class _Item:
    """Lines joined with single spaces, remembering which line each character came from."""

    first_line: int
    text: str = ""
    _offsets: list[int] = field(default_factory=list)
    _lines: list[int] = field(default_factory=list)

    def add(self, number: int, line: str) -> None:
        piece = _SPACES_RE.sub(" ", line.strip())
        if not piece:
            return
        if self.text:
            self.text += " "
        self._offsets.append(len(self.text))
        self._lines.append(number)
        self.text += piece

    def line_at(self, offset: int) -> int:
        if not self._offsets:
            return self.first_line
        return self._lines[max(0, bisect.bisect_right(self._offsets, offset) - 1)]


def _provinces_in(report: RawReport, item: _Item, start: int, names: str) -> list[tuple[int, str]]:
    """(code, spelling) for a comma list of province names that starts at ``start`` in ``item.text``."""
    out = []
    offset = start
    for raw_name in names.split(","):
        name = raw_name.strip()
        name_offset = offset + (len(raw_name) - len(raw_name.lstrip()))
        offset += len(raw_name) + 1
        if not name:
            raise report.error(item.line_at(name_offset), "a province name in the list", names)
        out.append((code_at(report, name, item.line_at(name_offset)), name))
    return out


def _vendor_short_name(report: RawReport, company: str, line: int) -> str:
    short = VENDOR_SHORT_NAMES.get(fold(company))
    if short is None:
        raise report.error(line, "a known vendor name (VENDOR_SHORT_NAMES in parsers/vendors.py)", company)
    return short


# --------------------------------------------------------------------------- section 1.1


@dataclass
class VendorListing:
    """One '- <company>: NN tỉnh (<provinces>)' item, or the self-developed item."""

    vendor: str
    company_as_printed: str
    stated_count: int
    provinces: list[tuple[int, str]]  # (code, spelling as printed)
    line: int


@dataclass
class SystemSummary:
    """What subsection a)…đ) of 1.1 states about one system."""

    system: str
    letter: str
    heading_line: int
    intro: str
    intro_line: int
    stated_vendor_count: int
    stated_self_count_intro: int
    intro_vendor_names: list[str] | None  # the vendors named in the intro's parenthesis, if any
    vnpt_count: int
    vnpt_total: int
    vnpt_pct: float
    vnpt_line: int
    stated_others_count: int | None  # "tại 13 tỉnh, thành phố còn lại"
    others_line: int | None
    listings: list[VendorListing]


def _split_section_11(report: RawReport) -> list[tuple[str, str, int, int]]:
    """(letter, heading text, heading line, last line) of each subsection of 1.1."""
    start = next((n for n, line in enumerate(report.lines, 1) if _SECTION_11_RE.match(line)), None)
    if start is None:
        raise report.error(len(report.lines), "section '1.1. Hiện trạng Doanh nghiệp thực hiện'")
    end = next((n for n in range(start + 1, len(report.lines) + 1) if _SECTION_12_RE.match(report.lines[n - 1])), None)
    if end is None:
        raise report.error(len(report.lines), "section '1.2.' after section 1.1")
    headings = []
    for number in range(start + 1, end):
        m = _SUBSECTION_RE.match(report.lines[number - 1])
        if m:
            headings.append((m.group(1), m.group(2), number))
    out = []
    for i, (letter, text, number) in enumerate(headings):
        last = headings[i + 1][2] - 1 if i + 1 < len(headings) else end - 1
        out.append((letter, text, number, last))
    return out


def _system_of_heading(report: RawReport, heading: str, line: int) -> str:
    key = fold(heading)
    systems = [system for needle, system in _HEADING_SYSTEMS if needle in key]
    if len(systems) != 1:
        raise report.error(line, "a subsection heading naming one of the five systems", heading)
    return systems[0]


_VNPT_EXPECTED = "the VNPT count 'Tập đoàn … (VNPT): N/34 tỉnh, thành phố'"


def _parse_subsection(report: RawReport, letter: str, heading: str, first: int, last: int) -> SystemSummary:
    system = _system_of_heading(report, heading, first)
    items: list[_Item] = []
    current: _Item | None = None
    for number in range(first + 1, last + 1):
        line = report.lines[number - 1]
        if not line.strip():
            continue
        if current is None or _ITEM_START_RE.match(line):
            current = _Item(number)
            items.append(current)
        current.add(number, line)
    if not items:
        raise report.error(first, f"the intro and vendor list of subsection {letter})", heading)

    intro = items[0]
    m = _INTRO_RE.match(intro.text)
    if not m:
        expected = "an intro 'Toàn quốc có NN … và N tỉnh tự triển khai thực hiện, cụ thể:'"
        raise report.error(intro.first_line, expected, intro.text)
    stated_vendor_count = int_at(report, m.group("vendors"), intro.first_line)
    stated_self_intro = int_at(report, m.group("self"), intro.first_line)
    names_m = _INTRO_VENDOR_LIST_RE.search(intro.text)
    intro_vendor_names = None
    if names_m:
        intro_vendor_names = [
            _vendor_short_name(report, name.strip(), intro.line_at(names_m.start("names")))
            for name in names_m.group("names").split(",")
        ]

    vnpt: tuple[int, int, float, int] | None = None
    others_count: int | None = None
    others_line: int | None = None
    listings: list[VendorListing] = []
    for item in items[1:]:
        text = item.text
        if m := _VNPT_RE.match(text):
            if vnpt is not None:
                raise report.error(item.first_line, "one VNPT count per subsection", text)
            if _vendor_short_name(report, m.group("company"), item.first_line) != DEFAULT_VENDOR:
                raise report.error(item.first_line, _VNPT_EXPECTED, text)
            vnpt = (
                int_at(report, m.group("count"), item.first_line),
                int_at(report, m.group("total"), item.first_line),
                pct_at(report, m.group("pct") + "%", item.first_line),
                item.first_line,
            )
        elif m := _OTHERS_RE.match(text):
            others_line = item.first_line
            others_count = int_at(report, m.group("count"), item.first_line) if m.group("count") else None
        elif m := _SELF_ITEM_RE.match(text):
            listings.append(
                VendorListing(
                    vendor=SELF_DEVELOPED,
                    company_as_printed="tỉnh tự phát triển",
                    stated_count=int_at(report, m.group("count"), item.first_line),
                    provinces=_provinces_in(report, item, m.start("names"), m.group("names")),
                    line=item.first_line,
                )
            )
        elif m := _VENDOR_ITEM_RE.match(text):
            listings.append(
                VendorListing(
                    vendor=_vendor_short_name(report, m.group("company"), item.first_line),
                    company_as_printed=m.group("company"),
                    stated_count=int_at(report, m.group("count"), item.first_line),
                    provinces=_provinces_in(report, item, m.start("names"), m.group("names")),
                    line=item.first_line,
                )
            )
        else:
            raise report.error(
                item.first_line,
                "a vendor item '- <company>: NN tỉnh (<provinces>)', '- NN tỉnh tự phát triển: …' or the VNPT count",
                text,
            )
    if vnpt is None:
        raise report.error(first, f"{_VNPT_EXPECTED} in subsection {letter})", heading)
    return SystemSummary(
        system=system,
        letter=letter,
        heading_line=first,
        intro=intro.text,
        intro_line=intro.first_line,
        stated_vendor_count=stated_vendor_count,
        stated_self_count_intro=stated_self_intro,
        intro_vendor_names=intro_vendor_names,
        vnpt_count=vnpt[0],
        vnpt_total=vnpt[1],
        vnpt_pct=vnpt[2],
        vnpt_line=vnpt[3],
        stated_others_count=others_count,
        others_line=others_line,
        listings=listings,
    )


def parse_section_11(report: RawReport) -> list[SystemSummary]:
    """The five subsections of 1.1, in document order; each system exactly once."""
    subsections = _split_section_11(report)
    summaries = [_parse_subsection(report, *sub) for sub in subsections]
    seen: dict[str, int] = {}
    for summary in summaries:
        if summary.system in seen:
            expected = "each of the five systems once in section 1.1"
            raise report.error(summary.heading_line, expected, f"{summary.system} again")
        seen[summary.system] = summary.heading_line
    missing = [s for s in SYSTEMS if s not in seen]
    if missing:
        line = subsections[-1][3] if subsections else len(report.lines)
        raise report.error(line, f"a subsection of 1.1 for {SYSTEM_NAMES_VI[missing[0]]}", "none")
    return summaries


def vendor_assignments(summary: SystemSummary, source: str) -> tuple[dict[int, str], list[Finding]]:
    """Province -> vendor for one system; a province listed twice keeps its first listing (Finding)."""
    assigned: dict[int, tuple[str, int]] = {}
    findings = []
    for listing in summary.listings:
        for code, spelling in listing.provinces:
            if code in assigned:
                kept, kept_line = assigned[code]
                findings.append(
                    Finding(
                        source,
                        "province_listed_twice",
                        "warning",
                        f"{SYSTEM_NAMES_VI[summary.system]}: {spelling} is listed under {kept} (line {kept_line}) "
                        f"and again under {listing.vendor} (line {listing.line}); the table keeps the first, {kept}",
                    )
                )
                continue
            assigned[code] = (listing.vendor, listing.line)
    vendors = {p.code: assigned[p.code][0] if p.code in assigned else DEFAULT_VENDOR for p in registry()}
    return vendors, findings


# --------------------------------------------------------------------------- 1.1 cross-checks


def check_vnpt_count(summary: SystemSummary, vendors: dict[int, str], source: str) -> list[Finding]:
    """Stated 'VNPT: N/34' against 34 minus the provinces listed under others; the share against N/34."""
    findings = []
    derived = sum(1 for v in vendors.values() if v == DEFAULT_VENDOR)
    name = SYSTEM_NAMES_VI[summary.system]
    if summary.vnpt_total != TOTAL_PROVINCES:
        findings.append(
            Finding(
                source,
                "vnpt_count_total",
                "warning",
                f"{name}: VNPT count is stated out of {summary.vnpt_total}, not {TOTAL_PROVINCES} (line {summary.vnpt_line})",
            )
        )
    if summary.vnpt_count != derived:
        findings.append(
            Finding(
                source,
                "vnpt_count",
                "warning",
                f"{name}: states VNPT in {summary.vnpt_count}/{summary.vnpt_total} provinces (line {summary.vnpt_line}), "
                f"but {TOTAL_PROVINCES - derived} provinces are listed under other vendors or as self-developed, "
                f"leaving {derived} for VNPT; the table gives VNPT those {derived}",
            )
        )
    exact = 100 * summary.vnpt_count / summary.vnpt_total if summary.vnpt_total else 0.0
    if abs(summary.vnpt_pct - exact) >= 1:
        findings.append(
            Finding(
                source,
                "vnpt_share_pct",
                "warning",
                f"{name}: states VNPT share {summary.vnpt_pct:g}% but {summary.vnpt_count}/{summary.vnpt_total} "
                f"is {exact:.1f}% (line {summary.vnpt_line})",
            )
        )
    return findings


def check_listing_counts(summary: SystemSummary, source: str) -> list[Finding]:
    """'02 tỉnh (Thanh Hoá, Hà Tĩnh)' and '03 tỉnh tự phát triển: …' against the names listed."""
    findings = []
    for listing in summary.listings:
        if listing.stated_count != len(listing.provinces):
            check = "self_developed_count_listed" if listing.vendor == SELF_DEVELOPED else "vendor_province_count"
            findings.append(
                Finding(
                    source,
                    check,
                    "warning",
                    f"{SYSTEM_NAMES_VI[summary.system]}: '{listing.company_as_printed}' is stated for "
                    f"{listing.stated_count} provinces but lists {len(listing.provinces)} "
                    f"({', '.join(s for _, s in listing.provinces)}) (line {listing.line})",
                )
            )
    return findings


def check_intro_counts(summary: SystemSummary, source: str) -> list[Finding]:
    """The intro's vendor count, self-developed count and vendor names against the items below it."""
    findings = []
    name = SYSTEM_NAMES_VI[summary.system]
    vendors = [DEFAULT_VENDOR] + [l.vendor for l in summary.listings if l.vendor != SELF_DEVELOPED]
    distinct = list(dict.fromkeys(vendors))
    if summary.stated_vendor_count != len(distinct):
        findings.append(
            Finding(
                source,
                "vendor_count_stated",
                "warning",
                f"{name}: the intro says {summary.stated_vendor_count} companies (line {summary.intro_line}) "
                f"but the items list {len(distinct)} ({', '.join(distinct)})",
            )
        )
    listed_self = sum(len(l.provinces) for l in summary.listings if l.vendor == SELF_DEVELOPED)
    if summary.stated_self_count_intro != listed_self:
        findings.append(
            Finding(
                source,
                "self_developed_count_intro",
                "warning",
                f"{name}: the intro says {summary.stated_self_count_intro} provinces deploy it themselves "
                f"(line {summary.intro_line}) but {listed_self} are listed as self-developed",
            )
        )
    if summary.intro_vendor_names is not None and set(summary.intro_vendor_names) != set(distinct):
        findings.append(
            Finding(
                source,
                "intro_vendor_names",
                "warning",
                f"{name}: the intro names {', '.join(summary.intro_vendor_names)} (line {summary.intro_line}) "
                f"but the items list {', '.join(distinct)}",
            )
        )
    if summary.system != "tthc" and "giải quyết thủ tục hành chính" in summary.intro:
        findings.append(
            Finding(
                source,
                "intro_names_other_system",
                "info",
                f"{name}: the intro (line {summary.intro_line}) speaks of the administrative-procedure system "
                "('giải quyết thủ tục hành chính'), copied from subsection a); its counts are read as this system's",
            )
        )
    return findings


def check_others_count(summary: SystemSummary, vendors: dict[int, str], source: str) -> list[Finding]:
    """'Các đơn vị khác … tại 13 tỉnh, thành phố còn lại' against the provinces listed under others."""
    if summary.stated_others_count is None:
        return []
    listed = sum(1 for v in vendors.values() if v != DEFAULT_VENDOR)
    if summary.stated_others_count == listed:
        return []
    return [
        Finding(
            source,
            "other_vendors_province_count",
            "warning",
            f"{SYSTEM_NAMES_VI[summary.system]}: says the other vendors serve {summary.stated_others_count} "
            f"remaining provinces (line {summary.others_line}) but {listed} are listed (other vendors and self-developed); "
            f"34 − stated VNPT {summary.vnpt_count} = {summary.vnpt_total - summary.vnpt_count}",
        )
    ]


# --------------------------------------------------------------------------- appendix


@dataclass
class AppendixRow:
    province_code: int
    province_as_printed: str
    system: str
    vendor: str
    vendor_as_printed: str | None
    merged_cell: bool
    line: int


def _match_vendor_phrase(words: list[str]) -> tuple[str, int] | None:
    """(vendor value, number of words) of the longest vendor phrase the words start with."""
    folded: list[str] = []
    word_index: list[int] = []  # folded token -> index of the printed word it came from
    for i, word in enumerate(words):
        for token in fold(word).split():
            folded.append(token)
            word_index.append(i)
        if len(folded) > 12:
            break
    for phrase in _APPENDIX_PHRASES_LONGEST_FIRST:
        if tuple(folded[: len(phrase)]) == phrase:
            return APPENDIX_VENDOR_PHRASES[phrase], word_index[len(phrase) - 1] + 1
    return None


def _could_start_vendor(text: str) -> bool:
    """True if text starts a vendor phrase or is the beginning of one (a label's trailing text)."""
    tokens = tuple(fold(text).split())
    if not tokens:
        return False
    for phrase in APPENDIX_VENDOR_PHRASES:
        n = min(len(tokens), len(phrase))
        if tokens[:n] == phrase[:n]:
            return True
    return False


def _label_at(report: RawReport, folded: dict[int, str], number: int, last: int) -> tuple[str, int, str] | None:
    """(system, last label line, trailing text) if a system label starts at line ``number``.

    ``folded`` maps line numbers to their fold()ed text (computed once per appendix).
    """
    for parts, system in _APPENDIX_LABELS:
        end = number + len(parts) - 1
        if end > last:
            continue
        lines = [folded[n] for n in range(number, end + 1)]
        if any(lines[i] != parts[i] for i in range(len(parts) - 1)):
            continue
        final = lines[-1]
        if final == parts[-1]:
            return system, end, ""
        if final.startswith(parts[-1] + " "):
            printed = report.lines[end - 1].strip()
            # the printed text after the label's last words (same number of words)
            trailing = " ".join(printed.split()[len(parts[-1].split()) :])
            if _could_start_vendor(trailing):
                return system, end, trailing
    return None


def _find_appendix(report: RawReport) -> tuple[int, int] | None:
    """(first line after the header, last line) of the appendix table, or None if there is none."""
    heading = next((n for n, line in enumerate(report.lines, 1) if _APPENDIX_HEADING_RE.match(line)), None)
    if heading is None:
        return None
    stt = next((n for n in range(heading + 1, len(report.lines) + 1) if _APPENDIX_STT_RE.match(report.lines[n - 1])), None)
    if stt is None:
        raise report.error(heading, "the appendix table header starting 'STT'", report.lines[heading - 1].strip())
    return stt + 1, len(report.lines)


def parse_appendix(report: RawReport, first: int, last: int, source: str) -> tuple[list[AppendixRow], list[Finding]]:
    """The appendix rows (province × system); see the module docstring for the rules."""
    findings: list[Finding] = []
    rows: list[AppendixRow] = []
    expected_stt = 1
    # Walk the lines once, cutting them into province blocks and, inside, label + cell text.
    blocks: list[dict] = []
    header = _Item(first)
    folded = {n: fold(report.lines[n - 1]) for n in range(first, last + 1)}
    number = first
    while number <= last:
        line = report.lines[number - 1]
        m = _ROW_START_RE.match(line)
        if m and int(m.group(1)) == expected_stt and expected_stt <= TOTAL_PROVINCES:
            blocks.append({"stt": expected_stt, "line": number, "name": _Item(number), "cells": []})
            if m.group(2):
                blocks[-1]["name"].add(number, m.group(2))
            expected_stt += 1
            number += 1
            continue
        label = _label_at(report, folded, number, last) if blocks else None
        if label:
            system, end, trailing = label
            cell = _Item(end)
            cell.add(end, trailing)
            blocks[-1]["cells"].append((system, number, cell))
            number = end + 1
            continue
        if not blocks:
            header.add(number, line)
        elif blocks[-1]["cells"]:
            blocks[-1]["cells"][-1][2].add(number, line)
        else:
            blocks[-1]["name"].add(number, line)
        number += 1
    if "doanh nghiep trien khai" not in fold(header.text):
        raise report.error(first, "the appendix header naming the column 'Doanh nghiệp triển khai'", header.text or None)
    if expected_stt != TOTAL_PROVINCES + 1:
        # name the last row found: the missing one should follow it
        line = blocks[-1]["line"] if blocks else first
        raise report.error(
            line, f"appendix row {expected_stt} after this row (rows 1–{TOTAL_PROVINCES} in order)", "no such row"
        )

    seen_codes: dict[int, int] = {}
    for block in blocks:
        name_item: _Item = block["name"]
        nm = _PROVINCE_CELL_RE.match(name_item.text)
        if not nm:
            raise report.error(block["line"], "a province name after the row number", name_item.text or None)
        code = code_at(report, nm.group("name"), name_item.line_at(0))
        if code in seen_codes:
            found = f"{name_item.text} again (row at line {seen_codes[code]})"
            raise report.error(block["line"], "each province once in the appendix", found)
        seen_codes[code] = block["line"]
        if not block["cells"]:
            raise report.error(block["line"], f"system rows for {name_item.text}", "none")
        systems_seen: dict[str, AppendixRow] = {}
        previous_vendor: str | None = None
        for system, label_line, cell in block["cells"]:
            words = cell.text.split()
            matched = _match_vendor_phrase(words)
            if matched:
                vendor, n_words = matched
                printed: str | None = " ".join(words[:n_words])
                merged = False
            else:
                if previous_vendor is None:
                    expected = f"a vendor for the first system row of {name_item.text}"
                    raise report.error(label_line, expected, cell.text or "an empty cell")
                vendor, printed, merged = previous_vendor, None, True
            previous_vendor = vendor
            row = AppendixRow(code, name_item.text, system, vendor, printed, merged, label_line)
            if system in systems_seen:
                kept = systems_seen[system]
                findings.append(
                    Finding(
                        source,
                        "appendix_duplicate_system",
                        "warning",
                        f"{name_item.text}: {SYSTEM_NAMES_VI[system]} appears twice (lines {kept.line} and {label_line}, "
                        f"vendors {kept.vendor} and {vendor}); the first is kept",
                    )
                )
                continue
            systems_seen[system] = row
            rows.append(row)
        for system in SYSTEMS:
            if system not in systems_seen:
                findings.append(
                    Finding(
                        source,
                        "appendix_missing_system",
                        "warning",
                        f"{name_item.text} (row at line {block['line']}): no {SYSTEM_NAMES_VI[system]} row",
                    )
                )
    return rows, findings


def check_appendix_against_section_11(
    rows: list[AppendixRow], vendors: dict[tuple[int, str], str], source: str
) -> list[Finding]:
    """Every appendix vendor that differs from section 1.1."""
    findings = []
    for row in rows:
        main = vendors.get((row.province_code, row.system))
        if main is not None and main != row.vendor:
            if row.vendor_as_printed:
                printed = f"'{row.vendor_as_printed}'"
            else:
                printed = f"{row.vendor} (merged cell from the row above)"
            findings.append(
                Finding(
                    source,
                    "appendix_vendor_differs",
                    "warning",
                    f"{by_code(row.province_code).short_name}, {SYSTEM_NAMES_VI[row.system]}: section 1.1 gives {main}, "
                    f"the appendix (line {row.line}) {printed}",
                )
            )
    return findings


# --------------------------------------------------------------------------- the report


def _title(report: RawReport) -> str:
    line = next((n for n, text in enumerate(report.lines[:20], 1) if _TITLE_RE.match(text)), None)
    if line is None:
        raise report.error(1, "the title 'Tổng hợp tình hình triển khai 05 Hệ thống thông tin quan trọng'")
    heading = report.lines[line - 2].strip() if line >= 2 else ""
    title = report.lines[line - 1].strip()
    return f"{heading} {title}".strip()


def check_undated(report: RawReport, source: str) -> list[Finding]:
    """The document has no date: say so, with the latest document it cites as a lower bound."""
    detail = "The document carries no date; report_date is left empty."
    cited = latest_cited_document(report)
    if cited:
        number, _, date = cited
        detail += f" The latest document it cites is {number} of {date}, so it was written on or after that day."
    return [Finding(source, "report_undated", "info", detail)]


# --------------------------------------------------------------------------- one vendor, two sections


def named_provinces_11(summaries: list[SystemSummary]) -> dict[str, dict[int, int]]:
    """vendor -> {province code: first line} as section 1.1 names them (VNPT is named with a
    count only, and 'self-developed' is no vendor: neither is here)."""
    out: dict[str, dict[int, int]] = {}
    for summary in summaries:
        for listing in summary.listings:
            if listing.vendor == SELF_DEVELOPED:
                continue
            for code, _ in listing.provinces:
                out.setdefault(listing.vendor, {}).setdefault(code, listing.line)
    return out


def named_provinces_appendix(rows: list[AppendixRow]) -> dict[str, dict[int, int]]:
    """vendor -> {province code: first line} as the appendix prints them: only cells that
    print a vendor (a merged cell repeats the row above, the document does not name it
    again); a cell naming two parties ('VNPT và … Hapro') names each."""
    out: dict[str, dict[int, int]] = {}
    for row in rows:
        if row.vendor_as_printed is None:
            continue
        for vendor in row.vendor.split(" + "):
            if vendor in _NOT_A_VENDOR:
                continue
            out.setdefault(vendor, {}).setdefault(row.province_code, row.line)
    return out


_NOT_A_VENDOR = {SELF_DEVELOPED, "Sở KHCN"}

_COMMITMENTS_RE = re.compile(r"^\s*3\.1\.2\.?\s+Doanh nghiệp cam kết")
_NUMBERED_HEADING_RE = re.compile(r"^\s*\d+(?:\.\d+)*\.?\s+\S")
_COMMITMENT_ITEM_RE = re.compile(r"^-\s*(?P<vendor>[^:]{1,60}?)\s*:\s*(?P<text>.*)$")
_MAX_NAME_WORDS = 4  # the longest province spelling in running text ('Bà Rịa - Vũng Tàu' folds to 4 words)


@lru_cache(maxsize=1)
def _province_spellings() -> dict[str, int]:
    """Folded spelling -> code, for finding province names in running text: the 34 names
    (short and official), their aliases and the 63 former provinces (merged into the 34)."""
    spellings = {name_key(p.short_name): p.code for p in registry()}
    spellings.update({name_key(p.name): p.code for p in registry()})
    spellings.update({name_key(n): c for n, c in ALIASES.items()})
    for name, code in former_names().items():
        spellings.setdefault(name_key(name), code)
    spellings.pop("", None)
    return spellings


def provinces_in_text(text: str) -> list[tuple[int, int]]:
    """(code, offset in ``text``) of each province named in running text, in order, each code
    once; the longest spelling wins ('Đà Nẵng' before a shorter one), and a former province
    counts as the one it merged into ('cán bộ Quảng Nam' is Đà Nẵng)."""
    # each word folded on its own (name_key would drop a word 'Tĩnh' as a 'Tỉnh' prefix)
    tokens = [(m.start(), fold(m.group())) for m in re.finditer(r"\S+", text)]
    tokens = [(offset, key) for offset, key in tokens if key]
    spellings = _province_spellings()
    found: dict[int, int] = {}
    i = 0
    while i < len(tokens):
        for n in range(min(_MAX_NAME_WORDS, len(tokens) - i), 0, -1):
            code = spellings.get(" ".join(key for _, key in tokens[i : i + n]))
            if code is not None:
                found.setdefault(code, tokens[i][0])
                i += n
                break
        else:
            i += 1
    return list(found.items())


def named_provinces_commitments(report: RawReport) -> dict[str, dict[int, int]] | None:
    """vendor -> {province code: line} as section 3.1.2 (the companies' commitments) names
    them in its items '- <vendor>: <text>' (None if there is no such section). An item whose
    name is no known vendor (VENDOR_SHORT_NAMES, or a phrase of the appendix) is skipped:
    nothing to compare it with."""
    start = next((n for n, line in enumerate(report.lines, 1) if _COMMITMENTS_RE.match(line)), None)
    if start is None:
        return None
    items: list[_Item] = []
    for number in range(start + 1, len(report.lines) + 1):
        line = report.lines[number - 1]
        if _NUMBERED_HEADING_RE.match(line):
            break
        if not line.strip():
            continue
        if line.lstrip().startswith("-"):
            items.append(_Item(number))
        if items:
            items[-1].add(number, line)
    out: dict[str, dict[int, int]] = {}
    for item in items:
        m = _COMMITMENT_ITEM_RE.match(item.text)
        if not m:
            continue
        vendor = VENDOR_SHORT_NAMES.get(fold(m.group("vendor"))) or APPENDIX_VENDOR_PHRASES.get(tuple(fold(m.group("vendor")).split()))
        if vendor is None or vendor in _NOT_A_VENDOR:
            continue
        for code, offset in provinces_in_text(m.group("text")):
            out.setdefault(vendor, {}).setdefault(code, item.line_at(m.start("text") + offset))
    return out


# The sections compared, as the details name them -> as the source (the document part) names them.
SECTION_PARTS_VI = {"section 1.1": "mục 1.1", "section 3.1.2": "mục 3.1.2", "the appendix": "Phụ lục"}


def check_vendor_provinces_across_sections(
    sections: dict[str, dict[str, dict[int, int]]], source: str
) -> list[Finding]:
    """A vendor named with different provinces in two sections: each section names a province
    for it that the other does not. (One section naming an extra province beside the same
    ones is no contradiction of this kind: the per-province differences are
    ``appendix_vendor_differs``.) One finding per vendor and pair of sections."""
    findings = []
    names = list(sections)
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            a, b = sections[first], sections[second]
            for vendor in sorted(set(a) & set(b)):
                only_a = {c: n for c, n in a[vendor].items() if c not in b[vendor]}
                only_b = {c: n for c, n in b[vendor].items() if c not in a[vendor]}
                if not only_a or not only_b:
                    continue

                def named(where: dict[int, int]) -> str:
                    return ", ".join(f"{by_code(c).short_name} (line {n})" for c, n in sorted(where.items(), key=lambda x: x[1]))

                findings.append(
                    Finding(
                        f"{source} {SECTION_PARTS_VI.get(first, first)} và {SECTION_PARTS_VI.get(second, second)}",
                        "vendor_province_differs_between_sections",
                        "warning",
                        f"{vendor}: {first} names {named(only_a)}, {second} names {named(only_b)} for it instead",
                    )
                )
    return findings


def summary_date(report: RawReport) -> dt.date | None:
    """The date the summary prints in its header ('Hà Nội, ngày 1 tháng 7 năm 2025', above the
    title), None for an undated summary (the first one)."""
    title_line = next((n for n, text in enumerate(report.lines[:20], 1) if _TITLE_RE.match(text)), 20)
    found = place_and_date(report, title_line)
    return found[0] if found else None


def parse_vendor_summary(report: RawReport) -> ParsedReport:
    title = _title(report)
    source_11 = f"{report.name} mục 1.1"
    printed = summary_date(report)
    findings: list[Finding] = check_undated(report, report.name) if printed is None else []

    summaries = parse_section_11(report)
    assignment: dict[tuple[int, str], str] = {}
    for summary in summaries:
        vendors, dup_findings = vendor_assignments(summary, source_11)
        findings += check_intro_counts(summary, source_11)
        findings += check_vnpt_count(summary, vendors, source_11)
        findings += check_others_count(summary, vendors, source_11)
        findings += check_listing_counts(summary, source_11)
        findings += dup_findings
        for code, vendor in vendors.items():
            assignment[(code, summary.system)] = vendor

    # every row carries its summary's date: summaries are kept side by side, each briefing
    # reads the latest one dated on or before its own date
    dated = printed.isoformat() if printed else None
    vendor_rows = [
        {"summary_date": dated, "province_code": p.code, "system": system, "vendor": assignment[(p.code, system)]}
        for p in registry()
        for system in SYSTEMS
    ]
    tables = {"vendors": pd.DataFrame(vendor_rows, columns=["summary_date", "province_code", "system", "vendor"])}
    named = {"section 1.1": named_provinces_11(summaries)}
    commitments = named_provinces_commitments(report)
    if commitments is not None:
        named["section 3.1.2"] = commitments

    appendix_span = _find_appendix(report)
    if appendix_span is not None:
        source_appendix = f"{report.name} Phụ lục"
        rows, appendix_findings = parse_appendix(report, *appendix_span, source_appendix)
        findings += appendix_findings
        findings += check_appendix_against_section_11(rows, assignment, source_appendix)
        named["the appendix"] = named_provinces_appendix(rows)
        order = {s: i for i, s in enumerate(SYSTEMS)}
        rows.sort(key=lambda r: (r.province_code, order[r.system]))
        tables["vendors_appendix"] = pd.DataFrame(
            [
                {
                    "summary_date": dated,
                    "province_code": r.province_code,
                    "system": r.system,
                    "vendor": r.vendor,
                    "vendor_as_printed": r.vendor_as_printed,
                    "merged_cell": r.merged_cell,
                    "province_as_printed": r.province_as_printed,
                    "source_line": r.line,
                }
                for r in rows
            ],
            columns=[
                "summary_date", "province_code", "system", "vendor", "vendor_as_printed", "merged_cell", "province_as_printed", "source_line"
            ],
        )
    else:
        findings.append(
            Finding(report.name, "appendix_absent", "info", "No 'PHỤ LỤC' table: vendors_appendix not produced")
        )

    findings += check_vendor_provinces_across_sections(named, report.name)
    findings += check_printed_dates(report, printed)

    return ParsedReport(
        kind=KIND,
        report=report,
        report_date=printed,
        as_of=dated or "",
        title=title,
        tables=tables,
        findings=findings,
    )
