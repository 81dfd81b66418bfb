"""Reading the validated tables in ``data/processed`` (the only way downstream code gets data).

The tables are untrusted like any file: each is bound to the ingest that wrote it (its
SHA-256 in the ingest record, ``_ingest.json``; :func:`verify_tables`) and validated
with its strict schema whenever it is read (:func:`load_table`). A table edited by hand
is refused with one line naming it; ``briefings ingest`` rebuilds it from data/raw.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from helpers.errors import InputError, ValidationError, printable

# what the ingest wrote: readers of the tables ask here (BRIEFING_KINDS, ORIGIN_FILE,
# verify_tables and available_dates are re-exported for them)
from helpers.ingest.record import (  # noqa: F401
    BRIEFING_KINDS,
    ORIGIN_FILE,
    REPAIR,
    available_dates,
    shown_path,
    table_path,
    verify_tables,
)


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

