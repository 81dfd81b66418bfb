"""Statistics of the daily readiness reports (helpers.analysis.tasks).

Hand-checked values come from data/raw/daily_readiness_2025-06-27_ocr.txt ("27/6") and
data/raw/daily_readiness_2025-06-30.txt ("30/6"); each is noted with its line. They are
asserted twice: on ``hand_tables()`` — a transcription of the two reports made by
reading them, independent of the parser (``analysis_tables.hand_tables``) — and on the
parsed tables (fixture ``ingested``).
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis_tables import hand_tables, real_tables
from helpers.analysis.tasks import (
    effective_deadlines,
    open_tasks_by_province,
    overall_completion,
    overdue_tasks,
    previous_day,
    section_id,
    task_completion,
    task_sort_key,
)

@pytest.fixture(params=["hand", "parsed"])
def june(request) -> dict[str, pd.DataFrame]:
    return hand_tables() if request.param == "hand" else real_tables(request)


# ---------------------------------------------------------------- hand-checked values


def test_task_completion(june):
    day27 = task_completion(june["task_progress"], "2025-06-27").set_index("task_id")
    assert len(day27) == 26
    assert (day27.loc["I.1", ["done_count", "total", "not_done"]].tolist()) == [29, 34, 5]  # 27/6 line 25: 29/34
    assert day27.loc["I.1", "done_pct"] == pytest.approx(85.294, abs=1e-3)
    assert day27.loc["I.1", "deadline"] == "2025-06-28"  # line 31
    assert day27.loc["II.1", "done_count"] == 17 and day27.loc["II.1", "done_pct"] == pytest.approx(50.0)  # line 117
    assert day27["done_count"].idxmin() == "III.1.e" and day27["done_count"].min() == 12  # line 399: 12/34
    assert day27.loc["II.1", "section_id"] == "II"
    day30 = task_completion(june["task_progress"], "2025-06-30").set_index("task_id")
    assert day30.loc["III.2.e", "done_count"] == 32  # 30/6 line 125: 32/34
    assert day30.loc["III.2.e", "done_pct"] == pytest.approx(94.118, abs=1e-3)
    assert (day30.drop(index="III.2.e")["done_count"] == 34).all()


def test_overall_completion(june):
    day27 = overall_completion(june["task_progress"], "2025-06-27")
    # 27/6: the 26 printed counts sum to 623 of 26 × 34 = 884; no task done by all 34.
    assert (day27.tasks, day27.tasks_complete, day27.task_province_done, day27.task_province_total) == (26, 0, 623, 884)
    assert day27.done_pct == pytest.approx(70.475, abs=1e-3)
    assert day27.open_pairs == 261
    day30 = overall_completion(june["task_progress"], "2025-06-30")
    assert (day30.tasks_complete, day30.task_province_done) == (25, 882)  # all but SSO, which lacks 2


def test_open_tasks_by_province_27(june):
    ranking = open_tasks_by_province(june["task_status"], "2025-06-27")
    assert len(ranking) == 34 and ranking["open_tasks"].sum() == 261
    # Sơn La (14), Tây Ninh (80) and Cà Mau (96) are listed as not done for all 26 tasks.
    top = ranking.head(3)
    assert top["province_code"].tolist() == [14, 80, 96]
    assert top["open_tasks"].tolist() == [26, 26, 26] and top["tied_with"].tolist() == [2, 2, 2]
    assert top["rank"].tolist() == [1, 2, 3]
    # Then Cao Bằng (4): 17 lists; Bắc Ninh (24): 12; Thái Nguyên (19) is in none.
    assert ranking.loc[3, ["province_code", "open_tasks"]].tolist() == [4, 17]
    assert ranking.loc[4, ["province_code", "open_tasks"]].tolist() == [24, 12]
    last = ranking.iloc[-1]
    assert (last["province_code"], last["open_tasks"], last["rank"], last["open_task_ids"]) == (19, 0, 34, "")
    quang_tri = ranking.set_index("province_code").loc[44]
    assert quang_tri["open_task_ids"] == "III.2.c, III.2.e"  # lines 506-508 and 551-553


def test_open_tasks_by_province_30(june):
    ranking = open_tasks_by_province(june["task_status"], "2025-06-30")
    # 30/6 line 127: Quảng Trị (44), Tuyên Quang (8) not done for SSO; everyone else done.
    assert ranking.head(2)[["province_code", "open_tasks", "open_task_ids"]].values.tolist() == [
        [8, 1, "III.2.e"],
        [44, 1, "III.2.e"],
    ]
    assert ranking["open_tasks"].iloc[2:].eq(0).all()


def test_previous_day(june):
    before = previous_day(june["task_progress"], "2025-06-27")
    assert before.previous_date == "2025-06-26"
    counts = before.counts.set_index("task_id")
    assert counts.loc["I.1", "previous_done_count"] == 25  # 29/34, 'tăng 04' (line 25)
    assert counts.loc["II.1", "previous_done_count"] == 9  # 17/34, 'tăng 08' (line 117)
    assert counts.loc["III.2.e", "previous_done_count"] == 19  # 19/34, 'không tăng' (line 549)
    assert before.unstated_task_ids == () and before.any_stated
    after = previous_day(june["task_progress"], "2025-06-30")
    assert after.previous_date == "2025-06-29"
    assert len(after.unstated_task_ids) == 26 and not after.any_stated
    assert after.counts["previous_done_count"].isna().all()


def test_overdue_tasks(june):
    tp, ts = june["task_progress"], june["task_status"]
    # 27/6: the earliest deadline is 27/6 itself (e.g. II.1, line 123); due today is not overdue.
    assert overdue_tasks(tp, ts, "2025-06-27").empty
    due = overdue_tasks(tp, ts, "2025-06-27", include_due_today=True)
    # Due 27/6: II.1 (17 not done), II.2 (15), II.4 (11), II.5 (7), III.1.b (12), III.2.a (4), III.2.b (8), III.5 (5).
    assert due.groupby("task_id", sort=False).size().to_dict() == {
        "II.1": 17, "II.2": 15, "II.4": 11, "II.5": 7, "III.1.b": 12, "III.2.a": 4, "III.2.b": 8, "III.5": 5,
    }
    assert (due["days_overdue"] == 0).all()
    # 30/6: SSO's deadline (27/6 report line 556: 'trước ngày 30 tháng 6') is the report date: not overdue.
    assert overdue_tasks(tp, ts, "2025-06-30").empty
    due30 = overdue_tasks(tp, ts, "2025-06-30", include_due_today=True)
    assert due30[["task_id", "province_code", "deadline", "deadline_stated_on"]].values.tolist() == [
        ["III.2.e", 8, "2025-06-30", "2025-06-27"],
        ["III.2.e", 44, "2025-06-30", "2025-06-27"],
    ]


# ---------------------------------------------------------------- synthetic: the logic itself


def _progress(rows):
    frame = pd.DataFrame(
        rows, columns=["report_date", "section", "task_id", "task", "deadline", "done_count", "total", "change_vs_previous_day"]
    )
    frame["change_vs_previous_day"] = frame["change_vs_previous_day"].astype("Int64")
    frame["previous_day_done_count"] = (frame["done_count"] - frame["change_vs_previous_day"]).astype("Int64")
    return frame


def _status(day, grid):
    """grid: task_id -> {province_code: done}"""
    return pd.DataFrame(
        [{"report_date": day, "task_id": t, "province_code": p, "done": d} for t, by in grid.items() for p, d in by.items()]
    )


def test_task_sort_key_follows_the_report_numbering():
    ids = ["IV.1", "III.1.h", "II.1", "I.10", "I.2", "III.2.a", "III.1.a", "V.1", "IX.1"]
    assert sorted(ids, key=task_sort_key) == ["I.2", "I.10", "II.1", "III.1.a", "III.1.h", "III.2.a", "IV.1", "V.1", "IX.1"]


def test_synthetic_completion_and_previous_day():
    tp = _progress(
        [
            ("2025-01-10", "II- b", "II.1", "t", "2025-01-09", 3, 4, 2),
            ("2025-01-10", "I- a", "I.2", "t", None, 4, 4, None),
            ("2025-01-10", "I- a", "I.1", "t", "2025-01-10", 1, 4, 0),
        ]
    )
    done = task_completion(tp, "2025-01-10")
    assert done["task_id"].tolist() == ["I.1", "I.2", "II.1"]
    assert done["done_pct"].tolist() == [25.0, 100.0, 75.0]
    before = previous_day(tp, "2025-01-10")
    assert before.previous_date == "2025-01-09"
    assert before.counts["previous_done_count"].tolist()[0] == 1 and before.counts["previous_done_count"].tolist()[2] == 1
    assert before.unstated_task_ids == ("I.2",)
    with pytest.raises(ValueError, match="no rows for 2025-01-11"):
        task_completion(tp, "2025-01-11")


def test_synthetic_ranking_ties_and_names():
    ts = _status("2025-01-10", {"A.1": {30: False, 20: False, 10: True}, "A.2": {30: False, 20: False, 10: False}, "A.3": {30: True, 20: False, 10: True}})
    provinces = pd.DataFrame({"province_code": [10, 20, 30], "short_name": ["Mười", "Hai mươi", "Ba mươi"]})
    ranking = open_tasks_by_province(ts, "2025-01-10", provinces)
    assert ranking["province_code"].tolist() == [20, 30, 10]
    assert ranking["open_tasks"].tolist() == [3, 2, 1]
    assert ranking["short_name"].tolist() == ["Hai mươi", "Ba mươi", "Mười"]
    assert ranking["open_task_ids"].tolist() == ["A.1, A.2, A.3", "A.1, A.2", "A.2"]
    assert ranking["open_pct"].round(2).tolist() == [100.0, 66.67, 33.33]
    # a tie is broken by province code, and flagged
    tied = open_tasks_by_province(_status("d", {"A.1": {30: False, 20: False, 10: True}}).assign(report_date="2025-01-10"), "2025-01-10")
    assert tied["province_code"].tolist() == [20, 30, 10] and tied["tied_with"].tolist() == [1, 1, 0]


def test_synthetic_overdue_uses_the_latest_stated_deadline():
    tp = _progress(
        [
            ("2025-01-10", "I- a", "I.1", "t", "2025-01-11", 1, 3, 0),
            ("2025-01-10", "I- a", "I.2", "t", "2025-01-20", 1, 3, 0),
            ("2025-01-12", "I- a", "I.1", "t", None, 2, 3, None),  # deadline not reprinted
            ("2025-01-12", "I- a", "I.2", "t", "2025-01-11", 2, 3, None),  # brought forward
            ("2025-01-12", "I- a", "I.3", "t", "2025-01-01", 3, 3, None),  # overdue date but all done
            ("2025-01-12", "I- a", "I.4", "t", "2025-01-12", 0, 3, None),  # due today
        ]
    )
    grid = {"I.1": {1: True, 2: True, 3: False}, "I.2": {1: False, 2: True, 3: True}, "I.3": {1: True, 2: True, 3: True}, "I.4": {1: False, 2: False, 3: False}}
    ts = _status("2025-01-12", grid)
    deadlines = effective_deadlines(tp, "2025-01-12").set_index("task_id")
    assert deadlines.loc["I.1", "deadline_stated_on"] == "2025-01-10"
    assert deadlines.loc["I.2", "deadline"] == "2025-01-11"
    late = overdue_tasks(tp, ts, "2025-01-12")
    assert late[["task_id", "province_code", "days_overdue"]].values.tolist() == [["I.1", 3, 1], ["I.2", 1, 1]]
    with_today = overdue_tasks(tp, ts, "2025-01-12", include_due_today=True)
    assert with_today["task_id"].tolist() == ["I.1", "I.2", "I.4", "I.4", "I.4"]
