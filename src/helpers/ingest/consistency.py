"""General contradiction checks across the tables of one ingest (issue 13, part 3).

Each check states a rule any set of reports must satisfy and returns a ``data_quality``
row for every place the tables break it; none names a province or a task (a task done then not done is ingest's ``done_regression``):

* ``phase2_done_but_overdue``  a province with all its phase-2 tasks done (appendix 1) is
  the unit responsible for an unfinished overdue task (appendix 2);
* ``overdue_task_also_standing``  a task listed as overdue (appendix 2, which implies a
  deadline) is also listed as standing, with no deadline (appendix 7);
* ``body_level_vs_table``  the body calls a dossier table "cấp tỉnh" (province level) while
  it is at least as large as the commune-level table for every province — it holds all
  levels;
* ``percentages_rounded_and_truncated``  one report prints some shares a/b rounded and
  others truncated.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata

import pandas as pd


def findings(tables: dict) -> list[dict]:
    return [row for rows in findings_by_check(tables) for row in rows]


def findings_by_check(tables: dict) -> list[list[dict]]:
    """The rows of each check, in the order of :data:`CHECKS`. Every check compares rows of
    one report date only, so ingest runs them per date (and reruns only a changed date)."""
    return [check(tables) for check in CHECKS]


def _finding(report_date, source: str, check: str, detail: str, severity: str = "warning") -> dict:
    return {"report_date": report_date, "source": source, "check": check, "severity": severity, "detail": detail}


@functools.lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    """Lower-case words without diacritics, single spaces."""
    text = unicodedata.normalize("NFD", str(text).lower().replace("đ", "d"))
    return " ".join(re.findall(r"[a-z0-9]+", "".join(ch for ch in text if not unicodedata.combining(ch))))


@functools.lru_cache(maxsize=65536)
def _words(text: str) -> frozenset[str]:
    # the same task text meets every other task of its day: fold it once
    return frozenset(_fold(text).split())


def _file_of(tables: dict, kind: str, report_date) -> str:
    return _files_of(tables, kind).get(report_date, kind)


def _files_of(tables: dict, kind: str) -> dict:
    """{report date: file of the first report of ``kind`` with that date} (the ``reports``
    table looked up once, not filtered per finding: 100 dates made it a tenth of the checks)."""
    files: dict = {}
    reports = tables["reports"]
    for file, report_kind, date in zip(reports["file"], reports["kind"], reports["report_date"]):
        if report_kind == kind and isinstance(date, str):
            files.setdefault(date, str(file))
    return files


def _phase2_done_but_overdue(tables: dict) -> list[dict]:
    progress, tasks = tables.get("phase2_task_progress"), tables.get("plan02_tasks")
    if progress is None or tasks is None:
        return []
    overdue = tasks[(tasks["appendix"] == 2) & tasks["province_code"].notna()]
    # each (date, province)'s first progress row, looked up instead of filtering the whole table per task
    first: dict[tuple, tuple[int, int]] = {}
    for date, code, done, total in zip(progress["report_date"], progress["province_code"], progress["tasks_done"], progress["tasks_total"]):
        first.setdefault((date, int(code)), (int(done), int(total)))
    files: dict | None = None
    out = []
    for row in overdue.itertuples(index=False):
        mine = first.get((row.report_date, int(row.province_code)))
        if mine is not None and mine[0] == mine[1]:
            done = f"{mine[0]}/{mine[1]}"
            files = _files_of(tables, "plan02") if files is None else files
            out.append(_finding(row.report_date, f"{files.get(row.report_date, 'plan02')} Phụ lục 1, 2", "phase2_done_but_overdue",
                                f"province {int(row.province_code)}: {done} phase-2 tasks done (appendix 1) but responsible for overdue task {row.task_id} (appendix 2)"))
    return out


def _overdue_task_also_standing(tables: dict, similarity: float = 0.8) -> list[dict]:
    tasks = tables.get("plan02_tasks")
    if tasks is None:
        return []
    # each date's overdue (appendix 2) and standing (appendix 7, no deadline) rows in table
    # order, from one pass over the rows of those appendices (a groupby and two filters
    # per date cost more than the comparisons)
    days: dict[str, tuple[list, list]] = {}
    for row in tasks[tasks["appendix"].isin((2, 7))].itertuples(index=False):
        if not isinstance(row.report_date, str):  # groupby leaves undated rows out
            continue
        overdue, standing = days.setdefault(row.report_date, ([], []))
        if row.appendix == 2:
            overdue.append(row)
        elif pd.isna(row.deadline):
            standing.append((row, _words(row.task)))
    files: dict | None = None
    out = []
    for date in sorted(days):
        overdue, standing = days[date]
        for row in overdue:
            mine = _words(row.task)
            for other, theirs in standing:
                if mine and len(mine & theirs) / len(mine | theirs) >= similarity:
                    files = _files_of(tables, "plan02") if files is None else files
                    out.append(_finding(date, f"{files.get(date, 'plan02')} Phụ lục 2, 7", "overdue_task_also_standing",
                                        f"task {row.task_id} is overdue in appendix 2 and the same task {other.task_id} is standing, with no deadline ('{other.deadline_text}'), in appendix 7"))
    return out


def table_holds_all_levels(dossiers: pd.DataFrame, report_date: str) -> int | None:
    """Provinces compared when a one-day table ('all') is at least the commune table everywhere; else None."""
    day = dossiers[(dossiers["report_date"] == report_date) & (dossiers["period_start"] == dossiers["period_end"])]
    whole = day[day["scope"] == "all"].set_index("province_code")["total"]
    communes = day[day["scope"] == "commune"].set_index("province_code")["total"]
    common = whole.index.intersection(communes.index)
    return len(common) if len(common) and bool((whole[common] >= communes[common]).all()) else None


def _holds_all_levels_by_date(dossiers: pd.DataFrame, dates: set) -> dict:
    """:func:`table_holds_all_levels` of each of ``dates``, from one pass over the one-day
    rows' four columns (filtering the whole table per date cost ~10 ms a date). A date
    whose rows repeat a province in a scope, or lack its code, goes through
    :func:`table_holds_all_levels` itself (pandas' alignment decides there)."""
    one_day = dossiers[dossiers["period_start"] == dossiers["period_end"]]
    totals: dict = {}  # date -> ({code: total} of 'all', {code: total} of 'commune')
    odd = set()
    for date, scope, code, total in zip(one_day["report_date"], one_day["scope"], one_day["province_code"], one_day["total"]):
        if date not in dates or scope not in ("all", "commune"):
            continue
        whole, communes = totals.setdefault(date, ({}, {}))
        mine = whole if scope == "all" else communes
        if pd.isna(code) or code in mine:
            odd.add(date)
        mine[code] = total
    out = {}
    for date in dates:
        if date in odd:
            out[date] = table_holds_all_levels(dossiers, date)
            continue
        whole, communes = totals.get(date, ({}, {}))
        common = whole.keys() & communes.keys()
        out[date] = len(common) if common and all(whole[c] >= communes[c] for c in common) else None
    return out


def _says_province_level_table_i(text) -> bool:
    folded = f" {_fold(text)}"
    return "cap tinh" in folded and " bang i" in folded and " bang ii" not in folded


def _body_level_vs_table(tables: dict) -> list[dict]:
    claims, dossiers = tables.get("claims"), tables.get("dossiers")
    if claims is None or dossiers is None:
        return []
    said = claims[(claims["pattern"] == "level") & (claims["value"] == 8)]
    said = said[said["stated"].map(_says_province_level_table_i).astype(bool)]
    said = said.drop_duplicates(["report_date", "file"])
    if said.empty:
        return []
    holds = _holds_all_levels_by_date(dossiers, {date for date in said["report_date"] if isinstance(date, str)})
    out = []
    for row in said.itertuples(index=False):
        compared = holds.get(row.report_date)
        if compared:
            out.append(_finding(row.report_date, f"{row.file} Phụ lục 8", "body_level_vs_table",
                                f"line {row.line}: the body calls appendix 8 table I 'cấp tỉnh' but for all {compared} provinces it is at least as large as the commune-level table II: it counts all levels"))
    return out


def _percentages_rounded_and_truncated(tables: dict) -> list[dict]:
    claims = tables.get("claims")
    if claims is None:
        return []
    shares = claims[claims["share_pct"].notna() & claims["denominator"].notna() & (claims["denominator"] > 0)]
    if shares.empty:
        return []
    # each (date, file)'s rows in table order, numbered as groupby would iterate them (one
    # pass over five columns instead of a frame and itertuples per report)
    group_of = shares.groupby(["report_date", "file"], dropna=False).ngroup().tolist()
    groups: dict[int, tuple] = {}
    for group, date, file, line, value, denominator, share_pct in zip(
        group_of, shares["report_date"], shares["file"], shares["line"], shares["value"], shares["denominator"], shares["share_pct"]
    ):
        groups.setdefault(group, (date, file, []))[2].append((line, value, denominator, share_pct))
    out = []
    for group in sorted(groups):
        date, file, rows = groups[group]
        truncated, rounded = [], []
        for line, value, denominator, share_pct in rows:
            exact = 100 * value / denominator
            decimals = 0 if float(share_pct).is_integer() else 2
            scale = 10**decimals
            down, near = math.floor(exact * scale) / scale, round(exact, decimals)
            if down != near:  # only shares where the two readings differ tell them apart
                (truncated if share_pct == down else rounded if share_pct == near else []).append(f"line {line}: {int(value)}/{int(denominator)} = {exact:.2f}% printed {share_pct:g}%")
        if truncated and rounded:
            out.append(_finding(None if pd.isna(date) else date, f"{file}", "percentages_rounded_and_truncated",
                                f"shares printed rounded ({'; '.join(rounded)}) and truncated ({'; '.join(truncated)})"))
    return out


CHECKS = (_phase2_done_but_overdue, _overdue_task_also_standing, _body_level_vs_table, _percentages_rounded_and_truncated)
