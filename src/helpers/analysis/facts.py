"""The facts of one reporting date: every figure a briefing shows, computed once, from the tables.

:class:`DateFacts` is built from the validated tables and the date's params
(thresholds, comparison dates). Each figure is computed here and nowhere else, on
first use (a date without plan-02 data never computes an online rate); the report
words and lays them out, and the machine-readable summary (``summary.json``, the
index's headline figures) is taken from the same values. Facts are computed from
``data/processed`` only, never read back from an earlier run's outputs, so a
briefing does not depend on which dates were built before it or in what order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import pandas as pd

from helpers.analysis import communes, ready_but_low, standing, tasks, themes, trends, uptake, vendors
from helpers.tables import BRIEFING_KINDS

if TYPE_CHECKING:
    from helpers.analysis.profiles import Profile

DAILY = "daily_readiness"
PLAN02 = "plan02"
DIRECTIVES = "directives_notice"
VENDORS = "vendor_summary"

# Raw files extracted by OCR carry this in their name (data/raw/README.md states the naming rule).
OCR_MARK = "_ocr"

# The figures "changes since the previous briefing" compares, in the order it lists them.
COMPARABLE = (
    "tasks_complete",
    "task_province_done",
    "task_province_done_pct",
    "provinces_with_open_tasks",
    "communes_green",
    "communes_green_pct",
    "online_rate_national_all_pct",
    "dossiers_total",
)


@dataclass(frozen=True)
class Thresholds:
    """The cut-offs of the rules; ``params/defaults.yaml`` documents each."""

    readiness_index_min: float = 80.0
    green_pct_min: float = 90.0
    online_rate_min_pct: float | None = None  # None: the national cumulative rate of the date
    volume_index_low: float = 0.5
    small_group_n: int = 3

    @classmethod
    def of(cls, values: dict | None) -> "Thresholds":
        """From the params' mapping; a key it leaves out keeps its default."""
        known = {k: v for k, v in (values or {}).items() if k in cls.__dataclass_fields__}
        return cls(**known)


@dataclass(frozen=True)
class ProvinceObstacles:
    """What a flagged province reported as obstacles (plan-02 appendices 6, 17 and 24)."""

    count: int  # obstacle texts
    top_themes: list[tuple[str, int, float]]  # (theme, texts, communes), most communes first
    examples: pd.DataFrame  # the three texts reported by the most communes


class DateFacts:
    """The facts of ``report_date``. ``load`` returns a table by name (see :mod:`helpers.tables`)."""

    def __init__(
        self,
        report_date: str,
        load: Callable[[str], pd.DataFrame],
        thresholds: dict | None = None,
        comparison_dates: Sequence[str] = (),
    ):
        self.report_date = str(report_date)
        self.thresholds = Thresholds.of(thresholds)
        self.comparison_dates = tuple(sorted({str(d)[:10] for d in comparison_dates}))
        self._load = load
        self._tables: dict[str, pd.DataFrame] = {}

    def on(self, date: str) -> "DateFacts":
        """The facts of another date from the same tables and thresholds (its own comparisons by default)."""
        other = DateFacts(date, self._load, asdict(self.thresholds))
        other._tables = self._tables
        return other

    # ---- tables ------------------------------------------------------------------------
    def table(self, name: str) -> pd.DataFrame:
        if name not in self._tables:
            self._tables[name] = self._load(name)
        return self._tables[name]

    def has_rows(self, name: str) -> bool:
        """Whether table ``name`` has rows of this date."""
        return bool((self.table(name)["report_date"] == self.report_date).any())

    def today(self, name: str) -> pd.DataFrame:
        frame = self.table(name)
        return frame[frame["report_date"] == self.report_date].reset_index(drop=True)

    @cached_property
    def short_names(self) -> dict[int, str]:
        provinces = self.table("provinces")
        return dict(zip(provinces["province_code"].astype(int), provinces["short_name"]))

    @cached_property
    def full_names(self) -> dict[int, str]:
        provinces = self.table("provinces")
        return dict(zip(provinces["province_code"].astype(int), provinces["province_name"]))

    def short(self, code: int) -> str:
        return self.short_names.get(int(code), str(code))

    # ---- the date's documents ----------------------------------------------------------
    @cached_property
    def reports_today(self) -> pd.DataFrame:
        reports = self.table("reports")
        return reports[reports["report_date"] == self.report_date]

    @cached_property
    def kinds(self) -> set[str]:
        return set(self.reports_today["kind"])

    def has(self, kind: str) -> bool:
        return kind in self.kinds

    @cached_property
    def is_ocr(self) -> bool:
        reports = self.reports_today
        return bool(((reports["kind"] == DAILY) & reports["file"].str.contains(OCR_MARK, regex=False)).any())

    # ---- comparisons -------------------------------------------------------------------
    @cached_property
    def previous_date(self) -> str | None:
        """The briefing "changes since the previous briefing" compares with: the latest of the
        params' ``comparison_dates`` before this date, else the latest earlier date with a
        report of the same kind; None for the first briefing of its kind."""
        given = [d for d in self.comparison_dates if d < self.report_date]
        if given:
            return given[-1]
        reports = self.table("reports")
        mine = self.kinds & set(BRIEFING_KINDS)
        same = reports.loc[reports["kind"].isin(mine) & (reports["report_date"] < self.report_date), "report_date"]
        return max(same) if len(same) else None

    def previous_of_kind(self, kind: str) -> str | None:
        """The latest earlier date with a report of ``kind`` (what a change "since the previous
        report of the same kind" compares with); None for the first of its kind."""
        reports = self.table("reports")
        earlier = reports.loc[(reports["kind"] == kind) & (reports["report_date"] < self.report_date), "report_date"].dropna()
        return max(earlier) if len(earlier) else None

    @cached_property
    def previous(self) -> "DateFacts | None":
        return self.on(self.previous_date) if self.previous_date else None

    @cached_property
    def changes(self) -> pd.DataFrame:
        """``name, before, after, change`` of the figures both dates have (empty without a previous date)."""
        if self.previous is None:
            return trends.changes_since({}, {})
        return trends.changes_since(self.previous.comparable, self.comparable)

    @cached_property
    def comparable(self) -> dict[str, float]:
        """The figures of :data:`COMPARABLE` this date has."""
        out: dict[str, float] = {}
        if self.has_rows("task_progress"):
            out["tasks_complete"] = self.overall.tasks_complete
            out["task_province_done"] = self.overall.task_province_done
            out["task_province_done_pct"] = self.task_province_done_pct
            out["provinces_with_open_tasks"] = int(len(self.provinces_open))
        if self.has_rows("commune_status"):
            out["communes_green"] = self.coverage.green
            out["communes_green_pct"] = self.coverage.green_pct
        if self.has_rows("dossiers"):
            out["online_rate_national_all_pct"] = self.national_rate
            out["dossiers_total"] = self.dossiers_total
        return {name: out[name] for name in COMPARABLE if name in out}

    # ---- tasks (daily readiness reports) -------------------------------------------------
    @cached_property
    def overall(self) -> tasks.CompletionSummary:
        return tasks.overall_completion(self.table("task_progress"), self.report_date)

    @cached_property
    def task_province_done_pct(self) -> float:
        return 100 * self.overall.task_province_done / self.overall.task_province_total

    @cached_property
    def open_by_province(self) -> pd.DataFrame:
        return tasks.open_tasks_by_province(self.table("task_status"), self.report_date, self.table("provinces"))

    @cached_property
    def provinces_open(self) -> pd.DataFrame:
        """Provinces with at least one open task, most first."""
        return self.open_by_province[self.open_by_province["open_tasks"] > 0]

    @cached_property
    def overdue(self) -> pd.DataFrame:
        """Overdue task × province pairs; 'trước ngày X' leaves X − 1 as the last day (issue 13)."""
        from helpers.analysis.corrections import overdue_as_stated

        return overdue_as_stated(self.table("task_progress"), self.table("task_status"), self.table("deadline_terms"), self.report_date)

    @cached_property
    def due_today(self) -> pd.DataFrame:
        """Task × province pairs due on the report date and not done (not yet overdue)."""
        from helpers.analysis.corrections import overdue_as_stated

        due = overdue_as_stated(self.table("task_progress"), self.table("task_status"), self.table("deadline_terms"), self.report_date, include_due_today=True)
        overdue = self.overdue.set_index(["task_id", "province_code"]).index
        return due[~due.set_index(["task_id", "province_code"]).index.isin(overdue)]

    @cached_property
    def clean_task_titles(self) -> dict[str, tuple[str, str]]:
        """task_id -> (title, date) from the latest report that is not an OCR extract.

        The 27/6 extract is OCR-damaged ('Hg ting DC/cloud'); the same task ids carry
        clean titles on 30/6. The briefing says where each title comes from.
        """
        reports = self.table("reports")
        ocr_dates = set(reports.loc[reports["file"].str.contains(OCR_MARK, regex=False) & (reports["kind"] == DAILY), "report_date"])
        progress = self.table("task_progress")
        clean = progress[~progress["report_date"].isin(ocr_dates)].sort_values("report_date")
        return {r["task_id"]: (r["task"], r["report_date"]) for r in clean.to_dict("records")}

    @cached_property
    def clean_titles_date(self) -> str | None:
        """The clean report this OCR date's task titles come from (None when they are its own)."""
        dates = sorted({d for _, d in self.clean_task_titles.values()})
        return dates[-1] if self.is_ocr and dates else None

    @cached_property
    def clean_section_titles(self) -> dict[str, str]:
        """section id ('I') -> the section's title in the latest clean report."""
        progress = self.table("task_progress")
        clean_dates = {d for _, d in self.clean_task_titles.values()}
        clean = progress[progress["report_date"].isin(clean_dates)].sort_values("report_date")
        return {tasks.section_id(t): sec for t, sec in zip(clean["task_id"], clean["section"])}

    def task_title(self, task_id: str, fallback: str) -> str:
        return self.clean_task_titles.get(task_id, (fallback, None))[0]

    @cached_property
    def task_table(self) -> pd.DataFrame:
        """Each task on the date: completion, the deadline known then (and the report that
        stated it), a clean title and the short names of the provinces not done."""
        progress, status = self.table("task_progress"), self.table("task_status")
        completion = tasks.task_completion(progress, self.report_date)
        # A deadline stated in an earlier report still holds when this one does not repeat it.
        deadlines = tasks.effective_deadlines(progress, self.report_date).set_index("task_id")
        open_today = status[(status["report_date"] == self.report_date) & ~status["done"].astype(bool)]
        not_done = open_today.groupby("task_id")["province_code"].agg(lambda codes: tuple(sorted(self.short(c) for c in codes)))
        return completion.assign(
            title=[self.task_title(t, title) for t, title in zip(completion["task_id"], completion["task"])],
            deadline=completion["task_id"].map(deadlines["deadline"]),
            deadline_stated_on=completion["task_id"].map(deadlines["deadline_stated_on"]),
            not_done_provinces=[not_done.get(t, ()) for t in completion["task_id"]],
        )

    @cached_property
    def previous_task_count(self) -> tuple[str, int, bool] | None:
        """(date, task × province pairs done, reconstructed?) of the day the lead compares with:
        the comparison date when it has a daily report, else the day before reconstructed
        from the report's stated increases; None when neither exists."""
        progress = self.table("task_progress")
        previous = self.previous_date
        if previous is not None and (progress["report_date"] == previous).any():
            return previous, tasks.overall_completion(progress, previous).task_province_done, False
        before = tasks.previous_day(progress, self.report_date)
        if not before.any_stated:
            return None
        return before.previous_date, int(before.counts["previous_done_count"].sum()), True

    @cached_property
    def task_trend(self) -> pd.DataFrame:
        """Done count of every task on every daily report up to this date (and reconstructed days), clean titles."""
        progress = self.table("task_progress")
        trend = trends.task_trend(progress[progress["report_date"] <= self.report_date])
        return trend.assign(
            task=[self.task_title(t, title) for t, title in zip(trend["task_id"], trend["task"])],
            section=[self.clean_section_titles.get(sid, sec) for sid, sec in zip(trend["section_id"], trend["section"])],
        )

    @cached_property
    def done_by_date(self) -> dict[str, int]:
        by_date = self.task_trend.pivot_table(index="date", values="done_count", aggfunc="sum")["done_count"]
        return {d: int(by_date[d]) for d in sorted(self.task_trend["date"].unique())}

    @cached_property
    def reconstructed_dates(self) -> list[str]:
        return sorted(self.task_trend.loc[self.task_trend["reconstructed"], "date"].unique())

    @cached_property
    def open_tasks_over_dates(self) -> pd.DataFrame:
        """Provinces with an open task on some date: open tasks per daily report date (wide), latest dates first in the order."""
        status = self.table("task_status")
        trend = trends.open_tasks_trend(status[status["report_date"] <= self.report_date], self.table("provinces"))
        if trend["report_date"].nunique() <= 1:
            return pd.DataFrame()
        wide = trend.pivot_table(index=["province_code", "short_name"], columns="report_date", values="open_tasks").reset_index()
        dates = self.open_tasks_dates(wide)
        return wide[(wide[dates] > 0).any(axis=1)].sort_values(dates[::-1], ascending=False)

    @staticmethod
    def open_tasks_dates(wide: pd.DataFrame) -> list[str]:
        """The date columns of :attr:`open_tasks_over_dates`."""
        return [c for c in wide.columns if isinstance(c, str) and c[:2] == "20"]

    @cached_property
    def reopened(self) -> pd.DataFrame:
        """Tasks done on one report and not done on the next, up to this date."""
        status = self.table("task_status")
        return trends.reopened_tasks(status[status["report_date"] <= self.report_date])

    @cached_property
    def reopened_today(self) -> pd.DataFrame:
        return self.reopened[self.reopened["not_done_on"] == self.report_date]

    # ---- directives and vendors in force (helpers.analysis.standing) ------------------------
    def notice_rows(self, name: str) -> pd.DataFrame:
        """Table ``name`` (``directives``, ``directive_items``); with no notice in the data (so
        no such table), no rows."""
        reports = self.table("reports")
        if (reports["kind"] == DIRECTIVES).any():
            return self.table(name)
        from helpers.ingest.schemas import TABLES

        return pd.DataFrame(columns=TABLES[name].columns)

    @cached_property
    def directives_in_force(self) -> pd.DataFrame:
        """Rows of ``directives`` (one per directive and named province) of the notices dated on
        or before this date, a directive repeated by a later notice from the later one."""
        return standing.directives_in_force(self.notice_rows("directives"), self.report_date)

    @cached_property
    def directives(self) -> pd.DataFrame:
        """The directives the briefing lists (``directive_items`` in force): every directive of a
        notice of this date, and those of earlier notices whose deadline is not yet past; only
        those with a deadline or naming provinces. Empty before the first notice."""
        items = standing.directives_in_force(self.notice_rows("directive_items"), self.report_date)
        running = (items["notice_date"] == self.report_date) | (items["deadline"].notna() & (items["deadline"] >= self.report_date))
        items = items[running]
        return items[items["deadline"].notna() | items["provinces_listed"].notna()]

    @cached_property
    def vendors(self) -> pd.DataFrame:
        """Rows of ``vendors`` of the summary in force: the latest dated on or before this date,
        else the undated one."""
        return standing.vendors_in_force(self.table("vendors"), self.report_date)

    @cached_property
    def vendor_summary_date(self) -> str | None:
        """The printed date of the vendor summary in force (None: the undated one)."""
        return standing.summary_in_force(self.table("vendors")["summary_date"], self.report_date)

    @cached_property
    def vendor_summary_file(self) -> str | None:
        """The raw file of the vendor summary in force (None without any summary)."""
        reports = self.table("reports")
        summaries = reports[reports["kind"] == VENDORS]
        date = self.vendor_summary_date
        mine = summaries[summaries["report_date"].isna()] if date is None else summaries[summaries["report_date"] == date]
        return str(mine["file"].iloc[0]) if len(mine) else None

    # ---- communes (plan-02 appendices 4, 5, 9–12, 21) --------------------------------------
    @cached_property
    def coverage(self) -> communes.CommuneCoverage:
        return communes.commune_coverage(self.today("commune_status"))

    @cached_property
    def provinces_all_green(self) -> int:
        return int((self.coverage.by_province["green_pct"] >= 100).sum())

    @cached_property
    def lowest_green(self) -> pd.DataFrame:
        """The five provinces with the lowest share of GREEN communes."""
        return self.coverage.by_province.sort_values("green_pct").head(5)

    @cached_property
    def readiness(self) -> pd.DataFrame:
        return communes.readiness_table(self.today("commune_status"), self.today("commune_readiness"))

    @cached_property
    def indicators(self) -> pd.DataFrame:
        """Appendix 5: province × indicator, % of communes meeting it."""
        return communes.indicators_wide(self.today("commune_readiness"))

    @cached_property
    def blocs(self) -> pd.DataFrame:
        """Appendix 21: completion of the four blocs per province, lowest mean first; a 0% of a
        province absent from the bloc's obstacle appendix is a non-report (empty), and the mean
        is only given where all four blocs reported (issue 13)."""
        from helpers.analysis.corrections import bloc_completion_wide_reported

        return bloc_completion_wide_reported(self.today("bloc_completion"), self.today("obstacles")).sort_values("mean", na_position="last")

    @cached_property
    def lowest_listings(self) -> pd.DataFrame:
        """The ten provinces most often among the lowest of a criterion (appendices 9–12)."""
        return communes.ten_lowest_counts(self.today("bloc_criteria")).head(10)

    # ---- online uptake (plan-02 appendix 8) ----------------------------------------------
    @cached_property
    def rates(self) -> uptake.OnlineRates:
        return uptake.online_rates(self.today("dossiers"))

    @cached_property
    def national(self) -> pd.DataFrame:
        """The national cumulative rates, indexed by scope."""
        return self.rates.national.set_index("scope")

    @cached_property
    def national_rate(self) -> float:
        return float(self.rates.national_rate("all"))

    @cached_property
    def dossiers_total(self) -> int:
        return int(self.national.loc["all", "total"])

    @cached_property
    def rates_all(self) -> pd.DataFrame:
        return self.rates.for_scope("all")

    @cached_property
    def rate_quartiles(self) -> tuple[float, float]:
        q1, q3 = self.rates_all["online_rate_pct"].quantile([0.25, 0.75])
        return float(q1), float(q3)

    @cached_property
    def provinces_below_national(self) -> int:
        return int((self.rates_all["online_rate_pct"] < self.national_rate).sum())

    @cached_property
    def volume(self) -> uptake.VolumeIndex:
        return uptake.volume_index(self.today("dossiers"))

    @cached_property
    def uptake_table(self) -> pd.DataFrame:
        """Per province: cumulative rates (all, province, commune level), their gap, the day's
        rate and volume against June; lowest cumulative rate first."""
        dossiers = self.today("dossiers")
        frame = self.rates_all[["province_code", "online_rate_pct"]].rename(columns={"online_rate_pct": "rate_all"})
        by = self.rates.by_province
        for scope in ("province", "commune"):
            part = by[by["scope"] == scope][["province_code", "online_rate_pct"]].rename(columns={"online_rate_pct": f"rate_{scope}"})
            frame = frame.merge(part, on="province_code", how="left")
        frame = frame.merge(uptake.level_gaps(dossiers)[["province_code", "gap_pts"]], on="province_code", how="left")
        day = uptake.day_vs_cumulative(dossiers)
        day_all = day[day["day_scope"] == day["cumulative_scope"]]
        # Table I (scope "all") already contains table II's commune dossiers: compare like with like.
        day_rates = day_all[day_all["day_scope"] == "all"][["province_code", "day_rate_pct"]].rename(columns={"day_rate_pct": "day_rate"})
        frame = frame.merge(day_rates, on="province_code", how="left")
        frame = frame.merge(self.volume.by_province[["province_code", "day_total", "june_daily_avg", "volume_index"]], on="province_code", how="left")
        return frame.sort_values("rate_all").reset_index(drop=True)

    @cached_property
    def rate_of(self) -> dict[tuple[int, str], float]:
        """(province code, scope) -> cumulative online rate."""
        by = self.rates.by_province
        out: dict[tuple[int, str], float] = {}
        for code, scope, rate in zip(by["province_code"], by["scope"], by["online_rate_pct"]):
            out.setdefault((code, scope), float(rate))
        return out

    # ---- ready but low ---------------------------------------------------------------------
    @cached_property
    def online_threshold(self) -> float:
        value = self.thresholds.online_rate_min_pct
        return self.national_rate if value is None else float(value)

    @cached_property
    def ready_but_low(self) -> ready_but_low.ReadyButLowResult:
        return ready_but_low.flag_ready_but_low(
            self.readiness,
            self.rates_all,
            readiness_min=float(self.thresholds.readiness_index_min),
            green_pct_min=float(self.thresholds.green_pct_min),
            online_rate_min=self.online_threshold,
        )

    @cached_property
    def flagged(self) -> pd.DataFrame:
        """The ready-but-low provinces, most below their predicted rate first."""
        table = self.ready_but_low.table
        return table[table["flagged"]].sort_values("residual_rank")

    @cached_property
    def ready_but_low_records(self) -> list[dict[str, Any]]:
        """:attr:`flagged` as ``summary.json``'s ``ready_but_low`` (rounded figures)."""
        return [
            {
                "province_code": int(r["province_code"]),
                "province_name": self.full_names.get(int(r["province_code"]), ""),
                "readiness": round(float(r["readiness_index"]), 2),
                "green_pct": round(float(r["green_pct"]), 2),
                "online_rate_pct": round(float(r["online_rate_pct"]), 2),
                "predicted_rate_pct": round(float(r["predicted_rate_pct"]), 2),
                "shortfall_pts": round(float(-r["residual_pts"]), 2),
            }
            for r in self.flagged.to_dict("records")
        ]

    @cached_property
    def tthc_vendor(self) -> dict[int, str]:
        vendors_ = self.vendors
        tthc = vendors_[vendors_["system"] == "tthc"]
        return dict(zip(tthc["province_code"], tthc["vendor"]))

    def obstacles_of(self, code: int) -> ProvinceObstacles | None:
        """The obstacles ``code`` reported (None when it reported none in appendices 6, 17, 24)."""
        reported = themes.obstacle_themes_for(self.today("obstacles"), code)
        if reported.empty:
            return None
        obstacles = reported[reported["kind"] == "obstacle"]
        examples = obstacles.sort_values("communes_affected", ascending=False, na_position="last").head(3)
        return ProvinceObstacles(count=int(len(obstacles)), top_themes=_top_themes(obstacles), examples=examples)

    # ---- trends of the plan-02 reports -------------------------------------------------------
    @cached_property
    def day_on_day(self) -> trends.DayOnDay:
        return trends.green_day_on_day(self.today("commune_status"), self.today("report_figures"), self.report_date)

    @cached_property
    def laggards(self) -> trends.LaggardsComparison | None:
        """Where the provinces that lagged on the earliest daily report compared with stand
        now: among the comparison dates when given, else among all earlier daily reports."""
        status = self.table("task_status")
        earlier = status[status["report_date"] < self.report_date]
        if self.comparison_dates and earlier["report_date"].isin(self.comparison_dates).any():
            earlier = earlier[earlier["report_date"].isin(self.comparison_dates)]
        if earlier.empty:
            return None
        return trends.earlier_laggards_now(earlier, self.today("commune_status"), readiness_index=self.readiness, online_rates=self.rates_all)

    # ---- vendors ---------------------------------------------------------------------------
    @cached_property
    def vendor_lens(self) -> pd.DataFrame:
        return vendors.vendor_lens(self.vendors, self.readiness, self.rates_all, small_group_n=int(self.thresholds.small_group_n))

    # ---- claims ledger -----------------------------------------------------------------------
    @cached_property
    def claims(self) -> list[dict]:
        """Every number this date's reports state in their body, re-derived from the tables:
        ``text, source, stated, derived, status`` (see :mod:`helpers.analysis.claims`)."""
        from helpers.analysis.claims import claims_for_date

        return claims_for_date(_TableView(self), self.report_date, self.standing_files)

    # ---- data quality ------------------------------------------------------------------------
    @cached_property
    def standing_files(self) -> set[str]:
        """The documents of other dates this date's briefing uses throughout: the vendor
        summary in force, and any other undated document. (The directives notices of earlier
        days are used by the province pages only, and their findings stay with their day.)"""
        reports = self.table("reports")
        undated = reports.loc[reports["report_date"].isna() & (reports["kind"] != VENDORS), "file"]
        return set(undated) | ({self.vendor_summary_file} if self.vendor_summary_file else set())

    @cached_property
    def findings(self) -> pd.DataFrame:
        """Data-quality findings of the documents this date's briefing uses: its reports and
        :attr:`standing_files`, plus any dated this day."""
        dq = self.table("data_quality")
        used = set(self.reports_today["file"]) | self.standing_files
        return dq[source_file(dq["source"]).isin(used) | (dq["report_date"] == self.report_date)]

    @cached_property
    def findings_elsewhere(self) -> tuple[int, int]:
        """(findings, source files) about the documents of other dates."""
        others = self.table("data_quality").drop(index=self.findings.index)
        return len(others), int(source_file(others["source"]).nunique())

    @cached_property
    def findings_grouped(self) -> pd.DataFrame:
        """The findings by document, check and severity (errors first): ``file, check, severity, n, parts``."""
        found = self.findings
        grouped = (
            found.assign(file=source_file(found["source"]))
            .groupby(["file", "check", "severity"], as_index=False)
            .agg(n=("detail", "size"), parts=("source", lambda s: ", ".join(sorted({x.split(" ", 1)[1] for x in s if " " in x}))))
        )
        order = {"error": 0, "warning": 1, "info": 2}
        return grouped.assign(_o=grouped["severity"].map(order)).sort_values(["_o", "file", "check"]).drop(columns="_o")

    @cached_property
    def finding_counts(self) -> dict[str, int]:
        """Of :attr:`findings`, contradictions in the sources (warnings, errors) apart from notes (info)."""
        from helpers.analysis.corrections import finding_counts

        return finding_counts(self.findings)

    @cached_property
    def silent_before(self) -> pd.DataFrame:
        """Provinces with every task open on the previous report and every task done on this one:
        more likely a report not sent than real progress (issue 13)."""
        from helpers.analysis.corrections import all_open_then_all_done

        status = self.table("task_status")
        found = all_open_then_all_done(status[status["report_date"] <= self.report_date])
        return found[found["next_date"] == self.report_date]

    # ---- every province (the front page, the province pages) ------------------------------------
    @cached_property
    def profiles(self) -> dict[int, "Profile"]:
        """Province code -> its :class:`~helpers.analysis.profiles.Profile` on this date."""
        from helpers.analysis.profiles import province_profiles

        return province_profiles(self)

    # ---- one province (the analyst drill-down) -------------------------------------------------
    @cached_property
    def default_province(self) -> tuple[int, str]:
        """(code, why) of the province a drill-down shows when none is asked for: the one most
        below its predicted online rate (``"ready_but_low"``), else the one with the most
        open tasks (``"open_tasks"``)."""
        if self.has(PLAN02):
            return int(self.ready_but_low.table["province_code"].iloc[0]), "ready_but_low"
        return int(self.open_by_province["province_code"].iloc[0]), "open_tasks"

    def province_task_history(self, code: int) -> tuple[pd.DataFrame, list[str]] | None:
        """The province's tasks not done on at least one daily report up to this date
        (``task_id``, ``task``, one 0/1 ``done`` column per report date) and those dates;
        None without a daily report."""
        status = self.table("task_status")
        mine = status[(status["province_code"] == code) & (status["report_date"] <= self.report_date)]
        if mine.empty:
            return None
        progress = self.table("task_progress")
        titles = dict(zip(progress["task_id"], progress["task"]))
        titles.update({k: v for k, (v, _) in self.clean_task_titles.items()})
        pivot = mine.pivot_table(index="task_id", columns="report_date", values="done", aggfunc="max").reset_index()
        pivot.columns.name = None
        dates = [c for c in pivot.columns if c != "task_id"]
        open_any = pivot[(pivot[dates] == 0).any(axis=1)].copy()
        open_any["task"] = open_any["task_id"].map(titles)
        return open_any.sort_values("task_id", key=lambda s: s.map(tasks.task_sort_key)), dates

    def province_indicators(self, code: int) -> pd.DataFrame | None:
        """The province's appendix-5 indicators against the median and minimum of all provinces."""
        if not self.has(PLAN02):
            return None
        wide = self.indicators
        titles = self.today("commune_readiness").drop_duplicates("indicator_id").set_index("indicator_id")["indicator"]
        out = pd.DataFrame(
            {
                "indicator_id": wide.columns,
                "indicator": [titles.get(c, c) for c in wide.columns],
                "province": wide.loc[code].values,
                "median": wide.median().values,
                "min": wide.min().values,
            }
        )
        out["gap"] = out["province"] - out["median"]
        return out

    def province_dossiers(self, code: int) -> pd.DataFrame | None:
        """The province's rows of appendix 8 (each period and level)."""
        if not self.has(PLAN02):
            return None
        dossiers = self.today("dossiers")
        return dossiers[dossiers["province_code"] == code]

    def province_obstacles(self, code: int) -> pd.DataFrame:
        """Every obstacle and proposal the province reported on this date, with its themes."""
        obstacles = self.today("obstacles")
        mine = obstacles[obstacles["province_code"] == code]
        return mine.assign(themes=[", ".join(themes.themes_of(x)) for x in mine["text"]])

    def province_vendors(self, code: int) -> pd.DataFrame:
        vendors_ = self.vendors
        return vendors_[vendors_["province_code"] == code]

    # ---- the machine-readable summary ----------------------------------------------------------
    @cached_property
    def metrics(self) -> dict[str, Any]:
        """The named figures of ``summary.json`` (tests assert them against the reports)."""
        out: dict[str, Any] = {}
        if self.has(DAILY):
            overall = self.overall
            out.update(
                tasks=overall.tasks,
                tasks_complete=overall.tasks_complete,
                task_province_done=overall.task_province_done,
                task_province_total=overall.task_province_total,
                task_province_done_pct=self.task_province_done_pct,
                provinces_with_open_tasks=int(len(self.provinces_open)),
                overdue_task_provinces=int(len(self.overdue)),
                due_today_task_provinces=int(len(self.due_today)),
                june_done_by_date=self.done_by_date,
            )
            if not self.reopened.empty:
                out["reopened_task_provinces"] = int(len(self.reopened))
        if self.has(PLAN02):
            cov = self.coverage
            out.update(
                communes=cov.communes,
                communes_green=cov.green,
                communes_yellow=cov.yellow,
                communes_red=cov.red,
                communes_green_pct=cov.green_pct,
                provinces_all_green=self.provinces_all_green,
                readiness_index_median=float(self.readiness["readiness_index"].median()),
                bloc_completion_mean_median=float(self.blocs["mean"].median()),
            )
            for scope in ("all", "province", "commune"):
                out[f"online_rate_national_{scope}_pct"] = float(self.national.loc[scope, "online_rate_pct"])
            vol = self.volume
            out.update(
                dossiers_total=self.dossiers_total,
                provinces_below_national_rate=self.provinces_below_national,
                day_dossiers_total=vol.day_total,
                june_daily_avg_total=vol.june_daily_avg,
                volume_index_national=vol.national_index,
            )
            res = self.ready_but_low
            out.update(
                ready_but_low_count=len(self.ready_but_low_records),
                spearman_rho=float(res.rho),
                spearman_p=float(res.p_value),
                ready_but_low_threshold_online_pct=float(res.online_rate_min),
            )
            body = self.day_on_day.body_series
            if len(body) >= 2:
                out["communes_all_basic_conditions"] = int(body.iloc[-1]["value"])
                out["communes_all_basic_conditions_previous"] = int(body.iloc[-2]["value"])
            out["vendor_groups"] = int(len(self.vendor_lens))
        if not self.findings.empty:
            out["data_quality_findings"] = int(len(self.findings))
        return {name: _summary_value(value) for name, value in out.items()}


def _summary_value(value):
    return None if value is None else (round(float(value), 4) if isinstance(value, float) else value)


def source_file(sources: pd.Series) -> pd.Series:
    """The raw file a finding is about: ``source`` is '<file> <part>' (see ingest)."""
    return sources.str.split(" ").str[0]


def _top_themes(obstacles: pd.DataFrame) -> list[tuple[str, int, float]]:
    """(theme, texts, communes) of a province's obstacle texts, most communes first, then
    most texts, then the theme's name; without 'none'. What
    ``explode('themes').groupby('themes').agg(size, sum).sort_values([communes, texts],
    ascending=False)`` gave (its sort keeps ties in the groups' order), without building
    four frames for each province."""
    texts: dict[str, int] = {}
    communes_: dict[str, float] = {}
    for joined, affected in zip(obstacles["themes"], obstacles["communes_affected"]):
        for theme in joined.split(", "):
            texts[theme] = texts.get(theme, 0) + 1
            communes_[theme] = communes_.get(theme, 0) + (0 if pd.isna(affected) else affected)
    ordered = sorted(sorted(texts), key=lambda t: (-communes_[t], -texts[t]))
    return [(t, texts[t], communes_[t]) for t in ordered if t != "none"]


class _TableView:
    """``tables[name]`` over a DateFacts' tables, for analyses that take a mapping."""

    def __init__(self, facts: DateFacts):
        self._facts = facts

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self._facts.table(name)
