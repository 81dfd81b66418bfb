"""Trends across reports: task progress over the daily reports, the plan-02 day-on-day change,
and how the provinces that lagged on an earlier report stand on a later one.

Sources: the daily readiness reports (``task_progress``, ``task_status``), the
plan-02 report of 22/9/2025 (appendix 4 ``commune_status``; the body's headline
figures in ``report_figures``), and, optionally, indices computed elsewhere
(infrastructure readiness index, online rates). Each function says which.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from helpers.analysis.tasks import iso_date, open_tasks_by_province, previous_day, section_id, task_sort_key

# ---------------------------------------------------------------- daily reports: tasks over the dates


def task_trend(task_progress: pd.DataFrame) -> pd.DataFrame:
    """Per task the series of done counts over the daily reports, e.g. 26/6 -> 27/6 -> 30/6.

    Method: the counts printed in each report, plus the previous day reconstructed from
    the stated increases (done − 'tăng K tỉnh', see :func:`helpers.analysis.tasks.previous_day`)
    where that day has no report of its own and at least one increase is stated (26/6
    from the 27/6 report; the 30/6 report states none, so 29/6 is not added). Tasks are
    matched across dates by task id. Every task gets a row for every date; a task
    missing on a date keeps an empty ``done_count`` (a gap, not a zero). ``task`` and
    ``section`` are the titles of the latest report with the task (the 30/6 report is
    clean text where 27/6 is OCR).

    Returns ``task_id, section_id, section, task, date, done_count, total,
    reconstructed`` in task order then date.
    """
    if task_progress.empty:
        raise ValueError("task_progress is empty")
    report_dates = sorted(task_progress["report_date"].unique())
    pieces = [
        pd.DataFrame(
            {
                "task_id": task_progress["task_id"],
                "date": task_progress["report_date"],
                "done_count": task_progress["done_count"].astype("Int64"),
                "total": task_progress["total"].astype("Int64"),
                "reconstructed": False,
            }
        )
    ]
    for day in report_dates:
        before = previous_day(task_progress, day)
        if before.previous_date in report_dates or not before.any_stated:
            continue
        stated = before.counts[before.counts["change_stated"]]
        totals = task_progress[task_progress["report_date"] == day].set_index("task_id")["total"]
        pieces.append(
            pd.DataFrame(
                {
                    "task_id": stated["task_id"],
                    "date": before.previous_date,
                    "done_count": stated["previous_done_count"].astype("Int64"),
                    "total": stated["task_id"].map(totals).astype("Int64"),
                    "reconstructed": True,
                }
            )
        )
    series = pd.concat(pieces, ignore_index=True)

    latest = task_progress.sort_values("report_date", kind="stable").groupby("task_id").tail(1).set_index("task_id")
    task_ids = sorted(latest.index, key=task_sort_key)
    dates = sorted(series["date"].unique())
    grid = pd.MultiIndex.from_product([task_ids, dates], names=["task_id", "date"]).to_frame(index=False)
    out = grid.merge(series, on=["task_id", "date"], how="left")
    out["reconstructed"] = out["reconstructed"].fillna(False).astype(bool)
    out.insert(1, "section_id", out["task_id"].map(section_id))
    out.insert(2, "section", out["task_id"].map(latest["section"]))
    out.insert(3, "task", out["task_id"].map(latest["task"]))
    return out[["task_id", "section_id", "section", "task", "date", "done_count", "total", "reconstructed"]]


def open_tasks_trend(task_status: pd.DataFrame, provinces: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per province the open tasks on each daily report date (e.g. 27/6 and 30/6).

    Method: :func:`helpers.analysis.tasks.open_tasks_by_province` on every report date in
    ``task_status``; ``change`` is open tasks minus those at the province's previous
    report date (empty on the first date). A rise means the province had more open
    tasks than before — see :func:`reopened_tasks` for tasks that went from done back
    to not done.

    Returns ``province_code, [short_name], report_date, open_tasks, tasks_in_scope,
    rank, change`` sorted by province code then date.
    """
    dates = sorted(task_status["report_date"].unique())
    frames = [open_tasks_by_province(task_status, d, provinces) for d in dates]
    out = pd.concat(frames, ignore_index=True).sort_values(["province_code", "report_date"], kind="stable")
    out["change"] = out.groupby("province_code")["open_tasks"].diff().astype("Int64")
    columns = ["province_code", "report_date", "open_tasks", "tasks_in_scope", "rank", "change"]
    if provinces is not None:
        columns.insert(1, "short_name")
    return out[columns].reset_index(drop=True)


def reopened_tasks(task_status: pd.DataFrame) -> pd.DataFrame:
    """Tasks a province had done on one report but is listed as not done on the next.

    Method: for each task × province present on two consecutive report dates, flag
    done on the earlier date and not done on the later one. Such a reversal is either
    a real step back or an inconsistency between reports; the briefing should say
    which it cannot tell.

    Returns ``task_id, province_code, done_on, not_done_on``.
    """
    dates = sorted(task_status["report_date"].unique())
    columns = ["task_id", "province_code", "done_on", "not_done_on"]
    pieces = []
    for earlier, later in zip(dates, dates[1:]):
        a = task_status[task_status["report_date"] == earlier][["task_id", "province_code", "done"]]
        b = task_status[task_status["report_date"] == later][["task_id", "province_code", "done"]]
        both = a.merge(b, on=["task_id", "province_code"], suffixes=("_a", "_b"))
        flipped = both[both["done_a"].astype(bool) & ~both["done_b"].astype(bool)]
        pieces.append(
            pd.DataFrame(
                {
                    "task_id": flipped["task_id"],
                    "province_code": flipped["province_code"].astype("int64"),
                    "done_on": earlier,
                    "not_done_on": later,
                }
            )
        )
    if not pieces:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c == "province_code" else object) for c in columns})
    out = pd.concat(pieces, ignore_index=True)[columns]
    keys = [(task_sort_key(t), p, d) for t, p, d in zip(out["task_id"], out["province_code"], out["not_done_on"])]
    order = sorted(range(len(out)), key=lambda i: keys[i])
    return out.iloc[order].reset_index(drop=True)


# ---------------------------------------------------------------- plan-02: day on day


@dataclass(frozen=True)
class DayOnDay:
    """The plan-02 report's change since the previous day (see :func:`green_day_on_day`)."""

    report_date: str
    previous_date: str
    provinces: pd.DataFrame  # every province, largest rise in green % first
    moved: pd.DataFrame  # the provinces whose green % changed
    green_total: int  # communes GREEN on report_date
    green_total_previous: int  # reconstructed from green_pct_change
    body_series: pd.DataFrame  # date, value, change of the headline figure from report_figures

    @property
    def green_change(self) -> int:
        return self.green_total - self.green_total_previous


def _body_series(report_figures: pd.DataFrame | None, figure_id: str) -> pd.DataFrame:
    columns = ["date", "value", "change"]
    if report_figures is None or report_figures.empty:
        return pd.DataFrame({c: pd.Series(dtype=float if c != "date" else object) for c in columns})
    rows = report_figures[report_figures["figure_id"] == figure_id].copy()
    if "province_code" in rows.columns:  # the national series only
        rows = rows[rows["province_code"].isna()]
    if "as_of_date" in rows.columns:
        rows["date"] = rows["as_of_date"].where(rows["as_of_date"].notna(), rows["report_date"])
    else:
        rows["date"] = rows["report_date"]
    # One value per date: where two reports state the same date, the later report wins.
    rows = rows.sort_values(["date", "report_date"], kind="stable").groupby("date").tail(1)
    out = pd.DataFrame({"date": rows["date"].astype(object), "value": rows["value"].astype(float)}).reset_index(drop=True)
    out["change"] = out["value"].diff()
    return out


def green_day_on_day(
    commune_status: pd.DataFrame,
    report_figures: pd.DataFrame | None = None,
    report_date: str | date | None = None,
    figure_id: str = "communes_all_basic_conditions",
) -> DayOnDay:
    """What moved since the previous day in the plan-02 report (appendix 4 and the body).

    Method: appendix 4 prints, per province, the share of communes GREEN and its change
    since the previous day ('TĂNG/GIẢM (%)', percentage points). The previous share is
    green % − change, and the previous number of GREEN communes is that share × the
    province's communes, rounded to a whole commune (the printed % have two decimals,
    so the rounding is exact for provinces under 5,000 communes). ``moved`` lists the
    provinces with a non-zero change, largest rise first. ``body_series`` is the body's
    headline series for ``figure_id`` from ``report_figures`` (e.g. communes meeting all
    basic conditions: 2,815 on 21/9 -> 2,821 on 22/9), one value per date; comparing
    ``green_change`` with it checks the appendix against the body.
    """
    day = iso_date(report_date) if report_date is not None else str(commune_status["report_date"].max())
    rows = commune_status[commune_status["report_date"] == day]
    if rows.empty:
        raise ValueError(f"commune_status has no rows for {day}")
    out = rows[["province_code", "communes", "green", "green_pct", "green_pct_change"]].copy()
    out["province_code"] = out["province_code"].astype("int64")
    out["green_pct_previous"] = out["green_pct"] - out["green_pct_change"]
    out["green_previous"] = [
        int(math.floor(c * p / 100.0 + 0.5)) for c, p in zip(out["communes"], out["green_pct_previous"])
    ]
    out["green_change"] = (out["green"] - out["green_previous"]).astype("int64")
    out["moved"] = out["green_pct_change"] != 0
    out = out.sort_values(["green_pct_change", "province_code"], ascending=[False, True], kind="stable").reset_index(drop=True)
    moved = out[out["moved"]].reset_index(drop=True)
    return DayOnDay(
        report_date=day,
        previous_date=(date.fromisoformat(day) - timedelta(days=1)).isoformat(),
        provinces=out,
        moved=moved,
        green_total=int(out["green"].sum()),
        green_total_previous=int(out["green_previous"].sum()),
        body_series=_body_series(report_figures, figure_id),
    )


# ---------------------------------------------------------------- earlier laggards, later


def _province_values(values, name: str) -> pd.Series:
    """A per-province value as a Series indexed by province code.

    Accepts a Series indexed by province code, or a DataFrame with ``province_code``
    and either a column called ``name`` or exactly one other numeric column.
    """
    if isinstance(values, pd.Series):
        return values.astype(float).rename(name)
    frame = values.set_index("province_code")
    if name in frame.columns:
        column = name
    else:
        numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c]) and c != "rank"]
        if len(numeric) != 1:
            raise ValueError(f"cannot tell which column holds {name}: {list(frame.columns)}")
        column = numeric[0]
    return frame[column].astype(float).rename(name)


@dataclass(frozen=True)
class LaggardsComparison:
    """An earlier report's lagging provinces and where they stand later (see :func:`earlier_laggards_now`)."""

    earlier_date: str
    later_date: str
    top_n: int | None  # the rule that picked the laggards: the top_n with most open tasks (ties included) ...
    min_open: int | None  # ... or every province with at least min_open open tasks
    provinces: pd.DataFrame  # every province with both dates
    laggards: pd.DataFrame  # the earlier laggards only, in their earlier rank order
    spearman_rho: float
    p_value: float
    n: int
    tied_at_top_green: int  # provinces sharing the highest green % (ties weaken a rank correlation)

    @property
    def significant(self) -> bool:
        """p < 0.05 (two-sided)."""
        return bool(self.p_value < 0.05)


def earlier_laggards_now(
    task_status: pd.DataFrame,
    commune_status: pd.DataFrame,
    readiness_index=None,
    online_rates=None,
    top_n: int = 10,
    min_open: int | None = None,
    earlier_date: str | date | None = None,
    later_date: str | date | None = None,
) -> LaggardsComparison:
    """The provinces that lagged on an earlier daily report, where they stand on a plan-02 report, and a rank correlation.

    Method: the laggards come from the open-tasks ranking on ``earlier_date`` (default:
    the earliest report in ``task_status``, see
    :func:`helpers.analysis.tasks.open_tasks_by_province`): either every province with
    at least ``min_open`` open tasks, or the ``top_n`` with the most, including every
    province tied with the last one (so a tie never decides who is in). Their later
    position (``later_date``, default the latest in ``commune_status``) is the share of
    communes GREEN in appendix 4 and its rank among the 34 counted from the lowest
    (1 = lowest; tied provinces share the best rank), with the readiness index and
    online rate if passed (a Series by province code or a frame with ``province_code``).

    Across all provinces on both dates, the Spearman rank correlation between the
    earlier open tasks and the later green % (ties get average ranks; p two-sided, from
    scipy). A negative rho would mean earlier laggards tend to be less green later. With
    n = 34 and many provinces tied at 100% green, only a strong association could show;
    a large p means no evidence either way, not evidence of no link.

    Columns: ``province_code, earlier_rank, earlier_open_tasks, earlier_tied_with,
    laggard, green_pct, green_rank_from_lowest[, readiness_index][, online_rate_pct]``.
    """
    from scipy.stats import spearmanr

    earlier_day = iso_date(earlier_date) if earlier_date is not None else str(task_status["report_date"].min())
    later_day = iso_date(later_date) if later_date is not None else str(commune_status["report_date"].max())
    earlier = open_tasks_by_province(task_status, earlier_day)[["province_code", "rank", "open_tasks", "tied_with"]]
    earlier = earlier.rename(columns={"rank": "earlier_rank", "open_tasks": "earlier_open_tasks", "tied_with": "earlier_tied_with"})

    if min_open is not None:
        selected = earlier["earlier_open_tasks"] >= min_open
    else:
        cutoff = earlier["earlier_open_tasks"].iloc[min(top_n, len(earlier)) - 1] if len(earlier) else 0
        selected = (earlier["earlier_open_tasks"] >= cutoff) & (earlier["earlier_open_tasks"] > 0)
    earlier["laggard"] = selected.to_numpy()

    later = commune_status[commune_status["report_date"] == later_day]
    if later.empty:
        raise ValueError(f"commune_status has no rows for {later_day}")
    later = later[["province_code", "green_pct"]].copy()
    later["province_code"] = later["province_code"].astype("int64")
    later["green_rank_from_lowest"] = later["green_pct"].rank(method="min", ascending=True).astype("int64")

    out = earlier.merge(later, on="province_code", how="inner")
    if readiness_index is not None:
        out["readiness_index"] = out["province_code"].map(_province_values(readiness_index, "readiness_index"))
    if online_rates is not None:
        out["online_rate_pct"] = out["province_code"].map(_province_values(online_rates, "online_rate_pct"))
    out = out.sort_values("earlier_rank", kind="stable").reset_index(drop=True)

    n = int(len(out))
    if n >= 3 and out["earlier_open_tasks"].nunique() > 1 and out["green_pct"].nunique() > 1:
        result = spearmanr(out["earlier_open_tasks"], out["green_pct"])
        rho, p = float(result.statistic), float(result.pvalue)
    else:
        rho, p = float("nan"), float("nan")
    top_green = out["green_pct"].max() if n else float("nan")
    return LaggardsComparison(
        earlier_date=earlier_day,
        later_date=later_day,
        top_n=None if min_open is not None else top_n,
        min_open=min_open,
        provinces=out,
        laggards=out[out["laggard"]].reset_index(drop=True),
        spearman_rho=rho,
        p_value=p,
        n=n,
        tied_at_top_green=int((out["green_pct"] == top_green).sum()) if n else 0,
    )


# ---------------------------------------------------------------- briefing to briefing


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and not (
        isinstance(value, float) and math.isnan(value)
    )


def changes_since(previous_summary: dict, current_summary: dict) -> pd.DataFrame:
    """What changed since the previous briefing: the named numbers both briefings share.

    Method: each date's facts name the figures it has
    (:attr:`helpers.analysis.facts.DateFacts.comparable`); for every name present in
    both, ``change`` = after − before. Names only one
    briefing has are left out (they were not measured twice). A value that is not a
    number (or is missing) gives an empty change rather than a guess. Rows follow the
    current summary's order.

    Returns ``name, before, after, change``.
    """
    names = [k for k in current_summary if k in previous_summary]
    rows = []
    for name in names:
        before, after = previous_summary[name], current_summary[name]
        change = after - before if _is_number(before) and _is_number(after) else None
        rows.append({"name": name, "before": before, "after": after, "change": change})
    out = pd.DataFrame(rows, columns=["name", "before", "after", "change"])
    out["change"] = pd.to_numeric(out["change"], errors="coerce").astype(float)
    return out


def laggards_statistics(lag: LaggardsComparison) -> pd.DataFrame:
    """The rank correlation behind the laggards paragraph, for analysts (leaders read it in
    words): Spearman's ρ of earlier open tasks and later GREEN share, its two-sided p, a 95%
    percentile bootstrap interval, n and the ties at the top GREEN share. Columns ``statistic, value``."""
    from helpers.analysis.corrections import spearman_bootstrap

    both = lag.provinces.dropna(subset=["earlier_open_tasks", "green_pct"])
    corr = spearman_bootstrap(both["earlier_open_tasks"], both["green_pct"])
    rows = [
        ("n (provinces)", lag.n),
        ("Spearman ρ", lag.spearman_rho),
        ("p (two-sided, ρ = 0)", lag.p_value),
        (f"ρ bootstrap {corr.level:.0%} interval, low", corr.low),
        (f"ρ bootstrap {corr.level:.0%} interval, high", corr.high),
        ("provinces tied at the highest GREEN share", lag.tied_at_top_green),
    ]
    return pd.DataFrame(rows, columns=["statistic", "value"])
