"""Printed dates a report cannot mean (helpers.ingest.parsers.printed_dates): a later year
than the report's, or a day after a dated report's own date not announced as a deadline."""

from __future__ import annotations

import datetime as dt

from conftest import RAW, mutated_report
from helpers.ingest.parsers.printed_dates import check_printed_dates, latest_cited_document, printed_dates
from helpers.ingest.rawtext import read_raw_report

DAILY = RAW / "daily_readiness_2025-06-30.txt"
NOTICE = RAW / "directives_notice_2025-06-30.txt"
JUNE_30 = dt.date(2025, 6, 30)


def _checks(path, report_date):
    return [(f.check, f.source, f.detail) for f in check_printed_dates(read_raw_report(path), report_date)]


def test_clean_dated_reports_have_no_finding():
    # the daily report prints its own date (line 11) and a plan of 19/6/2025 (line 272);
    # the notice's 'từ ngày 01/7/2025' (line 10) is after its date but announced ('từ')
    assert _checks(DAILY, JUNE_30) == []
    assert _checks(NOTICE, JUNE_30) == []
    assert [d.printed for d in printed_dates(read_raw_report(DAILY))] == ["30/6/2025", "19/6/2025"]


def test_a_day_after_the_report_not_announced_is_found(tmp_path):
    path = mutated_report(DAILY, tmp_path, [(272, "ngày 19/6/2025", "ngày 19/7/2025")])
    assert _checks(path, JUNE_30) == [
        (
            "date_after_report_date",
            f"{DAILY.name} dòng 272",
            "line 272 prints '19/7/2025', after the report's own date and not as a deadline or plan: the report is dated 30/6/2025",
        )
    ]


def test_a_later_year_is_found_even_when_announced(tmp_path):
    path = mutated_report(NOTICE, tmp_path, [(10, "01/7/2025", "01/7/2026")])
    found = _checks(path, JUNE_30)
    assert [c for c, _, _ in found] == ["date_after_report_year"]
    assert "prints '01/7/2026', a date in 2026, after the report's year 2025: the report is dated 30/6/2025" in found[0][2]


def test_document_numbers_and_impossible_days_are_no_dates(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("Quyết định số 35/2024/QĐ-UBND ngày 25/7/2024\nngày 31/2/2027; mã 2.321.2027; ngày 7-3/6/2027\n", encoding="utf-8")
    report = read_raw_report(path)
    assert [d.printed for d in printed_dates(report)] == ["25/7/2024"]
    # undated and citing a 2024 decision: the report's year is 2024, nothing later is printed
    assert latest_cited_document(report) == ("35/2024/QĐ-UBND", dt.date(2024, 7, 25), "25/7/2024")


def test_an_undated_report_citing_nothing_is_not_checked(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("Kế hoạch đến 31/12/2031.\n", encoding="utf-8")
    assert check_printed_dates(read_raw_report(path), None) == []
