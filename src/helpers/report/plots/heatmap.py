"""The readiness heat map's rows: worst first, and the provinces at 100% on every indicator
folded into one line (21 rows of identical full cells said one thing 21 times, in the
map's loudest colour, and pushed the provinces that need attention down the page)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from helpers.report.wording import CHART_CSV_VI


@dataclass(frozen=True)
class HeatRows:
    shown: pd.DataFrame  # the rows to draw, most severe first (index: province code)
    full: tuple[int, ...]  # provinces at 100% on every indicator, in code order


def severity_order(indicators: pd.DataFrame, full_mark: float = 100.0) -> HeatRows:
    """Rows of ``indicators`` (province code x indicator, % of communes) by severity: the
    largest total shortfall from ``full_mark`` first, then the lowest single value, then
    the code; provinces with every value at ``full_mark`` are set apart."""
    values = indicators.astype(float)
    full = values.notna().all(axis=1) & (values >= full_mark).all(axis=1)
    rest = values[~full]
    key = pd.DataFrame(
        {
            "shortfall": (full_mark - rest).clip(lower=0).sum(axis=1),
            "lowest": rest.min(axis=1),
            "code": rest.index.astype(int),
        },
        index=rest.index,
    )
    order = key.sort_values(["shortfall", "lowest", "code"], ascending=[False, True, True], kind="stable").index
    return HeatRows(shown=rest.loc[order], full=tuple(sorted(int(c) for c in values.index[full])))


def heat_data(indicators: pd.DataFrame, names, column_labels) -> pd.DataFrame:
    """Every province's row (the collapsed ones too) for the CSV link, in severity order."""
    rows = severity_order(indicators)
    ordered = pd.concat([rows.shown, indicators.loc[list(rows.full)].astype(float)])
    out = ordered.round(2)
    out.columns = list(column_labels)
    out.insert(0, CHART_CSV_VI["province"], [names(int(c)) for c in ordered.index])
    return out.reset_index(drop=True)
