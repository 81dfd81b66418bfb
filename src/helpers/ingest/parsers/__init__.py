"""One parser per report kind. The kind is detected from the content, not the file name.

Each parser module exposes ``KIND``, ``detect(report) -> bool`` and
``parse(report) -> ParsedReport``. ``parser_modules()`` lists them; ``parse_report`` picks the
one that recognises a report and refuses reports that no parser, or more than one,
recognises.
"""

from __future__ import annotations

from pathlib import Path

from helpers.errors import InputError
from helpers.ingest.provinces import spelling_notes
from helpers.ingest.rawtext import RawReport, read_raw_report
from helpers.ingest.parsers.base import Finding, ParsedReport

__all__ = ["Finding", "ParsedReport", "parser_modules", "detect_kind", "parse_report"]


def parser_modules():
    from helpers.ingest.parsers import daily_readiness
    from helpers.ingest.parsers import directives
    from helpers.ingest.parsers import plan02
    from helpers.ingest.parsers import vendors

    return (daily_readiness, plan02, vendors, directives)



def detect_kind(report: RawReport):
    matches = [m for m in parser_modules() if m.detect(report)]
    if not matches:
        kinds = ", ".join(m.KIND for m in parser_modules())
        raise InputError(report.path, 1, f"a report of a known kind ({kinds})", report.lines[0].strip() or None)
    if len(matches) > 1:
        raise InputError(report.path, 1, "a report of exactly one kind", "/".join(m.KIND for m in matches))
    return matches[0]


def parse_report(path: Path | str) -> ParsedReport:
    report = read_raw_report(path)
    with spelling_notes() as notes:
        parsed = detect_kind(report).parse(report)
    parsed.findings.extend(spelling_findings(notes))
    return parsed


def spelling_findings(notes) -> list[Finding]:
    """One data-quality finding per distinct non-exact province spelling, with its lines."""
    by_spelling: dict[tuple, list] = {}
    for note in notes:
        by_spelling.setdefault((note.spelling, note.code, note.how, note.detail), []).append(note.line)
    out = []
    for (spelling, code, how, detail), lines in by_spelling.items():
        numbers = sorted({n for n in lines if n is not None})
        where = f"line{'s' if len(numbers) > 1 else ''} {', '.join(map(str, numbers))}" if numbers else "no line"
        out.append(Finding(where, f"province_{how}", "info", f"'{spelling}' ({where}): {detail}"))
    return out
