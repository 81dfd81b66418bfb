"""The analyst API: the validated tables and the derived metrics, ready for pandas.

For JupyterLab (``make lab``) and scripts; documented with a runnable example in the
README ("Analyst API"), which a test runs. Everything reads ``data/processed`` (or
``processed_dir``), never the raw reports, and computes with the briefings' own facts
(:class:`helpers.analysis.facts.DateFacts`), so a figure here is the figure in the briefing::

    from helpers import api

    status = api.load("commune_status", report_date="2025-09-22")   # + province_name
    metrics = api.derived_metrics("2025-09-22")                     # readiness, predicted rate, residual
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from helpers import config
from helpers.errors import InputError
from helpers.tables import available_dates, load_table

# The columns of :func:`derived_metrics`, in order.
METRIC_COLUMNS: tuple[str, ...] = (
    "province_code",
    "province_name",
    "readiness_index",
    "green_pct",
    "online_rate_pct",
    "predicted_rate_pct",
    "residual_pts",
    "residual_rank",
    "quadrant",
    "flagged",
)


def provinces() -> pd.DataFrame:
    """The 34 provinces: ``province_code`` (official, vietnam-provinces), ``province_name``, ``short_name``, ``wards``."""
    from helpers.ingest.provinces import provinces_table

    return provinces_table()


def dates(processed_dir: Path | str | None = None) -> dict[str, list[str]]:
    """Reporting date -> the kinds of report that have data for it."""
    return available_dates(Path(processed_dir) if processed_dir else None)


def with_province_names(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with ``province_name`` inserted after ``province_code`` (rows without a province keep NA)."""
    if "province_code" not in frame.columns or "province_name" in frame.columns:
        return frame
    names = provinces().set_index("province_code")["province_name"]
    out = frame.copy()
    codes = pd.to_numeric(out["province_code"], errors="coerce").astype("Int64")
    out.insert(out.columns.get_loc("province_code") + 1, "province_name", codes.map(names).astype("string"))
    return out


def load(name: str, *, report_date: str | None = None, processed_dir: Path | str | None = None, names: bool = True) -> pd.DataFrame:
    """One validated table (``docs/DATA_DICTIONARY.md`` describes its columns), optionally one
    reporting date's rows, with province names joined to the codes."""
    frame = load_table(name, Path(processed_dir) if processed_dir else None)
    if report_date is not None:
        if "report_date" not in frame.columns:
            raise InputError(name, None, "a table with a report_date column for report_date=", report_date)
        frame = frame[frame["report_date"] == report_date].reset_index(drop=True)
    return with_province_names(frame) if names else frame


def _thresholds(report_date: str, processed_dir: Path | str | None) -> dict[str, Any]:
    from helpers.params import load_params

    return load_params(report_date, available=dates(processed_dir)).params.thresholds.model_dump()


def derived_metrics(report_date: str, *, processed_dir: Path | str | None = None, thresholds: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Per province, for a plan-02 reporting date: the infrastructure readiness index, the
    share of GREEN communes, the cumulative online rate, the rate predicted from readiness
    (least squares over the provinces), the residual (observed − predicted, points) and
    its rank (1 = furthest below), the ready/uptake quadrant and the ready-but-low flag.

    Computed by the briefing's own :class:`helpers.analysis.facts.DateFacts`.
    ``thresholds`` default to the date's parameters (``params/<date>.yaml`` over the
    defaults); an ``online_rate_min_pct`` of None means the national rate of the date.
    """
    from helpers.analysis.facts import DateFacts

    folder = Path(processed_dir) if processed_dir else None
    limits = dict(thresholds) if thresholds is not None else _thresholds(report_date, processed_dir)
    facts = DateFacts(report_date, lambda name: load_table(name, folder), thresholds=limits)
    if not all(facts.has_rows(name) for name in ("commune_status", "commune_readiness", "dossiers")):
        shown = config.relative_to_root(folder or config.processed_dir())
        raise InputError(shown, None, "a reporting date with commune status, readiness indicators and dossiers (a plan-02 report)", report_date)
    table = with_province_names(facts.ready_but_low.table)
    return table[list(METRIC_COLUMNS)].sort_values("province_code", kind="stable").reset_index(drop=True)
