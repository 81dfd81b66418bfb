"""Vietnamese wording of the data-quality findings for leadership.

Parsers and cross-checks record findings with a stable ``check`` id and an English,
technical ``detail`` (for analysts). The briefing groups them and names each kind of
problem in Vietnamese; an id without a label here is shown as the id itself (a test
checks that every id the real reports produce has a label).
"""

from __future__ import annotations


def source_file(sources):
    """The raw file a finding is about: ``source`` is '<file> <part>' (see ingest)."""
    return sources.str.split(" ").str[0]

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
    # daily readiness reports
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
}
