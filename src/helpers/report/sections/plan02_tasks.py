"""Plan-02 tasks: the report's own task data (appendix 1: phase-2 progress per province;
appendix 2: overdue tasks and their owners), with the contradictions between the task
appendices that ``helpers.ingest.consistency`` finds (issue 13)."""

from __future__ import annotations

import pandas as pd

from helpers.analysis.facts import PLAN02, DateFacts
from helpers.report.render import EMPTY, Html, f_text, heading, join, para, table
from helpers.report.sections.sources import Sources

TASK_CHECKS = ("phase2_done_but_overdue", "overdue_task_also_standing")


def _overdue(f: DateFacts) -> pd.DataFrame:
    tasks = f.today("plan02_tasks")
    return tasks[tasks["appendix"] == 2]


def html(f: DateFacts, sources: Sources) -> Html:
    if not f.has(PLAN02):
        return EMPTY
    progress = f.today("phase2_task_progress")
    overdue = _overdue(f)
    cite1 = sources.cite(PLAN02, "Phụ lục 1", f.report_date)
    cite2 = sources.cite(PLAN02, "Phụ lục 2", f.report_date)
    parts = [heading(2, "Nhiệm vụ của Kế hoạch 02: tiến độ giai đoạn 2 và nhiệm vụ quá hạn")]
    if len(progress):
        all_done = int((progress["tasks_done"] == progress["tasks_total"]).sum())
        green = int(progress["status"].str.contains("XANH").sum())
        parts.append(para(f"Giai đoạn 2: {all_done}/{len(progress)} tỉnh, thành phố đã hoàn thành mọi nhiệm vụ được giao; {green}/{len(progress)} tỉnh ở trạng thái XANH.", cite1))
    if len(overdue):
        parts.append(para(f"{len(overdue)} nhiệm vụ đã quá hạn mà chưa hoàn thành, theo nhóm:", cite2))
        parts.append(table(frame(f), [("group", "Nhóm nhiệm vụ", f_text), ("tasks", "Số nhiệm vụ", f_text), ("units", "Đơn vị chưa hoàn thành", f_text)],
                           caption="Nhiệm vụ quá hạn chưa hoàn thành (Phụ lục 2)", cite=cite2, numeric=("tasks",), cls="data stack"))
    found = f.findings[f.findings["check"].isin(TASK_CHECKS)]
    if len(found):
        parts.append(para(
            f"Cần đối chiếu: {len(found)} chỗ các phụ lục nhiệm vụ không khớp nhau (tỉnh đã xong mọi nhiệm vụ ở Phụ lục 1 nhưng còn nhiệm vụ quá hạn ở Phụ lục 2; "
            "nhiệm vụ quá hạn lại được ghi là thường xuyên, không có thời hạn ở Phụ lục 7), chi tiết ở mục chất lượng số liệu."
        ))
    return join(parts) if len(parts) > 1 else EMPTY


def frame(f: DateFacts) -> pd.DataFrame | None:
    """Appendix 2's overdue tasks by group: how many, and the units that have not finished them."""
    if not f.has(PLAN02):
        return None
    overdue = _overdue(f)
    if overdue.empty:
        return None
    by_group = overdue.groupby("group", sort=False).agg(tasks=("task_id", "size"), units=("responsible_units", lambda u: ", ".join(dict.fromkeys(u))))
    return by_group.reset_index().assign(tasks=lambda g: g["tasks"].astype(str))
