"""Checks that span reports or tables (each parser checks its own report).

Each returns data_quality rows: the source contradicting itself is a finding
shown in the briefing, never a crash.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def cross_report_findings(tables: dict) -> list[dict]:
    """Every finding of this module: :func:`registry_findings`, then :func:`pair_findings`
    of each pair of consecutive reports (ingest caches the latter per pair)."""
    rows: list[dict] = []
    rows.extend(registry_findings(tables))
    by_date = ByDate(tables)
    for previous, current in consecutive_reports(tables):
        rows.extend(pair_findings(by_date, previous, current))
    return rows


def registry_findings(tables: dict) -> list[dict]:
    """Checks of each report against the registry (one row at a time)."""
    return _commune_counts_vs_registry(tables)


def pair_findings(by_date: "ByDate", previous, current) -> list[dict]:
    """Checks of ``current`` against the report of its kind before it (rows of ``reports``).
    They read only the two reports' rows, so ingest recomputes them only when either changed."""
    if current.kind == "plan02":
        return _dossier_checks(by_date, previous, current) + _green_change_check(by_date, previous, current)
    if current.kind == "daily_readiness":
        return _task_checks(by_date, previous, current)
    return []


# Tables the pair checks read (split by date before worker processes fork, so that each
# does not split them again).
PAIR_TABLES = ("dossiers", "commune_status", "task_progress", "task_status")


class ByDate:
    """Each table's rows of one report date, split once (a year of daily reports makes
    hundreds of pairs; filtering the whole table per pair would grow with its square).
    ``None`` stands for the rows without a date (undated documents)."""

    def __init__(self, tables: dict, few: bool = False):
        self._tables = tables
        self._split: dict[str, dict] = {}
        self._records: dict[tuple, dict] = {}
        # few: only a handful of dates will be asked for (an incremental ingest), so each
        # is filtered on its own instead of splitting the whole table
        self._few = few

    def split(self, *tables: str) -> None:
        if not self._few:
            for table in tables:
                self(table, None)

    def __call__(self, table: str, report_date: str | None) -> pd.DataFrame | None:
        frame = self._tables.get(table)
        if frame is None or frame.empty or "report_date" not in frame.columns:
            return None
        if self._few:
            split = self._split.setdefault(table, {})
            if report_date not in split:
                rows = frame[frame["report_date"].isna() if report_date is None else frame["report_date"] == report_date]
                split[report_date] = rows if len(rows) else None
            return split[report_date]
        if table not in self._split:
            self._split[table] = {(None if pd.isna(k) else k): v for k, v in frame.groupby("report_date", sort=False, dropna=False)}
        return self._split[table].get(report_date)

    def records(self, table: str, report_date: str | None, columns: tuple[str, ...]) -> list[tuple] | None:
        """The rows of :meth:`__call__` as tuples of ``columns`` (Python scalars, as
        ``itertuples`` gives them), or None where it gives None. Every date's rows come from
        one pass over the columns (a pair check in plain Python costs a tenth of one in pandas)."""
        if self._few:
            rows = self(table, report_date)
            return None if rows is None else list(zip(*(rows[c].tolist() for c in columns)))
        key = (table, columns)
        if key not in self._records:
            frame = self._tables.get(table)
            if frame is None or frame.empty or "report_date" not in frame.columns:
                self._records[key] = {}
            else:
                by_date: dict = {}
                for date, row in zip(frame["report_date"].tolist(), zip(*(frame[c].tolist() for c in columns))):
                    by_date.setdefault(None if pd.isna(date) else date, []).append(row)
                self._records[key] = by_date
        return self._records[key].get(report_date)


# --- checks across consecutive reports of one kind --------------------------------------
# The cumulative total of dossiers must grow by the day's dossiers. The two figures come
# from different tables of the portal, which count a dossier filed late in the day on
# either side of midnight; a difference within this share of the day's dossiers (and
# always within this many dossiers) is not reported.
CUMULATIVE_TOLERANCE_SHARE = 0.02
CUMULATIVE_TOLERANCE_MIN = 5
# Printed percentages carry two decimals: a stated change and the difference of two
# printed shares can differ by rounding of each.
PCT_TOLERANCE = 0.02


def consecutive_reports(tables: dict):
    """(previous, current) report rows of the same kind, in date order (dated reports only)."""
    reports = tables.get("reports")
    if reports is None or reports.empty:
        return
    dated = reports[reports["report_date"].notna()].sort_values("report_date")
    for _, group in dated.groupby("kind", sort=True):
        rows = list(group.itertuples(index=False))
        yield from zip(rows, rows[1:])


def _finding(current, previous, check: str, detail: str, severity: str = "warning") -> dict:
    return {
        "report_date": current.report_date,
        "source": f"{current.file} vs {previous.file}",
        "check": check,
        "severity": severity,
        "detail": f"{detail} ({current.file} of {current.report_date} against {previous.file} of {previous.report_date})",
    }


def _next_day(earlier: str, later: str) -> bool:
    import datetime as dt

    return dt.date.fromisoformat(later) - dt.date.fromisoformat(earlier) == dt.timedelta(days=1)


_DOSSIER_COLUMNS = ("scope", "province_code", "period_start", "period_end", "direct", "online", "total")


def _dossier_checks(by_date: ByDate, previous, current) -> list[dict]:
    """Cumulative dossiers never fall, are not a stale copy, and grow by the day's dossiers.
    In plain Python over the two dates' rows when the pandas merge of
    :func:`_dossier_checks_frames` is a plain lookup (text periods and scopes, each
    (scope, province, start) once in each report); else that function decides."""
    mine = by_date.records("dossiers", current.report_date, _DOSSIER_COLUMNS)
    theirs = by_date.records("dossiers", previous.report_date, _DOSSIER_COLUMNS)
    if mine is None or theirs is None:
        return []
    if not (_plain_dossiers(mine) and _plain_dossiers(theirs)):
        return _dossier_checks_frames(by_date, previous, current)
    cum_now = [r for r in mine if r[2] < r[3]]
    cum_then = [r for r in theirs if r[2] < r[3]]
    if not cum_now or not cum_then:
        return []
    then_by_key = {(r[0], r[1], r[2]): r for r in cum_then}
    if len(then_by_key) != len(cum_then) or len({(r[0], r[1], r[2]) for r in cum_now}) != len(cum_now):
        return _dossier_checks_frames(by_date, previous, current)
    # the inner merge on (scope, province, start): the current report's rows in their order
    both = [(r, then_by_key[(r[0], r[1], r[2])]) for r in cum_now if (r[0], r[1], r[2]) in then_by_key]
    out = []
    for now, then in both:
        for i, column in ((4, "direct"), (5, "online"), (6, "total")):
            if now[i] < then[i]:
                out.append(_finding(current, previous, "cumulative_never_falls", f"province {int(now[1])}, {now[0]} level: cumulative {column} dossiers fell from {int(then[i])} to {int(now[i])}"))
    national = [(now, then) for now, then in both if now[0] == "all"]
    day = [r for r in mine if r[2] == r[3] and r[0] == "all"]
    day_total = int(sum(r[6] for r in day)) if day else 0
    if national and all(now[6] == then[6] for now, then in national) and day_total > 0:
        out.append(_finding(current, previous, "stale_copy", f"cumulative dossiers identical to the previous report's ({int(sum(now[6] for now, _ in national))}) although the day had {day_total}"))
        return out  # every province would also disagree with the day's figures: one finding says it
    end_now, end_then = cum_now[0][3], cum_then[0][3]
    if not day or not _next_day(end_then, end_now):
        return out
    growths = [(now[1], int(now[6] - then[6])) for now, then in national]
    return out + _growth_findings(current, previous, growths, {r[1]: r[6] for r in day}, end_then, end_now)


def _growth_findings(current, previous, growths, day_by_province: dict, end_then, end_now) -> list[dict]:
    """``cumulative_grows_by_day`` for each (province, growth of its cumulative total) whose
    growth misses the day's dossiers by more than the tolerance."""
    out = []
    for province, growth in growths:
        expected = day_by_province.get(province)
        if expected is None:
            continue
        tolerance = max(CUMULATIVE_TOLERANCE_MIN, CUMULATIVE_TOLERANCE_SHARE * expected)
        if abs(growth - expected) > tolerance:
            out.append(_finding(current, previous, "cumulative_grows_by_day", f"province {int(province)}: cumulative total grew by {growth} ({end_then} to {end_now}) but the day had {int(expected)} dossiers"))
    return out


def _plain_dossiers(rows: list[tuple]) -> bool:
    """Text scope and periods, whole-number counts and codes: what the plain-Python path compares."""
    return all(
        type(r[0]) is str and type(r[2]) is str and type(r[3]) is str and type(r[1]) is int and type(r[4]) is int and type(r[5]) is int and type(r[6]) is int
        for r in rows
    )


def _dossier_checks_frames(by_date: ByDate, previous, current) -> list[dict]:
    mine, theirs = by_date("dossiers", current.report_date), by_date("dossiers", previous.report_date)
    if mine is None or theirs is None:
        return []
    out = []
    cum_now = mine[mine["period_start"] < mine["period_end"]]
    cum_then = theirs[theirs["period_start"] < theirs["period_end"]]
    if cum_now.empty or cum_then.empty:
        return []
    both = cum_now.merge(cum_then, on=["scope", "province_code", "period_start"], suffixes=("", "_then"))
    fell = np.zeros(len(both), dtype=bool)
    for column in ("direct", "online", "total"):  # rows to look at: a year of pairs is ~40,000 rows
        fell |= (both[column] < both[f"{column}_then"]).to_numpy(dtype=bool)
    for row in both[fell].itertuples(index=False):
        for column in ("direct", "online", "total"):
            now, then = getattr(row, column), getattr(row, f"{column}_then")
            if now < then:
                out.append(_finding(current, previous, "cumulative_never_falls", f"province {int(row.province_code)}, {row.scope} level: cumulative {column} dossiers fell from {int(then)} to {int(now)}"))
    national = both[both["scope"] == "all"]
    day = mine[(mine["period_start"] == mine["period_end"]) & (mine["scope"] == "all")]
    day_total = int(day["total"].sum()) if not day.empty else 0
    if not national.empty and (national["total"] == national["total_then"]).all() and day_total > 0:
        out.append(_finding(current, previous, "stale_copy", f"cumulative dossiers identical to the previous report's ({int(national['total'].sum())}) although the day had {day_total}"))
        return out  # every province would also disagree with the day's figures: one finding says it
    end_now, end_then = cum_now["period_end"].iloc[0], cum_then["period_end"].iloc[0]
    if day.empty or not _next_day(end_then, end_now):
        return out
    growths = [(row.province_code, int(row.total - row.total_then)) for row in national.itertuples(index=False)]
    return out + _growth_findings(current, previous, growths, dict(zip(day["province_code"], day["total"])), end_then, end_now)


_GREEN_COLUMNS = ("province_code", "green_pct", "green_pct_change")


def _green_change_check(by_date: ByDate, previous, current) -> list[dict]:
    """The printed change of the GREEN share equals the difference of the two reports'
    shares. In plain Python when each report lists a province once (the merge is then a
    lookup); else :func:`_green_change_check_frames` decides."""
    if not _next_day(previous.report_date, current.report_date):
        return []
    now = by_date.records("commune_status", current.report_date, _GREEN_COLUMNS)
    then = by_date.records("commune_status", previous.report_date, _GREEN_COLUMNS)
    if now is None or then is None:
        return []
    then_pct = {r[0]: r[1] for r in then}
    if len(then_pct) != len(then) or len({r[0] for r in now}) != len(now) or not all(type(r[0]) is int for rows in (now, then) for r in rows):
        return _green_change_check_frames(by_date, previous, current)
    out = []
    for code, green_pct, change in now:
        if code not in then_pct or pd.isna(change):  # not in both, or not printed
            continue
        green_pct_then = then_pct[code]
        actual = green_pct - green_pct_then
        if abs(actual - change) > PCT_TOLERANCE:
            out.append(_finding(current, previous, "stated_change_matches_previous", f"province {int(code)}: GREEN communes printed as changing by {change:+.2f} points, the two reports give {actual:+.2f} ({green_pct_then:.2f}% to {green_pct:.2f}%)"))
    return out


def _green_change_check_frames(by_date: ByDate, previous, current) -> list[dict]:
    now, then = by_date("commune_status", current.report_date), by_date("commune_status", previous.report_date)
    if now is None or then is None or not _next_day(previous.report_date, current.report_date):
        return []
    both = now.merge(then[["province_code", "green_pct"]], on="province_code", suffixes=("", "_then"))
    out = []
    for row in both.itertuples(index=False):
        if pd.isna(row.green_pct_change):  # not printed
            continue
        actual = row.green_pct - row.green_pct_then
        if abs(actual - row.green_pct_change) > PCT_TOLERANCE:
            out.append(_finding(current, previous, "stated_change_matches_previous", f"province {int(row.province_code)}: GREEN communes printed as changing by {row.green_pct_change:+.2f} points, the two reports give {actual:+.2f} ({row.green_pct_then:.2f}% to {row.green_pct:.2f}%)"))
    return out


def _task_checks(by_date: ByDate, previous, current) -> list[dict]:
    out = []
    now, then = by_date("task_progress", current.report_date), by_date("task_progress", previous.report_date)
    if now is not None and then is not None and _next_day(previous.report_date, current.report_date):
        both = now.merge(then[["task_id", "done_count"]], on="task_id", suffixes=("", "_then"))
        for row in both.itertuples(index=False):
            stated = row.change_vs_previous_day
            if pd.isna(stated):
                continue
            if int(stated) != int(row.done_count - row.done_count_then):
                out.append(_finding(current, previous, "stated_change_matches_previous", f"task {row.task_id}: 'tăng {int(stated)}' printed, but the reports give {int(row.done_count_then)} then {int(row.done_count)} provinces done"))
    now, then = by_date("task_status", current.report_date), by_date("task_status", previous.report_date)
    if now is not None and then is not None:
        both = now.merge(then.loc[then["done"], ["task_id", "province_code"]], on=["task_id", "province_code"])
        for row in both[~both["done"]].itertuples(index=False):
            out.append(_finding(current, previous, "done_regression", f"task {row.task_id}: province {int(row.province_code)} was done and is now listed as not done"))
    return out


def _commune_counts_vs_registry(tables: dict) -> list[dict]:
    """Commune counts printed in appendix 4 must equal the registry's ward counts."""
    status = tables.get("commune_status")
    if status is None:
        return []
    wards = dict(zip(tables["provinces"]["province_code"], tables["provinces"]["wards"]))
    out = []
    for row in status.itertuples(index=False):
        expected = wards.get(int(row.province_code))
        if expected is not None and int(row.communes) != expected:
            out.append(
                {
                    "report_date": row.report_date,
                    "source": "commune_status vs vietnam-provinces",
                    "check": "communes_equal_registry_wards",
                    "severity": "warning",
                    "detail": f"province {int(row.province_code)}: report says {int(row.communes)} communes, registry has {expected}",
                }
            )
    return out
