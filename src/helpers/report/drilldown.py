"""The analyst notebook's content: provinces in depth, and the data-quality findings of the date.

``notebooks/province_drilldown.ipynb`` calls :class:`ProvinceDrilldown`, one cell per
section, each followed by a cell tagged ``analyst`` showing the DataFrame behind it (the
rows of every province analysed, each row naming its province). Each section has a part
per province. The provinces come from the ``provinces`` parameter (names in any spelling
the matcher knows, or codes); when it is empty, the notebook takes every province the
date flags "ready but low" (:attr:`helpers.analysis.facts.DateFacts.flagged`, most below
its predicted online rate first), and when the date flags none (a daily readiness date,
or thresholds no province falls under) the one the data point to
(:attr:`~helpers.analysis.facts.DateFacts.default_province`); the intro says which and why.
One notebook run covers them all (one kernel per date, not per province).
"""

from __future__ import annotations

from functools import cached_property

import pandas as pd

from helpers.analysis.facts import DAILY, PLAN02, source_file
from helpers.errors import InputError
from helpers.ingest.provinces import by_code, lookup
from helpers.report.document import Briefing
from helpers.report.formats import fmt_pct, vn_date
from helpers.report.names import display_full_name
from helpers.report.render import Html, absent, f_int, f_num2, f_pct, f_text, heading, join, para, table
from helpers.report.wording import (
    DEFAULT_PROVINCE_VI,
    DRILLDOWN_CHOICE_VI,
    DRILLDOWN_PROVINCE_VI,
    DRILLDOWN_SECTION_VI,
    DRILLDOWN_TITLE_VI,
    OBSTACLE_KIND_VI,
    QUADRANT_LABELS_VI,
    SCOPE_VI,
    SYSTEM_VI,
    THEME_LABELS_VI,
)


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


def province_list(value) -> list:
    """The ``provinces`` parameter as a list: None or "" is empty, one name or code a list of one."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


class ProvinceDrilldown(Briefing):
    """Provinces of one date; the sections of the briefing's header and footnotes are shared.

    ``provinces``: names or codes (or one of them); empty chooses from the data (see the
    module's docstring). Each section method renders every province's part; given a
    ``code``, only that province's. Each ``*_frame`` method returns the rows of every
    province (``province_code`` and ``province_name`` first), or of ``code``'s only."""

    def __init__(self, report_date: str, provinces=None, thresholds: dict | None = None, processed_dir=None, comparison_dates=()):
        super().__init__(report_date, thresholds, processed_dir, comparison_dates)
        self.provinces_param = province_list(provinces)

    @cached_property
    def choice(self) -> tuple[list[int], str]:
        """(codes, why): why is ``"param"``, ``"flagged"``, or a :data:`DEFAULT_PROVINCE_VI` key."""
        if self.provinces_param:
            return list(dict.fromkeys(resolve_province(p) for p in self.provinces_param)), "param"
        if self.facts.has(PLAN02):
            flagged = [int(c) for c in self.facts.flagged["province_code"]]
            if flagged:
                return flagged, "flagged"
        code, why = self.facts.default_province
        return [code], why

    @property
    def codes(self) -> list[int]:
        """The provinces analysed, in the order the sections show them."""
        return self.choice[0]

    @property
    def code(self) -> int:
        """The first province analysed."""
        return self.codes[0]

    def _cite(self, part: str) -> Html:
        return self.sources.cite(PLAN02, part, self.report_date)

    def _label(self, code: int) -> str:
        """The province as the pages print it (``TP. Hồ Chí Minh (mã 79)``); the tables keep the registry's name."""
        return DRILLDOWN_PROVINCE_VI.format(name=display_full_name(self.facts.full_names[code]), code=code)

    def intro(self) -> Html:
        codes, why = self.choice
        names = ", ".join(self._label(c) for c in codes)
        if why in DRILLDOWN_CHOICE_VI:
            text = DRILLDOWN_CHOICE_VI[why].format(names=names, n=len(codes))
        else:
            text = DRILLDOWN_CHOICE_VI["fallback"].format(names=names, why=DEFAULT_PROVINCE_VI[why])
        return join([heading(1, DRILLDOWN_TITLE_VI.format(date=vn_date(self.report_date))), para(text)])

    def _section(self, key: str, part, code: int | None) -> Html:
        """The section ``key``: ``part(code)`` under each province's name (or ``code``'s only)."""
        codes = self.codes if code is None else [code]
        parts = [heading(2, DRILLDOWN_SECTION_VI[key])]
        for c in codes:
            parts += [heading(3, self._label(c)), part(c)]
        return join(parts)

    def _frames(self, frame, code: int | None) -> pd.DataFrame | None:
        """``frame(code)`` of every province analysed (or ``code``'s), each row naming its province."""
        codes = self.codes if code is None else [code]
        found = []
        for c in codes:
            f = frame(c)
            if f is None:
                continue
            f = f.drop(columns=[k for k in ("province_code", "province_name") if k in f.columns])
            f.insert(0, "province_name", self.facts.full_names[c])
            f.insert(0, "province_code", c)
            found.append(f)
        if not found:
            return None
        return pd.concat(found, ignore_index=True) if len(found) > 1 else found[0].reset_index(drop=True)

    # ---- tasks of the daily reports ------------------------------------------------------------
    def tasks_frame(self, code: int | None = None) -> pd.DataFrame | None:
        """The provinces' tasks not done on at least one daily report up to this date."""
        return self._frames(self._open_tasks, code)

    def _open_tasks(self, code: int) -> pd.DataFrame | None:
        history = self.facts.province_task_history(code)
        return None if history is None else history[0]

    def tasks(self, code: int | None = None) -> Html:
        return self._section("tasks", self._tasks_part, code)

    def _tasks_part(self, code: int) -> Html:
        history = self.facts.province_task_history(code)
        if history is None:
            return absent("Không có báo cáo ngày của Bộ KH&CN đến ngày này.")
        open_any, dates = history
        if open_any.empty:
            return para(f"{self.facts.short(code)} đã hoàn thành mọi nhiệm vụ ở các ngày báo cáo: " + ", ".join(vn_date(d) for d in dates) + ".")
        shown = open_any.assign(**{d: open_any[d].map(lambda v: "Đã xong" if v == 1 else "Chưa xong") for d in dates})
        cite = self.sources.cite(DAILY, "Phụ lục: tiến độ từng nhiệm vụ theo tỉnh", dates[-1])
        return table(shown, [("task_id", "Số hiệu", f_text), ("task", "Nhiệm vụ", f_text)] + [(d, vn_date(d), f_text) for d in dates], caption="Các nhiệm vụ có ít nhất một ngày chưa xong", cite=cite)

    # ---- plan-02 ------------------------------------------------------------------------------
    def communes_frame(self, code: int | None = None) -> pd.DataFrame | None:
        """The provinces' appendix-5 indicators against the median and minimum of the 34."""
        return self._frames(self.facts.province_indicators, code)

    def communes(self, code: int | None = None) -> Html:
        return self._section("communes", self._communes_part, code)

    def _communes_part(self, code: int) -> Html:
        frame = self.facts.province_indicators(code)
        if frame is None:
            return absent("Ngày này không có báo cáo Kế hoạch 02.")
        status = self.facts.coverage.by_province.set_index("province_code").loc[code]
        index = self.facts.readiness.set_index("province_code").loc[code]
        cite4, cite5 = self._cite("Phụ lục 4"), self._cite("Phụ lục 5")
        return join(
            [
                para(
                    f"{int(status['communes'])} xã, phường: {int(status['green'])} XANH, {int(status['yellow'])} VÀNG, {int(status['red'])} ĐỎ "
                    f"({fmt_pct(status['green_pct'])} XANH). Chỉ số sẵn sàng hạ tầng: {f_num2(index['readiness_index'])}.",
                    cite4,
                    cite5,
                ),
                table(
                    frame,
                    [("indicator_id", "Mã", f_text), ("indicator", "Chỉ tiêu", f_text), ("province", self.facts.short(code), f_pct), ("median", "Trung vị 34 tỉnh", f_pct), ("min", "Thấp nhất", f_pct), ("gap", "Chênh so với trung vị (điểm %)", f_num2)],
                    caption="Chỉ tiêu hiện trạng xã, phường (Phụ lục 5)",
                    cite=cite5,
                    numeric=("province", "median", "min", "gap"),
                    row_class=lambda r: "warn" if r["gap"] < -5 else "",
                ),
            ]
        )

    def uptake_frame(self, code: int | None = None) -> pd.DataFrame | None:
        """The provinces' dossiers by period and level (appendix 8)."""
        return self._frames(self.facts.province_dossiers, code)

    def uptake(self, code: int | None = None) -> Html:
        return self._section("uptake", self._uptake_part, code)

    def _uptake_part(self, code: int) -> Html:
        mine = self.facts.province_dossiers(code)
        if mine is None:
            return absent("Ngày này không có số liệu hồ sơ trực tuyến.")
        mine = mine.assign(
            period=[f"{vn_date(a)}–{vn_date(b)}" for a, b in zip(mine["period_start"], mine["period_end"])],
            scope_vi=mine["scope"].map(SCOPE_VI),
        )
        f = self.facts
        rank = f.rates_all.set_index("province_code").loc[code]
        row = f.ready_but_low.table.set_index("province_code").loc[code]
        cite = self._cite("Phụ lục 8")
        return join(
            [
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
    def obstacles_frame(self, code: int | None = None) -> pd.DataFrame:
        """Every obstacle and proposal the provinces reported on this date, with its themes."""
        return self._frames(self.facts.province_obstacles, code)

    def obstacles(self, code: int | None = None) -> Html:
        return self._section("obstacles", self._obstacles_part, code)

    def _obstacles_part(self, code: int) -> Html:
        mine = self.facts.province_obstacles(code)
        if mine.empty:
            return absent("Báo cáo của ngày này không ghi vướng mắc nào của tỉnh.")
        frame = mine.assign(
            themes_vi=[", ".join(THEME_LABELS_VI[t] for t in joined.split(", ")) for joined in mine["themes"]],
            kind_vi=mine["kind"].map(OBSTACLE_KIND_VI),
            where=[f"{s}" + (f" ({b})" if isinstance(b, str) and b else "") for s, b in zip(mine["source"], mine["bloc"])],
        )
        kind = PLAN02 if self.facts.has(PLAN02) else DAILY
        return join(
            [
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

    def vendors_frame(self, code: int | None = None) -> pd.DataFrame:
        """The vendors of the provinces' five information systems."""
        return self._frames(self.facts.province_vendors, code)

    def vendors(self, code: int | None = None) -> Html:
        return self._section("vendors", self._vendors_part, code)

    def _vendors_part(self, code: int) -> Html:
        mine = self.facts.province_vendors(code).assign(system_vi=lambda f: f["system"].map(SYSTEM_VI))
        return table(mine, [("system_vi", "Hệ thống", f_text), ("vendor", "Nhà cung cấp", f_text)], cite=self.sources.cite("vendor_summary", "mục 1.1"))

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
