"""The daily readiness parser (helpers.ingest.parsers.daily_readiness) on the 27/6 OCR extract and the 30/6 text.

Expected values were copied from data/raw/daily_readiness_2025-06-27_ocr.txt ("27/6") and
data/raw/daily_readiness_2025-06-30.txt ("30/6"); each notes the line it comes from.
"""

from __future__ import annotations


import pandas as pd
import pytest

from conftest import RAW, province_spellings, mutated_report
from helpers.errors import InputError
from helpers.ingest.parsers import daily_readiness
from helpers.ingest.parsers.daily_readiness import detect, parse, status_findings
from helpers.ingest.rawtext import read_raw_report
from helpers.ingest.schemas import TABLES

OCR_27 = "daily_readiness_2025-06-27_ocr.txt"
CLEAN_30 = "daily_readiness_2025-06-30.txt"
CODES = [1, 4, 8, 11, 12, 14, 15, 19, 20, 22, 24, 25, 31, 33, 37, 38, 40, 42, 44, 46, 48, 51, 52, 56, 66, 68, 75, 79, 80, 82, 86, 91, 92, 96]
TASK_IDS = [
    "I.1", "I.2", "I.3", "I.4",
    "II.1", "II.2", "II.3", "II.4", "II.5",
    "III.1.a", "III.1.b", "III.1.c", "III.1.d", "III.1.e", "III.1.g", "III.1.h",
    "III.2.a", "III.2.b", "III.2.c", "III.2.d", "III.2.e", "III.3", "III.4", "III.5",
    "IV.1", "IV.2",
]  # fmt: skip


@pytest.fixture(scope="module")
def day27():
    return parse(read_raw_report(RAW / OCR_27))


@pytest.fixture(scope="module")
def day30():
    return parse(read_raw_report(RAW / CLEAN_30))


def _progress(parsed, task_id: str) -> dict:
    frame = parsed.tables["task_progress"]
    rows = frame[frame["task_id"] == task_id].to_dict("records")
    assert len(rows) == 1, task_id
    return rows[0]


def _not_done(parsed, task_id: str) -> set[int]:
    status = parsed.tables["task_status"]
    return set(status[(status["task_id"] == task_id) & ~status["done"]]["province_code"])


def _obstacles(parsed, source: str, code: int, kind: str) -> list[str]:
    frame = parsed.tables["obstacles"]
    return frame[(frame["source"] == source) & (frame["province_code"] == code) & (frame["kind"] == kind)]["text"].tolist()


def _na(value) -> bool:
    return value is None or pd.isna(value)


# ---------------------------------------------------------------- detection and header


def test_detects_both_daily_reports_and_none_of_the_others():
    for path in sorted(RAW.iterdir()):
        if path.name == "README.md":
            continue
        assert detect(read_raw_report(path)) == path.name.startswith("daily_readiness_"), path.name


def test_header_dates_and_title(day27, day30):
    # 27/6 line 13 '(Cap nhat lac 12h15 ngay 27/6/2025)'; 30/6 line 11 '(Cập nhật lúc 12h00 ngày 30/6/2025)'
    assert (str(day27.report_date), day27.as_of) == ("2025-06-27", "2025-06-27T12:15")
    assert (str(day30.report_date), day30.as_of) == ("2025-06-30", "2025-06-30T12:00")
    assert day27.kind == day30.kind == daily_readiness.KIND == "daily_readiness"
    # 30/6 lines 1-6
    assert day30.title == (
        "BÁO CÁO Rà soát, đánh giá, nâng cấp, phát triển các hệ thống thông tin phục vụ chỉ đạo, "
        "điều hành và phục vụ người dân, doanh nghiệp đáp ứng yêu cầu sắp xếp đơn vị hành chính theo mô hình mới"
    )
    assert day27.title.startswith("BAO CAO Ra soat, danh gia, nang cip")  # 27/6 lines 5-6, OCR as printed


def test_every_table_passes_its_strict_schema(day27, day30):
    for parsed in (day27, day30):
        assert set(parsed.tables) == {"task_progress", "task_status", "obstacles", "daily_highlights", "daily_ministry_proposals"}
        for name, frame in parsed.tables.items():
            assert list(frame.columns) == TABLES[name].columns
            TABLES[name].strict.validate(frame)


# ---------------------------------------------------------------- task_progress


def test_task_ids_are_the_same_on_both_days(day27, day30):
    assert day27.tables["task_progress"]["task_id"].tolist() == TASK_IDS
    assert day30.tables["task_progress"]["task_id"].tolist() == TASK_IDS


def test_progress_27_ocr(day27):
    # lines 20-31: section I, task 1, '29/34 (ting 04 tinh so v&i ngay hom / qua).', deadline 28/6
    assert _progress(day27, "I.1") == {
        "report_date": "2025-06-27",
        "section": "I- Vé ha tang, dwong truyén, an toan thong tin",
        "task_id": "I.1",
        "task": "Hg ting DC/cloud phuc vu cai dit, vdn hanh cdc hé théng théng tin phuc vu chi dgo, diéu hanh va phuc vu ngwoi din, doanh nghigp",
        "deadline": "2025-06-28",
        "done_count": 29,
        "total": 34,
        "change_vs_previous_day": 4,
        "previous_day_done_count": 25,
    }
    # line 117: '17/34 (tang 08 tinh ...)', line 123: 'ngay 27 thang 6'
    row = _progress(day27, "II.1")
    assert (row["done_count"], row["change_vs_previous_day"], row["previous_day_done_count"], row["deadline"]) == (17, 8, 9, "2025-06-27")
    # line 312: 'Thoi han hoan thanh thu nghiém truoc 18h ngay 27 thang 6 nam 2025.'
    assert _progress(day27, "III.1.b")["deadline"] == "2025-06-27"
    # lines 458-466: the OCR prints 'g)' as '2)'; 25/34 (tang 08), deadline 30/6
    row = _progress(day27, "III.1.g")
    assert (row["task"], row["done_count"], row["change_vs_previous_day"], row["deadline"]) == (
        "Két néi, déng bo, khai thac cac Kho dir liéu dién tw cua 16 chire, cd nhan truoc ddy", 25, 8, "2025-06-30")
    # line 549: '19/34 (khong tang so v6i ngdy hom qua)'
    row = _progress(day27, "III.2.e")
    assert (row["done_count"], row["change_vs_previous_day"], row["previous_day_done_count"]) == (19, 0, 19)
    # line 279: section III printed 'I1I- V@ ...'
    assert row["section"] == "I1I- V@ ra soat, ning cAp HTTT dung chung"
    # lines 651-652: IV.1 has no deadline
    row = _progress(day27, "IV.1")
    assert (row["done_count"], row["change_vs_previous_day"]) == (29, 4) and _na(row["deadline"])


def test_progress_30(day30):
    # lines 24-29: 'Toàn bộ các tỉnh, thành phố đã hoàn thành.' -> 34/34, no change stated
    row = _progress(day30, "I.1")
    assert row["section"] == "I- Về hạ tầng, đường truyền, an toàn thông tin"
    assert row["task"] == "Hạ tầng DC/cloud phục vụ cài đặt, vận hành các hệ thống thông tin phục vụ chỉ đạo, điều hành và phục vụ người dân, doanh nghiệp"
    assert (row["done_count"], row["total"]) == (34, 34)
    assert _na(row["change_vs_previous_day"]) and _na(row["previous_day_done_count"]) and _na(row["deadline"])
    # lines 123-125: 'e) Cập nhật, hoàn thiện SSO', 'Số lượng tỉnh hoàn thành: 32/34.'
    row = _progress(day30, "III.2.e")
    assert (row["task"], row["done_count"], row["total"]) == ("Cập nhật, hoàn thiện SSO", 32, 34)
    assert _na(row["change_vs_previous_day"])
    # lines 50-51: a title wrapped over two lines
    assert _progress(day30, "II.2")["task"] == "Hướng dẫn biện pháp đảm bảo việc thực hiện TTHC mới được chuyển về xã (sau khi bỏ cấp huyện)"
    assert (day30.tables["task_progress"]["done_count"] == 34).sum() == 25


# ---------------------------------------------------------------- task_status


def test_status_27_ocr(day27):
    assert len(day27.tables["task_status"]) == 26 * 34
    # lines 28-29: 'Cao Bé‘mg, Son La, Ba Na:mg, Tay Ninh, / Ca Mau.'
    assert _not_done(day27, "I.1") == {4, 14, 48, 80, 96}  # Cao Bằng, Sơn La, Đà Nẵng, Tây Ninh, Cà Mau
    # lines 198-201: a list broken by a blank line inside 'Hai / (blank) / Phong' and 'Pk / Lék'
    assert _not_done(day27, "II.3") == {52, 24, 4, 92, 46, 31, 12, 20, 40, 8, 86, 15, 66, 14, 37, 48, 75, 80, 82, 96}
    # line 480: 'Pha Tho, Son La, Tay Ninh, Ca Mau.'
    assert _not_done(day27, "III.2.a") == {25, 14, 80, 96}


def test_status_30(day30):
    # line 127: '02 tỉnh chưa hoàn thành: Quảng Trị, Tuyên Quang.'
    assert _not_done(day30, "III.2.e") == {44, 8}
    status = day30.tables["task_status"]
    assert (~status["done"]).sum() == 2
    assert sorted(status[status["task_id"] == "I.1"]["province_code"]) == CODES


# ---------------------------------------------------------------- obstacles


def test_obstacles_30(day30):
    frame = day30.tables["obstacles"]
    assert len(frame) == 26 and (frame["kind"] == "obstacle").sum() == 11
    assert frame["bloc"].isna().all() and frame["communes_affected"].isna().all() and frame["communes_total"].isna().all()
    # line 155 (IV.3, 'Khó khăn, vướng mắc của các đơn vị:' at line 153)
    assert _obstacles(day30, "IV.3", 96, "obstacle") == ["do các đơn vị hành chính cấp xã mới tự đề xuất kinh phí thực hiện."]
    # lines 171-172, followed by a page break
    assert _obstacles(day30, "IV.3", 51, "proposal") == ["Cho phép mua sắm trang thiết bị đối với xã; cấp, trang bị cho xã."]
    # lines 227-228: label inline after the province
    assert _obstacles(day30, "V.1", 51, "proposal") == ["Có một số bản tin phát vào giờ vàng trên VTV1."]
    # line 243: no label, read like Lâm Đồng's paragraph before it (a finding says so)
    assert _obstacles(day30, "V.2", 31, "obstacle")[0].startswith("Hệ thống Đài truyền thanh cấp xã")
    # lines 271-273: section VI a); '02/KH-' + 'BCĐTW' joined without a space
    vi = frame[frame["source"] == "VI"]
    assert vi["task_id"].isna().all() and set(vi["kind"]) == {"proposal"}
    assert vi["province_code"].tolist() == [4, 86, 12, 11, 66, 51, 44, 1]
    assert _obstacles(day30, "VI", 11, "proposal") == [
        "Bố trí kinh phí chi tỉnh để thực hiện Kế hoạch số 02/KH-BCĐTW ngày 19/6/2025 thúc đẩy chuyển đổi số liên thông, hiệu quả đáp ứng yêu cầu sắp xếp bộ máy."
    ]
    # lines 281-286: a header '• Quảng Ngãi:' then two '- ' items
    assert _obstacles(day30, "VI", 51, "proposal") == [
        "- Có một số bản tin phát vào giờ vàng trên VTV1; nhất là thời điểm hiện nay; - Cho phép địa phương mua sắm trang thiết bị đối với các xã mới (trước đây có văn bản “dừng” mua sắm)."
    ]


def test_obstacles_27_ocr(day27):
    frame = day27.tables["obstacles"]
    assert len(frame) == 115 and (frame["kind"] == "proposal").sum() == 14
    assert (frame["task_id"] == frame["source"]).sum() == 108  # all but the 7 of section VI
    # line 62: 'Pha Tho: sb lugng céc trang thiét bi con it.' (I.2)
    assert _obstacles(day27, "I.2", 25, "obstacle") == ["sb lugng céc trang thiét bi con it."]
    # lines 746-759: '• Khánh Hoà:' header, then a difficulty and a proposal paragraph (V.1)
    assert _obstacles(day27, "V.1", 56, "obstacle")[0].startswith("Mot bd phan ngudi dan chua chu dong")
    assert _obstacles(day27, "V.1", 56, "proposal")[0].startswith("Cac dia phuong chi dong trién khai")
    # lines 699-707: 'P& xuit, kién nghi v6i Chinh phu:' then 'DPa Ning: ...'
    assert _obstacles(day27, "IV.3", 48, "proposal") == ["Cho phép cac dia phuong chi dinh thau dé thuc hién."]
    # lines 780-788: Phú Thọ's proposal runs over a page break
    (text,) = _obstacles(day27, "VI", 25, "proposal")
    assert "dia gidi hanh chinh, dac biét tiép tuc khan truong" in text
    # lines 818-820
    assert _obstacles(day27, "VI", 11, "proposal") == ["BG tri kinh phi chi tinh dé thyc hién KH s6 02."]
    # lines 564 and 570: Nghệ An given twice under III.2.e; both kept
    assert len(_obstacles(day27, "III.2.e", 40, "obstacle")) == 2


# ---------------------------------------------------------------- extra tables


def test_highlights(day27, day30):
    # 30/6 lines 17-20
    frame = day30.tables["daily_highlights"]
    assert frame["statement_id"].tolist() == ["A.1", "A.2", "A.2", "A.2", "A.2"]
    assert _na(frame["province_code"].iloc[0])
    assert frame["province_code"].iloc[1:].tolist() == [79, 37, 11, 48]  # TP Hồ Chí Minh, Ninh Bình, Điện Biên, Đà Nẵng
    assert frame["statement"].iloc[0] == "Toàn bộ các tỉnh, thành phố đã hoàn thành báo cáo gửi về Bộ KH&CN."
    # 27/6 line 17
    assert day27.tables["daily_highlights"]["statement"].tolist() == ["Toan bo cac tinh, thanh phd da hoan thanh bao cao giri vé Bo KH&CN."]


def test_ministry_proposals(day27, day30):
    frame = day30.tables["daily_ministry_proposals"]
    assert frame["item"].tolist() == [1, 2, 3, 4]  # lines 321-349
    # lines 324-328: an item running over a page break
    assert "Các Doanh nghiệp công nghệ tăng cường hỗ trợ cho các địa phương" in frame["text"].iloc[0]
    assert frame["text"].iloc[2] == (
        "Đề nghị các Doanh nghiệp công nghệ, doanh nghiệp bưu chính tiếp tục tập trung, sẵn sàng hỗ trợ theo phân công. "
        "Các Doanh nghiệp viễn thông đảm bảo đường truyền, băng thông mạng ở mức cao, đặc biệt trong tháng 7/2025."
    )
    assert len(day27.tables["daily_ministry_proposals"]) == 0  # the 27/6 report has no VI b)


# ---------------------------------------------------------------- cross-checks


def test_findings_on_the_real_reports(day27, day30):
    assert [(f.source, f.check, f.severity) for f in day27.findings] == [("III.2.e", "province_paragraph_repeated", "info")]
    assert [(f.source, f.check, f.severity) for f in day30.findings] == [("V.2", "paragraph_kind_inherited", "info")]


def test_counts_agree_with_lists_in_the_real_reports(day27, day30):
    for parsed in (day27, day30):
        progress = parsed.tables["task_progress"].set_index("task_id")
        not_done = (~parsed.tables["task_status"]["done"]).groupby(parsed.tables["task_status"]["task_id"]).sum()
        assert ((34 - progress["done_count"]) == not_done.reindex(progress.index)).all()
        previous = progress["previous_day_done_count"].dropna()
        assert previous.between(0, 34).all()


def test_status_findings_on_synthetic_contradictions():
    assert status_findings("X.1", 29, 34, 4, 5, [4, 14, 48, 80, 96]) == []
    checks = {f.check for f in status_findings("X.1", 30, 34, 40, 6, [4, 14, 48, 80, 96])}
    assert checks == {"done_equals_total_minus_not_done", "not_done_count_equals_list", "previous_day_done_in_range"}
    checks = {f.check for f in status_findings("X.1", 33, 35, None, None, [4, 4])}
    assert checks == {"total_is_34_provinces", "not_done_list_unique"}
    (finding,) = status_findings("X.1", 30, 34, 4, 5, [4, 14, 48, 80, 96])
    assert finding.severity == "warning" and "30/34" in finding.detail and "5 provinces" in finding.detail




def test_synthetic_contradictions_become_findings_not_errors(tmp_path):
    # 27/6 line 25 says 29/34 with 5 provinces listed at line 28: make it 30/34 and 'tăng 40'.
    path = mutated_report(RAW / OCR_27, tmp_path, [(25, "29/34 (ting 04", "30/34 (ting 40")])
    parsed = parse(read_raw_report(path))
    found = {(f.source, f.check) for f in parsed.findings}
    assert ("I.1", "done_equals_total_minus_not_done") in found and ("I.1", "previous_day_done_in_range") in found
    assert _na(_progress(parsed, "I.1")["previous_day_done_count"])
    # 30/6 line 127: the list is announced as 03 but names 2
    path = mutated_report(RAW / CLEAN_30, tmp_path, [(127, "02 tỉnh", "03 tỉnh")])
    parsed = parse(read_raw_report(path))
    assert ("III.2.e", "not_done_count_equals_list") in {(f.source, f.check) for f in parsed.findings}


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "name, line, old, new, expected",
    [
        (OCR_27, 28, "Son La", "Xu Doai", "province names"),  # unknown name in a not-done list
        (OCR_27, 48, "Can Tho:", "Van Xuan:", "province names"),  # unknown name starting a difficulty
        (OCR_27, 31, "ngay 28 thang 6 nam 2025.", "ngay.", "deadline"),  # deadline without a date
        (CLEAN_30, 11, "12h00", "25h00", "real date and time"),  # impossible time in the update line
        (CLEAN_30, 36, "3. Đường truyền", "5. Đường truyền", "task '3.'"),  # task numbering skips
        (CLEAN_30, 82, "c) Kết nối", "d) Kết nối", "subtask 'c)'"),  # subtask letters out of order
        (CLEAN_30, 125, "32/34.", "32 of 34.", "hoàn thành: D/T"),  # count not readable
        (CLEAN_30, 127, "Tuyên Quang.", "Tuyên Quang", "ending with '.'"),  # list never closed
        (CLEAN_30, 155, "Cà Mau: do", "do", "'Province: text'"),  # paragraph without a province
    ],
)
def test_bad_input_names_file_and_line(tmp_path, name, line, old, new, expected):
    path = mutated_report(RAW / name, tmp_path, [(line, old, new)])
    with pytest.raises(InputError) as info:
        parse(read_raw_report(path))
    message = str(info.value)
    assert message.startswith(f"{path}:{line}: expected"), message
    assert expected in message
    assert "\n" not in message


def test_missing_section_vi_is_an_error(tmp_path):
    lines = (RAW / CLEAN_30).read_text(encoding="utf-8").split("\n")[:246]  # cut before 'VI- Đề xuất' (line 247)
    path = tmp_path / CLEAN_30
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(InputError) as info:
        parse(read_raw_report(path))
    assert str(info.value).startswith(f"{path}:246: expected section 'VI-'")


# ---------------------------------------------------------------- province spellings


SPELLINGS = province_spellings("daily_readiness")  # tests/fixtures/province_spellings.csv


def test_the_spelling_list_is_every_spelling_the_parser_meets(monkeypatch):
    """SPELLINGS above is complete: exactly the names the parser looks up in the two reports."""
    met: set[str] = set()
    real_code_at = daily_readiness.code_at

    def recording_code_at(report, name, line):
        met.add(name.strip())
        return real_code_at(report, name, line)

    monkeypatch.setattr(daily_readiness, "code_at", recording_code_at)
    for name in (OCR_27, CLEAN_30):
        parse(read_raw_report(RAW / name))
    assert met == {spelling for spelling, _ in SPELLINGS}
