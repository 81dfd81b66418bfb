"""Ingestion: every report in ``data/raw`` -> validated tables in ``data/processed``.

Steps: read and detect each report (kind and date come from the content) ->
parse -> lax schema per report -> concatenate -> cross-report checks -> strict
schema -> write all CSVs into a staging directory -> swap it in atomically. With many
rows, the tables the checks do not change go through the strict schema and into the
staging directory in forked workers while the checks run (:class:`StrictWriter`).
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
import shlex
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path

from helpers import atomic

from helpers import config
from helpers.errors import InputError, ValidationError

FINGERPRINT_FILE = "_ingest.json"
DICTIONARY_FILE = "DATA_DICTIONARY.md"


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
    parsed: int = 0  # reports parsed by this run (the others came from the cache)
    cache_warnings: list[str] = field(default_factory=list)  # cache entries set aside (already printed)


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
    from helpers.ingest.cache import code_version

    digest = hashlib.sha256()
    raw = {}
    for path in files:
        try:
            sha = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError as exc:
            raise InputError(path, None, "a readable report file", exc.strerror) from None
        raw[path.name] = sha
        digest.update(f"raw {path.name} {sha}\n".encode())
    digest.update(f"code {code_version()}\n".encode())
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
    from helpers.ingest.cache import IngestCache, cache_dir

    # --force parses every report and reruns every check (and rewrites the cache)
    cache = IngestCache(cache_dir(processed), refresh=force)
    stats: dict = {"hashes": state["raw"]}
    # the tables the checks do not change are written while the checks run, into a staging
    # directory made when the first table is written (none exists while parsing)
    writer = StrictWriter(lambda: atomic.staging_dir(processed))
    try:
        tables, reports, findings, set_aside = build_tables(files, with_set_aside=True, cache=cache, stats=stats, strict=False, ready=writer.start)
        # A report that was ingested before and cannot be read now (raw files never change, so
        # something is wrong with the folder): change nothing, say why. A *new* report that
        # cannot be read is set aside and the others go ahead.
        ingested_before = {r["file"] for r in (previous or {}).get("reports", [])}
        broken = [item for item in set_aside if item["file"] in ingested_before]
        if broken or not reports:
            raise (broken or set_aside)[0]["exc"]
        row_counts = writer.finish(tables)
        staged = writer.target
        (staged / DICTIONARY_FILE).write_text(data_dictionary_markdown(), encoding="utf-8")
        # the tables' hashes bind them to this ingest: a run refuses a table changed since
        hashes = {f"{name}.csv": writer.hashes.get(name) or _sha256_of(staged / f"{name}.csv") for name in row_counts}
        set_aside = [{"file": item["file"], "error": item["error"]} for item in set_aside]
        manifest = {**state, "reports": reports, "row_counts": row_counts, "tables": hashes, "set_aside": set_aside}
        (staged / FINGERPRINT_FILE).write_text(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        (staged / ".gitkeep").touch()
        cache.move_into(staged)  # the cache lives in data/processed, which is replaced whole
        atomic.replace_dir(staged, processed)
    except BaseException:
        import shutil

        writer.close()
        if writer.made is not None:
            shutil.rmtree(writer.made, ignore_errors=True)
        raise
    try:
        cache.finish(stats["pieces"])
    except OSError as exc:  # the tables are in place; a cache that cannot be tidied costs a parse later
        import sys

        print(f"warning: ingest cache not updated ({exc.strerror}); the next ingest parses again what it lacks", file=sys.stderr)
    dates = {r["report_date"] for r in reports if r["report_date"] and r["kind"] in ("daily_readiness", "plan02")}
    result = IngestResult(
        skipped=False,
        set_aside=set_aside,
        reports=reports,
        new_dates=sorted(dates - old_dates),
        row_counts=row_counts,
        findings=findings,
        parsed=stats["parsed"],
        cache_warnings=cache.warnings,
    )
    result.dates_without_params = _dates_without_params(processed)
    result.seconds = time.perf_counter() - started
    return result


def _dates_without_params(processed: Path) -> list[str]:
    from helpers.ingest.record import available_dates

    return sorted(d for d in available_dates(processed) if not (config.params_dir() / f"{d}.yaml").exists())


PARALLEL_MIN_FILES = 8  # below this, starting worker processes costs more than it saves


def _parse_or_refuse(path: Path, cache_root: Path | None = None):
    """The report's :class:`ReportPiece` (stored in the cache at ``cache_root``), or the
    InputError that refuses it (returned, so one bad file stops neither the worker pool nor
    the other files)."""
    from helpers.ingest.parsers import parse_report
    from helpers.ingest.piece import piece_of

    try:
        piece = piece_of(parse_report(path))
    except InputError as exc:
        return exc
    if cache_root is not None and piece.frames is None:
        from helpers.ingest.cache import IngestCache

        try:  # writing the entry here spreads the JSON over the workers
            IngestCache(cache_root).store_piece(piece)
        except OSError:
            pass  # a cache that cannot be written costs the next run a parse, nothing else
    return piece


def _parse_all(files: list[Path], cache_root: Path | None = None) -> list:
    """:func:`_parse_or_refuse` of every file, in order. Files are independent, so with many
    of them (a backlog of daily reports) they are parsed in forked worker processes, one
    per CPU. Each worker takes files one at a time, so the two cores stay busy to the end."""
    from helpers.parallel import can_fork, fork_pool, usable_cpus

    workers = min(usable_cpus(), len(files))
    if len(files) < PARALLEL_MIN_FILES or workers < 2 or not can_fork():
        return [_parse_or_refuse(path, cache_root) for path in files]
    import functools

    # imported before the fork, so that every worker starts with them instead of importing
    # them (pandera alone is ~0.4 s) for itself
    import helpers.ingest.parsers.claims  # noqa: F401
    import helpers.ingest.schemas  # noqa: F401
    from helpers.ingest.parsers import parser_modules

    parser_modules()

    with fork_pool(workers) as pool:
        return list(pool.map(functools.partial(_parse_or_refuse, cache_root=cache_root), files, chunksize=1))


def _pieces(files: list[Path], cache, stats: dict) -> tuple[list, set[str]]:
    """Every file's piece (or refusal), in order: from the cache when its bytes were parsed
    by this code before, else parsed. Also the names that came from the cache (a cached
    piece the lax schema refuses is parsed again, not set aside)."""
    out: list = [None] * len(files)
    cached: set[str] = set()
    todo = []
    hashes = stats.get("hashes") or {}
    for i, path in enumerate(files):
        piece = None
        if cache is not None and not cache.refresh:
            sha = hashes.get(path.name)
            if sha is None:
                try:
                    sha = hashlib.sha256(path.read_bytes()).hexdigest()
                except OSError as exc:
                    out[i] = InputError(path, None, "a readable report file", exc.strerror)
                    continue
            piece = cache.load_piece(path.name, sha)
        if piece is None:
            todo.append(i)
        else:
            out[i] = piece
            cached.add(path.name)
    for i, result in zip(todo, _parse_all([files[i] for i in todo], cache.root if cache is not None else None)):
        out[i] = result
    stats["parsed"] = len(todo)
    return out, cached


# Reports from before the programme (the merger was decided in 2025) are not reports of it.
FIRST_REPORT_YEAR = 2025


def _refusal(p, seen: dict, today: dt.date, raw_dir: Path) -> InputError | None:
    """Why a parsed report cannot join the others (None if it can).

    Reports of one kind sit side by side when their dates differ. That holds for the
    standing documents too (directives notices, vendor summaries: their rows carry the
    document's own date), so tomorrow's notice or summary dropped into data/raw joins the
    others. Two of one kind and date cannot both be right: the second is set aside with
    the command that replaces one by the other. Two *undated* vendor summaries are the same
    case: nothing says which is newer, so nothing is guessed."""
    path = p.path(raw_dir)
    date = p.date
    if date is not None and date > today:
        return InputError(path, _date_line(path, date), f"a report date no later than today ({today.isoformat()})", date.isoformat())
    if date is not None and date.year < FIRST_REPORT_YEAR:
        return InputError(path, _date_line(path, date), f"a report date in {FIRST_REPORT_YEAR} or later (the two-level programme)", date.isoformat())
    key = (p.kind, p.report_date)
    if key in seen:
        first = seen[key]
        if p.report_date is None:
            return InputError(path, 1, f"one undated {p.kind} document ({_replace_hint(p, first, raw_dir, 'the newer version')})", f"a second one (also {first.file})")
        what = f"one {p.kind} document per date" if _standing(p) else f"one {p.kind} report per date"
        return InputError(path, 1, f"{what} ({_replace_hint(p, first, raw_dir, 'a correction')})", f"a second one for {p.report_date} (also {first.file})")
    seen[key] = p
    return None


def _replace_hint(second, first, raw_dir: Path, what: str) -> str:
    """The commands that replace one of two reports that cannot sit side by side (same kind
    and date, or both undated): ``add-report --supersedes`` moves the other to
    data/raw/superseded/ and records it."""
    place = config.relative_to_root(second.path(raw_dir))
    return (
        f"if {second.file} is {what} of {first.file}, run: mv {shlex.quote(place)} . && "
        f"briefings add-report {shlex.quote(second.file)} --supersedes {shlex.quote(first.file)}"
    )


def _standing(p) -> bool:
    """A standing document (vendor summary, directives notice): its tables carry the
    document's own date (``notice_date``, ``summary_date``) instead of a report date."""
    from helpers.ingest.piece import BODY_TABLES
    from helpers.ingest.schemas import TABLES

    names = [name for name in p.table_names() if name not in BODY_TABLES]
    return bool(names) and not any("report_date" in TABLES[name].key for name in names if name in TABLES)


def build_tables(files: list[Path], with_set_aside: bool = False, cache=None, stats: dict | None = None, strict: bool = True, ready=None):
    """Parse every file and return (tables, report rows, number of findings[, set aside]).
    Writes nothing but cache entries (with ``cache``, an :class:`IngestCache`). Without
    ``with_set_aside`` the first unreadable file raises. ``stats`` (optional) may bring the
    files' SHA-256 (``hashes``) and receives ``parsed`` and the ingested ``pieces``.
    ``strict=False`` leaves the row order and the strict schema to :func:`write_strict_tables`
    (or a :class:`StrictWriter`). ``ready`` (optional) is called once with the tables the
    checks across reports do not change (every table but ``data_quality``), before they run."""
    stats = {} if stats is None else stats
    parsed, cached = _pieces(files, cache, stats)
    raw_dir = files[0].parent if files else Path(".")
    today = dt.date.today()
    seen: dict[tuple[str, str | None], object] = {}  # the report kept for each (kind, date)
    good, set_aside = [], []
    for p in parsed:
        refusal = p if isinstance(p, InputError) else _refusal(p, seen, today, raw_dir)
        if refusal is None:
            good.append(p)
            continue
        if not with_set_aside:
            raise refusal
        set_aside.append({"file": Path(refusal.path).name, "error": str(refusal), "exc": refusal})
    while True:
        try:
            tables, report_rows, findings = _assemble(good, cache, strict, ready) if good else ({}, [], 0)
            break
        except _BadPiece as bad:
            if bad.file in cached:  # the cache's copy, not the report: parse the report again
                cached.discard(bad.file)
                index = next(i for i, p in enumerate(good) if p.file == bad.file)
                cache.discard_piece(good[index], f"the lax schema refuses it ({bad.error})")
                fresh = _parse_or_refuse(raw_dir / bad.file, cache.root)
                stats["parsed"] = stats.get("parsed", 0) + 1
                if not isinstance(fresh, InputError):
                    good[index] = fresh
                    continue
                bad = _BadPiece(bad.file, fresh)
            # a report the lax schema refuses: set it aside, assemble the rest
            if not with_set_aside:
                raise bad.error from None
            good = [p for p in good if p.file != bad.file]
            set_aside.append({"file": bad.file, "error": str(bad.error), "exc": bad.error})
    stats["pieces"] = good
    if with_set_aside:
        return tables, report_rows, findings, set_aside
    return tables, report_rows, findings


class _BadPiece(Exception):
    def __init__(self, file: str, error: Exception):
        super().__init__(str(error))
        self.file, self.error = file, error


def _assemble(parsed: list, cache=None, strict: bool = True, ready=None):
    import pandas as pd

    from helpers.ingest.provinces import provinces_table
    from helpers.ingest.schemas import TABLES

    pieces: dict[str, list] = {}
    findings_rows = []
    report_rows = []
    for p in parsed:
        report_rows.append(p.report_row())
        for name in p.table_names():
            if name not in TABLES:
                raise ValidationError(f"{p.file}: parser produced unknown table {name!r}")
            pieces.setdefault(name, []).append(p)
        findings_rows.extend(p.findings)

    tables = {name: _lax_table(TABLES[name], named) for name, named in pieces.items()}
    tables["provinces"] = provinces_table()
    tables["reports"] = pd.DataFrame(report_rows)
    if ready is not None:
        ready(dict(tables))
    findings_rows.extend(_checks_across_reports(tables, parsed, cache))
    # A check may meet the same contradiction twice (two tables, two passes): keep it once,
    # so that no finding can break the table's key and stop the ingest.
    dq = pd.DataFrame(findings_rows, columns=TABLES["data_quality"].columns)
    tables["data_quality"] = dq.drop_duplicates(subset=list(TABLES["data_quality"].key) or None, keep="first")
    if strict:
        for name in list(tables):
            tables[name] = _strict_table(name, tables[name])
    return tables, report_rows, len(tables["data_quality"])


def _strict_table(name: str, frame):
    from helpers.ingest.schemas import TABLES

    return _validate(TABLES[name].strict, _conform(frame, TABLES[name]), f"table {name} (strict)")


def _checks_across_reports(tables: dict, parsed: list, cache) -> list[dict]:
    """The findings of ``checks`` (registry, then each pair of consecutive reports) and of
    ``consistency`` (each check over each report date), in that order. A pair's or a
    date's findings depend only on its reports, so with a cache they are computed only for
    the pairs and dates whose reports are new or changed."""
    import pandas as pd

    from helpers.ingest import checks, consistency
    from helpers.ingest.cache import findings_key

    by_file = {p.file: p for p in parsed}
    rows = list(checks.registry_findings(tables))

    pairs = list(checks.consecutive_reports(tables))
    keys = [findings_key(by_file[previous.file], by_file[current.file]) for previous, current in pairs]
    found = [cache.findings("pairs", key) if cache is not None else None for key in keys]
    todo = [i for i, f in enumerate(found) if f is None]
    dates: dict[str | None, list] = {}
    for p in parsed:
        dates.setdefault(p.report_date, []).append(p)
    order = sorted(dates, key=lambda d: (d is not None, d or ""))
    date_keys = {date: findings_key(*dates[date]) for date in order}
    by_check = {date: cache.findings("dates", date_keys[date]) if cache is not None else None for date in order}
    stale = [date for date in order if by_check[date] is None]
    by_date = checks.ByDate(tables, few=len(todo) + len(stale) <= FEW_DATES)
    for i, result in zip(todo, _pair_findings(by_date, [pairs[i] for i in todo])):
        found[i] = result
        if cache is not None:
            cache.store_findings("pairs", keys[i], result)
    for result in found:
        rows.extend(result)

    if stale:
        # one run of each check over the rows of every stale date at once (the checks are
        # vectorised over dates), its findings then filed under their date
        if len(stale) == len(order):
            subset = {name: frame for name, frame in tables.items() if name != "provinces"}
        else:
            subset = {}
            for name in tables:
                parts = [by_date(name, date) for date in stale] if name != "provinces" else []
                parts = [part for part in parts if part is not None]
                if parts:
                    subset[name] = parts[0] if len(parts) == 1 else pd.concat(parts)
        for date in stale:
            by_check[date] = [[] for _ in consistency.CHECKS]
        unfiled = []  # a finding whose date is none of the reports' (not cached, never lost)
        for check, results in enumerate(consistency.findings_by_check(subset)):
            for row in results:
                date = row["report_date"] if isinstance(row["report_date"], str) else None
                (by_check[date][check] if date in stale else unfiled).append(row)
        if cache is not None and not unfiled:
            for date in stale:
                cache.store_findings("dates", date_keys[date], by_check[date])
        rows.extend(unfiled)
    for check in range(len(consistency.CHECKS)):
        for date in order:
            rows.extend(by_check[date][check])
    return rows


# Up to this many pairs and dates to check, each date's rows are filtered on their own
# rather than every table split by date (an incremental ingest checks two or three).
FEW_DATES = 8
# Pair checks to compute before they are spread over worker processes. A pair costs ~1 ms
# in plain Python (helpers.ingest.checks), and during a cold ingest both cores are busy
# writing tables (StrictWriter) while the pairs are checked: workers would only compete.
PARALLEL_MIN_PAIRS = 2000
_FORKED: dict = {}  # what forked workers read (inherited, never pickled)


def _pair_job(indices: list[int]) -> list[list[dict]]:
    from helpers.ingest import checks

    by_date, pairs = _FORKED["by_date"], _FORKED["pairs"]
    return [checks.pair_findings(by_date, *pairs[i]) for i in indices]


def _pair_findings(by_date, pairs: list) -> list[list[dict]]:
    """``checks.pair_findings`` of each pair, in order; many pairs (a cold ingest of a long
    history) are shared out to forked workers, which inherit the tables."""
    from helpers.ingest import checks
    from helpers.parallel import can_fork, fork_pool, usable_cpus

    workers = usable_cpus()
    if len(pairs) < PARALLEL_MIN_PAIRS or workers < 2 or not can_fork():
        return [checks.pair_findings(by_date, previous, current) for previous, current in pairs]
    by_date.split(*checks.PAIR_TABLES)
    _FORKED.update(by_date=by_date, pairs=pairs)
    try:
        batches = [list(range(i, len(pairs), workers)) for i in range(workers)]
        out: list = [None] * len(pairs)
        with fork_pool(workers) as pool:
            for batch, results in zip(batches, pool.map(_pair_job, batches)):
                for i, result in zip(batch, results):
                    out[i] = result
        return out
    finally:
        _FORKED.pop("by_date", None)
        _FORKED.pop("pairs", None)


def _date_line(path: Path, date) -> int | None:
    """First line printing ``date`` as d/m/yyyy (for the error message; None if not found)."""
    import re

    from helpers.ingest.rawtext import read_raw_report

    try:
        lines = read_raw_report(path).lines
    except InputError:
        return None
    for number, line in enumerate(lines, start=1):
        for m in re.finditer(r"(\d{1,2})/(\d{1,2})/(\d{4})", line):
            if (int(m.group(3)), int(m.group(2)), int(m.group(1))) == (date.year, date.month, date.day):
                return number
    return None


def _lax_table(spec, pieces: list):
    """Concatenate one table's pieces (one per report) and apply its lax schema once.

    One validation per table rather than per report keeps ingestion inside its time
    budget; when it fails, the pieces are checked one by one so the error names the file.
    """
    import pandas as pd

    from helpers.ingest.piece import concat

    schema = spec.lax()
    if all(p.frames is None for p in pieces):
        whole = concat([p.tables[spec.name] for p in pieces])
    else:
        frames = [p.frame(spec.name) for p in pieces]
        whole = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    try:
        return _validate(schema, whole, f"{pieces[0].file}: {spec.name} (lax)")
    except ValidationError as exc:
        if len(pieces) == 1:
            raise _BadPiece(pieces[0].file, exc) from None
        for p in pieces:
            try:
                _validate(schema, p.frame(spec.name), f"{p.file}: {spec.name} (lax)")
            except ValidationError as piece_exc:
                raise _BadPiece(p.file, piece_exc) from None
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
    except pandera.errors.SchemaErrors as errors:  # a failed coercion is reported this way even when not lazy
        exc = errors.schema_errors[0] if errors.schema_errors else None
        first = str(exc).strip().splitlines()[0] if exc is not None else "schema errors"
        raise ValidationError(f"{what}: {first}") from None
    except pandera.errors.SchemaError as exc:
        first = str(exc).strip().splitlines()[0]
        failure = ""
        if getattr(exc, "failure_cases", None) is not None and len(exc.failure_cases):
            failure = f" (failure: {exc.failure_cases.head(3).to_dict('records')})"
        raise ValidationError(f"{what}: {first}{failure}") from None


# Rows from which ordering, validating and writing the tables is shared out to workers.
PARALLEL_MIN_ROWS = 50_000


def _write_strict_job(names: list[str]) -> tuple[dict[str, int], dict[str, str]]:
    """Row counts and SHA-256 of the tables ``names``, written (the hashes are taken here, in
    parallel, rather than by reading every table back in the main process)."""
    tables, target = _FORKED["write_tables"], _FORKED["write_target"]
    counts = write_tables({name: _strict_table(name, tables[name]) for name in names}, target)
    return counts, {name: _sha256_of(target / f"{name}.csv") for name in counts}


def _sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _balanced_groups(tables: dict, workers: int) -> list[list[str]]:
    """Table names shared out over ``workers`` by rows, the largest first (each to the lightest group)."""
    groups: list[list[str]] = [[] for _ in range(workers)]
    load = [0] * workers
    for name in sorted(tables, key=lambda n: (-len(tables[n]), n)):
        lightest = load.index(min(load))
        groups[lightest].append(name)
        load[lightest] += len(tables[name]) + 1
    return [group for group in groups if group]


def write_strict_tables(tables: dict, target: Path) -> dict[str, int]:
    """Each table in its row order, checked against its strict schema, written to ``target``
    (a ValidationError if any fails: the caller discards ``target``). The tables are
    independent, so large ones are shared out to forked workers, the largest first."""
    writer = StrictWriter(lambda: target)
    try:
        writer.start(tables)
        return writer.finish(tables)
    finally:
        writer.close()


class StrictWriter:
    """Orders, checks against the strict schema and writes tables into ``target``.

    :meth:`start` takes the tables known to be final; with many rows they are shared out to
    forked workers at once, so that the writing (about a second of CPU for 100 reports) runs
    while the main process goes on with the checks across reports. :meth:`finish` takes
    every table (the ones not started are done in this process), waits for the workers and
    returns the row counts, by name. ``make_target`` gives the directory to write into; it
    is called when the first table is about to be written (:attr:`made` is then that
    directory). A ValidationError of any table reaches the caller, which discards the
    directory; :meth:`close` ends the workers (after an error)."""

    def __init__(self, make_target):
        self._make_target = make_target
        self.made: Path | None = None
        self.started: set[str] = set()
        self.hashes: dict[str, str] = {}  # SHA-256 of the tables the workers wrote, by name
        self._pool = None
        self._futures: list = []

    @property
    def target(self) -> Path:
        if self.made is None:
            self.made = self._make_target()
        return self.made

    def start(self, tables: dict) -> None:
        from helpers.parallel import can_fork, fork_pool, usable_cpus

        if self.started:
            raise RuntimeError("StrictWriter.start called twice")
        workers = usable_cpus()
        if sum(len(frame) for frame in tables.values()) < PARALLEL_MIN_ROWS or workers < 2 or not can_fork():
            return  # small: everything is done in finish(), in this process
        self.started = set(tables)
        _FORKED.update(write_tables=tables, write_target=self.target)
        try:
            self._pool = fork_pool(workers)
            # the workers fork at the first submit: each inherits the tables, none is pickled
            self._futures = [self._pool.submit(_write_strict_job, group) for group in _balanced_groups(tables, workers)]
        finally:
            _FORKED.pop("write_tables", None)
            _FORKED.pop("write_target", None)

    def finish(self, tables: dict) -> dict[str, int]:
        rest = {name: frame for name, frame in tables.items() if name not in self.started}
        counts = write_tables({name: _strict_table(name, frame) for name, frame in rest.items()}, self.target) if rest else {}
        try:
            for future in self._futures:
                part, hashes = future.result()
                counts.update(part)
                self.hashes.update(hashes)
        finally:
            self.close()
        return {name: counts[name] for name in sorted(counts)}

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


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
