"""Briefing section: the plan-02 report's own task data (appendix 1: phase-2 progress per
province; appendix 2: overdue tasks and their owners; appendix 3: tasks due by 1/10),
with the contradictions between them that ``helpers.ingest.consistency`` finds."""

from __future__ import annotations

import pandas as pd

from helpers.report.render import Html, esc, f_text, para, table

HEADING = "<h2>Nhiệm vụ của Kế hoạch 02: tiến độ giai đoạn 2 và nhiệm vụ quá hạn</h2>"


def plan02_tasks_section(b) -> Html:
    if not b.has("plan02"):
        return Html("")
    date = b.report_date
    progress = b.table("phase2_task_progress")
    progress = progress[progress["report_date"] == date]
    tasks = b.table("plan02_tasks")
    tasks = tasks[tasks["report_date"] == date]
    cite1, cite2 = b._cite("Phụ lục 1"), b._cite("Phụ lục 2")
    parts = [HEADING]
    if len(progress):
        all_done = int((progress["tasks_done"] == progress["tasks_total"]).sum())
        green = int(progress["status"].str.contains("XANH").sum())
        b.metric("phase2_provinces_all_done", all_done)
        parts.append(para(esc(
            f"Giai đoạn 2: {all_done}/{len(progress)} tỉnh, thành phố đã hoàn thành mọi nhiệm vụ được giao; "
            f"{green}/{len(progress)} tỉnh ở trạng thái XANH."
        ) + cite1))
    overdue = tasks[tasks["appendix"] == 2]
    if len(overdue):
        b.metric("plan02_overdue_tasks", int(len(overdue)))
        by_group = overdue.groupby("group", sort=False).agg(tasks=("task_id", "size"), units=("responsible_units", lambda u: ", ".join(dict.fromkeys(u))))
        frame = by_group.reset_index().assign(tasks=lambda f: f["tasks"].astype(str))
        parts.append(para(esc(f"{len(overdue)} nhiệm vụ đã quá hạn mà chưa hoàn thành, theo nhóm:") + cite2))
        parts.append(table(frame, [("group", "Nhóm nhiệm vụ", f_text), ("tasks", "Số nhiệm vụ", f_text), ("units", "Đơn vị chưa hoàn thành", f_text)],
                           caption="Nhiệm vụ quá hạn chưa hoàn thành (Phụ lục 2)", cite=cite2, numeric=("tasks",)))
    dq = b.table("data_quality")
    mine = dq[(dq["report_date"] == date) & dq["check"].isin(["phase2_done_but_overdue", "overdue_task_also_standing"])]
    if len(mine):
        parts.append(para(esc(
            f"Cần đối chiếu: {len(mine)} chỗ các phụ lục nhiệm vụ không khớp nhau (tỉnh đã xong mọi nhiệm vụ ở Phụ lục 1 nhưng còn nhiệm vụ quá hạn ở Phụ lục 2; "
            "nhiệm vụ quá hạn lại được ghi là thường xuyên, không có thời hạn ở Phụ lục 7), chi tiết ở mục chất lượng số liệu."
        )))
    return Html("".join(str(p) for p in parts)) if len(parts) > 1 else Html("")
