"""The briefing sections of issue 13 (claims ledger, plan-02 task appendices) and the
corrected readings they show, on tables built from fixture copies of the reports."""

from __future__ import annotations

import re

import pytest

from helpers.ingest.provinces import lookup
from helpers.report import Briefing
from helpers.report.sections import plan02_tasks


def _text(html) -> str:
    return re.sub(r"<[^>]+>", " ", str(html))


@pytest.mark.parametrize("date", ["2025-06-27", "2025-06-30", "2025-09-22"])
def test_claims_section_lists_the_ledger_of_the_date(ingested, date):
    b = Briefing(date, {}, ingested)
    ledger = b.facts.claims
    text = _text(b.section("claims"))
    counts = {s: sum(c["status"] == s for c in ledger) for s in ("confirmed", "contradicted", "unverifiable")}
    assert f"{counts['confirmed']} khớp, {counts['contradicted']} không khớp, {counts['unverifiable']} không kiểm chứng được" in text
    assert not re.search(r"\b(confirmed|contradicted|unverifiable)\b", text)  # leaders read Vietnamese only


def test_plan02_task_section_uses_appendices_1_and_2(ingested):
    b = Briefing("2025-09-22", {}, ingested)
    text = _text(b.section("plan02_tasks"))
    overdue = b.facts.today("plan02_tasks")
    n = int((overdue["appendix"] == 2).sum())
    assert f"{n} nhiệm vụ đã quá hạn" in text and "Cần đối chiếu" in text  # Cao Bằng: 17/17 done yet owns an overdue task
    behind = plan02_tasks.frame(b.facts)
    assert behind is not None and behind["tasks"].astype(int).sum() == n
    assert "Không có số liệu về: tiến độ nhiệm vụ" not in _text(b.data_available())
    assert str(Briefing("2025-06-30", {}, ingested).section("plan02_tasks")) == ""


def test_june_30_briefing_says_what_is_overdue_before_day_x(ingested):
    b = Briefing("2025-06-30", {}, ingested)
    overdue = b.facts.overdue
    assert set(overdue.loc[overdue["task_id"] == "III.2.e", "province_code"]) == {lookup("Quảng Trị"), lookup("Tuyên Quang")}
    lead = _text(b.lead_summary())
    assert "Sơn La" in lead and "chưa báo cáo" in lead  # all 26 tasks open on 27/6, all done on 30/6
    assert "phát hiện về chất lượng số liệu nguồn" not in lead


def test_data_quality_counts_contradictions_apart_from_notes_in_the_appendix_not_the_lead(ingested):
    from helpers.report.sections import lead

    for date in ("2025-06-27", "2025-06-30", "2025-09-22"):
        b = Briefing(date, {}, ingested)
        f = b.facts
        counts = f.finding_counts
        assert counts["contradictions"] + counts["notes"] == len(f.findings)
        wanted = f"{counts['contradictions']} chỗ nguồn tự mâu thuẫn và {counts['notes']} ghi chú"
        texts = [s.text for s in lead.sentences(f)]
        assert not any("chất lượng" in t or "mâu thuẫn" in t for t in texts)  # the lead spends no sentence on it
        appendix = _text(b.section("appendix"))
        assert wanted in appendix and "phát hiện về chất lượng" not in appendix


def test_september_briefing_words_uncertainty_and_non_reports(ingested):
    b = Briefing("2025-09-22", {}, ingested)
    ready = _text(b.section("ready_but_low"))
    assert "điều kiện cần, chưa đủ" not in ready and "không phải điều kiện cần" in ready
    assert "liên hệ" in ready and "Sát ngưỡng" in ready and "Khánh Hòa" in ready
    communes = _text(b.section("communes"))
    assert "chưa báo cáo đủ 4 khối" in communes


@pytest.mark.parametrize("date", ["2025-06-30", "2025-09-22"])
def test_vendor_report_date_and_vendor_findings_show_in_the_appendix_in_vietnamese(ingested, date):
    from helpers.report.sections import quality
    from helpers.report.wording import CHECK_LABELS_VI

    b = Briefing(date, {}, ingested)
    rows = quality.frame(b.facts).set_index("check")
    # the undated vendor report's findings belong to every date's briefing
    assert rows.loc["date_after_report_year", "n"] == 2  # lines 324 and 1354
    assert rows.loc["vendor_province_differs_between_sections", "n"] == 2  # Unitech: 1.1 against 3.1.2 and the appendix
    appendix = _text(b.section("appendix"))
    for check in ("date_after_report_year", "vendor_province_differs_between_sections"):
        assert CHECK_LABELS_VI[check] in appendix
    assert "dòng 324" in appendix and "dòng 1354" in appendix and ".txt" not in appendix
