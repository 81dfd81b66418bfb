"""The briefing sections of issue 13: the claims ledger and the plan-02 task appendices,
on tables built from fixture copies of the reports."""

from __future__ import annotations

import re

import pytest

from helpers.report import Briefing
from helpers.report.sections.claims import claims_section, ledger_for
from helpers.report.sections.plan02_tasks import plan02_tasks_section


def _text(html) -> str:
    return re.sub(r"<[^>]+>", " ", str(html))


@pytest.mark.parametrize("date", ["2025-06-27", "2025-06-30", "2025-09-22"])
def test_claims_section_lists_the_ledger_of_the_date(ingested, date):
    b = Briefing(date, {}, ingested)
    html = str(claims_section(b))
    ledger = ledger_for(b)
    assert b.summary["claims"] is ledger and ledger
    counts = {s: sum(c["status"] == s for c in ledger) for s in ("confirmed", "contradicted", "unverifiable")}
    text = _text(html)
    assert f"{counts['confirmed']} khớp, {counts['contradicted']} không khớp, {counts['unverifiable']} không kiểm chứng được" in text
    assert html.count("<tr class=") == len(ledger)
    assert not re.search(r"\b(confirmed|contradicted|unverifiable)\b", text)  # leaders read Vietnamese only
    assert any(c["source"].split(":")[0] in {r for r in b.table("reports")["file"]} for c in ledger)


def test_claims_section_escapes_the_report_text(ingested, monkeypatch):
    b = Briefing("2025-09-22", {}, ingested)
    b.summary["claims"] = [{"text": "x", "source": "f.txt:1", "stated": "<script>alert(1)</script>", "derived": "1", "status": "confirmed", "how": None}]
    assert "<script>" not in str(claims_section(b))


def test_plan02_task_section_uses_appendices_1_and_2(ingested):
    b = Briefing("2025-09-22", {}, ingested)
    text = _text(plan02_tasks_section(b))
    overdue = b.table("plan02_tasks")
    n = int(((overdue["report_date"] == "2025-09-22") & (overdue["appendix"] == 2)).sum())
    assert f"{n} nhiệm vụ đã quá hạn" in text and b.summary["metrics"]["plan02_overdue_tasks"] == n
    assert "Cần đối chiếu" in text  # Cao Bằng: all phase-2 tasks done yet owner of an overdue task
    assert "Không có số liệu về: tiến độ nhiệm vụ" not in _text(b.data_available())
    assert str(plan02_tasks_section(Briefing("2025-06-30", {}, ingested))) == ""
