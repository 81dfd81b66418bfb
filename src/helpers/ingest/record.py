"""The ingest record (``data/processed/_ingest.json``): what the last ingest wrote, and the
dates its tables hold. Written by :mod:`helpers.ingest.run`; read by it (is the stage up to
date?) and by :mod:`helpers.tables` (is a table the one the ingest wrote?).
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

from helpers import config, salvage
from helpers.errors import InputError, printable

# Kinds whose report date is a reporting date with a briefing of its own.
BRIEFING_KINDS = ("daily_readiness", "plan02")


RECORD_FILE = "_ingest.json"  # written by helpers.ingest.run: fingerprint, reports, table hashes
REPAIR = "run 'briefings ingest' to rebuild the tables from data/raw"
# In a copy of the tables (a run's snapshot, helpers.publish.snapshot): where they come
# from, so that a message names data/processed/<table>.csv, the file the user can fix.
ORIGIN_FILE = ".origin"


def table_path(name: str, processed_dir: Path | None = None) -> Path:
    return (processed_dir or config.processed_dir()) / f"{name}.csv"


def shown_path(path: Path) -> str:
    """``path`` as a message shows it: relative to the project, and as the table's origin
    when it lies in a copy (see :data:`ORIGIN_FILE`)."""
    try:
        origin = (path.parent / ORIGIN_FILE).read_text(encoding="utf-8").strip()[:200]
    except (OSError, UnicodeDecodeError):
        origin = ""
    return printable(f"{origin}/{path.name}" if origin else config.relative_to_root(path))


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_ingest_record(processed_dir: Path | None = None) -> dict | None:
    """The ingest record of ``processed_dir`` (None if absent; a broken one is moved aside)."""
    return salvage.read_json((processed_dir or config.processed_dir()) / RECORD_FILE)


def recorded_hashes(processed_dir: Path | None = None) -> dict[str, str]:
    """``<table>.csv`` -> SHA-256 as the ingest that wrote ``processed_dir`` recorded them."""
    processed = processed_dir or config.processed_dir()
    record = read_ingest_record(processed)
    shown = config.relative_to_root(processed / RECORD_FILE)
    if record is None:
        raise InputError(shown, None, f"the record of the ingest that wrote the tables ({REPAIR})", "none")
    hashes = record.get("tables")
    if not isinstance(hashes, dict) or not hashes or not all(isinstance(k, str) and isinstance(v, str) for k, v in hashes.items()):
        raise InputError(shown, None, f"the tables' hashes in the ingest record ({REPAIR})", "none")
    return hashes


def verify_tables(contents: dict[str, bytes], processed_dir: Path | None = None) -> dict[str, str]:
    """``contents`` (``<table>.csv`` -> bytes) checked against the ingest record: the same
    tables, byte for byte. Returns their hashes; raises one InputError naming the first
    table that was added, removed or changed since the ingest."""
    processed = processed_dir or config.processed_dir()
    expected = recorded_hashes(processed)
    for name in sorted(set(expected) | set(contents)):
        shown = config.relative_to_root(processed / name)
        if name not in contents:
            raise InputError(shown, None, f"the table the last ingest wrote ({REPAIR})", "no such file")
        if name not in expected:
            raise InputError(shown, None, f"only tables the last ingest wrote ({REPAIR})", "a table it did not write")
        digest = sha256_bytes(contents[name])
        if digest != expected[name]:
            raise InputError(shown, None, f"the table the last ingest wrote, sha256 {expected[name][:12]} ({REPAIR})", f"a file changed since, sha256 {digest[:12]}")
    return {name: sha256_bytes(contents[name]) for name in sorted(contents)}


def available_dates(processed_dir: Path | None = None) -> dict[str, list[str]]:
    """ISO reporting date -> kinds of data for that date (only dates with a briefing kind).

    Reads ``reports.csv`` with the csv module: this runs on every no-op rebuild,
    which must not pay for importing pandas.
    """
    path = table_path("reports", processed_dir)
    if not path.exists():
        return {}
    by_date: dict[str, set[str]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["report_date"]:
                by_date.setdefault(row["report_date"], set()).add(row["kind"])
    return {d: sorted(k) for d, k in sorted(by_date.items()) if k & set(BRIEFING_KINDS)}
