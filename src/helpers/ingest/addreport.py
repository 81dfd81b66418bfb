"""``briefings add-report FILE [--supersedes OLD]``: the documented way to add a report.

The file is read and parsed first (a report that cannot be read is refused in one line
and nothing is copied); then it is copied into ``data/raw/`` (written aside, renamed), its
row with the SHA-256 is added to ``data/raw/README.md``, and ingest runs. With
``--supersedes OLD`` the old file moves unchanged to ``data/raw/superseded/`` and the
README records which file replaced it, and when.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from helpers import atomic, config
from helpers.errors import InputError

SUPERSEDED_DIR = "superseded"
README = "README.md"
_KIND_TEXT = {
    "daily_readiness": "daily readiness report (Bộ Khoa học và Công nghệ)",
    "plan02": "report on Plan 02-KH/BCĐTW (Ban Chỉ đạo Trung ương)",
    "vendor_summary": "summary of the vendors of the five key information systems",
    "directives_notice": "notice of the Deputy Prime Minister's conclusions (Văn phòng Chính phủ)",
}


@dataclass
class AddResult:
    file: str
    kind: str
    report_date: str | None
    superseded: str | None
    changed_dates: list[str] = field(default_factory=list)
    ingest: object = None


def add_report(source: Path, supersedes: str | None = None, raw_dir: Path | None = None) -> AddResult:
    from helpers.ingest.parsers import parse_report
    from helpers.ingest.run import run_ingest

    raw_dir = raw_dir or config.raw_dir()
    source = Path(source)
    if not source.is_file():
        raise InputError(source, None, "a report file to add", "no such file" if not source.exists() else "not a regular file")
    parsed = parse_report(source)  # refuses an unreadable report before anything is copied
    data = source.read_bytes()
    target = raw_dir / source.name
    old = None
    if supersedes is not None:
        old = raw_dir / Path(supersedes).name
        if not old.is_file() or old.name == README:
            raise InputError(old, None, "the report to supersede, a file in data/raw", "no such report")
        if old.name == target.name:
            raise InputError(source, None, "a file name other than the report it supersedes's", source.name)
    if target.exists():
        if target.read_bytes() == data:
            raise InputError(source, None, "a report not yet in data/raw", f"the same bytes as data/raw/{target.name}")
        raise InputError(source, None, "a file name not yet used in data/raw", target.name)

    old_date = None
    if old is not None:
        old_date = parse_report(old).report_date
        moved = raw_dir / SUPERSEDED_DIR / old.name
        if moved.exists():
            raise InputError(old, None, "a report not superseded before", f"data/raw/{SUPERSEDED_DIR}/{old.name} exists")
        moved.parent.mkdir(exist_ok=True)
    _copy_aside(data, target)
    if old is not None:
        os.replace(old, raw_dir / SUPERSEDED_DIR / old.name)
    _add_readme_row(raw_dir, source, target, parsed, hashlib.sha256(data).hexdigest(), old)

    result = run_ingest(raw_dir=raw_dir)
    dates = {d.isoformat() for d in (parsed.report_date, old_date) if d is not None}
    return AddResult(target.name, parsed.kind, parsed.report_date.isoformat() if parsed.report_date else None, old.name if old else None, sorted(dates), result)


def _copy_aside(data: bytes, target: Path) -> None:
    aside = target.with_name(f".{target.name}.adding")
    aside.write_bytes(data)
    os.replace(aside, target)


def _add_readme_row(raw_dir: Path, source: Path, target: Path, parsed, sha: str, old: Path | None) -> None:
    readme = raw_dir / README
    text = readme.read_text(encoding="utf-8") if readme.exists() else "# Raw reports (immutable)\n\n| file | original name | source | report date | contents | SHA-256 |\n|---|---|---|---|---|---|\n"
    date = parsed.report_date.strftime("%-d/%-m/%Y") if parsed.report_date else "undated"
    added = dt.date.today().isoformat()
    contents = _KIND_TEXT.get(parsed.kind, parsed.kind) + f"; added with `briefings add-report` on {added}"
    if old is not None:
        contents += f"; supersedes `{old.name}` (moved to `{SUPERSEDED_DIR}/`)"
    row = f"| `{target.name}` | `{source.name}` | {_cell(parsed.title) or parsed.kind} | {date} | {contents} | `{sha}` |"
    lines = text.rstrip("\n").split("\n")
    last_row = max((i for i, line in enumerate(lines) if line.startswith("| `")), default=len(lines) - 1)
    lines.insert(last_row + 1, row)
    if old is not None:  # the old row says where the file went and what replaced it
        for i, line in enumerate(lines):
            if line.startswith(f"| `{old.name}` |"):
                cells = line.split(" | ")
                cells[0] = f"| `{SUPERSEDED_DIR}/{old.name}`"
                cells[-2] += f"; superseded by `{target.name}` on {added}"
                lines[i] = " | ".join(cells)
    atomic.write_text_atomic(readme, "\n".join(lines) + "\n")


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell, on one line."""
    return " ".join((text or "").replace("|", "/").split())[:160]

