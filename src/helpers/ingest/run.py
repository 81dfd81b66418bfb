"""Ingestion: every report in ``data/raw`` -> validated tables in ``data/processed``.

Steps: read and detect each report (kind and date come from the content) ->
parse -> lax schema per report -> concatenate -> cross-report checks -> strict
schema -> write all CSVs into a staging directory -> swap it in atomically.
A run whose inputs (raw files, parser code, registry version) are unchanged is a
no-op; ``force=True`` rebuilds anyway.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from helpers import atomic

from helpers import config
from helpers.errors import InputError, ValidationError

FINGERPRINT_FILE = "_ingest.json"
DICTIONARY_FILE = "DATA_DICTIONARY.md"
# Code whose change can change the tables: every file of this stage (helpers/ingest),
# found by walking the package, so a new module is covered without editing a list.
STAGE_DIR = Path(__file__).resolve().parent


@dataclass
class IngestResult:
    skipped: bool
    reports: list[dict] = field(default_factory=list)  # file, kind, report_date
    new_dates: list[str] = field(default_factory=list)
    dates_without_params: list[str] = field(default_factory=list)
    row_counts: dict[str, int] = field(default_factory=dict)
    findings: int = 0
    seconds: float = 0.0


def raw_files(raw_dir: Path) -> list[Path]:
    """Every report in data/raw: any file but the README and hidden files."""
    if not raw_dir.is_dir():
        raise InputError(raw_dir, None, "a directory of raw reports")
    files = sorted(p for p in raw_dir.iterdir() if p.is_file() and not p.name.startswith(".") and p.name != "README.md")
    if not files:
        raise InputError(raw_dir, None, "at least one raw report", "an empty directory")
    return files


def fingerprint(files: list[Path]) -> dict:
    from importlib.metadata import version

    digest = hashlib.sha256()
    raw = {}
    for path in files:
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        raw[path.name] = sha
        digest.update(f"raw {path.name} {sha}\n".encode())
    for path in sorted(STAGE_DIR.rglob("*.py")):
        digest.update(f"code {path.relative_to(STAGE_DIR).as_posix()} ".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update(f"vietnam-provinces {version('vietnam-provinces')}".encode())
    return {"fingerprint": digest.hexdigest(), "raw": raw}


def _previous_state(processed: Path) -> dict | None:
    try:
        return json.loads((processed / FINGERPRINT_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _tables_intact(processed: Path) -> bool:
    """The tables are those the recorded ingest wrote (else: rebuilt, repairing a hand edit)."""
    from helpers.tables import verify_tables

    try:
        verify_tables({p.name: p.read_bytes() for p in processed.glob("*.csv")}, processed)
    except (InputError, OSError):
        return False
    return True


def _previous_dates(processed: Path) -> set[str]:
    from helpers.tables import available_dates

    return set(available_dates(processed)) if processed.exists() else set()


def _finding_source(file_name: str, source: str) -> str:
    """'<file> <part>': parsers name the document part; some already lead with the file."""
    source = source.strip()
    if source.startswith(file_name):
        return source
    return f"{file_name} {source}".strip()


def run_ingest(force: bool = False, raw_dir: Path | None = None, processed_dir: Path | None = None) -> IngestResult:
    started = time.perf_counter()
    raw_dir = raw_dir or config.raw_dir()
    processed = processed_dir or config.processed_dir()
    atomic.recover_dir(processed)
    files = raw_files(raw_dir)
    state = fingerprint(files)
    previous = _previous_state(processed)
    if not force and previous and previous.get("fingerprint") == state["fingerprint"] and _tables_intact(processed):
        result = IngestResult(skipped=True, reports=previous.get("reports", []))
        result.dates_without_params = _dates_without_params(processed)
        result.seconds = time.perf_counter() - started
        return result

    old_dates = _previous_dates(processed)
    tables, reports, findings = build_tables(files)
    staged = atomic.staging_dir(processed)
    try:
        row_counts = write_tables(tables, staged)
        (staged / DICTIONARY_FILE).write_text(data_dictionary_markdown(), encoding="utf-8")
        # the tables' hashes bind them to this ingest: a run refuses a table changed since
        hashes = {f"{name}.csv": hashlib.sha256((staged / f"{name}.csv").read_bytes()).hexdigest() for name in row_counts}
        manifest = {**state, "reports": reports, "row_counts": row_counts, "tables": hashes}
        (staged / FINGERPRINT_FILE).write_text(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        (staged / ".gitkeep").touch()
        atomic.replace_dir(staged, processed)
    except BaseException:
        import shutil

        shutil.rmtree(staged, ignore_errors=True)
        raise
    dates = {r["report_date"] for r in reports if r["report_date"] and r["kind"] in ("daily_readiness", "plan02")}
    result = IngestResult(
        skipped=False,
        reports=reports,
        new_dates=sorted(dates - old_dates),
        row_counts=row_counts,
        findings=findings,
    )
    result.dates_without_params = _dates_without_params(processed)
    result.seconds = time.perf_counter() - started
    return result


def _dates_without_params(processed: Path) -> list[str]:
    from helpers.tables import available_dates

    return sorted(d for d in available_dates(processed) if not (config.params_dir() / f"{d}.yaml").exists())


PARALLEL_MIN_FILES = 8  # below this, starting worker processes costs more than it saves


def _parse_all(files: list[Path], parse_report) -> list:
    """``parse_report`` of every file, in order. Files are independent, so with many of
    them (a backlog of daily reports) they are parsed in forked worker processes, one
    per CPU; the first bad file in ``files`` order raises, as it would in one process."""
    from helpers.parallel import can_fork, fork_pool, usable_cpus

    workers = min(usable_cpus(), len(files))
    if len(files) < PARALLEL_MIN_FILES or workers < 2 or not can_fork():
        return [parse_report(path) for path in files]
    with fork_pool(workers) as pool:
        return list(pool.map(parse_report, files, chunksize=max(1, len(files) // (4 * workers))))


def build_tables(files: list[Path]):
    """Parse every file and return (tables, report rows, number of findings). Pure: writes nothing."""
    import pandas as pd

    from helpers.ingest import checks, consistency
    from helpers.ingest.parsers import parse_report
    from helpers.ingest.parsers.claims import extract_claims, extract_deadlines
    from helpers.ingest.provinces import provinces_table
    from helpers.ingest.schemas import TABLES

    parsed = _parse_all(files, parse_report)
    today = dt.date.today()
    seen: dict[tuple[str, str | None], str] = {}
    for p in parsed:
        if p.report_date is not None and p.report_date > today:
            raise InputError(p.report.path, _date_line(p.report, p.report_date), f"a report date no later than today ({today.isoformat()})", p.report_date.isoformat())
        key = (p.kind, p.report_date.isoformat() if p.report_date else None)
        if key in seen:
            raise InputError(p.report.path, 1, f"one {p.kind} report per date", f"a second one for {key[1]} (also {seen[key]})")
        seen[key] = p.report.name

    pieces: dict[str, list] = {}
    findings_rows = []
    report_rows = []
    for p in parsed:
        report_date = p.report_date.isoformat() if p.report_date else None
        report_rows.append(
            {"file": p.report.name, "kind": p.kind, "report_date": report_date, "as_of": p.as_of or None, "title": p.title, "notice": p.notice or None, "sha256": p.report.sha256}
        )
        for name, frame in p.tables.items():
            if name not in TABLES:
                raise ValidationError(f"{p.report.name}: parser produced unknown table {name!r}")
            pieces.setdefault(name, []).append((p.report.name, frame))
        pieces.setdefault("claims", []).append((p.report.name, extract_claims(p.report, report_date)))
        pieces.setdefault("deadline_terms", []).append((p.report.name, extract_deadlines(p.report, report_date)))
        for f in p.findings:
            findings_rows.append({"report_date": report_date, "source": _finding_source(p.report.name, f.source), "check": f.check, "severity": f.severity, "detail": f.detail})

    tables = {name: _lax_table(TABLES[name], named) for name, named in pieces.items()}
    tables["provinces"] = provinces_table()
    tables["reports"] = pd.DataFrame(report_rows)
    findings_rows.extend(checks.cross_report_findings(tables))
    findings_rows.extend(consistency.findings(tables))
    tables["data_quality"] = pd.DataFrame(findings_rows, columns=TABLES["data_quality"].columns)
    for name in list(tables):
        tables[name] = _conform(tables[name], TABLES[name])
        tables[name] = _validate(TABLES[name].strict, tables[name], f"table {name} (strict)")
    return tables, report_rows, len(findings_rows)


def _date_line(report, date) -> int | None:
    """First line printing ``date`` as d/m/yyyy (for the error message; None if not found)."""
    import re

    for number, line in enumerate(report.lines, start=1):
        for m in re.finditer(r"(\d{1,2})/(\d{1,2})/(\d{4})", line):
            if (int(m.group(3)), int(m.group(2)), int(m.group(1))) == (date.year, date.month, date.day):
                return number
    return None


def _lax_table(spec, named_frames: list):
    """Concatenate one table's pieces (one per report) and apply its lax schema once.

    One validation per table rather than per report keeps ingestion inside its time
    budget; when it fails, the pieces are checked one by one so the error names the file.
    """
    import pandas as pd

    schema = spec.lax()
    frames = [frame for _, frame in named_frames]
    whole = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    try:
        return _validate(schema, whole, f"{named_frames[0][0]}: {spec.name} (lax)")
    except ValidationError:
        if len(frames) == 1:
            raise
        for file_name, frame in named_frames:
            _validate(schema, frame, f"{file_name}: {spec.name} (lax)")
        raise


def _conform(frame, spec):
    """Column order of the spec, deterministic row order."""
    frame = frame.reindex(columns=spec.columns)
    if spec.sort_by:
        frame = frame.sort_values(list(spec.sort_by), kind="stable", na_position="first").reset_index(drop=True)
    return frame


def _validate(schema, frame, what: str):
    import pandera.errors

    try:
        return schema.validate(frame, lazy=False)
    except pandera.errors.SchemaError as exc:
        first = str(exc).strip().splitlines()[0]
        failure = ""
        if getattr(exc, "failure_cases", None) is not None and len(exc.failure_cases):
            failure = f" (failure: {exc.failure_cases.head(3).to_dict('records')})"
        raise ValidationError(f"{what}: {first}{failure}") from None


def write_tables(tables: dict, target: Path) -> dict[str, int]:
    counts = {}
    for name in sorted(tables):
        frame = tables[name]
        frame.to_csv(target / f"{name}.csv", index=False, lineterminator="\n", encoding="utf-8")
        counts[name] = int(len(frame))
    return counts


def data_dictionary_markdown() -> str:
    from helpers.ingest.schemas import TABLES

    out = [
        "# Data dictionary: `data/processed/`",
        "",
        "Generated from the pandera schemas in `src/helpers/schemas/` by `briefings ingest`; do not edit by hand.",
        "All files are CSV, UTF-8, comma-separated, one header row. Empty cell = no value.",
        "",
    ]
    for name in sorted(TABLES):
        spec = TABLES[name]
        out += [f"## `{name}.csv`", "", spec.description, ""]
        if spec.key:
            out += [f"Key: {', '.join(f'`{k}`' for k in spec.key)}", ""]
        out += ["| column | type | nullable | checks | description |", "|---|---|---|---|---|"]
        for column, col in spec.strict.columns.items():
            checks_text = "; ".join(str(c.error or c.name) for c in col.checks)
            out.append(f"| `{column}` | {col.dtype} | {'yes' if col.nullable else 'no'} | {checks_text} | {col.description or ''} |")
        out.append("")
    return "\n".join(out)
