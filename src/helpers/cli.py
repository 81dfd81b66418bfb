"""The ``briefings`` command (also ``python -m helpers``).

Every error reaches the user as one line on stderr and a non-zero exit code
(:class:`helpers.errors.ExitCode`): 2 bad input or parameters, 1 a notebook failed,
3 another run holds the lock, 70 an internal error (``--debug`` shows its traceback),
74 a full disk (met by the command, a notebook cell or the writing of outputs).
"""

from __future__ import annotations

import argparse
import sys

from helpers.errors import BriefingsError, ExitCode, is_no_space, message_line, printable


def cmd_ingest(args: argparse.Namespace) -> int:
    import gc

    from helpers.ingest.run import run_ingest

    # Ingestion's memory is bounded (~100 MB) and holds no reference cycles worth
    # collecting; the collector's passes over pandas' objects cost ~10% of the 2 s budget.
    gc.disable()
    try:
        result = run_ingest(force=args.force)
    finally:
        gc.enable()
    if result.skipped:
        print(f"ingest: data/processed is up to date ({len(result.reports)} reports unchanged)")
    else:
        for r in result.reports:
            print(f"ingest: {printable(r['file'])}: {r['kind']} {r['report_date'] or '(undated)'}")
        total_rows = sum(result.row_counts.values())
        print(f"ingest: {len(result.row_counts)} tables, {total_rows:,} rows, {result.findings} data-quality findings, {result.seconds:.2f} s")
        if result.new_dates:
            print(f"ingest: new reporting dates: {', '.join(result.new_dates)}")
    for date in result.dates_without_params:
        print(f"ingest: {date} has no params/{date}.yaml; its run will use params/defaults.yaml")
    return report_set_aside(result)


def report_set_aside(result) -> int:
    """One line on stderr per report ingest set aside; exit 2 if there was any."""
    for item in result.set_aside:
        print(f"error: set aside: {item['error']}", file=sys.stderr)
    return ExitCode.BAD_INPUT if result.set_aside else ExitCode.OK


def cmd_add_report(args: argparse.Namespace) -> int:
    from helpers.ingest.addreport import add_report

    added = add_report(args.file, supersedes=args.supersedes)
    what = f"{added.kind} {added.report_date or '(undated)'}"
    print(f"add-report: data/raw/{added.file}: {what}" + (f", supersedes {added.superseded} (now in data/raw/superseded/)" if added.superseded else ""))
    print(f"add-report: dates changed: {', '.join(added.changed_dates) or '(none: undated report)'}; run 'briefings build' to brief them")
    return report_set_aside(added.ingest)


def build_parser() -> argparse.ArgumentParser:
    from helpers.publish.commands import VersionAction, add_global_options

    parser = argparse.ArgumentParser(prog="briefings", description="Briefings on Vietnam's two-level local government reports.", epilog=ExitCode.help_text())
    parser.add_argument("--version", action=VersionAction)
    add_global_options(parser)
    sub = parser.add_subparsers(dest="command", required=True)
    ingest = sub.add_parser("ingest", help="parse data/raw into validated tables in data/processed")
    ingest.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    ingest.set_defaults(func=cmd_ingest)
    add = sub.add_parser("add-report", help="copy a report into data/raw, record its SHA-256 in data/raw/README.md, ingest")
    add.add_argument("file", help="the report (any file name; kind and date are read from its content)")
    add.add_argument("--supersedes", metavar="OLD", help="a report in data/raw that this one corrects; it moves to data/raw/superseded/")
    add.set_defaults(func=cmd_add_report)
    from helpers.publish.commands import add_subcommands

    add_subcommands(sub)
    for command in sub.choices.values():
        add_global_options(command, after_subcommand=True)
        command.epilog = command.epilog or ExitCode.help_text()
    return parser


def main(argv: list[str] | None = None) -> int:
    from helpers import stopping
    from helpers.publish.logs import Operation

    parser = build_parser()
    args = parser.parse_args(argv)
    stopping.install()
    with Operation(log=args.log, on_failure=args.on_failure) as operation:
        code = _dispatch(args)
    operation.notify(code)
    return code


def _dispatch(args: argparse.Namespace) -> int:
    from helpers import stopping

    try:
        return int(args.func(args) or 0)
    except BriefingsError as exc:
        print(f"error: {message_line(exc)}", file=sys.stderr)
        return ExitCode.BAD_INPUT
    except stopping.Stopped as exc:
        # the run's finally blocks have removed its staging folders and snapshot by now
        print(f"stopped by {exc.name}: every process of the run ended, nothing half-built left; nothing published changed", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return ExitCode.INTERRUPTED
    except OSError as exc:
        if not is_no_space(exc):
            return _internal(exc, args)
        where = f" {printable(exc.filename)}" if exc.filename else ""
        print(f"error: no room to write{where} ({exc.strerror}): free disk space and run again; nothing published changed", file=sys.stderr)
        return ExitCode.NO_SPACE
    except Exception as exc:  # noqa: BLE001  (the user gets one line, not a traceback)
        return _internal(exc, args)


def _internal(exc: Exception, args: argparse.Namespace) -> int:
    if args.debug:
        raise exc
    print(f"internal error: {type(exc).__name__}: {message_line(exc)} (run 'briefings --debug ...' for the traceback)", file=sys.stderr)
    return ExitCode.INTERNAL


def run() -> None:
    """Console entry point: :func:`main`, tuned for a short-lived process.

    Importing pandas and pandera allocates ~1e6 objects, which triggers dozens of
    full garbage collections that find nothing to free; a higher threshold and
    skipping interpreter teardown save ~0.35 s of the 2 s ingestion budget.
    Every file the command writes is complete (written aside, renamed) before
    ``main`` returns, so there is nothing left for teardown to finish.
    """
    import gc
    import os

    gc.set_threshold(200_000, 50, 100)
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):  # output piped into `head` and closed
            pass
    os._exit(code)


if __name__ == "__main__":
    run()
