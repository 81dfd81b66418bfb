"""Parser for the Central Steering Committee standing office report on Plan 02-KH/BCĐTW.

Layout of the source (``plan02_report_2025-09-22.txt``, a PDF text extract; blank lines
separate most lines, page breaks repeat table headers, some page numbers stand alone):

* Heading: ``BÁO CÁO`` / ``Về tình hình, kết quả triển khai Kế hoạch số 02-KH/BCĐTW`` /
  ``(Tổng hợp, đối chiếu thông tin đến 16h00 ngày 22/9/2025)``. A footnote at the end of
  the body restricts distribution (``Báo cáo này không đăng tải trên báo, đài ...``).
* Body (up to ``PHỤ LỤC``), sections I–III in running text. Key figures are read from it
  by the sentence patterns in :func:`parse_body_figures` (every pattern must be found).
  Section II is a small table of overdue task groups: ``TT`` alone on a line, the group
  title wrapped over lines, the count (``04``), the units, and ``Phụ lục 2``. A receipt
  stamp of the Hải Phòng office (``VĂN PHÒNG UBND TP HẢI PHÒNG`` ...) sits inside
  section I; no pattern reads it.
* Appendix 1: ``STT Tỉnh / Thành phố Tiến độ nhiệm vụ Ghi chú``, rows ``1 TP. Hồ Chí Minh 17/17 SẴN SÀNG (XANH)``.
* Appendices 2, 3, 7: task lists (see :func:`parse_overdue_tasks`, :func:`parse_due_tasks`,
  :func:`parse_standing_tasks` for their three different layouts).
* Appendix 4: ``STT Tỉnh/thành phố Số xã XANH VÀNG ĐỎ`` + a header wrapped over lines, then
  one row per province with 5 counts and 3 percentages (``1 Cao Bằng 56 6 32 18 56 100% 10,71% 0%``).
* Appendix 5: a header wrapped one word-group per line (``Tổng`` / ``số xã`` / ``% xã đã`` /
  ``phổ biến`` ...), repeated on the page break; each indicator starts at ``% xã đã``. Rows
  carry the commune count and 16 percentages without ``%``; a row may wrap its name
  (``15`` / ``TP. Hồ Chí`` / ``Minh`` / ``168 100 ...``).
* Appendix 8: three tables of dossiers on the National Public Service Portal: ``I.`` the
  day (all levels, with the June daily average), ``II.`` the day at commune level, ``III.``
  cumulative since 1/7 with province level / commune level / total side by side. Each
  ends with a national ``Tổng`` row, which goes to ``report_figures``, not to ``dossiers``.

Appendices 6 and 9–25 are parsed by :mod:`.plan02_blocs`; this module merges its tables.
Contradictions in the source become :class:`Finding` s from the small ``check_*`` functions.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, field

import pandas as pd

from helpers.ingest.provinces import by_code, lookup
from helpers.ingest.rawtext import RawReport
from helpers.ingest.parsers.base import Finding, ParsedReport, check_pct_range, code_at, frame_of_rows, int_at, pct_at
from helpers.ingest.parsers.plan02_blocs import parse_bloc_appendices
from helpers.ingest.parsers.plan02_sections import Span, split_plan02

KIND = "plan02"

# ---------------------------------------------------------------- patterns

_TITLE_RE = re.compile(r"Kế hoạch số 02-KH/BCĐTW")
_HEADING_WORD_RE = re.compile(r"^\s*BÁO CÁO\s*$")
_AS_OF_RE = re.compile(r"\(Tổng hợp, đối chiếu thông tin đến (\d{1,2})h(\d{2})? ngày (\d{1,2})/(\d{1,2})/(\d{4})\)")
_NOTICE_RE = re.compile(r"^\s*\d*\s*(Báo cáo này không đăng tải[^\n]*?)\s*$")
_ANNEX_NOTE_RE = re.compile(r"^\(Kèm theo Báo cáo số .*ngày\s+(\S*)/(\d{1,2})/(\d{4})")
_SPACES_RE = re.compile(r"\s+")
_LONE_NUMBER_RE = re.compile(r"^\d{1,3}$")
_NUMERIC_TOKEN_RE = re.compile(r"^-?\d[\d.,]*%?$")
_ROW_START_RE = re.compile(r"^\d{1,3}\s+[^\d\s-]")  # row number then a name
_DECIMAL_RE = re.compile(r"^\d{1,3}(?:,\d+)?$")
_VN_DATE_RE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")

_PROGRESS_ROW_RE = re.compile(r"^(\d{1,3})\s+(.+?)\s+(\d+)/(\d+)\s+(\S.*)$")

_GROUP_START_RE = re.compile(r"^I\.\d+\.?\s+Nhóm\b")
_GROUP_RE = re.compile(r"^(?P<label>I\.\d+)\.?\s+(?P<title>Nhóm\s+(?P<roman>[IVX]+)\s*-\s*.+?)\s*\((?P<n>\d+)\s+nhiệm\s+vụ\)$")
_TASK_NO_LINE_RE = re.compile(r"^(\d{1,2})$")
_DUE_TASK_START_RE = re.compile(r"^(\d{1,2})\s+(\S.*)$")
_DUE_TASK_START_STRICT_RE = re.compile(r"^\d{1,2}\s+[(A-ZÀ-ỸĐ]")
_DEADLINE_LINE_RE = re.compile(r"^(\d{1,2}/\d{1,2}/\d{4})\s+(\S.*)$")
# Responsible units start with one of these words (ministries, party and state bodies,
# "all ministries/localities", state groups); provinces are recognised by the registry.
_UNIT_START_RE = re.compile(
    r"^(?:Các (?:bộ|Bộ|địa phương)|Địa phương|Văn phòng|Bộ\s|Ban\s|Tập đoàn|Hội\s|Hội đồng|Tổng Liên đoàn|"
    r"Đảng (?:ủy|uỷ)|Trung ương|(?:Ủy|Uỷ) ban|UBND|To[àa] án|Tòa án|Viện|Đài|EVN)"
)

_BODY_GROUP_ROW_RE = re.compile(r"^(?P<tt>\d+) (?P<group>.+?) (?P<n>\d{2}) (?P<units>.+?),? (?P<appendix>Phụ lục \d+)$")

# Expected table headers (whitespace collapsed): a different header means a different
# layout, which must fail loudly rather than fill the wrong columns.
_HEADER_APPX1 = "STT Tỉnh / Thành phố Tiến độ nhiệm vụ Ghi chú"
_HEADER_APPX2 = "STT Nhiệm vụ cụ thể Đơn vị chưa hoàn thành"
_HEADER_APPX3 = "STT Nhiệm vụ cụ thể Thời hạn hoàn thành Đơn vị thực hiện"
_HEADER_APPX4 = "STT Tỉnh/thành phố Số xã XANH VÀNG ĐỎ Đã báo cáo Đã báo cáo (%) XANH (%) TĂNG/ GIẢM (%)"
_HEADER_APPX5_LEAD = "STT Tỉnh/thành phố Tổng số xã"
_HEADER_APPX7 = "STT Nội dung nhiệm vụ Đơn vị thực hiện Thời hạn hoàn thành Đơn vị đang tiến hành"
_HEADER_APPX8_DAY = "STT Tên cơ quan Trực tiếp Trực tuyến Đã trả Tổng Tỉ lệ hồ sơ trực tuyến Trung bình ngày tháng 6"
_HEADER_APPX8_COMMUNE = "STT Tên cơ quan Trực tiếp Trực tuyến Đã trả Tổng Tỉ lệ hồ sơ trực tuyến"
_HEADER_APPX8_CUMULATIVE = (
    "STT Tên cơ quan Trực tiếp Trực tuyến Đã trả Tổng Tỉ lệ hồ sơ trực tuyến "
    "Tỉnh Xã Tổng Tỉnh Xã Tổng Tỉnh Xã Tổng Tỉnh Xã Tổng Tỉnh Xã Tổng"
)
_HEADER_BODY_GROUPS = "TT Nhóm nhiệm vụ Số nhiệm vụ Đơn vị chưa hoàn thành Phụ lục"
_INDICATOR_MARK = "% xã đã"
_READINESS_TITLE_RE = re.compile(r"^Thông tin hiện trạng tại ([\d.]+) xã, phường")

_APPX8_DAY_RE = re.compile(r"TRONG NGÀY (\d{1,2}/\d{1,2}/\d{4})")
_APPX8_SECTION_RE = {
    "I": re.compile(r"^I\.\s+Tình hình tiếp nhận"),
    "II": re.compile(r"^II\.\s+Hồ sơ nộp ở UBND cấp xã"),
    "III": re.compile(r"^III\.\s+Tình hình tiếp nhận .*từ ngày (\d{1,2}/\d{1,2}/\d{4})\s*[–-]\s*đến ngày (\d{1,2}/\d{1,2}/\d{4})"),
}
_TOTAL_ROW_RE = re.compile(r"^Tổng\s+(.*)$")

PROVINCES_EXPECTED = 34
RATE_TOLERANCE = 0.005 + 1e-6  # a percentage printed with 2 decimals is within half a unit of the last digit
TRUNCATION_TOLERANCE = 0.01 + 1e-6  # ... or within one unit if the source cut the digits off

# ---------------------------------------------------------------- small helpers


def _norm(text: str) -> str:
    """Single spaces, none at either end (``_SPACES_RE.sub(" ", text).strip()``: str.split
    and the regex's \\s agree on what whitespace is, and splitting is faster)."""
    return " ".join(text.split())


def _date_at(report: RawReport, text: str, line: int) -> dt.date:
    m = _VN_DATE_RE.search(text)
    if not m:
        raise report.error(line, "a date d/m/yyyy", text.strip())
    day, month, year = (int(g) for g in m.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise report.error(line, "a valid date d/m/yyyy", m.group(0)) from None


def _decimal_at(report: RawReport, token: str, line: int) -> float:
    if not _DECIMAL_RE.match(token):
        raise report.error(line, "a percentage without % like 96,08", token)
    value = float(token.replace(",", "."))
    check_pct_range(report, value, token, line)
    return value


def _nonblank(report: RawReport, span: Span) -> list[tuple[int, str]]:
    """(line number, stripped text) of the span's non-blank lines."""
    return [(n, line.strip()) for n, line in span.lines(report) if line.strip()]


def _appendix_source(appendix: int) -> str:
    return f"Phụ lục {appendix}"


@dataclass
class _Row:
    """One province row of a table: its number, name, value tokens and where they were read."""

    line: int  # line of the row number / name
    value_line: int  # line holding the values (differs when the name wraps)
    number: int | None
    name: str
    values: list[str]


def _find_header(report: RawReport, lines: list[tuple[int, str]], start: int, prefix: str, what: str) -> int:
    """Index in ``lines`` of the first line starting with ``prefix`` at or after ``start``."""
    for index in range(start, len(lines)):
        if lines[index][1].startswith(prefix):
            return index
    line = lines[start][0] if start < len(lines) else (lines[-1][0] if lines else 1)
    raise report.error(line, what, lines[start][1] if start < len(lines) else "end of section")


def _read_header(lines: list[tuple[int, str]], index: int) -> tuple[str, int]:
    """Join a wrapped header from ``lines[index]`` up to (not including) the first line that starts with a digit."""
    parts = [lines[index][1]]
    index += 1
    while index < len(lines) and not lines[index][1][:1].isdigit():
        parts.append(lines[index][1])
        index += 1
    return _norm(" ".join(parts)), index


def _check_header(report: RawReport, line: int, found: str, expected: str) -> None:
    if found != expected:
        raise report.error(line, f"the table header '{expected}'", found)


def _read_province_rows(
    report: RawReport,
    lines: list[tuple[int, str]],
    index: int,
    n_values: int,
    header: str,
    *,
    expected_rows: int = PROVINCES_EXPECTED,
    total_row: bool = False,
    stop: re.Pattern | None = None,
) -> tuple[list[_Row], _Row | None, int]:
    """Read numbered province rows ``1 <name> v1 .. vN`` from ``lines[index:]``.

    Handles a name wrapped over lines (the row number alone on a line, the name, then the
    values), headers repeated on a page break (must equal ``header``), lone page numbers
    after the last row, and an optional ``Tổng`` row. Stops at ``stop`` or at the end.
    Returns (rows, total row or None, index of the first line not read).
    """
    rows: list[_Row] = []
    total: _Row | None = None
    while index < len(lines):
        number, text = lines[index]
        if stop is not None and stop.search(text):
            break
        if text.startswith("STT"):
            repeated, index = _read_header(lines, index)
            if repeated != header:
                raise report.error(number, f"the repeated table header '{header}'", repeated)
            continue
        if total_row and text.startswith("Tổng"):
            m = _TOTAL_ROW_RE.match(text)
            values = m.group(1).split() if m else []
            if len(values) != n_values:
                raise report.error(number, f"a 'Tổng' row with {n_values} values", text)
            total = _Row(number, number, None, "Tổng", values)
            index += 1
            continue
        expected_number = len(rows) + 1
        if _LONE_NUMBER_RE.match(text) and int(text) != expected_number:
            # A page number: only acceptable between rows, i.e. before a repeated header,
            # the total row, the end of the table or of the section.
            after = lines[index + 1][1] if index + 1 < len(lines) else ""
            if not after or after.startswith(("STT", "Tổng")) or (stop is not None and stop.search(after)) or len(rows) == expected_rows:
                index += 1
                continue
            raise report.error(number, f"row {expected_number}", text)
        if not text[:1].isdigit():
            raise report.error(number, f"row {expected_number} ('{expected_number} <province> <{n_values} values>')", text)
        tokens = text.split()
        row_number = int(tokens[0]) if tokens[0].isdigit() else None
        if row_number != expected_number:
            raise report.error(number, f"row {expected_number}", text)
        name_tokens: list[str] = []
        values: list[str] = []
        value_line = number
        for token in tokens[1:]:
            (values if values or _NUMERIC_TOKEN_RE.match(token) else name_tokens).append(token)
        index += 1
        # A wrapped row: keep joining lines until the values are complete.
        while len(values) < n_values and index < len(lines):
            next_number, next_text = lines[index]
            if _ROW_START_RE.match(next_text) or next_text.startswith(("STT", "Tổng")) or (stop is not None and stop.search(next_text)):
                break
            for token in next_text.split():
                (values if values or _NUMERIC_TOKEN_RE.match(token) else name_tokens).append(token)
            value_line = next_number
            index += 1
        if not name_tokens or len(values) != n_values:
            raise report.error(value_line, f"row {expected_number} with a province name and {n_values} values", text if value_line == number else next_text)
        rows.append(_Row(number, value_line, row_number, " ".join(name_tokens), values))
    if len(rows) != expected_rows:
        last = lines[min(index, len(lines)) - 1][0] if lines else 1
        raise report.error(last, f"{expected_rows} province rows", f"{len(rows)} rows")
    return rows, total, index


def _codes_unique(report: RawReport, rows: list[_Row]) -> list[int]:
    codes, seen = [], {}
    for row in rows:
        code = code_at(report, row.name, row.line)
        if code in seen:
            raise report.error(row.line, f"each province once (already on line {seen[code]})", row.name)
        seen[code] = row.line
        codes.append(code)
    return codes


# ---------------------------------------------------------------- heading, detection


def detect(report: RawReport) -> bool:
    """A plan-02 report titles itself 'BÁO CÁO' + 'Về tình hình, kết quả triển khai Kế hoạch số 02-KH/BCĐTW'."""
    head = [line for line in report.lines[:12] if line.strip()]
    return bool(head) and bool(_HEADING_WORD_RE.match(head[0])) and any(_TITLE_RE.search(line) for line in head[1:4])


def parse_heading(report: RawReport) -> tuple[str, dt.date, str, str]:
    """(title, report date, as-of timestamp, distribution notice) from the heading and footnote."""
    head = [(n, line.strip()) for n, line in enumerate(report.lines[:12], 1) if line.strip()]
    if not head or not _HEADING_WORD_RE.match(head[0][1]):
        raise report.error(head[0][0] if head else 1, "the heading 'BÁO CÁO'", head[0][1] if head else None)
    title_line = next(((n, t) for n, t in head[1:4] if _TITLE_RE.search(t)), None)
    if title_line is None:
        raise report.error(head[1][0] if len(head) > 1 else 1, "a title naming 'Kế hoạch số 02-KH/BCĐTW'", head[1][1] if len(head) > 1 else None)
    title = f"{head[0][1]} {title_line[1]}"
    as_of_match = None
    for n, text in head:
        as_of_match = _AS_OF_RE.search(text)
        if as_of_match:
            as_of_line = n
            break
    if as_of_match is None:
        after_title = next(((n, t) for n, t in head if n > title_line[0]), (title_line[0] + 1, None))
        raise report.error(after_title[0], "'(Tổng hợp, đối chiếu thông tin đến HHhMM ngày d/m/yyyy)' after the title", after_title[1])
    hour, minute, day, month, year = as_of_match.groups()
    try:
        report_date = dt.date(int(year), int(month), int(day))
    except ValueError:
        raise report.error(as_of_line, "a valid date", as_of_match.group(0)) from None
    as_of = f"{report_date.isoformat()}T{int(hour):02d}:{int(minute or 0):02d}"
    notice = ""
    for line in report.lines:
        m = _NOTICE_RE.match(line)
        if m:
            notice = m.group(1).strip()
            break
    return title, report_date, as_of, notice


def check_annex_note(report: RawReport, report_date: dt.date) -> list[Finding]:
    """The appendix note '(Kèm theo Báo cáo số ... ngày /8/2025 ...)' should name the report's month."""
    for number, line in enumerate(report.lines, 1):
        m = _ANNEX_NOTE_RE.match(line.strip())
        if m:
            month, year = int(m.group(2)), int(m.group(3))
            if (year, month) != (report_date.year, report_date.month):
                return [Finding("PHỤ LỤC", "annex_note_date", "info", f"the appendix note (line {number}) dates the report {m.group(1) or '…'}/{month}/{year}, but the report is of {report_date.day}/{report_date.month}/{report_date.year} (template not updated)")]
            return []
    return []


# ---------------------------------------------------------------- appendix 1


def parse_phase2_progress(report: RawReport, span: Span, report_date: str) -> list[dict]:
    """Appendix 1: ``<STT> <province> <done>/<total> <status>`` per province."""
    lines = _nonblank(report, span)
    start = _find_header(report, lines, 0, "STT", "the header of appendix 1")
    _check_header(report, lines[start][0], _norm(lines[start][1]), _HEADER_APPX1)
    rows: list[dict] = []
    seen: dict[int, int] = {}
    for number, text in lines[start + 1 :]:
        if _LONE_NUMBER_RE.match(text) and len(rows) == PROVINCES_EXPECTED:
            continue  # page number after the last row
        m = _PROGRESS_ROW_RE.match(text)
        if not m or int(m.group(1)) != len(rows) + 1:
            raise report.error(number, f"row {len(rows) + 1} '<STT> <province> <done>/<total> <status>'", text)
        code = code_at(report, m.group(2), number)
        if code in seen:
            raise report.error(number, f"each province once (already on line {seen[code]})", m.group(2))
        seen[code] = number
        done, total = int(m.group(3)), int(m.group(4))
        rows.append({"report_date": report_date, "province_code": code, "tasks_done": done, "tasks_total": total, "status": _norm(m.group(5)), "_line": number})
    if len(rows) != PROVINCES_EXPECTED:
        raise report.error(span.end, f"{PROVINCES_EXPECTED} province rows in appendix 1", f"{len(rows)} rows")
    return rows


def check_phase2_progress(rows: list[dict]) -> list[Finding]:
    """Done never exceeds total; a province marked ready (XANH) has done all its tasks."""
    findings = []
    for row in rows:
        if row["tasks_done"] > row["tasks_total"]:
            findings.append(Finding(_appendix_source(1), "tasks_done_exceeds_total", "warning", f"province {row['province_code']} (line {row['_line']}): {row['tasks_done']}/{row['tasks_total']} tasks done"))
        elif "XANH" in row["status"] and row["tasks_done"] != row["tasks_total"]:
            findings.append(Finding(_appendix_source(1), "green_with_tasks_open", "warning", f"province {row['province_code']} (line {row['_line']}) is '{row['status']}' with {row['tasks_done']}/{row['tasks_total']} tasks done"))
    return findings


# ---------------------------------------------------------------- appendices 2, 3, 7 (tasks)


@dataclass
class _Task:
    appendix: int
    line: int
    number: str
    group_label: str | None
    group: str | None
    text_lines: list[str] = field(default_factory=list)
    unit_lines: list[str] = field(default_factory=list)
    progress_lines: list[str] = field(default_factory=list)
    deadline: dt.date | None = None
    deadline_text: str | None = None
    last_line: int = 0


@dataclass
class _Group:
    label: str
    title: str
    roman: str
    stated: int
    line: int
    tasks: int = 0


def _is_unit_start(text: str) -> bool:
    if _UNIT_START_RE.match(text):
        return True
    head = text.split(",")[0].rstrip(". ")
    return lookup(head) is not None


def _read_group(report: RawReport, lines: list[tuple[int, str]], index: int) -> tuple[_Group, int]:
    """A group heading 'I.1. Nhóm I - <title> (N nhiệm vụ)', possibly wrapped over lines."""
    number = lines[index][0]
    parts = [lines[index][1]]
    index += 1
    while "nhiệm vụ)" not in _norm(" ".join(parts)) and index < len(lines) and len(parts) < 3:
        parts.append(lines[index][1])
        index += 1
    text = _norm(" ".join(parts))
    m = _GROUP_RE.match(text)
    if not m:
        raise report.error(number, "a group heading 'I.k. Nhóm R - <title> (N nhiệm vụ)'", text)
    return _Group(m.group("label"), _norm(m.group("title")), m.group("roman"), int(m.group("n")), number), index


def _skip_header(report: RawReport, lines: list[tuple[int, str]], index: int, expected: str, last_word: str) -> int:
    """Skip a (repeated) task-table header that ends with the line ``last_word``; check its text."""
    number = lines[index][0]
    parts = []
    while index < len(lines):
        parts.append(lines[index][1])
        index += 1
        if lines[index - 1][1] == last_word:
            break
    found = _norm(" ".join(parts))
    if found != expected:
        raise report.error(number, f"the table header '{expected}'", found)
    return index


def parse_overdue_tasks(report: RawReport, span: Span) -> tuple[list[_Task], list[_Group]]:
    """Appendix 2: group headings; each task is its number alone on a line, the task text
    wrapped over lines, and the unit that has not finished it on the task's last line."""
    lines = _nonblank(report, span)
    start = _find_header(report, lines, 0, "STT", "the header of appendix 2")
    _check_header(report, lines[start][0], _norm(lines[start][1]), _HEADER_APPX2)
    tasks: list[_Task] = []
    groups: list[_Group] = []
    index = start + 1
    while index < len(lines):
        number, text = lines[index]
        if _GROUP_START_RE.match(text):
            group, index = _read_group(report, lines, index)
            groups.append(group)
            continue
        if text.startswith("STT"):
            index = _skip_header(report, lines, index, _HEADER_APPX2, "STT Nhiệm vụ cụ thể Đơn vị chưa hoàn thành")
            continue
        m = _TASK_NO_LINE_RE.match(text)
        if m:
            if not groups:
                raise report.error(number, "a group heading before the first task", text)
            tasks.append(_Task(2, number, m.group(1), groups[-1].label, groups[-1].title))
            groups[-1].tasks += 1
        elif not tasks:
            raise report.error(number, "a task number or a group heading", text)
        else:
            tasks[-1].text_lines.append(text)
            tasks[-1].last_line = number
        index += 1
    if not tasks:
        raise report.error(span.end, "at least one overdue task in appendix 2", "none")
    for task in tasks:
        if len(task.text_lines) < 2:
            raise report.error(task.line, "a task text and its unit on the following lines", " / ".join(task.text_lines) or "nothing")
        unit = task.text_lines.pop()
        if not _is_unit_start(unit):
            raise report.error(task.last_line, "a responsible unit (ministry, agency or province) on the task's last line", unit)
        task.unit_lines = [unit]
    return tasks, groups


def parse_due_tasks(report: RawReport, span: Span) -> tuple[list[_Task], list[_Group]]:
    """Appendix 3: each task starts '<number> <text>'; its text wraps until a line
    '<deadline d/m/yyyy> <unit>', whose unit may wrap over the following lines."""
    lines = _nonblank(report, span)
    start = _find_header(report, lines, 0, "STT", "the header of appendix 3")
    index = _skip_header(report, lines, start, _HEADER_APPX3, "Đơn vị thực hiện")
    tasks: list[_Task] = []
    groups: list[_Group] = []
    while index < len(lines):
        number, text = lines[index]
        current = tasks[-1] if tasks else None
        in_text = current is not None and current.deadline is None
        if text.startswith("STT"):
            index = _skip_header(report, lines, index, _HEADER_APPX3, "Đơn vị thực hiện")
            continue
        if _GROUP_START_RE.match(text):
            if in_text:
                raise report.error(number, f"the deadline and unit of task {current.number} before the next group", text)
            group, index = _read_group(report, lines, index)
            groups.append(group)
            continue
        if in_text:
            deadline = _DEADLINE_LINE_RE.match(text)
            if deadline:
                current.deadline = _date_at(report, deadline.group(1), number)
                current.deadline_text = deadline.group(1)
                current.unit_lines.append(deadline.group(2))
            elif _DUE_TASK_START_STRICT_RE.match(text):
                raise report.error(number, f"the deadline and unit of task {current.number} ('d/m/yyyy <unit>')", text)
            else:
                current.text_lines.append(text)
            current.last_line = number
            index += 1
            continue
        m = _DUE_TASK_START_RE.match(text)
        if m and _DUE_TASK_START_STRICT_RE.match(text):
            if not groups:
                raise report.error(number, "a group heading before the first task", text)
            tasks.append(_Task(3, number, m.group(1), groups[-1].label, groups[-1].title, text_lines=[m.group(2)], last_line=number))
            groups[-1].tasks += 1
        elif current is None:
            raise report.error(number, "a task '<number> <text>' or a group heading", text)
        else:
            current.unit_lines.append(text)  # the unit cell wraps
            current.last_line = number
        index += 1
    if not tasks:
        raise report.error(span.end, "at least one task in appendix 3", "none")
    if tasks[-1].deadline is None:
        raise report.error(tasks[-1].last_line, f"the deadline and unit of task {tasks[-1].number}", "end of appendix 3")
    return tasks, groups


def _split_text_and_units(report: RawReport, task: _Task, body: list[tuple[int, str]]) -> None:
    """Appendix 7 prints the task text, then the responsible units, in one run of lines.

    The units start at the first line (after the first) that begins with a unit name (a
    ministry, agency or province) such that every later line also begins with one, or
    continues a unit cut mid-name (the line before it does not end with a comma).
    """
    texts = [t for _, t in body]
    n = len(texts)
    suffix_ok = [True] * (n + 1)
    for i in range(n - 1, 0, -1):
        line_ok = _is_unit_start(texts[i]) or not texts[i - 1].rstrip().endswith(",")
        suffix_ok[i] = line_ok and suffix_ok[i + 1]
    split = next((i for i in range(1, n) if _is_unit_start(texts[i]) and suffix_ok[i + 1]), None)
    if split is None:
        raise report.error(body[-1][0] if body else task.line, f"the responsible unit of task {task.number} (a ministry, agency or province name)", texts[-1] if texts else "nothing")
    task.text_lines = texts[:split]
    task.unit_lines = texts[split:]


def parse_standing_tasks(report: RawReport, span: Span) -> list[_Task]:
    """Appendix 7: the task number alone on a line; the task text and the responsible units
    (in one run of lines, split by :func:`_split_text_and_units`); the deadline 'Thường' /
    'xuyên'; then the units in progress ('Đơn vị đang tiến hành'), possibly none, possibly
    continued after a repeated page header."""
    lines = _nonblank(report, span)
    start = _find_header(report, lines, 0, "STT", "the header of appendix 7")
    index = _skip_header(report, lines, start, _HEADER_APPX7, "Đơn vị đang tiến hành")
    tasks: list[_Task] = []
    bodies: list[list[tuple[int, str]]] = []
    while index < len(lines):
        number, text = lines[index]
        if text.startswith("STT"):
            index = _skip_header(report, lines, index, _HEADER_APPX7, "Đơn vị đang tiến hành")
            continue
        m = _TASK_NO_LINE_RE.match(text)
        if m and int(m.group(1)) == len(tasks) + 1:
            if tasks and tasks[-1].deadline_text is None:
                raise report.error(number, f"the deadline ('Thường xuyên') of task {tasks[-1].number}", text)
            tasks.append(_Task(7, number, m.group(1), None, None, last_line=number))
            bodies.append([])
            index += 1
            continue
        if not tasks:
            raise report.error(number, "task number 1", text)
        task = tasks[-1]
        if task.deadline_text is None:
            following = lines[index + 1][1] if index + 1 < len(lines) else ""
            if text == "Thường xuyên" or (text == "Thường" and following == "xuyên"):
                task.deadline_text = "Thường xuyên"
                index += 1 if text == "Thường xuyên" else 2
                continue
            bodies[-1].append((number, text))
        else:
            task.progress_lines.append(text)
        task.last_line = number
        index += 1
    if not tasks:
        raise report.error(span.end, "at least one task in appendix 7", "none")
    if tasks[-1].deadline_text is None:
        raise report.error(tasks[-1].last_line, f"the deadline ('Thường xuyên') of task {tasks[-1].number}", "end of appendix 7")
    for task, body in zip(tasks, bodies):
        _split_text_and_units(report, task, body)
    return tasks


def _task_id(task: _Task) -> str:
    return f"{task.appendix}.{task.group_label}.{task.number}" if task.group_label else f"{task.appendix}.{task.number}"


def task_rows(tasks: list[_Task], report_date: str) -> list[dict]:
    rows = []
    for task in tasks:
        units = _norm(" ".join(task.unit_lines))
        rows.append(
            {
                "report_date": report_date,
                "task_id": _task_id(task),
                "appendix": task.appendix,
                "group_label": task.group_label,
                "group": task.group,
                "task_no": task.number,
                "task": _norm(" ".join(task.text_lines)),
                "responsible_units": units,
                "province_code": lookup(units.rstrip(". ")),
                "deadline": task.deadline.isoformat() if task.deadline else None,
                "deadline_text": task.deadline_text,
                "_line": task.line,
            }
        )
    return rows


def in_progress_rows(report: RawReport, tasks: list[_Task], report_date: str) -> tuple[list[dict], list[Finding]]:
    """Split each standing task's 'Đơn vị đang tiến hành' list at commas into units."""
    rows, findings = [], []
    for task in tasks:
        if not task.progress_lines:
            continue
        seen: set[str] = set()
        for part in " ".join(task.progress_lines).split(","):
            unit = _norm(part).rstrip(".").strip()
            if not unit:
                continue
            if not _is_unit_start(unit):
                raise report.error(task.last_line, f"a ministry, agency or province in the units in progress of task {task.number}", unit)
            if unit in seen:
                findings.append(Finding(_appendix_source(7), "duplicate_unit_in_progress", "info", f"task {task.number} lists '{unit}' twice among the units in progress"))
                continue
            seen.add(unit)
            rows.append({"report_date": report_date, "task_id": _task_id(task), "unit": unit, "province_code": lookup(unit)})
    return rows, findings


def check_group_counts(appendix: int, groups: list[_Group]) -> list[Finding]:
    """A group heading states '(N nhiệm vụ)': N must equal the tasks listed under it; the
    label 'I.k' should match the group's roman numeral."""
    findings = []
    for group in groups:
        if group.stated != group.tasks:
            findings.append(Finding(_appendix_source(appendix), "group_task_count", "warning", f"group '{group.label} {group.title}' (line {group.line}) states {group.stated} tasks but lists {group.tasks}"))
        k = int(group.label.split(".")[1])
        if _roman(group.roman) != k:
            findings.append(Finding(_appendix_source(appendix), "group_label_mismatch", "info", f"group heading on line {group.line} is numbered '{group.label}' but titled '{group.title.split(' - ')[0]}'"))
    return findings


def check_task_numbering(appendix: int, tasks: list[_Task]) -> list[Finding]:
    """Task numbers run 1, 2, 3, ... through an appendix."""
    findings = []
    for position, task in enumerate(tasks, 1):
        if task.number != str(position):
            findings.append(Finding(_appendix_source(appendix), "task_numbering", "info", f"task on line {task.line} is numbered {task.number}, expected {position} (numbers run {', '.join(t.number for t in tasks)})"))
            break
    return findings


def _roman(text: str) -> int:
    values = {"I": 1, "V": 5, "X": 10}
    total = 0
    for i, ch in enumerate(text):
        v = values[ch]
        total += -v if i + 1 < len(text) and values[text[i + 1]] > v else v
    return total


# ---------------------------------------------------------------- appendix 4


def parse_commune_status(report: RawReport, span: Span, report_date: str) -> list[dict]:
    """Appendix 4: communes GREEN/YELLOW/RED per province."""
    lines = _nonblank(report, span)
    start = _find_header(report, lines, 0, "STT", "the header of appendix 4")
    header, index = _read_header(lines, start)
    _check_header(report, lines[start][0], header, _HEADER_APPX4)
    rows, _, _ = _read_province_rows(report, lines, index, 8, header)
    out = []
    for row, code in zip(rows, _codes_unique(report, rows)):
        v, at = row.values, row.value_line
        out.append(
            {
                "report_date": report_date,
                "province_code": code,
                "communes": int_at(report, v[0], at),
                "green": int_at(report, v[1], at),
                "yellow": int_at(report, v[2], at),
                "red": int_at(report, v[3], at),
                "reported": int_at(report, v[4], at),
                "reported_pct": pct_at(report, v[5], at),
                "green_pct": pct_at(report, v[6], at),
                "green_pct_change": pct_at(report, v[7], at, signed=True),
                "_line": at,
            }
        )
    return out


def check_commune_status(rows: list[dict]) -> list[Finding]:
    """green + yellow + red = communes; green_pct ≈ green/communes; reported_pct ≈ reported/communes."""
    findings = []
    src = _appendix_source(4)
    for row in rows:
        where = f"province {row['province_code']} (line {row['_line']})"
        if row["green"] + row["yellow"] + row["red"] != row["communes"]:
            findings.append(Finding(src, "colours_sum_to_communes", "warning", f"{where}: green {row['green']} + yellow {row['yellow']} + red {row['red']} = {row['green'] + row['yellow'] + row['red']}, communes {row['communes']}"))
        for count, pct, check in (("green", "green_pct", "green_pct_vs_count"), ("reported", "reported_pct", "reported_pct_vs_count")):
            if row["communes"] and abs(100 * row[count] / row["communes"] - row[pct]) > RATE_TOLERANCE:
                findings.append(Finding(src, check, "warning", f"{where}: {pct} printed {row[pct]} but {row[count]}/{row['communes']} = {100 * row[count] / row['communes']:.2f}%"))
        # The day's change is a whole number of communes turning green (or back).
        # The day's change is a whole number of communes turning green (or back), printed
        # to 2 decimals; a value cut off instead of rounded is noted, anything else warned.
        moved = row["green_pct_change"] * row["communes"] / 100
        whole = round(moved)
        off = abs(row["green_pct_change"] - 100 * whole / row["communes"]) if row["communes"] else 0.0
        if off > TRUNCATION_TOLERANCE:
            findings.append(Finding(src, "green_change_not_whole_communes", "warning", f"{where}: a change of {row['green_pct_change']} points is {moved:.3f} of {row['communes']} communes, not a whole number"))
        elif off > RATE_TOLERANCE:
            findings.append(Finding(src, "green_change_truncated", "info", f"{where}: change printed {row['green_pct_change']} points; {whole} of {row['communes']} communes is {100 * whole / row['communes']:.3f}, which rounds to {100 * whole / row['communes']:.2f} (the source cut it off)"))
    return findings


def green_previous_day(row: dict) -> int:
    """Communes green the day before: green minus the day's change (in communes)."""
    return row["green"] - round(row["green_pct_change"] * row["communes"] / 100)


def check_registry_wards(rows: list[dict], appendix: int) -> list[Finding]:
    """The commune count printed per province equals the registry's ward count."""
    findings = []
    for row in rows:
        wards = by_code(row["province_code"]).wards
        if row["communes"] != wards:
            findings.append(Finding(_appendix_source(appendix), "communes_vs_registry", "warning", f"province {row['province_code']} (line {row['_line']}): {row['communes']} communes printed, {wards} in the registry"))
    return findings


# ---------------------------------------------------------------- appendix 5


@dataclass(frozen=True)
class Indicator:
    indicator_id: str
    title: str


def parse_commune_readiness(report: RawReport, span: Span, report_date: str) -> tuple[list[dict], list[dict], list[Indicator], int, int]:
    """Appendix 5: the sixteen readiness indicators per province.

    Returns (long rows, per-province rows with the commune count, indicators, the commune
    total stated in the title, the title's line).
    """
    lines = _nonblank(report, span)
    title_line, title_text = lines[1] if len(lines) > 1 else (span.start, "")
    m = _READINESS_TITLE_RE.search(title_text)
    if m is None:
        raise report.error(title_line, "the title 'Thông tin hiện trạng tại N xã, phường ...' of appendix 5", title_text)
    title_total = int_at(report, m.group(1), title_line)
    start = _find_header(report, lines, 0, "STT", "the header of appendix 5")
    header, index = _read_header(lines, start)
    lead, *titles = header.split(_INDICATOR_MARK)
    if _norm(lead) != _HEADER_APPX5_LEAD or not titles:
        raise report.error(lines[start][0], f"the header '{_HEADER_APPX5_LEAD} {_INDICATOR_MARK} ...'", header)
    indicators = [Indicator(f"c{i:02d}", f"{_INDICATOR_MARK} {_norm(t)}") for i, t in enumerate(titles, 1)]
    rows, _, _ = _read_province_rows(report, lines, index, 1 + len(indicators), header)
    long_rows, province_rows = [], []
    for row, code in zip(rows, _codes_unique(report, rows)):
        at = row.value_line
        communes = int_at(report, row.values[0], at)
        province_rows.append({"province_code": code, "communes": communes, "_line": at})
        for indicator, token in zip(indicators, row.values[1:]):
            long_rows.append({"report_date": report_date, "province_code": code, "indicator_id": indicator.indicator_id, "indicator": indicator.title, "pct": _decimal_at(report, token, at), "_communes": communes, "_line": at})
    return long_rows, province_rows, indicators, title_total, title_line


def check_readiness_title_total(title_total: int, province_rows: list[dict], title_line: int) -> list[Finding]:
    """The title's 'tại N xã, phường' against the sum of the table's commune counts."""
    total = sum(r["communes"] for r in province_rows)
    if title_total != total:
        return [Finding(_appendix_source(5), "title_total_vs_rows", "warning", f"the title (line {title_line}) says {title_total:,} communes but the province rows sum to {total:,}".replace(",", "."))]
    return []


def check_readiness_shares(long_rows: list[dict]) -> list[Finding]:
    """Each percentage should be a share of the province's communes: pct × communes / 100 within rounding of a whole number."""
    findings = []
    for row in long_rows:
        communes = row["_communes"]
        met = row["pct"] * communes / 100
        if communes and abs(met - round(met)) > RATE_TOLERANCE * communes / 100:
            findings.append(Finding(_appendix_source(5), "pct_not_a_share_of_communes", "warning", f"province {row['province_code']} (line {row['_line']}) {row['indicator_id']}: {row['pct']}% of {communes} communes is {met:.3f}, not a whole number"))
    return findings


def check_communes_across_appendices(status_rows: list[dict], readiness_rows: list[dict]) -> list[Finding]:
    """Appendices 4 and 5 print the same commune count per province."""
    by_code4 = {r["province_code"]: r["communes"] for r in status_rows}
    findings = []
    for row in readiness_rows:
        if by_code4.get(row["province_code"]) != row["communes"]:
            findings.append(Finding(_appendix_source(5), "communes_vs_appendix_4", "warning", f"province {row['province_code']} (line {row['_line']}): {row['communes']} communes, appendix 4 has {by_code4.get(row['province_code'])}"))
    return findings


# ---------------------------------------------------------------- appendix 8


_CUMULATIVE_SCOPES = ("province", "commune", "all")


def _dossier_values(report: RawReport, tokens: list[str], line: int, with_june: bool) -> dict:
    values = {
        "direct": int_at(report, tokens[0], line),
        "online": int_at(report, tokens[1], line),
        "returned": int_at(report, tokens[2], line),
        "total": int_at(report, tokens[3], line),
        "online_rate_pct": pct_at(report, tokens[4], line),
        "june_daily_avg": int_at(report, tokens[5], line) if with_june else None,
    }
    return values


def parse_dossiers(report: RawReport, span: Span, report_date: str) -> tuple[list[dict], list[dict]]:
    """Appendix 8, tables I–III. Returns (province rows, national 'Tổng' rows), each a dict
    with the dossiers columns plus ``_table`` ('I', 'II', 'III') and ``_line``."""
    lines = _nonblank(report, span)
    day_match = next(((n, m) for n, t in lines[:6] for m in [_APPX8_DAY_RE.search(t)] if m), None)
    if day_match is None:
        raise report.error(span.start + 1, "the title line 'TRONG NGÀY d/m/yyyy'", lines[1][1] if len(lines) > 1 else None)
    day = _date_at(report, day_match[1].group(1), day_match[0]).isoformat()

    def section(name: str, start: int) -> tuple[int, re.Match]:
        for i in range(start, len(lines)):
            m = _APPX8_SECTION_RE[name].search(lines[i][1])
            if m:
                return i, m
        raise report.error(span.end, f"table {name} of appendix 8 ('{_APPX8_SECTION_RE[name].pattern}')", "end of appendix 8")

    i1, _ = section("I", 0)
    i2, _ = section("II", i1 + 1)
    i3, m3 = section("III", i2 + 1)
    cum_start = _date_at(report, m3.group(1), lines[i3][0]).isoformat()
    cum_end = _date_at(report, m3.group(2), lines[i3][0]).isoformat()
    province_rows: list[dict] = []
    total_rows: list[dict] = []

    def read(table: str, at: int, header_expected: str, n_values: int, stop: re.Pattern | None):
        h = _find_header(report, lines, at + 1, "STT", f"the header of table {table} of appendix 8")
        header, index = _read_header(lines, h)
        _check_header(report, lines[h][0], header, header_expected)
        return _read_province_rows(report, lines, index, n_values, header, total_row=True, stop=stop)

    for table, at, expected, n_values, stop, scope in (
        ("I", i1, _HEADER_APPX8_DAY, 6, _APPX8_SECTION_RE["II"], "all"),
        ("II", i2, _HEADER_APPX8_COMMUNE, 5, _APPX8_SECTION_RE["III"], "commune"),
    ):
        rows, total, _ = read(table, at, expected, n_values, stop)
        if total is None:
            raise report.error(rows[-1].value_line + 1, f"the 'Tổng' row of table {table} of appendix 8", None)
        codes = _codes_unique(report, rows)
        for row, code in [*zip(rows, codes), (total, None)]:
            values = _dossier_values(report, row.values, row.value_line, with_june=n_values == 6)
            record = {"report_date": report_date, "period_start": day, "period_end": day, "scope": scope, "province_code": code, **values, "_table": table, "_line": row.value_line}
            (province_rows if code is not None else total_rows).append(record)

    rows, total, _ = read("III", i3, _HEADER_APPX8_CUMULATIVE, 15, None)
    if total is None:
        raise report.error(span.end, "the 'Tổng' row of table III of appendix 8", None)
    codes = _codes_unique(report, rows)
    for row, code in [*zip(rows, codes), (total, None)]:
        v, at = row.values, row.value_line
        for k, scope in enumerate(_CUMULATIVE_SCOPES):
            record = {
                "report_date": report_date,
                "period_start": cum_start,
                "period_end": cum_end,
                "scope": scope,
                "province_code": code,
                "direct": int_at(report, v[k], at),
                "online": int_at(report, v[3 + k], at),
                "returned": int_at(report, v[6 + k], at),
                "total": int_at(report, v[9 + k], at),
                "online_rate_pct": pct_at(report, v[12 + k], at),
                "june_daily_avg": None,
                "_table": "III",
                "_line": at,
            }
            (province_rows if code is not None else total_rows).append(record)
    return province_rows, total_rows


def _where(row: dict) -> str:
    who = f"province {row['province_code']}" if row["province_code"] is not None else "the Tổng row"
    return f"table {row['_table']}, {who}, scope {row['scope']} (line {row['_line']})"


def check_dossier_rates(rows: list[dict]) -> list[Finding]:
    """online_rate_pct ≈ online/total (2 decimals); direct + online = total."""
    findings = []
    src = _appendix_source(8)
    for row in rows:
        if row["direct"] + row["online"] != row["total"]:
            findings.append(Finding(src, "direct_plus_online_vs_total", "warning", f"{_where(row)}: direct {row['direct']} + online {row['online']} = {row['direct'] + row['online']}, total printed {row['total']}"))
        if row["total"]:
            rate = 100 * row["online"] / row["total"]
            if abs(rate - row["online_rate_pct"]) > RATE_TOLERANCE:
                findings.append(Finding(src, "online_rate_vs_counts", "warning", f"{_where(row)}: rate printed {row['online_rate_pct']}% but online/total = {row['online']}/{row['total']} = {rate:.2f}%"))
    return findings


def check_dossier_levels(rows: list[dict]) -> list[Finding]:
    """Table III: province level + commune level = total for each measure."""
    findings = []
    by_key: dict[tuple, dict[str, dict]] = {}
    for row in rows:
        if row["_table"] == "III":
            by_key.setdefault((row["province_code"], row["period_start"], row["period_end"]), {})[row["scope"]] = row
    for scopes in by_key.values():
        if set(scopes) != set(_CUMULATIVE_SCOPES):
            continue
        for column in ("direct", "online", "returned", "total"):
            parts = scopes["province"][column] + scopes["commune"][column]
            if parts != scopes["all"][column]:
                findings.append(Finding(_appendix_source(8), "levels_sum_to_total", "warning", f"{_where(scopes['all'])}: {column} province {scopes['province'][column]} + commune {scopes['commune'][column]} = {parts}, total printed {scopes['all'][column]}"))
    return findings


def check_dossier_totals(rows: list[dict], totals: list[dict]) -> list[Finding]:
    """Province rows sum to the printed 'Tổng' row (per table, scope and column)."""
    findings = []
    sums: dict[tuple, dict[str, int]] = {}
    for row in rows:
        acc = sums.setdefault((row["_table"], row["scope"]), {})
        for column in ("direct", "online", "returned", "total", "june_daily_avg"):
            if row[column] is not None:
                acc[column] = acc.get(column, 0) + row[column]
    for total in totals:
        acc = sums.get((total["_table"], total["scope"]), {})
        for column, value in acc.items():
            if total[column] is not None and total[column] != value:
                findings.append(Finding(_appendix_source(8), "provinces_sum_to_total_row", "warning", f"{_where(total)}: {column} printed {total[column]}, province rows sum to {value}"))
    return findings


def check_day_all_vs_commune(rows: list[dict]) -> list[Finding]:
    """Table I (all levels) holds at least table II (commune level) for each province and column."""
    day_all = {r["province_code"]: r for r in rows if r["_table"] == "I"}
    findings = []
    for row in rows:
        if row["_table"] != "II":
            continue
        other = day_all.get(row["province_code"])
        for column in ("direct", "online", "returned", "total"):
            if other is not None and row[column] > other[column]:
                findings.append(Finding(_appendix_source(8), "commune_exceeds_all_levels", "warning", f"province {row['province_code']}: {column} at commune level {row[column]} (line {row['_line']}) exceeds all levels {other[column]} (line {other['_line']})"))
    return findings


# ---------------------------------------------------------------- body


class _BodyText:
    """The body's non-blank lines joined with spaces, with a map back to line numbers."""

    def __init__(self, report: RawReport, span: Span):
        self.report = report
        self.starts: list[int] = []
        self.numbers: list[int] = []
        self.heading_ends: list[int] = []  # offsets just after an all-capitals heading line
        parts, offset = [], 0
        for number, text in _nonblank(report, span):
            text = _norm(text)
            self.starts.append(offset)
            self.numbers.append(number)
            parts.append(text)
            offset += len(text) + 1
            if text.upper() == text:
                self.heading_ends.append(offset)
        self.text = " ".join(parts)
        self.end_line = span.end
        self._left_bounds: tuple[list[int], list[int]] | None = None

    def line_at(self, offset: int) -> int:
        return self.numbers[bisect.bisect_right(self.starts, offset) - 1]

    def _last_left_boundary(self, endpos: int) -> int:
        """End of the last left sentence boundary found scanning the text up to ``endpos``
        (0 if none). The scan of the whole text is done once; the matches that end well
        before ``endpos`` are the ones a scan stopping at ``endpos`` finds too (a match reads
        at most one character past its end), so only the last few characters are scanned
        again (scanning from the start for every figure grew with the square of the body)."""
        if self._left_bounds is None:
            found = list(_SENTENCE_LEFT_RE.finditer(self.text))
            self._left_bounds = ([b.start() for b in found], [b.end() for b in found])
        starts, ends = self._left_bounds
        safe = bisect.bisect_right(ends, endpos - 2) - 1  # last boundary that ends at least 2 before endpos
        left = ends[safe] if safe >= 0 else 0
        for boundary in _SENTENCE_LEFT_RE.finditer(self.text, ends[safe] if safe >= 0 else 0, endpos):
            left = boundary.end()
        return left

    def search(self, pattern: re.Pattern, what: str, start: int = 0) -> re.Match:
        m = pattern.search(self.text, start)
        if m is None:
            raise self.report.error(self.end_line, f"in the report body, {what} (pattern {pattern.pattern!r})", None)
        return m

    def sentence(self, m: re.Match) -> tuple[str, int]:
        """The sentence around a match (from the previous '. ', '; ' or bullet to the next '.'/';'), and its first line."""
        # A bullet or "a) " that opens the match itself still counts as a boundary.
        left = self._last_left_boundary(m.start() + 3)
        heading = bisect.bisect_right(self.heading_ends, m.start()) - 1
        if heading >= 0:
            left = max(left, self.heading_ends[heading])
        right_match = _SENTENCE_RIGHT_RE.search(self.text, m.end())
        right = right_match.start() + 1 if right_match else len(self.text)
        return self.text[left:right].strip(), self.line_at(left)


# Sentence boundaries: '. ', '; ' or ': ' followed by a capital or a bullet dash; "TP. " is not one.
_SENTENCE_LEFT_RE = re.compile(r"(?<!TP)[.;:] (?=[-–A-ZÀ-ỸĐ(\d])|(?:^| )- |(?:^| )[a-z]\) ")
_SENTENCE_RIGHT_RE = re.compile(r"(?<!TP)[.;](?= |$)")

_FIG_GREEN_RE = re.compile(r"(\d+)/(\d+) tỉnh, thành phố đạt trạng thái XANH")
_FIG_RED_RE = re.compile(r"Không có tỉnh, thành phố nào ở trạng thái ĐỎ")
_FIG_REPORTED_RE = re.compile(r"tại ([\d.]+) xã, phường có báo cáo của (\d+)/(\d+) tỉnh")
_FIG_GREEN_OVER_RE = re.compile(r"có (\d+) tỉnh,? thành phố phủ XANH hơn (\d+)% số xã, phường")
_FIG_GREEN_ALL_RE = re.compile(r"Đặc biệt (\d+) tỉnh, thành phố: (.+?) phủ XANH 100% số xã, phường")
_FIG_DAY_RATE_RE = re.compile(
    r"tại (?:thành phố|tỉnh) (?P<name>[^,]+?) trong ngày (?P<day>\d{1,2}/\d{1,2}/\d{4}), tỉ lệ hồ sơ nộp trực tuyến đã đạt (?P<rate>[\d,]+%) so với tổng số hồ sơ, số hồ sơ đã trả đạt (?P<returned>[\d,]+%)"
)
_FIG_OVERDUE_RE = re.compile(r"Vẫn còn (\d+) nhiệm vụ đã thực hiện quá hạn")
_FIG_PROGRESS_RE = re.compile(r"Tiến độ hoàn thành nhiệm vụ ở cấp xã tăng chậm \(([\d,]+%)\) so với ngày (\d{1,2}/\d{1,2}/\d{4})")
_FIG_BLOC_SECTION_RE = re.compile(r"b\) Hệ thống giám sát, đánh giá.*?(?=4\. Khuyến nghị)")
_FIG_BLOC_RE = re.compile(r"- Đối với (Đảng ủy|Hội đồng nhân dân|Ủy ban nhân dân|Ủy ban Mặt trận Tổ quốc) cấp xã: (.*?)(?= - Đối với | 4\. Khuyến nghị|$)")
_FIG_BLOC_COUNT_RE = re.compile(r"(\d+)/(\d+) tỉnh, thành phố|Ở (tất cả) các tỉnh, thành phố")
_FIG_LOWEST_RE = re.compile(r"Tính từ ngày (\d{1,2}/\d{1,2}/\d{4}).*?\(như (?P<name>.+?) khoảng (?P<rate>[\d,]+%), thấp nhất trong tất cả (\d+) tỉnh, thành phố\).*?từ ngày (\d{1,2}/\d{1,2}/\d{4}) – (?P<end>\d{1,2}/\d{1,2}/\d{4})")
_FIG_BASIC_RE = re.compile(r"hiện mới có ([\d.]+)/([\d.]+) xã, phường \(tương đương ([\d,]+%)\) đáp ứng được hết một số điều kiện cơ bản")
_FIG_BASIC_PREV_RE = re.compile(r"\(ngày (\d{1,2}/\d{1,2}/\d{4}) có ([\d.]+) xã, phường đáp ứng chiếm ([\d,]+%)\)")
_FIG_STAFF_RE = re.compile(r"nhân sự tham gia hỗ trợ tại bộ phận một cửa \(([\d,]+%) xã, phường có đủ nhân sự\)")
_FIG_SIGNATURE_RE = re.compile(r"Chữ ký số mật \((?P<secret>[^)]+)\), chứng thư số công vụ \((?P<official>[^)]+)\)")
_BODY_SECTION_II_RE = re.compile(r"^II\. CÁC NHÓM NHIỆM VỤ TRỌNG TÂM")
_BODY_SECTION_III_RE = re.compile(r"^III\. PHÂN TÍCH")

_BLOC_KEYS = {"Đảng ủy": "party", "Hội đồng nhân dân": "council", "Ủy ban nhân dân": "committee", "Ủy ban Mặt trận Tổ quốc": "front"}


@dataclass
class BodyFacts:
    """What the body states that appendix checks need (beyond report_figures rows)."""

    green_100_names: list[tuple[str, int]] = field(default_factory=list)  # (name, line)
    secret_signature_names: list[tuple[str, int]] = field(default_factory=list)
    official_certificate_names: list[tuple[str, int]] = field(default_factory=list)
    group_counts: list[dict] = field(default_factory=list)  # body section II rows


def _names(report: RawReport, text: str, line: int) -> list[tuple[str, int]]:
    parts = re.split(r",| và ", text)
    names = [_norm(p) for p in parts if _norm(p)]
    for name in names:
        code_at(report, name, line)  # unknown spelling: InputError
    return [(name, line) for name in names]


def parse_body_figures(report: RawReport, span: Span, report_date: dt.date) -> tuple[list[dict], BodyFacts]:
    """Key figures of the body, each with the sentence it was read from."""
    body = _BodyText(report, span)
    rd = report_date.isoformat()
    figures: list[dict] = []
    facts = BodyFacts()

    def add(figure_id: str, value: float, unit: str, m: re.Match, section: str, as_of: str = rd, province: int | None = None) -> None:
        text, line = body.sentence(m)
        figures.append({"report_date": rd, "figure_id": figure_id, "province_code": province, "value": float(value), "unit": unit, "as_of_date": as_of, "source": f"Báo cáo, phần {section}", "source_line": line, "text": text})

    def num(token: str, m: re.Match) -> int:
        return int_at(report, token, body.line_at(m.start()))

    def pct(token: str, m: re.Match) -> float:
        return pct_at(report, token, body.line_at(m.start()))

    def day(token: str, m: re.Match) -> str:
        return _date_at(report, token, body.line_at(m.start())).isoformat()

    m = body.search(_FIG_GREEN_RE, "'N/34 tỉnh, thành phố đạt trạng thái XANH'")
    add("provinces_green", num(m.group(1), m), "provinces", m, "I")
    add("provinces_in_scope", num(m.group(2), m), "provinces", m, "I")
    m = body.search(_FIG_RED_RE, "'Không có tỉnh, thành phố nào ở trạng thái ĐỎ'")
    add("provinces_red", 0, "provinces", m, "I")
    m = body.search(_FIG_REPORTED_RE, "'tại N xã, phường có báo cáo của N/N tỉnh'")
    add("communes_reported", num(m.group(1), m), "communes", m, "I")
    add("provinces_reported", num(m.group(2), m), "provinces", m, "I")
    first = body.search(_FIG_GREEN_OVER_RE, "'có N tỉnh thành phố phủ XANH hơn P% số xã, phường'")
    for m in _FIG_GREEN_OVER_RE.finditer(body.text, first.start()):
        add(f"provinces_green_over_{int(m.group(2))}pct", num(m.group(1), m), "provinces", m, "I")
    m = body.search(_FIG_GREEN_ALL_RE, "'Đặc biệt N tỉnh, thành phố: <names> phủ XANH 100%'")
    add("provinces_green_100pct", num(m.group(1), m), "provinces", m, "I")
    facts.green_100_names = _names(report, m.group(2), body.line_at(m.start(2)))
    m = body.search(_FIG_DAY_RATE_RE, "'tại thành phố X trong ngày d/m/yyyy, tỉ lệ hồ sơ nộp trực tuyến đã đạt P%'")
    code = code_at(report, m.group("name"), body.line_at(m.start("name")))
    add("day_online_rate_pct", pct(m.group("rate"), m), "pct", m, "I", day(m.group("day"), m), code)
    add("day_returned_pct", pct(m.group("returned"), m), "pct", m, "I", day(m.group("day"), m), code)
    m = body.search(_FIG_OVERDUE_RE, "'Vẫn còn N nhiệm vụ đã thực hiện quá hạn'")
    add("overdue_tasks", num(m.group(1), m), "tasks", m, "I")
    m = body.search(_FIG_PROGRESS_RE, "'Tiến độ hoàn thành nhiệm vụ ở cấp xã tăng chậm (P%) so với ngày d/m/yyyy'")
    add("commune_progress_change_pct", pct(m.group(1), m), "pct_points", m, "I")
    section = body.search(_FIG_BLOC_SECTION_RE, "section I.3.b on the four commune blocs")
    provinces_in_scope = next(f["value"] for f in figures if f["figure_id"] == "provinces_in_scope")
    for bloc in _FIG_BLOC_RE.finditer(body.text, section.start(), section.end()):
        key = _BLOC_KEYS[bloc.group(1)]
        counts = list(_FIG_BLOC_COUNT_RE.finditer(body.text, bloc.start(2), bloc.end(2)))
        if not counts:
            raise report.error(body.line_at(bloc.start()), f"a count 'N/34 tỉnh, thành phố' for the {bloc.group(1)} bloc", bloc.group(0)[:80])
        for k, c in enumerate(counts, 1):
            # "Ở tất cả các tỉnh, thành phố" = every province in scope.
            value = provinces_in_scope if c.group(3) else num(c.group(1), c)
            add(f"{key}_provinces_criterion_below_50pct_{k}", value, "provinces", c, "I")
    m = body.search(_FIG_LOWEST_RE, "'(như <tỉnh> khoảng P%, thấp nhất trong tất cả 34 tỉnh, thành phố)'")
    code = code_at(report, m.group("name"), body.line_at(m.start("name")))
    add("lowest_cumulative_online_rate_pct", pct(m.group("rate"), m), "pct", m, "III", day(m.group("end"), m), code)
    m = body.search(_FIG_BASIC_RE, "'hiện mới có N/N xã, phường (tương đương P%) đáp ứng được hết một số điều kiện cơ bản'")
    add("communes_all_basic_conditions", num(m.group(1), m), "communes", m, "III")
    add("communes_in_scope", num(m.group(2), m), "communes", m, "III")
    add("communes_all_basic_conditions_pct", pct(m.group(3), m), "pct", m, "III")
    m = body.search(_FIG_BASIC_PREV_RE, "'(ngày d/m/yyyy có N xã, phường đáp ứng chiếm P%)'", m.end())
    add("communes_all_basic_conditions", num(m.group(2), m), "communes", m, "III", day(m.group(1), m))
    add("communes_all_basic_conditions_pct", pct(m.group(3), m), "pct", m, "III", day(m.group(1), m))
    m = body.search(_FIG_STAFF_RE, "'nhân sự tham gia hỗ trợ tại bộ phận một cửa (P% xã, phường có đủ nhân sự)'")
    add("communes_onestop_staff_pct", pct(m.group(1), m), "pct", m, "III")
    m = body.search(_FIG_SIGNATURE_RE, "'Chữ ký số mật (<tỉnh>), chứng thư số công vụ (<tỉnh>)'")
    facts.secret_signature_names = _names(report, m.group("secret"), body.line_at(m.start("secret")))
    facts.official_certificate_names = _names(report, m.group("official"), body.line_at(m.start("official")))
    figures.extend(_body_group_rows(report, span, rd, facts))
    return figures, facts


def _body_group_rows(report: RawReport, span: Span, report_date: str, facts: BodyFacts) -> list[dict]:
    """Body section II: overdue tasks per group (TT, group, count, units, 'Phụ lục N')."""
    lines = _nonblank(report, span)
    start = next((i for i, (_, t) in enumerate(lines) if _BODY_SECTION_II_RE.match(t)), None)
    if start is None:
        raise report.error(span.end, "body section 'II. CÁC NHÓM NHIỆM VỤ TRỌNG TÂM'", None)
    end = next((i for i in range(start, len(lines)) if _BODY_SECTION_III_RE.match(lines[i][1])), None)
    if end is None:
        raise report.error(span.end, "body section 'III. PHÂN TÍCH, PHÁT HIỆN VẤN ĐỀ'", None)
    header, first_row = _read_header(lines, start + 1)
    if header != _HEADER_BODY_GROUPS:
        raise report.error(lines[start + 1][0], f"the header '{_HEADER_BODY_GROUPS}'", header)
    figures, parts, first_line = [], [], 0
    for number, text in lines[first_row:end]:
        if not parts:
            first_line = number
        parts.append(text)
        if re.search(r"Phụ lục \d+$", text):
            row = _norm(" ".join(parts))
            m = _BODY_GROUP_ROW_RE.match(row)
            if not m:
                raise report.error(first_line, "a row '<TT> <group> <NN> <units> Phụ lục N'", row)
            n = int_at(report, m.group("n"), first_line)
            facts.group_counts.append({"tt": int(m.group("tt")), "group": _norm(m.group("group")), "tasks": n, "units": m.group("units").rstrip(", "), "_line": first_line})
            figures.append({"report_date": report_date, "figure_id": f"overdue_tasks_group_{m.group('tt')}", "province_code": None, "value": float(n), "unit": "tasks", "as_of_date": report_date, "source": "Báo cáo, phần II", "source_line": first_line, "text": row})
            parts = []
    if parts:
        raise report.error(first_line, "a row ending with 'Phụ lục N'", _norm(" ".join(parts)))
    if not figures:
        raise report.error(lines[start][0], "at least one group row in body section II", None)
    return figures


def _fold(text: str) -> str:
    return _norm(text).rstrip(".").casefold()


def check_body_vs_appendices(figures: list[dict], facts: BodyFacts, status: list[dict], phase2: list[dict], readiness: list[dict], indicators: list[Indicator], dossiers: list[dict], overdue: list[_Task], overdue_groups: list[_Group]) -> list[Finding]:
    """The body's statements against the appendices they summarise."""
    findings: list[Finding] = []
    fig = {(f["figure_id"], f["as_of_date"]): f for f in figures}
    by_id: dict[str, list[dict]] = {}
    for f in figures:
        by_id.setdefault(f["figure_id"], []).append(f)

    def finding(source: str, check: str, detail: str) -> None:
        findings.append(Finding(source, check, "warning", detail))

    def expect(figure_id: str, actual: float, source: str, check: str, what: str, tolerance: float = 0.0) -> None:
        for f in by_id.get(figure_id, []):
            if abs(f["value"] - actual) > tolerance:
                finding(source, check, f"the body (line {f['source_line']}) states {figure_id} = {f['value']:g}, {what} gives {actual:g}")

    communes_sum = sum(r["communes"] for r in status)
    expect("provinces_green", sum("XANH" in r["status"] for r in phase2), _appendix_source(1), "body_green_provinces", "appendix 1 (status XANH)")
    expect("communes_reported", sum(r["reported"] for r in status), _appendix_source(4), "body_communes_reported", "appendix 4 (sum of reported)")
    for f in figures:
        m = re.fullmatch(r"provinces_green_over_(\d+)pct", f["figure_id"])
        if m:
            expect(f["figure_id"], sum(r["green_pct"] > int(m.group(1)) for r in status), _appendix_source(4), "body_green_over_threshold", "appendix 4")
    full_green = {r["province_code"] for r in status if r["green_pct"] == 100}
    expect("provinces_green_100pct", len(full_green), _appendix_source(4), "body_green_100pct", "appendix 4 (green_pct = 100%)")
    named = {lookup(name) for name, _ in facts.green_100_names}
    if named != full_green:
        finding(_appendix_source(4), "body_green_100pct_names", f"the body lists {len(named)} provinces at 100% GREEN, appendix 4 has {len(full_green)}; differing codes {sorted(named ^ full_green)}")
    if len(facts.green_100_names) != len(named):
        finding("Báo cáo, phần I", "body_green_100pct_names", f"the list of provinces at 100% GREEN names {len(facts.green_100_names)} entries for {len(named)} provinces")
    expect("communes_in_scope", communes_sum, _appendix_source(4), "body_communes_in_scope", "appendix 4 (sum of communes)")
    for f in by_id.get("communes_all_basic_conditions", []):
        pct_fig = fig.get(("communes_all_basic_conditions_pct", f["as_of_date"]))
        if pct_fig and communes_sum and abs(100 * f["value"] / communes_sum - pct_fig["value"]) > RATE_TOLERANCE:
            finding("Báo cáo, phần III", "body_basic_conditions_pct", f"{f['value']:g}/{communes_sum} = {100 * f['value'] / communes_sum:.2f}% but the body (line {pct_fig['source_line']}) states {pct_fig['value']:g}%")
    # "Communes meeting all basic conditions" are the GREEN communes of appendix 4: the
    # report-day figure is their sum, the previous day's is that sum minus the day's changes.
    green_by_day: dict[str, int] = {}
    if status:
        report_day = dt.date.fromisoformat(status[0]["report_date"])
        green_by_day[report_day.isoformat()] = sum(r["green"] for r in status)
        green_by_day[(report_day - dt.timedelta(days=1)).isoformat()] = sum(green_previous_day(r) for r in status)
    for f in by_id.get("communes_all_basic_conditions", []):
        green = green_by_day.get(f["as_of_date"])
        if green is not None and green != f["value"]:
            finding(_appendix_source(4), "body_basic_conditions_vs_green", f"the body (line {f['source_line']}) states {f['value']:g} communes meeting all basic conditions on {f['as_of_date']}, appendix 4 gives {green} GREEN communes")
    change = by_id.get("commune_progress_change_pct", [])
    basic = sorted(by_id.get("communes_all_basic_conditions", []), key=lambda f: f["as_of_date"])
    if change and len(basic) == 2 and communes_sum:
        actual = 100 * (basic[1]["value"] - basic[0]["value"]) / communes_sum
        if abs(actual - change[0]["value"]) > RATE_TOLERANCE:
            finding("Báo cáo, phần I", "body_progress_change", f"the body (line {change[0]['source_line']}) states +{change[0]['value']:g}% but ({basic[1]['value']:g} − {basic[0]['value']:g})/{communes_sum} = {actual:.2f}%")

    # Appendix 5: the national share with enough one-stop staff, and the provinces lacking signatures.
    def indicator_with(words: str) -> Indicator | None:
        return next((i for i in indicators if words in i.title), None)

    communes_of = {}
    for r in readiness:
        communes_of[r["province_code"]] = r["_communes"]
    staff = indicator_with("nhân sự")
    if staff:
        met = sum(r["pct"] * r["_communes"] / 100 for r in readiness if r["indicator_id"] == staff.indicator_id)
        total = sum(communes_of.values())
        expect("communes_onestop_staff_pct", round(100 * met / total, 2), _appendix_source(5), "body_staff_share", f"appendix 5 ({staff.indicator_id}, weighted by communes)", RATE_TOLERANCE)
    for words, names, check in (("CKS mật", facts.secret_signature_names, "body_secret_signature_provinces"), ("CKS công vụ", facts.official_certificate_names, "body_official_certificate_provinces")):
        ind = indicator_with(words)
        if ind is None:
            finding(_appendix_source(5), check, f"no indicator titled with '{words}' to compare with the body's list")
            continue
        below = {r["province_code"] for r in readiness if r["indicator_id"] == ind.indicator_id and r["pct"] < 100}
        listed = {lookup(name) for name, _ in names}
        if below != listed:
            finding(_appendix_source(5), check, f"the body lists provinces {sorted(listed)} as incomplete for '{ind.title}', appendix 5 has {sorted(below)} below 100%")

    # Appendix 8.
    for f in by_id.get("day_online_rate_pct", []) + by_id.get("day_returned_pct", []):
        row = next((r for r in dossiers if r["_table"] == "I" and r["province_code"] == f["province_code"] and r["period_end"] == f["as_of_date"]), None)
        if row is None:
            finding(_appendix_source(8), "body_day_rate", f"the body (line {f['source_line']}) cites province {f['province_code']} on {f['as_of_date']}, not in table I")
            continue
        actual = row["online_rate_pct"] if f["figure_id"] == "day_online_rate_pct" else round(100 * row["returned"] / row["total"], 2)
        if abs(actual - f["value"]) > RATE_TOLERANCE:
            finding(_appendix_source(8), "body_day_rate", f"the body (line {f['source_line']}) states {f['figure_id']} {f['value']:g}% for province {f['province_code']}, table I gives {actual:g}%")
    for f in by_id.get("lowest_cumulative_online_rate_pct", []):
        cumulative = [r for r in dossiers if r["_table"] == "III" and r["scope"] == "all" and r["period_end"] == f["as_of_date"]]
        if cumulative:
            lowest = min(cumulative, key=lambda r: r["online_rate_pct"])
            # The body says "khoảng" (about): one printed decimal.
            if lowest["province_code"] != f["province_code"] or abs(lowest["online_rate_pct"] - f["value"]) > 0.05 + 1e-9:
                finding(_appendix_source(8), "body_lowest_online_rate", f"the body (line {f['source_line']}) names province {f['province_code']} at about {f['value']:g}% as lowest; table III has province {lowest['province_code']} at {lowest['online_rate_pct']:g}%")

    # Appendix 2.
    expect("overdue_tasks", len(overdue), _appendix_source(2), "body_overdue_tasks", "appendix 2 (tasks listed)")
    group_sum = sum(g["tasks"] for g in facts.group_counts)
    expect("overdue_tasks", group_sum, "Báo cáo, phần II", "body_overdue_group_sum", "the sum of body section II")
    appendix_groups = {_fold(g.title.split(" - ", 1)[1]): g for g in overdue_groups}
    for row in facts.group_counts:
        group = appendix_groups.get(_fold(row["group"]))
        if group is None:
            finding(_appendix_source(2), "body_group_vs_appendix", f"body section II group '{row['group']}' (line {row['_line']}) has no group in appendix 2")
        elif group.tasks != row["tasks"]:
            finding(_appendix_source(2), "body_group_vs_appendix", f"body section II (line {row['_line']}) counts {row['tasks']} tasks for '{row['group']}', appendix 2 lists {group.tasks}")
    return findings


def total_figures(totals: list[dict], report_date: str) -> list[dict]:
    """The national 'Tổng' rows of appendix 8 as report_figures rows."""
    period = {"I": "day", "II": "day", "III": "cumulative"}
    table_name = {"I": "bảng I", "II": "bảng II", "III": "bảng III"}
    rows = []
    for t in totals:
        for column, unit in (("direct", "dossiers"), ("online", "dossiers"), ("returned", "dossiers"), ("total", "dossiers"), ("online_rate_pct", "pct"), ("june_daily_avg", "dossiers_per_day")):
            if t[column] is None:
                continue
            rows.append(
                {
                    "report_date": report_date,
                    "figure_id": f"dossiers_{period[t['_table']]}_{t['scope']}_{column}",
                    "province_code": None,
                    "value": float(t[column]),
                    "unit": unit,
                    "as_of_date": t["period_end"],
                    "source": f"Phụ lục 8, {table_name[t['_table']]}",
                    "source_line": t["_line"],
                    "text": f"Tổng ({t['scope']}, {t['period_start']}–{t['period_end']}): direct {t['direct']}, online {t['online']}, returned {t['returned']}, total {t['total']}, online rate {t['online_rate_pct']}%"
                    + (f", June daily average {t['june_daily_avg']}" if t["june_daily_avg"] is not None else ""),
                }
            )
    return rows


# ---------------------------------------------------------------- assembly

_COLUMNS = {
    "phase2_task_progress": ["report_date", "province_code", "tasks_done", "tasks_total", "status"],
    "commune_status": ["report_date", "province_code", "communes", "green", "yellow", "red", "reported", "reported_pct", "green_pct", "green_pct_change"],
    "commune_readiness": ["report_date", "province_code", "indicator_id", "indicator", "pct"],
    "dossiers": ["report_date", "period_start", "period_end", "scope", "province_code", "direct", "online", "returned", "total", "online_rate_pct", "june_daily_avg"],
    "plan02_tasks": ["report_date", "task_id", "appendix", "group_label", "group", "task_no", "task", "responsible_units", "province_code", "deadline", "deadline_text"],
    "plan02_tasks_in_progress": ["report_date", "task_id", "unit", "province_code"],
    "report_figures": ["report_date", "figure_id", "province_code", "value", "unit", "as_of_date", "source", "source_line", "text"],
}
_NULLABLE_INT = {
    "dossiers": ("returned", "june_daily_avg"),
    "plan02_tasks": ("province_code",),
    "plan02_tasks_in_progress": ("province_code",),
    "report_figures": ("province_code",),
}


def _frame(name: str, rows: list[dict]) -> pd.DataFrame:
    return frame_of_rows(rows, _COLUMNS[name], _NULLABLE_INT.get(name, ()))


def parse_plan02_report(report: RawReport) -> ParsedReport:
    title, report_date, as_of, notice = parse_heading(report)
    rd = report_date.isoformat()
    sections = split_plan02(report)
    appx = sections.appendices
    findings: list[Finding] = list(check_annex_note(report, report_date))

    phase2 = parse_phase2_progress(report, appx[1], rd)
    findings += check_phase2_progress(phase2)

    overdue, overdue_groups = parse_overdue_tasks(report, appx[2])
    due, due_groups = parse_due_tasks(report, appx[3])
    standing = parse_standing_tasks(report, appx[7])
    for appendix, tasks, groups in ((2, overdue, overdue_groups), (3, due, due_groups), (7, standing, [])):
        findings += check_group_counts(appendix, groups)
        findings += check_task_numbering(appendix, tasks)
    tasks = task_rows(overdue + due + standing, rd)
    progress, progress_findings = in_progress_rows(report, standing, rd)
    findings += progress_findings

    status = parse_commune_status(report, appx[4], rd)
    findings += check_commune_status(status)
    findings += check_registry_wards(status, 4)

    readiness, readiness_provinces, indicators, title_total, title_line = parse_commune_readiness(report, appx[5], rd)
    findings += check_readiness_title_total(title_total, readiness_provinces, title_line)
    findings += check_registry_wards(readiness_provinces, 5)
    findings += check_communes_across_appendices(status, readiness_provinces)
    findings += check_readiness_shares(readiness)

    dossiers, dossier_totals = parse_dossiers(report, appx[8], rd)
    findings += check_dossier_rates(dossiers + dossier_totals)
    findings += check_dossier_levels(dossiers + dossier_totals)
    findings += check_dossier_totals(dossiers, dossier_totals)
    findings += check_day_all_vs_commune(dossiers)

    figures, facts = parse_body_figures(report, sections.body, report_date)
    findings += check_body_vs_appendices(figures, facts, status, phase2, readiness, indicators, dossiers, overdue, overdue_groups)
    figures += total_figures(dossier_totals, rd)

    tables = {
        "phase2_task_progress": _frame("phase2_task_progress", phase2),
        "commune_status": _frame("commune_status", status),
        "commune_readiness": _frame("commune_readiness", readiness),
        "dossiers": _frame("dossiers", dossiers),
        "plan02_tasks": _frame("plan02_tasks", tasks),
        "plan02_tasks_in_progress": _frame("plan02_tasks_in_progress", progress),
        "report_figures": _frame("report_figures", figures),
    }
    bloc_tables, bloc_findings = parse_bloc_appendices(report, sections, rd)
    for name, frame in bloc_tables.items():
        if name in tables:
            raise ValueError(f"table {name!r} produced twice (plan02 and plan02_blocs)")
        tables[name] = frame
    findings += bloc_findings
    return ParsedReport(kind=KIND, report=report, report_date=report_date, as_of=as_of, title=title, notice=notice, tables=tables, findings=findings)


def parse(report: RawReport) -> ParsedReport:
    return parse_plan02_report(report)
