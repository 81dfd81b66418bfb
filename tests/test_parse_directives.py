"""Directives notice parser: directives with deadlines and named provinces, cross-checks, bad input."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pandas as pd
import pytest

from conftest import RAW, province_spellings, mutated_report, assert_input_error
from helpers.ingest.parsers import directives, vendors
from helpers.ingest.provinces import province_code
from helpers.ingest.rawtext import read_raw_report
from helpers.ingest.schemas import TABLES

NOTICE_FILE = RAW / "directives_notice_2025-06-30.txt"


@pytest.fixture(scope="module")
def parsed():
    return directives.parse(read_raw_report(NOTICE_FILE))


def _item(parsed, directive_id: str):
    df = parsed.tables["directive_items"]
    match = df[df.directive_id == directive_id]
    assert len(match) == 1, directive_id
    return match.iloc[0]


def _codes(parsed, directive_id: str) -> list:
    df = parsed.tables["directives"]
    return df[df.directive_id == directive_id].province_code.tolist()




def _parse_path(path: Path):
    return directives.parse(read_raw_report(path))


# --------------------------------------------------------------------------- the real notice


def test_kind_dates_and_title(parsed):
    assert parsed.kind == "directives_notice"
    assert parsed.report_date == dt.date(2025, 6, 30)  # line 1: Hà Nội, ngày 30 tháng 6 năm 2025
    assert parsed.as_of == "2025-06-30"  # line 14: Ngày 30 tháng 6 năm 2025, tại trụ sở Chính phủ
    assert parsed.title.startswith("THÔNG BÁO Kết luận của Phó Thủ tướng Chính phủ Nguyễn Chí Dũng tại cuộc họp")  # lines 3–4
    assert parsed.title.endswith("không gián đoạn từ ngày 01/7/2025")  # lines 9–10


def test_tables_follow_their_schemas(parsed):
    assert set(parsed.tables) == {"directives", "directive_items"}
    for name, df in parsed.tables.items():
        assert list(df.columns) == TABLES[name].columns
        TABLES[name].strict.validate(df)
    # 30 directives; II.3.b names 4 provinces and II.3.c 15, the other 28 one row each
    assert len(parsed.tables["directive_items"]) == 30
    assert len(parsed.tables["directives"]) == 28 + 4 + 15


def test_directive_ids_follow_the_numbering(parsed):
    ids = parsed.tables["directive_items"].directive_id.tolist()
    assert ids[:5] == ["I.1", "I.2", "I.3", "II.1.a", "II.1.b"]
    assert ids[6:9] == ["II.2.b-1", "II.2.b-2", "II.2.b-3"]  # lines 69, 74, 78: three bullets of II.2.b
    assert ids[-3:] == ["II.7.c", "II.8", "II.9"]


def test_civil_status_directive(parsed):
    # lines 103–108: b) Ủy ban nhân dân 4 tỉnh (Bắc Ninh, Lào Cai, Vĩnh Long, An Giang) … trong ngày 01 tháng 7 năm 2025
    assert _codes(parsed, "II.3.b") == [24, 15, 86, 91]
    item = _item(parsed, "II.3.b")
    assert item.deadline == "2025-07-01"
    assert item.deadline_as_printed == "chậm nhất trong ngày 01 tháng 7 năm 2025"
    assert (item.provinces_stated, item.provinces_listed, item.source_line) == (4, 4, 103)
    assert item.directive.startswith("Ủy ban nhân dân 4 tỉnh (Bắc Ninh, Lào Cai, Vĩnh Long, An Giang) hoàn thành việc điều chỉnh")


def test_birth_death_directive(parsed):
    # lines 110–116: c) Ủy ban nhân dân 15 tỉnh, thành phố (thành phố Hồ Chí Minh, …, Lài Cai, Lai Châu, …)
    codes = _codes(parsed, "II.3.c")
    assert codes == [79, 92, 24, 37, 8, 20, 40, 44, 15, 12, 14, 56, 52, 86, 91]
    item = _item(parsed, "II.3.c")
    assert (item.deadline, item.provinces_stated, item.provinces_listed) == ("2025-07-01", 15, 15)


@pytest.mark.parametrize(
    "directive_id, deadline",
    [
        ("II.1.a", "2025-07-10"),  # line 55: hoàn thành chậm nhất trước ngày 10 tháng 7 năm 2025
        ("II.3.a-1", "2025-07-05"),  # line 94: trước ngày 5 tháng 7 năm 2025
        ("I.2", None),  # line 38–39: 'từ ngày 01 tháng 7 năm 2025' is a start, not a deadline
        ("II.4.a-2", None),  # line 142–143: 'trước và sau ngày 01 tháng 7 năm 2025'
        ("II.7.a", None),  # line 190: the plan's date 'ngày 19 tháng 6 năm 2025'
        ("II.5.a-1", None),  # line 154–155: 'trong năm 2025' names no day
    ],
)
def test_deadlines(parsed, directive_id, deadline):
    value = _item(parsed, directive_id).deadline
    assert (None if pd.isna(value) else value) == deadline


def test_year_deadline_is_kept_as_printed(parsed):
    assert _item(parsed, "II.5.a-1").deadline_as_printed == "trong năm 2025"  # line 154–155


def test_directives_naming_no_province_have_an_empty_code(parsed):
    codes = _codes(parsed, "II.8")  # line 203: addresses all provinces, names none
    assert len(codes) == 1 and pd.isna(codes[0])
    assert _item(parsed, "II.8").provinces_listed == 0
    assert pd.isna(_item(parsed, "II.8").provinces_stated)


def test_page_break_is_joined(parsed):
    # line 133 '… trên Trục liên thông', page number '4' on line 137, text resumes on line 139
    assert "trên Trục liên thông văn bản quốc gia, bảo đảm việc gửi" in _item(parsed, "II.4.a-2").directive


def test_context_names_the_addressee(parsed):
    assert _item(parsed, "II.2.b-2").context == (
        "CÁC NHIỆM VỤ TRỌNG TÂM › Về hạ tầng kỹ thuật, công nghệ, an toàn thông tin, an ninh mạng"
        " › Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương:"
    )  # lines 46, 62, 68
    assert _item(parsed, "I.1").context == "VỀ QUAN ĐIỂM, YÊU CẦU › Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương:"


def test_findings_on_the_real_notice(parsed):
    assert [(f.check, f.severity, f.detail) for f in parsed.findings] == [
        ("province_spelling_corrected", "info", "II.3.c: 'Lài Cai' (line 110) read as Lào Cai"),
    ]


# --------------------------------------------------------------------------- synthetic contradictions


def test_stated_count_differs_from_the_list(tmp_path):
    parsed = _parse_path(mutated_report(NOTICE_FILE, tmp_path, [(103, "4 tỉnh", "04 tỉnh"), (110, "15 tỉnh", "16 tỉnh")]))
    details = [f.detail for f in parsed.findings if f.check == "directive_province_count"]
    assert len(details) == 1  # '04 tỉnh' still agrees with its four names
    assert details[0].startswith("II.3.c: states 16 provinces (line 110) but lists 15 names")


def test_province_named_twice(tmp_path):
    # Cần Thơ (line 110) becomes a second Bắc Ninh
    parsed = _parse_path(mutated_report(NOTICE_FILE, tmp_path, [(110, "Cần Thơ", "Bắc Ninh")]))
    checks = [(f.check, f.detail) for f in parsed.findings if f.severity == "warning"]
    assert ("province_listed_twice", "II.3.c: Bắc Ninh is named twice (line 110); one row kept") in checks
    count = [d for c, d in checks if c == "directive_province_count"]
    assert count and "lists 15 names, 14 of them distinct" in count[0]
    assert len(_codes(parsed, "II.3.c")) == 14


def test_meeting_after_the_notice(tmp_path):
    parsed = _parse_path(mutated_report(NOTICE_FILE, tmp_path, [(14, "Ngày 30 tháng 6", "Ngày 2 tháng 7")]))
    assert [f.detail for f in parsed.findings if f.check == "meeting_after_notice"] == [
        "the meeting is dated 02/07/2025 (line 14), after the notice's own date 30/06/2025"
    ]


def test_check_province_count_directly():
    assert directives.check_province_count("X.1", 2, [(1, "Hà Nội"), (4, "Cao Bằng")], 5, "test") == []
    [finding] = directives.check_province_count("X.1", 3, [(1, "Hà Nội"), (4, "Cao Bằng")], 5, "test")
    assert finding.detail == "X.1: states 3 provinces (line 5) but lists 2 names (Hà Nội, Cao Bằng)"


# --------------------------------------------------------------------------- bad input




def test_unknown_province(tmp_path):
    assert_input_error(_parse_path, mutated_report(NOTICE_FILE, tmp_path, [(103, "Lào Cai", "Vạn Xuân")]), 103, "Vạn Xuân")


def test_unknown_province_on_a_wrapped_line(tmp_path):
    # the list starts on line 110; 'Sơn La' is on line 112
    assert_input_error(_parse_path, mutated_report(NOTICE_FILE, tmp_path, [(112, "Sơn La", "Xứ Đoài")]), 112, "Xứ Đoài")


def test_numbering_skips_an_item(tmp_path):
    assert_input_error(_parse_path, mutated_report(NOTICE_FILE, tmp_path, [(62, "2. Về hạ tầng", "4. Về hạ tầng")]), 62, "item of section II '2'")


def test_lettering_skips_an_item(tmp_path):
    assert_input_error(_parse_path, mutated_report(NOTICE_FILE, tmp_path, [(57, "b) Rà soát", "c) Rà soát")]), 57, "lettered item of II.1 'b'")


def test_missing_notice_date(tmp_path):
    assert_input_error(_parse_path, mutated_report(NOTICE_FILE, tmp_path, [(1, "ngày 30 tháng 6", "tháng 6")]), 1, "the place and date line")


def test_two_deadlines_in_one_directive(tmp_path):
    path = mutated_report(NOTICE_FILE, tmp_path, [(55, "năm 2025.", "năm 2025 và trước ngày 15 tháng 7 năm 2025.")])
    assert_input_error(_parse_path, path, 49, "at most one deadline per directive")


def test_impossible_deadline(tmp_path):
    assert_input_error(_parse_path, mutated_report(NOTICE_FILE, tmp_path, [(55, "ngày 10 tháng 7", "ngày 31 tháng 6")]), 55, "a valid deadline date")


def test_missing_closing_sentence(tmp_path):
    path = mutated_report(NOTICE_FILE, tmp_path, [(214, "Văn phòng Chính phủ trân trọng thông báo", "Trân trọng")])
    assert_input_error(_parse_path, path, len(read_raw_report(path).lines), "the closing")


# --------------------------------------------------------------------------- spellings, detection, speed

SPELLINGS = dict(province_spellings("directives_notice"))  # tests/fixtures/province_spellings.csv


def test_notice_typo_is_corrected():
    # 'Lài Cai' (line 111) is not a province name; the parser's typo table reads it as Lào Cai
    assert directives._NOTICE_TYPOS == {"Lài Cai": "Lào Cai"}
    assert province_code(directives._NOTICE_TYPOS["Lài Cai"]) == 15


def test_spelling_list_is_complete():
    report = read_raw_report(NOTICE_FILE)
    sections, _ = directives.parse_outline(report)
    seen = set()
    for section in sections:
        for leaf, path in directives._leaves(section, []):
            for node in path + [leaf]:
                for _, names, _ in directives._province_lists(report, node):
                    seen |= {spelling for _, spelling in names}
    assert seen == set(SPELLINGS) | set(directives._NOTICE_TYPOS)


@pytest.mark.parametrize("path", sorted(RAW.glob("*.txt")), ids=lambda p: p.name)
def test_detect_only_the_notice(path):
    report = read_raw_report(path)
    assert directives.detect(report) == (path == NOTICE_FILE)
    if path == NOTICE_FILE:
        assert not vendors.detect(report)


def test_parse_is_fast():
    report = read_raw_report(NOTICE_FILE)
    directives.parse(report)  # warm the province registry
    start = time.perf_counter()
    directives.parse(report)
    assert time.perf_counter() - start < 0.25
