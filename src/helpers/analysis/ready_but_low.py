"""Ready but low: provinces whose communes are equipped but whose citizens rarely file online.

The 22/9/2025 plan-02 report (body, section I.2 and III.1) says some provinces with
good infrastructure have very low online filing, so the investment "không phát huy
hiệu quả". This module states that finding as a reproducible rule on two tables:
readiness (appendices 4–5) and the cumulative online rate (appendix 8, table III).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from scipy import stats

QUADRANTS = ("ready_low", "ready_high", "not_ready_low", "not_ready_high")


@dataclass(frozen=True)
class ReadyButLowResult:
    """The rule's outcome: the per-province table, the flagged provinces and the fit."""

    table: pd.DataFrame  # one row per province, sorted by residual_rank
    flagged: tuple[int, ...]  # province codes in the ready-but-low quadrant, most below the fit first
    rho: float  # Spearman's rank correlation of readiness and online rate
    p_value: float  # two-sided p-value of rho
    n: int
    slope: float  # OLS online_rate_pct = intercept + slope × readiness_index
    intercept: float
    r_squared: float
    readiness_min: float
    green_pct_min: float
    online_rate_min: float


def flag_ready_but_low(
    readiness: pd.DataFrame,
    uptake: pd.DataFrame,
    readiness_min: float,
    green_pct_min: float,
    online_rate_min: float,
) -> ReadyButLowResult:
    """Flag the provinces that are ready (infrastructure and GREEN communes) but file little online.

    Method, in plain words:

    1. A province is *ready* when its infrastructure readiness index (appendix 5) is at
       least ``readiness_min`` and its share of GREEN communes (appendix 4) is at least
       ``green_pct_min``; its uptake is *low* when its cumulative online rate since
       1/7/2025 (appendix 8, table III) is below ``online_rate_min`` — normally the
       national rate, passed in by the caller. The four quadrants are ready/low
       (flagged), ready/high, not ready/low and not ready/high.
    2. To see how far each province is from what its readiness would suggest, the
       online rate is fitted on the readiness index by ordinary least squares over all
       provinces; the residual is the observed rate minus the fitted one (negative:
       points below what its readiness predicts), ranked from the most negative.
    3. Spearman's rank correlation (rho, with its two-sided p-value) says whether
       better-equipped provinces tend to file more online at all.

    Flagged provinces are listed from the most negative residual. Nothing in the rule
    names a province: whichever provinces the data place in the quadrant are flagged.

    ``readiness`` needs ``province_code``, ``readiness_index``, ``green_pct``; ``uptake``
    needs ``province_code``, ``online_rate_pct``; both must cover the same provinces.
    """
    left = readiness[["province_code", "readiness_index", "green_pct"]]
    right = uptake[["province_code", "online_rate_pct"]]
    for frame, name in ((left, "readiness"), (right, "uptake")):
        if frame["province_code"].duplicated().any():
            raise ValueError(f"{name} has more than one row for a province")
        if frame.isna().any().any():
            raise ValueError(f"{name} has missing values")
    table = left.merge(right, on="province_code", how="inner", validate="one_to_one")
    if len(table) != len(left) or len(table) != len(right):
        raise ValueError("readiness and uptake cover different provinces")
    if len(table) < 3:
        raise ValueError("the fit needs at least three provinces")
    table = table.sort_values("province_code", kind="stable").reset_index(drop=True)
    table["province_code"] = table["province_code"].astype("int64")

    x = table["readiness_index"].to_numpy(dtype=float)
    y = table["online_rate_pct"].to_numpy(dtype=float)
    fit = stats.linregress(x, y)
    rho, p_value = stats.spearmanr(x, y)

    ready = (table["readiness_index"] >= readiness_min) & (table["green_pct"] >= green_pct_min)
    low = table["online_rate_pct"] < online_rate_min
    table["ready"] = ready
    table["low_uptake"] = low
    table["quadrant"] = [
        ("ready_" if r else "not_ready_") + ("low" if lo else "high") for r, lo in zip(ready, low)
    ]
    table["predicted_rate_pct"] = fit.intercept + fit.slope * x
    table["residual_pts"] = y - table["predicted_rate_pct"]
    table = table.sort_values(["residual_pts", "province_code"], kind="stable").reset_index(drop=True)
    table["residual_rank"] = range(1, len(table) + 1)
    table["flagged"] = table["quadrant"] == "ready_low"

    return ReadyButLowResult(
        table=table,
        flagged=tuple(int(c) for c in table.loc[table["flagged"], "province_code"]),
        rho=float(rho),
        p_value=float(p_value),
        n=len(table),
        slope=float(fit.slope),
        intercept=float(fit.intercept),
        r_squared=float(fit.rvalue**2),
        readiness_min=float(readiness_min),
        green_pct_min=float(green_pct_min),
        online_rate_min=float(online_rate_min),
    )


def fit_statistics(result: ReadyButLowResult) -> pd.DataFrame:
    """The figures behind the rule's fit, for analysts (the leadership text words them:
    :func:`helpers.report.sections.uncertainty.ready_but_low_uncertainty_vi`): the OLS line
    and its R², Spearman's ρ with its two-sided p and a 95% percentile bootstrap interval
    (pairs resampled, fixed seed: :func:`helpers.analysis.corrections.spearman_bootstrap`).
    Columns ``statistic, value``."""
    from helpers.analysis.corrections import spearman_bootstrap

    corr = spearman_bootstrap(result.table["readiness_index"], result.table["online_rate_pct"])
    rows = [
        ("n (provinces)", result.n),
        ("OLS intercept (online rate % at readiness 0)", result.intercept),
        ("OLS slope (online rate points per readiness point)", result.slope),
        ("R² of the OLS fit", result.r_squared),
        ("Spearman ρ", result.rho),
        ("p (two-sided, ρ = 0)", result.p_value),
        (f"ρ bootstrap {corr.level:.0%} interval, low", corr.low),
        (f"ρ bootstrap {corr.level:.0%} interval, high", corr.high),
    ]
    return pd.DataFrame(rows, columns=["statistic", "value"])
