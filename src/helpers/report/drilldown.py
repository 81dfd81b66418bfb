"""The analyst notebook's content: one province in depth, and the data-quality findings of the date.

``notebooks/province_drilldown.ipynb`` calls :class:`ProvinceDrilldown`. The province
comes from the ``province`` parameter (any spelling the matcher knows, or the code);
when it is not set, the notebook explains the choice it makes from the data: the
province most below its predicted online rate (22/9), or the one with the most open
tasks (June dates).
"""

from __future__ import annotations

from functools import cached_property

import pandas as pd

from helpers.errors import InputError
from helpers.ingest.provinces import lookup
from helpers.analysis import tasks as J
from helpers.analysis import communes as R
from helpers.analysis import themes as T
from helpers.report.formats import fmt_pct
from helpers.report.document import Briefing
from helpers.report.sections.quality import source_file
from helpers.report.render import Html, absent, esc, f_int, f_num2, f_pct, f_text, join, para, table
from helpers.report.sections.sources import vn_date

SYSTEM_VI = {
    "tthc": "Hệ thống giải quyết TTHC",
    "document_management": "Quản lý văn bản",
    "lgsp": "Nền tảng tích hợp, chia sẻ dữ liệu (LGSP)",
    "online_meetings": "Họp trực tuyến",
    "reporting": "Hệ thống thông tin báo cáo",
}


def resolve_province(value) -> int:
    """A province parameter (name in any known spelling, or code) -> official code."""
    if isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit()):
        code = int(value)
        from helpers.ingest.provinces import by_code

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
    def __init__(self, report_date: str, province=None, thresholds: dict | None = None, processed_dir=None):
        super().__init__(report_date, thresholds, processed_dir)
        self.province_param = province

    @cached_property
    def code(self) -> int:
        if self.province_param not in (None, ""):
            return resolve_province(self.province_param)
        return self._default_choice()[0]

    def _default_choice(self) -> tuple[int, str]:
        if self.has("plan02"):
            table_ = self.ready_but_low_result.table.sort_values("residual_rank")
            code = int(table_["province_code"].iloc[0])
            return code, "tỉnh có tỷ lệ nộp trực tuyến thấp hơn nhiều nhất so với mức dự báo theo độ sẵn sàng hạ tầng"
        open_by = J.open_tasks_by_province(self.table("task_status"), self.report_date)
        return int(open_by["province_code"].iloc[0]), "tỉnh còn nhiều nhiệm vụ chưa hoàn thành nhất"

    def intro(self) -> Html:
        name = self.province_full_names[self.code]
        if self.province_param in (None, ""):
            why = self._default_choice()[1]
            text = f"Tỉnh được phân tích: {name} (mã {self.code}). Tham số province chưa được đặt, nên sổ tay chọn {why}; đặt province trong params để phân tích tỉnh khác."
        else:
            text = f"Tỉnh được phân tích: {name} (mã {self.code}), theo tham số province = “{self.province_param}”."
        return join([f"<h1>Phân tích chi tiết: {esc(name)} — ngày {esc(vn_date(self.report_date))}</h1>", para(esc(text))])

    def june_tasks(self) -> Html:
        heading = "<h2>Nhiệm vụ chưa hoàn thành (báo cáo ngày tháng 6)</h2>"
        status = self.table("task_status")
        mine = status[(status["province_code"] == self.code) & (status["report_date"] <= self.report_date)]
        if mine.empty:
            return join([heading, absent("Không có báo cáo ngày tháng 6 đến ngày này.")])
        progress = self.table("task_progress")
        titles = dict(zip(progress["task_id"], progress["task"]))
        titles.update({k: v for k, (v, _) in self._clean_task_titles.items()})
        pivot = mine.pivot_table(index="task_id", columns="report_date", values="done", aggfunc="max").reset_index()
        dates = [c for c in pivot.columns if c != "task_id"]
        open_any = pivot[(pivot[dates] == 0).any(axis=1)].copy()
        if open_any.empty:
            return join([heading, para(esc(f"{self._short(self.code)} đã hoàn thành mọi nhiệm vụ ở các ngày báo cáo: " + ", ".join(vn_date(d) for d in dates) + "."))])
        open_any["task"] = open_any["task_id"].map(titles)
        for d in dates:
            open_any[d] = open_any[d].map(lambda v: "Đã xong" if v == 1 else "Chưa xong")
        open_any = open_any.sort_values("task_id", key=lambda s: s.map(J.task_sort_key))
        cite = self.sources.cite("daily_readiness", "Phụ lục: tiến độ từng nhiệm vụ theo tỉnh", dates[-1])
        return join(
            [
                heading,
                table(open_any, [("task_id", "Số hiệu", f_text), ("task", "Nhiệm vụ", f_text)] + [(d, vn_date(d), f_text) for d in dates], caption="Các nhiệm vụ có ít nhất một ngày chưa xong", cite=cite),
            ]
        )

    def commune_profile(self) -> Html:
        heading = "<h2>Xã, phường và hạ tầng (báo cáo Kế hoạch 02)</h2>"
        if not self.has("plan02"):
            return join([heading, absent("Ngày này không có báo cáo Kế hoạch 02.")])
        wide = R.indicators_wide(self._today("commune_readiness"))
        titles = self._today("commune_readiness").drop_duplicates("indicator_id").set_index("indicator_id")["indicator"]
        frame = pd.DataFrame(
            {
                "indicator_id": wide.columns,
                "indicator": [titles.get(c, c) for c in wide.columns],
                "province": wide.loc[self.code].values,
                "median": wide.median().values,
                "min": wide.min().values,
            }
        )
        frame["gap"] = frame["province"] - frame["median"]
        status = self.coverage.by_province.set_index("province_code").loc[self.code]
        index = self.readiness.set_index("province_code").loc[self.code]
        cite4, cite5 = self._cite("Phụ lục 4"), self._cite("Phụ lục 5")
        return join(
            [
                heading,
                para(
                    esc(
                        f"{int(status['communes'])} xã, phường: {int(status['green'])} XANH, {int(status['yellow'])} VÀNG, {int(status['red'])} ĐỎ "
                        f"({fmt_pct(status['green_pct'])} XANH). Chỉ số sẵn sàng hạ tầng: {f_num2(index['readiness_index'])}."
                    )
                    + cite4
                    + cite5
                ),
                table(
                    frame,
                    [("indicator_id", "Mã", f_text), ("indicator", "Chỉ tiêu", f_text), ("province", self._short(self.code), f_pct), ("median", "Trung vị 34 tỉnh", f_pct), ("min", "Thấp nhất", f_pct), ("gap", "Chênh so với trung vị (điểm %)", f_num2)],
                    caption="Chỉ tiêu hiện trạng xã, phường (Phụ lục 5)",
                    cite=cite5,
                    numeric=("province", "median", "min", "gap"),
                    row_class=lambda r: "warn" if r["gap"] < -5 else "",
                ),
            ]
        )

    def uptake_profile(self) -> Html:
        heading = "<h2>Hồ sơ trực tuyến</h2>"
        if not self.has("plan02"):
            return join([heading, absent("Ngày này không có số liệu hồ sơ trực tuyến.")])
        dossiers = self._today("dossiers")
        mine = dossiers[dossiers["province_code"] == self.code].copy()
        mine["period"] = [f"{vn_date(a)}–{vn_date(b)}" for a, b in zip(mine["period_start"], mine["period_end"])]
        mine["scope_vi"] = mine["scope"].map({"province": "cấp tỉnh", "commune": "cấp xã", "all": "chung"})
        rank = self.rates.for_scope("all").set_index("province_code").loc[self.code]
        row = self.ready_but_low_result.table.set_index("province_code").loc[self.code]
        cite = self._cite("Phụ lục 8")
        return join(
            [
                heading,
                para(
                    esc(
                        f"Tỷ lệ nộp trực tuyến lũy kế {fmt_pct(rank['online_rate_pct'])}, hạng {int(rank['rank'])}/34 (mức cả nước {fmt_pct(self.national_rate)}). "
                        f"Theo độ sẵn sàng, mức dự báo là {fmt_pct(row['predicted_rate_pct'])}; chênh {f_num2(row['residual_pts'])} điểm %. "
                        f"Nhóm: {row['quadrant_vi']}."
                    )
                    + cite
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

    def obstacles_profile(self) -> Html:
        heading = "<h2>Vướng mắc và đề xuất được báo cáo</h2>"
        obstacles = self.table("obstacles")
        mine = obstacles[(obstacles["province_code"] == self.code) & (obstacles["report_date"] == self.report_date)]
        if mine.empty:
            return join([heading, absent("Báo cáo của ngày này không ghi vướng mắc nào của tỉnh.")])
        frame = mine.assign(
            themes_vi=[", ".join(T.THEME_LABELS_VI[t] for t in T.themes_of(x)) for x in mine["text"]],
            kind_vi=mine["kind"].map({"obstacle": "Vướng mắc", "proposal": "Đề xuất"}),
            where=[f"{s}" + (f" ({b})" if isinstance(b, str) and b else "") for s, b in zip(mine["source"], mine["bloc"])],
        )
        kind = "plan02" if self.has("plan02") else "daily_readiness"
        return join(
            [
                heading,
                para(esc(f"{len(frame)} ý; nhóm chủ đề theo quy tắc từ khóa của mục “Hạ tầng sẵn sàng nhưng ít nộp trực tuyến” trong bản tin.")),
                table(
                    frame,
                    [("where", "Nguồn", f_text), ("kind_vi", "Loại", f_text), ("text", "Nội dung", f_text), ("communes_affected", "Số xã", f_int), ("themes_vi", "Nhóm", f_text)],
                    caption="Toàn bộ vướng mắc, đề xuất của tỉnh",
                    cite=self.sources.cite(kind, "các phụ lục và mục về vướng mắc", self.report_date),
                    numeric=("communes_affected",),
                ),
            ]
        )

    def vendor_profile(self) -> Html:
        vendors = self.table("vendors")
        mine = vendors[vendors["province_code"] == self.code].assign(system_vi=lambda f: f["system"].map(SYSTEM_VI))
        return join(
            [
                "<h2>Nhà cung cấp 5 hệ thống thông tin</h2>",
                table(mine, [("system_vi", "Hệ thống", f_text), ("vendor", "Nhà cung cấp", f_text)], cite=self.sources.cite("vendor_summary", "mục 1.1")),
            ]
        )

    def all_data_quality(self) -> Html:
        """Every finding about the documents of this date, with its technical detail.

        Findings of other dates' reports are counted, not listed: each date's drill-down
        lists its own (so a build of N dates writes N lists, not N growing ones), and
        ``data/processed/data_quality.csv`` holds them all."""
        dq = self.table("data_quality")
        mine = self.findings_today
        frame = mine.assign(date=mine["report_date"].map(lambda d: vn_date(d) if isinstance(d, str) else "không ghi ngày"), check_id=mine["check"])
        others = len(dq) - len(mine)
        other_files = source_file(dq.drop(index=mine.index)["source"]).nunique()
        rest = (
            f" {others} phát hiện khác thuộc {other_files} tệp nguồn của các ngày báo cáo khác có trong sổ tay của ngày đó và trong data/processed/data_quality.csv."
            if others
            else ""
        )
        return join(
            [
                "<h2>Phát hiện về chất lượng số liệu của các tài liệu nguồn ngày này</h2>",
                para(esc(f"{len(frame)} phát hiện trong {source_file(frame['source']).nunique()} tệp nguồn; mã kiểm tra (check) để tra cứu trong mã nguồn." + rest)),
                table(frame, [("date", "Ngày", f_text), ("severity", "Mức", f_text), ("source", "Nguồn", f_text), ("check_id", "Kiểm tra", f_text), ("detail", "Nội dung", f_text)], cls="data dq"),
            ]
        )
