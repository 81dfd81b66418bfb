"""Reading the validated tables in ``data/processed`` (the only way downstream code gets data).

The tables are untrusted like any file: each is bound to the ingest that wrote it (its
SHA-256 in the ingest record, ``_ingest.json``; :func:`verify_tables`) and validated
with its strict schema whenever it is read (:func:`load_table`). A table edited by hand
is refused with one line naming it; ``briefings ingest`` rebuilds it from data/raw.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

from helpers import config, salvage
from helpers.errors import InputError, ValidationError, printable

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


# Tables already read (and validated) by this process: (name, file identity) -> (content
# digest or None, frame). A kernel forked from the build's warm template
# (helpers.publish.warm_kernels) inherits the tables the template read, instead of parsing
# every CSV again for each notebook. Keyed by identity, not path: a run's snapshot of the
# tables (hard links to the same files) finds what the template read.
_TABLES: dict[tuple[str, tuple], tuple[str | None, object]] = {}
_RACY_NS = 3_000_000_000  # file times tick coarsely: a file this young may change unseen


def _identity(path: Path) -> tuple:
    """What changes when a table file is rewritten: ingestion swaps in new files (new
    inode), any other write changes the modification time or the size."""
    st = path.stat()
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _digest(path: Path) -> str:
    return hashlib.blake2b(path.read_bytes(), digest_size=20).hexdigest()


def load_table(name: str, processed_dir: Path | None = None):
    """A processed table as a DataFrame with the dtypes of its schema, validated by its
    strict schema (a table that is not what ingest writes raises one line naming it).

    Read once per process and file version (see :data:`_TABLES`); each call returns a
    new frame (pandas copy-on-write: changing it never changes the cached one). A file
    whose modification time was too recent when it was read could be rewritten within
    the same clock tick, unseen by its identity: its content is compared too."""
    import time

    path = table_path(name, processed_dir)
    try:
        identity = _identity(path)
    except OSError:
        identity = None
    cached = _TABLES.get((name, identity)) if identity is not None else None
    if cached is not None and (cached[0] is None or cached[0] == _digest(path)):
        return cached[1].copy(deep=False)
    if identity is None:
        return _read_table(name, path)
    racy = time.time_ns() - identity[3] < _RACY_NS
    digest = _digest(path) if racy else None
    frame = _read_table(name, path)
    if _identity(path) != identity or (racy and _digest(path) != digest):
        return frame  # changed while being read: do not keep it
    _TABLES[(name, identity)] = (digest, frame)
    return frame.copy(deep=False)


def preload_tables(processed_dir: Path | None = None) -> list[str]:
    """Read every table of ``processed_dir`` into this process's cache (the kernel
    template calls it before forking kernels); returns the names read."""
    from helpers.ingest.schemas import TABLES

    done = []
    for name in TABLES:
        if table_path(name, processed_dir).is_file():
            try:
                load_table(name, processed_dir)
            except Exception:  # noqa: BLE001 - the notebook meets the same error when it reads it
                continue
            done.append(name)
    return done


def _read_table(name: str, path: Path):
    """Read and validate; every problem is one line naming the file."""
    import pandera.errors

    from helpers.ingest.schemas import TABLES

    shown = shown_path(path)
    if not path.is_file():
        raise InputError(shown, None, f"a processed table ({REPAIR})", "no such file" if not path.exists() else "not a regular file")
    try:
        frame = _parse_csv(name, path)
    except (ValueError, TypeError, UnicodeDecodeError, OverflowError) as exc:  # pandas' parse errors are ValueErrors
        raise InputError(shown, None, f"the CSV table ingest writes ({REPAIR})", " ".join(str(exc).split())) from None
    try:
        return TABLES[name].strict.validate(frame, lazy=False)
    except pandera.errors.SchemaError as exc:
        first = " ".join(str(exc).split())
        raise ValidationError(f"{shown}: expected the table ingest validated ({REPAIR}); {printable(first[:200])}") from None


def _parse_csv(name: str, path: Path):
    import pandas as pd

    from helpers.ingest.schemas import TABLES

    spec = TABLES[name]
    dtypes = {}
    for column, col in spec.strict.columns.items():
        kind = str(col.dtype)
        if kind in ("int64", "Int64"):
            dtypes[column] = "Int64" if col.nullable else "int64"
        elif kind == "float64":
            dtypes[column] = "float64"
        elif kind == "bool":
            dtypes[column] = "bool"
        else:
            dtypes[column] = "object"
    frame = pd.read_csv(path, dtype=dtypes, keep_default_na=False, na_values={c: [""] for c in dtypes if dtypes[c] != "object"})
    for column, dtype in dtypes.items():
        if dtype == "object":
            frame[column] = frame[column].where(frame[column] != "", None)
    return frame

