"""The ``claims`` table: quantitative claims in the body of every report (see
``helpers.ingest.parsers.claims``), re-derived from the other tables by
``helpers.analysis.claims``."""

from __future__ import annotations

import pandera.pandas as pa

from helpers.ingest.schemas.spec import TableSpec
from helpers.ingest.schemas.tables import count_col, date_col, spec, text_col

PATTERNS = ["ratio", "count", "pct", "all", "none", "named", "level"]

EXTRA_TABLES: list[TableSpec] = [
    spec(
        "claims",
        "Every report's body: each number it states (a/b, NN tỉnh, x,yz%, 'toàn bộ các tỉnh', a named list), "
        "with the sentence, the line and the heading it sits under.",
        {
            "report_date": date_col("Date of the report the claim comes from (empty for undated documents)", nullable=True),
            "file": text_col("File name in data/raw"),
            "claim_id": text_col("'<line>.<k>': the k-th claim printed on that line"),
            "line": count_col("Line of the raw file the number is printed on"),
            "pattern": text_col("How the number is stated", isin=PATTERNS),
            "stated": text_col("The claim as printed (number and what it qualifies)"),
            "value": pa.Column(float, description="The number: a count, a numerator, a percentage; 1 for 'all', 0 for 'none'; the appendix for 'level'"),
            "denominator": pa.Column(float, nullable=True, description="The b of 'a/b' (1 for 'all'); empty otherwise"),
            "change": pa.Column("Int64", nullable=True, description="'(tăng K …)' after a ratio: K; 0 for 'không tăng'; empty if not stated"),
            "share_pct": pa.Column(float, nullable=True, description="'(tương đương|chiếm c%)' after a ratio: c"),
            "threshold": pa.Column(float, nullable=True, description="'hơn/dưới P%' later in the sentence: the P the count is measured against"),
            "provinces": text_col("Official codes of the provinces the claim names, ';'-joined; empty if it names none", nullable=True),
            "appendix": count_col("'Phụ lục N' the sentence cites", nullable=True),
            "context": text_col("Heading path the claim sits under, e.g. 'III.2.e' (a daily report's task id)", nullable=True),
            "heading": text_col("The innermost heading as printed", nullable=True),
            "text": text_col("The sentence, wrapped lines joined"),
        },
        key=["file", "claim_id"],
        sort_by=["file", "line", "claim_id"],
    ),
    spec(
        "deadline_terms",
        "Every 'Thời hạn hoàn thành …' a report's body states, with the heading it sits under: "
        "'trước ngày X' (before X) leaves X − 1 as the last day; 'ngày X' and 'trước 18h ngày X' leave X.",
        {
            "report_date": date_col("Date of the report", nullable=True),
            "file": text_col("File name in data/raw"),
            "line": count_col("Line of the raw file"),
            "context": text_col("Heading path, e.g. 'III.2.e' (the daily report's task id)", nullable=True),
            "deadline": date_col("The date as printed"),
            "last_day": date_col("The last day the deadline allows"),
            "before": pa.Column(bool, description="True when printed 'trước ngày X' (before that day)"),
            "text": text_col("The deadline as printed"),
        },
        key=["file", "line", "deadline"],
        sort_by=["file", "line", "deadline"],
    ),
]
