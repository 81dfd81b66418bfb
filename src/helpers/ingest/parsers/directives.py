"""Directives notice: the Government Office's notice of the Deputy Prime Minister's conclusions (30/6/2025).

Layout of the source::

     Hà Nội, ngày 30 tháng 6 năm 2025                      (place and date: report_date, notice_date)
    THÔNG BÁO
    Kết luận của Phó Thủ tướng … tại cuộc họp ngày 30 tháng 6 năm 2025 … từ ngày 01/7/2025
    ____________
    Ngày 30 tháng 6 năm 2025, tại trụ sở Chính phủ, …      (preamble: meeting date)
    I. VỀ QUAN ĐIỂM, YÊU CẦU                               (roman section)
    Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương:   (lead-in of the section)
    1. Người đứng đầu …                                    (numbered item)
    II. CÁC NHIỆM VỤ TRỌNG TÂM
    1. Về thể chế, cơ chế chính sách                       (numbered heading + lead-in)
    a) Kiện toàn Ban Chỉ đạo … chậm nhất trước ngày 10 tháng 7 năm 2025.   (lettered item)
    b) Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương:
    - Phối hợp với Bộ Khoa học và Công nghệ, …             (dash bullet)
    …
    Văn phòng Chính phủ trân trọng thông báo …             (end of the directives)

Sentences wrap, often with a blank line in the middle of a sentence; blank lines do not
end an item, only the next heading/number/letter/bullet does. A line holding only a
number is a page number (``4`` between two halves of a sentence) and is dropped.

A *directive* is a leaf of that outline: a numbered item without lettered items, a lettered
item without bullets, or a bullet. Ids come from the numbering: ``I.2``, ``II.1.a``,
``II.3.b``; the notice does not number bullets, so the k-th bullet of ``II.2.b`` is
``II.2.b-1``, ``II.2.b-2``, … (the dash marks an id we derived from the order). The text
of the parents (section heading, numbered heading, lead-ins) goes to ``context`` in the
extra table ``directive_items``.

Deadline: a date in ``(chậm nhất) trước/trong ngày D tháng M năm YYYY`` (or ``D/M/YYYY``)
in the directive's text. Other dates (``từ ngày …``, ``trước và sau ngày …``, the date of a
plan) are not deadlines; ``trong năm 2025`` is kept as printed in ``deadline_as_printed``
but has no date (it names no day). Two different deadlines in one directive are refused.

Provinces: a directive names provinces as ``N tỉnh[, thành phố] (A, B, …)``; each name must
be one of the 34 (``thành phố Hồ Chí Minh`` folds to Hồ Chí Minh). ``Lài Cai`` is a typo
for Lào Cai in the notice (there is no such province; the same list names Lai Châu
separately); it is corrected through ``_NOTICE_TYPOS`` with an info Finding. The stated
count N is checked against the names listed. A list in a parent's text applies to all
its leaves. Directives that name no province (most address "các tỉnh, thành phố trực
thuộc Trung ương", i.e. all 34) get one row with an empty province_code.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import pandas as pd

from helpers.ingest.rawtext import RawReport
from helpers.ingest.parsers.base import Finding, ParsedReport, code_at, int_at

KIND = "directives_notice"

_NOTICE_RE = re.compile(r"^\s*THÔNG BÁO\s*$")
_CONCLUSION_RE = re.compile(r"^\s*Kết luận của Phó Thủ tướng")
_PLACE_DATE_RE = re.compile(r"^\s*[^,\d]+, ngày (\d{1,2}) tháng (\d{1,2}) năm (\d{4})\s*$")
_MEETING_DATE_RE = re.compile(r"^\s*Ngày (\d{1,2}) tháng (\d{1,2}) năm (\d{4}), tại")
_TITLE_END_RE = re.compile(r"^\s*_{3,}\s*$")
_ROMAN_RE = re.compile(r"^\s*(I|II|III|IV|V|VI|VII|VIII|IX|X)\.\s+(\S.*?)\s*$")
_NUMBERED_RE = re.compile(r"^\s*(\d{1,2})\.\s+(\S.*?)\s*$")
_LETTERED_RE = re.compile(r"^\s*([a-zđ])\)\s+(\S.*?)\s*$")
_BULLET_RE = re.compile(r"^\s*-\s+(\S.*?)\s*$")
_PAGE_NUMBER_RE = re.compile(r"^\s*\d{1,3}\s*$")
_CLOSING_RE = re.compile(r"^\s*Văn phòng Chính phủ trân trọng thông báo")
_SPACES_RE = re.compile(r"\s+")

_DATE_WORDS = r"ngày (?P<d>\d{1,2}) tháng (?P<m>\d{1,2}) năm (?P<y>\d{4})"
_DATE_SLASH = r"ngày (?P<d2>\d{1,2})/(?P<m2>\d{1,2})/(?P<y2>\d{4})"
_DEADLINE_RE = re.compile(rf"(?:chậm nhất )?(?:trước|trong) (?:{_DATE_WORDS}|{_DATE_SLASH})")
_YEAR_DEADLINE_RE = re.compile(r"(?:hoàn thành|chậm nhất)\b[^.;]*? trong năm (\d{4})")
_PROVINCE_LIST_RE = re.compile(r"(?P<count>\d+) tỉnh(?:, thành phố)? \((?P<names>[^()]+)\)")

# Misspellings in the notice itself (not OCR damage), each read in context. Keys are the
# spelling as printed; values the official spelling passed on to the strict matcher.
_NOTICE_TYPOS = {
    "Lài Cai": "Lào Cai",  # II.3.c lists "Lài Cai, Lai Châu": no province is called Lài Cai
}

LETTERS = "abcdđeghiklmnopqrstuvxy"  # Vietnamese alphabetical order (no f, j, w, z)


def detect(report: RawReport) -> bool:
    head = report.lines[:15]
    return any(_NOTICE_RE.match(line) for line in head) and any(_CONCLUSION_RE.match(line) for line in head)


def parse(report: RawReport) -> ParsedReport:
    return parse_directives_notice(report)


@dataclass
class Node:
    """One heading, numbered/lettered item or bullet, with its text joined across lines."""

    level: int  # 0 roman section, 1 numbered, 2 lettered, 3 bullet
    label: str  # 'II', '3', 'b', or the bullet ordinal '1'
    line: int
    pieces: list[tuple[int, str]] = field(default_factory=list)  # (line, text)
    lead_in: list[tuple[int, str]] = field(default_factory=list)  # roman sections: text after the heading line
    children: list[Node] = field(default_factory=list)

    def add(self, number: int, text: str) -> None:
        text = _SPACES_RE.sub(" ", text.strip())
        if text:
            self.pieces.append((number, text))

    @property
    def text(self) -> str:
        """The item's own text (a roman section: its heading)."""
        return " ".join(t for _, t in self.pieces)

    @property
    def full_text(self) -> str:
        """Own text and, for a roman section, its lead-in: what province lists are read from."""
        return " ".join(t for _, t in self.pieces + self.lead_in)

    @property
    def context_text(self) -> str:
        lead_in = " ".join(t for _, t in self.lead_in)
        return f"{self.text} › {lead_in}" if lead_in else self.text


def _expect_next(report: RawReport, number: int, found: str, previous: str | None, kind: str, first: str, order) -> None:
    expected = first if previous is None else order(previous)
    if found != expected:
        raise report.error(number, f"{kind} '{expected}' next in the notice's numbering", found)


def _next_roman(label: str) -> str:
    romans = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
    return romans[romans.index(label) + 1] if label != romans[-1] else "?"


def _next_letter(label: str) -> str:
    i = LETTERS.find(label)
    return LETTERS[i + 1] if 0 <= i < len(LETTERS) - 1 else "?"


def parse_outline(report: RawReport) -> tuple[list[Node], int]:
    """The roman sections with their items, and the line of the closing sentence."""
    start = next((n for n, line in enumerate(report.lines, 1) if _ROMAN_RE.match(line)), None)
    if start is None:
        raise report.error(len(report.lines), "the first section 'I. …' of the notice")
    closing = next((n for n in range(start, len(report.lines) + 1) if _CLOSING_RE.match(report.lines[n - 1])), None)
    if closing is None:
        raise report.error(len(report.lines), "the closing 'Văn phòng Chính phủ trân trọng thông báo …'")
    sections: list[Node] = []
    current: Node | None = None
    for number in range(start, closing):
        line = report.lines[number - 1]
        if not line.strip() or _PAGE_NUMBER_RE.match(line):
            continue
        if m := _ROMAN_RE.match(line):
            _expect_next(report, number, m.group(1), sections[-1].label if sections else None, "section", "I", _next_roman)
            current = Node(0, m.group(1), number)
            current.add(number, m.group(2))
            sections.append(current)
            continue
        section = sections[-1]
        if m := _NUMBERED_RE.match(line):
            previous = section.children[-1].label if section.children else None
            kind = f"item of section {section.label}"
            _expect_next(report, number, m.group(1), previous, kind, "1", lambda p: str(int(p) + 1))
            current = Node(1, m.group(1), number)
            current.add(number, m.group(2))
            section.children.append(current)
            continue
        if m := _LETTERED_RE.match(line):
            if not section.children:
                raise report.error(number, f"a numbered item of section {section.label} before lettered items", line.strip())
            parent = section.children[-1]
            previous = parent.children[-1].label if parent.children else None
            if previous is not None and parent.children[-1].level != 2:
                expected = f"lettered items of {section.label}.{parent.label} before its bullets"
                raise report.error(number, expected, line.strip())
            kind = f"lettered item of {section.label}.{parent.label}"
            _expect_next(report, number, m.group(1), previous, kind, "a", _next_letter)
            current = Node(2, m.group(1), number)
            current.add(number, m.group(2))
            parent.children.append(current)
            continue
        if m := _BULLET_RE.match(line):
            if not section.children:
                raise report.error(number, f"a numbered item of section {section.label} before bullets", line.strip())
            parent = section.children[-1]
            if parent.children and parent.children[-1].level == 2:
                parent = parent.children[-1]
            current = Node(3, str(len(parent.children) + 1), number)
            current.add(number, m.group(1))
            parent.children.append(current)
            continue
        # a continuation line; text right after a roman heading is the section's lead-in
        if current is not None and current.level == 0:
            current.lead_in.append((number, _SPACES_RE.sub(" ", line.strip())))
        else:
            current.add(number, line)
    return sections, closing


@dataclass
class Directive:
    directive_id: str
    section: str
    context: str
    text: str
    line: int
    deadline: dt.date | None
    deadline_as_printed: str | None
    provinces_stated: int | None  # sum of the stated counts of the province lists
    provinces: list[int]  # codes in the order listed, no repeats


def _leaves(node: Node, path: list[Node]):
    if not node.children:
        yield node, path
        return
    for child in node.children:
        yield from _leaves(child, path + [node])


def _directive_id(leaf: Node, path: list[Node]) -> str:
    labels = [n.label for n in path + [leaf]]
    kinds = [n.level for n in path + [leaf]]
    out = labels[0]
    for label, level in zip(labels[1:], kinds[1:]):
        out += f"-{label}" if level == 3 else f".{label}"
    return out


def _line_of(node: Node, offset: int) -> int:
    """Line of a character offset in node.full_text (pieces are joined by single spaces)."""
    position = 0
    for number, text in node.pieces + node.lead_in:
        if offset < position + len(text) + 1:
            return number
        position += len(text) + 1
    return node.line


def _deadline(report: RawReport, node: Node) -> tuple[dt.date | None, str | None]:
    dates: dict[dt.date, str] = {}
    for m in _DEADLINE_RE.finditer(node.text):
        if m.group("d"):
            d, mo, y = m.group("d"), m.group("m"), m.group("y")
        else:
            d, mo, y = m.group("d2"), m.group("m2"), m.group("y2")
        try:
            date = dt.date(int(y), int(mo), int(d))
        except ValueError:
            raise report.error(_line_of(node, m.start()), "a valid deadline date", m.group(0)) from None
        dates.setdefault(date, m.group(0))
    if len(dates) > 1:
        raise report.error(node.line, "at most one deadline per directive", "; ".join(dates.values()))
    if dates:
        (date, printed), = dates.items()
        return date, printed
    if m := _YEAR_DEADLINE_RE.search(node.text):
        return None, f"trong năm {m.group(1)}"
    return None, None


def _province_lists(report: RawReport, node: Node) -> list[tuple[int, list[tuple[int, str]], int]]:
    """(stated count, [(code, spelling)], line) for each 'N tỉnh (A, B, …)' in the node's text."""
    out = []
    text = node.full_text
    for m in _PROVINCE_LIST_RE.finditer(text):
        line = _line_of(node, m.start())
        stated = int_at(report, m.group("count"), line)
        names = []
        offset = m.start("names")
        for raw in m.group("names").split(","):
            name = raw.strip()
            name_line = _line_of(node, offset + len(raw) - len(raw.lstrip()))
            offset += len(raw) + 1
            if not name:
                raise report.error(name_line, "a province name in the list", m.group("names"))
            names.append((code_at(report, _NOTICE_TYPOS.get(name, name), name_line), name))
        out.append((stated, names, line))
    return out


def build_directives(report: RawReport, sections: list[Node], source: str) -> tuple[list[Directive], list[Finding]]:
    directives: list[Directive] = []
    findings: list[Finding] = []
    lists_cache: dict[int, list] = {}
    for section in sections:
        if not section.children:
            raise report.error(section.line, f"numbered items in section {section.label}", section.text)
        for leaf, path in _leaves(section, []):
            directive_id = _directive_id(leaf, path)
            stated_total = None
            codes: list[int] = []
            for node in path + [leaf]:
                if id(node) not in lists_cache:
                    lists_cache[id(node)] = _province_lists(report, node)
                for stated, names, line in lists_cache[id(node)]:
                    stated_total = (stated_total or 0) + stated
                    findings += check_province_count(directive_id, stated, names, line, source)
                    for code, spelling in names:
                        if spelling in _NOTICE_TYPOS:
                            findings.append(
                                Finding(
                                    source,
                                    "province_spelling_corrected",
                                    "info",
                                    f"{directive_id}: '{spelling}' (line {line}) read as {_NOTICE_TYPOS[spelling]}",
                                )
                            )
                        if code in codes:
                            findings.append(
                                Finding(
                                    source,
                                    "province_listed_twice",
                                    "warning",
                                    f"{directive_id}: {spelling} is named twice (line {line}); one row kept",
                                )
                            )
                            continue
                        codes.append(code)
            deadline, deadline_printed = _deadline(report, leaf)
            directives.append(
                Directive(
                    directive_id=directive_id,
                    section=section.label,
                    context=" › ".join(n.context_text for n in path),
                    text=leaf.text,
                    line=leaf.line,
                    deadline=deadline,
                    deadline_as_printed=deadline_printed,
                    provinces_stated=stated_total,
                    provinces=codes,
                )
            )
    return directives, findings


def check_province_count(
    directive_id: str, stated: int, names: list[tuple[int, str]], line: int, source: str
) -> list[Finding]:
    """'4 tỉnh (Bắc Ninh, Lào Cai, Vĩnh Long, An Giang)': the stated count against the names listed."""
    distinct = len({code for code, _ in names})
    if stated == len(names) == distinct:
        return []
    detail = f"{directive_id}: states {stated} provinces (line {line}) but lists {len(names)} names"
    if distinct != len(names):
        detail += f", {distinct} of them distinct"
    return [Finding(source, "directive_province_count", "warning", detail + f" ({', '.join(s for _, s in names)})")]


def _dates(report: RawReport) -> tuple[dt.date, int, dt.date | None, int | None]:
    """(notice date, its line, meeting date, its line)."""
    found = None
    for number, line in enumerate(report.lines[:10], 1):
        if m := _PLACE_DATE_RE.match(line):
            found = (m, number)
            break
    if found is None:
        expected = "the place and date line 'Hà Nội, ngày D tháng M năm YYYY'"
        raise report.error(1, expected, report.lines[0].strip() or None)
    m, number = found
    try:
        notice_date = dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        raise report.error(number, "a valid date", report.lines[number - 1].strip()) from None
    for meeting_line, line in enumerate(report.lines, 1):
        if mm := _MEETING_DATE_RE.match(line):
            try:
                return notice_date, number, dt.date(int(mm.group(3)), int(mm.group(2)), int(mm.group(1))), meeting_line
            except ValueError:
                raise report.error(meeting_line, "a valid meeting date", line.strip()) from None
    return notice_date, number, None, None


def check_meeting_date(
    notice_date: dt.date, meeting_date: dt.date | None, meeting_line: int | None, source: str
) -> list[Finding]:
    """A notice of conclusions follows its meeting: a meeting after the notice's date is a contradiction."""
    if meeting_date is None or meeting_date <= notice_date:
        return []
    return [
        Finding(
            source,
            "meeting_after_notice",
            "warning",
            f"the meeting is dated {meeting_date:%d/%m/%Y} (line {meeting_line}), "
            f"after the notice's own date {notice_date:%d/%m/%Y}",
        )
    ]


def _title(report: RawReport) -> str:
    start = next((n for n, line in enumerate(report.lines[:15], 1) if _NOTICE_RE.match(line)), None)
    if start is None:
        raise report.error(1, "the heading 'THÔNG BÁO'")
    pieces = []
    for number in range(start, min(start + 15, len(report.lines) + 1)):
        line = report.lines[number - 1]
        if _TITLE_END_RE.match(line):
            return " ".join(pieces)
        if line.strip():
            pieces.append(_SPACES_RE.sub(" ", line.strip()))
    raise report.error(start, "the title ended by a '____' rule", " ".join(pieces)[:80])


def parse_directives_notice(report: RawReport) -> ParsedReport:
    source = report.name
    title = _title(report)
    notice_date, _, meeting_date, meeting_line = _dates(report)
    findings = check_meeting_date(notice_date, meeting_date, meeting_line, source)
    sections, _ = parse_outline(report)
    directives, list_findings = build_directives(report, sections, source)
    findings += list_findings

    rows = []
    items = []
    # every row carries its notice's date: notices are kept side by side, each briefing
    # reads those dated on or before its own date
    dated = notice_date.isoformat()
    for d in directives:
        deadline = d.deadline.isoformat() if d.deadline else None
        for code in d.provinces or [None]:
            rows.append({"notice_date": dated, "directive_id": d.directive_id, "directive": d.text, "deadline": deadline, "province_code": code})
        items.append(
            {
                "notice_date": dated,
                "directive_id": d.directive_id,
                "section": d.section,
                "context": d.context,
                "directive": d.text,
                "deadline": deadline,
                "deadline_as_printed": d.deadline_as_printed,
                "provinces_stated": d.provinces_stated,
                "provinces_listed": len(d.provinces),
                "source_line": d.line,
            }
        )
    table = pd.DataFrame(rows, columns=["notice_date", "directive_id", "directive", "deadline", "province_code"])
    table["province_code"] = table["province_code"].astype("Int64")
    item_table = pd.DataFrame(items, columns=list(items[0]) if items else None)
    item_table["provinces_stated"] = item_table["provinces_stated"].astype("Int64")
    as_of = (meeting_date or notice_date).isoformat()
    return ParsedReport(
        kind=KIND,
        report=report,
        report_date=notice_date,
        as_of=as_of,
        title=title,
        tables={"directives": table, "directive_items": item_table},
        findings=findings,
    )
