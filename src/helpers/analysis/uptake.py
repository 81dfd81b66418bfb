"""Online uptake of administrative procedures: dossiers on the National Public Service Portal.

Source: plan-02 report of 22/9/2025, appendix 8 — table I (the day 21/9/2025 per
province, with the June 2025 daily average), table II (the day, dossiers filed at
commune level) and table III (1/7/2025 to 21/9/2025, at province level, commune level
and in total). A dossier is "online" when filed through the portal (Trực tuyến) and
"direct" when filed in person (Trực tiếp).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from helpers.analysis.communes import require_one_report_date

SCOPES = ("province", "commune", "all")


def online_rate_pct(online, total):
    """online / total × 100 (NaN where total is 0); works on numbers and Series."""
    if isinstance(total, pd.Series):
        return (online / total.where(total != 0)) * 100
    return online / total * 100 if total else float("nan")


def _periods(dossiers: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(rows of the single-day period, rows of the cumulative period); one of each at most."""
    require_one_report_date(dossiers, "dossiers")
    single = dossiers["period_start"] == dossiers["period_end"]
    day, cumulative = dossiers[single], dossiers[~single]
    for part, what in ((day, "single-day"), (cumulative, "cumulative")):
        periods = part[["period_start", "period_end"]].drop_duplicates()
        if len(periods) > 1:
            raise ValueError(f"dossiers holds several {what} periods: filter it to one first")
    return day, cumulative


def _rank_desc(frame: pd.DataFrame, value: str) -> pd.Series:
    """1 = highest value; ties broken by province code (stable, deterministic)."""
    order = frame.sort_values([value, "province_code"], ascending=[False, True], kind="stable").index
    return pd.Series(range(1, len(order) + 1), index=order).reindex(frame.index)


# ---------------------------------------------------------------- cumulative rates


@dataclass(frozen=True)
class OnlineRates:
    """Cumulative online rates per province and scope (``by_province``) and nationally (``national``)."""

    by_province: pd.DataFrame
    national: pd.DataFrame
    period_start: str
    period_end: str

    def for_scope(self, scope: str = "all") -> pd.DataFrame:
        """``province_code``, ``online_rate_pct``, ``rank`` for one scope, sorted by code."""
        part = self.by_province[self.by_province["scope"] == scope]
        return part[["province_code", "online_rate_pct", "rank"]].reset_index(drop=True)

    def national_rate(self, scope: str = "all") -> float:
        return float(self.national.set_index("scope").loc[scope, "online_rate_pct"])

    def wide(self) -> pd.DataFrame:
        """One row per province: ``online_rate_pct_<scope>`` and ``rank_<scope>`` for each scope."""
        wide = self.by_province.pivot(index="province_code", columns="scope", values=["online_rate_pct", "rank"])
        scopes = [s for s in SCOPES if s in set(self.by_province["scope"])]
        wide = wide.reindex(columns=pd.MultiIndex.from_product([["online_rate_pct", "rank"], scopes]))
        wide.columns = [f"{v}_{s}" for v, s in wide.columns]
        for s in scopes:
            wide[f"rank_{s}"] = wide[f"rank_{s}"].astype("int64")
        return wide.reset_index()


def online_rates(dossiers: pd.DataFrame, printed_national: dict[str, float] | None = None) -> OnlineRates:
    """Cumulative online rate per province at province level, commune level and in total (appendix 8, table III).

    Method: rate = online dossiers / all dossiers × 100, recomputed from the printed
    counts; the printed rate is kept (``online_rate_pct_printed``) and the difference
    shown (``printed_diff_pts``). ``rank`` 1 is the highest rate within the scope (ties
    by province code). The national rate of each scope is computed from the summed
    counts (a dossier-weighted rate, not a mean of provincial rates); where the caller
    passes the report's printed national figures (``printed_national``, scope -> %),
    they are shown beside it.
    """
    _, cumulative = _periods(dossiers)
    if cumulative.empty:
        raise ValueError("dossiers has no cumulative period")
    frame = cumulative[["province_code", "scope", "direct", "online", "total", "online_rate_pct"]].rename(
        columns={"online_rate_pct": "online_rate_pct_printed"}
    )
    frame = frame.assign(online_rate_pct=online_rate_pct(frame["online"], frame["total"]))
    frame["printed_diff_pts"] = frame["online_rate_pct_printed"] - frame["online_rate_pct"]
    unknown = set(frame["scope"]) - set(SCOPES)
    if unknown:
        raise ValueError(f"unknown dossier scopes {sorted(unknown)}")
    frame = frame.assign(_order=frame["scope"].map(SCOPES.index))
    frame = frame.sort_values(["_order", "province_code"], kind="stable").drop(columns="_order").reset_index(drop=True)
    frame["rank"] = pd.concat([_rank_desc(part, "online_rate_pct") for _, part in frame.groupby("scope", sort=False)])
    frame["rank"] = frame["rank"].astype("int64")
    frame = frame[
        ["province_code", "scope", "direct", "online", "total", "online_rate_pct", "online_rate_pct_printed", "printed_diff_pts", "rank"]
    ]

    national = frame.groupby("scope", sort=False)[["direct", "online", "total"]].sum().reset_index()
    national["provinces"] = frame.groupby("scope", sort=False).size().to_numpy()
    national["online_rate_pct"] = online_rate_pct(national["online"], national["total"])
    printed = printed_national or {}
    national["online_rate_pct_printed"] = [printed.get(s, float("nan")) for s in national["scope"]]
    national["printed_diff_pts"] = national["online_rate_pct_printed"] - national["online_rate_pct"]
    start, end = cumulative[["period_start", "period_end"]].iloc[0]
    return OnlineRates(by_province=frame, national=national, period_start=str(start), period_end=str(end))


# ---------------------------------------------------------------- the day against the period

def day_vs_cumulative(dossiers: pd.DataFrame, pairs: tuple[tuple[str, str], ...] | None = None) -> pd.DataFrame:
    """The single day's online rate against the cumulative rate, per province (appendix 8).

    Method: both rates recomputed from the printed counts; ``difference_pts`` = day
    rate − cumulative rate in percentage points (positive: the day did better than the
    period). ``pairs`` says which day scope is compared with which cumulative scope; by
    default each scope the day has is compared with the same scope of the period
    (table I, all dossiers of the province, with table III in total; table II, commune
    level, with table III at commune level). Note: the report's body calls table I
    "cấp tỉnh", but for every province it holds at least the dossiers of table II, so
    it counts the communes too. A single day (21/9/2025, a Sunday) is a small and
    unusual sample. Sorted by day scope (province, commune, all), then code.
    """
    day, cumulative = _periods(dossiers)
    if day.empty or cumulative.empty:
        raise ValueError("dossiers needs both a single-day and a cumulative period")
    if pairs is None:
        common = set(day["scope"]) & set(cumulative["scope"])
        pairs = tuple((s, s) for s in SCOPES if s in common)
    parts = []
    for day_scope, cum_scope in pairs:
        d = day[day["scope"] == day_scope][["province_code", "online", "total"]]
        c = cumulative[cumulative["scope"] == cum_scope][["province_code", "online", "total"]]
        if d.empty or c.empty:
            raise ValueError(f"no rows for day scope {day_scope!r} or cumulative scope {cum_scope!r}")
        merged = d.merge(c, on="province_code", suffixes=("_day", "_cumulative"), validate="one_to_one")
        if len(merged) != len(d) or len(merged) != len(c):
            raise ValueError(f"day scope {day_scope!r} and cumulative scope {cum_scope!r} cover different provinces")
        merged.insert(1, "day_scope", day_scope)
        merged.insert(2, "cumulative_scope", cum_scope)
        merged["day_rate_pct"] = online_rate_pct(merged["online_day"], merged["total_day"])
        merged["cumulative_rate_pct"] = online_rate_pct(merged["online_cumulative"], merged["total_cumulative"])
        merged["difference_pts"] = merged["day_rate_pct"] - merged["cumulative_rate_pct"]
        parts.append(merged.sort_values("province_code", kind="stable"))
    out = pd.concat(parts, ignore_index=True)
    out["day"] = str(day["period_start"].iloc[0])
    return out


# ---------------------------------------------------------------- volume against June


@dataclass(frozen=True)
class VolumeIndex:
    """The day's dossiers against the June 2025 daily average (``by_province`` and the country)."""

    by_province: pd.DataFrame
    national_index: float
    day_total: int
    june_daily_avg: int
    day: str
    weekday: int  # Monday 0 … Sunday 6
    is_weekend: bool


def volume_index(dossiers: pd.DataFrame) -> VolumeIndex:
    """Dossiers of the day / average dossiers a day in June 2025, per province (appendix 8, table I).

    Method: ``volume_index`` = the day's total dossiers / the June 2025 daily average
    printed beside it; 1 means an ordinary June day, 0,11 means about a ninth of it.
    ``rank`` 1 is the lowest index (furthest below June; ties by province code). The
    national index divides the summed day totals by the summed June averages.
    Caution for the briefing: 21/9/2025 was a Sunday (``weekday``/``is_weekend``),
    when one-stop offices mostly close, so a low index partly reflects the weekend,
    while the June average counts working days and weekends alike.
    """
    day, _ = _periods(dossiers)
    rows = day[day["june_daily_avg"].notna()]
    if rows.empty:
        raise ValueError("dossiers has no single-day rows with a June daily average")
    frame = rows[["province_code", "scope", "total", "june_daily_avg"]].rename(columns={"total": "day_total"})
    frame = frame[frame["june_daily_avg"] > 0].copy()
    frame["june_daily_avg"] = frame["june_daily_avg"].astype("int64")
    frame["volume_index"] = frame["day_total"] / frame["june_daily_avg"]
    frame = frame.sort_values("province_code", kind="stable").reset_index(drop=True)
    order = frame.sort_values(["volume_index", "province_code"], kind="stable").index
    frame["rank"] = pd.Series(range(1, len(order) + 1), index=order).reindex(frame.index).astype("int64")
    date_iso = str(rows["period_start"].iloc[0])
    weekday = dt.date.fromisoformat(date_iso).weekday()
    total, june = int(frame["day_total"].sum()), int(frame["june_daily_avg"].sum())
    return VolumeIndex(
        by_province=frame,
        national_index=total / june,
        day_total=total,
        june_daily_avg=june,
        day=date_iso,
        weekday=weekday,
        is_weekend=weekday >= 5,
    )


# ---------------------------------------------------------------- province vs commune level


def level_gaps(dossiers: pd.DataFrame) -> pd.DataFrame:
    """Province-level minus commune-level cumulative online rate, per province (appendix 8, table III).

    Method: both rates recomputed from the printed counts; ``gap_pts`` > 0 means the
    province's own agencies take a larger share of dossiers online than its communes.
    Sorted by gap descending, then code.
    """
    _, cumulative = _periods(dossiers)
    rates = {}
    for scope in ("province", "commune"):
        part = cumulative[cumulative["scope"] == scope].set_index("province_code")
        if part.empty:
            raise ValueError(f"dossiers has no cumulative rows at scope {scope!r}")
        rates[scope] = online_rate_pct(part["online"], part["total"])
    out = pd.DataFrame({"province_rate_pct": rates["province"], "commune_rate_pct": rates["commune"]})
    if out.isna().any().any():
        raise ValueError("province and commune scopes cover different provinces")
    out["gap_pts"] = out["province_rate_pct"] - out["commune_rate_pct"]
    out = out.reset_index()
    out["province_code"] = out["province_code"].astype("int64")
    return out.sort_values(["gap_pts", "province_code"], ascending=[False, True], kind="stable").reset_index(drop=True)
