"""General contradiction checks across tables (helpers.ingest.consistency): on generated
tables, and on the real reports."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from helpers.ingest import consistency
from helpers.ingest.provinces import lookup

REPORTS = pd.DataFrame([{"file": "p.txt", "kind": "plan02", "report_date": "2025-09-22"}, {"file": "d.txt", "kind": "daily_readiness", "report_date": "2025-06-30"}])


def _checks(found: list[dict]) -> list[str]:
    return [f["check"] for f in found]


@pytest.mark.parametrize("done, expected", [(17, 1), (16, 0)])
def test_phase2_all_done_yet_owner_of_an_overdue_task(done, expected):
    tables = {
        "reports": REPORTS,
        "phase2_task_progress": pd.DataFrame([{"report_date": "2025-09-22", "province_code": 4, "tasks_done": done, "tasks_total": 17, "status": "x"}]),
        "plan02_tasks": pd.DataFrame([{"report_date": "2025-09-22", "task_id": "2.I.3.6", "appendix": 2, "province_code": 4, "task": "Triển khai nền tảng số", "deadline": None, "deadline_text": None}]),
    }
    assert _checks(consistency._phase2_done_but_overdue(tables)) == ["phase2_done_but_overdue"] * expected


@pytest.mark.parametrize("seed", range(4))
def test_overdue_task_listed_again_as_standing(seed):
    rng = random.Random(seed)
    words = ["triển", "khai", "nền", "tảng", "số", "dùng", "chung", "của", "tỉnh", "kết", "nối", "dữ", "liệu"]
    task = " ".join(rng.sample(words, 8))
    other = " ".join(rng.sample(words, 8))
    rows = [
        {"report_date": "2025-09-22", "task_id": "2.1", "appendix": 2, "province_code": None, "task": task, "deadline": None, "deadline_text": None},
        {"report_date": "2025-09-22", "task_id": "7.1", "appendix": 7, "province_code": None, "task": task.upper(), "deadline": None, "deadline_text": "Thường xuyên"},
        {"report_date": "2025-09-22", "task_id": "7.2", "appendix": 7, "province_code": None, "task": "Báo cáo định kỳ hằng tháng", "deadline": None, "deadline_text": "Thường xuyên"},
    ]
    found = consistency._overdue_task_also_standing({"reports": REPORTS, "plan02_tasks": pd.DataFrame(rows)})
    assert len(found) == 1 and "7.1" in found[0]["detail"]


def test_done_then_not_done_between_daily_reports():
    rows = [{"report_date": d, "task_id": t, "province_code": c, "done": done} for d, t, c, done in [
        ("2025-06-27", "I.1", 8, True), ("2025-06-30", "I.1", 8, False),
        ("2025-06-27", "I.1", 44, False), ("2025-06-30", "I.1", 44, False),
        ("2025-06-27", "I.2", 8, True), ("2025-06-30", "I.2", 8, True),
    ]]
    found = consistency._task_done_then_not_done({"reports": REPORTS, "task_status": pd.DataFrame(rows)})
    assert len(found) == 1 and "province 8" in found[0]["detail"] and found[0]["report_date"] == "2025-06-30"


@pytest.mark.parametrize("printed, expected", [(76.0, "rounded"), (73.0, "truncated")])
def test_rounded_and_truncated_shares_in_one_report(printed, expected):
    rows = [
        {"report_date": None, "file": "v.txt", "line": 10, "value": 26.0, "denominator": 34.0, "share_pct": 76.0},  # 76.47: both readings agree
        {"report_date": None, "file": "v.txt", "line": 20, "value": 23.0, "denominator": 34.0, "share_pct": 67.0},  # 67.65: truncated
        {"report_date": None, "file": "v.txt", "line": 30, "value": 22.0, "denominator": 34.0, "share_pct": 65.0},  # 64.71: rounded
    ]
    found = consistency._percentages_rounded_and_truncated({"claims": pd.DataFrame(rows)})
    assert _checks(found) == ["percentages_rounded_and_truncated"]
    only_truncated = consistency._percentages_rounded_and_truncated({"claims": pd.DataFrame(rows[:2])})
    assert only_truncated == []


def test_real_reports_give_the_issue_13_contradictions(ingested):
    dq = pd.read_csv(ingested / "data_quality.csv")
    checks = dict(dq.groupby("check").size())
    for check in ("phase2_done_but_overdue", "overdue_task_also_standing", "task_done_then_not_done", "body_level_vs_table", "percentages_rounded_and_truncated"):
        assert checks.get(check, 0) >= 1, check
    regress = dq[dq["check"] == "task_done_then_not_done"]["detail"]
    assert regress.str.contains(f"province {lookup('Tuyên Quang')}:").any()
    assert dq[dq["check"] == "phase2_done_but_overdue"]["detail"].str.contains(f"province {lookup('Cao Bằng')}:").all()
