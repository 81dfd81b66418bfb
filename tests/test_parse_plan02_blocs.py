"""Plan-02 report, appendices 6 and 9–25 (helpers.ingest.parsers.plan02_blocs).

Expected values are copied from data/raw/plan02_report_2025-09-22.txt; each names its line.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from conftest import province_spellings, mutated_report, assert_input_error

from helpers.errors import InputError
from helpers.ingest.parsers import plan02_blocs as blocs
from helpers.ingest.parsers.plan02_blocs import parse_bloc_appendices, parse_bloc_appendices_with_spellings
from helpers.ingest.parsers.plan02_sections import split_plan02
from helpers.ingest.rawtext import read_raw_report
from helpers.ingest.schemas.extra_plan02_blocs import EXTRA_TABLES
from helpers.ingest.schemas.tables import TABLES

REPORT = Path(__file__).resolve().parent.parent / "data" / "raw" / "plan02_report_2025-09-22.txt"
DATE = "2025-09-22"
SPECS = {**TABLES, **{spec.name: spec for spec in EXTRA_TABLES}}


@pytest.fixture(scope="module")
def parsed():
    report = read_raw_report(REPORT)
    return parse_bloc_appendices_with_spellings(report, split_plan02(report), DATE)


@pytest.fixture(scope="module")
def tables(parsed):
    return parsed[0]


@pytest.fixture(scope="module")
def findings(parsed):
    return parsed[1]


def _parse(path: Path):
    report = read_raw_report(path)
    return parse_bloc_appendices(report, split_plan02(report), DATE)


def _one(df: pd.DataFrame, **where) -> pd.Series:
    mask = pd.Series(True, index=df.index)
    for column, value in where.items():
        mask &= df[column] == value
    rows = df[mask]
    assert len(rows) == 1, (where, len(rows))
    return rows.iloc[0]


# ---------------------------------------------------------------------------
# Shape and schema
# ---------------------------------------------------------------------------


def test_public_signature_returns_tables_and_findings():
    tables, findings = _parse(REPORT)
    assert set(tables) == {"obstacles", "bloc_criteria", "bloc_criteria_summary", "bloc_completion"}
    assert all(isinstance(f, blocs.Finding) for f in findings)


@pytest.mark.parametrize("name", ["obstacles", "bloc_criteria", "bloc_criteria_summary", "bloc_completion"])
def test_tables_match_their_specs(tables, name):
    df = tables[name]
    assert list(df.columns) == SPECS[name].columns
    SPECS[name].strict.validate(df)
    if "province_code" in df:
        assert df["province_code"].dtype == "int64"


def test_row_counts(tables):
    assert len(tables["obstacles"]) == 999
    assert len(tables["bloc_criteria"]) == 387
    assert len(tables["bloc_criteria_summary"]) == 61
    assert len(tables["bloc_completion"]) == 34 * 4


def test_obstacle_counts_per_appendix(tables):
    counts = tables["obstacles"].groupby("source").size().to_dict()
    # Appendix 6: 31 provinces × 3 items + Nghệ An's single item (line 1579); 13–20: 34 × 3.
    assert counts["Phụ lục 6"] == 94
    for number in range(13, 21):
        assert counts[f"Phụ lục {number}"] == 102
    # 22–25: one row per province, as many as the titles say (27/34, 30/34, 04/34, 28/34).
    assert (counts["Phụ lục 22"], counts["Phụ lục 23"], counts["Phụ lục 24"], counts["Phụ lục 25"]) == (27, 30, 4, 28)


def test_blocs_and_kinds_from_titles(tables):
    o = tables["obstacles"]
    got = {s: tuple(g[["bloc", "kind"]].drop_duplicates().itertuples(index=False, name=None)) for s, g in o.groupby("source")}
    assert got["Phụ lục 13"] == (("party", "obstacle"),)  # line 3415 VƯỚNG MẮC ... ĐẢNG ỦY
    assert got["Phụ lục 14"] == (("party", "proposal"),)  # line 3698 KIẾN NGHỊ ĐỀ XUẤT ... ĐẢNG ỦY
    assert got["Phụ lục 15"] == (("council", "obstacle"),)
    assert got["Phụ lục 16"] == (("council", "proposal"),)
    assert got["Phụ lục 17"] == (("committee", "obstacle"),)
    assert got["Phụ lục 18"] == (("committee", "proposal"),)
    assert got["Phụ lục 19"] == (("front", "obstacle"),)
    assert got["Phụ lục 20"] == (("front", "proposal"),)
    assert got["Phụ lục 22"] == (("province", "obstacle"),)
    assert o[o.source == "Phụ lục 6"]["bloc"].isna().all()
    assert o["task_id"].isna().all()


# ---------------------------------------------------------------------------
# Exact values: obstacles
# ---------------------------------------------------------------------------


def test_appendix6_values(tables):
    o = tables["obstacles"]
    a6 = o[o.source == "Phụ lục 6"]
    # line 1408: "Hệ thống phần mềm hộ tịch chưa cập nhật đầy đủ 6/102 (5,9%)" under An Giang
    first = a6.iloc[0]
    assert (first.province_code, first.text, first.communes_affected, first.communes_total) == (
        91, "Hệ thống phần mềm hộ tịch chưa cập nhật đầy đủ", 6, 102)
    # lines 1436–1439: the item wraps and its counts sit on a line of their own (TP. Cần Thơ)
    row = _one(a6, province_code=92, communes_affected=4)
    assert row.text == "Hệ thống không liên thông giữa các phần mềm (Đăng ký kinh doanh, Bảo hiểm xã hội, Hộ tịch)"
    assert row.communes_total == 103
    # line 1579: the item shares the province's line
    row = _one(a6, province_code=40)
    assert (row.text, row.communes_affected, row.communes_total) == ("Không có phản hồi", 1, 130)
    # line 1659: Vĩnh Long's third item comes after the header repeated at the page break
    row = _one(a6, province_code=86, communes_affected=9)
    assert (row.text, row.communes_total) == ("Thiếu trang thiết bị và hạ tầng phục vụ công tác", 124)
    # line 1595: Phú Thọ's third item, also after a repeated header
    row = _one(a6, province_code=25, communes_affected=6)
    assert row.text == "Chưa liên thông thủ tục hành chính"


def test_bloc_obstacles_values(tables):
    o = tables["obstacles"]
    # line 3714 (Phụ lục 14, Bắc Ninh): "Tập huấn, đào tạo kỹ năng số cho cán bộ 38/99 (38,4%)"
    row = _one(o, source="Phụ lục 14", province_code=24, communes_affected=38)
    assert row.text == "Tập huấn, đào tạo kỹ năng số cho cán bộ" and row.communes_total == 99
    # lines 5225–5228 (Phụ lục 19, Hà Tĩnh): wrapped item, counts alone on the next line
    row = _one(o, source="Phụ lục 19", province_code=42, communes_affected=30)
    assert row.text == "Cán bộ Mặt trận và các chi đoàn, chi hội chưa được đào tạo chuyên sâu về công nghệ thông tin"
    assert row.communes_total == 69
    # lines 5518–5521 (Phụ lục 20, Hà Tĩnh)
    row = _one(o, source="Phụ lục 20", province_code=42, communes_affected=10)
    assert row.text == "Tổ chức các lớp tập huấn về kỹ năng giao tiếp và thái độ phục vụ người dân cho đội ngũ cán bộ"
    # line 3691 (Phụ lục 13, Vĩnh Long, the 34th row)
    row = _one(o, source="Phụ lục 13", province_code=86, communes_affected=23)
    assert row.text == "Thiếu nguồn nhân lực và trang thiết bị" and row.communes_total == 124
    # lines 4214–4216 (Phụ lục 15, Sơn La): printed with 74 communes
    row = _one(o, source="Phụ lục 15", province_code=14, communes_affected=10)
    assert (row.text, row.communes_total) == ("Thiếu cơ chế giám sát phù hợp", 74)


def test_provincial_obstacles_values(tables):
    o = tables["obstacles"]
    p22 = o[o.source == "Phụ lục 22"]
    assert p22["communes_affected"].isna().all() and p22["communes_total"].isna().all()
    # line 5804: "1 Tỉnh ủy An Giang Nguồn nhân lực ..." (body, province and text on one line)
    assert _one(p22, province_code=91).text == (
        "Nguồn nhân lực tham gia, hỗ trợ cho quá trình chuyển đổi số còn thiếu, đặc biệt là tại cấp cơ sở")
    # lines 5879–5888: STT alone, the name cell wraps ("Thành ủy Thành phố Hồ Chí" / "Minh")
    assert _one(p22, province_code=79).text == (
        "Hệ thống phần mềm do TW triển khai tập trung chưa đáp ứng được yêu cầu ở cấp tỉnh, cấp xã. "
        "Hiện nay, nhiều hệ thống phần mềm triển khai tuy nhiên nhân lực làm công tác chuyển đổi số ở phường, "
        "xã còn hạn chế nên ảnh hưởng đến tiến độ.")
    # line 5970: "Tỉnh ủy tỉnh Quảng Ninh ..."; line 5921: the typo "Tinh ủy Quảng Ngãi"
    assert _one(p22, province_code=22).text == "Nguồn nhân lực chuyên trách về Công nghệ thông tin còn thiếu"
    assert _one(p22, province_code=51).text.startswith("(1) Hệ thống điều hành tác nghiệp dùng chung")
    # line 6000: " 26 Đảng ủy Tỉnh Tuyên Quang nguồn lực"
    assert _one(p22, province_code=8).text == "nguồn lực"
    # Phụ lục 24 (lines 6252–6283): Lâm Đồng, Lạng Sơn, Nghệ An, Quảng Ninh
    p24 = o[o.source == "Phụ lục 24"]
    assert list(p24.province_code) == [68, 20, 40, 22]
    assert _one(p24, province_code=40).text == (
        "Thời gian đầu có vướng mắc đối với các dịch vụ của Bộ Tư pháp và Bộ Tài chính. "
        "Tuy nhiên hiện nay địa phương đã phối hợp cùng các bộ ngành xử lý")


# ---------------------------------------------------------------------------
# Exact values: criteria (appendices 9–12)
# ---------------------------------------------------------------------------


def _criterion_row(df, criterion_id, rank):
    return _one(df, criterion_id=criterion_id, rank=rank)


def test_criteria_values(tables):
    c = tables["bloc_criteria"]
    # line 2475: "Lạng Sơn (3.08% (2/65)); Hưng Yên (11.54% (12/104)); Cao"
    row = _criterion_row(c, "party.01", 1)
    assert (row.appendix, row.bloc, row.province_code, row.pct, row.communes_met, row.communes_total) == (9, "party", 20, 3.08, 2, 65)
    # lines 2475–2477: "Cao" / "Bằng (14.29% (8/56))" wraps inside the name
    row = _criterion_row(c, "party.01", 3)
    assert (row.province_code, row.pct, row.communes_met, row.communes_total) == (4, 14.29, 8, 56)
    # lines 2805–2807: "Đắk Lắk (44.12%" / "(45/102))", last of council.10
    row = _criterion_row(c, "council.10", 10)
    assert (row.province_code, row.pct, row.communes_met, row.communes_total) == (66, 44.12, 45, 102)
    # lines 2819–2833: council.11's list runs over a page number ("25") and a repeated header
    row = _criterion_row(c, "council.11", 7)
    assert (row.province_code, row.pct, row.communes_met, row.communes_total) == (37, 46.51, 60, 129)
    row = _criterion_row(c, "council.11", 10)
    assert (row.province_code, row.pct, row.communes_met, row.communes_total) == (33, 49.04, 51, 104)
    # line 3037: "9 UBND xã triển khai Kế hoạch 02 tại địa phương 1 Cao Bằng (46.43% (26/56))"
    row = _criterion_row(c, "committee.09", 1)
    assert (row.province_code, row.pct, row.communes_met, row.communes_total) == (4, 46.43, 26, 56)
    assert row.criterion == "UBND xã triển khai Kế hoạch 02 tại địa phương"
    # line 3363: "17 Hệ thống tổng hợp ý kiến, kiến nghị của nhân dân 2 Lai Châu (...); Lạng Sơn (49.23% (32/65))"
    row = _criterion_row(c, "front.17", 2)
    assert (row.province_code, row.pct, row.communes_met, row.communes_total) == (20, 49.23, 32, 65)
    # line 2656: "TP. Hồ Chí Minh (11.31% (19/168))" is council.03's second
    assert _criterion_row(c, "council.03", 2).province_code == 79


def test_criteria_summary_values(tables):
    s = tables["bloc_criteria_summary"].set_index("criterion_id")
    # lines 2473 and 2493: 33 and 32 provinces under 50%
    assert s.loc["party.01", "provinces_below_50"] == 33 and s.loc["party.02", "provinces_below_50"] == 32
    # line 2549: 9 provinces, 9 listed
    assert (s.loc["party.05", "provinces_below_50"], s.loc["party.05", "provinces_listed"]) == (9, 9)
    # line 2928: "34 Tất cả các tỉnh/thành phố" instead of a list
    assert s.loc["committee.01", "provinces_below_50"] == 34
    assert s.loc["committee.01", "provinces_listed"] == 0
    assert s.loc["committee.01", "note"] == "Tất cả các tỉnh/thành phố"
    assert s["note"].isna().sum() == 60
    # lines 2925–2927: "yếu" + " thế": a line with no trailing space, next line starts with one
    assert s.loc["committee.01", "criterion"] == "Có kịch bản, phương án hướng dẫn hỗ trợ người dân yếu thế và xử lý các tình huống thường gặp"
    # line 3019: "7 Các hệ thống khác 6" (STT, criterion and count on one line)
    assert (s.loc["committee.07", "criterion"], s.loc["committee.07", "provinces_below_50"]) == ("Các hệ thống khác", 6)
    # lines 3051–3053: "côn" + "g chức" (a word cut at the line end) joins without a space
    assert "cho cán bộ, công chức của xã" in s.loc["committee.11", "criterion"]
    # lines 2692–2694: "ch" + "uyển đổi số"
    assert s.loc["council.05", "criterion"].endswith("đối với công tác chuyển đổi số tại xã trong năm 2025")
    # lines 3400–3412: front.24's text continues after its count, the page break and the repeated header
    assert s.loc["front.24", "criterion"] == (
        "MTTQ xã có huy động đoàn viên, hội viên của các tổ chức đoàn thể tham gia hỗ trợ người dân trực tiếp "
        "tại Trung tâm Phục vụ Hành chính công trong quá trình nộp hồ sơ trực tuyến")
    # criteria per bloc: 8 party, 17 council, 12 committee, 24 front
    assert tables["bloc_criteria_summary"].groupby("bloc").size().to_dict() == {"party": 8, "council": 17, "committee": 12, "front": 24}


def test_criteria_lists_are_ascending_and_below_50(tables):
    c = tables["bloc_criteria"]
    assert (c.pct < 50).all()
    for _, group in c.groupby("criterion_id"):
        assert list(group.sort_values("rank").pct) == sorted(group.pct)


# ---------------------------------------------------------------------------
# Exact values: completion (appendix 21)
# ---------------------------------------------------------------------------


def test_completion_values(tables):
    d = tables["bloc_completion"]
    # line 5713: "1 An Giang 94,74% 85,71% 81,82% 52,63%" (columns: Đảng ủy, HĐND, UBND, MTTQ)
    assert [_one(d, province_code=91, bloc=b).pct for b in ("party", "council", "committee", "front")] == [94.74, 85.71, 81.82, 52.63]
    # line 5735: "12 Thành phố Hà Nội 57,89% 92,86% 0% 47,37%"
    assert _one(d, province_code=1, bloc="committee").pct == 0.0
    # line 5771 (after the repeated header): "22 Lào Cai 100% 85,71% 81,82% 68,42%"
    assert _one(d, province_code=15, bloc="party").pct == 100.0
    # line 5795: "34 Vĩnh Long 73,68% 64,29% 95,45% 57,89%"
    assert _one(d, province_code=86, bloc="council").pct == 64.29
    assert d.province_code.nunique() == 34
    assert d.groupby("bloc").size().to_dict() == {"committee": 34, "council": 34, "front": 34, "party": 34}


# ---------------------------------------------------------------------------
# Findings on the real report
# ---------------------------------------------------------------------------


def test_findings_on_real_data(findings):
    assert sorted((f.check, f.severity) for f in findings) == sorted([
        ("province_count_mismatch", "warning"),  # Phụ lục 6 lists 32 provinces (no Sơn La, no Huế)
        ("communes_total_inconsistent", "warning"),  # Sơn La: 74 communes in Phụ lục 15/16, 75 elsewhere
        ("communes_total_not_registry", "warning"),  # ... and the registry has 75
        ("criterion_list_not_printed", "info"),  # committee.01 prints "Tất cả các tỉnh/thành phố"
        ("body_below_50_mismatch", "warning"),  # body line 184 vs Phụ lục 11 criterion 2
    ])
    by_check = {f.check: f for f in findings}
    assert by_check["province_count_mismatch"].detail.endswith("missing: Sơn La, Huế")
    assert by_check["province_count_mismatch"].source.endswith("Phụ lục 6")
    assert "74 (Phụ lục 15 line 4216" in by_check["communes_total_inconsistent"].detail
    body = by_check["body_below_50_mismatch"]
    assert "34/34" in body.detail and "prints 32" in body.detail and "committee.02" in body.detail


def test_body_citations_agree_with_appendices(tables):
    """Body lines 166–197 cite appendices 9–12; all but one statement match the appendix counts."""
    report = read_raw_report(REPORT)
    sections = split_plan02(report)
    summary = tables["bloc_criteria_summary"].to_dict("records")
    citations = blocs.body_citations(report, sections.body, summary)
    got = {(c["criterion_id"], c["figure"]) for c in citations}
    assert got == {
        ("party.01", 33), ("party.02", 32),  # line 166: "33/34 ... phần mềm quản lý cán bộ ... 32/34 ... phổ biến"
        ("council.01", 33), ("council.04", 33), ("council.02", 33), ("council.05", 33), ("council.03", 33),  # line 174
        ("committee.01", 34), ("committee.02", 34),  # line 184: "Ở tất cả các tỉnh, thành phố"
        ("front.02", 28), ("front.01", 31),  # line 190: "28/34 ... danh sách đoàn viên ... 31/34 ... quy chế"
    }
    counts = {s["criterion_id"]: s["provinces_below_50"] for s in summary}
    assert [c["criterion_id"] for c in citations if c["figure"] != counts[c["criterion_id"]]] == ["committee.02"]


def test_criteria_pct_matches_counts_on_real_data(tables):
    c = tables["bloc_criteria"]
    computed = c.communes_met.astype(float) / c.communes_total.astype(float) * 100
    assert ((computed - c.pct).abs() <= 0.005 + 1e-9).all()


def test_obstacle_pcts_match_on_real_data(findings):
    assert not [f for f in findings if f.check in ("obstacle_pct_mismatch", "criterion_pct_mismatch")]


# ---------------------------------------------------------------------------
# Cross-check functions on small contradictions
# ---------------------------------------------------------------------------


def test_check_item_pcts_flags_mismatch():
    items = [
        {"appendix": 6, "line": 10, "province_code": 91, "affected": 6, "total": 102, "pct": 5.9},  # fine
        {"appendix": 6, "line": 12, "province_code": 91, "affected": 6, "total": 102, "pct": 6.9},  # wrong
        {"appendix": 13, "line": 14, "province_code": 1, "affected": 130, "total": 126, "pct": 100.0},  # > total
    ]
    got = blocs.check_item_pcts(items, "x.txt")
    assert [(f.check, f.source) for f in got] == [
        ("obstacle_pct_mismatch", "x.txt Phụ lục 6"), ("communes_affected_exceed_total", "x.txt Phụ lục 13")]
    assert "6/102 = 5.88%" in got[0].detail


def test_check_communes_totals_flags_inconsistency_and_registry():
    obs = [
        {"appendix": 6, "line": 1, "province_code": 12, "total": 38},
        {"appendix": 13, "line": 2, "province_code": 12, "total": 39},
        {"appendix": 9, "line": 3, "province_code": 1, "total": 126},
    ]
    got = blocs.check_communes_totals(obs, "x.txt")
    assert [f.check for f in got] == ["communes_total_inconsistent", "communes_total_not_registry"]
    assert "Lai Châu" in got[0].detail and "38 (Phụ lục 6 line 1)" in got[0].detail
    assert "39 communes" in got[1].detail and "registry has 38" in got[1].detail


def test_check_provinces_listed():
    got = blocs.check_provinces_listed(22, [91, 24, 24], 3, "x.txt", expected_from="the title says 3/34")
    assert [f.check for f in got] == ["province_listed_twice", "province_count_mismatch"]
    assert "2 provinces listed, expected 3" in got[1].detail
    assert blocs.check_provinces_listed(22, [91, 24], 2, "x.txt") == []


def _summary(cid="party.01", n=2, note=None, appendix=9):
    return {"appendix": appendix, "criterion_id": cid, "provinces_below_50": n, "note": note, "criterion": "Tiêu chí"}


def _crit(rank, code, pct, met, total, cid="party.01"):
    return {"criterion_id": cid, "rank": rank, "province_code": code, "pct": pct,
            "communes_met": met, "communes_total": total, "_line": 100 + rank}


def test_check_criteria_clean_case_has_no_findings():
    rows = [_crit(1, 20, 3.08, 2, 65), _crit(2, 33, 11.54, 12, 104)]
    assert blocs.check_criteria([_summary(n=2)], rows, {9: 10}, "x.txt") == []


def test_check_criteria_flags_contradictions():
    rows = [_crit(1, 20, 13.08, 2, 65), _crit(2, 33, 11.54, 12, 104), _crit(3, 4, 55.0, 31, 56)]
    got = blocs.check_criteria([_summary(n=5)], rows, {9: 10}, "x.txt")
    assert sorted(f.check for f in got) == sorted([
        "criterion_list_length_mismatch",  # 5 under 50% but 3 listed
        "criterion_pct_mismatch",  # 13.08 vs 2/65 = 3.08
        "criterion_pct_mismatch",  # 55.0 vs 31/56 = 55.36
        "criterion_listed_not_below_50",  # 55.0
        "criterion_rank_order",  # 13.08 before 11.54
    ])
    over = blocs.check_criteria([_summary(n=35, note="Tất cả các tỉnh/thành phố")], [], {9: 10}, "x.txt")
    assert sorted(f.check for f in over) == ["criterion_count_exceeds_provinces", "criterion_list_not_printed"]


def test_check_body_below_50():
    summary = [_summary("committee.02", 32, appendix=11), _summary("committee.01", 34, appendix=11)]
    citations = [
        {"appendix": 11, "line": 184, "figure": 34, "body_phrase": "kịch bản", "criterion_id": "committee.01"},
        {"appendix": 11, "line": 184, "figure": 34, "body_phrase": "vận hành bộ máy", "criterion_id": "committee.02"},
    ]
    got = blocs.check_body_below_50(citations, summary, "x.txt")
    assert len(got) == 1 and got[0].check == "body_below_50_mismatch" and "committee.02" in got[0].detail


def test_check_completion():
    rows = [{"province_code": p.code, "bloc": "party", "pct": round(k % 19 / 19 * 100, 2)}
            for k, p in enumerate(blocs.registry())]
    assert blocs.check_completion(rows, "x.txt") == []
    rows[0]["pct"] = 50.5  # not k/N for any N ≤ 60 that also fits the other rates (multiples of 1/19)
    got = blocs.check_completion(rows[:-1], "x.txt")
    assert sorted(f.check for f in got) == ["completion_rates_no_common_denominator", "province_count_mismatch"]
    assert "missing: Cà Mau" in [f for f in got if f.check == "province_count_mismatch"][0].detail


def test_check_title_date():
    assert blocs.check_title_date("2025-09-22", DATE, "x") == []
    assert blocs.check_title_date("2025-09-21", DATE, "x")[0].check == "title_date_differs"


def test_join_wrapped_lines():
    assert blocs._join(["Hệ thống (Hộ ", "tịch) "]) == "Hệ thống (Hộ tịch)"
    assert blocs._join(["cán bộ, côn", "g chức "]) == "cán bộ, công chức"  # cut inside a word
    assert blocs._join(["người dân yếu", " thế và"]) == "người dân yếu thế và"  # cut at a space


# ---------------------------------------------------------------------------
# Bad input: mutated copies must fail naming the file and the line
# ---------------------------------------------------------------------------






def test_unknown_province_spelling(tmp_path):
    path = mutated_report(REPORT, tmp_path, [(1414, "2 Bắc Ninh", "2 Vạn Xuân")])
    assert_input_error(_parse, path, 1414, "province", "Vạn Xuân")


def test_unknown_province_in_criteria_list(tmp_path):
    path = mutated_report(REPORT, tmp_path, [(2483, "(18.42% (7/38)); Sơn La", "(18.42% (7/38)); Xứ Đoài")])
    assert_input_error(_parse, path, 2483, "province", "Xứ Đoài")


def test_malformed_criteria_entry(tmp_path):
    path = mutated_report(REPORT, tmp_path, [(2475, "Lạng Sơn (3.08% (2/65))", "Lạng Sơn (3.08 (2/65))")])
    assert_input_error(_parse, path, 2475, "province entry")


def test_item_without_counts(tmp_path):
    # Dropping the counts must not merge the item with the next one (line 3425 starts with a capital).
    path = mutated_report(REPORT, tmp_path, [(3423, " 25/102 (24,5%)", "")])
    assert_input_error(_parse, path, 3423, "affected/total")


def test_rows_out_of_order(tmp_path):
    path = mutated_report(REPORT, tmp_path, [(3437, "3 Cà Mau", "4 Cà Mau")])
    assert_input_error(_parse, path, 3437, "row 3")


def test_completion_row_with_missing_rate(tmp_path):
    path = mutated_report(REPORT, tmp_path, [(5715, " 68,42%", "")])
    assert_input_error(_parse, path, 5715, "4 rates")


def test_unknown_bloc_in_title(tmp_path):
    path = mutated_report(REPORT, tmp_path, [(3981, "HỘI ĐỒNG NHÂN DÂN", "HỘI ĐỒNG THÀNH PHỐ")])
    assert_input_error(_parse, path, 3981, "bloc name")


def test_missing_body_paragraph(tmp_path):
    path = mutated_report(REPORT, tmp_path, [(172, "(Phụ lục 9)", "(xem trên)")])
    with pytest.raises(InputError) as err:
        _parse(path)
    assert f"{path}:" in str(err.value) and "Phụ lục 9" in str(err.value)


def test_provincial_row_without_province(tmp_path):
    path = mutated_report(REPORT, tmp_path, [(5806, "2 Tỉnh ủy Bắc Ninh", "2 Tỉnh ủy Bắc Kạn")])
    assert_input_error(_parse, path, 5806, "province")


# ---------------------------------------------------------------------------
# Every province spelling in these appendices
# ---------------------------------------------------------------------------

SPELLINGS = province_spellings("plan02_blocs")  # tests/fixtures/province_spellings.csv


def test_spelling_list_is_complete(parsed):
    seen = {(name, code) for _, name, code in parsed[2]}
    assert seen == set(SPELLINGS)
    assert len({code for _, code in SPELLINGS}) == 34
