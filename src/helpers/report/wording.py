"""Every Vietnamese word of the briefings that is not a sentence of one section: labels of
codes (themes, quadrants, indicators, scopes, systems, findings, documents, named
figures) and the method paragraphs built from analysis results.

``helpers.analysis`` returns numbers, codes and DataFrames only; what a leader reads is
worded here and in the section modules (:mod:`helpers.report.sections`).
"""

from __future__ import annotations

import math

from helpers.analysis.communes import DEFAULT_INDICATORS, index_weights
from helpers.analysis.corrections import strength_vi
from helpers.analysis.ready_but_low import ReadyButLowResult
from helpers.analysis.trends import LaggardsComparison
from helpers.report.formats import fmt_int, fmt_num, fmt_pct, vn_date, vn_day_month

WEEKDAYS_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")

# ---------------------------------------------------------------- documents (footnotes, header)

KIND_LABELS = {
    "daily_readiness": "Báo cáo ngày của Bộ Khoa học và Công nghệ",
    "plan02": "Báo cáo của Cơ quan Thường trực BCĐ Trung ương về Kế hoạch 02-KH/BCĐTW",
    "vendor_summary": "Báo cáo tổng hợp triển khai 05 hệ thống thông tin quan trọng",
    "directives_notice": "Thông báo kết luận của Văn phòng Chính phủ",
    "registry": "Danh mục đơn vị hành chính (gói vietnam-provinces)",
    "derived": "Tính toán của nhóm phân tích",
}

# Short names for footnotes; the header lists each document in full.
KIND_SHORT = {
    "daily_readiness": "Báo cáo ngày của Bộ KH&CN",
    "plan02": "Báo cáo Kế hoạch 02-KH/BCĐTW",
    "vendor_summary": "Báo cáo tổng hợp 05 hệ thống thông tin (không ghi ngày)",
    "directives_notice": "Thông báo kết luận của VPCP",
}
# The short name of a dated document of a kind whose first document was undated.
KIND_SHORT_DATED = {
    "vendor_summary": "Báo cáo tổng hợp 05 hệ thống thông tin",
}

# Where the vendor section's vendors come from: the undated summary of June 2025, or a dated one.
VENDORS_SOURCE_UNDATED = "theo báo cáo tổng hợp tháng 6/2025 (không ghi ngày, khoảng 22–23/6)"
VENDORS_SOURCE_DATED = "theo báo cáo tổng hợp ngày {date}"
# Caption of the directives table when they come from notices of other days than the briefing's.
DIRECTIVES_CAPTION_MEETING = "Các chỉ đạo tại cuộc họp ngày {date}"
DIRECTIVES_CAPTION_IN_FORCE = "Các chỉ đạo còn thời hạn theo thông báo ngày {dates}"

# ---------------------------------------------------------------- named figures

# name -> label in "changes since the previous briefing", in the order it lists them.
METRIC_LABELS_VI: dict[str, str] = {
    "tasks_complete": "Nhiệm vụ đã xong ở cả 34 tỉnh",
    "task_province_done": "Lượt tỉnh × nhiệm vụ đã xong",
    "task_province_done_pct": "Tỷ lệ lượt tỉnh × nhiệm vụ đã xong (%)",
    "provinces_with_open_tasks": "Tỉnh còn nhiệm vụ chưa xong",
    "communes_green": "Xã, phường XANH",
    "communes_green_pct": "Tỷ lệ xã, phường XANH (%)",
    "online_rate_national_all_pct": "Tỷ lệ nộp trực tuyến lũy kế (%)",
    "dossiers_total": "Hồ sơ lũy kế",
}

LEAD_KIND_VI = {"positive": "Kết quả", "weakness": "Hạn chế", "warning": "Lưu ý"}

# ---------------------------------------------------------------- codes of the analysis

# Appendix 5 prints sixteen columns; the parser numbers them c01..c16 left to right.
INDICATOR_SHORT_LABELS_VI = {
    "c01": "Phổ biến văn bản TTHC",
    "c02": "Công bố bộ TTHC",
    "c03": "Niêm yết quy trình TTHC",
    "c04": "Mạng thông suốt",
    "c05": "Máy lấy số tự động",
    "c06": "Màn hình số thứ tự",
    "c07": "Thiết bị số hóa giấy tờ",
    "c08": "Thiết bị tra cứu TTHC",
    "c09": "Đủ máy tính cho CBCC",
    "c10": "Đủ thiết bị khác",
    "c11": "Sử dụng lại dữ liệu số",
    "c12": "Thiết bị an toàn",
    "c13": "Chữ ký số mật",
    "c14": "Chữ ký số công vụ",
    "c15": "Đủ nhân sự hỗ trợ",
    "c16": "Họp trực tuyến TW–xã",
}

QUADRANT_LABELS_VI = {
    "ready_low": "Sẵn sàng nhưng nộp trực tuyến thấp",
    "ready_high": "Sẵn sàng, nộp trực tuyến cao",
    "not_ready_low": "Chưa sẵn sàng, nộp trực tuyến thấp",
    "not_ready_high": "Chưa sẵn sàng nhưng nộp trực tuyến cao",
}

THEME_LABELS_VI = {
    "none": "Không có vướng mắc",
    "software": "Phần mềm, hệ thống, dữ liệu",
    "equipment": "Trang thiết bị, cơ sở vật chất",
    "staffing": "Cán bộ, nhân lực, đào tạo",
    "connectivity": "Đường truyền, mạng",
    "citizens": "Người dân, kỹ năng số, định danh",
    "legal": "Thủ tục, quy trình, văn bản, pháp lý",
    "funding": "Kinh phí",
    "other": "Khác",
}

THEME_RULE_VI = (
    "Vướng mắc của tỉnh (Phụ lục 6, 17 và 24) được gom nhóm theo từ khóa: phần mềm, hệ thống, dữ liệu; trang thiết bị; cán bộ, nhân lực, đào tạo; "
    "đường truyền, mạng; người dân, kỹ năng số, định danh điện tử mức 2; thủ tục, quy trình, pháp lý; kinh phí. Một ý có thể thuộc nhiều nhóm; "
    "số lượt xã là tổng số xã mà báo cáo ghi là gặp vướng mắc đó."
)

SCOPE_VI = {"province": "cấp tỉnh", "commune": "cấp xã", "all": "chung"}

OBSTACLE_KIND_VI = {"obstacle": "Vướng mắc", "proposal": "Đề xuất"}

# Why a drill-down shows the province it shows when none is asked for.
DEFAULT_PROVINCE_VI = {
    "ready_but_low": "tỉnh có tỷ lệ nộp trực tuyến thấp hơn nhiều nhất so với mức dự báo theo độ sẵn sàng hạ tầng",
    "open_tasks": "tỉnh còn nhiều nhiệm vụ chưa hoàn thành nhất",
}

SYSTEM_VI = {
    "tthc": "Hệ thống giải quyết TTHC",
    "document_management": "Quản lý văn bản",
    "lgsp": "Nền tảng tích hợp, chia sẻ dữ liệu (LGSP)",
    "online_meetings": "Họp trực tuyến",
    "reporting": "Hệ thống thông tin báo cáo",
}

# ---------------------------------------------------------------- province pages and the front page

# The figures of a province profile (helpers.analysis.profiles).
FIGURE_LABELS_VI = {
    "task_done_pct": "Tỷ lệ nhiệm vụ chuẩn bị đã hoàn thành",
    "green_pct": "Tỷ lệ xã, phường XANH (đủ điều kiện cơ bản)",
    "online_rate_pct": "Tỷ lệ hồ sơ nộp trực tuyến (lũy kế)",
}


def flag_text(key: str, v: dict) -> str:
    """One sentence on a flag of a province profile: what the rule is and the numbers behind it."""
    if key == "ready_but_low":
        return (
            f"Hạ tầng sẵn sàng nhưng người dân ít nộp trực tuyến: chỉ số sẵn sàng {fmt_num(v['readiness'], 1)} (ngưỡng {fmt_int(v['readiness_min'])}), "
            f"{fmt_pct(v['green_pct'], 1)} xã XANH (ngưỡng {fmt_int(v['green_pct_min'])}%), nhưng tỷ lệ nộp trực tuyến chỉ {fmt_pct(v['online_rate'], 1)}, "
            f"dưới mức {fmt_pct(v['online_rate_min'], 1)}."
        )
    if key == "green_below_half":
        return f"Dưới một nửa số xã, phường đạt XANH: {fmt_int(v['green'])}/{fmt_int(v['communes'])} ({fmt_pct(v['green_pct'], 1)})."
    if key == "open_tasks":
        return f"Còn {fmt_int(v['open'])}/{fmt_int(v['tasks'])} nhiệm vụ chuẩn bị chưa hoàn thành."
    raise KeyError(f"no Vietnamese wording for flag {key!r}")


# The flag's name alone (the province list): the sentence up to its colon.
FLAG_NAMES_VI = {
    "ready_but_low": "Hạ tầng sẵn sàng nhưng người dân ít nộp trực tuyến",
    "green_below_half": "Dưới một nửa số xã, phường đạt XANH",
    "open_tasks": "Còn nhiệm vụ chuẩn bị chưa hoàn thành",
}


def assigned_when(deadline: str | None, overdue: bool) -> str:
    """When a plan-02 task given to a province is due."""
    if overdue:
        return "đã quá hạn"
    return f"thời hạn {vn_date(deadline)}" if deadline else "thường xuyên"


# ---------------------------------------------------------------- data-quality findings

# Parsers and cross-checks record findings with a stable ``check`` id and an English,
# technical ``detail`` (for analysts). The briefing groups them and names each kind of
# problem in Vietnamese; an id without a label here is shown as the id itself (tests
# check that every id the ingest code can record, and every id the real reports
# produce, has a label).
SEVERITY_VI = {"error": "Lỗi", "warning": "Cảnh báo", "info": "Ghi chú"}

CHECK_LABELS_VI: dict[str, str] = {
    # plan-02 report
    "annex_note_date": "Ghi chú phụ lục ghi ngày khác ngày báo cáo (mẫu chưa cập nhật)",
    "body_below_50_mismatch": "Phần thân và phụ lục nêu khác nhau số tỉnh có tiêu chí dưới 50%",
    "communes_total_inconsistent": "Tổng số xã của một tỉnh khác nhau giữa các phụ lục",
    "communes_total_not_registry": "Tổng số xã khác danh mục đơn vị hành chính",
    "criterion_list_not_printed": "Tiêu chí ghi “tất cả các tỉnh” thay cho danh sách tỉnh",
    "green_change_truncated": "Mức thay đổi tỷ lệ XANH bị cắt chữ số khi in",
    "group_label_mismatch": "Số thứ tự nhóm nhiệm vụ không khớp tiêu đề nhóm",
    "group_task_count": "Số nhiệm vụ nêu ở tiêu đề nhóm khác số nhiệm vụ liệt kê",
    "task_numbering": "Số thứ tự nhiệm vụ bị lặp hoặc nhảy cóc",
    "title_total_vs_rows": "Tổng ở tiêu đề khác tổng các dòng của bảng (3.319 và 3.321 xã)",
    "province_count_mismatch": "Số tỉnh liệt kê khác số tỉnh nêu",
    "province_listed_twice": "Một tỉnh được liệt kê hai lần",
    "communes_affected_exceed_total": "Số xã gặp vướng mắc lớn hơn tổng số xã",
    "obstacle_pct_mismatch": "Tỷ lệ % của vướng mắc không khớp số xã",
    "criterion_count_exceeds_provinces": "Số tỉnh của tiêu chí lớn hơn số tỉnh liệt kê",
    "criterion_list_length_mismatch": "Số tỉnh nêu khác số tỉnh liệt kê của tiêu chí",
    "criterion_listed_not_below_50": "Tỉnh trong danh sách dưới 50% nhưng tỷ lệ không dưới 50%",
    "criterion_pct_mismatch": "Tỷ lệ % của tiêu chí không khớp số xã",
    "communes_met_exceed_total": "Số xã đạt lớn hơn tổng số xã",
    "criterion_rank_order": "Danh sách tỉnh thấp nhất không theo thứ tự",
    "completion_rates_no_common_denominator": "Tỷ lệ hoàn thành các khối không cùng mẫu số",
    "title_date_differs": "Tiêu đề phụ lục ghi ngày khác ngày báo cáo",
    "tasks_done_exceeds_total": "Số nhiệm vụ hoàn thành lớn hơn tổng số nhiệm vụ",
    "green_with_tasks_open": "Tỉnh XANH nhưng còn nhiệm vụ chưa xong",
    "duplicate_unit_in_progress": "Một đơn vị được ghi hai lần trong danh sách đang thực hiện",
    # daily readiness reports
    "province_paragraph_repeated": "Đoạn nêu khó khăn của một tỉnh bị lặp lại",
    "paragraph_kind_inherited": "Đoạn văn không ghi rõ là khó khăn hay đề xuất (lấy theo đoạn trước)",
    # directives notice
    "province_spelling_corrected": "Tên tỉnh viết sai chính tả trong văn bản (đã hiệu chỉnh theo ngữ cảnh)",
    # vendor summary
    "report_undated": "Báo cáo không ghi ngày",
    "appendix_duplicate_system": "Phụ lục ghi một hệ thống hai lần cho một tỉnh",
    "appendix_missing_system": "Phụ lục thiếu hệ thống của một tỉnh",
    "appendix_vendor_differs": "Nhà cung cấp ở phụ lục khác với phần thân báo cáo",
    "intro_names_other_system": "Đoạn mở đầu nêu hệ thống khác với bảng",
    "other_vendors_province_count": "Số tỉnh của các nhà cung cấp khác không khớp danh sách",
    "self_developed_count_intro": "Số tỉnh tự phát triển nêu ở đoạn mở đầu khác danh sách",
    "vendor_count_stated": "Số nhà cung cấp nêu khác số liệt kê",
    "vnpt_count": "Số tỉnh dùng VNPT nêu khác số suy ra từ danh sách",
    # cross-table and cross-report checks (helpers.ingest.consistency)
    "phase2_done_but_overdue": "Tỉnh đã xong mọi nhiệm vụ giai đoạn 2 (Phụ lục 1) nhưng vẫn có nhiệm vụ quá hạn (Phụ lục 2)",
    "overdue_task_also_standing": "Một nhiệm vụ vừa quá hạn (Phụ lục 2) vừa là nhiệm vụ thường xuyên, không có thời hạn (Phụ lục 7)",
    "body_level_vs_table": "Phần thân gọi bảng là “cấp tỉnh” nhưng bảng gồm cả cấp xã",
    "percentages_rounded_and_truncated": "Cùng một báo cáo có tỷ lệ làm tròn và tỷ lệ bị cắt bớt chữ số",
    # checks of the ingest (spellings, consecutive reports)
    "province_ocr_reading": "Tên tỉnh bị lỗi nhận dạng chữ (OCR), đã đọc theo tên gần nhất",
    "province_former_name": "Tên tỉnh cũ (trước sáp nhập 1/7/2025), đã quy về tỉnh mới",
    "cumulative_never_falls": "Số lũy kế giảm so với báo cáo trước",
    "cumulative_grows_by_day": "Số lũy kế tăng khác số trong ngày",
    "stale_copy": "Số lũy kế giữ nguyên so với báo cáo trước dù trong ngày có hồ sơ (bản cũ?)",
    "stated_change_matches_previous": "Mức tăng nêu trong báo cáo khác so với số liệu báo cáo trước",
    "done_regression": "Tỉnh đã hoàn thành ở báo cáo trước nay ghi chưa hoàn thành",
    # plan-02 report: the body's figures against the appendices
    "body_basic_conditions_pct": "Tỷ lệ xã đủ điều kiện cơ bản ở phần thân không khớp số xã",
    "body_basic_conditions_vs_green": "Số xã đủ điều kiện cơ bản ở phần thân khác số xã XANH ở phụ lục",
    "body_communes_in_scope": "Tổng số xã ở phần thân khác tổng của phụ lục",
    "body_communes_reported": "Số xã đã báo cáo ở phần thân khác tổng của phụ lục",
    "body_day_rate": "Tỷ lệ trong ngày của một tỉnh ở phần thân khác bảng số liệu",
    "body_green_100pct": "Số tỉnh có 100% xã XANH ở phần thân khác phụ lục",
    "body_green_100pct_names": "Danh sách tỉnh 100% xã XANH ở phần thân không khớp số tỉnh nêu",
    "body_green_over_threshold": "Số tỉnh vượt ngưỡng tỷ lệ XANH ở phần thân khác phụ lục",
    "body_green_provinces": "Số tỉnh XANH ở phần thân khác phụ lục",
    "body_group_vs_appendix": "Số nhiệm vụ theo nhóm ở phần thân khác phụ lục",
    "body_lowest_online_rate": "Tỉnh có tỷ lệ trực tuyến thấp nhất ở phần thân khác bảng số liệu",
    "body_official_certificate_provinces": "Danh sách tỉnh chưa đủ chứng thư số công vụ ở phần thân khác phụ lục",
    "body_overdue_group_sum": "Tổng nhiệm vụ quá hạn theo nhóm khác tổng nêu ở phần thân",
    "body_overdue_tasks": "Số nhiệm vụ quá hạn ở phần thân khác số liệt kê ở phụ lục",
    "body_progress_change": "Mức tăng tiến độ ở phần thân không khớp số liệu",
    "body_secret_signature_provinces": "Danh sách tỉnh chưa đủ chữ ký số mật ở phần thân khác phụ lục",
    "body_staff_share": "Tỷ lệ xã có cán bộ một cửa ở phần thân khác phụ lục",
    "colours_sum_to_communes": "Số xã XANH, VÀNG, ĐỎ cộng lại khác tổng số xã",
    "commune_exceeds_all_levels": "Số hồ sơ cấp xã lớn hơn tổng các cấp",
    "communes_vs_appendix_4": "Số xã của một tỉnh khác giữa phụ lục 5 và phụ lục 4",
    "communes_vs_registry": "Số xã của một tỉnh khác danh mục đơn vị hành chính",
    "direct_plus_online_vs_total": "Hồ sơ trực tiếp cộng trực tuyến khác tổng số hồ sơ",
    "green_change_not_whole_communes": "Mức thay đổi tỷ lệ XANH không ứng với số xã nguyên",
    "green_pct_vs_count": "Tỷ lệ xã XANH không khớp số xã XANH",
    "levels_sum_to_total": "Hồ sơ cấp tỉnh cộng cấp xã khác tổng",
    "online_rate_vs_counts": "Tỷ lệ nộp trực tuyến không khớp số hồ sơ",
    "pct_not_a_share_of_communes": "Tỷ lệ % không ứng với một số xã nguyên",
    "provinces_sum_to_total_row": "Các tỉnh cộng lại khác dòng tổng",
    "reported_pct_vs_count": "Tỷ lệ xã đã báo cáo không khớp số xã",
    # registry
    "communes_equal_registry_wards": "Tổng số xã của báo cáo khác danh mục đơn vị hành chính",
    # daily readiness reports (their own arithmetic)
    "done_at_most_total": "Số tỉnh hoàn thành lớn hơn tổng số tỉnh",
    "done_equals_total_minus_not_done": "Số tỉnh hoàn thành khác tổng trừ số tỉnh chưa xong",
    "not_done_count_equals_list": "Số tỉnh chưa xong nêu khác danh sách tỉnh",
    "not_done_list_unique": "Một tỉnh được ghi hai lần trong danh sách chưa xong",
    "previous_day_done_in_range": "Mức tăng so với hôm trước không hợp lệ",
    "province_listed_once": "Một tỉnh được nêu hai lần trong phần thông tin chung",
    "total_is_34_provinces": "Tổng số tỉnh in ra khác 34",
    # directives notice
    "directive_province_count": "Số tỉnh nêu trong chỉ đạo khác số tỉnh liệt kê",
    "meeting_after_notice": "Ngày họp ghi sau ngày ban hành thông báo",
    # vendor summary
    "appendix_absent": "Không có bảng phụ lục nhà cung cấp",
    "intro_vendor_names": "Đoạn mở đầu nêu các nhà cung cấp khác với bảng",
    "self_developed_count_listed": "Số tỉnh tự phát triển nêu khác danh sách",
    "vendor_province_count": "Số tỉnh của một nhà cung cấp nêu khác danh sách",
    "vnpt_count_total": "Tổng số tỉnh dùng VNPT nêu khác số liệt kê",
    "vnpt_share_pct": "Tỷ lệ tỉnh dùng VNPT nêu khác số liệu",
    "vendor_province_differs_between_sections": "Một nhà cung cấp được nêu ở tỉnh khác nhau giữa hai phần của báo cáo",
    # any report: the dates it prints (helpers.ingest.parsers.printed_dates)
    "date_after_report_year": "Ngày ghi trong báo cáo thuộc năm sau năm của báo cáo (nghi gõ nhầm năm)",
    "date_after_report_date": "Ngày ghi trong báo cáo muộn hơn ngày báo cáo mà không phải thời hạn hay kế hoạch",
}


# ---------------------------------------------------------------- methods, worded from the results


def describe_index(indicators: tuple[str, ...] = DEFAULT_INDICATORS, weights: dict[str, float] | None = None) -> str:
    """The readiness index's method: which indicators, which weights."""
    w = index_weights(tuple(indicators), weights)
    items = "; ".join(f"{INDICATOR_SHORT_LABELS_VI[i]} ({i}, trọng số {w[i] * 100:.1f}%)".replace(".", ",") for i in indicators)
    equal = weights is None or len({round(v, 12) for v in w.values()}) == 1
    how = "bình quân không trọng số" if equal else "bình quân có trọng số"
    return (
        f"Chỉ số sẵn sàng hạ tầng (0–100) của mỗi tỉnh là {how} của {len(indicators)} chỉ tiêu trong Phụ lục 5 "
        f"(tỷ lệ % xã, phường đạt chỉ tiêu) về mạng, trang thiết bị, chữ ký số và hệ thống họp trực tuyến: {items}. "
        "Không tính các chỉ tiêu về công bố, niêm yết thủ tục hành chính, sử dụng lại dữ liệu đã số hóa và nhân sự hỗ trợ, "
        "vì đó không phải là hạ tầng. 100 nghĩa là mọi xã, phường của tỉnh đều báo cáo đã đạt mọi chỉ tiêu."
    )


def describe_method(result: ReadyButLowResult) -> str:
    """The ready-but-low rule, the thresholds actually used and how the expected level is
    read, in plain words. The fit's statistics (R², Spearman's ρ, its p and bootstrap
    interval) are for analysts: :func:`helpers.analysis.ready_but_low.fit_statistics`, in the
    notebook's analyst cells; the strength of the link is worded in the section itself."""
    direction = "cao" if result.slope >= 0 else "thấp"
    return (
        f"Một tỉnh được xếp vào nhóm “sẵn sàng nhưng nộp trực tuyến thấp” khi chỉ số sẵn sàng hạ tầng "
        f"≥ {fmt_num(result.readiness_min, 0)}, tỷ lệ xã, phường phủ XANH ≥ {fmt_num(result.green_pct_min, 0)}% "
        f"và tỷ lệ hồ sơ nộp trực tuyến lũy kế từ 01/7/2025 thấp hơn {fmt_num(result.online_rate_min)}%. "
        f"Mức dự báo theo độ sẵn sàng của mỗi tỉnh đọc trên đường thẳng khớp nhất với số liệu của cả {result.n} tỉnh, thành phố: "
        f"chỉ số sẵn sàng cao hơn 1 điểm thì tỷ lệ nộp trực tuyến dự báo {direction} hơn {fmt_num(abs(result.slope), 2)} điểm %. "
        "Mức cao hơn (+) hoặc thấp hơn (−) dự báo là khoảng cách giữa tỷ lệ thực tế và đường đó."
    )


def laggards_selection(lag: LaggardsComparison) -> str:
    """The rule that picked the earlier laggards."""
    if lag.min_open is not None:
        return f"tỉnh có từ {lag.min_open} nhiệm vụ chưa hoàn thành trở lên"
    return f"{lag.top_n} tỉnh có nhiều nhiệm vụ chưa hoàn thành nhất (kể cả các tỉnh đồng hạng)"


def laggards_correlation(lag: LaggardsComparison) -> str:
    """The link between earlier open tasks and later GREEN share, in plain words for leaders
    (its ρ, p and bootstrap interval: :func:`helpers.analysis.trends.laggards_statistics`,
    in the notebook's analyst cells)."""
    if math.isnan(lag.spearman_rho):
        return "Không đo được mức liên hệ (một trong hai chỉ số như nhau ở mọi tỉnh)."
    verdict = (
        "mối liên hệ đủ rõ để không phải do ngẫu nhiên, nhưng đó là tương quan, không phải quan hệ nhân quả"
        if lag.significant
        else "không có bằng chứng về mối liên hệ giữa hai chỉ số"
    )
    direction = "cùng chiều" if lag.spearman_rho > 0 else "ngược chiều"
    return (
        f"Giữa số nhiệm vụ chưa hoàn thành ngày {vn_day_month(lag.earlier_date)} và tỷ lệ xã XANH ngày "
        f"{vn_day_month(lag.later_date)} của {lag.n} tỉnh có liên hệ {strength_vi(lag.spearman_rho)}, {direction}: {verdict} "
        f"({lag.tied_at_top_green} tỉnh cùng ở mức XANH cao nhất nên khó phân thứ hạng)."
    )


CLAIM_STATUS_VI = {"confirmed": "khớp", "contradicted": "không khớp", "unverifiable": "không kiểm chứng được"}


def theme_rule_quality_vi() -> str:
    """The method note's sentence on how well the theme rule did on the held-out labelled
    texts (computed now, from the committed labels), in words leaders read."""
    from helpers.analysis.theme_evaluation import holdout_scores

    scores, texts = holdout_scores()
    parts = []
    for row in scores.itertuples():
        if row.labelled == 0 or row.theme in ("none", "other"):
            continue
        precision = "—" if row.predicted == 0 else f"{row.precision * 100:.0f}%"
        parts.append(f"{THEME_LABELS_VI[row.theme].lower()}: đúng {precision}, tìm thấy {row.recall * 100:.0f}%")
    return (
        f"Kiểm tra quy tắc gom nhóm trên {texts} ý vướng mắc được đọc và gán nhóm bằng tay, không dùng khi xây dựng quy tắc "
        f"(“đúng” = tỷ lệ ý quy tắc xếp vào nhóm mà người đọc cũng xếp; “tìm thấy” = tỷ lệ ý người đọc xếp vào nhóm mà quy tắc cũng tìm ra): "
        + "; ".join(parts) + "."
    )


# ================================================================ charts (helpers.report.plots)
# Labels of the SVG charts, their titles (each states the chart's finding, filled from the
# data) and the headers of the CSV behind each chart's download link.

CHART_DOWNLOAD_VI = "Tải dữ liệu (CSV)"
CHART_SOURCE_VI = "Nguồn"
CHART_FLAGGED_VI = "Sẵn sàng nhưng nộp trực tuyến thấp"
CHART_OTHER_PROVINCES_VI = "Các tỉnh khác"
CHART_NATIONAL_VI = "Toàn quốc {rate}%"
CHART_NATIONAL_LEGEND_VI = "Đường nét đứt: mức cả nước"
CHART_GREEN_THRESHOLD_VI = "Ngưỡng {pct}% xã XANH"
CHART_GREEN_AXIS_VI = "Tỷ lệ xã, phường XANH (%)"
CHART_ONLINE_AXIS_VI = "Nộp trực tuyến lũy kế (%)"
CHART_NOT_READY_VI = "Chưa sẵn sàng: {low} nộp thấp, {high} nộp cao"
CHART_INDEX_MISSED_VI = "Đủ {green}% xã XANH nhưng chỉ số sẵn sàng dưới {index} ({count})"
CHART_TASKS_DONE_AXIS_VI = "Số tỉnh đã hoàn thành (trên {total})"
CHART_RECONSTRUCTED_VI = "{date} (tính lại từ mức tăng)"
CHART_HEAT_ALL_FULL_VI = "Dòng “{row}”: {count} tỉnh đạt 100% mọi chỉ tiêu: {names}."
CHART_HEAT_FULL_ROW_VI = "{count} tỉnh khác"

CHART_CSV_VI = {
    "province": "Tỉnh, thành phố",
    "province_code": "Mã tỉnh",
    "online_rate_pct": "Tỷ lệ nộp trực tuyến lũy kế (%)",
    "national_rate_pct": "Mức cả nước (%)",
    "flagged": "Sẵn sàng nhưng nộp trực tuyến thấp",
    "readiness_index": "Chỉ số sẵn sàng hạ tầng",
    "green_pct": "Tỷ lệ xã XANH (%)",
    "quadrant": "Nhóm",
    "open_tasks": "Số nhiệm vụ chưa hoàn thành",
    "task": "Nhiệm vụ",
    "section": "Nhóm nhiệm vụ",
    "date": "Ngày báo cáo",
    "done_count": "Số tỉnh đã hoàn thành",
    "total": "Tổng số tỉnh",
    "reconstructed": "Tính lại từ mức tăng",
    "yes": "có",
    "no": "không",
}


def chart_title_online_rates(below: int, provinces: int, national: str, lowest: str, lowest_rate: str) -> str:
    return f"{below}/{provinces} tỉnh nộp trực tuyến dưới mức cả nước ({national}%); thấp nhất {lowest} ({lowest_rate}%)"


def chart_title_ready_but_low(flagged: int, national: str) -> str:
    if flagged == 0:
        return f"Không tỉnh nào vừa sẵn sàng vừa nộp trực tuyến dưới mức cả nước ({national}%)"
    return f"{flagged} tỉnh đã sẵn sàng nhưng nộp trực tuyến dưới mức cả nước ({national}%)"


def chart_title_open_tasks(provinces: int, worst: str, count: int, date: str) -> str:
    return f"{provinces} tỉnh còn nhiệm vụ chưa hoàn thành ngày {date}; nhiều nhất {worst} ({count} nhiệm vụ)"


def chart_title_task_progress(first_date: str, last_date: str, first_done: int, last_done: int, complete: int, tasks: int) -> str:
    return (
        f"Lượt tỉnh × nhiệm vụ đã hoàn thành: {first_done} ({first_date}) → {last_done} ({last_date}); "
        f"{complete}/{tasks} nhiệm vụ xong ở mọi tỉnh"
    )


def chart_title_heat(short: int, provinces: int, worst: str, indicator: str, value: str) -> str:
    if short == 0:
        return f"Cả {provinces} tỉnh, thành phố đạt 100% mọi chỉ tiêu hiện trạng xã, phường"
    return (
        f"{short}/{provinces} tỉnh chưa đạt 100% mọi chỉ tiêu hiện trạng xã, phường (tỉnh thiếu nhiều nhất ở trên); "
        f"thấp nhất: {worst}, {indicator.lower()} {value}%"
    )
# ================================================================ end of charts

# ---- the analyst drill-down of several provinces (helpers.report.drilldown) ----------------------
# The notebook's title; {date} is the reporting date as Vietnamese write it.
DRILLDOWN_TITLE_VI = "Phân tích chi tiết theo tỉnh — ngày {date}"
# Why these provinces: {names} lists them ("Lạng Sơn (mã 20), Sơn La (mã 14)"), {n} counts
# them, {why} is a DEFAULT_PROVINCE_VI reason.
DRILLDOWN_CHOICE_VI = {
    "param": "Tỉnh được phân tích theo tham số province: {names}.",
    "flagged": (
        "Tham số province chưa được đặt, nên sổ tay phân tích {n} tỉnh có hạ tầng sẵn sàng nhưng ít nộp trực tuyến "
        "(theo quy tắc và ngưỡng của mục cùng tên trong bản tin), tỉnh thấp hơn mức dự báo nhiều nhất trước: {names}. "
        "Đặt province trong params (hoặc --province) để phân tích tỉnh khác."
    ),
    "fallback": (
        "Tham số province chưa được đặt và ngày này không có tỉnh nào có hạ tầng sẵn sàng nhưng ít nộp trực tuyến, "
        "nên sổ tay chọn {why}: {names}. Đặt province trong params (hoặc --province) để phân tích tỉnh khác."
    ),
}
# One province inside a section: its full name and official code.
DRILLDOWN_PROVINCE_VI = "{name} (mã {code})"
# The drill-down's sections, in the notebook's order.
DRILLDOWN_SECTION_VI = {
    "tasks": "Nhiệm vụ chưa hoàn thành (báo cáo ngày của Bộ KH&CN)",
    "communes": "Xã, phường và hạ tầng (báo cáo Kế hoạch 02)",
    "uptake": "Hồ sơ trực tuyến",
    "obstacles": "Vướng mắc và đề xuất được báo cáo",
    "vendors": "Nhà cung cấp 5 hệ thống thông tin",
}
