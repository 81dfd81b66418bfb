"""Quantitative claims in the body of every report: the ``claims`` table.

A report's body states numbers its appendices should support ("34/34 tỉnh đạt XANH",
"28 tỉnh ... hơn 50%", "2.821/3.321 xã (tương đương 84,94%)", "N/34 (tăng K tỉnh)",
"05 tỉnh chưa hoàn thành: <list>", "Toàn bộ các tỉnh ... đã hoàn thành"). This module
finds them by the *patterns* reports use to state numbers, not by their wording:

* ``ratio``   ``a/b``, with an optional ``(tăng K …)`` / ``(không tăng …)`` change and an
  optional ``(tương đương|chiếm c%)`` share after it;
* ``count``   ``NN tỉnh`` / ``NN xã`` / ``NN nhiệm vụ``, with the named list that follows
  it (``: A, B, C`` or ``(A, B)``) when every item is a province;
* ``pct``     a percentage ``x,yz%`` not already part of a ratio;
* ``all``     ``toàn bộ/tất cả (các) tỉnh`` (all 34), ``không có tỉnh … nào`` (none);
* ``named``   a parenthesised list of provinces with no count before it;
* ``level``   "cấp tỉnh/cấp xã … (Phụ lục N, bảng X)": the level a cited table is said to hold.

Each row keeps the sentence, the line the number is printed on and the heading path it
sits under (the daily reports' task ids, e.g. ``III.2.e``); ``helpers.analysis.claims``
re-derives the claim from the other tables. Only the body is read: everything from the
appendix heading (``PHỤ LỤC``) on is data, not claims.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

from helpers.ingest.numbers import parse_vn_int, parse_vn_pct
from helpers.ingest.parsers.base import frame_of_rows
from helpers.ingest.provinces import lookup, read_province
from helpers.ingest.rawtext import RawReport

COLUMNS = [
    "report_date", "file", "claim_id", "line", "pattern", "stated", "value", "denominator",
    "change", "share_pct", "threshold", "provinces", "appendix", "context", "heading", "text",
]
ROMANS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


class _OneCharFold(dict):
    """str.translate table: each character to one folded character, computed once per character."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if ch in "đĐ":
            folded = "d"
        else:
            base = unicodedata.normalize("NFD", ch)[0].lower()
            folded = base if len(base) == 1 else ch
        self[code] = folded
        return folded


_ONE_CHAR_FOLD = _OneCharFold()


def fold_keep_positions(text: str) -> str:
    """Lower case without diacritics, one output character per input character (so a
    match in the folded text has the same offsets in the printed text)."""
    return text.translate(_ONE_CHAR_FOLD)


_APPENDIX_RE = re.compile(r"^\s*phu luc\s*$")
_BULLET_RE = re.compile(r"^\s*(?:[-•«*·]|[ivx]+[-.]|\d{1,2}\.|[a-h]\))\s")
# OCR reads "III-" as "I1I-" or "Il-": a Roman heading is numbered by its position
_ROMAN_HEAD_RE = re.compile(r"^\s*(?=[IVXl1|]*[IVX])([IVXl1|]{1,4})\s*[-.]\s*(?=[A-ZĐÀ-Ỹa-zà-ỹ])(?!\d)")
_NUM_HEAD_RE = re.compile(r"^\s*(\d{1,2})\.\s+\S")
_LETTER_HEAD_RE = re.compile(r"^\s*([a-hđ])\)\s+\S")
_SENTENCE_END_RE = re.compile(r"(?<!\btp)(?<!\bTP)\.\s+(?=[A-ZĐÀ-Ỹ])")

_NUM = r"\d{1,3}(?:\.\d{3})*|\d+"
_RATIO_RE = re.compile(rf"(?<![\d/.,])({_NUM})\s*/\s*({_NUM})(?![\d/])")
_CHANGE_RE = re.compile(r"^\s*\(\s*(?:t[a-z]{1,2}ng\s+(\d+)|kh[a-z]{2,3}g\s+t[a-z]{1,2}ng)")
_SHARE_RE = re.compile(r"^[\s,]*(?:tinh, thanh pho|xa, phuong|tinh thanh pho)?[\s,]*\(?\s*(?:tuong duong|chiem)\s+(\d{1,3}(?:,\d+)?)\s*%")
_COUNT_RE = re.compile(r"(?<![\d/.,%])(\d{1,3}(?:\.\d{3})?)\s+(tinh|xa|nhiem vu|don vi)\b")
_PCT_RE = re.compile(r"(?<![\d/.,])(\d{1,3}(?:,\d+)?)\s*%")
# "hơn 50%", "dưới 50%": a threshold the claim is measured against, not a claim itself
_THRESHOLD_RE = re.compile(r"\b(?:hon|tren|duoi|vuot|it nhat|toi thieu)\s+(\d{1,3}(?:,\d+)?)\s*%")
_LEVEL_RE = re.compile(r"\bcap (?:tinh|xa)\b[^.()]*\(\s*phu\s*luc\s+(?P<appendix>\d{1,2})\s*,\s*bang\s+[ivx]+\s*\)")
_APPENDIX_REF_RE = re.compile(r"phu\s*luc\s+(\d{1,2})")
_REF_ONLY_RE = re.compile(r"^\(?\s*phu\s*luc\s+\d{1,2}[^)]{0,40}\)?\s*[.;,]?\s*$")
_ALL_RE = re.compile(r"\b(?:toan bo|tat ca)\s+(?:cac\s+)?tinh\b")
_NONE_RE = re.compile(r"\bkhong co\s+(?:\w+\s+){0,1}tinh\b[^.]*?\bnao\b")
_LIST_RE = re.compile(r"\(([^()]{3,})\)|:\s*([^.;()]+)")


@dataclass
class _Unit:
    """One sentence or bullet of the body, wrapped lines joined."""

    text: str
    starts: list[tuple[int, int]]  # (offset in text, line number) of each joined line
    context: str
    heading: str = ""

    def line_at(self, offset: int) -> int:
        line = self.starts[0][1]
        for start, number in self.starts:
            if start > offset:
                break
            line = number
        return line


def body_end(report: RawReport) -> int:
    """Last line of the body: the line before the appendix heading, or the last line."""
    for number, line in enumerate(report.lines, start=1):
        if len(line) < 24 and _APPENDIX_RE.match(fold_keep_positions(line)):
            return number - 1
    return len(report.lines)


def _units(report: RawReport) -> list[_Unit]:
    units: list[_Unit] = []
    heading: list[str] = []  # e.g. ["III", "2", "e"]
    heading_text = ""
    romans = 0
    current: _Unit | None = None
    for number in range(1, body_end(report) + 1):
        raw = report.lines[number - 1].strip()
        if not raw:
            continue
        folded = fold_keep_positions(raw)
        if current is not None and _REF_ONLY_RE.match(folded):
            current.text = f"{current.text} {raw}"  # "(Phụ lục 11)." closes the sentence before it
            continue
        level = _heading_level(raw)
        if level is not None:
            label, depth = level
            if depth == 0:
                label, romans = ROMANS[min(romans, len(ROMANS) - 1)], romans + 1
            heading = heading[:depth] + [label]
            heading_text = raw
        starts_new = current is None or level is not None or _BULLET_RE.match(folded) or current.text.rstrip().endswith((".", ":"))
        if starts_new:
            current = _Unit("", [], ".".join(heading), heading_text)
            units.append(current)
        offset = len(current.text) + (1 if current.text else 0)
        current.text = f"{current.text} {raw}" if current.text else raw
        current.starts.append((offset, number))
    return [piece for unit in units for piece in _split_sentences(unit)]


def _heading_level(line: str) -> tuple[str, int] | None:
    for depth, pattern in enumerate((_ROMAN_HEAD_RE, _NUM_HEAD_RE, _LETTER_HEAD_RE)):
        m = pattern.match(line)
        if m:
            return m.group(1), depth
    return None


def _split_sentences(unit: _Unit) -> list[_Unit]:
    cuts = [m.end() for m in _SENTENCE_END_RE.finditer(unit.text)]
    if not cuts:
        return [unit]
    pieces = []
    bounds = [0, *cuts, len(unit.text)]
    for start, end in zip(bounds, bounds[1:]):
        text = unit.text[start:end]
        starts = [(0, unit.line_at(start))] + [(off - start, n) for off, n in unit.starts if start < off < end]
        pieces.append(_Unit(text, starts, unit.context, unit.heading))
    return pieces


def _provinces_in(text: str) -> list[int] | None:
    """Codes of a comma-separated list when every item names a province, else None."""
    items = [item.strip(" .-") for item in re.split(r",|\bvà\b|\bva\b", text)]
    items = [item for item in items if item]
    if len(items) < 1:
        return None
    codes: list[int] = []
    for item in items:
        code = read_province(item)[0]  # a named list: OCR-damaged names read as the parsers read them
        if code is not None:
            codes.append(code)
            continue
        # the last name runs into the rest of the sentence ("… và Sơn La phủ XANH 100%")
        code = prefix_province(item)
        if code is None or not codes:
            return None
        codes.append(code)
        break
    return codes or None


def prefix_province(text: str, max_words: int = 4) -> int | None:
    """The province named by the first words of ``text`` (longest match), or None."""
    words = text.split()
    for k in range(min(max_words, len(words)), 0, -1):
        code = lookup(" ".join(words[:k]))
        if code is not None:
            return code
    return None


def provinces_named(text: str) -> list[int]:
    """Every province a free sentence names, in order (windows of up to four words)."""
    words = re.findall(r"[\wÀ-ỹ]+", text)
    out: list[int] = []
    i = 0
    while i < len(words):
        for k in range(min(4, len(words) - i), 0, -1):
            code = lookup(" ".join(words[i:i + k]))
            if code is not None and words[i][0].isupper():
                out.append(code)
                i += k - 1
                break
        i += 1
    return out


def _list_after(unit: _Unit, folded: str, end: int) -> tuple[list[int] | None, int]:
    """The list of provinces right after ``end`` (':' list or parenthesis), with its end."""
    m = _LIST_RE.match(unit.text[end:].lstrip(" ,"))
    if not m:
        # a count's list may follow its subject ("05 tỉnh, thành phố chưa hoàn thành: A, B")
        colon = folded.find(":", end)
        if colon == -1 or colon - end > 60 or "." in unit.text[end:colon]:
            return None, end
        m = _LIST_RE.match(unit.text[colon:])
        end = colon
        if not m:
            return None, end
    shift = len(unit.text[end:]) - len(unit.text[end:].lstrip(" ,"))
    body = m.group(1) or m.group(2)
    codes = _provinces_in(body)
    return codes, end + shift + m.end()


# "Thời hạn hoàn thành (trước) (18h) ngày 28 tháng 6 năm 2025" (OCR: "trudc", "ngdy", "thang")
_DEADLINE_RE = re.compile(
    r"thoi han[^.]*?\b(?P<before>tr[a-z]{2,3}c\s+)?(?:(?P<hour>\d{1,2})\s*h\s*(?:\d{2})?\s+)?"
    r"ng[a-z]{1,2}y\s+(?P<day>\d{1,2})\s+th[a-z]{1,3}ng\s+(?P<month>\d{1,2})(?:\s+n[a-z]{1,2}m\s+(?P<year>\d{4}))?"
)
DEADLINE_COLUMNS = ["report_date", "file", "line", "context", "deadline", "last_day", "before", "text"]


def body_units(report: RawReport) -> list[_Unit]:
    """The body's sentences and bullets, for :func:`extract_claims` and
    :func:`extract_deadlines` (computed once when both are wanted)."""
    return _units(report)


def extract_deadlines(report: RawReport, report_date: str | None, units: list[_Unit] | None = None) -> pd.DataFrame:
    """Every 'Thời hạn …' the body states, as printed and as the last day allowed.

    'trước ngày X' (before day X) leaves X − 1 as the last day; 'trước 18h ngày X' and
    'ngày X' leave X itself. The year, when not printed, is the report's."""
    import datetime as dt

    rows = []
    for unit in _units(report) if units is None else units:
        folded = fold_keep_positions(unit.text)
        for m in _DEADLINE_RE.finditer(folded):
            year = int(m.group("year") or (report_date or "0")[:4] or 0)
            if not year:
                continue
            try:
                printed = dt.date(year, int(m.group("month")), int(m.group("day")))
            except ValueError:
                continue  # not a calendar date: OCR damage, not a deadline
            before = bool(m.group("before")) and not m.group("hour")
            last = printed - dt.timedelta(days=1) if before else printed
            rows.append({
                "report_date": report_date, "file": report.name, "line": unit.line_at(m.start()),
                "context": unit.context or None, "deadline": printed.isoformat(), "last_day": last.isoformat(),
                "before": before, "text": unit.text[m.start():m.end()].strip(),
            })
    return frame_of_rows(rows, DEADLINE_COLUMNS).astype({"line": "int64", "before": bool})


def _threshold_after(folded: str, start: int) -> float | None:
    """The first 'hơn/dưới P%' after a claim in its sentence (what the count is measured against)."""
    m = _THRESHOLD_RE.search(folded, start)
    return parse_vn_pct(m.group(1) + "%") if m else None


def extract_claims(report: RawReport, report_date: str | None, units: list[_Unit] | None = None) -> pd.DataFrame:
    rows = []
    for unit in _units(report) if units is None else units:
        folded = fold_keep_positions(unit.text)
        taken: list[tuple[int, int]] = [m.span() for m in _THRESHOLD_RE.finditer(folded)]
        ref = _APPENDIX_REF_RE.search(folded)
        appendix = int(ref.group(1)) if ref else None

        def add(pattern, start, end, value, denominator=None, change=None, share=None, provinces=None):
            taken.append((start, end))
            rows.append({
                "report_date": report_date,
                "file": report.name,
                "line": unit.line_at(start),
                "pattern": pattern,
                "stated": unit.text[start:end].strip(),
                "value": float(value),
                "denominator": None if denominator is None else float(denominator),
                "change": change,
                "share_pct": share,
                "threshold": _threshold_after(folded, end),
                "provinces": None if provinces is None else ";".join(str(c) for c in provinces),
                "appendix": appendix,
                "context": unit.context or None,
                "heading": unit.heading or None,
                "text": unit.text.strip(),
            })

        def free(start, end):
            return all(end <= s or start >= e for s, e in taken)

        for m in _RATIO_RE.finditer(folded):
            value, denominator = parse_vn_int(m.group(1)), parse_vn_int(m.group(2))
            if denominator < 10 or value > denominator or ("." not in m.group(2) and 1900 <= denominator <= 2100):
                continue  # a date ("21/9", "7/2025") or not a share of something
            end, change, share = m.end(), None, None
            c = _CHANGE_RE.match(folded[end:])
            if c:
                change = int(c.group(1)) if c.group(1) else 0
                end += c.end()
                close = folded.find(")", end)
                end = close + 1 if close != -1 and close - end < 60 else end
            s = _SHARE_RE.match(folded[end:])
            if s:
                share = parse_vn_pct(s.group(1) + "%")
                end += s.end()
            add("ratio", m.start(), end, value, denominator, change, share)
        for m in _ALL_RE.finditer(folded):
            add("all", m.start(), m.end(), 1.0, 1.0)
        for m in _NONE_RE.finditer(folded):
            add("none", m.start(), m.end(), 0.0)
        for m in _COUNT_RE.finditer(folded):
            if not free(m.start(), m.end()):
                continue
            codes, end = _list_after(unit, folded, m.end())
            add("count", m.start(), end if codes else m.end(), parse_vn_int(m.group(1)), provinces=codes)
        for m in _PCT_RE.finditer(folded):
            if free(m.start(), m.end()):
                add("pct", m.start(), m.end(), parse_vn_pct(m.group(0)))
        for m in re.finditer(r"\(([^()]{3,})\)", unit.text):
            if free(m.start(), m.end()):
                codes = _provinces_in(m.group(1))
                if codes and len(codes) >= 2:
                    add("named", m.start(), m.end(), len(codes), provinces=codes)
        for m in _LEVEL_RE.finditer(folded):
            # "… cấp tỉnh … (Phụ lục 8, bảng I)": the level the sentence says a table holds
            add("level", m.start(), m.end(), int(m.group("appendix")))
    rows.sort(key=lambda row: row["line"])
    per_line: dict[int, int] = {}
    for row in rows:
        per_line[row["line"]] = per_line.get(row["line"], 0) + 1
        row["claim_id"] = f"{row['line']}.{per_line[row['line']]}"
    frame = frame_of_rows(rows, COLUMNS, nullable_ints=("change", "appendix"))
    # only a column with no number at all (all None: object) needs converting
    floats = {c: float for c in ("value", "denominator", "share_pct", "threshold") if frame[c].dtype != "float64"}
    return frame.astype(floats) if floats else frame
