"""Reading the validated tables in ``data/processed`` (the only way downstream code gets data)."""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from . import config

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


def load_table(name: str, processed_dir: Path | None = None):
    """A processed table as a DataFrame with the dtypes of its schema."""
    import pandas as pd

    from .schemas import TABLES

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
    path = table_path(name, processed_dir)
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
