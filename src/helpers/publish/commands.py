"""The ``run``, ``list`` and ``build`` subcommands of ``briefings``.

Exit codes are :class:`helpers.errors.ExitCode`. Problems are one line on stderr.
Importing this module is cheap (the CLI imports it for every command).
"""

from __future__ import annotations

import argparse
import sys

from helpers.errors import BriefingsError, ExitCode



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
    which.add_argument("--date", action="append", metavar="YYYY-MM-DD", help="a reporting date (repeatable)")
    which.add_argument("--all", action="store_true", help="every reporting date with data")
    _add_run_options(run)
    run.set_defaults(func=cmd_run)

    lst = subparsers.add_parser("list", help="reporting dates, their data, params and last run")
    lst.set_defaults(func=cmd_list)

    build = subparsers.add_parser("build", help="ingest, then run every date (what `make briefings` calls)")
    _add_run_options(build)
    build.set_defaults(func=cmd_build)


def _error(exc: BaseException) -> int:
    print(f"error: {exc}", file=sys.stderr, flush=True)
    return ExitCode.BAD_INPUT


def _run(dates, all_dates: bool, args: argparse.Namespace) -> int:
    from helpers.publish.runner import run_dates

    summary = run_dates(dates, all_dates=all_dates, force=args.force, jobs=args.jobs, wait=not args.no_wait)
    if summary.planned or summary.locked:
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


def cmd_build(args: argparse.Namespace) -> int:
    try:
        from helpers.ingest.run import run_ingest

        result = run_ingest()
        if getattr(result, "skipped", False):
            print("ingest: data/processed is up to date", flush=True)
        else:
            print(f"ingest: data/processed rebuilt from {len(result.reports)} reports in {result.seconds:.2f} s", flush=True)
        new_dates = list(getattr(result, "new_dates", []) or [])
        if new_dates:
            print(f"ingest: new reporting dates: {', '.join(new_dates)}", flush=True)
        status = _run(None, True, args)
        for item in result.set_aside:  # the other reports were ingested and briefed
            print(f"error: set aside: {item['error']}", file=sys.stderr, flush=True)
        return status or (ExitCode.BAD_INPUT if result.set_aside else ExitCode.OK)
    except BriefingsError as exc:
        return _error(exc)


def cmd_list(args: argparse.Namespace) -> int:
    try:
        return list_dates()
    except BriefingsError as exc:
        return _error(exc)


def list_dates(out=None) -> int:
    """Print one line per date: data kinds, params used, state of the last run."""
    from helpers import tables as datastore
    from helpers.publish.params import display_path, load_params, params_files
    from helpers.publish import store as outputs
    from helpers.publish import plan

    out = out or (lambda line: print(line, flush=True))
    available = datastore.available_dates()
    files = params_files()
    manifest = outputs.read_manifest()
    hasher = plan.InputHasher(plan.NOTEBOOKS)
    rows = [("date", "data", "params", "last run")]
    status = ExitCode.OK
    for date in sorted(set(available) | set(files), reverse=True):
        kinds = ", ".join(available.get(date, [])) or "(no data)"
        try:
            lp = load_params(date, available=available)
            params_text = "defaults.yaml (no params file)" if lp.used_defaults else display_path(lp.path)
        except BriefingsError as exc:
            lp = None
            params_text = f"INVALID: {exc}"
            status = ExitCode.BAD_INPUT
        entry = outputs.date_entry(manifest, date)
        last = entry.get("last_run") or {}
        if not last:
            state = "never run"
        else:
            state = last.get("status", "?")
            if state == "failed":
                errors = last.get("errors") or {}
                first = next(iter(errors.items()), None)
                if first:
                    state += f" ({first[0]}.ipynb: {first[1].get('summary', '')})"
                if entry.get("last_success"):
                    state += "; last good briefing kept"
            if lp is not None and entry.get("last_success"):
                try:
                    plan.check_notebooks(plan.NOTEBOOKS)
                    digest = hasher.input_hash(date, hasher.date_inputs(lp))
                    fresh, _ = plan.up_to_date(entry, date, digest, plan.NOTEBOOKS)
                    state += ", up to date" if fresh else ", inputs changed since"
                except BriefingsError:
                    pass
        rows.append((date, kinds, params_text, state))
    from helpers.ingest.run import set_aside_reports

    set_aside = set_aside_reports()
    for item in set_aside:
        out(f"set aside by the last ingest: {item['error']}")
    if set_aside:
        status = ExitCode.BAD_INPUT
    if len(rows) == 1:
        out("no reporting dates: run 'briefings ingest' (or 'make briefings')")
        return status
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    for r in rows:
        out("  ".join(r[i].ljust(widths[i]) for i in range(3)) + "  " + r[3])
    return status
