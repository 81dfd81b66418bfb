"""Extra tables produced by the plan-02 bloc parser (appendices 9–12), beyond the minimum contract."""

from __future__ import annotations

from helpers.ingest.schemas.spec import TableSpec
from helpers.ingest.schemas.tables import REPORT_DATE, count_col, date_col, spec, text_col

EXTRA_TABLES: list[TableSpec] = [
    spec(
        "bloc_criteria_summary",
        "Plan-02 report, appendices 9–12: per criterion of a commune bloc, how many provinces are under 50% "
        "(the ten lowest of them are in bloc_criteria).",
        {
            "report_date": date_col(REPORT_DATE),
            "appendix": count_col("Appendix number (9–12)"),
            "bloc": text_col("Bloc", isin=["party", "council", "committee", "front"]),
            "criterion_id": text_col("Stable id of the criterion within the bloc, e.g. 'party.01' (bloc and STT)"),
            "criterion": text_col("Criterion as printed"),
            "provinces_below_50": count_col("Provinces where under 50% of communes meet it ('Số tỉnh/thành phố < 50%')"),
            "provinces_listed": count_col("Provinces the appendix lists for it by name (at most ten: rows in bloc_criteria)"),
            "note": text_col(
                "What the appendix prints instead of a list of provinces, verbatim (e.g. 'Tất cả các tỉnh/thành phố'); "
                "empty where it lists them",
                nullable=True,
            ),
        },
        key=["report_date", "appendix", "criterion_id"],
    ),
]
