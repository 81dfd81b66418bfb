"""Dates a report prints that cannot be right for that report.

A report speaks of its own day, of days before it (work done, documents cited) and of
deadlines and plans after it. Two kinds of printed date are therefore suspect, and each is
a data-quality finding naming the line, the date as printed and the report's date:

* ``date_after_report_year``: a date in a *later year* than the report (``chậm nhất
  24/6/2026`` in a June 2025 report). Checked for every report, dated or not, and even when
  the words before it announce a deadline: a deadline a year after a daily progress report
  is far likelier a typing slip than a plan. Earlier years are not suspect (a report cites
  older documents: ``Quyết định số 35/2024/QĐ-UBND ngày 25/7/2024``).
* ``date_after_report_date``: a date after the report's own date, in its year, that the
  words just before it do not present as a deadline or a plan (``trước``, ``chậm nhất``,
  ``thời hạn``, ``từ``, ``đến``, ``dự kiến``, …; see ``FORWARD_WORDS``). Only for dated
  reports: an undated report has at most a lower bound for its date (the latest document it
  cites), and a date after a lower bound proves nothing.

For an undated report the report's year is that of the latest document it cites
(``<number> ngày d/m/yyyy``); with no cited document it has no year and no date is checked.

Dates are read as ``d/m/yyyy`` or ``d.m.yyyy`` (``24.6.2025``), with an optional day range
(``14-15/6/2026``: the range is kept in the date as printed, the check uses its last day).
A day/month pair that is no calendar date is not a date (``35/2024/QĐ`` is a document number).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from helpers.ingest.parsers.base import Finding
from helpers.ingest.rawtext import RawReport

# d/m/yyyy or d.m.yyyy (one separator throughout), optionally a day range 'd-d/m/yyyy';
# not inside a longer number ('2.321.2025' or '1/2025/QĐ' are no dates).
_DATE_RE = re.compile(
    r"(?<![\d./-])(?P<printed>(?:(?P<first>\d{1,2})\s*[-–]\s*)?(?P<day>\d{1,2})(?P<sep>[/.])(?P<month>\d{1,2})(?P=sep)(?P<year>\d{4}))(?![\d/])"
)
# "<number with a slash> ngày d/m/yyyy": a document the report cites, dated.
_CITED_RE = re.compile(r"(?<![\w/])(?P<number>\d+(?:/[\w-]+)+)\s+ngày\s+(?P<date>\d{1,2}/\d{1,2}/\d{4})")
_SPACES_RE = re.compile(r"\s+")

# Words that announce a deadline or a plan when they stand shortly before a date (folded:
# lower case, no diacritics). Dates after a dated report's own day are expected after them.
FORWARD_WORDS = (
    "truoc", "cham nhat", "muon nhat", "thoi han", "han", "tu", "den", "toi", "du kien", "se", "bat dau", "sau",
)  # not 'kế hoạch': 'Kế hoạch số 02 ngày 19/6/2025' dates the plan itself
_CONTEXT_CHARS = 40  # how far before a date its announcing words are looked for


@dataclass(frozen=True)
class PrintedDate:
    line: int
    printed: str  # as printed, e.g. '14-15/6/2026' or '24.6.2025'
    date: dt.date  # the (last) day it names
    before: str  # the folded words just before it (same or previous line)


def _fold(text: str) -> str:
    import unicodedata

    text = text.replace("Đ", "D").replace("đ", "d")
    text = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return _SPACES_RE.sub(" ", re.sub(r"[^a-z0-9]+", " ", text)).strip()


def printed_dates(report: RawReport) -> list[PrintedDate]:
    """Every calendar date the report prints, in line order."""
    out = []
    previous = ""
    for number, line in enumerate(report.lines, start=1):
        for m in _DATE_RE.finditer(line):
            try:
                date = dt.date(int(m.group("year")), int(m.group("month")), int(m.group("day")))
            except ValueError:
                continue
            if m.group("first") and not 1 <= int(m.group("first")) < date.day:
                continue
            before = (previous + " " + line[: m.start()])[-_CONTEXT_CHARS:]
            out.append(PrintedDate(number, m.group("printed"), date, _fold(before)))
        previous = line
    return out


def latest_cited_document(report: RawReport) -> tuple[str, dt.date, str] | None:
    """(number, date, date as printed) of the latest dated document the report cites, if any."""
    cited = []
    for m in _CITED_RE.finditer(_SPACES_RE.sub(" ", report.text)):
        day, month, year = (int(x) for x in m.group("date").split("/"))
        try:
            cited.append((dt.date(year, month, day), m.group("number"), m.group("date")))
        except ValueError:
            continue
    if not cited:
        return None
    date, number, printed = max(cited)
    return number, date, printed


# The place-and-date line of an administrative document's header: 'Hà Nội, ngày 1 tháng 7 năm 2025'.
PLACE_DATE_RE = re.compile(r"^\s*[^,\d]+, ngày (\d{1,2}) tháng (\d{1,2}) năm (\d{4})\s*$")


def place_and_date(report: RawReport, within: int) -> tuple[dt.date, int] | None:
    """(date, line) of the place-and-date line among the first ``within`` lines, None if
    there is none; a line of that form naming no calendar day is refused (InputError)."""
    for number, line in enumerate(report.lines[:within], 1):
        m = PLACE_DATE_RE.match(line)
        if m:
            try:
                return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1))), number
            except ValueError:
                raise report.error(number, "a valid date", line.strip()) from None
    return None


def _announced(before: str) -> bool:
    """Whether the words just before a date announce a deadline or a plan."""
    words = f" {before} "
    return any(f" {w} " in words for w in FORWARD_WORDS)


def vn(date: dt.date) -> str:
    return f"{date.day}/{date.month}/{date.year}"


def check_printed_dates(report: RawReport, report_date: dt.date | None) -> list[Finding]:
    """The suspect dates of ``report`` (see the module docstring), one finding each."""
    if report_date is not None:
        year = report_date.year
        stated = f"the report is dated {vn(report_date)}"
    else:
        cited = latest_cited_document(report)
        if cited is None:
            return []
        number, lower_bound, printed = cited
        year = lower_bound.year
        stated = f"the report is undated, written on or after {printed} (the latest document it cites, {number})"
    findings = []
    for d in printed_dates(report):
        source = f"{report.name} dòng {d.line}"
        if d.date.year > year:
            findings.append(
                Finding(source, "date_after_report_year", "warning", f"line {d.line} prints '{d.printed}', a date in {d.date.year}, after the report's year {year}: {stated}")
            )
        elif report_date is not None and d.date > report_date and not _announced(d.before):
            findings.append(
                Finding(source, "date_after_report_date", "warning", f"line {d.line} prints '{d.printed}', after the report's own date and not as a deadline or plan: {stated}")
            )
    return findings
