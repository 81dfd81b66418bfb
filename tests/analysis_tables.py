"""Tables for the analysis tests: a hand transcription of the two June daily reports, and
the real tables of the session's ingested copy of data/raw (fixture ``ingested``).

Not a test module: the test modules import it, never each other. A table the parsers
do not produce fails the test (no skip hides a broken parser).
"""

from __future__ import annotations

import pandas as pd

from helpers.analysis.tasks import section_id
from helpers.tables import load_table

PLAN02_DATE = "2025-09-22"


# ---------------------------------------------------------------- the reports, transcribed by hand

# 27/6 (OCR): task id -> (done of 34, stated increase, deadline day of June, line of the count,
# provinces listed as not done by official code). III.2.e says 'không tăng' (line 549): increase 0.
# III.1.b's deadline is 'thử nghiệm trước 18h ngày 27 tháng 6' (line 312). IV.1/IV.2 print none.
JUNE_27 = {
    "I.1": (29, 4, 28, 25, [4, 14, 48, 80, 96]),
    "I.2": (26, 4, 29, 36, [92, 66, 86, 24, 4, 14, 80, 96]),
    "I.3": (29, 4, 29, 81, [24, 4, 14, 80, 96]),
    "I.4": (26, 4, 28, 106, [33, 51, 4, 14, 37, 48, 80, 96]),
    "II.1": (17, 8, 27, 117, [52, 24, 4, 92, 46, 1, 56, 12, 20, 51, 22, 15, 14, 48, 80, 82, 96]),
    "II.2": (19, 5, 27, 168, [4, 92, 46, 91, 31, 66, 40, 12, 14, 37, 38, 48, 80, 82, 96]),
    "II.3": (14, 5, 30, 197, [52, 24, 4, 92, 46, 31, 12, 20, 40, 8, 86, 15, 66, 14, 37, 48, 75, 80, 82, 96]),
    "II.4": (23, 4, 27, 234, [56, 1, 66, 40, 12, 24, 4, 14, 48, 80, 96]),
    "II.5": (27, 4, 27, 264, [40, 51, 12, 4, 14, 80, 96]),
    "III.1.a": (19, 4, 29, 285, [52, 92, 33, 31, 20, 15, 66, 24, 4, 8, 86, 14, 80, 82, 96]),
    "III.1.b": (22, 5, 27, 307, [52, 92, 46, 1, 15, 24, 14, 37, 48, 80, 82, 96]),
    "III.1.c": (23, 5, 30, 345, [46, 1, 31, 56, 20, 24, 14, 37, 80, 82, 96]),
    "III.1.d": (22, 6, 30, 369, [92, 1, 31, 20, 40, 66, 24, 4, 14, 37, 80, 96]),
    "III.1.e": (12, 3, 30, 399, [52, 92, 1, 33, 31, 79, 56, 91, 20, 51, 22, 86, 24, 4, 8, 14, 48, 68, 75, 80, 96, 42]),
    "III.1.g": (25, 8, 30, 461, [1, 56, 22, 42, 86, 14, 37, 80, 96]),
    "III.1.h": (27, 7, 30, 468, [25, 56, 4, 14, 37, 80, 96]),
    "III.2.a": (30, 4, 27, 479, [25, 14, 80, 96]),
    "III.2.b": (26, 5, 27, 486, [25, 56, 24, 4, 8, 14, 80, 96]),
    "III.2.c": (21, 2, 30, 504, [92, 20, 31, 56, 33, 24, 4, 8, 11, 14, 44, 80, 96]),
    "III.2.d": (30, 6, 29, 541, [20, 14, 80, 96]),
    "III.2.e": (19, 0, 30, 549, [1, 31, 56, 42, 33, 40, 11, 14, 37, 44, 68, 75, 80, 82, 96]),
    "III.3": (29, 4, 30, 576, [92, 86, 14, 80, 96]),
    "III.4": (21, 5, 30, 597, [42, 56, 20, 40, 22, 15, 52, 4, 91, 11, 14, 80, 96]),
    "III.5": (29, 3, 27, 611, [4, 14, 80, 82, 96]),
    "IV.1": (29, 4, None, 652, [86, 14, 37, 80, 96]),
    "IV.2": (29, 6, None, 659, [12, 14, 37, 80, 96]),
}
# 30/6: every task 'Toàn bộ các tỉnh, thành phố đã hoàn thành' except III.2.e (SSO):
# 'Số lượng tỉnh hoàn thành: 32/34' (line 125), not done: Quảng Trị, Tuyên Quang (line 127).
# The 30/6 report prints no deadlines and no increases.
JUNE_30_NOT_DONE = {"III.2.e": [44, 8]}
CODES = [1, 4, 8, 11, 12, 14, 15, 19, 20, 22, 24, 25, 31, 33, 37, 38, 40, 42, 44, 46, 48, 51, 52, 56, 66, 68, 75, 79, 80, 82, 86, 91, 92, 96]


def hand_tables() -> dict[str, pd.DataFrame]:
    """task_progress and task_status of 27/6 and 30/6 as read by a person (see the notes above)."""
    progress, status = [], []
    for day, source in (("2025-06-27", JUNE_27), ("2025-06-30", None)):
        for task_id, (done, change, deadline, _line, not_done) in JUNE_27.items():
            if source is None:
                not_done = JUNE_30_NOT_DONE.get(task_id, [])
                done, change, deadline = 34 - len(not_done), None, None
            progress.append(
                {
                    "report_date": day,
                    "section": f"{section_id(task_id)}- Mục {section_id(task_id)}",
                    "task_id": task_id,
                    "task": f"Nhiệm vụ {task_id}",
                    "deadline": f"2025-06-{deadline:02d}" if deadline else None,
                    "done_count": done,
                    "total": 34,
                    "change_vs_previous_day": change,
                    "previous_day_done_count": None if change is None else done - change,
                }
            )
            assert 34 - done == len(not_done) == len(set(not_done)), task_id
            status += [{"report_date": day, "task_id": task_id, "province_code": c, "done": c not in not_done} for c in CODES]
    task_progress = pd.DataFrame(progress)
    for column in ("change_vs_previous_day", "previous_day_done_count"):
        task_progress[column] = task_progress[column].astype("Int64")
    task_progress["deadline"] = task_progress["deadline"].astype(object).where(task_progress["deadline"].notna(), None)
    return {"task_progress": task_progress, "task_status": pd.DataFrame(status)}


def real_tables(request, names=("task_progress", "task_status")) -> dict[str, pd.DataFrame]:
    """The parsed tables from the real reports (every date)."""
    processed = request.getfixturevalue("ingested")
    return {n: load_table(n, processed) for n in names}


def real_table(request, name: str, date: str = PLAN02_DATE) -> pd.DataFrame:
    """A real table, only its rows of ``date`` when it has dates."""
    table = real_tables(request, (name,))[name]
    return table[table["report_date"] == date] if "report_date" in table.columns else table
