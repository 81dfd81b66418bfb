"""The minimum table contract (issue #2), plus the extra tables parsers add.

Conventions: ``province_code`` is the official integer code from vietnam-provinces;
rates are percentages 0–100 as printed in the source; dates are ISO (stored as
strings ``YYYY-MM-DD`` so the CSVs round-trip byte-identically).
"""

from __future__ import annotations

import pandera.pandas as pa
from pandera import Check

from helpers.ingest.schemas.spec import TableSpec, TEXT

ISO_DATE = Check.str_matches(r"^\d{4}-\d{2}-\d{2}$")
PCT = Check.in_range(0, 100)
NONNEG = Check.ge(0)


def _codes() -> list[int]:
    from helpers.ingest.provinces import registry

    return [p.code for p in registry()]


def province_col(nullable: bool = False, description: str = "Official province code (vietnam-provinces)") -> pa.Column:
    return pa.Column(int if not nullable else "Int64", Check.isin(_codes()), nullable=nullable, description=description)


def date_col(description: str, nullable: bool = False) -> pa.Column:
    return pa.Column(TEXT, ISO_DATE, nullable=nullable, description=description)


def text_col(description: str, nullable: bool = False, isin: list[str] | None = None) -> pa.Column:
    checks = [Check.isin(isin)] if isin else []
    if not nullable:
        checks.append(Check.str_length(min_value=1))
    return pa.Column(TEXT, checks, nullable=nullable, description=description)


def count_col(description: str, nullable: bool = False) -> pa.Column:
    return pa.Column("Int64" if nullable else int, NONNEG, nullable=nullable, description=description)


def pct_col(description: str, nullable: bool = False, signed: bool = False) -> pa.Column:
    check = Check.in_range(-100, 100) if signed else PCT
    return pa.Column(float, check, nullable=nullable, description=description)


def _spec(name: str, description: str, columns: dict[str, pa.Column], key=(), sort_by=None) -> TableSpec:
    schema = pa.DataFrameSchema(
        columns,
        name=name,
        strict=True,
        ordered=True,
        unique=list(key) if key else None,
        coerce=False,
    )
    return TableSpec(name=name, description=description, strict=schema, key=tuple(key), sort_by=tuple(sort_by or key))


REPORT_DATE = "Date of the report the row comes from"
NOTICE_DATE = "Date of the directives notice the row comes from (its place-and-date line)"
SUMMARY_DATE = "Printed date of the vendor summary the row comes from; empty for an undated summary"

CORE_TABLES = [
    _spec(
        "provinces",
        "The 34 provinces from the vietnam-provinces registry, with their number of communes/wards.",
        {
            "province_code": province_col(),
            "province_name": text_col("Official name, e.g. 'Thành phố Hồ Chí Minh'"),
            "short_name": text_col("Name without the 'Thành phố' prefix, for tables and plots"),
            "wards": count_col("Communes/wards in the registry (3,321 in all)"),
        },
        key=["province_code"],
    ),
    _spec(
        "reports",
        "One row per ingested raw report: its kind, dates, title and hash.",
        {
            "file": text_col("File name in data/raw"),
            "kind": text_col("Report kind detected from the content", isin=["daily_readiness", "plan02", "vendor_summary", "directives_notice"]),
            "report_date": date_col(REPORT_DATE, nullable=True),
            "as_of": text_col("Time the data refer to, as stated by the document (ISO)", nullable=True),
            "title": text_col("The document's own title"),
            "notice": text_col("Distribution restriction printed by the document (e.g. not for press or social media), verbatim", nullable=True),
            "sha256": text_col("SHA-256 of the raw file"),
        },
        key=["file"],
    ),
    _spec(
        "task_progress",
        "Daily readiness report: one row per task and report date (done count of 34).",
        {
            "report_date": date_col(REPORT_DATE),
            "section": text_col("Section of the report, e.g. 'I- Về hạ tầng, đường truyền, an toàn thông tin'"),
            "task_id": text_col("Stable id from the numbering, e.g. 'I.1', 'III.1.a'"),
            "task": text_col("Task title as printed (the 27/6 OCR extract keeps its damaged diacritics)"),
            "deadline": date_col("Deadline stated for the task", nullable=True),
            "done_count": count_col("Provinces that finished the task"),
            "total": count_col("Provinces in scope (34)"),
            "change_vs_previous_day": pa.Column("Int64", nullable=True, description="Stated increase over the previous day ('tăng K tỉnh'); empty if not stated"),
            "previous_day_done_count": count_col("done_count − change_vs_previous_day; empty if no change stated", nullable=True),
        },
        key=["report_date", "task_id"],
    ),
    _spec(
        "task_status",
        "Daily readiness report: one row per task × province; done is False for provinces listed as not done.",
        {
            "report_date": date_col(REPORT_DATE),
            "task_id": text_col("Task id, see task_progress"),
            "province_code": province_col(),
            "done": pa.Column(bool, description="True unless the province is listed as not done"),
        },
        key=["report_date", "task_id", "province_code"],
    ),
    _spec(
        "commune_status",
        "Plan-02 report, appendix 4: communes GREEN/YELLOW/RED per province.",
        {
            "report_date": date_col(REPORT_DATE),
            "province_code": province_col(),
            "communes": count_col("Communes/wards in the province"),
            "green": count_col("Communes GREEN (XANH)"),
            "yellow": count_col("Communes YELLOW (VÀNG)"),
            "red": count_col("Communes RED (ĐỎ)"),
            "reported": count_col("Communes that reported"),
            "reported_pct": pct_col("Share of communes that reported (%)"),
            "green_pct": pct_col("Share of communes GREEN (%)"),
            "green_pct_change": pct_col("Change in green_pct since the previous day (percentage points)", signed=True),
        },
        key=["report_date", "province_code"],
    ),
    _spec(
        "commune_readiness",
        "Plan-02 report, appendix 5: sixteen commune readiness indicators (% of communes) per province.",
        {
            "report_date": date_col(REPORT_DATE),
            "province_code": province_col(),
            "indicator_id": text_col("Stable id of the indicator, e.g. 'c05'"),
            "indicator": text_col("Indicator as titled in the appendix"),
            "pct": pct_col("Share of the province's communes meeting it (%)"),
        },
        key=["report_date", "province_code", "indicator_id"],
    ),
    _spec(
        "dossiers",
        "Plan-02 report, appendix 8: dossiers on the National Public Service Portal.",
        {
            "report_date": date_col(REPORT_DATE),
            "period_start": date_col("First day covered"),
            "period_end": date_col("Last day covered"),
            "scope": text_col("Level the dossiers were filed at", isin=["province", "commune", "all"]),
            "province_code": province_col(),
            "direct": count_col("Dossiers filed in person (Trực tiếp)"),
            "online": count_col("Dossiers filed online (Trực tuyến)"),
            "returned": count_col("Dossiers returned/settled (Đã trả)", nullable=True),
            "total": count_col("All dossiers (Tổng)"),
            "online_rate_pct": pct_col("online / total (%), as printed"),
            "june_daily_avg": count_col("Average dossiers a day in June 2025; empty where the source has none", nullable=True),
        },
        key=["report_date", "period_start", "period_end", "scope", "province_code"],
    ),
    _spec(
        "bloc_completion",
        "Plan-02 report, appendix 21: phase-2 criteria completion rate of the four provincial-level blocs (party, council, committee, front) per province.",
        {
            "report_date": date_col(REPORT_DATE),
            "province_code": province_col(),
            "bloc": text_col("Bloc", isin=["party", "council", "committee", "front"]),
            "pct": pct_col("Completion rate (%)"),
        },
        key=["report_date", "province_code", "bloc"],
    ),
    _spec(
        "bloc_criteria",
        "Plan-02 report, appendices 9–12: criteria of the four commune blocs and the ten lowest provinces of each.",
        {
            "report_date": date_col(REPORT_DATE),
            "appendix": count_col("Appendix number (9–12)"),
            "bloc": text_col("Bloc", isin=["party", "council", "committee", "front"]),
            "criterion_id": text_col("Stable id of the criterion within the bloc"),
            "criterion": text_col("Criterion as printed"),
            "rank": count_col("Position among the lowest provinces (1 = lowest)"),
            "province_code": province_col(),
            "pct": pct_col("Share of communes meeting the criterion (%)"),
            "communes_met": count_col("Communes meeting it", nullable=True),
            "communes_total": count_col("Communes in the province", nullable=True),
        },
        key=["report_date", "appendix", "criterion_id", "province_code"],
    ),
    _spec(
        "obstacles",
        "Obstacles and proposals per province, as text: daily reports (per task) and plan-02 appendices 6, 13–20, 22–25.",
        {
            "report_date": date_col(REPORT_DATE),
            "source": text_col("Where it was read: 'Phụ lục 6', or the daily report's task id / section"),
            "task_id": text_col("Task id (daily reports), empty otherwise", nullable=True),
            "bloc": text_col("Bloc (plan-02 appendices 13–20), empty otherwise", nullable=True, isin=["party", "council", "committee", "front", "province"]),
            "province_code": province_col(),
            "kind": text_col("obstacle or proposal", isin=["obstacle", "proposal"]),
            "text": text_col("The text as printed, line breaks joined"),
            "communes_affected": count_col("Communes reporting it, where stated", nullable=True),
            "communes_total": count_col("Communes in the province, where stated", nullable=True),
        },
    ),
    _spec(
        "vendors",
        "Vendor summaries: who deploys each of the five key systems in each province, one set of rows per summary "
        "(the first, undated, of about 22–23/6/2025). A briefing of date D uses the latest summary dated on or "
        "before D; an undated summary counts as older than any dated one.",
        {
            "summary_date": date_col(SUMMARY_DATE, nullable=True),
            "province_code": province_col(),
            "system": text_col("System", isin=["tthc", "document_management", "online_meetings", "lgsp", "reporting"]),
            "vendor": text_col("Vendor short name ('VNPT', 'Viettel', ..., 'Tự phát triển' for self-developed)"),
        },
        key=["summary_date", "province_code", "system"],
    ),
    _spec(
        "directives",
        "Government Office notices (the first of 30/6/2025): each directive and the provinces it names (one row per "
        "province; empty code if it names none), one set of rows per notice. A briefing of date D uses every notice "
        "dated on or before D; a directive a later notice repeats (same words, dates aside) is taken from the later one.",
        {
            "notice_date": date_col(NOTICE_DATE),
            "directive_id": text_col("Stable id from the notice's numbering"),
            "directive": text_col("Directive text as printed"),
            "deadline": date_col("Deadline, where stated", nullable=True),
            "province_code": province_col(nullable=True),
        },
        key=["notice_date", "directive_id", "province_code"],
    ),
    _spec(
        "data_quality",
        "Data-quality findings: where the source contradicts itself or needed a stated correction.",
        {
            "report_date": date_col(REPORT_DATE, nullable=True),
            "source": text_col("Document and part, e.g. 'plan02_report_2025-09-22.txt Phụ lục 5'"),
            "check": text_col("Stable id of the check"),
            "severity": text_col("info, warning or error", isin=["info", "warning", "error"]),
            "detail": text_col("What was found, with the figures"),
        },
        key=["report_date", "source", "check", "detail"],
    ),
]

TABLES: dict[str, TableSpec] = {spec.name: spec for spec in CORE_TABLES}


spec = _spec  # public alias for modules that add tables
