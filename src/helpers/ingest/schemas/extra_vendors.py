"""Extra tables produced by the vendors parser (beyond the issue #2 minimum contract).

``vendors_appendix`` is the vendor summary's appendix table (province × system), read from a
badly flattened extract; section 1.1 (table ``vendors``) is the contract, and every
disagreement between the two is a data-quality finding.
"""

from __future__ import annotations

import pandera.pandas as pa

from helpers.ingest.schemas.spec import TableSpec
from helpers.ingest.schemas.tables import SUMMARY_DATE, count_col, date_col, province_col, spec, text_col

SYSTEMS = ["tthc", "document_management", "online_meetings", "lgsp", "reporting"]

EXTRA_TABLES: list[TableSpec] = [
    spec(
        "vendors_appendix",
        "Vendor summaries, appendix table: the vendor printed per province and system, one set of rows per summary "
        "(the first, undated, of about 22–23/6/2025); cross-checked against section 1.1 (table vendors).",
        {
            "summary_date": date_col(SUMMARY_DATE, nullable=True),
            "province_code": province_col(),
            "system": text_col("System", isin=SYSTEMS),
            "vendor": text_col(
                "Vendor short name as in table vendors; two parties joined by ' + ' "
                "(e.g. 'VNPT + Hapro'); 'Tự phát triển' for self-developed"
            ),
            "vendor_as_printed": text_col(
                "The vendor cell as printed; empty where the cell is merged with the row above", nullable=True
            ),
            "merged_cell": pa.Column(
                bool, description="True if the vendor cell is empty (vertically merged) and the vendor is the row above's"
            ),
            "province_as_printed": text_col(
                "Province cell as printed, with the former province merged into it in parentheses, "
                "e.g. 'Quảng Trị (Quảng Bình)'"
            ),
            "source_line": count_col("Line of the system label in the raw file"),
        },
        key=["summary_date", "province_code", "system"],
    ),
]
