"""Plan-02 report, appendices 6 and 9–25: obstacles, the four commune blocs' criteria, completion rates.

Every appendix starts with a line ``Phụ lục N``, then a one-line title, then a table
header that the PDF extract repeats at each page break (sometimes after a bare page
number). Cells wrap over several lines; a line that ends without a space was cut
inside a word, so it is joined to the next line without one (``côn`` + ``g chức``).

* **Appendix 6** (``Các vướng mắc chính trong ngày <d/m/yyyy>``) and **13–20**
  (``VƯỚNG MẮC KHÓ KHĂN CHÍNH Ở CẤP <bloc>`` = obstacles, ``KIẾN NGHỊ ĐỀ XUẤT Ở CẤP
  <bloc>`` = proposals): a row ``STT Province`` followed by up to three items
  ``text affected/total (p,p%)``; an item's text may wrap and its counts may sit
  on a line of their own, and an item may share the province's line
  (``22 Nghệ An Không có phản hồi 1/130 (0,8%)``).
* **Appendices 9–12** (``Tình hình hoàn thành các tiêu chí của <bloc> cấp xã``):
  per criterion ``STT``, the criterion (wrapped), the number of provinces under
  50% and the lowest ones as ``Name (pct% (met/total)); ...`` (pct with a decimal
  point here). Short rows put several cells on one line
  (``7 Các hệ thống khác 6``; ``9 <criterion> 1 Cao Bằng (46.43% (26/56))``); one
  row prints ``34 Tất cả các tỉnh/thành phố`` instead of a list; a criterion whose
  text runs over a page break prints the rest after the repeated header.
* **Appendix 21**: ``STT Province p% p% p% p%``, one column per bloc in the order
  of the header (the provincial-level bodies of the four blocs).
* **Appendices 22–25** (``VƯỚNG MẮC Ở GIAI ĐOẠN 2 CẤP TỈNH Ở 4 CẤP – <bloc> (N/34
  tỉnh, thành phố)``): ``STT <body> <Province>`` (body = ``Tỉnh ủy``, ``HĐND tỉnh``,
  ``UBND``, ``MTTQ``...) then free text of any length; the name cell may wrap
  (``Thành ủy Thành phố Hồ Chí`` / ``Minh``). Stored with bloc ``province``;
  ``source`` keeps the appendix, which names the provincial body.

Cross-checks (Findings, never failures) are the ``check_*`` functions below; they
take plain row dicts so tests can feed them small contradictions.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

import pandas as pd

from helpers.ingest.provinces import by_code, lookup, registry
from helpers.ingest.rawtext import RawReport
from helpers.ingest.parsers.base import Finding, code_at, frame_of_rows, int_at, pct_at, vn_date
from helpers.ingest.parsers.plan02_sections import Plan02Sections, Span

OBSTACLE_APPENDICES = (6, 13, 14, 15, 16, 17, 18, 19, 20)
CRITERIA_APPENDICES = (9, 10, 11, 12)
COMPLETION_APPENDIX = 21
PROVINCIAL_APPENDICES = (22, 23, 24, 25)

# Bloc names as the titles and headers print them; the front is tested first because
# "Ủy ban Mặt trận Tổ quốc" also contains "Ủy ban".
_BLOC_NAMES = (
    ("mặt trận tổ quốc", "front"),
    ("hội đồng nhân dân", "council"),
    ("ủy ban nhân dân", "committee"),
    ("đảng ủy", "party"),
)

_BLANK_RE = re.compile(r"^\s*$")
_BARE_INT_RE = re.compile(r"^\s*(\d{1,3})\s*$")
_ROW_START_RE = re.compile(r"^\s*(?P<stt>\d{1,3})(?:\s+(?P<rest>.*))?$", re.S)
_ITEM_END_RE = re.compile(r"^(?P<text>.*?)\s*(?P<affected>\d+)\s*/\s*(?P<total>\d+)\s*\((?P<pct>\d+(?:,\d+)?%)\)\s*$", re.S)
_WORD_RE = re.compile(r"\S+")

_OBSTACLE_TITLE_RE = re.compile(r"^Các vướng mắc chính trong ngày (\d{1,2}/\d{1,2}/\d{4})$")
_BLOC_OBSTACLE_TITLE_RE = re.compile(r"^(?P<kind>VƯỚNG MẮC KHÓ KHĂN CHÍNH|KIẾN NGHỊ ĐỀ XUẤT) Ở CẤP (?P<bloc>.+)$")
_CRITERIA_TITLE_RE = re.compile(r"^Tình hình hoàn thành các tiêu chí của (?P<bloc>.+?) cấp xã\b")
_COMPLETION_TITLE_RE = re.compile(r"^TỈ LỆ HOÀN THÀNH CÁC TIÊU CHÍ .*Ở 4 CẤP$")
_PROVINCIAL_TITLE_RE = re.compile(r"^VƯỚNG MẮC Ở GIAI ĐOẠN 2 CẤP TỈNH Ở 4 CẤP\s*[–-]\s*(?P<bloc>.+?)\s*\((?P<listed>\d+)/(?P<of>\d+) tỉnh, thành phố\)$")

_OBSTACLE_HEADER_RE = re.compile(r"^STT Tỉnh/thành phố\b")
_PROVINCIAL_HEADER_RE = re.compile(r"^STT Tỉnh, thành phố Vướng mắc\b")
_CRITERIA_HEADER_LINES = frozenset({"STT Tiêu chí", "Số tỉnh/thành", "phố < 50%"})
_TOP_N_RE = re.compile(r"^Top (\d+) tỉnh/thành phố thấp nhất \(<50%\)$")
_COMPLETION_HEADER_LINES = frozenset(
    {"STT Tỉnh, thành phố", "Tỉ lệ hoàn thành", "Đảng ủy", "Hội đồng Nhân dân", "Ủy ban Nhân dân", "Mặt trận Tổ quốc"}
)

# Appendices 9–12. A row's cells after the criterion: the count alone, the count and the
# start of the list, or the count and the words that replace the list.
_PCT_TOKEN = r"\d+(?:[.,]\d+)?%"
_COUNT_ONLY_RE = re.compile(r"^\s*(?P<count>\d{1,2})\s*$")
_COUNT_LIST_RE = re.compile(rf"(?:^|\s)(?P<count>\d{{1,2}})\s+(?P<list>[^\d();%]+\(\s*{_PCT_TOKEN}.*)$", re.S)
_COUNT_NOTE_RE = re.compile(r"(?:^|\s)(?P<count>\d{1,2})\s+(?P<note>Tất cả các tỉnh/thành phố)\s*$")
_TEXT_COUNT_RE = re.compile(r"^(?P<text>.*\S)\s+(?P<count>\d{1,2})\s*$", re.S)
_LIST_ENTRY_RE = re.compile(
    rf"^\s*(?P<name>[^()]*?)\s*\(\s*(?P<pct>{_PCT_TOKEN})\s*(?:\(\s*(?P<met>\d+)\s*/\s*(?P<total>\d+)\s*\))?\s*\)\s*$", re.S
)

# Appendix 21 rows: STT, the province, one rate per bloc column.
_COMPLETION_ROW_RE = re.compile(rf"^\s*(?P<stt>\d{{1,2}})\s+(?P<name>.+?)\s+(?P<pcts>(?:{_PCT_TOKEN}\s+)*{_PCT_TOKEN})\s*$")

# Appendices 22–25: the provincial body before the province name. "Tinh ủy" (no
# accent) is a typo the report prints once; "ủy"/"uỷ" are two tone placements.
_BODY_LABEL_RE = re.compile(r"^\s*(?:(?:T[ỉi]nh|Thành|Đảng)\s+[uủ][yỷ]|HĐND|UBND|MTTQ)\s+")

# Body paragraphs that cite appendices 9–12 ("33/34 tỉnh ... dưới 50% (Phụ lục 9)").
_BULLET_RE = re.compile(r"^\s*-\s*Đối với\b")
_PARAGRAPH_END_RE = re.compile(r"^\s*(?:-\s|\d+\.\s|[a-zđ]\)\s)")
_CITATION_RE = re.compile(r"\(Phụ lục (\d{1,2})\)")
_FIGURE_RE = re.compile(r"(?P<n>\d{1,2})/(?P<of>\d{1,2}) tỉnh|(?P<all>tất cả các tỉnh)", re.I)

# Which statement of the body refers to which criterion: (appendix, words of the body
# sentence, words found in exactly one criterion of that appendix). Read by a person off
# the body (lines 166–197 of the 22/9 report); the figures themselves are parsed.
BODY_CLAIMS = (
    (9, "phần mềm quản lý cán bộ", "phần mềm quản lý cán bộ"),
    (9, "phổ biến thủ tục hành chính", "đã phổ biến"),
    (10, "văn bản giám sát", "ban hành văn bản giám sát"),
    (10, "chất vấn và thảo luận", "chất vấn và thảo luận"),
    (10, "quy chế đánh giá", "quy chế, quy định về đánh giá"),
    (10, "giám sát chuyên đề", "giám sát chuyên đề:"),
    (10, "phối hợp kiểm tra", "phối hợp kiểm tra"),
    (11, "kịch bản", "kịch bản"),
    (11, "vận hành bộ máy", "vận hành bộ máy"),
    (12, "danh sách đoàn viên", "danh sách đoàn viên"),
    (12, "quy chế đánh giá", "quy chế, quy định về đánh giá"),
)

# Tolerances for "printed rate vs counts": half a unit of the last printed decimal.
_PCT1_TOLERANCE = 0.05 + 1e-9
_PCT2_TOLERANCE = 0.005 + 1e-9


# ---------------------------------------------------------------------------
# Shared line handling
# ---------------------------------------------------------------------------


class _Line(NamedTuple):  # a tuple: ~10^5 of them per report, made faster than a frozen dataclass
    number: int
    text: str  # as in the report, with its trailing space (it tells a wrap from a cut word)
    after_break: bool  # a repeated table header came between this and the previous content line


@dataclass
class _Appendix:
    number: int
    title: str
    title_line: int
    headers: list[list[tuple[int, str]]]  # each header block: (line, text) pairs
    lines: list[_Line]


def _join(parts: list[str]) -> str:
    """Join wrapped lines of one cell: a space at a wrap, nothing where a word was cut."""
    if len(parts) == 1:  # most cells: one line
        return " ".join(parts[0].split())
    out = ""
    for part in parts:
        if out and not out[-1].isspace() and part[:1] and not part[0].isspace():
            out += part  # the line ended inside a word (no trailing space in the extract)
        elif out:
            out += " " + part
        else:
            out = part
    return " ".join(out.split())


def _fold(text: str) -> str:
    return " ".join(text.casefold().replace("uỷ", "ủy").split())


def _bloc_of(report: RawReport, line: int, name: str) -> str:
    folded = _fold(name)
    for words, bloc in _BLOC_NAMES:
        if words in folded:
            return bloc
    raise report.error(line, "a bloc name (Đảng ủy, Hội đồng nhân dân, Ủy ban nhân dân, Mặt trận Tổ quốc)", name)


def _scan(report: RawReport, number: int, span: Span, is_header) -> _Appendix:
    """Title, header blocks and content lines of an appendix (blank lines and page numbers dropped)."""
    raw = list(span.lines(report))
    # str.strip() drops exactly what _BLANK_RE's \s matches (Unicode whitespace)
    nonblank = [(n, text) for n, text in raw[1:] if text.strip()]
    if not nonblank:
        raise report.error(span.end, f"a title after 'Phụ lục {number}'", "end of the appendix")
    title_line, title = nonblank[0][0], " ".join(nonblank[0][1].split())
    headers: list[list[tuple[int, str]]] = []
    lines: list[_Line] = []
    in_header = False
    after_break = False
    rest = nonblank[1:]
    for i, (n, text) in enumerate(rest):
        stripped = " ".join(text.split())
        if is_header(stripped):
            if not in_header:
                headers.append([])
            headers[-1].append((n, stripped))
            in_header = True
            after_break = True
            continue
        in_header = False
        # A bare number right before a repeated header is the page number of the PDF.
        if _BARE_INT_RE.match(text) and i + 1 < len(rest) and is_header(" ".join(rest[i + 1][1].split())):
            continue
        if not headers:
            raise report.error(n, f"the table header of Phụ lục {number}", stripped)
        lines.append(_Line(n, text, after_break and bool(lines)))
        after_break = False
    if not lines:
        raise report.error(span.end, f"table rows in Phụ lục {number}", "no rows")
    return _Appendix(number, title, title_line, headers, lines)


def _split_province(report: RawReport, line: int, text: str, max_words: int = 6):
    """(code, spelling, rest of text) if ``text`` starts with a province name, else None.

    Tries the longest run of words first, so 'Thành phố Hồ Chí Minh Hệ thống ...' keeps
    the whole name; matching itself is the strict registry lookup.
    """
    found = _province_prefix(text, max_words)
    if found is None:
        return None
    start, end = found
    spelling = text[start:end]
    return code_at(report, spelling, line), " ".join(spelling.split()), text[end:]


@functools.lru_cache(maxsize=16384)
def _province_prefix(text: str, max_words: int) -> tuple[int, int] | None:
    """(start, end) of the longest run of up to ``max_words`` first words that is a known
    spelling (the same rows recur in every appendix and every day's report)."""
    words = list(_WORD_RE.finditer(text))
    for k in range(min(len(words), max_words), 0, -1):
        if lookup(text[words[0].start() : words[k - 1].end()]) is not None:
            return words[0].start(), words[k - 1].end()
    return None


# ---------------------------------------------------------------------------
# Appendices 6 and 13–20: obstacles/proposals with communes affected
# ---------------------------------------------------------------------------


@dataclass
class _Row:
    stt: int
    line: int
    code: int
    items: int = 0


def _parse_counted_items(report: RawReport, app: _Appendix, source: str, kind: str, bloc: str | None,
                         report_date: str, out: list[dict], checks: list[dict], spellings: list[tuple[int, str, int]]) -> list[_Row]:
    rows: list[_Row] = []
    pending: list[_Line] = []

    def close_row() -> None:
        if pending:
            raise report.error(pending[0].number, "an item ending with 'affected/total (p%)'", _join([p.text for p in pending]))
        if rows and rows[-1].items == 0:
            raise report.error(rows[-1].line, f"at least one item for row {rows[-1].stt}", "none")

    def take_text(number: int, text: str) -> None:
        # Items start with a capital; a wrapped item goes on in lower case or with its counts.
        # A capital here means the pending item never got its counts: fail, don't merge two items.
        initial = text.lstrip()[:1]
        if pending and initial.isalpha() and initial.isupper():
            raise report.error(pending[0].number, "an item ending with 'affected/total (p%)'", _join([p.text for p in pending]))
        pending.append(_Line(number, text, False))
        m = _ITEM_END_RE.match(text)
        if not m:
            return
        parts = [p.text for p in pending[:-1]] + [m["text"]]
        item = _join(parts)
        first = pending[0].number
        pending.clear()
        if not item:
            raise report.error(number, "the item's text before its counts", text.strip())
        affected = int_at(report, m["affected"], number)
        total = int_at(report, m["total"], number)
        pct = pct_at(report, m["pct"], number)
        row = rows[-1]
        row.items += 1
        out.append({
            "report_date": report_date, "source": source, "task_id": None, "bloc": bloc,
            "province_code": row.code, "kind": kind, "text": item,
            "communes_affected": affected, "communes_total": total,
        })
        checks.append({"appendix": app.number, "line": first, "province_code": row.code,
                       "affected": affected, "total": total, "pct": pct})

    for ln in app.lines:
        m = _ROW_START_RE.match(ln.text)
        if m:
            stt, rest = int(m["stt"]), m["rest"] or ""
            if not rest.strip():
                raise report.error(ln.number, f"row {len(rows) + 1} or an item (a page number only before a header)", ln.text.strip())
            split = _split_province(report, ln.number, rest)
            if stt == len(rows) + 1:
                if split is None:
                    raise report.error(ln.number, f"a province name after STT {stt}", rest.strip())
                close_row()
                code, spelling, remainder = split
                spellings.append((ln.number, spelling, code))
                rows.append(_Row(stt, ln.number, code))
                if remainder.strip():
                    take_text(ln.number, remainder)
                continue
            if split is not None:
                raise report.error(ln.number, f"row {len(rows) + 1} (rows numbered in order)", ln.text.strip())
        if not rows:
            raise report.error(ln.number, "row 1 (STT and province)", ln.text.strip())
        take_text(ln.number, ln.text)
    close_row()
    return rows


# ---------------------------------------------------------------------------
# Appendices 22–25: provincial-level obstacles as free text
# ---------------------------------------------------------------------------


def _parse_provincial(report: RawReport, app: _Appendix, source: str, report_date: str,
                      out: list[dict], spellings: list[tuple[int, str, int]]) -> list[_Row]:
    rows: list[_Row] = []
    texts: list[list[str]] = []
    lines = app.lines
    i = 0
    while i < len(lines):
        ln = lines[i]
        m = _ROW_START_RE.match(ln.text)
        if m and int(m["stt"]) == len(rows) + 1:
            # The name cell ("Tỉnh ủy Cao Bằng") may start on the STT line or the next, and wrap.
            cell = m["rest"] or ""
            j = i
            if not cell.strip():
                j += 1
                if j >= len(lines):
                    raise report.error(ln.number, f"a province after STT {m['stt']}", "end of the appendix")
                cell = lines[j].text
            split = None
            while True:
                label = _BODY_LABEL_RE.match(cell)
                split = _split_province(report, lines[j].number, cell[label.end():] if label else cell)
                if split is not None or j + 1 >= len(lines) or j - i >= 3:
                    break
                j += 1
                cell = cell.rstrip() + " " + lines[j].text
            if split is None:
                raise report.error(ln.number, f"a province (after a body such as 'Tỉnh ủy') at row {m['stt']}", " ".join(cell.split()))
            code, spelling, remainder = split
            spellings.append((lines[j].number, spelling, code))
            rows.append(_Row(int(m["stt"]), ln.number, code))
            texts.append([remainder] if remainder.strip() else [])
            i = j + 1
            continue
        if not rows:
            raise report.error(ln.number, "row 1 (STT, body and province)", ln.text.strip())
        texts[-1].append(ln.text)
        i += 1
    for row, parts in zip(rows, texts):
        text = _join(parts)
        if not text:
            raise report.error(row.line, f"the obstacle text of row {row.stt}", "nothing")
        row.items = 1
        out.append({
            "report_date": report_date, "source": source, "task_id": None, "bloc": "province",
            "province_code": row.code, "kind": "obstacle", "text": text,
            "communes_affected": None, "communes_total": None,
        })
    return rows


# ---------------------------------------------------------------------------
# Appendices 9–12: criteria and the lowest provinces
# ---------------------------------------------------------------------------


@dataclass
class _Criterion:
    stt: int
    line: int
    text_parts: list[str] = field(default_factory=list)
    count: int | None = None
    count_line: int | None = None
    note: str | None = None
    list_parts: list[tuple[int, str]] = field(default_factory=list)


def _parens_balanced_and_closed(parts: list[tuple[int, str]]) -> bool:
    text = "".join(p for _, p in parts).rstrip()
    return text.endswith(")") and text.count("(") == text.count(")")


def _criteria_rows(report: RawReport, app: _Appendix) -> list[_Criterion]:
    """Walk the rows: STT -> criterion text -> count -> list; see the module docstring."""
    criteria: list[_Criterion] = []
    state = "stt"  # stt (between rows), text, list

    def take_count(number: int, text: str, c: _Criterion, anywhere: bool) -> bool:
        """Read the count (and list start or note) from ``text``; anywhere=False: only at its start."""
        if m := _COUNT_ONLY_RE.match(text):
            c.count, c.count_line = int(m["count"]), number
            return True
        for regex in (_COUNT_LIST_RE, _COUNT_NOTE_RE):
            m = regex.search(text) if anywhere else regex.match(text.lstrip())
            if m:
                if anywhere and text[: m.start()].strip():
                    c.text_parts.append(text[: m.start()])
                c.count, c.count_line = int(m["count"]), number
                if "note" in m.groupdict():
                    c.note = m["note"]
                else:
                    c.list_parts.append((number, m["list"]))
                return True
        if anywhere and (m := _TEXT_COUNT_RE.match(text)):
            c.text_parts.append(m["text"])
            c.count, c.count_line = int(m["count"]), number
            return True
        return False

    def after_count(c: _Criterion) -> str:
        if c.note is not None or c.count == 0:
            return "stt"
        return "stt" if c.list_parts and _parens_balanced_and_closed(c.list_parts) else "list"

    tail = False  # reading the end of a criterion's text printed after a page break
    for ln in app.lines:
        if state == "stt":
            m = _ROW_START_RE.match(ln.text)
            if m and int(m["stt"]) == len(criteria) + 1:
                tail = False
                c = _Criterion(int(m["stt"]), ln.number)
                criteria.append(c)
                rest = m["rest"] or ""
                if rest.strip() and take_count(ln.number, rest, c, anywhere=True):
                    state = after_count(c)
                else:
                    if rest.strip():
                        c.text_parts.append(rest)
                    state = "text"
            elif criteria and (ln.after_break or tail):
                # The criterion cell ran over the page break: its end follows the repeated header.
                criteria[-1].text_parts.append(ln.text)
                tail = True
                continue
            else:
                raise report.error(ln.number, f"criterion {len(criteria) + 1} (its STT)", ln.text.strip())
        elif state == "text":
            c = criteria[-1]
            if take_count(ln.number, ln.text, c, anywhere=False):
                state = after_count(c)
            else:
                c.text_parts.append(ln.text)
        else:  # list
            c = criteria[-1]
            c.list_parts.append((ln.number, ln.text))
            if _parens_balanced_and_closed(c.list_parts):
                state = "stt"
    if state != "stt":
        c = criteria[-1]
        what = "the number of provinces under 50%" if state == "text" else "the end of the list of provinces"
        raise report.error(app.lines[-1].number, f"{what} for criterion {c.stt}", app.lines[-1].text.strip())
    for c in criteria:
        if not _join(c.text_parts):
            raise report.error(c.line, f"the text of criterion {c.stt}", "nothing")
    return criteria


def _list_entries(report: RawReport, c: _Criterion):
    """(line, name, pct token, met, total) per entry of a criterion's list."""
    # Join the pieces as _join does, but keep the spacing so each entry can name its line.
    text, starts = "", []
    for number, part in c.list_parts:
        sep = "" if not text or (not text[-1].isspace() and part[:1] and not part[0].isspace()) else " "
        starts.append((len(text) + len(sep), number))
        text += sep + part
    entries = []
    offset = 0
    for piece in text.split(";"):
        first = offset + len(piece) - len(piece.lstrip())
        line = [n for start, n in starts if start <= first][-1] if first >= starts[0][0] else starts[0][1]
        offset += len(piece) + 1
        m = _LIST_ENTRY_RE.match(piece)
        if not m or not m["name"]:
            raise report.error(line, "a province entry 'Name (pct% (met/total))' between ';'", piece.strip())
        entries.append((line, " ".join(m["name"].split()), m["pct"], m["met"], m["total"]))
    return entries


def _parse_criteria(report: RawReport, app: _Appendix, bloc: str, report_date: str,
                    rows: list[dict], summary: list[dict], spellings: list[tuple[int, str, int]]) -> None:
    criteria = _criteria_rows(report, app)
    for c in criteria:
        criterion_id = f"{bloc}.{c.stt:02d}"
        criterion = _join(c.text_parts)
        seen: set[int] = set()
        entries = _list_entries(report, c) if c.list_parts else []
        for rank, (line, name, pct_token, met, total) in enumerate(entries, start=1):
            code = code_at(report, name, line)
            if code in seen:
                raise report.error(line, f"each province once in the list of criterion {c.stt}", name)
            seen.add(code)
            spellings.append((line, name, code))
            rows.append({
                "report_date": report_date, "appendix": app.number, "bloc": bloc,
                "criterion_id": criterion_id, "criterion": criterion, "rank": rank,
                "province_code": code, "pct": pct_at(report, pct_token, line),
                "communes_met": None if met is None else int(met),
                "communes_total": None if total is None else int(total),
                "_line": line,
            })
        summary.append({
            "report_date": report_date, "appendix": app.number, "bloc": bloc,
            "criterion_id": criterion_id, "criterion": criterion,
            "provinces_below_50": c.count, "provinces_listed": len(entries), "note": c.note,
            "_line": c.count_line,
        })


# ---------------------------------------------------------------------------
# Appendix 21: completion rate per province and bloc
# ---------------------------------------------------------------------------


def _parse_completion(report: RawReport, app: _Appendix, report_date: str,
                      out: list[dict], spellings: list[tuple[int, str, int]]) -> None:
    orders = []
    for block in app.headers:
        orders.append(tuple(_bloc_of(report, n, t) for n, t in block if t not in ("STT Tỉnh, thành phố", "Tỉ lệ hoàn thành")))
    columns = orders[0]
    if sorted(columns) != sorted(b for _, b in _BLOC_NAMES):
        raise report.error(app.headers[0][0][0], "a header with one column per bloc (Đảng ủy, HĐND, UBND, MTTQ)", " | ".join(t for _, t in app.headers[0]))
    for block, order in zip(app.headers[1:], orders[1:]):
        if order != columns:
            raise report.error(block[0][0], "the repeated header with the same bloc columns", " | ".join(t for _, t in block))
    seen: set[int] = set()
    for expected, ln in enumerate(app.lines, start=1):
        m = _COMPLETION_ROW_RE.match(ln.text)
        if not m or int(m["stt"]) != expected:
            raise report.error(ln.number, f"row {expected}: 'STT Province' and {len(columns)} rates", ln.text.strip())
        pcts = m["pcts"].split()
        if len(pcts) != len(columns):
            raise report.error(ln.number, f"{len(columns)} rates (one per bloc)", m["pcts"])
        code = code_at(report, m["name"], ln.number)
        if code in seen:
            raise report.error(ln.number, "each province once in Phụ lục 21", m["name"])
        seen.add(code)
        spellings.append((ln.number, m["name"], code))
        for bloc, token in zip(columns, pcts):
            out.append({"report_date": report_date, "province_code": code, "bloc": bloc, "pct": pct_at(report, token, ln.number)})


# ---------------------------------------------------------------------------
# The body's statements about appendices 9–12
# ---------------------------------------------------------------------------


def body_citations(report: RawReport, body: Span, summary: list[dict]) -> list[dict]:
    """The body's "N/34 provinces under 50%" statements, each tied to the criterion it names.

    Returns dicts: appendix, line, figure, body_phrase, criterion_id.
    """
    paragraphs: dict[int, tuple[int, str]] = {}
    lines = [(n, t) for n, t in body.lines(report) if not _BLANK_RE.match(t)]
    for i, (n, text) in enumerate(lines):
        if not _BULLET_RE.match(text):
            continue
        parts = [text]
        for _, more in lines[i + 1 :]:
            if _PARAGRAPH_END_RE.match(more):
                break
            parts.append(more)
        paragraph = _join(parts)
        cited = {int(x) for x in _CITATION_RE.findall(paragraph)}
        if len(cited) == 1 and (a := cited.pop()) in CRITERIA_APPENDICES:
            paragraphs[a] = (n, paragraph)
    by_appendix = defaultdict(list)
    for row in summary:
        by_appendix[row["appendix"]].append(row)
    total_provinces = len(registry())
    citations = []
    for appendix, body_phrase, criterion_phrase in BODY_CLAIMS:
        if appendix not in paragraphs:
            raise report.error(body.end, f"a body paragraph '- Đối với ...' citing (Phụ lục {appendix})")
        line, paragraph = paragraphs[appendix]
        folded = _fold(paragraph)
        at = folded.find(_fold(body_phrase))
        if at < 0:
            raise report.error(line, f"the words '{body_phrase}' in the paragraph citing Phụ lục {appendix}", paragraph)
        figures = [m for m in _FIGURE_RE.finditer(folded) if m.start() < at]
        if not figures:
            raise report.error(line, f"'N/34 tỉnh' before '{body_phrase}'", paragraph)
        m = figures[-1]
        figure = total_provinces if m["all"] else int(m["n"])
        matches = [r for r in by_appendix[appendix] if _fold(criterion_phrase) in _fold(r["criterion"])]
        if len(matches) != 1:
            raise report.error(line, f"exactly one criterion of Phụ lục {appendix} containing '{criterion_phrase}'",
                               f"{len(matches)} criteria")
        citations.append({"appendix": appendix, "line": line, "figure": figure, "body_phrase": body_phrase,
                          "criterion_id": matches[0]["criterion_id"]})
    return citations


# ---------------------------------------------------------------------------
# Cross-checks (Findings)
# ---------------------------------------------------------------------------


def _name(code: int) -> str:
    return by_code(code).short_name


def check_item_pcts(items: list[dict], source_prefix: str) -> list[Finding]:
    """Printed 'affected/total (p,p%)': p must be affected/total × 100 to one decimal, affected ≤ total."""
    findings = []
    for it in items:
        source = f"{source_prefix} Phụ lục {it['appendix']}"
        if it["total"] == 0 or it["affected"] > it["total"]:
            findings.append(Finding(source, "communes_affected_exceed_total", "warning",
                                    f"line {it['line']}, {_name(it['province_code'])}: {it['affected']}/{it['total']} communes"))
            continue
        computed = it["affected"] / it["total"] * 100
        if abs(computed - it["pct"]) > _PCT1_TOLERANCE:
            findings.append(Finding(source, "obstacle_pct_mismatch", "warning",
                                    f"line {it['line']}, {_name(it['province_code'])}: printed {it['pct']}% but "
                                    f"{it['affected']}/{it['total']} = {computed:.2f}%"))
    return findings


def check_communes_totals(observations: list[dict], source_prefix: str) -> list[Finding]:
    """A province's number of communes must be the same wherever printed, and match the registry."""
    seen: dict[int, dict[int, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    for ob in observations:
        seen[ob["province_code"]][ob["total"]].append((ob["appendix"], ob["line"]))

    def where(places: list[tuple[int, int]]) -> str:
        places = sorted(set(places))
        shown = ", ".join(f"Phụ lục {a} line {n}" for a, n in places[:3])
        return shown + (f" and {len(places) - 3} more" if len(places) > 3 else "")

    findings = []
    source = f"{source_prefix} Phụ lục 6, 9–20"
    for code in sorted(seen):
        totals = seen[code]
        if len(totals) > 1:
            detail = "; ".join(f"{t} ({where(p)})" for t, p in sorted(totals.items()))
            findings.append(Finding(source, "communes_total_inconsistent", "warning",
                                    f"{_name(code)} is printed with different numbers of communes: {detail}"))
        registry_wards = by_code(code).wards
        for total, places in sorted(totals.items()):
            if total != registry_wards:
                findings.append(Finding(source, "communes_total_not_registry", "warning",
                                        f"{_name(code)}: {total} communes ({where(places)}) but the registry has {registry_wards}"))
    return findings


def check_provinces_listed(appendix: int, codes: list[int], expected: int, source_prefix: str,
                           expected_from: str = "all 34 provinces") -> list[Finding]:
    """An appendix should list each province once, and as many as its title (or the 34) says."""
    findings = []
    source = f"{source_prefix} Phụ lục {appendix}"
    twice = sorted({c for c in codes if codes.count(c) > 1})
    if twice:
        findings.append(Finding(source, "province_listed_twice", "warning",
                                f"listed more than once: {', '.join(_name(c) for c in twice)}"))
    distinct = set(codes)
    if len(distinct) != expected:
        detail = f"{len(distinct)} provinces listed, expected {expected} ({expected_from})"
        if expected == len(registry()):
            missing = [p.short_name for p in registry() if p.code not in distinct]
            detail += f"; missing: {', '.join(missing)}"
        findings.append(Finding(source, "province_count_mismatch", "warning", detail))
    return findings


def check_criteria(summary: list[dict], rows: list[dict], top_n: dict[int, int], source_prefix: str) -> list[Finding]:
    """Appendices 9–12: rates vs counts, listed provinces vs the printed count, order and the 50% bound."""
    findings = []
    by_criterion = defaultdict(list)
    for r in rows:
        by_criterion[r["criterion_id"]].append(r)
    total_provinces = len(registry())
    for s in summary:
        source = f"{source_prefix} Phụ lục {s['appendix']}"
        listed = sorted(by_criterion[s["criterion_id"]], key=lambda r: r["rank"])
        n = s["provinces_below_50"]
        if n > total_provinces:
            findings.append(Finding(source, "criterion_count_exceeds_provinces", "warning",
                                    f"{s['criterion_id']}: {n} provinces under 50% of {total_provinces}"))
        expected = min(n, top_n[s["appendix"]])
        if s["note"] is not None:
            findings.append(Finding(source, "criterion_list_not_printed", "info",
                                    f"{s['criterion_id']}: {n} provinces under 50%, no list of the lowest "
                                    f"('{s['note']}'), so bloc_criteria has no rows for it"))
        elif len(listed) != expected:
            findings.append(Finding(source, "criterion_list_length_mismatch", "warning",
                                    f"{s['criterion_id']}: {n} provinces under 50% but {len(listed)} listed (expected {expected})"))
        for r in listed:
            where = f"{s['criterion_id']} line {r['_line']}, {_name(r['province_code'])}"
            if r["pct"] >= 50:
                findings.append(Finding(source, "criterion_listed_not_below_50", "warning", f"{where}: {r['pct']}% is not under 50%"))
            if r["communes_met"] is not None and r["communes_total"]:
                computed = r["communes_met"] / r["communes_total"] * 100
                if abs(computed - r["pct"]) > _PCT2_TOLERANCE:
                    findings.append(Finding(source, "criterion_pct_mismatch", "warning",
                                            f"{where}: printed {r['pct']}% but {r['communes_met']}/{r['communes_total']} = {computed:.2f}%"))
            if r["communes_met"] is not None and r["communes_total"] is not None and r["communes_met"] > r["communes_total"]:
                findings.append(Finding(source, "communes_met_exceed_total", "warning",
                                        f"{where}: {r['communes_met']}/{r['communes_total']}"))
        pcts = [r["pct"] for r in listed]
        if pcts != sorted(pcts):
            findings.append(Finding(source, "criterion_rank_order", "warning",
                                    f"{s['criterion_id']}: the lowest provinces are not in ascending order: {pcts}"))
    return findings


def check_body_below_50(citations: list[dict], summary: list[dict], source_prefix: str) -> list[Finding]:
    """The body's 'N/34 provinces under 50%' must equal the appendix's count for that criterion."""
    counts = {s["criterion_id"]: (s["provinces_below_50"], s["appendix"]) for s in summary}
    findings = []
    for c in citations:
        count, appendix = counts[c["criterion_id"]]
        if c["figure"] != count:
            findings.append(Finding(
                f"{source_prefix} body (line {c['line']}) vs Phụ lục {appendix}", "body_below_50_mismatch", "warning",
                f"the body says {c['figure']}/34 provinces are under 50% for '{c['body_phrase']}' but Phụ lục {appendix} "
                f"prints {count} for criterion {c['criterion_id']}"))
    return findings


def check_completion(rows: list[dict], source_prefix: str, max_denominator: int = 60) -> list[Finding]:
    """Appendix 21: 34 provinces; each bloc's rates share one denominator (the bloc's number of criteria)."""
    source = f"{source_prefix} Phụ lục 21"
    findings = []
    provinces = {r["province_code"] for r in rows}
    if len(provinces) != len(registry()):
        missing = [p.short_name for p in registry() if p.code not in provinces]
        findings.append(Finding(source, "province_count_mismatch", "warning",
                                f"{len(provinces)} provinces, expected {len(registry())}; missing: {', '.join(missing)}"))
    by_bloc = defaultdict(list)
    for r in rows:
        by_bloc[r["bloc"]].append(r["pct"])
    for bloc, pcts in sorted(by_bloc.items()):
        fits = next((d for d in range(1, max_denominator + 1)
                     if all(abs(round(p * d / 100) / d * 100 - p) <= _PCT2_TOLERANCE for p in pcts)), None)
        if fits is None:
            findings.append(Finding(source, "completion_rates_no_common_denominator", "warning",
                                    f"{bloc}: the rates {sorted(set(pcts))} are not k/N of one number of criteria N ≤ {max_denominator}"))
    return findings


def check_title_date(title_date: str | None, report_date: str, source: str) -> list[Finding]:
    if title_date is not None and title_date != report_date:
        return [Finding(source, "title_date_differs", "warning", f"the title is dated {title_date}, the report {report_date}")]
    return []


# ---------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------


def parse_bloc_appendices_with_spellings(report: RawReport, sections: Plan02Sections, report_date: str):
    """As :func:`parse_bloc_appendices`, plus every (line, province spelling, code) read."""
    prefix = report.name
    obstacles: list[dict] = []
    item_checks: list[dict] = []
    criteria_rows: list[dict] = []
    summary: list[dict] = []
    completion: list[dict] = []
    spellings: list[tuple[int, str, int]] = []
    findings: list[Finding] = []
    top_n: dict[int, int] = {}

    def is_obstacle_header(t: str) -> bool:
        return bool(_OBSTACLE_HEADER_RE.match(t))

    # Appendix 6 and 13–20
    for number in OBSTACLE_APPENDICES:
        app = _scan(report, number, sections.appendices[number], is_obstacle_header)
        source = f"Phụ lục {number}"
        if number == 6:
            m = _OBSTACLE_TITLE_RE.match(app.title)
            if not m:
                raise report.error(app.title_line, "the title 'Các vướng mắc chính trong ngày d/m/yyyy'", app.title)
            kind, bloc = "obstacle", None
            title_date = vn_date(m.group(1))
            findings += check_title_date(title_date.isoformat() if title_date else None, report_date, f"{prefix} {source}")
        else:
            m = _BLOC_OBSTACLE_TITLE_RE.match(app.title)
            if not m:
                raise report.error(app.title_line, "a title 'VƯỚNG MẮC KHÓ KHĂN CHÍNH Ở CẤP <bloc>' or 'KIẾN NGHỊ ĐỀ XUẤT Ở CẤP <bloc>'", app.title)
            kind = "obstacle" if m["kind"].startswith("VƯỚNG MẮC") else "proposal"
            bloc = _bloc_of(report, app.title_line, m["bloc"])
        rows = _parse_counted_items(report, app, source, kind, bloc, report_date, obstacles, item_checks, spellings)
        findings += check_provinces_listed(number, [r.code for r in rows], len(registry()), prefix)

    # Appendices 9–12
    def is_criteria_header(t: str) -> bool:
        return t in _CRITERIA_HEADER_LINES or bool(_TOP_N_RE.match(t))

    for number in CRITERIA_APPENDICES:
        app = _scan(report, number, sections.appendices[number], is_criteria_header)
        m = _CRITERIA_TITLE_RE.match(app.title)
        if not m:
            raise report.error(app.title_line, "the title 'Tình hình hoàn thành các tiêu chí của <bloc> cấp xã ...'", app.title)
        bloc = _bloc_of(report, app.title_line, m["bloc"])
        tops = [int(t.group(1)) for block in app.headers for _, text in block if (t := _TOP_N_RE.match(text))]
        if not tops:
            raise report.error(app.headers[0][0][0], "a header 'Top N tỉnh/thành phố thấp nhất (<50%)'", app.headers[0][0][1])
        top_n[number] = tops[0]
        _parse_criteria(report, app, bloc, report_date, criteria_rows, summary, spellings)

    # Appendix 21
    app = _scan(report, COMPLETION_APPENDIX, sections.appendices[COMPLETION_APPENDIX], lambda t: t in _COMPLETION_HEADER_LINES)
    if not _COMPLETION_TITLE_RE.match(app.title):
        raise report.error(app.title_line, "the title 'TỈ LỆ HOÀN THÀNH CÁC TIÊU CHÍ ... Ở 4 CẤP'", app.title)
    _parse_completion(report, app, report_date, completion, spellings)

    # Appendices 22–25
    for number in PROVINCIAL_APPENDICES:
        app = _scan(report, number, sections.appendices[number], lambda t: bool(_PROVINCIAL_HEADER_RE.match(t)))
        m = _PROVINCIAL_TITLE_RE.match(app.title)
        if not m:
            raise report.error(app.title_line, "the title 'VƯỚNG MẮC Ở GIAI ĐOẠN 2 CẤP TỈNH Ở 4 CẤP – <bloc> (N/34 tỉnh, thành phố)'", app.title)
        _bloc_of(report, app.title_line, m["bloc"])  # the title must name one of the four blocs
        rows = _parse_provincial(report, app, f"Phụ lục {number}", report_date, obstacles, spellings)
        findings += check_provinces_listed(number, [r.code for r in rows], int(m["listed"]), prefix,
                                           expected_from=f"the title says {m['listed']}/{m['of']}")

    # Cross-checks across appendices and with the body
    findings += check_item_pcts(item_checks, prefix)
    totals = [{"appendix": it["appendix"], "line": it["line"], "province_code": it["province_code"], "total": it["total"]}
              for it in item_checks]
    totals += [{"appendix": r["appendix"], "line": r["_line"], "province_code": r["province_code"], "total": r["communes_total"]}
               for r in criteria_rows if r["communes_total"] is not None]
    findings += check_communes_totals(totals, prefix)
    findings += check_criteria(summary, criteria_rows, top_n, prefix)
    findings += check_body_below_50(body_citations(report, sections.body, summary), summary, prefix)
    findings += check_completion(completion, prefix)

    tables = {
        "obstacles": _frame(obstacles, ["report_date", "source", "task_id", "bloc", "province_code", "kind", "text",
                                        "communes_affected", "communes_total"], nullable_ints=("communes_affected", "communes_total")),
        "bloc_criteria": _frame(criteria_rows, ["report_date", "appendix", "bloc", "criterion_id", "criterion", "rank",
                                                "province_code", "pct", "communes_met", "communes_total"],
                                nullable_ints=("communes_met", "communes_total")),
        "bloc_criteria_summary": _frame(summary, ["report_date", "appendix", "bloc", "criterion_id", "criterion",
                                                  "provinces_below_50", "provinces_listed", "note"]),
        "bloc_completion": _frame(completion, ["report_date", "province_code", "bloc", "pct"]),
    }
    return tables, findings, spellings


def parse_bloc_appendices(report: RawReport, sections: Plan02Sections, report_date: str) -> tuple[dict[str, pd.DataFrame], list[Finding]]:
    """Tables obstacles (appendices 6, 13–20, 22–25), bloc_criteria and bloc_criteria_summary (9–12),
    bloc_completion (21), and the cross-check findings."""
    tables, findings, _ = parse_bloc_appendices_with_spellings(report, sections, report_date)
    return tables, findings


def _frame(rows: list[dict], columns: list[str], nullable_ints: tuple[str, ...] = ()) -> pd.DataFrame:
    """One DataFrame from row dicts: the spec's columns in order, nullable counts as Int64."""
    return frame_of_rows(rows, columns, nullable_ints)
