"""The data-quality section: the findings of the date's documents, grouped by document and kind of problem.

Leadership sees what kind of contradiction each source has and how often; the
technical detail of each finding (lines, figures) is in the analyst notebook.
"""

from __future__ import annotations

import pandas as pd

from helpers.analysis.facts import DateFacts
from helpers.report.render import Html, f_int, f_text, join, para, table
from helpers.report.sections.sources import Sources, document_names
from helpers.report.wording import CHECK_LABELS_VI, SEVERITY_VI


def html(f: DateFacts, sources: Sources) -> Html:
    found = f.findings
    if found.empty:
        return para("Không phát hiện mâu thuẫn nào trong số liệu nguồn của ngày này.")
    counts = f.finding_counts
    return join(
        [
            para(
                f"Các tài liệu nguồn của bản tin có {counts['contradictions']} chỗ nguồn tự mâu thuẫn và {counts['notes']} ghi chú về số liệu nguồn (chỗ cần hiệu chỉnh có ghi nhận). "
                "Số liệu trong bản tin giữ nguyên như nguồn công bố. Chi tiết từng phát hiện (dòng, con số) có trong sổ tay phân tích theo tỉnh."
            ),
            table(
                frame(f),
                [("severity_vi", "Mức", f_text), ("document", "Tài liệu", f_text), ("part", "Phần", f_text), ("problem", "Vấn đề", f_text), ("n", "Số lần", f_int)],
                cls="data dq",
                numeric=("n",),
            ),
        ]
    )


def frame(f: DateFacts) -> pd.DataFrame:
    """The findings grouped (:attr:`~helpers.analysis.facts.DateFacts.findings_grouped`) with
    what leaders read: the document by kind and date (not its file, also in ``part``), severity and problem in Vietnamese."""
    grouped = f.findings_grouped
    names = document_names(f.table("reports"))

    def part(text: str) -> str:  # a cross-report finding's part names the other report ('vs <file>')
        for file, name in names.items():
            text = text.replace(file, name)
        return text.replace("vs ", "so với ").replace("vietnam-provinces", "danh mục đơn vị hành chính")

    return grouped.assign(
        document=grouped["file"].map(lambda file: names.get(file, "Tài liệu nguồn")),
        part=grouped["parts"].map(part),
        severity_vi=grouped["severity"].map(SEVERITY_VI),
        problem=grouped["check"].map(lambda c: CHECK_LABELS_VI.get(c, c)),
    )
