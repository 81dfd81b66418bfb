"""The named numbers of one reporting date, computed from the tables alone.

"What changed since the previous briefing" compares these for two dates with
:func:`helpers.analysis.trends.changes_since`. They are computed from
``data/processed`` (never read back from an earlier run's outputs), so a briefing
does not depend on which dates were built before it or in what order.
"""

from __future__ import annotations

import pandas as pd

from helpers.analysis import tasks as J
from helpers.analysis import communes as R
from helpers.analysis import uptake as U

# name -> Vietnamese label, in the order a briefing shows them.
LABELS_VI: dict[str, str] = {
    "tasks_complete": "Nhiệm vụ đã xong ở cả 34 tỉnh",
    "task_province_done": "Lượt tỉnh × nhiệm vụ đã xong",
    "task_province_done_pct": "Tỷ lệ lượt tỉnh × nhiệm vụ đã xong (%)",
    "provinces_with_open_tasks": "Tỉnh còn nhiệm vụ chưa xong",
    "communes_green": "Xã, phường XANH",
    "communes_green_pct": "Tỷ lệ xã, phường XANH (%)",
    "online_rate_national_all_pct": "Tỷ lệ nộp trực tuyến lũy kế (%)",
    "dossiers_total": "Hồ sơ lũy kế",
}


def key_metrics(tables: dict[str, pd.DataFrame], report_date: str) -> dict[str, float]:
    """Named numbers of ``report_date`` from the ``task_progress``, ``task_status``,
    ``commune_status`` and ``dossiers`` tables (whichever have rows for that date)."""
    out: dict[str, float] = {}
    progress = tables["task_progress"]
    if (progress["report_date"] == report_date).any():
        overall = J.overall_completion(progress, report_date)
        out["tasks_complete"] = overall.tasks_complete
        out["task_province_done"] = overall.task_province_done
        out["task_province_done_pct"] = 100 * overall.task_province_done / overall.task_province_total
        open_tasks = J.open_tasks_by_province(tables["task_status"], report_date)
        out["provinces_with_open_tasks"] = int((open_tasks["open_tasks"] > 0).sum())
    status = tables["commune_status"]
    if (status["report_date"] == report_date).any():
        cov = R.commune_coverage(status[status["report_date"] == report_date])
        out["communes_green"] = cov.green
        out["communes_green_pct"] = cov.green_pct
    dossiers = tables["dossiers"]
    if (dossiers["report_date"] == report_date).any():
        rates = U.online_rates(dossiers[dossiers["report_date"] == report_date])
        national = rates.national.set_index("scope")
        out["online_rate_national_all_pct"] = float(national.loc["all", "online_rate_pct"])
        out["dossiers_total"] = int(national.loc["all", "total"])
    return {name: out[name] for name in LABELS_VI if name in out}
