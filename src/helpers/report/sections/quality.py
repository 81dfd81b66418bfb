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
    # any report: province names (helpers.ingest.provinces)
    "province_ocr_reading": "Tên tỉnh bị lỗi nhận dạng chữ (OCR), đã đọc theo tên gần nhất",
    "province_former_name": "Tên tỉnh cũ (trước sáp nhập 1/7/2025), đã quy về tỉnh mới",
    # consecutive reports of one kind (helpers.ingest.checks)
    "cumulative_never_falls": "Số lũy kế giảm so với báo cáo trước",
    "cumulative_grows_by_day": "Số lũy kế tăng khác số trong ngày",
    "stale_copy": "Số lũy kế giữ nguyên so với báo cáo trước dù trong ngày có hồ sơ (bản cũ?)",
    "stated_change_matches_previous": "Mức tăng nêu trong báo cáo khác so với số liệu báo cáo trước",
    "done_regression": "Tỉnh đã hoàn thành ở báo cáo trước nay ghi chưa hoàn thành",
}
