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
    reports = tables["reports"]
    match = reports[(reports["kind"] == kind) & (reports["report_date"] == report_date)]
    return str(match["file"].iloc[0]) if len(match) else kind


def _phase2_done_but_overdue(tables: dict) -> list[dict]:
    progress, tasks = tables.get("phase2_task_progress"), tables.get("plan02_tasks")
    if progress is None or tasks is None:
        return []
    overdue = tasks[(tasks["appendix"] == 2) & tasks["province_code"].notna()]
    # each (date, province)'s first progress row, looked up instead of filtering the whole table per task
    first: dict[tuple, tuple[int, int]] = {}
    for date, code, done, total in zip(progress["report_date"], progress["province_code"], progress["tasks_done"], progress["tasks_total"]):
        first.setdefault((date, int(code)), (int(done), int(total)))
    files: dict = {}
    out = []
    for row in overdue.itertuples(index=False):
        mine = first.get((row.report_date, int(row.province_code)))
        if mine is not None and mine[0] == mine[1]:
            done = f"{mine[0]}/{mine[1]}"
            if row.report_date not in files:
                files[row.report_date] = _file_of(tables, "plan02", row.report_date)
            out.append(_finding(row.report_date, f"{files[row.report_date]} Phụ lục 1, 2", "phase2_done_but_overdue",
                                f"province {int(row.province_code)}: {done} phase-2 tasks done (appendix 1) but responsible for overdue task {row.task_id} (appendix 2)"))
    return out


def _overdue_task_also_standing(tables: dict, similarity: float = 0.8) -> list[dict]:
    tasks = tables.get("plan02_tasks")
    if tasks is None:
        return []
    out = []
    for date, day in tasks.groupby("report_date"):
        standing = [(other, _words(other.task)) for other in day[(day["appendix"] == 7) & day["deadline"].isna()].itertuples(index=False)]
        for row in day[day["appendix"] == 2].itertuples(index=False):
            mine = _words(row.task)
            for other, theirs in standing:
                if mine and len(mine & theirs) / len(mine | theirs) >= similarity:
                    out.append(_finding(date, f"{_file_of(tables, 'plan02', date)} Phụ lục 2, 7", "overdue_task_also_standing",
                                        f"task {row.task_id} is overdue in appendix 2 and the same task {other.task_id} is standing, with no deadline ('{other.deadline_text}'), in appendix 7"))
    return out




def table_holds_all_levels(dossiers: pd.DataFrame, report_date: str) -> int | None:
    """Provinces compared when a one-day table ('all') is at least the commune table everywhere; else None."""
    day = dossiers[(dossiers["report_date"] == report_date) & (dossiers["period_start"] == dossiers["period_end"])]
    whole = day[day["scope"] == "all"].set_index("province_code")["total"]
    communes = day[day["scope"] == "commune"].set_index("province_code")["total"]
    common = whole.index.intersection(communes.index)
    return len(common) if len(common) and bool((whole[common] >= communes[common]).all()) else None


def _body_level_vs_table(tables: dict) -> list[dict]:
    claims, dossiers = tables.get("claims"), tables.get("dossiers")
    if claims is None or dossiers is None:
        return []
    said = claims[(claims["pattern"] == "level") & (claims["value"] == 8) & claims["stated"].map(lambda t: "cap tinh" in _fold(t) and " bang i" in f" {_fold(t)}" and " bang ii" not in f" {_fold(t)}")]
    out = []
    for row in said.drop_duplicates(["report_date", "file"]).itertuples(index=False):
        compared = table_holds_all_levels(dossiers, row.report_date)
        if compared:
            out.append(_finding(row.report_date, f"{row.file} Phụ lục 8", "body_level_vs_table",
                                f"line {row.line}: the body calls appendix 8 table I 'cấp tỉnh' but for all {compared} provinces it is at least as large as the commune-level table II: it counts all levels"))
    return out


def _percentages_rounded_and_truncated(tables: dict) -> list[dict]:
    claims = tables.get("claims")
    if claims is None:
        return []
    shares = claims[claims["share_pct"].notna() & claims["denominator"].notna() & (claims["denominator"] > 0)]
    out = []
    for (date, file), rows in shares.groupby(["report_date", "file"], dropna=False):
        truncated, rounded = [], []
        for row in rows.itertuples(index=False):
            exact = 100 * row.value / row.denominator
            decimals = 0 if float(row.share_pct).is_integer() else 2
            scale = 10**decimals
            down, near = math.floor(exact * scale) / scale, round(exact, decimals)
            if down != near:  # only shares where the two readings differ tell them apart
                (truncated if row.share_pct == down else rounded if row.share_pct == near else []).append(f"line {row.line}: {int(row.value)}/{int(row.denominator)} = {exact:.2f}% printed {row.share_pct:g}%")
        if truncated and rounded:
            out.append(_finding(None if pd.isna(date) else date, f"{file}", "percentages_rounded_and_truncated",
                                f"shares printed rounded ({'; '.join(rounded)}) and truncated ({'; '.join(truncated)})"))
    return out


CHECKS = (_phase2_done_but_overdue, _overdue_task_also_standing, _body_level_vs_table, _percentages_rounded_and_truncated)
