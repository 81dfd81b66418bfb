"""Plausible next reports of every dated kind, made from the real ones: other dates, figures
moved consistently (so the report's own arithmetic still holds), printed like the source.

- :func:`next_plan02`: the 22/9 plan-02 report as if of another day (used by the suite and
  by bench/run_bench.py for its 10/30/100 synthetic dates);
- :func:`next_daily_readiness`: a daily readiness report one day on, some provinces newly
  done (counts, 'tăng K', the lists of provinces not done all agree);
- :func:`next_directives`: the directives notice of another day.

The vendor summary is undated (one standing document, replaced by a corrected version with
``briefings add-report --supersedes``), so it has no "next day".
"""

from __future__ import annotations

import datetime as dt
import random
import re

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
def next_directives(text: str, days: int = 1) -> str:
    """The directives notice as if issued ``days`` later (its dates and deadlines moved)."""
    return _DEADLINE_RE.sub(lambda m: _shift_deadline(m, days), shift_dates(text, days))
