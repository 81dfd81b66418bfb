"""Extra tables produced by the directives parser (beyond the issue #2 minimum contract).

``directive_items`` has one row per directive (the contract table ``directives`` has one
per directive × named province), with where it sits in the notice's outline.
"""

from __future__ import annotations

from helpers.ingest.schemas.spec import TableSpec
from helpers.ingest.schemas.tables import NOTICE_DATE, count_col, date_col, spec, text_col

EXTRA_TABLES: list[TableSpec] = [
    spec(
        "directive_items",
        "Government Office notices (the first of 30/6/2025): one row per directive and notice, with its place in "
        "the outline, its deadline as printed and how many provinces it names.",
        {
            "notice_date": date_col(NOTICE_DATE),
            "directive_id": text_col(
                "Stable id from the numbering, e.g. 'II.3.b'; '-k' is the k-th dash bullet (bullets are not numbered)"
            ),
            "section": text_col("Roman section: 'I' (views, requirements) or 'II' (key tasks)"),
            "context": text_col(
                "Text of the parent headings and lead-ins (who the directive is addressed to), joined by ' › '"
            ),
            "directive": text_col("Directive text as printed, line breaks joined"),
            "deadline": date_col("Deadline, where a day is stated", nullable=True),
            "deadline_as_printed": text_col(
                "The deadline phrase as printed, e.g. 'trước ngày 10 tháng 7 năm 2025' or 'trong năm 2025'", nullable=True
            ),
            "provinces_stated": count_col("Number of provinces the directive states it names ('4 tỉnh'); empty if none", nullable=True),
            "provinces_listed": count_col("Number of distinct provinces it lists by name (0 if none)"),
            "source_line": count_col("Line of the directive's first line in the raw file"),
        },
        key=["notice_date", "directive_id"],
    ),
]
