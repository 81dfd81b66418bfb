"""The run history: ``outputs/history.jsonl``, one JSON line per run, only ever appended.

Every ``briefings run``/``build`` adds a line: when it started and finished, the
dates it published, failed, skipped (unchanged) or found locked, and for each date
it built the input hash, the inputs (file -> digest), the outcome (ok or the errors)
and the revision it made, if any. ``outputs/manifest.json`` still holds the last run
of each date for skip-if-unchanged; the history is what happened, in order, and
``briefings list`` shows each date's latest state from it (:func:`latest`).

Lines are appended under an exclusive lock of the file (``fcntl.flock``) in one
``write``, so concurrent runs never interleave; a torn last line (a killed run) is
skipped when reading.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from helpers.publish import folders

HISTORY_FILE = "history.jsonl"


def history_path() -> Path:
    return folders.outputs_dir() / HISTORY_FILE


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def append(record: Mapping[str, Any]) -> None:
    """Add one run's line."""
    path = history_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    line = (json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, line)
    finally:
        os.close(fd)  # closing releases the lock


def runs() -> Iterator[dict[str, Any]]:
    """Every recorded run, oldest first (unreadable lines skipped)."""
    try:
        fh = open(history_path(), encoding="utf-8")
    except OSError:
        return
    with fh:
        for line in fh:
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict):
                yield record


def run_record(started_at: str, summary: Any, built: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """The line of one run: ``summary`` is the runner's RunSummary, ``built`` date -> its manifest record."""
    dates = {}
    for date, rec in sorted(built.items()):
        dates[date] = {
            "status": rec.get("status"),
            "reason": rec.get("reason"),
            "input_hash": rec.get("input_hash"),
            "inputs": rec.get("inputs"),
            "params_file": rec.get("params_file"),
            "errors": {name: err.get("summary") for name, err in (rec.get("errors") or {}).items()},
            "revision": rec.get("revision"),
            "finished_at": rec.get("finished_at"),
        }
    return {
        "started_at": started_at,
        "finished_at": now_iso(),
        "outcome": "failed" if summary.failed else ("locked" if summary.locked else "ok"),
        "published": sorted(summary.ran),
        "failed": sorted(summary.failed),
        "locked": sorted(summary.locked),
        "unchanged": sorted(summary.skipped),
        "seconds": round(summary.seconds, 3),
        "dates": dates,
    }


def latest() -> dict[str, dict[str, Any]]:
    """Each date's latest state: the last run that built it (status, when, errors, revision),
    plus when it was last found unchanged."""
    state: dict[str, dict[str, Any]] = {}
    for run in runs():
        for date, rec in (run.get("dates") or {}).items():
            if isinstance(rec, dict):
                entry = state.setdefault(date, {})
                entry.update({"status": rec.get("status"), "at": rec.get("finished_at") or run.get("finished_at"), "errors": rec.get("errors") or {}})
                if rec.get("revision"):
                    entry["revision"] = rec["revision"]
        for date in run.get("unchanged") or []:
            state.setdefault(date, {})["checked_at"] = run.get("finished_at")
        for date in run.get("locked") or []:
            state.setdefault(date, {})["locked_at"] = run.get("finished_at")
    return state
