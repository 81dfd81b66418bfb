"""The top of a briefing: title, date and data as-of times, and what data the date has; the
documents it is made of (listed in the appendix)."""

from __future__ import annotations

from helpers.analysis.facts import DAILY, PLAN02, DateFacts
from helpers.report.formats import vn_date, vn_datetime
from helpers.report.render import Html, para, render
from helpers.report.sections.sources import Sources
from helpers.tables import BRIEFING_KINDS


def title(f: DateFacts) -> Html:
    return render("heading", level=1, text=f"Bản tin chuyển đổi mô hình chính quyền địa phương 2 cấp — ngày {vn_date(f.report_date)}")


def documents(f: DateFacts, sources: Sources) -> list[Html]:
    """The documents the date's briefing uses (and the undated vendor summary), named by kind
    and date: the appendix lists them."""
    docs = [sources.describe(kind, f.report_date) for kind in sorted(f.kinds)]
    if "vendor_summary" in set(f.table("reports")["kind"]):
        docs.append(sources.describe("vendor_summary"))
    return docs


def html(f: DateFacts, sources: Sources) -> Html:
    """Report date, the time each report's data stand at, notices (confidentiality); the
    source documents are in the appendix."""
    as_of = [
        f"Báo cáo ngày {vn_date(r['report_date'])}: số liệu cập nhật đến {vn_datetime(r['as_of'])}"
        for r in f.reports_today.to_dict("records")
        if r["kind"] in BRIEFING_KINDS
    ]
    notices = list(f.reports_today["notice"].dropna().unique())
    return render("header", date=vn_date(f.report_date), as_of="; ".join(as_of), notices=notices)


def data_available(f: DateFacts) -> Html:
    """Which data this date has, and which sections are therefore left out."""
    lines = []
    if f.has(DAILY):
        lines.append("tiến độ các nhiệm vụ sẵn sàng của 34 tỉnh, thành phố (báo cáo ngày của Bộ KH&CN)")
    if f.has(PLAN02):
        lines.append("tiến độ nhiệm vụ giai đoạn 2 theo tỉnh, nhiệm vụ quá hạn, mức độ sẵn sàng của 3.321 xã, phường, hồ sơ nộp trực tuyến trên Cổng DVCQG và các vướng mắc (báo cáo Kế hoạch 02)")
    if not f.directives.empty:  # a notice of this day, or running directives of an earlier one
        lines.append("các chỉ đạo của Phó Thủ tướng kèm thời hạn")
    missing = []
    if not f.has(DAILY) and not f.has(PLAN02):  # plan-02 has its own task appendices (1–3)
        missing.append("tiến độ nhiệm vụ theo tỉnh (chỉ có trong báo cáo ngày tháng 6)")
    if not f.has(PLAN02):
        missing.append("mức sẵn sàng cấp xã và tỷ lệ nộp trực tuyến (chỉ có trong báo cáo Kế hoạch 02)")
    text = "Ngày này có số liệu về: " + "; ".join(lines) + "."
    if missing:
        text += " Không có số liệu về: " + "; ".join(missing) + ", nên các mục đó được lược bỏ."
    return para(text)


