"""Daily readiness report of the Ministry of Science and Technology (Bộ KH&CN).

Layout of the source (the 30/6 clean text and the 27/6 OCR extract share it; the
OCR extract mangles diacritics, e.g. ``Pa Ning`` for Đà Nẵng, ``ting`` for tăng)::

    BÁO CÁO
    Rà soát, đánh giá, ... theo mô hình mới          <- title (wrapped)
    (Kèm theo Văn bản số ... của Bộ Khoa học và Công nghệ)
    (Cập nhật lúc 12h00 ngày 30/6/2025)              <- as_of and report_date
    A. Thông tin chung                               <- part A: statements, some list provinces
    B. Thông tin chi tiết
    I- Về hạ tầng, đường truyền, an toàn thông tin   <- sections I..VI in order
    1. Hạ tầng DC/cloud ...                          <- tasks 1., 2., ... (titles wrap)
    a) Cấu hình các TTHC                             <- subtasks a), b), ... (Vietnamese order, đ included)
    • Số lượng tỉnh, thành phố hoàn thành: 29/34 (tăng 04 tỉnh so với ngày hôm qua).
    • 05 tỉnh, thành phố chưa hoàn thành: Cao Bằng, Sơn La, ... (wraps, ends with '.')
    Thời hạn hoàn thành trước ngày 28 tháng 6 năm 2025.
    • Khó khăn, vướng mắc của các đơn vị:             <- then 'Province: text' paragraphs
    • Đề xuất, kiến nghị với Chính phủ:              <- then 'Province: text' proposals
    VI- Đề xuất, kiến nghị với Chính phủ:            <- provinces' proposals; in 30/6 split into
    a) Đề xuất của các tỉnh, thành phố                  a) provinces and
    b) Đề xuất của Bộ Khoa học và Công nghệ             b) the Ministry's own '- ' items

``Toàn bộ các tỉnh, thành phố đã hoàn thành.`` replaces the two status lines when a
task is done everywhere. In section V a paragraph may carry its label inline
(``Lào Cai: Khó khăn, vướng mắc: ...``) or a province header may be followed by
labelled paragraphs (``• Khánh Hoà:`` / ``Khó khăn, vướng mắc: ...``).

Paragraphs wrap over lines and page breaks (runs of blank lines), so a paragraph
runs until the next heading, status line, label or ``Province:`` start. Structure is
matched on a folded copy of each line (no diacritics, lower case); the OCR variants
accepted are spelled out in the regexes below, province names only through
:mod:`helpers.ingest.provinces` (exact, with its explicit OCR alias table).
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from helpers.ingest.fuzzy import FixedPhrase, Vocabulary
from helpers.ingest.provinces import registry
from helpers.ingest.rawtext import RawReport
from helpers.ingest.parsers.base import Finding, ParsedReport, code_at

KIND = "daily_readiness"

# --- regexes on folded lines (see _fold) -------------------------------------------------
# '(Cập nhật lúc 12h00 ngày 30/6/2025)'; OCR: '(Cap nhat lac 12h15 ngay 27/6/2025)'.
_AS_OF_RE = re.compile(r"^\(\s*cap nhat l[a-z]{1,2} (\d{1,2})h(\d{2}) ng[a-z]{2} (\d{1,2})/(\d{1,2})/(\d{4})\s*\)$")
_REPORT_HEADING_RE = FixedPhrase("bao cao")
_ATTACHED_TO_RE = re.compile(r"^\(kem theo ")
_PART_A_RE = FixedPhrase("a. thong tin chung")
_PART_B_RE = FixedPhrase("b. thong tin chi tiet")
# 'Số lượng tỉnh, thành phố hoàn thành: 29/34 (...)'; OCR 'S6 lwong', 'S6 lugng', 'S6 luwong'.
_DONE_RE = re.compile(r"^s[a-z0-9]{0,2} l[a-z]{2,5} tinh(?:, thanh ph[a-z]{1,2})? hoan thanh:")
_DONE_VALUE_RE = re.compile(r"hoan thanh:\s*(\d{1,3})\s*/\s*(\d{1,3})\s*(\([^()]*\))?\s*\.?$")
# '(tăng 04 tỉnh so với ngày hôm qua)'; OCR 'ting', 'v&i', 'v6i', 'ngdy'; '(không tăng so với ...)'.
_CHANGE_RE = re.compile(r"^\(\s*(?:t[ai]ng (\d{1,2}) tinh|(khong) t[ai]ng) so v\S{1,3} ng[a-z]{2,3} hom qua\s*\)$")
_ALL_DONE_RE = FixedPhrase("toan bo cac tinh, thanh pho da hoan thanh")
# '05 tỉnh, thành phố chưa hoàn thành: ...'; OCR 'chwa'.
_NOT_DONE_RE = re.compile(r"^(\d{1,2}) tinh(?:, thanh ph[a-z]{1,2})? ch[a-z]{2,3} hoan thanh:")
_DEADLINE_RE = re.compile(r"^thoi han hoan thanh\b")
_DEADLINE_DATE_RE = re.compile(r"ngay (\d{1,2}) thang (\d{1,2}) nam (\d{4})")
# 'Khó khăn, vướng mắc (của các đơn vị)'; OCR 'Khé khan, vuedng mac cta', 'Kho khian, vuéng mic cia'.
_OBSTACLE_LABEL_RE = FixedPhrase("kho khan, vuong mac", "kho khan, vuong mac cua cac don vi")
# 'Đề xuất, kiến nghị với Chính phủ'; OCR 'P& xuit', 'Pé xuét', 'Dé xuit', 'v6i', 'phii'.
_PROPOSAL_LABEL_RE = FixedPhrase("de xuat, kien nghi voi chinh phu")
# Section VI sub-parts.
# The first four words of either label, to catch a label whose line broke before its colon.
_LABEL_START = FixedPhrase("kho khan, vuong mac", "de xuat, kien nghi")
_PROVINCE_PROPOSALS_RE = FixedPhrase("de xuat cua cac tinh, thanh pho")
_MINISTRY_PROPOSALS_RE = FixedPhrase("de xuat cua bo khoa hoc va cong nghe")

# --- regexes on raw (stripped) lines -----------------------------------------------------
# 'I- Về ...', 'IV-Vé ...'; the OCR prints III as 'I1I' (checked against the expected numeral).
_SECTION_RE = re.compile(r"^([IVXl1]{1,4})\s*-\s*(\S.*)$")
_TASK_RE = re.compile(r"^(\d{1,2})\.\s+(\S.*)$")
# 'a) ...'; the OCR prints c) as '¢)' and g) as '2)' (mapped below, checked against the order).
_SUBTASK_RE = re.compile(r"^([a-zđ¢2])\)\s+(\S.*)$")
_OCR_SUBTASK_LETTERS = {"¢": "c", "2": "g"}
# Bullets the extracts print before status lines and province headers: '•', OCR '«', '*', '»',
# and 'e' (a misread '•', only when followed by a space).
_BULLET_RE = re.compile(r"^(?:[«»*•·]|e(?=\s))\s*")
# 'Name: text' at the start of a paragraph; names have at most five words.
_NAME_COLON_RE = re.compile(r"^([^:,;()]{2,40}?)\s*:\s*(.*)$")

_ROMANS = ("I", "II", "III", "IV", "V", "VI")
# Subtask order of Vietnamese legal numbering: a) b) c) d) đ) e) g) h) i) k) ...
_LETTERS = "abcdđeghiklmnopqrstuvxy"
_MAX_NAME_WORDS = 5


class _FoldTable(dict):
    """str.translate table built on demand: each character folded once, then looked up."""

    def __missing__(self, codepoint: int) -> str:  # str.translate looks characters up by code point
        text = unicodedata.normalize("NFKC", chr(codepoint)).replace("Đ", "D").replace("đ", "d")
        text = unicodedata.normalize("NFD", text)
        folded = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
        self[codepoint] = folded
        return folded


_FOLD_TABLE = _FoldTable()


# Every word of the report's fixed structure. Folded lines have OCR damage to these words
# mended (helpers.ingest.fuzzy.Vocabulary) before the regexes above match them, so the
# regexes need not list one scan's misreadings.
_VOCABULARY = Vocabulary(
    [
        "BÁO CÁO", "Kèm theo Văn bản số của Bộ Khoa học và Công nghệ", "Cập nhật lúc ngày",
        "A. Thông tin chung", "B. Thông tin chi tiết", "Số lượng tỉnh, thành phố hoàn thành",
        "tăng tỉnh so với ngày hôm qua", "không tăng", "Toàn bộ các tỉnh, thành phố đã hoàn thành",
        "tỉnh, thành phố chưa hoàn thành", "Thời hạn hoàn thành trước ngày tháng năm",
        "Khó khăn, vướng mắc của các đơn vị", "Đề xuất, kiến nghị với Chính phủ",
        "Đề xuất của các tỉnh, thành phố", "Đề xuất của Bộ Khoa học và Công nghệ",
    ]
)  # fmt: skip


# Marks a scan leaves inside a word ('BÁO CÁ:O', 'tỉn§h'): Vietnamese puts none there.
_STRAY_IN_WORD_RE = re.compile(r"(?<=[a-z])[^a-z0-9\s,.;()/\-]+(?=[a-z])")


def _fold(text: str) -> str:
    """Lower case, no diacritics, 'đ' -> 'd', NFKC (splits the OCR 'ﬁ' ligature), damaged
    structure words mended; punctuation kept."""
    return _VOCABULARY.mend(_STRAY_IN_WORD_RE.sub("", text.translate(_FOLD_TABLE).strip()))


def _unbullet(text: str) -> str:
    return _BULLET_RE.sub("", text.strip(), count=1)


def _join(pieces: list[str]) -> str:
    """Join wrapped lines: a space between them, none after a word-final hyphen ('02-' + 'KH/BCĐTW')."""
    out = ""
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        if not out:
            out = piece
        elif out.endswith("-") and len(out) > 1 and not out[-2].isspace():
            out += piece
        else:
            out += " " + piece
    return out


class _Joined:
    """Wrapped lines joined into one text, remembering which line each character came from."""

    def __init__(self) -> None:
        self.text = ""
        self._starts: list[int] = []
        self._lines: list[int] = []

    def add(self, line: int, piece: str) -> None:
        piece = piece.strip()
        if not piece:
            return
        if self.text:
            self.text += " "
        self._starts.append(len(self.text))
        self._lines.append(line)
        self.text += piece

    def line_at(self, offset: int) -> int:
        return self._lines[max(bisect.bisect_right(self._starts, offset) - 1, 0)]


@dataclass
class _Node:
    """A section, task or subtask of part B and the lines of its own body."""

    node_id: str  # 'I', 'I.1', 'III.1.a', 'VI.b'
    section: str  # section heading as printed
    section_id: str
    title: str
    line: int
    body_start: int
    body_end: int = 0
    is_task: bool = True  # False for a section's own body and for section VI's parts
    children: int = 0
    # 'proposal' in section VI and its a) part, 'ministry' for its b) part (the Ministry's own items)
    default_kind: str | None = None


@dataclass
class _Item:
    """A 'Province: text' paragraph being read."""

    line: int
    province_code: int
    kind: str | None
    pieces: list[str] = field(default_factory=list)
    labelled: bool = False


@dataclass
class _Status:
    done: int | None = None
    total: int | None = None
    change: int | None = None
    first_line: int = 0  # first status line of any kind (0: none)
    not_done: list[int] = field(default_factory=list)  # codes, in the order listed
    not_done_stated: int | None = None  # the '05' of '05 tỉnh ... chưa hoàn thành'
    not_done_line: int = 0
    deadline: str | None = None
    deadline_line: int = 0


def detect(report: RawReport) -> bool:
    """A daily readiness report: the '(Cập nhật lúc HHhMM ngày d/m/yyyy)' line and a part 'B. Thông tin chi tiết'."""
    head = report.lines[:40]
    if not any(_AS_OF_RE.match(_fold(line)) for line in head):
        return False
    return any(_PART_B_RE.match(_fold(line)) for line in report.lines)


def parse(report: RawReport) -> ParsedReport:
    return parse_daily_readiness_report(_without_stray_colons(report))


# A colon, tilde or section sign between two letters is a scan's stray mark ('Ba Na:mg',
# 'C:ao Bằng', 'II§I'): Vietnamese puts a space after a colon and uses the others not at all,
# and here a colon would split 'Name: text' at the wrong place or hide a section numeral.
_STRAY_COLON_RE = re.compile(r"(?<=[^\W\d_])[:~§](?=[^\W\d_])")


def _without_stray_colons(report: RawReport) -> RawReport:
    if not _STRAY_COLON_RE.search(report.text):
        return report
    text = _STRAY_COLON_RE.sub("", report.text)
    return dataclasses.replace(report, text=text, lines=tuple(text.split("\n")))


def parse_daily_readiness_report(report: RawReport) -> ParsedReport:
    folded = [_fold(line) for line in report.lines]
    as_of_line, report_date, as_of = _read_as_of(report, folded)
    title = _read_title(report, folded, as_of_line)
    part_a = _find(report, folded, _PART_A_RE, 1, "the part heading 'A. Thông tin chung'")
    part_b = _find(report, folded, _PART_B_RE, part_a + 1, "the part heading 'B. Thông tin chi tiết'")
    date_iso = report_date.isoformat()

    parsed = ParsedReport(kind=KIND, report=report, report_date=report_date, as_of=as_of, title=title)
    highlights = _read_part_a(report, part_a + 1, part_b - 1, date_iso, parsed.findings)
    nodes = _outline(report, folded, part_b + 1)

    progress_rows: list[dict] = []
    status_rows: list[dict] = []
    obstacle_rows: list[dict] = []
    ministry_rows: list[dict] = []
    codes = [p.code for p in registry()]
    for node in nodes:
        if node.default_kind == "ministry":
            ministry_rows.extend(_read_ministry(report, node, date_iso))
            continue
        status, items = _read_body(report, folded, node, parsed.findings)
        if status.done is None and not items and node.children == 0 and node.is_task:
            raise report.error(node.line, f"a status line or difficulties under task {node.node_id}", report.lines[node.line - 1].strip())
        if status.first_line and not node.is_task:
            raise report.error(status.first_line, "status lines only under a numbered task", report.lines[status.first_line - 1].strip())
        if status.done is not None:
            progress_rows.append(_progress_row(node, status, date_iso, parsed.findings))
            not_done = set(status.not_done)
            status_rows.extend(
                {"report_date": date_iso, "task_id": node.node_id, "province_code": code, "done": code not in not_done} for code in codes
            )
        source = node.node_id if node.is_task else node.section_id
        for item in items:
            obstacle_rows.append(
                {
                    "report_date": date_iso,
                    "source": source,
                    "task_id": node.node_id if node.is_task else None,
                    "bloc": None,
                    "province_code": item.province_code,
                    "kind": item.kind,
                    "text": _join(item.pieces),
                    "communes_affected": None,
                    "communes_total": None,
                }
            )
        parsed.findings.extend(repeated_paragraph_findings(node.node_id, items))

    parsed.tables = _frames(progress_rows, status_rows, obstacle_rows, highlights, ministry_rows)
    return parsed


# --- header --------------------------------------------------------------------------------


def _find(report: RawReport, folded: list[str], pattern: re.Pattern, start: int, expected: str) -> int:
    for number in range(start, len(folded) + 1):
        if pattern.match(folded[number - 1]):
            return number
    raise report.error(len(report.lines), expected, "end of file")


def _read_as_of(report: RawReport, folded: list[str]) -> tuple[int, dt.date, str]:
    for number, text in enumerate(folded, start=1):
        m = _AS_OF_RE.match(text)
        if m:
            hour, minute, day, month, year = (int(g) for g in m.groups())
            try:
                stamp = dt.datetime(year, month, day, hour, minute)
            except ValueError:
                raise report.error(number, "a real date and time in '(Cập nhật lúc HHhMM ngày d/m/yyyy)'", report.lines[number - 1].strip()) from None
            return number, stamp.date(), stamp.isoformat(timespec="minutes")
    raise report.error(1, "the line '(Cập nhật lúc HHhMM ngày d/m/yyyy)' giving the time of the data", report.lines[0].strip() or None)


def _read_title(report: RawReport, folded: list[str], as_of_line: int) -> str:
    """'BÁO CÁO' and the wrapped subtitle up to '(Kèm theo ...'."""
    heading = next((n for n in range(1, as_of_line) if _REPORT_HEADING_RE.match(folded[n - 1])), None)
    if heading is None:
        raise report.error(as_of_line, "the heading 'BÁO CÁO' before the update line", report.lines[as_of_line - 1].strip())
    pieces = [report.lines[heading - 1]]
    for number in range(heading + 1, as_of_line):
        if _ATTACHED_TO_RE.match(folded[number - 1]):
            break
        pieces.append(report.lines[number - 1])
    return _join(pieces)


# --- part A --------------------------------------------------------------------------------


def _read_part_a(report: RawReport, start: int, end: int, date_iso: str, findings: list[Finding]) -> list[dict]:
    """Part A: paragraphs; a paragraph ending in ': name, name, ... .' lists provinces."""
    paragraphs: list[_Joined] = []
    current: _Joined | None = None
    for number in range(start, end + 1):
        text = report.lines[number - 1]
        if not text.strip():
            current = None
            continue
        if current is None:
            current = _Joined()
            paragraphs.append(current)
        current.add(number, text)
    if not paragraphs:
        raise report.error(start, "at least one statement in part A", report.lines[start - 1].strip() or None)
    rows = []
    for index, paragraph in enumerate(paragraphs, start=1):
        statement = paragraph.text
        names = _province_list(report, paragraph, statement.rfind(":") + 1) if ":" in statement else []
        base = {"report_date": date_iso, "statement_id": f"A.{index}", "statement": statement}
        if not names:
            rows.append({**base, "province_code": None})
        seen = set()
        for code, line in names:
            if code in seen:
                findings.append(Finding(f"A.{index}", "province_listed_once", "info", f"A.{index}: province {code} is named twice (line {line}); one row kept"))
                continue
            seen.add(code)
            rows.append({**base, "province_code": code})
    return rows


def _province_list(report: RawReport, joined: _Joined, offset: int) -> list[tuple[int, int]]:
    """Codes (with their lines) of 'name, name, ..., name.' from ``offset`` of a joined text."""
    text = joined.text
    body = text[offset:].rstrip()
    if not body.endswith("."):
        raise report.error(joined.line_at(len(text) - 1), "a list of provinces ending with '.'", body)
    out = []
    position = offset
    for raw_name in body[:-1].split(","):
        name_offset = position + len(raw_name) - len(raw_name.lstrip())
        position += len(raw_name) + 1
        name = raw_name.strip()
        line = joined.line_at(name_offset)
        if not name:
            raise report.error(line, "a province name between commas", body)
        out.append((code_at(report, name, line), line))
    return out


# --- part B outline ------------------------------------------------------------------------


def _outline(report: RawReport, folded: list[str], start: int) -> list[_Node]:
    """Sections, tasks and subtasks in order, each with the line span of its own body."""
    nodes: list[_Node] = []
    section: _Node | None = None
    task: _Node | None = None
    task_number = 0
    letter: str | None = None
    sections_seen = 0
    number = start
    last = len(report.lines)

    def close(upto: int) -> None:
        if nodes:
            nodes[-1].body_end = upto

    def check_section_has_tasks() -> None:
        # A numbered section whose tasks were all lost (misread headings) must not pass quietly.
        if section is not None and section.default_kind is None and task_number == 0:
            raise report.error(section.line, f"task '1.' under section {section.node_id}", section.section)

    while number <= last:
        text = report.lines[number - 1].strip()
        m = _SECTION_RE.match(text)
        if m:
            numeral = m.group(1).replace("1", "I").replace("l", "I")
            expected = _ROMANS[sections_seen] if sections_seen < len(_ROMANS) else None
            if numeral != expected:
                raise report.error(number, f"section '{expected}-'" if expected else "no section after VI", text)
            check_section_has_tasks()
            close(number - 1)
            label = m.group(2).strip().rstrip(":").strip()
            is_proposals = bool(_PROPOSAL_LABEL_RE.match(_fold(label)))
            section = _Node(numeral, text, numeral, label, number, number + 1, is_task=False, default_kind="proposal" if is_proposals else None)
            nodes.append(section)
            sections_seen += 1
            task, task_number, letter = None, 0, None
            number += 1
            continue
        if section is None:
            if text:
                raise report.error(number, "section 'I-' after 'B. Thông tin chi tiết'", text)
            number += 1
            continue
        m = _TASK_RE.match(text)
        if m and section.default_kind is None:
            if int(m.group(1)) != task_number + 1:
                raise report.error(number, f"task '{task_number + 1}.' of section {section.node_id}", text)
            close(number - 1)
            task_number += 1
            title, body_start = _heading_title(report, folded, number, m.group(2))
            task = _Node(f"{section.node_id}.{task_number}", section.section, section.node_id, title, number, body_start)
            nodes.append(task)
            letter = None
            number = body_start
            continue
        m = _SUBTASK_RE.match(text)
        if m and (task is not None or section.default_kind == "proposal"):
            raw_letter = m.group(1)
            got = _OCR_SUBTASK_LETTERS.get(raw_letter, raw_letter)
            allowed = _next_letters(letter)
            if got not in allowed:
                raise report.error(number, "subtask " + " or ".join(f"'{a})'" for a in allowed), text)
            close(number - 1)
            letter = got
            title, body_start = _heading_title(report, folded, number, m.group(2))
            if task is not None:
                task.children += 1
                node = _Node(f"{task.node_id}.{got}", section.section, section.node_id, title, number, body_start)
            else:
                kind = _proposal_part_kind(report, number, title)
                node = _Node(f"{section.node_id}.{got}", section.section, section.node_id, title, number, body_start, is_task=False, default_kind=kind)
            section.children += 1
            nodes.append(node)
            number = body_start
            continue
        number += 1
    check_section_has_tasks()
    close(last)
    if sections_seen < len(_ROMANS):
        raise report.error(last, f"section '{_ROMANS[sections_seen]}-' (sections I–VI)", "end of file")
    return nodes


def _next_letters(previous: str | None) -> tuple[str, ...]:
    if previous is None:
        return ("a",)
    following = _LETTERS[_LETTERS.index(previous) + 1 :]
    # 'đ)' is often skipped: after d) both đ) and e) are fine.
    return tuple(following[:2]) if previous == "d" else tuple(following[:1])


def _proposal_part_kind(report: RawReport, line: int, title: str) -> str:
    folded = _fold(title)
    if _PROVINCE_PROPOSALS_RE.match(folded):
        return "proposal"
    if _MINISTRY_PROPOSALS_RE.match(folded):
        return "ministry"
    raise report.error(line, "'Đề xuất của các tỉnh, thành phố' or 'Đề xuất của Bộ Khoa học và Công nghệ'", title)


def _heading_title(report: RawReport, folded: list[str], line: int, first: str) -> tuple[str, int]:
    """A task title and its wrapped lines (up to a blank line or a line of another kind)."""
    pieces = [first]
    number = line + 1
    while number <= len(report.lines):
        raw = report.lines[number - 1].strip()
        if not raw or _line_kind(raw, folded[number - 1]) != "text":
            break
        pieces.append(raw)
        number += 1
    return _join(pieces), number


def _line_kind(raw: str, folded: str) -> str:
    """What a non-blank line starts: a heading, a status line, a label, 'Name:' or plain text."""
    if _SECTION_RE.match(raw) or _TASK_RE.match(raw) or _SUBTASK_RE.match(raw):
        return "heading"
    bare = _unbullet(folded)
    if _DONE_RE.match(bare) or _ALL_DONE_RE.match(bare) or _NOT_DONE_RE.match(bare) or _DEADLINE_RE.match(bare):
        return "status"
    if _label_of(bare.split(":", 1)[0]) is not None and ":" in bare:
        return "label"
    if _name_colon(raw) is not None:
        return "name"
    return "text"


def _label_of(folded_head: str) -> str | None:
    head = folded_head.strip()
    if _OBSTACLE_LABEL_RE.match(head):
        return "obstacle"
    if _PROPOSAL_LABEL_RE.match(head):
        return "proposal"
    return None


def _name_colon(raw: str) -> tuple[str, str] | None:
    """('Name', rest) for a paragraph starting 'Name: ...' with a short capitalised name, else None."""
    m = _NAME_COLON_RE.match(_unbullet(raw))
    if not m:
        return None
    name = m.group(1).strip()
    if not name[:1].isupper() or len(name.split()) > _MAX_NAME_WORDS or _label_of(_fold(name)):
        return None
    return name, m.group(2)


# --- task bodies ---------------------------------------------------------------------------


def _read_body(report: RawReport, folded: list[str], node: _Node, findings: list[Finding]) -> tuple[_Status, list[_Item]]:
    status = _Status()
    items: list[_Item] = []
    item: _Item | None = None
    kind = node.default_kind
    number = node.body_start
    while number <= node.body_end:
        raw = report.lines[number - 1].strip()
        if not raw:
            number += 1
            continue
        bare = _unbullet(folded[number - 1])
        if _DONE_RE.match(bare) or _ALL_DONE_RE.match(bare) or _NOT_DONE_RE.match(bare) or _DEADLINE_RE.match(bare):
            status.first_line = status.first_line or number
        if _DONE_RE.match(bare) or _ALL_DONE_RE.match(bare):
            if status.done is not None:
                raise report.error(number, f"one count of provinces done for task {node.node_id}", raw)
            number = _read_done(report, folded, node, number, status)
            item = None
            continue
        if _NOT_DONE_RE.match(bare):
            if status.not_done_line:
                raise report.error(number, f"one list of provinces not done for task {node.node_id}", raw)
            number = _read_not_done(report, folded, node, number, status)
            item = None
            continue
        if _DEADLINE_RE.match(bare):
            m = _DEADLINE_DATE_RE.search(bare)
            if not m or status.deadline is not None:
                raise report.error(number, "one deadline 'Thời hạn hoàn thành ... ngày D tháng M năm YYYY'", raw)
            day, month, year = (int(g) for g in m.groups())
            try:
                status.deadline = dt.date(year, month, day).isoformat()
            except ValueError:
                raise report.error(number, "a real deadline date", raw) from None
            status.deadline_line = number
            item = None
            number += 1
            continue
        head, colon, rest = bare.partition(":")
        label = _label_of(head) if colon else None
        if label is not None and not rest.strip():
            # A block header: the paragraphs after it are of this kind.
            kind, item = label, None
            number += 1
            continue
        named = _name_colon(raw)
        if named is not None:
            name, rest_raw = named
            code = code_at(report, name, number)  # raises: an unknown name where a province is expected
            item = _Item(number, code, kind)
            items.append(item)
            inline = _split_label(rest_raw)
            if inline is None and ":" not in rest_raw and rest_raw.strip():
                # A scan may break the line inside the label ('Lào Cai: Khó khăn, vướng' /
                # 'mắc: ...'): read the label across the break, never as the paragraph's text.
                following = _next_text_line(report, node, number)
                if following is not None:
                    across = _split_label(rest_raw.rstrip() + " " + report.lines[following - 1].strip())
                    if across is not None and _starts_a_label(_fold(rest_raw)):
                        inline, number = across, following
            if inline is not None:
                item.kind, item.labelled = inline[0], True
                kind = inline[0]
                rest_raw = inline[1]
            if rest_raw.strip():
                item.pieces.append(rest_raw)
            number += 1
            continue
        if label is not None:
            # 'Khó khăn, vướng mắc: ...' under a province header ('• Khánh Hoà:').
            if item is None:
                raise report.error(number, "a 'Province:' header before a labelled paragraph", raw)
            text = _split_label(_unbullet(raw))
            assert text is not None
            if item.pieces:
                item = _Item(number, item.province_code, text[0])
                items.append(item)
            item.kind, item.labelled = text[0], True
            kind = text[0]
            item.pieces.append(text[1])
            number += 1
            continue
        if item is None:
            raise report.error(number, f"a status line or a 'Province: text' paragraph in {node.node_id}", raw)
        if _LABEL_START.match(" ".join(bare.split()[:4])):
            # A label whose line broke before its colon would silently join the paragraph above.
            raise report.error(number, "a 'Khó khăn, vướng mắc:' or 'Đề xuất, kiến nghị...:' label on one line", raw)
        item.pieces.append(raw)
        number += 1
    for it in items:
        if it.kind is None:
            raise report.error(it.line, "a 'Khó khăn, vướng mắc' or 'Đề xuất, kiến nghị' label for this paragraph", report.lines[it.line - 1].strip())
        if not it.pieces:
            raise report.error(it.line, "text after 'Province:'", report.lines[it.line - 1].strip())
    findings.extend(inherited_kind_findings(node.node_id, items, report))
    if status.done is None and (status.not_done_line or status.deadline_line):
        # A list or a deadline with no count would be lost: the count line is missing or misread.
        line = status.not_done_line or status.deadline_line
        raise report.error(line, f"the count of provinces done ('Số lượng tỉnh ... hoàn thành: D/T') of task {node.node_id} before this line", report.lines[line - 1].strip())
    return status, items


def _next_text_line(report: RawReport, node: _Node, number: int) -> int | None:
    """The next non-blank line of the task's body after ``number``, if any."""
    following = number + 1
    while following <= node.body_end and not report.lines[following - 1].strip():
        following += 1
    return following if following <= node.body_end else None


def _starts_a_label(folded_rest: str) -> bool:
    """Whether the words before a line break (three letters at least) begin a label ('kho khan, vuong')."""
    words = " ".join(folded_rest.replace(",", " ").split())
    return len(words) >= 3 and any(" ".join(label.replace(",", " ").split()).startswith(words) for label in _LABEL_START.keys)


def _split_label(rest_raw: str) -> tuple[str, str] | None:
    """(kind, text) if ``rest_raw`` starts with an inline 'Khó khăn, vướng mắc:' / 'Đề xuất, kiến nghị ...:' label."""
    head, colon, tail = rest_raw.partition(":")
    if not colon:
        return None
    label = _label_of(_fold(head))
    return (label, tail.strip()) if label else None


def _collect_until_period(report: RawReport, node: _Node, number: int, what: str) -> tuple[_Joined, int]:
    """The line at ``number`` and its wrapped continuation, up to a line ending in '.'; returns the next line."""
    joined = _Joined()
    joined.add(number, _unbullet(report.lines[number - 1]))
    last = number
    number += 1
    while not joined.text.endswith("."):
        while number <= node.body_end and not report.lines[number - 1].strip():
            number += 1
        raw = report.lines[number - 1].strip() if number <= node.body_end else ""
        if not raw or _line_kind(raw, _fold(raw)) != "text":
            # The line that should have closed it: the last one read.
            raise report.error(last, f"{what} ending with '.'", report.lines[last - 1].strip())
        joined.add(number, raw)
        last = number
        number += 1
    return joined, number


def _read_done(report: RawReport, folded: list[str], node: _Node, number: int, status: _Status) -> int:
    if _ALL_DONE_RE.match(_unbullet(folded[number - 1])):
        status.done = status.total = len(registry())
        return number + 1
    joined, after = _collect_until_period(report, node, number, "the count of provinces done")
    text = _fold(joined.text)
    m = _DONE_VALUE_RE.search(text)
    if not m:
        raise report.error(number, "'hoàn thành: D/T (tăng K tỉnh so với ngày hôm qua).'", joined.text)
    status.done, status.total = int(m.group(1)), int(m.group(2))
    if m.group(3):
        change = _CHANGE_RE.match(m.group(3))
        if not change:
            raise report.error(number, "'(tăng K tỉnh so với ngày hôm qua)' or '(không tăng so với ngày hôm qua)'", m.group(3))
        status.change = 0 if change.group(2) else int(change.group(1))
    return after


def _read_not_done(report: RawReport, folded: list[str], node: _Node, number: int, status: _Status) -> int:
    status.not_done_line = number
    status.not_done_stated = int(_NOT_DONE_RE.match(_unbullet(folded[number - 1])).group(1))
    joined, after = _collect_until_period(report, node, number, "the list of provinces not done")
    status.not_done = [code for code, _line in _province_list(report, joined, joined.text.index(":") + 1)]
    return after


# --- cross-checks (Findings) ---------------------------------------------------------------


def _progress_row(node: _Node, status: _Status, date_iso: str, findings: list[Finding]) -> dict:
    findings.extend(status_findings(node.node_id, status.done, status.total, status.change, status.not_done_stated, status.not_done))
    previous = None if status.change is None else status.done - status.change
    if previous is not None and not 0 <= previous <= status.total:
        previous = None  # reported by status_findings; the count cannot be stored
    return {
        "report_date": date_iso,
        "section": node.section,
        "task_id": node.node_id,
        "task": node.title,
        "deadline": status.deadline,
        "done_count": status.done,
        "total": status.total,
        "change_vs_previous_day": status.change,
        "previous_day_done_count": previous,
    }


def status_findings(task_id: str, done: int, total: int, change: int | None, stated_not_done: int | None, not_done: list[int]) -> list[Finding]:
    """A task's count against its list of provinces not done and its stated change."""
    out = []
    provinces = len(registry())
    if total != provinces:
        out.append(Finding(task_id, "total_is_34_provinces", "warning", f"task {task_id}: total printed as {total}, not {provinces}"))
    if done > total:
        out.append(Finding(task_id, "done_at_most_total", "warning", f"task {task_id}: {done} done of {total}"))
    if done != total - len(not_done):
        out.append(
            Finding(task_id, "done_equals_total_minus_not_done", "warning", f"task {task_id}: {done}/{total} done but {len(not_done)} provinces listed as not done ({total} − {len(not_done)} = {total - len(not_done)})")
        )
    if stated_not_done is not None and stated_not_done != len(not_done):
        out.append(Finding(task_id, "not_done_count_equals_list", "warning", f"task {task_id}: list announced as {stated_not_done:02d} provinces but names {len(not_done)}"))
    if len(set(not_done)) != len(not_done):
        out.append(Finding(task_id, "not_done_list_unique", "warning", f"task {task_id}: the list of provinces not done names a province more than once"))
    if change is not None and not 0 <= done - change <= total:
        out.append(Finding(task_id, "previous_day_done_in_range", "warning", f"task {task_id}: {done} done and 'tăng {change}' give {done - change} done the day before, outside 0–{total}"))
    return out


def inherited_kind_findings(node_id: str, items: list[_Item], report: RawReport) -> list[Finding]:
    """Paragraphs with no label of their own after inline-labelled ones: read as the previous kind, said so."""
    out = []
    if any(it.labelled for it in items):
        for it in items:
            if not it.labelled:
                out.append(
                    Finding(node_id, "paragraph_kind_inherited", "info", f"{node_id}: the paragraph at line {it.line} has no 'Khó khăn'/'Đề xuất' label; read as {it.kind} like the paragraph before it")
                )
    return out


def repeated_paragraph_findings(node_id: str, items: list[_Item]) -> list[Finding]:
    """A province given twice under the same task and kind (the 27/6 extract repeats Nghệ An under III.2.e)."""
    out = []
    seen: dict[tuple[int, str], int] = {}
    for it in items:
        key = (it.province_code, it.kind or "")
        if key in seen:
            out.append(Finding(node_id, "province_paragraph_repeated", "info", f"{node_id}: province {it.province_code} has a second {it.kind} paragraph (lines {seen[key]} and {it.line}); both kept"))
        else:
            seen[key] = it.line
    return out


# --- section VI b) -------------------------------------------------------------------------


def _read_ministry(report: RawReport, node: _Node, date_iso: str) -> list[dict]:
    """'- text' items, wrapped over lines and page breaks."""
    items: list[list[str]] = []
    for number in range(node.body_start, node.body_end + 1):
        raw = report.lines[number - 1].strip()
        if not raw:
            continue
        if raw.startswith("- "):
            items.append([raw[2:]])
        elif not items:
            raise report.error(number, "a '- ' item of the Ministry's proposals", raw)
        else:
            items[-1].append(raw)
    if not items:
        raise report.error(node.line, "at least one '- ' item under the Ministry's proposals", report.lines[node.line - 1].strip())
    return [{"report_date": date_iso, "item": i, "text": _join(pieces)} for i, pieces in enumerate(items, start=1)]


# --- frames --------------------------------------------------------------------------------


def _frames(progress, status, obstacles, highlights, ministry) -> dict:
    import pandas as pd

    from helpers.ingest.schemas import TABLES

    def frame(name: str, rows: list[dict]) -> pd.DataFrame:
        # The schema's own dtypes, so that empty tables and all-empty columns type-check too.
        schema = TABLES[name].strict
        df = pd.DataFrame(rows, columns=TABLES[name].columns)
        return df.astype({column: spec.dtype.type for column, spec in schema.columns.items()})

    return {
        "task_progress": frame("task_progress", progress),
        "task_status": frame("task_status", status),
        "obstacles": frame("obstacles", obstacles),
        "daily_highlights": frame("daily_highlights", highlights),
        "daily_ministry_proposals": frame("daily_ministry_proposals", ministry),
    }
