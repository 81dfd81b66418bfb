"""Plausible next reports of every dated kind, made from the real ones: other dates, figures
moved consistently (so the report's own arithmetic still holds), printed like the source.

- :func:`next_plan02`: the 22/9 plan-02 report as if of another day (used by the suite and
  by bench/run_bench.py for its 10/30/100 synthetic dates);
- :func:`next_daily_readiness`: a daily readiness report one day on, some provinces newly
  done (counts, 'tăng K', the lists of provinces not done all agree);
- :func:`next_directives`: the directives notice of another day;
- :func:`next_vendor_summary`: the (undated) vendor summary as a later, dated summary in
  which one or two provinces changed vendor for a system.

Each kind dropped into data/raw beside the others ingests as it is: the standing documents
(directives notices, vendor summaries) keep their own date in the tables.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass
from pathlib import Path

PLAN02_DATE = dt.date(2025, 9, 22)
_DATE_RE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(20\d\d)\b")


def shift_dates(text: str, days: int) -> str:
    """Every d/m/yyyy date in ``text`` moved by ``days`` (printed the way it was: 1/7 or 01/07)."""

    def move(m: re.Match) -> str:
        day = dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1))) + dt.timedelta(days=days)
        d = f"{day.day:0{len(m.group(1))}d}"
        mo = f"{day.month:0{len(m.group(2))}d}"
        return f"{d}/{mo}/{day.year}"

    return _DATE_RE.sub(move, text)


def _vn_pct(value: float, sign: str = "") -> str:
    """'96,37' / '94' / '100' as the report prints percentages (2 decimals, none when whole)."""
    text = f"{value:.2f}"
    if text.endswith(".00"):
        text = text[:-3]
    return sign + text.replace(".", ",")


def _vn_date(day: dt.date, two_digit_month: bool = False) -> str:
    return f"{day.day}/{day.month:02d}/{day.year}" if two_digit_month else f"{day.day}/{day.month}/{day.year}"


def next_plan02(text: str, day: dt.date, rng: random.Random) -> str:
    """The 22/9 plan-02 report as if of ``day``, with its numbers moved consistently.

    - dates: 22/9/2025 -> ``day`` and 21/9/2025 -> the day before, in both spellings;
    - appendix 4: communes move between GREEN and YELLOW in pairs of provinces (the
      national counts the body quotes stay), percentages and the change recomputed;
    - appendix 5: each percentage becomes another whole number of the province's
      communes (-3..+1 communes), printed like the source;
    - appendix 8, table III (cumulative): dossiers move between direct and online at
      province and commune level; sums, rates and the national total row recomputed.
    """
    before = day - dt.timedelta(days=1)
    for old_day, new_day in ((PLAN02_DATE, day), (PLAN02_DATE - dt.timedelta(days=1), before)):
        text = text.replace(_vn_date(old_day), _vn_date(new_day)).replace(_vn_date(old_day, True), _vn_date(new_day, True))
    lines = text.split("\n")
    appendix: dict[int, int] = {}
    for i, line in enumerate(lines):
        m = re.match(r"^\s*Phụ lục (\d+)\s*$", line)
        if m:
            appendix.setdefault(int(m.group(1)), i)

    def span(n: int) -> range:
        return range(appendix[n], appendix.get(n + 1, len(lines)))

    # appendix 4: "1 Cao Bằng 56 6 32 18 56 100% 10,71% 0%"
    row4 = re.compile(r"^(\d{1,2} .+?) (\d+) (\d+) (\d+) (\d+) (\d+) (\S+%) (\S+%) (\S+%)(\s*)$")
    rows = [(i, row4.match(lines[i])) for i in span(4)]
    rows = [(i, m) for i, m in rows if m]
    rng.shuffle(rows)
    for (i, a), (j, b) in zip(rows[0::2], rows[1::2]):
        # k communes GREEN -> YELLOW in one province, k YELLOW -> GREEN in the other
        na, ga, ya = int(a.group(2)), int(a.group(3)), int(a.group(4))
        nb, gb, yb = int(b.group(2)), int(b.group(3)), int(b.group(4))
        k = min(rng.randint(0, 3), ga, yb)
        for idx, m, n, g, y, dg in ((i, a, na, ga, ya, -k), (j, b, nb, gb, yb, k)):
            g2, y2 = g + dg, y - dg
            change = _vn_pct(100 * dg / n) + "%" if dg else "0%"
            lines[idx] = f"{m.group(1)} {n} {g2} {y2} {m.group(5)} {m.group(6)} {m.group(7)} {_vn_pct(100 * g2 / n)}% {change}{m.group(10)}"
    # appendix 5: "...  102 100 100 96,08 ..." (the commune count, then 16 percentages)
    number = re.compile(r"^\d{1,3}(,\d{1,2})?$")
    for i in span(5):
        tokens = lines[i].split()
        if len(tokens) < 17 or not all(number.match(t) for t in tokens[-17:]) or "," in tokens[-17]:
            continue
        n = int(tokens[-17])
        if n <= 0:
            continue
        new = []
        for t in tokens[-16:]:
            met = round(float(t.replace(",", ".")) * n / 100)
            met = min(n, max(0, met + rng.choice((-3, -2, -1, -1, 0, 0, 0, 1))))
            new.append(_vn_pct(100 * met / n))
        head = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
        lines[i] = head + " ".join(tokens[:-16] + new) + " "
    # appendix 8, table III: 12 counts (direct, online, returned, total x province, commune, sum) + 3 rates
    row8 = re.compile(r"^(\s*\d{1,2} .+?) ((?:\d+ ){12})(\S+%) (\S+%) (\S+%)(\s*)$")
    total8 = re.compile(r"^(\s*Tổng )((?:\d+ ){12})(\S+%) (\S+%) (\S+%)(\s*)$")
    in_table3 = False
    sums = [0] * 12
    for i in span(8):
        if re.match(r"^\s*III\.", lines[i]):
            in_table3 = True
            continue
        if not in_table3:
            continue
        m = row8.match(lines[i])
        t = total8.match(lines[i])
        if m:
            c = [int(x) for x in m.group(2).split()]
            for level in (0, 1):  # province, commune: direct -> online (or back)
                direct, online = c[level], c[3 + level]
                moved = int(rng.uniform(-0.15, 0.25) * min(direct, online))
                moved = max(-online, min(direct, moved))
                c[level] -= moved
                c[3 + level] += moved
            c[2], c[5] = c[0] + c[1], c[3] + c[4]
            rates = [_vn_pct(100 * c[3 + k] / c[9 + k]) + "%" if c[9 + k] else "0%" for k in range(3)]
            lines[i] = f"{m.group(1)} {' '.join(map(str, c))} {' '.join(rates)}{m.group(6)}"
            sums = [s + x for s, x in zip(sums, c)]
        elif t:
            rates = [_vn_pct(100 * sums[3 + k] / sums[9 + k]) + "%" for k in range(3)]
            lines[i] = f"{t.group(1)}{' '.join(map(str, sums))} {' '.join(rates)}{t.group(6)}"
            break
    return "\n".join(lines)


# --- daily readiness ----------------------------------------------------------------------
_DONE_LINE_RE = re.compile(r"^(\S*\s*)(Số lượng tỉnh(?:, thành phố)? hoàn thành: )(\d{1,2})/(\d{1,2})(.*)$")
_CHANGE_RE = re.compile(r"\((?:tăng \d{1,2} tỉnh|không tăng) so với ngày hôm qua\)")
_NOT_DONE_RE = re.compile(r"^(\S*\s*)(\d{1,2})( tỉnh(?:, thành phố)? chưa hoàn thành: )(.*)$")
_DEADLINE_RE = re.compile(r"ngày (\d{1,2}) tháng (\d{1,2}) năm (\d{4})")


def next_daily_readiness(text: str, rng: random.Random, days: int = 1) -> str:
    """A clean daily readiness report ``days`` later: per task with provinces not done, some
    of them (maybe none) become done; 'N/34', 'tăng K', the announced count and the list
    all follow. Lists must sit on one line in the source (the 30/6 report's do)."""
    text = shift_dates(text, days)
    text = _DEADLINE_RE.sub(lambda m: _shift_deadline(m, days), text)
    lines = text.split("\n")
    for i, line in enumerate(lines):
        m = _DONE_LINE_RE.match(line.rstrip())
        if not m:
            continue
        j = next((k for k in range(i + 1, len(lines)) if lines[k].strip()), None)
        listed = _NOT_DONE_RE.match(lines[j].rstrip()) if j is not None else None
        done, total = int(m.group(3)), int(m.group(4))
        if listed is None or not listed.group(4).endswith("."):
            lines[i] = f"{m.group(1)}{m.group(2)}{done}/{total} (không tăng so với ngày hôm qua)."
            continue
        names = [n.strip() for n in listed.group(4)[:-1].split(",")]
        newly = rng.randint(0, len(names) - 1)  # at least one stays not done: the list stays
        keep = names[newly:]
        done += newly
        change = f"(tăng {newly:02d} tỉnh so với ngày hôm qua)" if newly else "(không tăng so với ngày hôm qua)"
        lines[i] = f"{m.group(1)}{m.group(2)}{done}/{total} {change}."
        lines[j] = f"{listed.group(1)}{len(keep):02d}{listed.group(3)}{', '.join(keep)}."
    return "\n".join(lines)


def _shift_deadline(m: re.Match, days: int) -> str:
    day = dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1))) + dt.timedelta(days=days)
    return f"ngày {day.day} tháng {day.month} năm {day.year}"


# --- directives -----------------------------------------------------------------------------
# 'ngày 01 tháng 7 năm 2025' as the notice prints it, possibly wrapped over two lines
# ('ngày \n01 tháng 7 năm 2025'): the separators are kept as printed.
_WRAPPED_DATE_RE = re.compile(r"(ngày\s+)(\d{1,2})(\s+tháng\s+)(\d{1,2})(\s+năm\s+)(\d{4})")


def next_directives(text: str, days: int = 1) -> str:
    """The directives notice as if issued ``days`` later (its dates and deadlines moved,
    also where a date wraps over two lines)."""

    def move(m: re.Match) -> str:
        day = dt.date(int(m.group(6)), int(m.group(4)), int(m.group(2))) + dt.timedelta(days=days)
        return f"{m.group(1)}{day.day:0{len(m.group(2))}d}{m.group(3)}{day.month}{m.group(5)}{day.year}"

    return _WRAPPED_DATE_RE.sub(move, shift_dates(text, days))


# --- vendor summary --------------------------------------------------------------------------
# How the appendix prints each vendor a province may move to (a phrase its parser reads);
# vendors printed only jointly with another (Hapro) or only in 1.1 are not move targets.
_APPENDIX_SPELLING = {
    "Mobifone": "MobiFone",
    "Tân Dân": "Tân Dân",
    "FPT": "FPT",
    "Viettel": "Viettel",
    "Unitech": "Unitech",
    "iNet": "INET",
    "BKAV": "BKAV",
    "Minh Tuệ": "Minh Tuệ",
    "Sông Đà 10": "SDT",
}
_VNPT_COUNT_RE = re.compile(r"(\(VNPT\)\s*:\s*)(\d+)/(\d+)( tỉnh)")
_VNPT_SHARE_RE = re.compile(r"(\(chiếm )(\d+(?:,\d+)?)(%\))")
_OTHERS_COUNT_RE = re.compile(r"^(Các đơn vị khác đang triển khai giải pháp tại )(\d+)( tỉnh, thành phố còn lại)")
# a vendor item printed whole on one line: '- Mobifone: 02 tỉnh (Hà Nội, Thái Nguyên).'
_ONE_LINE_ITEM_RE = re.compile(r"^(\s*-\s*)(?P<company>[^:()]+(?:\([^()]*\))?[^:()]*?)(\s*:\s*)(?P<count>\d+)( tỉnh \()(?P<names>[^()]+)(\)\.?\s*)$")


@dataclass(frozen=True)
class VendorMove:
    """One change :func:`next_vendor_summary` made: ``province_code``'s ``system`` moved from
    ``before`` to ``after`` (short vendor names, as in table ``vendors``)."""

    province_code: int
    system: str
    before: str
    after: str


def next_vendor_summary(text: str, day: dt.date, rng: random.Random, moves: list | None = None) -> str:
    """The vendor summary as a later summary dated ``day``: one or two (province, system) pairs
    that VNPT deployed move to another vendor already listed for that system.

    - a place-and-date line ``Hà Nội, ngày D tháng M năm YYYY`` above the title (what dates a
      summary);
    - section 1.1: VNPT's 'N/34' and '(chiếm X%)' (rounded), 'tại K tỉnh, thành phố còn lại'
      where the count is printed, and the new vendor's item (its count and list) all follow;
    - the appendix: the province's vendor cell for that system is printed with the new vendor.

    Only pairs the appendix prints on their own cell (not a merged cell, and not the top of a
    merged cell another row inherits) and vendors whose 1.1 item is on one line are moved, so
    that the document stays consistent. Each change is appended to ``moves`` (a
    :class:`VendorMove`), the record a test compares the parsed tables with. The appendix
    cells are located with the parser's own reading of the original (it says where a cell
    is); what they become comes from the move alone.
    """
    from helpers.ingest.parsers.vendors import SYSTEMS, VENDOR_SHORT_NAMES, _find_appendix, fold, parse_appendix, parse_vendor_summary
    from helpers.ingest.provinces import province_code, registry
    from helpers.ingest.rawtext import RawReport

    report = RawReport(Path("vendor_summary.txt"), text, "", tuple(text.split("\n")))
    parsed = parse_vendor_summary(report)
    section_11 = {(int(c), s): v for c, s, v in parsed.tables["vendors"][["province_code", "system", "vendor"]].itertuples(index=False)}
    rows, _ = parse_appendix(report, *_find_appendix(report), "appendix")
    rows = sorted(rows, key=lambda r: r.line)
    lines = text.split("\n")

    # section 1.1: each system's subsection (line span) and its one-line items per vendor
    start = next(i for i, line in enumerate(lines) if re.match(r"^\s*1\.1\.", line))
    end = next(i for i in range(start, len(lines)) if re.match(r"^\s*1\.2\.", lines[i]))
    heads = [i for i in range(start, end) if re.match(r"^\s*[a-dđ]\)", lines[i])]
    spans = dict(zip(SYSTEMS, (range(a, b) for a, b in zip(heads, heads[1:] + [end]))))

    def items(system: str) -> dict[str, int]:
        found = {}
        for i in spans[system]:
            m = _ONE_LINE_ITEM_RE.match(lines[i])
            if m:
                vendor = VENDOR_SHORT_NAMES.get(fold(m.group("company")))
                if vendor in _APPENDIX_SPELLING:
                    found[vendor] = i
        return found

    # appendix cells that can change alone: printed 'VNPT', not merged, not inherited below
    candidates = []
    for k, row in enumerate(rows):
        below = rows[k + 1] if k + 1 < len(rows) else None
        inherited = below is not None and below.province_code == row.province_code and below.merged_cell
        if row.vendor_as_printed == "VNPT" and not row.merged_cell and not inherited and section_11.get((row.province_code, row.system)) == "VNPT" and items(row.system):
            cell = next((j for j in range(row.line, (below.line - 1) if below else len(lines)) if lines[j].strip() == "VNPT"), None)
            if cell is not None:
                candidates.append((row, cell))
    names = {p.code: p.short_name for p in registry()}
    chosen = rng.sample(candidates, k=min(len(candidates), rng.choice((1, 2))))
    for row, cell in chosen:
        targets = items(row.system)
        vendor = rng.choice(sorted(targets))
        # 1.1: VNPT's count and share, the count of the others, the new vendor's item
        span = spans[row.system]
        i = next(i for i in span if _VNPT_COUNT_RE.search(lines[i]))
        m = _VNPT_COUNT_RE.search(lines[i])
        count, total = int(m.group(2)) - 1, int(m.group(3))
        lines[i] = _VNPT_COUNT_RE.sub(lambda m: f"{m.group(1)}{count}/{total}{m.group(4)}", lines[i], count=1)
        j = next(j for j in range(i, span.stop) if _VNPT_SHARE_RE.search(lines[j]))
        lines[j] = _VNPT_SHARE_RE.sub(lambda m: f"{m.group(1)}{round(100 * count / total)}{m.group(3)}", lines[j], count=1)
        for k in span:
            lines[k] = _OTHERS_COUNT_RE.sub(lambda m: f"{m.group(1)}{int(m.group(2)) + 1}{m.group(3)}", lines[k])
        k = targets[vendor]
        item = _ONE_LINE_ITEM_RE.match(lines[k])
        listed = [n.strip() for n in item.group("names").split(",")]
        assert province_code(names[row.province_code]) == row.province_code
        n = len(listed) + 1
        lines[k] = (
            f"{item.group(1)}{item.group('company')}{item.group(3)}{n:0{len(item.group('count'))}d}"
            f"{item.group(5)}{', '.join(listed + [names[row.province_code]])}{item.group(7)}"
        )
        # the appendix cell
        lines[cell] = lines[cell].replace("VNPT", _APPENDIX_SPELLING[vendor], 1)
        if moves is not None:
            moves.append(VendorMove(row.province_code, row.system, "VNPT", vendor))
    first = next(i for i, line in enumerate(lines) if line.strip())
    lines[first:first] = [f"Hà Nội, ngày {day.day} tháng {day.month} năm {day.year}", ""]
    return "\n".join(lines)
