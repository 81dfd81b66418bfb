"""Ingestion: every report in ``data/raw`` -> validated tables in ``data/processed``.

Steps: read and detect each report (kind and date come from the content) ->
parse -> lax schema per report -> concatenate -> cross-report checks -> strict
schema -> write all CSVs into a staging directory -> swap it in atomically.
A run whose inputs (raw files, parser code, registry version) are unchanged is a
no-op; ``force=True`` rebuilds anyway.

A new report that cannot be read is *set aside*: the others are ingested and written, the
set-aside file and its one-line error are recorded in ``_ingest.json`` (``briefings list``
shows them) and the command exits 2 at the end. A report that was ingested before and
cannot be read now (raw files never change) changes nothing: one line, exit 2. Data-quality findings never stop an
ingest: identical findings are kept once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import stat
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
    set_aside: list[dict] = field(default_factory=list)  # file, error (one line)
    reports: list[dict] = field(default_factory=list)  # file, kind, report_date
    new_dates: list[str] = field(default_factory=list)
    dates_without_params: list[str] = field(default_factory=list)
    row_counts: dict[str, int] = field(default_factory=dict)
    findings: int = 0
    seconds: float = 0.0


def raw_files(raw_dir: Path) -> list[Path]:
    """Every report in data/raw: any file but the README, hidden files (files being
    written aside) and the ``superseded/`` folder. Anything else that is not a readable
    regular file is an error, never silently skipped: a link that leads nowhere or out
    of the project, a directory, a FIFO, socket or device."""
    from helpers.ingest.addreport import SUPERSEDED_DIR

    if not raw_dir.is_dir():
        raise InputError(raw_dir, None, "a directory of raw reports")
    allowed = {raw_dir.resolve(), config.project_root().resolve()}
    files = []
    for path in sorted(raw_dir.iterdir()):
        if path.name.startswith(".") or path.name == "README.md":
            continue
        if path.name == SUPERSEDED_DIR and path.is_dir() and not path.is_symlink():
            continue
        if path.is_symlink():
            target = path.resolve()
            if not target.exists():
                raise InputError(path, None, "a report file", "a link that leads nowhere")
            if not any(target.is_relative_to(root) for root in allowed):
                raise InputError(path, None, "a report file inside the project", f"a link out of the project ({target})")
        try:
            mode = path.stat().st_mode
        except OSError as exc:
            raise InputError(path, None, "a readable report file", exc.strerror) from None
        if stat.S_ISDIR(mode):
            raise InputError(path, None, f"a report file (folders other than {SUPERSEDED_DIR}/ do not belong in data/raw)", "a directory")
        if not stat.S_ISREG(mode):
            raise InputError(path, None, "a regular report file", "a special file (FIFO, socket or device)")
        files.append(path)
    if not files:
        raise InputError(raw_dir, None, "at least one raw report", "an empty directory")
    return files


def fingerprint(files: list[Path]) -> dict:
    from importlib.metadata import version

    digest = hashlib.sha256()
    raw = {}
    for path in files:
        try:
            sha = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError as exc:
            raise InputError(path, None, "a readable report file", exc.strerror) from None
        raw[path.name] = sha
        digest.update(f"raw {path.name} {sha}\n".encode())
    for path in sorted(STAGE_DIR.rglob("*.py")):
        digest.update(f"code {path.relative_to(STAGE_DIR).as_posix()} ".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    for package in ("vietnam-provinces", "vietnamadminunits", "rapidfuzz"):  # names, former names, matching
        digest.update(f"{package} {version(package)}\n".encode())
    return {"fingerprint": digest.hexdigest(), "raw": raw}


def _previous_state(processed: Path) -> dict | None:
    try:
        return json.loads((processed / FINGERPRINT_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _tables_intact(processed: Path) -> bool:
    """The tables are those the recorded ingest wrote (else: rebuilt, repairing a hand edit)."""
    from helpers.ingest.record import verify_tables

    try:
        verify_tables({p.name: p.read_bytes() for p in processed.glob("*.csv")}, processed)
    except (InputError, OSError):
        return False
    return True


def set_aside_reports(processed: Path | None = None) -> list[dict]:
    """The reports the last ingest set aside (file, one-line error), from its record."""
    state = _previous_state(processed or config.processed_dir()) or {}
    items = state.get("set_aside")
    return [i for i in items if isinstance(i, dict) and "file" in i and "error" in i] if isinstance(items, list) else []


def _previous_dates(processed: Path) -> set[str]:
    from helpers.ingest.record import available_dates

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
        result = IngestResult(skipped=True, reports=previous.get("reports", []), set_aside=list(previous.get("set_aside", [])))
        result.dates_without_params = _dates_without_params(processed)
        result.seconds = time.perf_counter() - started
        return result

    old_dates = _previous_dates(processed)
    tables, reports, findings, set_aside = build_tables(files, with_set_aside=True)
    # A report that was ingested before and cannot be read now (raw files never change, so
    # something is wrong with the folder): change nothing, say why. A *new* report that
    # cannot be read is set aside and the others go ahead.
    ingested_before = {r["file"] for r in (previous or {}).get("reports", [])}
    broken = [item for item in set_aside if item["file"] in ingested_before]
    if broken or not reports:
        raise (broken or set_aside)[0]["exc"]
    staged = atomic.staging_dir(processed)
    try:
        row_counts = write_tables(tables, staged)
        (staged / DICTIONARY_FILE).write_text(data_dictionary_markdown(), encoding="utf-8")
        # the tables' hashes bind them to this ingest: a run refuses a table changed since
        hashes = {f"{name}.csv": hashlib.sha256((staged / f"{name}.csv").read_bytes()).hexdigest() for name in row_counts}
        set_aside = [{"file": item["file"], "error": item["error"]} for item in set_aside]
        manifest = {**state, "reports": reports, "row_counts": row_counts, "tables": hashes, "set_aside": set_aside}
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
        set_aside=set_aside,
        reports=reports,
        new_dates=sorted(dates - old_dates),
        row_counts=row_counts,
        findings=findings,
    )
    result.dates_without_params = _dates_without_params(processed)
    result.seconds = time.perf_counter() - started
    return result


def _dates_without_params(processed: Path) -> list[str]:
    from helpers.ingest.record import available_dates

    return sorted(d for d in available_dates(processed) if not (config.params_dir() / f"{d}.yaml").exists())


PARALLEL_MIN_FILES = 8  # below this, starting worker processes costs more than it saves


def _parse_or_refuse(path: Path):
    """The parsed report, or the InputError that refuses it (returned, so one bad file
    stops neither the worker pool nor the other files)."""
    from helpers.ingest.parsers import parse_report

    try:
        return parse_report(path)
    except InputError as exc:
        return exc


def _parse_all(files: list[Path]) -> list:
    """:func:`_parse_or_refuse` of every file, in order. Files are independent, so with many
    of them (a backlog of daily reports) they are parsed in forked worker processes, one
    per CPU."""
    from helpers.parallel import can_fork, fork_pool, usable_cpus

    workers = min(usable_cpus(), len(files))
    if len(files) < PARALLEL_MIN_FILES or workers < 2 or not can_fork():
        return [_parse_or_refuse(path) for path in files]
    with fork_pool(workers) as pool:
        return list(pool.map(_parse_or_refuse, files, chunksize=max(1, len(files) // (4 * workers))))


# Reports from before the programme (the merger was decided in 2025) are not reports of it.
FIRST_REPORT_YEAR = 2025


def _refusal(p, seen: dict, today: dt.date) -> InputError | None:
    """Why a parsed report cannot join the others (None if it can)."""
    if p.report_date is not None and p.report_date > today:
        return InputError(p.report.path, _date_line(p.report, p.report_date), f"a report date no later than today ({today.isoformat()})", p.report_date.isoformat())
    if p.report_date is not None and p.report_date.year < FIRST_REPORT_YEAR:
        return InputError(p.report.path, _date_line(p.report, p.report_date), f"a report date in {FIRST_REPORT_YEAR} or later (the two-level programme)", p.report_date.isoformat())
    if _standing(p):
        key = (p.kind, None)
        if key in seen:
            return InputError(p.report.path, 1, f"one {p.kind} document (a newer version: briefings add-report FILE --supersedes OLD)", f"a second one (also {seen[key]})")
    else:
        key = (p.kind, p.report_date.isoformat() if p.report_date else None)
        if key in seen:
            return InputError(p.report.path, 1, f"one {p.kind} report per date (a correction: briefings add-report FILE --supersedes OLD)", f"a second one for {key[1] or 'no date'} (also {seen[key]})")
    seen[key] = p.report.name
    return None


def _standing(p) -> bool:
    """A standing document (vendor summary, directives notice): its tables carry no report
    date, so a second one cannot sit beside it; a newer version supersedes it."""
    from helpers.ingest.schemas import TABLES

    return bool(p.tables) and not any("report_date" in TABLES[name].key for name in p.tables if name in TABLES)


def build_tables(files: list[Path], with_set_aside: bool = False):
    """Parse every file and return (tables, report rows, number of findings[, set aside]).
    Pure: writes nothing. Without ``with_set_aside`` the first unreadable file raises."""
    parsed = _parse_all(files)
    today = dt.date.today()
    seen: dict[tuple[str, str | None], str] = {}
    good, set_aside = [], []
    for p in parsed:
        refusal = p if isinstance(p, InputError) else _refusal(p, seen, today)
        if refusal is None:
            good.append(p)
            continue
        if not with_set_aside:
            raise refusal
        set_aside.append({"file": Path(refusal.path).name, "error": str(refusal), "exc": refusal})
    while True:
        try:
            tables, report_rows, findings = _assemble(good) if good else ({}, [], 0)
            break
        except _BadPiece as bad:  # a report the lax schema refuses: set it aside, assemble the rest
            if not with_set_aside:
                raise bad.error from None
            good = [p for p in good if p.report.name != bad.file]
            set_aside.append({"file": bad.file, "error": str(bad.error), "exc": bad.error})
    if with_set_aside:
        return tables, report_rows, findings, set_aside
    return tables, report_rows, findings


class _BadPiece(Exception):
    def __init__(self, file: str, error: ValidationError):
        super().__init__(str(error))
        self.file, self.error = file, error


def _assemble(parsed: list):
    import pandas as pd

    from helpers.ingest import checks, consistency
    from helpers.ingest.parsers.claims import extract_claims, extract_deadlines
    from helpers.ingest.provinces import provinces_table
    from helpers.ingest.schemas import TABLES

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
    # A check may meet the same contradiction twice (two tables, two passes): keep it once,
    # so that no finding can break the table's key and stop the ingest.
    dq = pd.DataFrame(findings_rows, columns=TABLES["data_quality"].columns)
    tables["data_quality"] = dq.drop_duplicates(subset=list(TABLES["data_quality"].key) or None, keep="first")
    for name in list(tables):
        tables[name] = _conform(tables[name], TABLES[name])
        tables[name] = _validate(TABLES[name].strict, tables[name], f"table {name} (strict)")
    return tables, report_rows, len(tables["data_quality"])


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
    except ValidationError as exc:
        if len(frames) == 1:
            raise _BadPiece(named_frames[0][0], exc) from None
        for file_name, frame in named_frames:
            try:
                _validate(schema, frame, f"{file_name}: {spec.name} (lax)")
            except ValidationError as piece_exc:
                raise _BadPiece(file_name, piece_exc) from None
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
