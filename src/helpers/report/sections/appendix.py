"""The appendix of a briefing: source documents, data quality and the footnotes.

Leaders read the front page and the sections; where each figure comes from and
where the sources contradict themselves is for whoever checks. So these close the
briefing in one ``<details>`` block: collapsed on screen, printed open on a new
page (briefing.css). Documents are named by kind and date, never by file name.
"""

from __future__ import annotations

from helpers.report.render import Html, esc, join
from helpers.report.sections.sources import KIND_LABELS, KIND_SHORT, vn_date


def document_labels(reports) -> dict[str, str]:
    """Raw file -> how a leader names the document ('Báo cáo Kế hoạch 02-KH/BCĐTW ngày 22/9/2025')."""
    out = {}
    for record in reports.to_dict("records"):
        name = KIND_SHORT.get(record["kind"], KIND_LABELS.get(record["kind"], "Tài liệu nguồn"))
        date = record.get("report_date")
        out[record["file"]] = f"{name} ngày {vn_date(date)}" if isinstance(date, str) and "không ghi ngày" not in name else name
    return out


def source_documents(b) -> Html:
    """The documents this date's briefing uses (and the undated vendor summary)."""
    docs = [b.sources.describe(kind, b.report_date) for kind in sorted(b.kinds)]
    if "vendor_summary" in set(b.table("reports")["kind"]):
        docs.append(b.sources.describe("vendor_summary"))
    return Html("<ul>" + "".join(f"<li>{d}</li>" for d in docs) + "</ul>")


def appendix(b) -> Html:
    """Sources, data quality and footnotes, in one block collapsed on screen."""
    return join(
        [
            '<details class="appendix"><summary>Phụ lục: nguồn và chất lượng số liệu</summary>',
            "<h2>Tài liệu nguồn</h2>",
            source_documents(b),
            "<h2>Chất lượng số liệu</h2>",
            b.data_quality(),
            "<h2>Chú thích nguồn</h2>",
            b.footnotes(),
            "</details>",
        ]
    )
