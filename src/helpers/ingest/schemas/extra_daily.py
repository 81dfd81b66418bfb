"""Extra tables produced by the daily readiness parser (beyond the issue #2 minimum contract).

* ``daily_highlights``: part A of the report ("A. Thông tin chung"), one row per
  statement and province it names (an empty code if it names none), e.g. the
  provinces the Ministry says did very well.
* ``daily_ministry_proposals``: section VI b) of the report, the Ministry of Science
  and Technology's own proposals; they name no single province, so they cannot go
  into ``obstacles``.
"""

from __future__ import annotations

from helpers.ingest.schemas.spec import TableSpec
from helpers.ingest.schemas.tables import REPORT_DATE, count_col, date_col, province_col, spec, text_col

EXTRA_TABLES: list[TableSpec] = [
    spec(
        "daily_highlights",
        "Daily readiness report, part A (general information): each statement and the provinces it names (one row per province; empty code if it names none).",
        {
            "report_date": date_col(REPORT_DATE),
            "statement_id": text_col("Stable id from the statement's position in part A, e.g. 'A.2'"),
            "statement": text_col("The statement as printed, line breaks joined"),
            "province_code": province_col(nullable=True, description="Official code of a province the statement names; empty if it names none"),
        },
        key=["report_date", "statement_id", "province_code"],
    ),
    spec(
        "daily_ministry_proposals",
        "Daily readiness report, section VI b): the Ministry of Science and Technology's own proposals to the Government.",
        {
            "report_date": date_col(REPORT_DATE),
            "item": count_col("Position of the proposal in section VI b) (1 = first '-' item)"),
            "text": text_col("The proposal as printed, line breaks joined"),
        },
        key=["report_date", "item"],
    ),
]
