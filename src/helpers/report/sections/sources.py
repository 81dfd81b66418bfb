"""Footnotes: every figure in a briefing cites its document and part.

``Sources.cite(kind, part, date)`` returns a superscript marker; the same (kind, part,
date) gets the same number. ``footnotes()`` renders the list in the briefing's
appendix. Document titles and dates come from the ``reports`` table, never typed here;
documents are named by kind and date, never by file name.
"""

from __future__ import annotations

from helpers.analysis.facts import OCR_MARK
from helpers.report.formats import vn_date, vn_datetime
from helpers.report.render import EMPTY, Html, inline, render
from helpers.report.wording import KIND_LABELS, KIND_SHORT, KIND_SHORT_DATED

# What a cite stands for: (document kind, part, report date or None for undated documents).
Cite = tuple[str, str, "str | None"]


def document_name(kind: str, date) -> str:
    """How a leader names a document: its kind and date ('Báo cáo Kế hoạch 02-KH/BCĐTW
    ngày 22/9/2025'), never its file name."""
    if isinstance(date, str):
        name = KIND_SHORT_DATED.get(kind) or KIND_SHORT.get(kind, KIND_LABELS.get(kind, "Tài liệu nguồn"))
        return f"{name} ngày {vn_date(date)}"
    return KIND_SHORT.get(kind, KIND_LABELS.get(kind, "Tài liệu nguồn"))


def document_names(reports) -> dict[str, str]:
    """Raw file -> :func:`document_name` of the document, for every row of ``reports``."""
    return {r["file"]: document_name(r["kind"], r["report_date"]) for r in reports.to_dict("records")}


class Sources:
    def __init__(self, reports, report_date: str):
        self._docs: dict[str, list[dict]] = {}
        for record in reports.to_dict("records"):
            self._docs.setdefault(record["kind"], []).append(record)
        self.report_date = report_date
        self._notes: list[Html] = []
        self._index: dict[tuple, int] = {}

    def document(self, kind: str, date: str | None = None) -> dict | None:
        docs = self._docs.get(kind, [])
        if date is not None:
            docs = [d for d in docs if d["report_date"] == date]
        else:  # an undated document when the kind has one (the first vendor summary beside dated ones)
            docs = [d for d in docs if not isinstance(d["report_date"], str)] or docs
        return docs[0] if docs else None

    def describe(self, kind: str, date: str | None = None) -> Html:
        doc = self.document(kind, date)
        label = KIND_LABELS.get(kind, kind)
        if doc is None:
            return inline(label)
        when = f", số liệu đến {vn_datetime(doc['as_of'])}" if doc.get("as_of") else ""
        title = f"“{doc['title']}”"
        if OCR_MARK in str(doc.get("file", "")):
            # The title of an OCR extract is garbled ('BAO CAO Ra soat, danh gia, nang cip'); don't print it.
            title = "bản trích xuất OCR từ bản quét, tiêu đề gốc bị lỗi ký tự nên không in lại"
        return inline(f"{label}: {title} ({vn_date(doc['report_date'])}{when})")

    def cite(self, kind: str, part: str = "", date: str | None = None) -> Html:
        key = (kind, part, date)
        if key not in self._index:
            doc = self.document(kind, date) if kind in self._docs else None
            if doc is None:
                base = KIND_LABELS.get(kind, kind)
            else:
                base = document_name(kind, doc.get("report_date"))
            self._notes.append(inline(base + (f", {part}" if part else "")))
            self._index[key] = len(self._notes)
        return render("cite", number=self._index[key])

    def cites(self, specs: tuple[Cite, ...]) -> Html:
        return inline(*(self.cite(*spec) for spec in specs))

    def footnotes(self) -> Html:
        return render("footnotes", notes=self._notes) if self._notes else EMPTY
