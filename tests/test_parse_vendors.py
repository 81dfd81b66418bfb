"""Vendor summary parser: section 1.1 (table vendors), the appendix, cross-checks, bad input."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from conftest import RAW, province_spellings, mutated_report, assert_input_error
from helpers.ingest.parsers import directives, vendors
from helpers.ingest.rawtext import read_raw_report
from helpers.ingest.schemas import TABLES
from helpers.ingest.schemas.extra_vendors import SYSTEMS as SCHEMA_SYSTEMS

VENDOR_FILE = RAW / "vendor_summary_2025-06-undated.txt"


@pytest.fixture(scope="module")
def parsed():
    return vendors.parse(read_raw_report(VENDOR_FILE))


def _vendor(parsed, code: int, system: str) -> str:
    df = parsed.tables["vendors"]
    match = df[(df.province_code == code) & (df.system == system)]
    assert len(match) == 1
    return match.vendor.iloc[0]


def _appendix_row(parsed, code: int, system: str):
    df = parsed.tables["vendors_appendix"]
    match = df[(df.province_code == code) & (df.system == system)]
    assert len(match) == 1
    return match.iloc[0]


def _checks(parsed) -> list[str]:
    return [f.check for f in parsed.findings]




def _parse_path(path: Path):
    return vendors.parse(read_raw_report(path))


# --------------------------------------------------------------------------- the real report


def test_kind_dates_and_title(parsed):
    assert parsed.kind == "vendor_summary"
    assert parsed.report_date is None  # the document is undated
    assert parsed.as_of == ""
    assert parsed.title == "BÁO CÁO Tổng hợp tình hình triển khai 05 Hệ thống thông tin quan trọng"  # lines 4–5


def test_tables_follow_their_schemas(parsed):
    assert set(parsed.tables) == {"vendors", "vendors_appendix"}
    for name, df in parsed.tables.items():
        assert list(df.columns) == TABLES[name].columns
        TABLES[name].strict.validate(df)
    assert len(parsed.tables["vendors"]) == 34 * 5
    assert tuple(SCHEMA_SYSTEMS) == vendors.SYSTEMS


@pytest.mark.parametrize(
    "code, system, vendor",
    [
        (38, "tthc", "Tân Dân"),  # line 26: Tân Dân: 02 tỉnh (Thanh Hoá, Hà Tĩnh)
        (1, "tthc", "Mobifone"),  # line 28: Mobifone: 02 tỉnh (Hà Nội, Thái Nguyên)
        (22, "tthc", "FPT"),  # line 30: FPT: 01 tỉnh (Quảng Ninh)
        (46, "tthc", "Tự phát triển"),  # line 32: 03 tỉnh tự phát triển: … Thừa Thiên Huế …
        (44, "document_management", "Tân Dân"),  # lines 46–48: (… Hà \n\nTĩnh, Quảng Trị)
        (56, "document_management", "Unitech"),  # line 50: Unitech: 01 tỉnh (Khánh Hoà)
        (52, "document_management", "iNet"),  # lines 52–54: iNet Solutions: 01 tỉnh \n\n(Gia Lai)
        (31, "document_management", "Tự phát triển"),  # line 58: … Hải Phòng …
        (24, "online_meetings", "Hapro"),  # line 72
        (46, "online_meetings", "Mobifone"),  # line 74: Mobifone: 01 tỉnh (TP Huế)
        (48, "online_meetings", "Viettel"),  # lines 76–77: … TP Đà Nẵng)
        (92, "online_meetings", "Tự phát triển"),  # line 79: … TP Cần Thơ
        (24, "lgsp", "B&T"),  # line 95
        (56, "lgsp", "FPT"),  # line 97: FPT: 02 tỉnh (Gia Lai, Khánh Hòa)
        (48, "lgsp", "Minh Tuệ"),  # line 101
        (46, "lgsp", "Viettel"),  # line 103: Viettel: 01 tỉnh (Huế)
        (19, "lgsp", "Tự phát triển"),  # line 105: … Thái nguyên.
        (86, "reporting", "Tân Dân"),  # line 118
        (19, "reporting", "BKAV"),  # line 120
        (48, "reporting", "Sông Đà 10"),  # line 122: CTCP Sông Đà 10: 01 tỉnh (TP Đà Nẵng)
        (79, "reporting", "Viettel"),  # lines 124–125: (TP Hồ \nChí Minh)
        (42, "reporting", "Tự phát triển"),  # line 127
        (96, "tthc", "VNPT"),  # Cà Mau is listed nowhere: VNPT
        (96, "reporting", "VNPT"),
        (1, "online_meetings", "VNPT"),  # Hà Nội is not listed under c)
    ],
)
def test_vendor_values(parsed, code, system, vendor):
    assert _vendor(parsed, code, system) == vendor


def test_vnpt_gets_every_province_not_listed_elsewhere(parsed):
    df = parsed.tables["vendors"]
    vnpt = df[df.vendor == "VNPT"].groupby("system").size().to_dict()
    # 34 minus the provinces listed under others and as self-developed in each subsection
    assert vnpt == {"tthc": 26, "document_management": 23, "online_meetings": 21, "lgsp": 22, "reporting": 26}
    self_dev = df[df.vendor == "Tự phát triển"].groupby("system").size().to_dict()
    # lines 32, 58, 79, 105, 127
    assert self_dev == {"tthc": 3, "document_management": 4, "online_meetings": 3, "lgsp": 3, "reporting": 4}


def test_findings_on_the_real_report(parsed):
    by_check: dict[str, list[str]] = {}
    for f in parsed.findings:
        by_check.setdefault(f.check, []).append(f.detail)
    assert by_check["report_undated"] == [
        "The document carries no date; report_date is left empty. The latest document it cites is "
        "2618/BKHCN-CĐSQG of 23/6/2025, so it was written on or after that day."  # line 317
    ]
    # c) states VNPT 22/34 (line 65) but 13 are listed elsewhere; d) 21/34 (line 89) vs 12; đ) 25/34 (line 113) vs 8
    vnpt = by_check["vnpt_count"]
    assert len(vnpt) == 3
    assert "22/34" in vnpt[0] and "leaving 21" in vnpt[0]
    assert "21/34" in vnpt[1] and "leaving 22" in vnpt[1]
    assert "25/34" in vnpt[2] and "leaving 26" in vnpt[2]
    # intro of a) says '2 tỉnh tự triển khai' (line 18) but lists 03 (line 32); b) 03 vs 04; d) 2 vs 03
    assert len(by_check["self_developed_count_intro"]) == 3
    assert "says 2 provinces" in by_check["self_developed_count_intro"][0]
    # c) 'Toàn quốc có 05 Doanh nghiệp' (line 61) but only VNPT, Hapro, Mobifone, Viettel
    assert by_check["vendor_count_stated"] == [
        "Hệ thống họp trực tuyến: the intro says 5 companies (line 61) but the items list 4 (VNPT, Hapro, Mobifone, Viettel)"
    ]
    # d) 'tại 13 tỉnh … còn lại' (line 93) vs 12; đ) 'tại 19 tỉnh' (line 116) vs 8
    assert len(by_check["other_vendors_province_count"]) == 2
    assert "serve 19 remaining" in by_check["other_vendors_province_count"][1]
    # every per-vendor count matches its list in the real report; no province is listed twice
    assert "vendor_province_count" not in by_check
    assert "self_developed_count_listed" not in by_check
    assert "province_listed_twice" not in by_check
    assert "vnpt_share_pct" not in by_check
    assert len(by_check["intro_names_other_system"]) == 2  # c) and đ) copy a)'s wording
    assert all(f.severity in {"info", "warning"} for f in parsed.findings)


# --------------------------------------------------------------------------- the appendix


def test_appendix_rows(parsed):
    df = parsed.tables["vendors_appendix"]
    assert len(df) == 34 * 5 - 1  # Lào Cai has no reporting row
    row = _appendix_row(parsed, 44, "lgsp")  # lines 1026–1043: 22 Quảng \nTrị \n(Quảng \nBình) … LGSP \nTân Dân
    assert (row.vendor, row.vendor_as_printed, row.merged_cell) == ("Tân Dân", "Tân Dân", False)
    assert row.province_as_printed == "Quảng Trị (Quảng Bình)"
    row = _appendix_row(parsed, 44, "document_management")  # line 1047: no vendor cell, merged with LGSP above
    assert (row.vendor, row.merged_cell, row.source_line) == ("Tân Dân", True, 1047)
    row = _appendix_row(parsed, 1, "tthc")  # lines 1488–1491: MobiFone \n(Thay thế \n\nFPT)
    assert (row.vendor, row.vendor_as_printed) == ("Mobifone", "MobiFone (Thay thế FPT)")
    row = _appendix_row(parsed, 48, "reporting")  # line 1479: SDT Đảm bảo sẵn sàng
    assert (row.vendor, row.vendor_as_printed) == ("Sông Đà 10", "SDT")
    row = _appendix_row(parsed, 80, "tthc")  # line 1111: quyết TTHC Tỉnh tự triển \n\nkhai
    assert (row.vendor, row.vendor_as_printed) == ("Tự phát triển", "Tỉnh tự triển khai")
    row = _appendix_row(parsed, 4, "online_meetings")  # line 517: a note naming two networks, not a vendor cell
    assert (row.vendor, row.merged_cell) == ("VNPT", True)
    row = _appendix_row(parsed, 38, "reporting")  # line 1307; 1309–1310 'Hệ thống thông / tin báo cáo cấp' is a note
    assert (row.vendor, row.source_line) == ("VNPT", 1304)
    row = _appendix_row(parsed, 25, "lgsp")  # lines 948–950: 'Nền tảng tích / hợp, chia sẻ dữ / liệu'
    assert (row.vendor, row.merged_cell) == ("VNPT", True)
    assert _appendix_row(parsed, 24, "online_meetings").vendor == "VNPT + Hapro"  # lines 442–445


def test_appendix_findings(parsed):
    dup = [f.detail for f in parsed.findings if f.check == "appendix_duplicate_system"]
    assert dup == ["Lào Cai: Quản lý văn bản và điều hành appears twice (lines 864 and 876, vendors VNPT and VNPT); the first is kept"]
    missing = [f.detail for f in parsed.findings if f.check == "appendix_missing_system"]
    assert missing == ["Lào Cai (row at line 855): no Hệ thống thông tin báo cáo row"]
    differs = [f.detail for f in parsed.findings if f.check == "appendix_vendor_differs"]
    assert len(differs) == 9
    # line 50 (1.1: Unitech for Khánh Hoà) vs line 763 (appendix: Tỉnh tự triển khai)
    assert "Khánh Hòa, Quản lý văn bản và điều hành: section 1.1 gives Unitech, the appendix (line 760) 'Tỉnh tự triển khai'" in differs
    assert "Đắk Lắk, Quản lý văn bản và điều hành: section 1.1 gives VNPT, the appendix (line 555) 'INET'" in differs
    assert "Hà Nội, Hệ thống họp trực tuyến: section 1.1 gives VNPT, the appendix (line 1512) 'Tự triển khai'" in differs


# --------------------------------------------------------------------------- synthetic contradictions


def test_stated_vnpt_count_contradiction(tmp_path):
    parsed = _parse_path(mutated_report(VENDOR_FILE, tmp_path, [(20, "26/34", "27/34")]))
    details = [f.detail for f in parsed.findings if f.check == "vnpt_count"]
    assert details[0].startswith("HTTT giải quyết TTHC: states VNPT in 27/34 provinces (line 20)")
    assert "leaving 26" in details[0]


def test_vendor_list_count_contradiction(tmp_path):
    parsed = _parse_path(mutated_report(VENDOR_FILE, tmp_path, [(26, "02 tỉnh", "03 tỉnh")]))
    details = [f.detail for f in parsed.findings if f.check == "vendor_province_count"]
    assert details == [
        "HTTT giải quyết TTHC: 'Công ty Cổ phần Tin học Tân Dân' is stated for 3 provinces but lists 2 "
        "(Thanh Hoá, Hà Tĩnh) (line 26)"
    ]


def test_self_developed_counts(tmp_path):
    # the intro of a) now agrees with the list; the list's own count does not
    parsed = _parse_path(mutated_report(VENDOR_FILE, tmp_path, [(18, "và 2 tỉnh", "và 3 tỉnh"), (32, "03 tỉnh", "04 tỉnh")]))
    intro = [f.detail for f in parsed.findings if f.check == "self_developed_count_intro"]
    assert not any(d.startswith("HTTT giải quyết TTHC") for d in intro)
    listed = [f.detail for f in parsed.findings if f.check == "self_developed_count_listed"]
    assert listed == [
        "HTTT giải quyết TTHC: 'tỉnh tự phát triển' is stated for 4 provinces but lists 3 "
        "(Bắc Ninh, Thừa Thiên Huế, Tây Ninh) (line 32)"
    ]


def test_province_listed_under_two_vendors_keeps_the_first(tmp_path):
    # Hà Nội is under Mobifone (line 28); list it as self-developed as well (line 32)
    parsed = _parse_path(mutated_report(VENDOR_FILE, tmp_path, [(32, "Tây Ninh.", "Tây Ninh, Hà Nội.")]))
    twice = [f.detail for f in parsed.findings if f.check == "province_listed_twice"]
    assert twice == [
        "HTTT giải quyết TTHC: Hà Nội is listed under Mobifone (line 28) and again under Tự phát triển (line 32); "
        "the table keeps the first, Mobifone"
    ]
    assert _vendor(parsed, 1, "tthc") == "Mobifone"
    assert len(parsed.tables["vendors"]) == 170


def test_appendix_disagreement_is_a_finding(tmp_path):
    # Quảng Trị's TTHC vendor in the appendix (line 1034) becomes Viettel; 1.1 says VNPT
    parsed = _parse_path(mutated_report(VENDOR_FILE, tmp_path, [(1034, "VNPT", "Viettel")]))
    differs = [f.detail for f in parsed.findings if f.check == "appendix_vendor_differs"]
    assert "Quảng Trị, HTTT giải quyết TTHC: section 1.1 gives VNPT, the appendix (line 1031) 'Viettel'" in differs
    # its reporting row (line 1037) is a merged cell and follows the row above
    assert _appendix_row(parsed, 44, "reporting").vendor == "Viettel"


def test_vnpt_share_check():
    summary = vendors.SystemSummary(
        system="tthc", letter="a", heading_line=13, intro="", intro_line=15, stated_vendor_count=4,
        stated_self_count_intro=3, intro_vendor_names=None, vnpt_count=26, vnpt_total=34, vnpt_pct=80.0,
        vnpt_line=20, stated_others_count=None, others_line=None, listings=[],
    )
    all_vnpt = {code: "VNPT" for code in range(34)}
    findings = vendors.check_vnpt_count(summary, all_vnpt, "test")
    assert [f.check for f in findings] == ["vnpt_count", "vnpt_share_pct"]
    assert findings[1].detail == "HTTT giải quyết TTHC: states VNPT share 80% but 26/34 is 76.5% (line 20)"


# --------------------------------------------------------------------------- bad input




def test_unknown_company(tmp_path):
    assert_input_error(_parse_path, mutated_report(VENDOR_FILE, tmp_path, [(50, "Unitech", "Acme")]), 50, "Công ty Cổ phần Acme")


def test_unknown_province_in_a_vendor_list(tmp_path):
    assert_input_error(_parse_path, mutated_report(VENDOR_FILE, tmp_path, [(30, "Quảng Ninh", "Vạn Xuân")]), 30, "Vạn Xuân")


def test_unknown_province_on_a_wrapped_line(tmp_path):
    # the list of line 46 continues on line 48: the error names line 48
    assert_input_error(_parse_path, mutated_report(VENDOR_FILE, tmp_path, [(48, "Quảng Trị", "Xứ Đoài")]), 48, "Xứ Đoài")


def test_vendor_item_that_does_not_parse(tmp_path):
    assert_input_error(_parse_path, mutated_report(VENDOR_FILE, tmp_path, [(72, "01 tỉnh (Bắc Ninh)", "một tỉnh Bắc Ninh")]), 72, "a vendor item")


def test_missing_vnpt_count(tmp_path):
    assert_input_error(_parse_path, mutated_report(VENDOR_FILE, tmp_path, [(41, "23/34 tỉnh, thành phố", "hầu hết các tỉnh")]), 41, "a vendor item")


def test_missing_section_11(tmp_path):
    path = mutated_report(VENDOR_FILE, tmp_path, [(11, "1.1. Hiện trạng", "Hiện trạng")])
    assert_input_error(_parse_path, path, len(read_raw_report(path).lines), "1.1. Hiện trạng Doanh nghiệp thực hiện")


def test_unknown_province_in_the_appendix(tmp_path):
    assert_input_error(_parse_path, mutated_report(VENDOR_FILE, tmp_path, [(449, "Cà Mau", "Phù Tang")]), 449, "Phù Tang")


def test_appendix_row_missing(tmp_path):
    # row 23 loses its number: the error names row 22 (line 1024), after which 23 should come
    assert_input_error(_parse_path, mutated_report(VENDOR_FILE, tmp_path, [(1054, "23 Sơn La", "Sơn La")]), 1024, "appendix row 23")


def test_appendix_first_system_without_vendor(tmp_path):
    # An Giang's first row (TTHC, line 380) loses its vendor: nothing above to merge from
    assert_input_error(_parse_path, mutated_report(VENDOR_FILE, tmp_path, [(383, "VNPT", "")]), 380, "a vendor for the first system row of An Giang")


# --------------------------------------------------------------------------- spellings, detection, speed

SPELLINGS = dict(province_spellings("vendor_summary"))  # tests/fixtures/province_spellings.csv


def test_spelling_list_is_complete():
    report = read_raw_report(VENDOR_FILE)
    seen = {s for summary in vendors.parse_section_11(report) for l in summary.listings for _, s in l.provinces}
    first, last = vendors._find_appendix(report)
    rows, _ = vendors.parse_appendix(report, first, last, "test")
    seen |= {r.province_as_printed.split(" (")[0] for r in rows}
    assert seen == set(SPELLINGS)


@pytest.mark.parametrize("path", sorted(RAW.glob("*.txt")), ids=lambda p: p.name)
def test_detect_only_the_vendor_summary(path):
    report = read_raw_report(path)
    assert vendors.detect(report) == (path == VENDOR_FILE)
    if path == VENDOR_FILE:
        assert not directives.detect(report)


def test_parse_is_fast():
    report = read_raw_report(VENDOR_FILE)
    vendors.parse(report)  # warm the province registry
    start = time.perf_counter()
    vendors.parse(report)
    assert time.perf_counter() - start < 0.25


# --------------------------------------------------------------------------- printed dates, one vendor in two sections

DATE_CHECKS = ("date_after_report_year", "date_after_report_date")
TWO_SECTIONS = "vendor_province_differs_between_sections"


def _found(parsed, *checks: str) -> list[tuple[str, str]]:
    return [(f.source, f.detail) for f in parsed.findings if f.check in checks]


def test_the_real_report_prints_two_dates_in_2026(parsed):
    # line 324 'chậm nhất 24/6/2026' (4.1, beside 26/6/2025 and 24.6.2025 in 4.2–4.3);
    # line 1354 '14-\n15/6/2026' among test runs of 8/6–17/6/2025 (appendix, Thanh Hóa)
    found = _found(parsed, *DATE_CHECKS)
    bound = "the report is undated, written on or after 23/6/2025 (the latest document it cites, 2618/BKHCN-CĐSQG)"
    assert found == [
        (f"{VENDOR_FILE.name} dòng 324", f"line 324 prints '24/6/2026', a date in 2026, after the report's year 2025: {bound}"),
        (f"{VENDOR_FILE.name} dòng 1354", f"line 1354 prints '15/6/2026', a date in 2026, after the report's year 2025: {bound}"),
    ]
    # the 2024 decision the appendix cites (line 1319, 'ngày 25/7/2024') is an earlier year: not suspect
    assert not any("2024" in detail for _, detail in found)


def test_a_clean_copy_has_no_date_finding(tmp_path):
    clean = mutated_report(VENDOR_FILE, tmp_path, [(324, "24/6/2026", "24/6/2025"), (1354, "15/6/2026", "15/6/2025")])
    assert _found(_parse_path(clean), *DATE_CHECKS) == []


def test_any_later_year_is_found_as_printed(tmp_path):
    # a day range (line 206, a plan) and a dotted date (line 335, a deadline) moved to 2027:
    # the year is wrong even where the words announce a deadline
    path = mutated_report(
        VENDOR_FILE, tmp_path, [(324, "2026", "2025"), (1354, "2026", "2025"), (206, "28-29/6/2025", "28-29/6/2027"), (335, "24.6.2025", "24.6.2027")]
    )
    found = _found(_parse_path(path), *DATE_CHECKS)
    assert [s for s, _ in found] == [f"{VENDOR_FILE.name} dòng 206", f"{VENDOR_FILE.name} dòng 335"]
    assert "prints '28-29/6/2027', a date in 2027" in found[0][1] and "prints '24.6.2027'" in found[1][1]
    assert all("written on or after 23/6/2025" in d for _, d in found)


def test_the_year_follows_the_latest_cited_document(tmp_path):
    # if the latest cited dispatch were of 2026, the report would be of 2026 and its 2026 dates fine
    path = mutated_report(VENDOR_FILE, tmp_path, [(317, "23/6/2025", "23/6/2026")])
    assert _found(_parse_path(path), *DATE_CHECKS) == []


def test_the_real_report_names_unitech_with_different_provinces(parsed):
    # 1.1 b) line 50: 'Unitech: 01 tỉnh (Khánh Hoà)'; 3.1.2 line 190: 'Unitech: Đảm bảo hạ tầng
    # CNTT cho Đà Nẵng và Gia Lai'; the appendix prints Unitech only for Đà Nẵng (line 1470,
    # document management), and Khánh Hòa's row says 'Tỉnh tự triển khai'
    assert _found(parsed, TWO_SECTIONS) == [
        (
            f"{VENDOR_FILE.name} mục 1.1 và mục 3.1.2",
            "Unitech: section 1.1 names Khánh Hòa (line 50), section 3.1.2 names Đà Nẵng (line 190), Gia Lai (line 190) for it instead",
        ),
        (
            f"{VENDOR_FILE.name} mục 1.1 và Phụ lục",
            "Unitech: section 1.1 names Khánh Hòa (line 50), the appendix names Đà Nẵng (line 1470) for it instead",
        ),
    ]


def test_a_copy_with_unitech_agreeing_has_no_such_finding(tmp_path):
    # Unitech in Đà Nẵng in 1.1 too: 3.1.2 names Gia Lai besides (an extra province, not a different one)
    clean = mutated_report(VENDOR_FILE, tmp_path, [(50, "(Khánh Hoà)", "(Đà Nẵng)")])
    assert _found(_parse_path(clean), TWO_SECTIONS) == []


def test_another_vendor_with_another_province_is_found(tmp_path):
    # Mobifone's online meetings move from Huế to Lạng Sơn in 1.1 c); the appendix still prints
    # Mobifone for Huế and never for Lạng Sơn (3.1.2 names no province for MobiFone)
    path = mutated_report(VENDOR_FILE, tmp_path, [(74, "(TP Huế)", "(Lạng Sơn)")])
    found = [d for _, d in _found(_parse_path(path), TWO_SECTIONS) if d.startswith("Mobifone")]
    assert len(found) == 1 and found[0].startswith("Mobifone: section 1.1 names Lạng Sơn (line 74), the appendix names Huế (line ")


def test_the_commitments_section_is_compared_too(tmp_path):
    # 3.1.2 line 197: 'INET: Cam kết bố trí nhân sự và hạ tầng cho Gia Lai và Đắk Lắk' -> Lâm Đồng
    # instead of Gia Lai: now 3.1.2 names a province for iNet that 1.1 and the appendix do not
    path = mutated_report(VENDOR_FILE, tmp_path, [(197, "cho Gia Lai và", "cho Lâm Đồng và")])
    found = [(s.split(" ", 1)[1], d) for s, d in _found(_parse_path(path), TWO_SECTIONS) if d.startswith("iNet")]
    assert found == [
        ("mục 1.1 và mục 3.1.2", "iNet: section 1.1 names Gia Lai (line 52), section 3.1.2 names Lâm Đồng (line 197), Đắk Lắk (line 197) for it instead"),
        ("mục 3.1.2 và Phụ lục", "iNet: section 3.1.2 names Lâm Đồng (line 197), the appendix names Gia Lai (line 662) for it instead"),
    ]


def test_provinces_in_running_text():
    names = vendors.provinces_in_text
    # 'Tĩnh' is a word of a name here, not the 'Tỉnh' prefix; a former province is the one it merged into
    assert [c for c, _ in names("(10 cán bộ tại Hà Tĩnh, 20 tại Thanh Hóa)")] == [42, 38]
    assert [c for c, _ in names("cán bộ Quảng Nam sử dụng hệ thống Đà Nẵng; TP. Hồ Chí Minh")] == [48, 79]
    assert names("qua FPT Shop/Nhà thuốc Long Châu") == []


def test_an_extra_province_beside_the_same_ones_is_not_this_finding(tmp_path):
    # iNet: 1.1 names Gia Lai; the appendix names Gia Lai and Đắk Lắk (that difference is
    # appendix_vendor_differs). No 'different provinces' finding for iNet.
    assert not any(d.startswith("iNet") for _, d in _found(vendors.parse(read_raw_report(VENDOR_FILE)), TWO_SECTIONS))


def test_findings_reach_the_data_quality_table(tmp_path):
    from helpers.ingest.run import build_tables

    tables, _, _ = build_tables([VENDOR_FILE])
    dq = tables["data_quality"]
    rows = dq[dq["check"].isin([*DATE_CHECKS, TWO_SECTIONS])]
    assert sorted(rows["check"]) == ["date_after_report_year", "date_after_report_year", TWO_SECTIONS, TWO_SECTIONS]
    assert rows["source"].str.startswith(VENDOR_FILE.name).all()
