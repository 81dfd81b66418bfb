"""Splitting the plan-02 report into its body and appendices (Phụ lục 1–25).

The appendix part starts at the line ``PHỤ LỤC``; each appendix starts at a line
that is only ``Phụ lục N``. The body also mentions "Phụ lục 2" on a line of its own
(a table of who is late), which is why the split starts after ``PHỤ LỤC``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from helpers.ingest.rawtext import RawReport

_ANNEX_HEADING_RE = re.compile(r"^\s*PHỤ LỤC\s*$")
_APPENDIX_RE = re.compile(r"^\s*Phụ lục (\d{1,2})\s*$")

EXPECTED_APPENDICES = tuple(range(1, 26))


@dataclass(frozen=True)
class Span:
    """Lines ``start``..``end`` (1-based, inclusive) of a report."""

    start: int
    end: int

    def lines(self, report: RawReport):
        """(line_number, text) pairs of the span."""
        for number in range(self.start, self.end + 1):
            yield number, report.lines[number - 1]


@dataclass(frozen=True)
class Plan02Sections:
    body: Span
    appendices: dict[int, Span]


def split_plan02(report: RawReport) -> Plan02Sections:
    """Body and appendix spans; an InputError naming the line if an appendix is missing or out of order."""
    annex_line = next((n for n, line in enumerate(report.lines, 1) if _ANNEX_HEADING_RE.match(line)), None)
    if annex_line is None:
        raise report.error(len(report.lines), "the appendix heading 'PHỤ LỤC' of a plan-02 report")
    starts: list[tuple[int, int]] = []
    for number in range(annex_line + 1, len(report.lines) + 1):
        m = _APPENDIX_RE.match(report.lines[number - 1])
        if m:
            starts.append((int(m.group(1)), number))
    found = [n for n, _ in starts]
    for position, expected in enumerate(EXPECTED_APPENDICES):
        if position >= len(found) or found[position] != expected:
            line = starts[position][1] if position < len(found) else len(report.lines)
            got = f"Phụ lục {found[position]}" if position < len(found) else "end of file"
            raise report.error(line, f"'Phụ lục {expected}' (appendices 1–25 in order)", got)
    if len(found) > len(EXPECTED_APPENDICES):
        raise report.error(starts[len(EXPECTED_APPENDICES)][1], "no appendix after 'Phụ lục 25'", f"Phụ lục {found[25]}")
    appendices = {}
    for i, (number, start) in enumerate(starts):
        end = starts[i + 1][1] - 1 if i + 1 < len(starts) else len(report.lines)
        appendices[number] = Span(start, end)
    return Plan02Sections(body=Span(1, annex_line - 1), appendices=appendices)
