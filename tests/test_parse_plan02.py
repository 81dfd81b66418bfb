"""The plan-02 report parser (body, appendices 1–5, 7, 8): exact values, cross-checks, bad input.

Expected values are copied from ``data/raw/plan02_report_2025-09-22.txt``; the comment next
to each gives the line it was read from. Appendices 6 and 9–25 belong to
``plan02_blocs`` (tested in its own file); most tests here replace it with a stub so that
they exercise this module only, and one test checks that its output is merged.
"""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import pytest

from conftest import RAW, assert_input_error, mutated_report, province_spellings
from helpers.ingest.parsers import Finding, plan02
from helpers.ingest.parsers.plan02 import (
    check_commune_status,
    check_dossier_levels,
    check_dossier_rates,
    check_dossier_totals,
    check_readiness_title_total,
    check_registry_wards,
)
from helpers.ingest.rawtext import read_raw_report
from helpers.ingest.schemas import TABLES

PLAN02 = RAW / "plan02_report_2025-09-22.txt"
OTHER_REPORTS = [
    "daily_readiness_2025-06-27_ocr.txt",
    "daily_readiness_2025-06-30.txt",
    "directives_notice_2025-06-30.txt",
    "vendor_summary_2025-06-undated.txt",
]


def _without_blocs(monkeypatch) -> None:
    monkeypatch.setattr(plan02, "parse_bloc_appendices", lambda report, sections, report_date: ({}, []))


@pytest.fixture(scope="module")
def parsed():
    """The real report parsed with appendices 6 and 9–25 stubbed out."""
    with pytest.MonkeyPatch.context() as mp:
        _without_blocs(mp)
        return plan02.parse(read_raw_report(PLAN02))


@pytest.fixture(scope="module")
def tables(parsed):
    return parsed.tables


def _one(frame: pd.DataFrame, **where) -> pd.Series:
    mask = pd.Series(True, index=frame.index)
    for column, value in where.items():
        mask &= frame[column] == value
    rows = frame[mask]
    assert len(rows) == 1, f"{len(rows)} rows for {where}"
    return rows.iloc[0]


# ------------------------------------------------------------------ detection and heading


def test_detects_the_plan02_report_only():
    assert plan02.KIND == "plan02"
    assert plan02.detect(read_raw_report(PLAN02))
    for name in OTHER_REPORTS:
        assert not plan02.detect(read_raw_report(RAW / name)), name


def test_heading(parsed):
    # lines 1, 3, 5 and the footnote on line 448
    assert parsed.kind == "plan02"
    assert parsed.title == "BÁO CÁO Về tình hình, kết quả triển khai Kế hoạch số 02-KH/BCĐTW"
    assert parsed.report_date.isoformat() == "2025-09-22"
    assert parsed.as_of == "2025-09-22T16:00"
    assert parsed.notice == "Báo cáo này không đăng tải trên báo, đài và các mạng xã hội."


def test_every_table_matches_its_schema(tables):
    expected = {"phase2_task_progress", "commune_status", "commune_readiness", "dossiers", "plan02_tasks", "plan02_tasks_in_progress", "report_figures"}
    assert set(tables) == expected
    for name, frame in tables.items():
        assert list(frame.columns) == TABLES[name].columns, name
        TABLES[name].strict.validate(frame)


def test_row_counts(tables):
    assert len(tables["phase2_task_progress"]) == 34
    assert len(tables["commune_status"]) == 34
    assert len(tables["commune_readiness"]) == 16 * 34
    assert len(tables["dossiers"]) == 34 + 34 + 3 * 34  # tables I, II, and III at three levels
    assert tables["plan02_tasks"].groupby("appendix").size().to_dict() == {2: 7, 3: 14, 7: 15}


# ------------------------------------------------------------------ appendix 1


def test_phase2_task_progress(tables):
    t = tables["phase2_task_progress"]
    hanoi = _one(t, province_code=1)  # line 467: "2 TP. Hà Nội 19/19 SẴN SÀNG (XANH)"
    assert (hanoi.tasks_done, hanoi.tasks_total, hanoi.status) == (19, 19, "SẴN SÀNG (XANH)")
    thanh_hoa = _one(t, province_code=38)  # line 485: "11 Thanh Hoá 17/17 SẴN SÀNG (XANH)"
    assert (thanh_hoa.tasks_done, thanh_hoa.tasks_total) == (17, 17)
    assert _one(t, province_code=56).tasks_done == 17  # line 531: "34 Khánh Hòa 17/17"
    assert t.province_code.nunique() == 34


# ------------------------------------------------------------------ appendix 4


def test_commune_status_values(tables):
    t = tables["commune_status"]
    cao_bang = _one(t, province_code=4)  # line 862: "1 Cao Bằng 56 6 32 18 56 100% 10,71% 0%"
    assert (cao_bang.communes, cao_bang.green, cao_bang.yellow, cao_bang.red, cao_bang.reported) == (56, 6, 32, 18, 56)
    assert (cao_bang.reported_pct, cao_bang.green_pct, cao_bang.green_pct_change) == (100.0, 10.71, 0.0)
    assert _one(t, province_code=86).green_pct_change == 0.80  # line 872: Vĩnh Long ... 44,35% 0,80%
    assert _one(t, province_code=19).green_pct_change == -1.09  # line 880: Thái Nguyên ... 71,74% -1,09%
    hcm = _one(t, province_code=79)  # line 908: "24 TP. Hồ Chí Minh 168 168 0 0 168 100% 100% 0%"
    assert (hcm.communes, hcm.green, hcm.green_pct) == (168, 168, 100.0)
    assert t.communes.sum() == 3321


def test_commune_status_cross_checks_hold_on_real_data(tables):
    rows = tables["commune_status"].to_dict("records")
    for row in rows:
        row["_line"] = 0
    assert (tables["commune_status"].green + tables["commune_status"].yellow + tables["commune_status"].red == tables["commune_status"].communes).all()
    assert check_registry_wards(rows, 4) == []
    # The only note: Vĩnh Long's +1 commune of 124 (0,806%) is printed cut off as 0,80%.
    assert [f.check for f in check_commune_status(rows)] == ["green_change_truncated"]


def test_commune_status_synthetic_contradictions():
    row = {"report_date": "2025-09-22", "province_code": 4, "communes": 56, "green": 6, "yellow": 32, "red": 17, "reported": 56, "reported_pct": 100.0, "green_pct": 12.0, "green_pct_change": 0.0, "_line": 862}
    checks = [f.check for f in check_commune_status([row])]
    assert checks == ["colours_sum_to_communes", "green_pct_vs_count"]
    wrong_registry = dict(row, communes=57)
    findings = check_registry_wards([wrong_registry], 4)
    assert [f.check for f in findings] == ["communes_vs_registry"] and "57" in findings[0].detail and "56" in findings[0].detail


# ------------------------------------------------------------------ appendix 5


def test_commune_readiness_indicators(tables):
    t = tables["commune_readiness"]
    titles = t.drop_duplicates("indicator_id").set_index("indicator_id").indicator.to_dict()
    assert list(titles) == [f"c{i:02d}" for i in range(1, 17)]
    # Header lines 943–1133, each indicator starting at "% xã đã".
    assert titles["c01"] == "% xã đã phổ biến văn bản liên quan TTHC"
    assert titles["c05"] == "% xã đã có máy lấy số xếp hàng tự động"
    assert titles["c10"] == "% xã đã trang bị đủ thiết bị khác (máy phôtô, …)"
    assert titles["c13"] == "% xã đã được trang bị CKS mật"
    assert titles["c15"] == "% xã đã có đủ nhân sự hỗ trợ tại TT HCC"
    assert titles["c16"] == "% xã đã triển khai HT họp trực tuyến từ TW đến cấp xã"


def test_commune_readiness_values(tables):
    t = tables["commune_readiness"]
    assert _one(t, province_code=91, indicator_id="c05").pct == 96.08  # line 1135: An Giang 102 100 100 100 100 96,08
    assert _one(t, province_code=4, indicator_id="c05").pct == 12.50  # line 1143: Cao Bằng 56 ... 12,50 14,29
    assert _one(t, province_code=4, indicator_id="c06").pct == 14.29
    assert _one(t, province_code=11, indicator_id="c05").pct == 40.0  # line 1149: Điện Biên ... 40 37,78
    # lines 1163–1167: "15" / "TP. Hồ Chí" / "Minh" / "168 100 ..." (wrapped name)
    assert len(t[t.province_code == 79]) == 16 and (t[t.province_code == 79].pct == 100).all()
    # line 1367, after the header repeated on the page break (lines 1174–1365)
    assert _one(t, province_code=12, indicator_id="c02").pct == 97.37
    assert _one(t, province_code=68, indicator_id="c13").pct == 93.55  # line 1369: Lâm Đồng
    assert _one(t, province_code=86, indicator_id="c16").pct == 100.0  # line 1397: Vĩnh Long, last value


def test_commune_readiness_title_contradiction(parsed):
    finding = next(f for f in parsed.findings if f.check == "title_total_vs_rows")
    assert finding.source == "Phụ lục 5" and finding.severity == "warning"
    assert "3.319" in finding.detail and "3.321" in finding.detail  # title line 938
    assert check_readiness_title_total(3321, [{"communes": 3000}, {"communes": 321}], 938) == []
    assert [f.check for f in check_readiness_title_total(3319, [{"communes": 3000}, {"communes": 321}], 938)] == ["title_total_vs_rows"]


# ------------------------------------------------------------------ appendix 8


def test_dossiers_day_table(tables):
    t = tables["dossiers"]
    day = t[(t.period_start == "2025-09-21") & (t.period_end == "2025-09-21")]
    hcm = _one(day, scope="all", province_code=79)  # line 2254: "1 Thành phố Hồ Chí Minh 334 1555 2643 1889 82,32% 17133"
    assert (hcm.direct, hcm.online, hcm.returned, hcm.total, hcm.online_rate_pct, hcm.june_daily_avg) == (334, 1555, 2643, 1889, 82.32, 17133)
    lang_son = _one(day, scope="commune", province_code=20)  # line 2399: "30 Tỉnh Lạng Sơn 21 21 66 42 50%"
    assert (lang_son.direct, lang_son.online, lang_son.returned, lang_son.total, lang_son.online_rate_pct) == (21, 21, 66, 42, 50.0)
    assert pd.isna(lang_son.june_daily_avg)


def test_dossiers_cumulative_table(tables):
    t = tables["dossiers"]
    cumulative = t[(t.period_start == "2025-07-01") & (t.period_end == "2025-09-21")]
    assert len(cumulative) == 3 * 34
    # line 2450: "34 Tỉnh Lạng Sơn 54227 47974 102201 32493 21332 53825 ... 37,47% 30,78% 34,50%"
    assert _one(cumulative, scope="all", province_code=20).online_rate_pct == 34.50
    assert _one(cumulative, scope="province", province_code=20).online_rate_pct == 37.47
    commune = _one(cumulative, scope="commune", province_code=20)
    assert (commune.direct, commune.online, commune.online_rate_pct) == (47974, 21332, 30.78)
    hanoi = _one(cumulative, scope="all", province_code=1)  # line 2419: Hà Nội ... 1300323 ... 94,43%
    assert (hanoi.total, hanoi.online_rate_pct) == (1300323, 94.43)


def test_dossier_totals_go_to_report_figures(tables):
    # The national "Tổng" rows are not provinces; they are report figures.
    assert tables["dossiers"].province_code.notna().all()
    figures = tables["report_figures"]
    total = _one(figures, figure_id="dossiers_cumulative_all_total")
    assert (total.value, total.source_line, total.as_of_date) == (18072849.0, 2452, "2025-09-21")  # line 2452
    assert _one(figures, figure_id="dossiers_cumulative_all_online_rate_pct").value == 77.06
    assert _one(figures, figure_id="dossiers_day_all_june_daily_avg").value == 93205.0  # line 2322
    assert _one(figures, figure_id="dossiers_day_commune_total").value == 11672.0  # line 2409
    # Province rows sum to the Tổng rows.
    t = tables["dossiers"]
    assert t[(t.period_start == "2025-07-01") & (t.scope == "all")].total.sum() == 18072849


def test_dossier_cross_checks_hold_on_real_data(parsed):
    dossier_checks = {"direct_plus_online_vs_total", "online_rate_vs_counts", "levels_sum_to_total", "provinces_sum_to_total_row", "commune_exceeds_all_levels"}
    assert not [f for f in parsed.findings if f.check in dossier_checks]


def _dossier(**values):
    row = {"report_date": "2025-09-22", "period_start": "2025-09-21", "period_end": "2025-09-21", "scope": "all", "province_code": 79, "direct": 334, "online": 1555, "returned": 2643, "total": 1889, "online_rate_pct": 82.32, "june_daily_avg": 17133, "_table": "I", "_line": 2254}
    row.update(values)
    return row


def test_dossier_synthetic_contradictions():
    assert check_dossier_rates([_dossier()]) == []
    assert [f.check for f in check_dossier_rates([_dossier(online_rate_pct=82.5)])] == ["online_rate_vs_counts"]
    assert [f.check for f in check_dossier_rates([_dossier(total=1890, online_rate_pct=82.28)])] == ["direct_plus_online_vs_total"]
    # a rate cut off at 2 decimals (58/64 = 90,625% printed 90,62%) is within rounding
    assert check_dossier_rates([_dossier(direct=6, online=58, total=64, online_rate_pct=90.62)]) == []
    total_row = _dossier(province_code=None, direct=335, online=1555, returned=2643, total=1890, june_daily_avg=17133, _line=2322)
    findings = check_dossier_totals([_dossier()], [total_row])
    assert sorted(f.check for f in findings) == ["provinces_sum_to_total_row", "provinces_sum_to_total_row"]
    levels = [
        _dossier(_table="III", scope="province", direct=10, online=20, returned=5, total=30, online_rate_pct=66.67),
        _dossier(_table="III", scope="commune", direct=1, online=2, returned=1, total=3, online_rate_pct=66.67),
        _dossier(_table="III", scope="all", direct=11, online=23, returned=6, total=33, online_rate_pct=69.70),
    ]
    findings = check_dossier_levels(levels)
    assert [f.check for f in findings] == ["levels_sum_to_total"] and "online" in findings[0].detail


# ------------------------------------------------------------------ appendices 2, 3, 7


def test_overdue_tasks(tables):
    t = tables["plan02_tasks"]
    overdue = t[t.appendix == 2]
    assert list(overdue.task_no) == ["1", "2", "3", "4", "5", "6", "7"]
    task6 = _one(t, task_id="2.I.3.6")  # lines 620–632: the unit is the province Cao Bằng
    assert (task6.responsible_units, task6.province_code) == ("Cao Bằng", 4)
    assert task6.task.startswith("Theo phân cấp, chủ động bố trí nguồn lực") and task6.task.endswith("tham gia số hóa.")
    task1 = _one(t, task_id="2.I.1.1")  # lines 540–548
    assert task1.task == "Phối hợp với các cơ quan liên quan xây dựng trình Ban Bí thư ban hành Quy định về giao dịch điện tử trong các cơ quan đảng."
    assert (task1.responsible_units, task1.group) == ("Văn phòng Trung ương Đảng", "Nhóm I - Hoàn thiện thể chế và kiến trúc pháp lý")
    assert pd.isna(task1.province_code)
    assert _one(t, task_id="2.I.5.7").responsible_units == "Ban cơ yếu Chính phủ"  # line 644


def test_due_tasks(tables):
    t = tables["plan02_tasks"]
    task15 = _one(t, task_id="3.I.6.15")  # lines 828–836: unit wrapped after the deadline
    assert (task15.deadline, task15.deadline_text, task15.responsible_units) == ("2025-08-31", "31/8/2025", "Bộ Quốc phòng (Ban Cơ yếu Chính phủ)")
    task_v1 = _one(t, task_id="3.I.5.1")  # lines 788–808: printed "1" inside group V
    assert task_v1.responsible_units == "Bộ Khoa học và Công nghệ chủ trì, phối hợp với Bộ Tài chính"
    assert _one(t, task_id="3.I.2.9").deadline == "2025-06-30"  # line 768, after the header repeated on line 754


def test_standing_tasks(tables):
    t = tables["plan02_tasks"]
    task6 = _one(t, task_id="7.6")  # lines 1821–1863
    assert task6.task.endswith("bảo đảm tuân thủ Khung kiến trúc tổng thể quốc gia số.")
    assert task6.responsible_units.startswith("Hội Cựu chiến binh Việt Nam, Đảng ủy Quốc hội,")
    assert task6.deadline_text == "Thường xuyên" and pd.isna(task6.deadline)
    task13 = _one(t, task_id="7.13")  # lines 2129–2137: text without a final period
    assert task13.task == "Tổ chức các khoá đào tạo, tập huấn về kỹ năng số, kỹ năng vận hành hệ thống mới cho cán bộ, công chức, viên chức"
    assert task13.responsible_units == "Các bộ, ngành, địa phương"
    progress = tables["plan02_tasks_in_progress"]
    units13 = progress[progress.task_id == "7.13"]
    # lines 2142–2173: the list continues after the page header repeated on lines 2147–2157
    assert units13.unit.iloc[0] == "Thành phố Đà Nẵng" and units13.unit.iloc[-1] == "Sơn La"
    assert _one(units13, unit="Sơn La").province_code == 14
    assert pd.isna(_one(units13, unit="Bộ Ngoại giao").province_code)
    assert len(progress[progress.task_id == "7.2"]) == 1  # line 1737: "Văn phòng Chính phủ."
    assert "7.3" not in set(progress.task_id)  # no units in progress


# ------------------------------------------------------------------ body figures


def _figure(tables, figure_id: str, as_of: str = "2025-09-22") -> pd.Series:
    return _one(tables["report_figures"], figure_id=figure_id, as_of_date=as_of)


def test_body_figures(tables):
    assert _figure(tables, "communes_all_basic_conditions").value == 2821  # line 301: "2.821/3.321"
    assert _figure(tables, "communes_in_scope").value == 3321
    assert _figure(tables, "communes_all_basic_conditions_pct").value == 84.94
    assert _figure(tables, "communes_all_basic_conditions", "2025-09-21").value == 2815  # line 305
    assert _figure(tables, "communes_all_basic_conditions_pct", "2025-09-21").value == 84.76
    assert _figure(tables, "provinces_green").value == 34  # line 57: "34/34 tỉnh, thành phố đạt trạng thái XANH"
    assert _figure(tables, "overdue_tasks").value == 7  # line 146: "Vẫn còn 07 nhiệm vụ"
    assert _figure(tables, "provinces_green_over_50pct").value == 28
    assert _figure(tables, "provinces_green_over_70pct").value == 25
    assert _figure(tables, "provinces_green_100pct").value == 21
    assert _figure(tables, "commune_progress_change_pct").value == 0.18  # line 150
    assert _figure(tables, "communes_onestop_staff_pct").value == 97.47  # line 315
    hanoi = _figure(tables, "day_online_rate_pct", "2025-09-21")  # line 138: "100,0%"
    assert (hanoi.value, hanoi.province_code) == (100.0, 1)
    assert _figure(tables, "day_returned_pct", "2025-09-21").value == 40.59
    lowest = _figure(tables, "lowest_cumulative_online_rate_pct", "2025-09-21")  # line 288: "Lạng Sơn khoảng 34,5%"
    assert (lowest.value, lowest.province_code, lowest.source) == (34.5, 20, "Báo cáo, phần III")
    assert [_figure(tables, f"overdue_tasks_group_{k}").value for k in range(1, 5)] == [4, 1, 1, 1]  # lines 241–274
    basic = _figure(tables, "communes_all_basic_conditions")
    assert basic.source_line == 301 and "2.821/3.321 xã, phường (tương đương 84,94%)" in basic.text


def test_body_agrees_with_appendices(parsed):
    body_checks = [f for f in parsed.findings if f.check.startswith("body_")]
    assert body_checks == []


def test_body_contradiction_is_a_finding(tmp_path, monkeypatch):
    # The body claims 2.822 communes; appendix 4 has 2.821 GREEN and 2.822/3.321 is not 84,94%.
    path = mutated_report(PLAN02, tmp_path, [(301, "2.821/3.321", "2.822/3.321")])
    _without_blocs(monkeypatch)
    checks = sorted(f.check for f in plan02.parse(read_raw_report(path)).findings if f.check.startswith("body_"))
    assert checks == ["body_basic_conditions_pct", "body_basic_conditions_vs_green", "body_progress_change"]


def test_findings_on_real_data(parsed):
    assert sorted((f.source, f.check) for f in parsed.findings) == [
        ("PHỤ LỤC", "annex_note_date"),  # line 451: "ngày   /8/2025"
        ("Phụ lục 2", "group_label_mismatch"),  # line 634: "I.5 Nhóm VI"
        ("Phụ lục 2", "group_task_count"),  # line 596: "(2 nhiệm vụ)" with one task
        ("Phụ lục 3", "task_numbering"),  # line 788: task "1" after task 10
        ("Phụ lục 4", "green_change_truncated"),  # line 872: 0,80% for 1/124
        ("Phụ lục 5", "title_total_vs_rows"),  # line 938: 3.319 vs 3.321
    ]
    assert all(isinstance(f, Finding) for f in parsed.findings)


# ------------------------------------------------------------------ merging appendices 6, 9–25


def test_bloc_tables_and_findings_are_merged(monkeypatch):
    extra = pd.DataFrame({"report_date": ["2025-09-22"], "province_code": [1], "bloc": ["party"], "pct": [50.0]})
    note = Finding("Phụ lục 21", "stub", "info", "from the stub")
    seen = {}

    def stub(report, sections, report_date):
        seen["date"] = report_date
        seen["appendices"] = sorted(sections.appendices)
        return {"bloc_completion": extra}, [note]

    monkeypatch.setattr(plan02, "parse_bloc_appendices", stub)
    result = plan02.parse(read_raw_report(PLAN02))
    assert result.tables["bloc_completion"] is extra and note in result.findings
    assert seen == {"date": "2025-09-22", "appendices": list(range(1, 26))}


def test_parse_with_the_real_bloc_module():
    from helpers.ingest.parsers.plan02_blocs import parse_bloc_appendices
    from helpers.ingest.parsers.plan02_sections import split_plan02

    report = read_raw_report(PLAN02)
    result = plan02.parse(report)
    bloc_tables, bloc_findings = parse_bloc_appendices(report, split_plan02(report), "2025-09-22")
    assert len(result.tables["commune_status"]) == 34
    assert set(bloc_tables) <= set(result.tables)
    for name, frame in bloc_tables.items():
        assert len(result.tables[name]) == len(frame), name
    assert all(f in result.findings for f in bloc_findings)


# ------------------------------------------------------------------ speed


def test_parse_is_fast(monkeypatch):
    report = read_raw_report(PLAN02)
    _without_blocs(monkeypatch)
    started = time.perf_counter()
    plan02.parse(report)
    assert time.perf_counter() - started < 0.5


# ------------------------------------------------------------------ bad input




def _parse_path(path: Path):
    return plan02.parse(read_raw_report(path))


@pytest.mark.parametrize(
    ("line", "old", "new", "expected"),
    [
        (862, "Cao Bằng", "Cao Bàng Xanh", "one of the 34 province names"),  # unknown spelling, appendix 4
        (864, "2 Điện Biên 45 13 25 7 45 100% 28,89% 0%", "", None),  # a missing row: row 3 comes too early (line 866)
        (2254, "82,32%", "82,32", "a percentage like 34,50%"),  # a rate without %, appendix 8 table I
        (1367, "19 Lai Châu 38 100 97,37", "19 Lai Châu 38 100", "row 19 with a province name and 17 values"),  # a short row, appendix 5
        (947, "% xã đã", "% xa da", "the header"),  # appendix 5 header changed
        (2198, "Thường", "Liên tục", "the deadline ('Thường xuyên') of task 14"),  # appendix 7: no deadline
        (301, "2.821/3.321", "2.821 trên 3.321", "in the report body"),  # a key body figure missing
        (5, "16h00 ngày 22/9/2025", "16h00 hôm nay", "(Tổng hợp, đối chiếu thông tin đến"),  # no as-of date
    ],
)
def test_bad_input_names_file_and_line(tmp_path, line, old, new, expected):
    path = mutated_report(PLAN02, tmp_path, [(line, old, new)])
    expected_line = {864: 866, 2198: 2203, 301: 448, 947: 942}.get(line, line)
    assert_input_error(_parse_path, path, expected_line, *([expected] if expected else []))


def test_missing_appendix_8_table_is_an_error(tmp_path):
    path = mutated_report(PLAN02, tmp_path, [(2410, "III. Tình hình tiếp nhận", "Tình hình tiếp nhận")])
    assert_input_error(_parse_path, path, 2452, "table III of appendix 8")  # the end of appendix 8


# ------------------------------------------------------------------ province spellings

SPELLINGS = dict(province_spellings("plan02"))  # tests/fixtures/province_spellings.csv


def test_spelling_list_is_complete(monkeypatch):
    """Every province spelling the parser resolves occurs in SPELLINGS."""
    seen: set[str] = set()
    real = plan02.code_at

    def spy(report, name, line):
        seen.add(name)
        return real(report, name, line)

    monkeypatch.setattr(plan02, "code_at", spy)
    _without_blocs(monkeypatch)
    result = plan02.parse(read_raw_report(PLAN02))
    tasks = result.tables["plan02_tasks"]
    progress = result.tables["plan02_tasks_in_progress"]
    seen |= set(tasks[tasks.province_code.notna()].responsible_units)
    seen |= set(progress[progress.province_code.notna()].unit)
    assert seen == set(SPELLINGS)

