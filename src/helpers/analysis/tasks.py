"""The June daily readiness reports (27/6 and 30/6/2025): task completion, open tasks, deadlines.

Source: the Ministry of Science and Technology's daily report on information-system
readiness for the two-level local government. For each task (numbered 'I.1',
'III.1.a', ...) it prints how many of the 34 provinces finished it, the stated
increase over the previous day ('tăng K tỉnh so với ngày hôm qua'), the provinces not
done and a deadline. The parser turns this into ``task_progress`` (one row per task
and date) and ``task_status`` (one row per task × province, ``done`` False for the
provinces listed as not done). Everything here reads those two tables only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}
_PART_RE = re.compile(r"^\d+$")


def _roman_to_int(text: str) -> int | None:
    if not text or any(ch not in _ROMAN for ch in text):
        return None
    total = 0
    for i, ch in enumerate(text):
        value = _ROMAN[ch]
        if i + 1 < len(text) and _ROMAN[text[i + 1]] > value:
            total -= value
        else:
            total += value
    return total


def task_sort_key(task_id: str) -> tuple:
    """Order of the report's numbering: 'I.1' < 'I.4' < 'II.1' < 'III.1.a' < 'III.1.h' < 'IV.1'.

    The section is a Roman numeral, then numbers, then letters (a, b, c, d, e, g, h in
    the Vietnamese alphabet order the report uses, which is also plain a–z order).
    """
    parts = str(task_id).split(".")
    key: list[tuple[int, object]] = []
    for i, part in enumerate(parts):
        roman = _roman_to_int(part) if i == 0 else None
        if roman is not None:
            key.append((0, roman))
        elif _PART_RE.match(part):
            key.append((0, int(part)))
        else:
            key.append((1, part))
    return tuple(key)


def section_id(task_id: str) -> str:
    """'III.1.a' -> 'III' (the Roman numeral of the report's section)."""
    return str(task_id).split(".")[0]


def iso_date(value: str | date) -> str:
    """A report date as ISO text ('2025-06-27'), from ISO text or a date."""
    if isinstance(value, date):
        return value.isoformat()
    return date.fromisoformat(str(value)).isoformat()


def _sorted_tasks(frame: pd.DataFrame, extra: list[str] | None = None) -> pd.DataFrame:
    """Rows in the report's task order (then by ``extra`` columns), index reset."""
    keys = frame["task_id"].map(task_sort_key)
    order = sorted(range(len(frame)), key=lambda i: (keys.iloc[i], *(frame[c].iloc[i] for c in (extra or []))))
    return frame.iloc[order].reset_index(drop=True)


def _rows_on(frame: pd.DataFrame, report_date: str | date, table: str) -> pd.DataFrame:
    day = iso_date(report_date)
    rows = frame[frame["report_date"] == day]
    if rows.empty:
        dates = ", ".join(sorted(frame["report_date"].dropna().unique()))
        raise ValueError(f"{table} has no rows for {day} (dates: {dates or 'none'})")
    return rows.copy()


# ---------------------------------------------------------------- completion per task


def task_completion(task_progress: pd.DataFrame, report_date: str | date) -> pd.DataFrame:
    """Completion of each task on one report date: provinces done of 34 and the share.

    Method: for every task the report prints 'Số lượng tỉnh hoàn thành: K/34'; the
    share is K / 34 × 100 (34 being the ``total`` printed). ``not_done`` = 34 − K.
    Rows follow the report's numbering (section I to IV).

    Returns ``report_date, section_id, section, task_id, task, deadline, done_count,
    total, not_done, done_pct``.
    """
    rows = _rows_on(task_progress, report_date, "task_progress")
    out = pd.DataFrame(
        {
            "report_date": rows["report_date"],
            "section_id": rows["task_id"].map(section_id),
            "section": rows["section"],
            "task_id": rows["task_id"],
            "task": rows["task"],
            "deadline": rows["deadline"],
            "done_count": rows["done_count"].astype("int64"),
            "total": rows["total"].astype("int64"),
        }
    )
    out["not_done"] = out["total"] - out["done_count"]
    out["done_pct"] = out["done_count"] / out["total"] * 100.0
    return _sorted_tasks(out)


@dataclass(frozen=True)
class CompletionSummary:
    """All tasks of one report together (see :func:`overall_completion`)."""

    report_date: str
    tasks: int  # tasks with a count on that date
    tasks_complete: int  # tasks finished by every province in scope
    task_province_done: int  # sum of done counts
    task_province_total: int  # sum of totals (tasks × 34)

    @property
    def done_pct(self) -> float:
        """Share of all (task, province) pairs that are done, in %."""
        return self.task_province_done / self.task_province_total * 100.0 if self.task_province_total else float("nan")

    @property
    def open_pairs(self) -> int:
        return self.task_province_total - self.task_province_done


def overall_completion(task_progress: pd.DataFrame, report_date: str | date) -> CompletionSummary:
    """How far all tasks together are on one date.

    Method: every (task, province) pair counts once; the share done is the sum of the
    printed done counts over the sum of the totals (26 tasks × 34 provinces = 884 pairs
    in June). ``tasks_complete`` counts tasks with done = total.
    """
    rows = task_completion(task_progress, report_date)
    return CompletionSummary(
        report_date=iso_date(report_date),
        tasks=int(len(rows)),
        tasks_complete=int((rows["done_count"] == rows["total"]).sum()),
        task_province_done=int(rows["done_count"].sum()),
        task_province_total=int(rows["total"].sum()),
    )


# ---------------------------------------------------------------- open tasks per province


def _join_task_ids(ids) -> str:
    return ", ".join(sorted(ids, key=task_sort_key))


def open_tasks_by_province(
    task_status: pd.DataFrame,
    report_date: str | date,
    provinces: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Ranking of lagging provinces: how many tasks each province has not finished.

    Method: on one report date, count the tasks for which the province is listed as
    not done ('... tỉnh chưa hoàn thành: ...'), out of the tasks it is in scope for.
    Rank 1 has the most open tasks; provinces with the same count are ordered by
    province code and ``tied_with`` says how many others share the count, so a tie is
    never read as a difference. ``open_task_ids`` lists the open tasks in the report's
    order. With ``provinces`` (the provinces table) the short name is added.

    Returns ``report_date, rank, province_code, [short_name], open_tasks, tasks_in_scope,
    open_pct, tied_with, open_task_ids``.
    """
    rows = _rows_on(task_status, report_date, "task_status")
    rows["open"] = ~rows["done"].astype(bool)
    grouped = rows.groupby("province_code", sort=True)
    out = pd.DataFrame(
        {
            "open_tasks": grouped["open"].sum().astype("int64"),
            "tasks_in_scope": grouped.size().astype("int64"),
        }
    )
    open_ids = rows[rows["open"]].groupby("province_code")["task_id"].agg(_join_task_ids)
    out["open_task_ids"] = open_ids.reindex(out.index).fillna("")
    out = out.reset_index()
    out["province_code"] = out["province_code"].astype("int64")
    out = out.sort_values(["open_tasks", "province_code"], ascending=[False, True], kind="stable").reset_index(drop=True)
    out.insert(0, "rank", range(1, len(out) + 1))
    out.insert(0, "report_date", iso_date(report_date))
    out["open_pct"] = out["open_tasks"] / out["tasks_in_scope"] * 100.0
    out["tied_with"] = out.groupby("open_tasks")["province_code"].transform("size").astype("int64") - 1
    columns = ["report_date", "rank", "province_code", "open_tasks", "tasks_in_scope", "open_pct", "tied_with", "open_task_ids"]
    if provinces is not None:
        names = provinces.set_index("province_code")["short_name"]
        out["short_name"] = out["province_code"].map(names)
        columns.insert(3, "short_name")
    return out[columns]


# ---------------------------------------------------------------- the previous day


@dataclass(frozen=True)
class PreviousDay:
    """The day before a report, reconstructed from the report's stated increases."""

    report_date: str
    previous_date: str  # report_date − 1 calendar day ('ngày hôm qua')
    counts: pd.DataFrame  # task_id, section, task, done_count, change, previous_done_count, change_stated
    unstated_task_ids: tuple[str, ...]  # tasks whose previous count cannot be reconstructed

    @property
    def any_stated(self) -> bool:
        return len(self.unstated_task_ids) < len(self.counts)


def previous_day(task_progress: pd.DataFrame, report_date: str | date) -> PreviousDay:
    """The previous day's counts reconstructed from the stated increases.

    Method: the report states each task's increase over 'ngày hôm qua' (the previous
    calendar day): previous done count = done count − stated increase ('không tăng'
    is an increase of 0). Where the report states no increase (the 30/6 report states
    none) the previous count is left empty and the task is listed in
    ``unstated_task_ids`` — it is never assumed unchanged.
    """
    rows = _rows_on(task_progress, report_date, "task_progress")
    change = rows["change_vs_previous_day"].astype("Int64")
    counts = pd.DataFrame(
        {
            "task_id": rows["task_id"],
            "section": rows["section"],
            "task": rows["task"],
            "done_count": rows["done_count"].astype("int64"),
            "change": change,
        }
    )
    counts["previous_done_count"] = (counts["done_count"].astype("Int64") - counts["change"]).astype("Int64")
    counts["change_stated"] = counts["change"].notna().astype(bool)
    counts = _sorted_tasks(counts)
    day = iso_date(report_date)
    previous = (date.fromisoformat(day) - timedelta(days=1)).isoformat()
    unstated = tuple(counts.loc[~counts["change_stated"], "task_id"])
    return PreviousDay(report_date=day, previous_date=previous, counts=counts, unstated_task_ids=unstated)


# ---------------------------------------------------------------- deadlines


def effective_deadlines(task_progress: pd.DataFrame, report_date: str | date) -> pd.DataFrame:
    """Each task's deadline as known on a report date.

    Method: the deadline printed in that day's report; where that report prints none
    (the 30/6 report prints no deadlines), the one printed by the latest earlier report
    for the same task id. ``deadline_stated_on`` says which report it comes from.
    Returns ``task_id, deadline, deadline_stated_on`` (deadline empty if never stated).
    """
    day = iso_date(report_date)
    current = _rows_on(task_progress, day, "task_progress")
    known = task_progress[(task_progress["report_date"] <= day) & task_progress["deadline"].notna()]
    known = known.sort_values(["task_id", "report_date"], kind="stable").groupby("task_id").tail(1)
    latest = known.set_index("task_id")
    out = pd.DataFrame({"task_id": current["task_id"].to_numpy()})
    for column, source in (("deadline", "deadline"), ("deadline_stated_on", "report_date")):
        values = out["task_id"].map(latest[source])
        out[column] = pd.Series([v if isinstance(v, str) else None for v in values], index=out.index, dtype=object)
    return _sorted_tasks(out)


def overdue_tasks(
    task_progress: pd.DataFrame,
    task_status: pd.DataFrame,
    report_date: str | date,
    include_due_today: bool = False,
) -> pd.DataFrame:
    """Tasks past their deadline and not yet done, with the provinces not done.

    Method: a task is overdue on a report date when its deadline (see
    :func:`effective_deadlines`) is *before* the report date and at least one province
    is listed as not done. A deadline equal to the report date is not overdue: the
    report writes 'Thời hạn hoàn thành ngày 27 tháng 6' and its data are taken at
    midday (12h15 on 27/6), so the day is not over; 'trước ngày 28' is read as the
    printed date, as the parser stores it. ``include_due_today=True`` lists the tasks
    due on the report date instead of excluding them (for 'due today' tables).

    Returns one row per task × province not done: ``report_date, task_id, section,
    task, deadline, deadline_stated_on, days_overdue, province_code`` (days_overdue 0
    for tasks due that day), in task order then province code.
    """
    day = iso_date(report_date)
    tasks = _rows_on(task_progress, day, "task_progress")[["task_id", "section", "task"]]
    deadlines = effective_deadlines(task_progress, day)
    tasks = tasks.merge(deadlines, on="task_id", how="left")
    has_deadline = tasks["deadline"].notna()
    due = tasks["deadline"].where(has_deadline, "9999-12-31")
    late = (due <= day) if include_due_today else (due < day)
    tasks = tasks[has_deadline & late]
    status = _rows_on(task_status, day, "task_status")
    not_done = status.loc[~status["done"].astype(bool), ["task_id", "province_code"]]
    out = tasks.merge(not_done, on="task_id", how="inner")
    out["days_overdue"] = [
        (date.fromisoformat(day) - date.fromisoformat(d)).days for d in out["deadline"]
    ]
    out["days_overdue"] = out["days_overdue"].astype("int64")
    out["province_code"] = out["province_code"].astype("int64")
    out.insert(0, "report_date", day)
    out = out[["report_date", "task_id", "section", "task", "deadline", "deadline_stated_on", "days_overdue", "province_code"]]
    return _sorted_tasks(out, extra=["province_code"])
