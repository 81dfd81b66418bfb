"""Reading the validated tables in ``data/processed`` (the only way downstream code gets data)."""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from helpers import config

# Kinds whose report date is a reporting date with a briefing of its own.
BRIEFING_KINDS = ("daily_readiness", "plan02")


def table_path(name: str, processed_dir: Path | None = None) -> Path:
    return (processed_dir or config.processed_dir()) / f"{name}.csv"


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


# Tables already read by this process: (name, resolved path) -> (file identity, content
# digest or None, frame). A kernel forked from the build's warm template
# (helpers.publish.warm_kernels) inherits the tables the template read, instead of parsing
# every CSV again for each notebook.
_TABLES: dict[tuple[str, str], tuple[tuple, str | None, object]] = {}
_RACY_NS = 3_000_000_000  # file times tick coarsely: a file this young may change unseen


def _identity(path: Path) -> tuple:
    """What changes when a table file is rewritten: ingestion swaps in new files (new
    inode), any other write changes the modification time or the size."""
    st = path.stat()
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _digest(path: Path) -> str:
    import hashlib

    return hashlib.blake2b(path.read_bytes(), digest_size=20).hexdigest()


def load_table(name: str, processed_dir: Path | None = None):
    """A processed table as a DataFrame with the dtypes of its schema.

    Read once per process and file version (see :data:`_TABLES`); each call returns a
    new frame (pandas copy-on-write: changing it never changes the cached one). A file
    whose modification time was too recent when it was read could be rewritten within
    the same clock tick, unseen by its identity: its content is compared too."""
    import time

    path = table_path(name, processed_dir)
    key = (name, str(path.resolve()))
    try:
        identity = _identity(path)
    except OSError:
        identity = None
    cached = _TABLES.get(key)
    if cached is not None and identity is not None and cached[0] == identity:
        if cached[1] is None or cached[1] == _digest(path):
            return cached[2].copy(deep=False)
    if identity is None:
        return _read_table(name, path)
    racy = time.time_ns() - identity[3] < _RACY_NS
    digest = _digest(path) if racy else None
    frame = _read_table(name, path)
    if _identity(path) != identity or (racy and _digest(path) != digest):
        return frame  # changed while being read: do not keep it
    _TABLES[key] = (identity, digest, frame)
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


@lru_cache(maxsize=None)
def _cached(name: str, processed_dir: str):
    return load_table(name, Path(processed_dir))


def table(name: str, processed_dir: Path | str | None = None):
    """Cached :func:`load_table` for notebooks (returns a copy so callers may mutate it)."""
    return _cached(name, str(processed_dir or config.processed_dir())).copy()
