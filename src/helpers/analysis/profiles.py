"""One profile per province and reporting date, computed from the tables alone.

A province page (``outputs/<date>/provinces/<code>.html``) shows the province's
figures with their rank among the 34 and their change since the previous report of
the same kind, what flags it and why, the obstacles it reported, who deploys its
key systems and the directives that name it. Everything here is numbers and the
reports' own text; the wording of the page is :mod:`helpers.report.province_page`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from helpers.analysis import communes as R
from helpers.analysis import ready_but_low as B
from helpers.analysis import uptake as U


@dataclass(frozen=True)
class Figure:
    """One figure of a province: ``rank`` 1 = best of ``of``; ``change`` since ``previous_date``
    (percentage points for shares, units for counts); None where there is no earlier report."""

    key: str
    value: float
    pct: bool
    rank: int | None
    of: int
    change: float | None = None
    previous_date: str | None = None


@dataclass(frozen=True)
class Flag:
    """Why a province needs attention: ``key`` names the rule, ``values`` the numbers behind it."""

    key: str
    values: dict


@dataclass
class Profile:
    code: int
    report_date: str
    kinds: tuple[str, ...]
    figures: list[Figure] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    open_tasks: list[tuple[str, str, str | None]] = field(default_factory=list)  # (task id, title, deadline)
    obstacles: list[tuple[str, str]] = field(default_factory=list)  # (kind, text as printed)
    vendors: list[tuple[str, str]] = field(default_factory=list)  # (system, vendor)
    directives: list[tuple[str, str | None]] = field(default_factory=list)  # (directive, deadline)
    assigned: list[tuple[str, str | None, bool]] = field(default_factory=list)  # plan-02 tasks naming it: (task, deadline, overdue)


def _on(frame: pd.DataFrame, date: str) -> pd.DataFrame:
    return frame[frame["report_date"] == date]


def dates_of_kind(reports: pd.DataFrame, kind: str) -> list[str]:
    return sorted(reports.loc[reports["kind"] == kind, "report_date"].dropna().unique())


def previous_of_kind(reports: pd.DataFrame, kind: str, date: str) -> str | None:
    earlier = [d for d in dates_of_kind(reports, kind) if d < date]
    return earlier[-1] if earlier else None


def _ranked(values: pd.Series) -> pd.Series:
    """Rank 1 = highest; ties share the best rank."""
    return values.rank(ascending=False, method="min").astype(int)


def _add_figures(profiles: dict[int, Profile], key: str, now: pd.Series, before: pd.Series | None, previous: str | None, pct: bool) -> None:
    ranks = _ranked(now)
    for code, value in now.items():
        change = None
        if before is not None and code in before.index and pd.notna(before[code]):
            change = float(value - before[code])
        profiles[int(code)].figures.append(Figure(key, float(value), pct, int(ranks[code]), len(now), change, previous if change is not None else None))


def task_share(task_status: pd.DataFrame, date: str) -> pd.DataFrame:
    """Per province: tasks done, tasks in scope, share done (%) on ``date`` (daily readiness)."""
    rows = _on(task_status, date)
    grouped = rows.groupby("province_code")["done"]
    out = pd.DataFrame({"done": grouped.sum().astype(int), "tasks": grouped.size().astype(int)})
    out["done_pct"] = 100.0 * out["done"] / out["tasks"]
    return out


def _daily(profiles: dict[int, Profile], tables: dict[str, pd.DataFrame], date: str, previous: str | None) -> None:
    status = tables["task_status"]
    now = task_share(status, date)
    before = task_share(status, previous) if previous else None
    _add_figures(profiles, "task_done_pct", now["done_pct"], None if before is None else before["done_pct"], previous, True)
    open_rows = _on(status, date)
    open_rows = open_rows[~open_rows["done"].astype(bool)]
    progress = _on(tables["task_progress"], date).set_index("task_id")
    for code, task_id in zip(open_rows["province_code"], open_rows["task_id"]):
        title = progress["task"].get(task_id, task_id)
        deadline = progress["deadline"].get(task_id)
        profiles[int(code)].open_tasks.append((task_id, title, deadline if isinstance(deadline, str) else None))
    for code, n in now["tasks"].items():
        open_n = int(n - now.loc[code, "done"])
        if open_n:
            profiles[int(code)].flags.append(Flag("open_tasks", {"open": open_n, "tasks": int(n)}))


def _plan02(profiles: dict[int, Profile], tables: dict[str, pd.DataFrame], date: str, previous: str | None, thresholds: dict) -> None:
    status = _on(tables["commune_status"], date).set_index("province_code")
    before = _on(tables["commune_status"], previous).set_index("province_code") if previous else None
    _add_figures(profiles, "green_pct", status["green_pct"], None if before is None else before["green_pct"], previous, True)
    dossiers = _on(tables["dossiers"], date)
    rates = U.online_rates(dossiers)
    online = rates.for_scope("all").set_index("province_code")["online_rate_pct"]
    online_before = None
    if previous and len(_on(tables["dossiers"], previous)):
        online_before = U.online_rates(_on(tables["dossiers"], previous)).for_scope("all").set_index("province_code")["online_rate_pct"]
    _add_figures(profiles, "online_rate_pct", online, online_before, previous, True)
    readiness = R.readiness_table(_on(tables["commune_status"], date).reset_index(drop=True), _on(tables["commune_readiness"], date).reset_index(drop=True))
    national = rates.national_rate("all")
    online_min = thresholds.get("online_rate_min_pct")
    result = B.flag_ready_but_low(
        readiness,
        rates.for_scope("all"),
        readiness_min=float(thresholds.get("readiness_index_min", 80.0)),
        green_pct_min=float(thresholds.get("green_pct_min", 90.0)),
        online_rate_min=national if online_min is None else float(online_min),
    )
    table = result.table.set_index("province_code")
    for code in result.flagged:
        row = table.loc[code]
        profiles[int(code)].flags.append(
            Flag(
                "ready_but_low",
                {
                    "readiness": float(row["readiness_index"]),
                    "readiness_min": result.readiness_min,
                    "green_pct": float(status.loc[code, "green_pct"]),
                    "green_pct_min": result.green_pct_min,
                    "online_rate": float(online[code]),
                    "online_rate_min": result.online_rate_min,
                },
            )
        )
    named = _on(tables["plan02_tasks"], date).dropna(subset=["province_code"])
    for code, task, deadline, appendix in zip(named["province_code"], named["task"], named["deadline"], named["appendix"]):
        # appendix 2 lists overdue tasks, 3 those due soon (plan-02 report)
        profiles[int(code)].assigned.append((task, deadline if isinstance(deadline, str) else None, int(appendix) == 2))
    for code, pct in status["green_pct"].items():
        if pct < 50:
            profiles[int(code)].flags.append(Flag("green_below_half", {"green_pct": float(pct), "green": int(status.loc[code, "green"]), "communes": int(status.loc[code, "communes"])}))


def province_profiles(tables: dict[str, pd.DataFrame], report_date: str, thresholds: dict | None = None) -> dict[int, Profile]:
    """The profile of each of the provinces in the ``provinces`` table on ``report_date``.

    ``tables`` maps the names of :data:`PROFILE_TABLES` to frames."""
    reports = tables["reports"]
    kinds = tuple(sorted(set(reports.loc[reports["report_date"] == report_date, "kind"])))
    codes = [int(c) for c in tables["provinces"]["province_code"]]
    profiles = {code: Profile(code, report_date, kinds) for code in codes}
    if "daily_readiness" in kinds:
        _daily(profiles, tables, report_date, previous_of_kind(reports, "daily_readiness", report_date))
    if "plan02" in kinds:
        _plan02(profiles, tables, report_date, previous_of_kind(reports, "plan02", report_date), dict(thresholds or {}))
    obstacles = _on(tables["obstacles"], report_date)
    for code, kind, text in zip(obstacles["province_code"], obstacles["kind"], obstacles["text"]):
        entry = (kind, text)
        if entry not in profiles[int(code)].obstacles:  # the daily reports repeat a paragraph per task
            profiles[int(code)].obstacles.append(entry)
    vendors = tables["vendors"]
    for code, system, vendor in zip(vendors["province_code"], vendors["system"], vendors["vendor"]):
        profiles[int(code)].vendors.append((system, vendor))
    directives = tables["directives"].dropna(subset=["province_code"])
    notice_dates = dates_of_kind(reports, "directives_notice")
    if notice_dates and notice_dates[0] <= report_date:  # directives a province has received by this date
        for code, text, deadline in zip(directives["province_code"], directives["directive"], directives["deadline"]):
            profiles[int(code)].directives.append((text, deadline if isinstance(deadline, str) else None))
    return profiles


PROFILE_TABLES = ("reports", "provinces", "task_status", "task_progress", "commune_status", "commune_readiness", "dossiers", "obstacles", "vendors", "directives", "plan02_tasks")
