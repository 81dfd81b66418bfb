"""The briefing of one reporting date: loads the tables once, renders each section.

The notebook ``notebooks/briefing.ipynb`` creates one ``Briefing`` from its
parameters and calls one method per section; each returns :class:`Html` (escaped,
footnoted) or a one-line explanation when the date has no data for it.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from helpers import config
from helpers.tables import BRIEFING_KINDS, load_table
from helpers.report.sections.tasks import JuneSections
from helpers.report.sections.lead import lead_summary
from helpers.report.sections.quality import CHECK_LABELS_VI, SEVERITY_VI, source_file
from helpers.report.render import Html, absent, esc, f_auto, f_int, f_text, join, para, table
from helpers.report.sections.plan02 import SeptemberSections
from helpers.report.sections.sources import Sources, vn_date, vn_datetime



class Briefing(JuneSections, SeptemberSections):
    """One reporting date's briefing. ``thresholds`` is the params file's mapping."""

    def __init__(self, report_date: str, thresholds: dict | None = None, processed_dir: str | Path | None = None):
        self.report_date = str(report_date)
        self.thresholds = dict(thresholds or {})
        self.processed_dir = config.resolve(processed_dir) if processed_dir else config.processed_dir()
        self._tables: dict = {}
        self.summary: dict = {"report_date": self.report_date, "headline": [], "metrics": {}}
        self.sources = Sources(self.table("reports"), self.report_date)

    # ---- data -----------------------------------------------------------------
    def table(self, name: str):
        if name not in self._tables:
            self._tables[name] = load_table(name, self.processed_dir)
        return self._tables[name]

    @cached_property
    def province_names(self) -> dict[int, str]:
        provinces = self.table("provinces")
        return dict(zip(provinces["province_code"].astype(int), provinces["short_name"]))

    @cached_property
    def province_full_names(self) -> dict[int, str]:
        provinces = self.table("provinces")
        return dict(zip(provinces["province_code"].astype(int), provinces["province_name"]))

    def _short(self, code: int) -> str:
        return self.province_names.get(int(code), str(code))

    @cached_property
    def reports_today(self):
        reports = self.table("reports")
        return reports[reports["report_date"] == self.report_date]

    @cached_property
    def kinds(self) -> set[str]:
        return set(self.reports_today["kind"])

    def has(self, kind: str) -> bool:
        return kind in self.kinds

    @cached_property
    def all_dates(self) -> list[str]:
        reports = self.table("reports")
        dates = reports.loc[reports["kind"].isin(BRIEFING_KINDS), "report_date"].dropna().unique()
        return sorted(dates)

    @cached_property
    def previous_date(self) -> str | None:
        earlier = [d for d in self.all_dates if d < self.report_date]
        return earlier[-1] if earlier else None

    def metric(self, name: str, value, label: str | None = None, shown: str | None = None) -> None:
        """Record a key statistic in summary.json (tests assert them against the reports)."""
        self.summary["metrics"][name] = None if value is None else (round(float(value), 4) if isinstance(value, float) else value)
        if label and shown is not None:
            self.summary["headline"].append({"label": label, "value": shown})

    # ---- header -----------------------------------------------------------------
    def title(self) -> Html:
        return Html(f"<h1>Bản tin chuyển đổi mô hình chính quyền địa phương 2 cấp — ngày {esc(vn_date(self.report_date))}</h1>")

    def lead_summary(self) -> Html:
        return lead_summary(self)

    def changes_since_previous(self) -> Html:
        """Named numbers of this date against the previous reporting date, from the tables."""
        from helpers.analysis.facts import LABELS_VI, key_metrics
        from helpers.analysis.trends import changes_since

        heading = "<h2>Thay đổi so với bản tin trước</h2>"
        previous = self.previous_date
        if previous is None:
            return join([heading, absent("Đây là bản tin đầu tiên của chuỗi: chưa có bản tin trước để so sánh.")])
        tables = {name: self.table(name) for name in ("task_progress", "task_status", "commune_status", "dossiers")}
        changes = changes_since(key_metrics(tables, previous), key_metrics(tables, self.report_date))
        if changes.empty:
            return join(
                [
                    heading,
                    para(
                        esc(
                            f"Bản tin trước ({vn_date(previous)}) dựa trên loại báo cáo khác, không có chỉ số trùng để so sánh trực tiếp; "
                            "mục “Diễn biến” cho biết các tỉnh chậm tiến độ khi đó nay ra sao."
                        )
                    ),
                ]
            )
        frame = changes.assign(label=changes["name"].map(LABELS_VI))
        cite = self.sources.cite("derived", f"so sánh số liệu ngày {vn_date(previous)} và {vn_date(self.report_date)} từ các bảng đã kiểm định")
        return join(
            [
                heading,
                table(
                    frame,
                    [("label", "Chỉ số", f_text), ("before", vn_date(previous), f_auto), ("after", vn_date(self.report_date), f_auto), ("change", "Thay đổi", f_auto)],
                    caption=f"So với bản tin ngày {vn_date(previous)}",
                    cite=cite,
                    numeric=("before", "after", "change"),
                ),
            ]
        )

    def header(self) -> Html:
        notices = [n for n in self.reports_today["notice"].dropna().unique()]
        as_of = [
            f"Báo cáo ngày {esc(vn_date(r['report_date']))}: số liệu cập nhật đến {esc(vn_datetime(r['as_of']))}"
            for r in self.reports_today.to_dict("records")
            if r["kind"] in BRIEFING_KINDS
        ]
        parts = [
            f'<div class="doc-header"><div class="doc-date">Ngày báo cáo: <strong>{esc(vn_date(self.report_date))}</strong></div>',
            f'<div class="doc-asof">{"; ".join(as_of)}</div>' if as_of else "",
        ]
        for notice in notices:
            parts.append(f'<div class="confidential">{esc(notice)}</div>')
        parts.append("</div>")
        return Html("".join(parts))

    def data_available(self) -> Html:
        """Which data this date has, and which sections are therefore left out."""
        lines = []
        if self.has("daily_readiness"):
            lines.append("tiến độ các nhiệm vụ sẵn sàng của 34 tỉnh, thành phố (báo cáo ngày của Bộ KH&CN)")
        if self.has("plan02"):
            lines.append("mức độ sẵn sàng của 3.321 xã, phường, hồ sơ nộp trực tuyến trên Cổng DVCQG và các vướng mắc (báo cáo Kế hoạch 02)")
        if self.has("directives_notice"):
            lines.append("các chỉ đạo của Phó Thủ tướng kèm thời hạn")
        missing = []
        if not self.has("daily_readiness"):
            missing.append("tiến độ nhiệm vụ theo tỉnh (chỉ có trong báo cáo ngày tháng 6)")
        if not self.has("plan02"):
            missing.append("mức sẵn sàng cấp xã và tỷ lệ nộp trực tuyến (chỉ có trong báo cáo Kế hoạch 02)")
        text = "Ngày này có số liệu về: " + "; ".join(lines) + "."
        if missing:
            text += " Không có số liệu về: " + "; ".join(missing) + ", nên các mục đó được lược bỏ."
        return para(esc(text))

    # ---- data quality ---------------------------------------------------------------
    @cached_property
    def findings_today(self):
        """Data-quality findings of the documents this date's briefing uses: its reports
        and the undated ones (vendors, directives), plus any dated this day."""
        dq = self.table("data_quality")
        used = set(self.reports_today["file"]) | set(self.table("reports").loc[lambda r: r["report_date"].isna(), "file"])
        return dq[source_file(dq["source"]).isin(used) | (dq["report_date"] == self.report_date)]

    def data_quality(self) -> Html:
        """The findings of this date's documents, grouped by document and kind of problem.

        Leadership sees what kind of contradiction each source has and how often; the
        technical detail of each finding (lines, figures) is in the analyst notebook.
        """
        today = self.findings_today
        if today.empty:
            return para("Không phát hiện mâu thuẫn nào trong số liệu nguồn của ngày này.")
        self.metric("data_quality_findings", int(len(today)))
        from helpers.report.sections.appendix import document_labels

        grouped = (
            today.assign(file=source_file(today["source"]).map(document_labels(self.table("reports"))))
            .groupby(["file", "check", "severity"], as_index=False)
            .agg(n=("detail", "size"), parts=("source", lambda s: ", ".join(sorted({x.split(" ", 1)[1] for x in s if " " in x}))))
        )
        order = {"error": 0, "warning": 1, "info": 2}
        grouped = grouped.assign(
            severity_vi=grouped["severity"].map(SEVERITY_VI),
            problem=grouped["check"].map(lambda c: CHECK_LABELS_VI.get(c, c)),
            _o=grouped["severity"].map(order),
        ).sort_values(["_o", "file", "check"])
        return join(
            [
                para(
                    esc(
                        f"{len(today)} phát hiện về chất lượng số liệu trong các tài liệu nguồn của bản tin: chỗ nguồn tự mâu thuẫn hoặc cần hiệu chỉnh có ghi nhận. "
                        "Số liệu trong bản tin giữ nguyên như nguồn công bố. Chi tiết từng phát hiện (dòng, con số) có trong sổ tay phân tích theo tỉnh."
                    )
                ),
                table(
                    grouped,
                    [("severity_vi", "Mức", f_text), ("file", "Tài liệu", f_text), ("parts", "Phần", f_text), ("problem", "Vấn đề", f_text), ("n", "Số lần", f_int)],
                    cls="data dq",
                    numeric=("n",),
                ),
            ]
        )

    def footnotes(self) -> Html:
        return self.sources.footnotes()

    # ---- summary.json -----------------------------------------------------------------
    def save_summary(self, output_dir: str | Path) -> Path:
        """summary.json next to the outputs: headline figures (for the index), metrics, ready_but_low."""
        from helpers.publish.store import write_summary

        extra = {k: v for k, v in self.summary.items() if k != "headline"}
        headline = [(h["label"], h["value"]) for h in self.summary["headline"]]
        return write_summary(output_dir, headline, **extra)
