"""Extra tables produced by the plan02 parser (beyond the issue #2 minimum contract).

* ``phase2_task_progress`` — appendix 1: phase-2 tasks done per province.
* ``plan02_tasks`` — appendices 2, 3 and 7: overdue tasks, tasks due by 1/10/2025, standing tasks.
* ``plan02_tasks_in_progress`` — appendix 7: the units listed as working on each standing task.
* ``report_figures`` — key figures stated in the report body, plus the national total rows
  of appendix 8 (kept out of the province tables).
"""

from __future__ import annotations

import pandera.pandas as pa

from helpers.ingest.schemas.spec import TableSpec
from helpers.ingest.schemas.tables import REPORT_DATE, count_col, date_col, province_col, spec, text_col

PHASE2_TASK_PROGRESS = spec(
    "phase2_task_progress",
    "Plan-02 report, appendix 1: phase-2 tasks done per province and the status printed for it.",
    {
        "report_date": date_col(REPORT_DATE),
        "province_code": province_col(),
        "tasks_done": count_col("Phase-2 tasks the province has finished (the 'k' of 'k/n')"),
        "tasks_total": count_col("Phase-2 tasks assigned to the province (the 'n' of 'k/n')"),
        "status": text_col("Status as printed in 'Ghi chú', e.g. 'SẴN SÀNG (XANH)'"),
    },
    key=["report_date", "province_code"],
)

PLAN02_TASKS = spec(
    "plan02_tasks",
    "Plan-02 report, appendices 2 (overdue tasks), 3 (tasks due by 1/10/2025) and 7 (standing tasks): one row per task.",
    {
        "report_date": date_col(REPORT_DATE),
        "task_id": text_col("Stable id: appendix, group label and task number as printed, e.g. '2.I.1.1', '7.12'"),
        "appendix": count_col("Appendix number (2, 3 or 7)"),
        "group_label": text_col("Group numbering as printed, e.g. 'I.5'; empty in appendix 7 (no groups)", nullable=True),
        "group": text_col("Group title as printed, e.g. 'Nhóm VI - Bảo đảm an toàn thông tin, an ninh mạng và bảo mật'", nullable=True),
        "task_no": text_col("Task number as printed (not always consecutive, see data_quality)"),
        "task": text_col("Task text as printed, wrapped lines joined"),
        "responsible_units": text_col("Unit(s) responsible ('Đơn vị chưa hoàn thành' / 'Đơn vị thực hiện'), as printed"),
        "province_code": province_col(nullable=True, description="Province code when the responsible unit is a single province; empty for ministries and agencies"),
        "deadline": date_col("Deadline (appendix 3)", nullable=True),
        "deadline_text": text_col("Deadline as printed: a date (appendix 3) or 'Thường xuyên' (standing, appendix 7)", nullable=True),
    },
    key=["report_date", "task_id"],
)

PLAN02_TASKS_IN_PROGRESS = spec(
    "plan02_tasks_in_progress",
    "Plan-02 report, appendix 7: units listed under 'Đơn vị đang tiến hành' for each standing task, one row per unit.",
    {
        "report_date": date_col(REPORT_DATE),
        "task_id": text_col("Task id, see plan02_tasks"),
        "unit": text_col("Unit as printed (ministry, agency or province)"),
        "province_code": province_col(nullable=True, description="Province code when the unit is a province; empty otherwise"),
    },
    key=["report_date", "task_id", "unit"],
)

REPORT_FIGURES = spec(
    "report_figures",
    "Plan-02 report: key figures stated in the body (and the national total rows of appendix 8), with the sentence they were read from.",
    {
        "report_date": date_col(REPORT_DATE),
        "figure_id": text_col("Stable id, e.g. 'communes_all_basic_conditions', 'dossiers_cumulative_all_total'"),
        "province_code": province_col(nullable=True, description="Province the figure is about; empty for national figures"),
        "value": pa.Column(float, description="The figure (a count, or a percentage 0–100)"),
        "unit": text_col("What the value counts", isin=["communes", "provinces", "tasks", "dossiers", "dossiers_per_day", "pct", "pct_points"]),
        "as_of_date": date_col("Day the figure refers to (the last day for cumulative figures)"),
        "source": text_col("Part of the report it was read from, e.g. 'Báo cáo, phần III'"),
        "source_line": count_col("Line of the raw file where the figure's sentence or row starts"),
        "text": text_col("The sentence (or table row) the figure was read from, line breaks joined"),
    },
    key=["report_date", "figure_id", "province_code", "as_of_date"],
)

EXTRA_TABLES: list[TableSpec] = [PHASE2_TASK_PROGRESS, PLAN02_TASKS, PLAN02_TASKS_IN_PROGRESS, REPORT_FIGURES]
