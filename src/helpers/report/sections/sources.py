"""Footnotes: every figure in a briefing cites its document and part.

``Sources.cite(kind, part)`` returns a superscript marker; the same (kind, part)
gets the same number. ``footnotes()`` renders the list at the end of the briefing.
Document titles and dates come from the ``reports`` table, never typed here.
"""

from __future__ import annotations

from helpers.report.render import Html, esc

# Raw files extracted by OCR carry this in their name (data/raw/README.md states the naming rule).
OCR_MARK = "_ocr"

KIND_LABELS = {
    "daily_readiness": "Báo cáo ngày của Bộ Khoa học và Công nghệ",
    "plan02": "Báo cáo của Cơ quan Thường trực BCĐ Trung ương về Kế hoạch 02-KH/BCĐTW",
    "vendor_summary": "Báo cáo tổng hợp triển khai 05 hệ thống thông tin quan trọng",
    "directives_notice": "Thông báo kết luận của Văn phòng Chính phủ",
    "registry": "Danh mục đơn vị hành chính (gói vietnam-provinces)",
    "derived": "Tính toán của nhóm phân tích",
}


def vn_date(iso: str | None) -> str:
    """'2025-09-22' -> '22/9/2025' (the reports' own style)."""
    if not iso:
        return "không ghi ngày"
    year, month, day = iso[:10].split("-")
    return f"{int(day)}/{int(month)}/{year}"


def vn_day_month(iso: str) -> str:
    """'2025-09-21' -> '21/9' (column heads and periods within one year)."""
    return vn_date(iso).rsplit("/", 1)[0]


# Short names for footnotes; the header lists each document in full.
KIND_SHORT = {
    "daily_readiness": "Báo cáo ngày của Bộ KH&CN",
    "plan02": "Báo cáo Kế hoạch 02-KH/BCĐTW",
    "vendor_summary": "Báo cáo tổng hợp 05 hệ thống thông tin (không ghi ngày)",
    "directives_notice": "Thông báo kết luận của VPCP",
}


def vn_datetime(iso: str | None) -> str:
    """'2025-09-22T16:00' -> '16:00 ngày 22/9/2025'; a plain date -> '22/9/2025'."""
    if not iso:
        return "không ghi"
    if "T" in iso:
        day, time = iso.split("T", 1)
        return f"{time} ngày {vn_date(day)}"
    return vn_date(iso)


class Sources:
    def __init__(self, reports, report_date: str):
        self._docs: dict[str, list[dict]] = {}
        for record in reports.to_dict("records"):
            self._docs.setdefault(record["kind"], []).append(record)
        self.report_date = report_date
        self._notes: list[str] = []
        self._index: dict[tuple, int] = {}

    def document(self, kind: str, date: str | None = None) -> dict | None:
        docs = self._docs.get(kind, [])
        if date is not None:
            docs = [d for d in docs if d["report_date"] == date]
        return docs[0] if docs else None

    def describe(self, kind: str, date: str | None = None) -> str:
        doc = self.document(kind, date)
        label = KIND_LABELS.get(kind, kind)
        if doc is None:
            return label
        when = f", số liệu đến {esc(vn_datetime(doc['as_of']))}" if doc.get("as_of") else ""
        title = f"“{esc(doc['title'])}”"
        if OCR_MARK in str(doc.get("file", "")):
            # The title of an OCR extract is garbled ('BAO CAO Ra soat, danh gia, nang cip'); don't print it.
            title = "bản trích xuất OCR từ bản quét, tiêu đề gốc bị lỗi ký tự nên không in lại"
        return f"{esc(label)}: {title} ({esc(vn_date(doc['report_date']))}{when})"

    def cite(self, kind: str, part: str = "", date: str | None = None) -> str:
        key = (kind, part, date)
        if key not in self._index:
            doc = self.document(kind, date) if kind in self._docs else None
            if doc is None:
                base = esc(KIND_LABELS.get(kind, kind))
            else:
                when = f" ngày {esc(vn_date(doc['report_date']))}" if isinstance(doc.get("report_date"), str) else ""
                base = f"{esc(KIND_SHORT.get(kind, KIND_LABELS.get(kind, kind)))}{when}"
            self._notes.append(base + (f", {esc(part)}" if part else ""))
            self._index[key] = len(self._notes)
        number = self._index[key]
        return f'<sup class="fn"><a href="#fn-{number}">{number}</a></sup>'

    def footnotes(self) -> Html:
        if not self._notes:
            return Html("")
        items = "".join(f'<li id="fn-{i}">{note}</li>' for i, note in enumerate(self._notes, start=1))
        return Html(f'<ol class="footnotes">{items}</ol>')
