"""The ``run``, ``list`` and ``build`` subcommands of ``briefings``.

Exit codes are :class:`helpers.errors.ExitCode`. Problems are one line on stderr.
Importing this module is cheap (the CLI imports it for every command).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from collections.abc import Mapping
from typing import Any

from helpers.errors import BriefingsError, ExitCode, InputError, message_line

_DMY_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def report_date(text: str) -> str:
    """A reporting date as ISO ``YYYY-MM-DD``, given as ``2025-09-23`` or the Vietnamese ``23/9/2025``."""
    text = text.strip()
    try:
        m = _DMY_RE.match(text)
        if m:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1))).isoformat()
        if _ISO_RE.match(text):
            return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD or D/M/YYYY, found {text!r}")


def _override(text: str) -> tuple[str, Any]:
    """``key=value`` (``thresholds.green_pct_min=85``); the value is read as YAML (numbers, null, lists)."""
    import yaml

    key, sep, value = text.partition("=")
    key = key.strip()
    if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*", key):
        raise argparse.ArgumentTypeError(f"expected key=value (e.g. thresholds.green_pct_min=85), found {text!r}")
    try:
        parsed = yaml.safe_load(value) if value.strip() else None
    except yaml.YAMLError:
        parsed = value
    return key, _dates_as_text(parsed)


def _dates_as_text(value: Any) -> Any:
    """YAML reads 2025-06-27 as a date; the params model wants the text (and names a bad one)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return [_dates_as_text(v) for v in value]
    if isinstance(value, dict):
        return {k: _dates_as_text(v) for k, v in value.items()}
    return value


def add_global_options(parser: argparse.ArgumentParser, after_subcommand: bool = False) -> None:
    """Options every command takes, before or after the subcommand (``briefings build --debug``)."""
    default = {"default": argparse.SUPPRESS} if after_subcommand else {}
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors", **default)
    parser.add_argument("--quiet", "-q", action="store_true", help="print only what changed and what failed (for cron)", **default)
    parser.add_argument("--log", metavar="FILE", help="append every output line to FILE, each starting with a UTC timestamp (folders created)", **default)
    parser.add_argument("--on-failure", metavar="CMD", help="on a non-zero exit run CMD DATE ERROR once per failed date ('-' when no date); also in $BRIEFINGS_FAILED_DATE, $BRIEFINGS_ERROR", **default)


class VersionAction(argparse.Action):
    """``--version``: looked up only when asked (importlib.metadata costs ~0.1 s at every start)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help="print the version and exit"):
        super().__init__(option_strings=option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        print(version_text(), flush=True)
        parser.exit()


def version_text() -> str:
    """``briefings X.Y.Z (Python 3.11.7)``: the installed distribution's version."""
    import platform
    from importlib.metadata import PackageNotFoundError, version

    try:
        mine = version("vn-two-level-briefings")
    except PackageNotFoundError:
        mine = "(not installed)"
    return f"briefings {mine} (Python {platform.python_version()})"


def _jobs(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of parallel jobs, found {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1 job, found {n}")
    return n


def _add_run_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--force", action="store_true", help="run even if the inputs of a date are unchanged")
    p.add_argument("--jobs", "-j", type=_jobs, default=None, metavar="N", help="notebooks run in parallel (default: number of cores)")
    p.add_argument("--no-wait", action="store_true", help="exit 3 instead of waiting when another run holds a date")


def add_subcommands(subparsers) -> None:
    run = subparsers.add_parser("run", help="run the notebooks of one or all reporting dates into outputs/")
    which = run.add_mutually_exclusive_group(required=True)
    which.add_argument("--date", action="append", type=report_date, metavar="DATE", help="a reporting date, 2025-09-23 or 23/9/2025 (repeatable)")
    which.add_argument("--all", action="store_true", help="every reporting date with data")
    _add_run_options(run)
    run.add_argument("-p", "--parameter", dest="overrides", action="append", type=_override, default=[], metavar="KEY=VALUE",
                     help="override a parameter for this run (thresholds.green_pct_min=85; repeatable); outputs record it")
    run.add_argument("--province", metavar="NAME", action="append",
                     help="a province of the drill-down notebook (any spelling of its name, or its code; repeatable); "
                          "by default every province the date flags 'ready but low'")
    run.set_defaults(func=cmd_run)

    lst = subparsers.add_parser("list", help="reporting dates, their data, params and last run")
    lst.add_argument("--json", action="store_true", help="one JSON document (a list of dates) instead of a table")
    lst.set_defaults(func=cmd_list)

    build = subparsers.add_parser("build", help="ingest, then run every date (what `make briefings` calls)")
    _add_run_options(build)
    build.set_defaults(func=cmd_build)


def _error(exc: BaseException) -> int:
    print(f"error: {message_line(exc)}", file=sys.stderr, flush=True)
    return ExitCode.BAD_INPUT


def _overrides(args: argparse.Namespace) -> dict[str, Any]:
    """The ``-p``/``--province`` overrides as one mapping (later ones win); the provinces are checked now."""
    out = dict(getattr(args, "overrides", None) or [])
    provinces = getattr(args, "province", None) or []
    for province in provinces:
        if not _known_province(province):
            raise InputError("--province", None, "a province name (e.g. 'Lạng Sơn') or official code", province)
    if provinces:
        out["province"] = list(provinces)
    return out


def _known_province(text: str) -> bool:
    """A name the matcher knows (any spelling) or an official code (``--province 20``)."""
    from helpers.ingest.provinces import by_code, lookup

    if not text.strip().isdigit():
        return lookup(text) is not None
    try:
        by_code(int(text))
    except KeyError:
        return False
    return True


def _reporter(args: argparse.Namespace, progress: list[str] | None = None):
    """Progress on stdout, problems on stderr; with --quiet only problems (changes are printed after).
    ``progress`` collects the progress lines, printed or not."""
    from helpers.publish.runner import Reporter

    quiet = getattr(args, "quiet", False)

    def out(line: str) -> None:
        if progress is not None:
            progress.append(line)
        if not quiet:
            print(line, flush=True)

    return Reporter(out=out)


def _run(dates, all_dates: bool, args: argparse.Namespace, ingested_tables=None, progress: list[str] | None = None, outcome: list | None = None) -> int:
    """Build ``dates`` (or all); ``outcome`` receives the run's summary."""
    from helpers.publish.runner import run_dates

    quiet = getattr(args, "quiet", False)
    summary = run_dates(dates, all_dates=all_dates, force=args.force, jobs=args.jobs, wait=not args.no_wait,
                        reporter=_reporter(args, progress), overrides=_overrides(args), ingested_tables=ingested_tables)
    if outcome is not None:
        outcome.append(summary)
    if quiet:
        for date in summary.ran:
            revision = summary.records.get(date, {}).get("revision")
            print(f"{date}: published outputs/{date}/" + (f" (revision {revision['number']})" if revision else ""), flush=True)
    elif summary.planned or summary.locked:
        parts = [f"{len(summary.ran)} published", f"{len(summary.skipped)} unchanged"]
        if summary.failed:
            parts.append(f"{len(summary.failed)} failed")
        if summary.locked:
            parts.append(f"{len(summary.locked)} locked")
        print(f"briefings: {', '.join(parts)} in {summary.seconds:.1f} s; index: outputs/index.html", flush=True)
    elif summary.skipped:
        print(f"briefings: all {len(summary.skipped)} dates up to date ({summary.seconds:.2f} s)", flush=True)
    if summary.failed:
        print(f"error: {len(summary.failed)} date(s) failed: {', '.join(summary.failed)} (see the FAILED lines above)", file=sys.stderr, flush=True)
    elif summary.locked:
        print(f"error: locked by another run: {', '.join(summary.locked)}; retry later or drop --no-wait", file=sys.stderr, flush=True)
    return summary.exit_code


def cmd_run(args: argparse.Namespace) -> int:
    try:
        return _run(args.date, bool(args.all), args)
    except BriefingsError as exc:
        return _error(exc)


def _ingest():
    from helpers.ingest.run import run_ingest

    return run_ingest()


def cmd_build(args: argparse.Namespace) -> int:
    from helpers.publish import noop

    quiet = getattr(args, "quiet", False)
    # nothing changed since the last build found every date up to date: done in milliseconds
    if not args.force and noop.try_noop(quiet, lambda line: print(line, flush=True)):
        return ExitCode.OK
    try:
        from helpers.parallel import call_in_forked_child

        # in a child process: what parsing and assembling the reports used goes with it,
        # instead of staying in this process (and its forked workers) for the whole build
        result = call_in_forked_child(_ingest)
        progress: list[str] = []
        if getattr(result, "skipped", False):
            progress.append("ingest: data/processed is up to date")
            if not quiet:
                print(progress[-1], flush=True)
        else:
            print(f"ingest: data/processed rebuilt from {len(result.reports)} reports in {result.seconds:.2f} s", flush=True)
        new_dates = list(getattr(result, "new_dates", []) or [])
        if new_dates:
            print(f"ingest: new reporting dates: {', '.join(new_dates)}", flush=True)
        ingested_tables = None
        if not getattr(result, "skipped", False):  # tables this process has just parsed from data/raw
            from helpers.ingest.record import recorded_hashes

            ingested_tables = recorded_hashes()
        outcome: list = []
        status = _run(None, True, args, ingested_tables, progress, outcome)
        for item in result.set_aside:  # the other reports were ingested and briefed
            print(f"error: set aside: {item['error']}", file=sys.stderr, flush=True)
        summary = outcome[0]
        if result.skipped and not result.set_aside and not args.force and status == ExitCode.OK and summary.skipped and not summary.planned:
            noop.record(progress, summary.skipped)  # a clean no-op: the next one can trust the stamp
        else:
            noop.forget()
        return status or (ExitCode.BAD_INPUT if result.set_aside else ExitCode.OK)
    except BriefingsError as exc:
        return _error(exc)


def cmd_list(args: argparse.Namespace) -> int:
    try:
        if getattr(args, "json", False):
            rows, status = date_states()
            print(json.dumps(rows, ensure_ascii=False, indent=2), flush=True)
            return status
        return list_dates()
    except BriefingsError as exc:
        return _error(exc)


def date_states() -> tuple[list[dict[str, Any]], int]:
    """One record per reporting date, newest first: its data kinds, params, last run, and
    whether the published briefing is up to date; and the exit status (2 if a params file is invalid)."""
    from helpers import tables as datastore
    from helpers.params import display_path, load_params, params_files
    from helpers.publish import history
    from helpers.publish import manifest as manifests
    from helpers.publish import plan

    available = datastore.available_dates()
    files = params_files()
    manifest = manifests.read_manifest()
    runs = history.latest()
    hasher = plan.InputHasher(plan.NOTEBOOKS)
    records: list[dict[str, Any]] = []
    status = ExitCode.OK
    for date in sorted(set(available) | set(files), reverse=True):
        record: dict[str, Any] = {"date": date, "data": list(available.get(date, [])), "params": None, "params_error": None,
                                  "last_run": None, "last_run_at": None, "error": None, "published": False, "up_to_date": None,
                                  "revision": None, "last_checked_at": None}
        try:
            lp = load_params(date, available=available)
            record["params"] = "defaults.yaml (no params file)" if lp.used_defaults else display_path(lp.path)
        except BriefingsError as exc:
            lp = None
            record["params_error"] = str(exc)
            status = ExitCode.BAD_INPUT
        entry = manifests.date_entry(manifest, date)
        last = entry.get("last_run") or {}
        record["published"] = bool(entry.get("last_success"))
        ran = runs.get(date) or {}
        if ran.get("status"):  # the run history (outputs/history.jsonl)
            record["last_run"], record["last_run_at"] = ran["status"], ran.get("at")
            first = next(iter((ran.get("errors") or {}).items()), None)
            if record["last_run"] == "failed" and first:
                record["error"] = f"{first[0]}.ipynb: {first[1]}"
            record["revision"] = (ran.get("revision") or {}).get("number")
            record["last_checked_at"] = ran.get("checked_at")
        elif last:  # outputs built before the history existed
            record["last_run"] = last.get("status", "?")
            record["last_run_at"] = last.get("finished_at")
            first = next(iter((last.get("errors") or {}).items()), None)
            if record["last_run"] == "failed" and first:
                record["error"] = f"{first[0]}.ipynb: {first[1].get('summary', '')}"
        if lp is not None and entry.get("last_success"):
            try:
                plan.check_notebooks(plan.NOTEBOOKS)
                digest = hasher.input_hash(date, hasher.date_inputs(lp))
                record["up_to_date"] = plan.up_to_date(entry, date, digest, plan.NOTEBOOKS)[0]
            except BriefingsError:
                pass
        records.append(record)
    return records, status


def _state_text(record: Mapping[str, Any]) -> str:
    if not record["last_run"]:
        return "never run"
    state = record["last_run"]
    if record["error"]:
        state += f" ({record['error']})"
    if state.startswith("failed") and record["published"]:
        state += "; last good briefing kept"
    if record["up_to_date"] is not None:
        state += ", up to date" if record["up_to_date"] else ", inputs changed since"
    if record["revision"]:
        state += f", revision {record['revision']}"
    if record["last_run_at"]:
        state += f" (built {record['last_run_at']})"
    return state


def list_dates(out=None) -> int:
    """Print one line per date: data kinds, params used, state of the last run; then the
    reports the last ingest set aside (exit 2 while there are any)."""
    from helpers.ingest.run import set_aside_reports

    out = out or (lambda line: print(line, flush=True))
    records, status = date_states()
    set_aside = set_aside_reports()
    for item in set_aside:
        out(f"set aside by the last ingest: {item['error']}")
    if set_aside:
        status = ExitCode.BAD_INPUT
    if not records:
        out("no reporting dates: run 'briefings ingest' (or 'make briefings')")
        return status
    rows = [("date", "data", "params", "last run")]
    for r in records:
        params_text = r["params"] if r["params_error"] is None else f"INVALID: {r['params_error']}"
        rows.append((r["date"], ", ".join(r["data"]) or "(no data)", params_text, _state_text(r)))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    for r in rows:
        out("  ".join(r[i].ljust(widths[i]) for i in range(3)) + "  " + r[3])
    return status
