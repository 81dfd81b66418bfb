"""Readings of the tables that the audit of issue 13 corrected.

Each function states one interpretation rule and applies it to the validated tables:

* :func:`bloc_completion_reported` — appendix 21's 0% belongs to provinces absent from the
  matching obstacle appendix (22–25): a non-report ("chưa báo cáo"), not a completion of 0%.
* :func:`rank_with_ties` — the first *n* of a ranking keep every province tied with the n-th.
* :func:`deadlines_as_stated` / :func:`overdue_as_stated` — "trước ngày X" (before X) leaves
  X − 1 as the last day.
* :func:`all_open_then_all_done` — a province with every task open on one report and every
  task done on the next more likely did not report the first time.
* :func:`rates_with_counts` — rates from fewer than a documented minimum of cases are shown
  with their count and kept out of rankings.
* :func:`spearman_bootstrap` / :func:`association_vi` — an interval for Spearman's ρ and the
  plain words leaders read.
* :func:`threshold_sensitivity` / :func:`borderline_provinces` — how the ready-but-low set moves
  when each threshold moves by ±5 points, and who sits within a small margin of one.
* :func:`necessary_condition_counterexamples` — a "necessary condition" holds only if no unit
  has the outcome without the condition.
* :func:`finding_counts` — contradictions in the sources counted apart from notes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.analysis import tasks as J

# Appendices 22–25 are titled "VƯỚNG MẮC Ở GIAI ĐOẠN 2 CẤP TỈNH Ở 4 CẤP – ĐẢNG ỦY / HỘI ĐỒNG
# NHÂN DÂN / ỦY BAN NHÂN DÂN / MẶT TRẬN TỔ QUỐC (k/34 tỉnh)": one per bloc of appendix 21.
BLOC_REPORT_APPENDIX = {"party": "Phụ lục 22", "council": "Phụ lục 23", "committee": "Phụ lục 24", "front": "Phụ lục 25"}
NOT_REPORTED_VI = "chưa báo cáo"

# A rate is ranked only when it rests on at least this many cases: below 30 a single
# dossier moves a rate by more than 3 points, and the binomial standard error of a
# share near 50% exceeds 9 points.
MIN_CASES_FOR_RATE = 30


# ---- appendix 21: non-reports --------------------------------------------------------------

def bloc_completion_reported(bloc_completion: pd.DataFrame, obstacles: pd.DataFrame) -> pd.DataFrame:
    """``bloc_completion`` with ``reported`` and ``pct_reported`` (empty for a non-report).

    Rule: a 0% cell of a province the bloc's obstacle appendix does not list is a
    non-report; every other cell, including a 0% of a listed province, is a rate."""
    out = bloc_completion.copy()
    listed = {
        bloc: set(obstacles.loc[(obstacles["source"] == source) & (obstacles["report_date"].isin(out["report_date"])), "province_code"].astype(int))
        for bloc, source in BLOC_REPORT_APPENDIX.items()
    }
    has_list = out["bloc"].map(lambda b: bool(listed.get(b)))
    in_list = [int(code) in listed.get(bloc, set()) for code, bloc in zip(out["province_code"], out["bloc"])]
    out["reported"] = ~((out["pct"] == 0) & has_list & ~pd.Series(in_list, index=out.index))
    out["pct_reported"] = out["pct"].where(out["reported"])
    out["status_vi"] = np.where(out["reported"], "", NOT_REPORTED_VI)
    return out


def bloc_completion_wide_reported(bloc_completion: pd.DataFrame, obstacles: pd.DataFrame) -> pd.DataFrame:
    """Appendix 21 as province × bloc (``party, council, committee, front``) with non-reports
    empty; ``blocs_reported``; ``mean`` of the four only where all four reported (a mean
    over fewer blocs is not comparable, so it stays empty and out of rankings)."""
    from helpers.analysis.communes import BLOCS

    reported = bloc_completion_reported(bloc_completion, obstacles)
    wide = reported.pivot(index="province_code", columns="bloc", values="pct_reported").reindex(columns=list(BLOCS))
    wide["blocs_reported"] = wide[list(BLOCS)].notna().sum(axis=1)
    wide["mean"] = wide[list(BLOCS)].mean(axis=1, skipna=False)
    wide.columns.name = None
    out = wide.reset_index()
    out["province_code"] = out["province_code"].astype("int64")
    return out


def rank_with_ties(frame: pd.DataFrame, column: str, n: int, ascending: bool = True) -> pd.DataFrame:
    """The first ``n`` rows by ``column`` and every row tied with the n-th (NaN never ranked).

    ``rank`` is the competition rank (1, 2, 2, 4): tied rows share it."""
    ranked = frame[frame[column].notna()].copy()
    ranked["rank"] = ranked[column].rank(method="min", ascending=ascending).astype(int)
    ranked = ranked.sort_values(["rank", *([c for c in ("province_code",) if c in ranked])], kind="stable")
    if len(ranked) <= n:
        return ranked.reset_index(drop=True)
    cutoff = ranked[column].iloc[n - 1]
    keep = ranked[column] <= cutoff if ascending else ranked[column] >= cutoff
    return ranked[keep].reset_index(drop=True)


def lowest_bloc_completion(bloc_completion: pd.DataFrame, obstacles: pd.DataFrame, bloc: str, n: int = 10) -> pd.DataFrame:
    """The ``n`` lowest completion rates of a bloc among provinces that reported, ties kept."""
    reported = bloc_completion_reported(bloc_completion, obstacles)
    return rank_with_ties(reported[reported["bloc"] == bloc], "pct_reported", n, ascending=True)


# ---- deadlines ---------------------------------------------------------------------------------

def deadlines_as_stated(task_progress: pd.DataFrame, deadline_terms: pd.DataFrame) -> pd.DataFrame:
    """``task_progress`` with ``last_day``: the last day each printed deadline allows.

    Each task's printed deadline is matched to the report's 'Thời hạn' sentences: the one
    under the task's own heading if there is one with that date, otherwise the sentences
    printing that date agree on whether it reads 'trước ngày' (if they disagree, or none
    is found, the printed day itself is kept: the lenient reading)."""
    out = task_progress.copy()
    last = []
    for row in out.itertuples(index=False):
        if pd.isna(row.deadline):
            last.append(None)
            continue
        terms = deadline_terms[(deadline_terms["report_date"] == row.report_date) & (deadline_terms["deadline"] == row.deadline)]
        own = terms[terms["context"] == row.task_id]
        chosen = own if not own.empty else terms
        days = set(chosen["last_day"])
        last.append(days.pop() if len(days) == 1 else row.deadline)
    out["last_day"] = pd.Series(last, index=out.index, dtype=object)
    return out


def overdue_as_stated(task_progress: pd.DataFrame, task_status: pd.DataFrame, deadline_terms: pd.DataFrame, report_date: str, include_due_today: bool = False) -> pd.DataFrame:
    """:func:`helpers.analysis.tasks.overdue_tasks` with each deadline's last day as stated.

    A task is overdue on a report date after its last day; ``include_due_today`` adds the
    tasks whose last day is the report date. ``deadline`` in the result is the last day."""
    shifted = deadlines_as_stated(task_progress, deadline_terms)
    shifted["deadline"] = shifted["last_day"]
    return J.overdue_tasks(shifted.drop(columns="last_day"), task_status, report_date, include_due_today=include_due_today)


# ---- all tasks open, then all done ----------------------------------------------------------------

def all_open_then_all_done(task_status: pd.DataFrame) -> pd.DataFrame:
    """Provinces with every task open on one report date and every task done on the next.

    Progress from nothing to everything between two reports is far more likely a report
    that was not sent (the province shown as not done by default) than real work.
    Returns ``report_date, next_date, province_code, tasks``."""
    dates = sorted(task_status["report_date"].unique())
    rows = []
    for first, second in zip(dates, dates[1:]):
        a = task_status[task_status["report_date"] == first].groupby("province_code")["done"].agg(["sum", "size"])
        b = task_status[task_status["report_date"] == second].groupby("province_code")["done"].agg(["sum", "size"])
        both = a.merge(b, left_index=True, right_index=True, suffixes=("_first", "_next"))
        hits = both[(both["sum_first"] == 0) & (both["sum_next"] == both["size_next"]) & (both["size_first"] > 1)]
        rows += [{"report_date": first, "next_date": second, "province_code": int(code), "tasks": int(r["size_first"])} for code, r in hits.iterrows()]
    return pd.DataFrame(rows, columns=["report_date", "next_date", "province_code", "tasks"])


# ---- rates from small counts -----------------------------------------------------------------------

def rates_with_counts(frame: pd.DataFrame, rate: str, count: str, min_count: int = MIN_CASES_FOR_RATE) -> pd.DataFrame:
    """``frame`` with ``enough_cases`` and ``rate_ranked`` (the rate, empty below ``min_count`` cases)."""
    out = frame.copy()
    out["enough_cases"] = out[count] >= min_count
    out["rate_ranked"] = out[rate].where(out["enough_cases"])
    return out


# ---- Spearman's rho with a bootstrap interval ------------------------------------------------------

@dataclass(frozen=True)
class RankCorrelation:
    rho: float
    low: float  # bootstrap percentile interval
    high: float
    n: int
    level: float


def spearman_bootstrap(x, y, n_boot: int = 2000, level: float = 0.95, seed: int = 0) -> RankCorrelation:
    """Spearman's ρ and a percentile bootstrap interval (pairs resampled with replacement; fixed seed)."""
    from scipy import stats

    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    rho = float(stats.spearmanr(x, y)[0])
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(x), size=(n_boot, len(x)))
    # every resample ranked at once (rankdata along axis 1: average ranks for ties, as spearmanr)
    rx = stats.rankdata(x[picks], axis=1)
    ry = stats.rankdata(y[picks], axis=1)
    rx -= rx.mean(axis=1, keepdims=True)
    ry -= ry.mean(axis=1, keepdims=True)
    denom = np.sqrt((rx**2).sum(axis=1) * (ry**2).sum(axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        boot = (rx * ry).sum(axis=1) / denom
    boot = boot[np.isfinite(boot)]
    tail = (1 - level) / 2
    return RankCorrelation(rho, float(np.quantile(boot, tail)), float(np.quantile(boot, 1 - tail)), len(x), level)


_STRENGTH_VI = ((0.1, "rất yếu"), (0.3, "yếu"), (0.5, "vừa phải"), (0.7, "khá chặt"), (float("inf"), "chặt"))


def strength_vi(rho: float) -> str:
    """|ρ| in words (the usual bands: < 0,1 / 0,3 / 0,5 / 0,7)."""
    return next(word for limit, word in _STRENGTH_VI if abs(rho) < limit)


def association_vi(corr: RankCorrelation) -> str:
    """Plain words for leaders: strength and direction of ρ; the weaker end of the interval
    when it falls in a lower band; 'chưa chắc chắn' when the interval spans 0."""
    direction = "cùng chiều" if corr.rho > 0 else "ngược chiều"
    text = f"liên hệ {strength_vi(corr.rho)}, {direction}"
    if corr.low <= 0 <= corr.high:
        return text + " (chưa chắc chắn có liên hệ thật)"
    weak_end = corr.low if corr.rho > 0 else corr.high
    if strength_vi(weak_end) != strength_vi(corr.rho):
        text += f" (có thể chỉ ở mức {strength_vi(weak_end)})"
    return text


# ---- ready but low: threshold sensitivity ----------------------------------------------------------

THRESHOLDS = ("readiness_min", "green_pct_min", "online_rate_min")
THRESHOLD_COLUMNS = {"readiness_min": "readiness_index", "green_pct_min": "green_pct", "online_rate_min": "online_rate_pct"}


def _flagged(table: pd.DataFrame, readiness_min: float, green_pct_min: float, online_rate_min: float) -> set[int]:
    ready = (table["readiness_index"] >= readiness_min) & (table["green_pct"] >= green_pct_min)
    return set(table.loc[ready & (table["online_rate_pct"] < online_rate_min), "province_code"].astype(int))


def threshold_sensitivity(table: pd.DataFrame, thresholds: dict[str, float], step: float = 5.0) -> pd.DataFrame:
    """The flagged set when each threshold alone moves by −step and +step (points).

    ``table`` needs ``province_code, readiness_index, green_pct, online_rate_pct`` (e.g. the
    ``table`` of :class:`helpers.analysis.ready_but_low.ReadyButLowResult`). One row per
    threshold × shift: the value used, the flagged provinces, those added and removed."""
    base = _flagged(table, **thresholds)
    rows = []
    for name in THRESHOLDS:
        for shift in (-step, step):
            moved = {**thresholds, name: thresholds[name] + shift}
            now = _flagged(table, **moved)
            rows.append({
                "threshold": name, "shift": shift, "value": moved[name],
                "flagged": sorted(now), "added": sorted(now - base), "removed": sorted(base - now),
            })
    return pd.DataFrame(rows)


def borderline_provinces(table: pd.DataFrame, thresholds: dict[str, float], margin: float = 1.0) -> pd.DataFrame:
    """Provinces whose flag would change if one threshold moved by at most ``margin`` points.

    Returns ``province_code, threshold, value, distance`` (how far the value is past or
    short of the threshold), flagged provinces and near-misses alike."""
    base = _flagged(table, **thresholds)
    rows = []
    for name, column in THRESHOLD_COLUMNS.items():
        for shift in (-margin, margin):
            moved = _flagged(table, **{**thresholds, name: thresholds[name] + shift})
            for code in sorted(moved ^ base):
                value = float(table.loc[table["province_code"] == code, column].iloc[0])
                rows.append({"province_code": code, "threshold": name, "value": value, "distance": round(value - thresholds[name], 4), "flagged": code in base})
    return pd.DataFrame(rows, columns=["province_code", "threshold", "value", "distance", "flagged"]).drop_duplicates(["province_code", "threshold"]).reset_index(drop=True)


# ---- necessary conditions -------------------------------------------------------------------

def necessary_condition_counterexamples(table: pd.DataFrame, condition: pd.Series, outcome: pd.Series) -> pd.DataFrame:
    """Rows with the outcome but without the condition: any one contradicts "the condition is necessary"."""
    return table[outcome.astype(bool) & ~condition.astype(bool)]


# ---- data-quality findings in the appendix --------------------------------------------------------------

def finding_counts(data_quality: pd.DataFrame) -> dict[str, int]:
    """Findings where the sources contradict themselves (warnings, errors) apart from notes (info)."""
    severity = data_quality["severity"]
    return {"contradictions": int(severity.isin(["warning", "error"]).sum()), "notes": int((severity == "info").sum())}
