"""The analyst notebook's content: one province in depth, and the data-quality findings of the date.

``notebooks/province_drilldown.ipynb`` calls :class:`ProvinceDrilldown`, one cell per
section, each followed by a cell tagged ``analyst`` showing the DataFrame behind it.
The province comes from the ``province`` parameter (any spelling the matcher knows,
or the code); when it is not set, the notebook explains the choice it makes from the
data: the province most below its predicted online rate (plan-02 dates), or the one
with the most open tasks (daily readiness dates).
"""

from __future__ import annotations

from functools import cached_property

import pandas as pd

from helpers.analysis.facts import DAILY, PLAN02, source_file
from helpers.errors import InputError
from helpers.ingest.provinces import by_code, lookup
from helpers.report.document import Briefing
from helpers.report.formats import fmt_pct, vn_date
from helpers.report.render import Html, absent, f_int, f_num2, f_pct, f_text, heading, join, para, table
from helpers.report.wording import DEFAULT_PROVINCE_VI, OBSTACLE_KIND_VI, QUADRANT_LABELS_VI, SCOPE_VI, SYSTEM_VI, THEME_LABELS_VI


def resolve_province(value) -> int:
    """A province parameter (name in any known spelling, or code) -> official code."""
    if isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit()):
        code = int(value)
        try:
            by_code(code)
        except KeyError:
            raise InputError("params", None, "an official province code (vietnam-provinces)", str(value)) from None
        return code
    code = lookup(str(value))
    if code is None:
        raise InputError("params", None, "a province name (e.g. 'Lạng Sơn') or official code", str(value))
    return code


class ProvinceDrilldown(Briefing):
    """One province of one date; the sections of the briefing's header and footnotes are shared."""

    def __init__(self, report_date: str, province=None, thresholds: dict | None = None, processed_dir=None, comparison_dates=()):
        super().__init__(report_date, thresholds, processed_dir, comparison_dates)
        self.province_param = province

    @cached_property
    def code(self) -> int:
        if self.province_param not in (None, ""):
            return resolve_province(self.province_param)
        return self._default_choice()[0]

    def _default_choice(self) -> tuple[int, str]:
        code, why = self.facts.default_province
        return code, DEFAULT_PROVINCE_VI[why]

    def _cite(self, part: str) -> Html:
        return self.sources.cite(PLAN02, part, self.report_date)

    def intro(self) -> Html:
        name = self.facts.full_names[self.code]
        if self.province_param in (None, ""):
            why = self._default_choice()[1]
            text = f"Tỉnh được phân tích: {name} (mã {self.code}). Tham số province chưa được đặt, nên sổ tay chọn {why}; đặt province trong params để phân tích tỉnh khác."
        else:
            text = f"Tỉnh được phân tích: {name} (mã {self.code}), theo tham số province = “{self.province_param}”."
        return join([heading(1, f"Phân tích chi tiết: {name} — ngày {vn_date(self.report_date)}"), para(text)])

    # ---- tasks of the daily reports ------------------------------------------------------------
    def tasks_frame(self) -> pd.DataFrame | None:
        """The province's tasks not done on at least one daily report up to this date."""
        history = self.facts.province_task_history(self.code)
        return None if history is None else history[0]

    def tasks(self) -> Html:
        head = heading(2, "Nhiệm vụ chưa hoàn thành (báo cáo ngày của Bộ KH&CN)")
        history = self.facts.province_task_history(self.code)
        if history is None:
            return join([head, absent("Không có báo cáo ngày của Bộ KH&CN đến ngày này.")])
        open_any, dates = history
        if open_any.empty:
            return join([head, para(f"{self.facts.short(self.code)} đã hoàn thành mọi nhiệm vụ ở các ngày báo cáo: " + ", ".join(vn_date(d) for d in dates) + ".")])
        shown = open_any.assign(**{d: open_any[d].map(lambda v: "Đã xong" if v == 1 else "Chưa xong") for d in dates})
        cite = self.sources.cite(DAILY, "Phụ lục: tiến độ từng nhiệm vụ theo tỉnh", dates[-1])
        return join(
            [
                head,
                table(shown, [("task_id", "Số hiệu", f_text), ("task", "Nhiệm vụ", f_text)] + [(d, vn_date(d), f_text) for d in dates], caption="Các nhiệm vụ có ít nhất một ngày chưa xong", cite=cite),
            ]
        )

    # ---- plan-02 ------------------------------------------------------------------------------
    def communes_frame(self) -> pd.DataFrame | None:
        """The province's appendix-5 indicators against the median and minimum of the 34."""
        return self.facts.province_indicators(self.code)

    def communes(self) -> Html:
        head = heading(2, "Xã, phường và hạ tầng (báo cáo Kế hoạch 02)")
        frame = self.communes_frame()
        if frame is None:
            return join([head, absent("Ngày này không có báo cáo Kế hoạch 02.")])
        status = self.facts.coverage.by_province.set_index("province_code").loc[self.code]
        index = self.facts.readiness.set_index("province_code").loc[self.code]
        cite4, cite5 = self._cite("Phụ lục 4"), self._cite("Phụ lục 5")
        return join(
            [
                head,
                para(
                    f"{int(status['communes'])} xã, phường: {int(status['green'])} XANH, {int(status['yellow'])} VÀNG, {int(status['red'])} ĐỎ "
                    f"({fmt_pct(status['green_pct'])} XANH). Chỉ số sẵn sàng hạ tầng: {f_num2(index['readiness_index'])}.",
                    cite4,
                    cite5,
                ),
                table(
                    frame,
                    [("indicator_id", "Mã", f_text), ("indicator", "Chỉ tiêu", f_text), ("province", self.facts.short(self.code), f_pct), ("median", "Trung vị 34 tỉnh", f_pct), ("min", "Thấp nhất", f_pct), ("gap", "Chênh so với trung vị (điểm %)", f_num2)],
                    caption="Chỉ tiêu hiện trạng xã, phường (Phụ lục 5)",
                    cite=cite5,
                    numeric=("province", "median", "min", "gap"),
                    row_class=lambda r: "warn" if r["gap"] < -5 else "",
                ),
            ]
        )

    def uptake_frame(self) -> pd.DataFrame | None:
        """The province's dossiers by period and level (appendix 8)."""
        return self.facts.province_dossiers(self.code)

    def uptake(self) -> Html:
        head = heading(2, "Hồ sơ trực tuyến")
        mine = self.uptake_frame()
        if mine is None:
            return join([head, absent("Ngày này không có số liệu hồ sơ trực tuyến.")])
        mine = mine.assign(
            period=[f"{vn_date(a)}–{vn_date(b)}" for a, b in zip(mine["period_start"], mine["period_end"])],
            scope_vi=mine["scope"].map(SCOPE_VI),
        )
        f = self.facts
        rank = f.rates_all.set_index("province_code").loc[self.code]
        row = f.ready_but_low.table.set_index("province_code").loc[self.code]
        cite = self._cite("Phụ lục 8")
        return join(
            [
                head,
                para(
                    f"Tỷ lệ nộp trực tuyến lũy kế {fmt_pct(rank['online_rate_pct'])}, hạng {int(rank['rank'])}/{len(f.rates_all)} (mức cả nước {fmt_pct(f.national_rate)}). "
                    f"Theo độ sẵn sàng, mức dự báo là {fmt_pct(row['predicted_rate_pct'])}; chênh {f_num2(row['residual_pts'])} điểm %. "
                    f"Nhóm: {QUADRANT_LABELS_VI[row['quadrant']]}.",
                    cite,
                ),
                table(
                    mine,
                    [("period", "Thời kỳ", f_text), ("scope_vi", "Cấp", f_text), ("direct", "Trực tiếp", f_int), ("online", "Trực tuyến", f_int), ("total", "Tổng", f_int), ("online_rate_pct", "Tỷ lệ trực tuyến", f_pct), ("june_daily_avg", "BQ ngày T6", f_int)],
                    caption="Hồ sơ theo thời kỳ và cấp (Phụ lục 8)",
                    cite=cite,
                    numeric=("direct", "online", "total", "online_rate_pct", "june_daily_avg"),
                ),
            ]
        )

    # ---- obstacles, vendors, data quality --------------------------------------------------------
    def obstacles_frame(self) -> pd.DataFrame:
        """Every obstacle and proposal the province reported on this date, with its themes."""
        return self.facts.province_obstacles(self.code)

    def obstacles(self) -> Html:
        head = heading(2, "Vướng mắc và đề xuất được báo cáo")
        mine = self.obstacles_frame()
        if mine.empty:
            return join([head, absent("Báo cáo của ngày này không ghi vướng mắc nào của tỉnh.")])
        frame = mine.assign(
            themes_vi=[", ".join(THEME_LABELS_VI[t] for t in joined.split(", ")) for joined in mine["themes"]],
            kind_vi=mine["kind"].map(OBSTACLE_KIND_VI),
            where=[f"{s}" + (f" ({b})" if isinstance(b, str) and b else "") for s, b in zip(mine["source"], mine["bloc"])],
        )
        kind = PLAN02 if self.facts.has(PLAN02) else DAILY
        return join(
            [
                head,
                para(f"{len(frame)} ý; nhóm chủ đề theo quy tắc từ khóa của mục “Hạ tầng sẵn sàng nhưng ít nộp trực tuyến” trong bản tin."),
                table(
                    frame,
                    [("where", "Nguồn", f_text), ("kind_vi", "Loại", f_text), ("text", "Nội dung", f_text), ("communes_affected", "Số xã", f_int), ("themes_vi", "Nhóm", f_text)],
                    caption="Toàn bộ vướng mắc, đề xuất của tỉnh",
                    cite=self.sources.cite(kind, "các phụ lục và mục về vướng mắc", self.report_date),
                    numeric=("communes_affected",),
                ),
            ]
        )

    def vendors_frame(self) -> pd.DataFrame:
        return self.facts.province_vendors(self.code)

    def vendors(self) -> Html:
        mine = self.vendors_frame().assign(system_vi=lambda f: f["system"].map(SYSTEM_VI))
        return join(
            [
                heading(2, "Nhà cung cấp 5 hệ thống thông tin"),
                table(mine, [("system_vi", "Hệ thống", f_text), ("vendor", "Nhà cung cấp", f_text)], cite=self.sources.cite("vendor_summary", "mục 1.1")),
            ]
        )

    def data_quality(self) -> Html:
        """Every finding about the documents of this date, with its technical detail.

        Findings of other dates' reports are counted, not listed: each date's drill-down
        lists its own (so a build of N dates writes N lists, not N growing ones), and
        ``data/processed/data_quality.csv`` holds them all."""
        mine = self.facts.findings
        frame = mine.assign(date=mine["report_date"].map(lambda d: vn_date(d) if isinstance(d, str) else "không ghi ngày"), check_id=mine["check"])
        others, other_files = self.facts.findings_elsewhere
        rest = (
            f" {others} phát hiện khác thuộc {other_files} tệp nguồn của các ngày báo cáo khác có trong sổ tay của ngày đó và trong data/processed/data_quality.csv."
            if others
            else ""
        )
        return join(
            [
                heading(2, "Phát hiện về chất lượng số liệu của các tài liệu nguồn ngày này"),
                para(f"{len(frame)} phát hiện trong {source_file(frame['source']).nunique()} tệp nguồn; mã kiểm tra (check) để tra cứu trong mã nguồn." + rest),
                table(frame, [("date", "Ngày", f_text), ("severity", "Mức", f_text), ("source", "Nguồn", f_text), ("check_id", "Kiểm tra", f_text), ("detail", "Nội dung", f_text)], cls="data dq"),
            ]
        )
