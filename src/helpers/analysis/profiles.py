"""One profile per province and reporting date, from the date's facts.

A province page (``outputs/<date>/provinces/<code>.html``) and the briefing's front
page show each province's figures with their rank among the 34 and their change
since the previous report of the same kind, what flags it and why, its open tasks,
the obstacles it reported, who deploys its key systems and the directives that name
it. The figures are :class:`~helpers.analysis.facts.DateFacts`' (GREEN shares,
online rates, the ready-but-low rule, open tasks), never computed again here; this
module only gathers them per province. Numbers, codes and the reports' own text
only: the wording is :mod:`helpers.report.wording`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import pandas as pd

from helpers.analysis.facts import DAILY, PLAN02, VENDORS, DateFacts

# Below this share of GREEN communes a province is flagged (half its communes).
GREEN_BELOW = 50.0
# A province with this many open readiness tasks or more needs a decision.
MANY_OPEN_TASKS = 3


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

    def figure(self, key: str) -> Figure | None:
        return next((f for f in self.figures if f.key == key), None)

    def has_flag(self, *keys: str) -> bool:
        return any(f.key in keys for f in self.flags)

    def current_directives(self) -> list[tuple[str, str]]:
        """(deadline, directive) of the directives naming the province whose deadline is still ahead."""
        return sorted((d, t) for t, d in self.directives if d and d >= self.report_date)

    @property
    def needs_direction(self) -> bool:
        """A problem of its own: flagged by a plan-02 rule of the briefing, or many tasks still open
        (a directive still running is listed once with every province it names, not per province)."""
        return self.has_flag("ready_but_low", "green_below_half") or len(self.open_tasks) >= MANY_OPEN_TASKS


def _ranked(values: pd.Series) -> pd.Series:
    """Rank 1 = highest; ties share the best rank."""
    return values.rank(ascending=False, method="min").astype(int)


def _add_figures(profiles: dict[int, Profile], key: str, now: pd.Series, before: pd.Series | None, previous: str | None) -> None:
    now = now.dropna()
    ranks = _ranked(now)
    for code, value in now.items():
        change = None
        if before is not None and code in before.index and pd.notna(before[code]):
            change = float(value - before[code])
        profiles[int(code)].figures.append(Figure(key, float(value), True, int(ranks[code]), len(now), change, previous if change is not None else None))


def task_done_pct(f: DateFacts) -> pd.Series:
    """Per province: share (%) of its readiness tasks done on the date (daily readiness)."""
    return 100.0 - f.open_by_province.set_index("province_code")["open_pct"]


def green_pct(f: DateFacts) -> pd.Series:
    return f.coverage.by_province.set_index("province_code")["green_pct"]


def online_rate_pct(f: DateFacts) -> pd.Series:
    return f.rates_all.set_index("province_code")["online_rate_pct"]


def _daily(profiles: dict[int, Profile], f: DateFacts) -> None:
    previous = f.previous_of_kind(DAILY)
    before = f.on(previous) if previous else None
    _add_figures(profiles, "task_done_pct", task_done_pct(f), task_done_pct(before) if before else None, previous)
    tasks = f.task_table.set_index("task_id")
    status = f.today("task_status")
    open_rows = status[~status["done"].astype(bool)]
    for code, task_id in zip(open_rows["province_code"], open_rows["task_id"]):
        known = task_id in tasks.index
        title = tasks.at[task_id, "title"] if known else task_id
        deadline = tasks.at[task_id, "deadline"] if known else None
        profiles[int(code)].open_tasks.append((task_id, title, deadline if isinstance(deadline, str) else None))
    for row in f.open_by_province.itertuples():
        if row.open_tasks:
            profiles[int(row.province_code)].flags.append(Flag("open_tasks", {"open": int(row.open_tasks), "tasks": int(row.tasks_in_scope)}))


def _plan02(profiles: dict[int, Profile], f: DateFacts) -> None:
    previous = f.previous_of_kind(PLAN02)
    before = f.on(previous) if previous else None
    _add_figures(profiles, "green_pct", green_pct(f), green_pct(before) if before else None, previous)
    online_before = online_rate_pct(before) if before is not None and before.has_rows("dossiers") else None
    _add_figures(profiles, "online_rate_pct", online_rate_pct(f), online_before, previous)
    result = f.ready_but_low
    for row in f.flagged.to_dict("records"):
        profiles[int(row["province_code"])].flags.append(
            Flag(
                "ready_but_low",
                {
                    "readiness": float(row["readiness_index"]),
                    "readiness_min": result.readiness_min,
                    "green_pct": float(row["green_pct"]),
                    "green_pct_min": result.green_pct_min,
                    "online_rate": float(row["online_rate_pct"]),
                    "online_rate_min": result.online_rate_min,
                },
            )
        )
    for row in f.coverage.by_province.to_dict("records"):
        if row["green_pct"] < GREEN_BELOW:
            profiles[int(row["province_code"])].flags.append(Flag("green_below_half", {"green_pct": float(row["green_pct"]), "green": int(row["green"]), "communes": int(row["communes"])}))
    named = f.today("plan02_tasks").dropna(subset=["province_code"])
    for code, task, deadline, appendix in zip(named["province_code"], named["task"], named["deadline"], named["appendix"]):
        # appendix 2 lists overdue tasks, 3 those due soon (plan-02 report)
        profiles[int(code)].assigned.append((task, deadline if isinstance(deadline, str) else None, int(appendix) == 2))


def province_profiles(f: DateFacts) -> dict[int, Profile]:
    """The profile of each province of the ``provinces`` table on ``f.report_date``
    (use :attr:`DateFacts.profiles <helpers.analysis.facts.DateFacts.profiles>`: computed once)."""
    # the documents of the date, without a vendor summary dated that day: a page names the
    # summary in force whenever it shows vendors (whatever its date), so it is not named twice
    kinds = tuple(sorted(f.kinds - {VENDORS}))
    profiles = {code: Profile(code, f.report_date, kinds) for code in sorted(f.short_names)}
    if f.has(DAILY) and f.has_rows("task_status"):
        _daily(profiles, f)
    if f.has(PLAN02) and f.has_rows("commune_status"):
        _plan02(profiles, f)
    obstacles = f.today("obstacles")
    for code, kind, text in zip(obstacles["province_code"], obstacles["kind"], obstacles["text"]):
        entry = (kind, text)
        if code in profiles and entry not in profiles[int(code)].obstacles:  # the daily reports repeat a paragraph per task
            profiles[int(code)].obstacles.append(entry)
    vendors = f.vendors  # the vendor summary in force on the date
    for code, system, vendor in zip(vendors["province_code"], vendors["system"], vendors["vendor"]):
        profiles[int(code)].vendors.append((system, vendor))
    # the directives a province has received by this date (every notice dated on or before it)
    directives = f.directives_in_force.dropna(subset=["province_code"])
    for code, text, deadline in zip(directives["province_code"], directives["directive"], directives["deadline"]):
        profiles[int(code)].directives.append((text, deadline if isinstance(deadline, str) else None))
    return profiles
