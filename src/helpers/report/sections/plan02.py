"""Sections of the plan-02 briefing (22/9/2025): commune readiness, online uptake, ready-but-low.

Numbers come from :mod:`helpers.analysis` (readiness, uptake, ready_but_low, themes,
vendors, trends); this module words and lays them out, and records the key
statistics in ``summary.json`` through ``self.metric``.
"""

from __future__ import annotations

from functools import cached_property

import pandas as pd

from helpers.report.plots import readiness_uptake as P
from helpers.analysis import communes as R
from helpers.analysis import ready_but_low as B
from helpers.analysis import themes as T
from helpers.analysis import trends as TR
from helpers.analysis import uptake as U
from helpers.analysis import vendors as V
from helpers.report.formats import fmt_int, fmt_num, fmt_pct
from helpers.report.render import Html, bullet_list, esc, f_int, f_num2, f_pct, f_text, figure, heat_table, join, kpis, para, table
from helpers.report.sections.sources import vn_date, vn_day_month

PLAN02 = "plan02"
BLOC_VI = {"party": "Đảng", "council": "HĐND", "committee": "UBND", "front": "MTTQ", "province": "cấp tỉnh"}
SCOPE_VI = {"province": "cấp tỉnh", "commune": "cấp xã", "all": "chung"}


class SeptemberSections:
    """Mixin of :class:`~helpers.report.document.Briefing` (needs table, has, sources, metric, thresholds)."""

    # ---- data (computed once per briefing) -----------------------------------------------
    def _today(self, name: str) -> pd.DataFrame:
        frame = self.table(name)
        return frame[frame["report_date"] == self.report_date].reset_index(drop=True)

    @cached_property
    def coverage(self) -> R.CommuneCoverage:
        return R.commune_coverage(self._today("commune_status"))

    @cached_property
    def readiness(self) -> pd.DataFrame:
        return R.readiness_table(self._today("commune_status"), self._today("commune_readiness"))

    @cached_property
    def rates(self) -> U.OnlineRates:
        return U.online_rates(self._today("dossiers"))

    @cached_property
    def national_rate(self) -> float:
        return float(self.rates.national_rate("all"))

    @cached_property
    def online_threshold(self) -> float:
        value = self.thresholds.get("online_rate_min_pct")
        return self.national_rate if value is None else float(value)

    @cached_property
    def ready_but_low_result(self) -> B.ReadyButLowResult:
        return B.flag_ready_but_low(
            self.readiness,
            self.rates.for_scope("all"),
            readiness_min=float(self.thresholds.get("readiness_index_min", 80.0)),
            green_pct_min=float(self.thresholds.get("green_pct_min", 90.0)),
            online_rate_min=self.online_threshold,
        )

    @cached_property
    def volume(self) -> U.VolumeIndex:
        return U.volume_index(self._today("dossiers"))

    @cached_property
    def obstacles_today(self) -> pd.DataFrame:
        return self._today("obstacles")

    @cached_property
    def blocs(self) -> pd.DataFrame:
        from helpers.analysis.corrections import bloc_completion_wide_reported

        # a 0% of a province absent from the bloc's obstacle appendix is a non-report (empty)
        return bloc_completion_wide_reported(self._today("bloc_completion"), self._today("obstacles"))

    @cached_property
    def tthc_vendor(self) -> dict[int, str]:
        vendors = self.table("vendors")
        return dict(zip(vendors.loc[vendors["system"] == "tthc", "province_code"], vendors.loc[vendors["system"] == "tthc", "vendor"]))

    @cached_property
    def _rate_of(self) -> dict[tuple[int, str], float]:
        """(province code, scope) -> online rate, the first row of each (the paragraphs' lookups)."""
        by = self.rates.by_province
        out: dict[tuple[int, str], float] = {}
        for code, scope, rate in zip(by["province_code"], by["scope"], by["online_rate_pct"]):
            out.setdefault((code, scope), float(rate))
        return out

    @cached_property
    def _volume_by_code(self) -> pd.DataFrame:
        return self.volume.by_province.set_index("province_code")

    @cached_property
    def _blocs_by_code(self) -> pd.DataFrame:
        return self.blocs.set_index("province_code")

    def _cite(self, part: str) -> str:
        return self.sources.cite(PLAN02, part, self.report_date)

    def _absent_plan02(self) -> Html:
        return Html("")  # data_available() says in one line that these sections are left out

    # ---- commune readiness ------------------------------------------------------------------
    def commune_readiness(self) -> Html:
        heading = "<h2>Mức sẵn sàng của xã, phường</h2>"
        if not self.has(PLAN02):
            return self._absent_plan02()
        cov = self.coverage
        cite4, cite5 = self._cite("Phụ lục 4"), self._cite("Phụ lục 5")
        by = cov.by_province
        full_green = int((by["green_pct"] >= 100).sum())
        self.metric("communes", cov.communes)
        self.metric("communes_green", cov.green, "Xã, phường XANH", f"{fmt_int(cov.green)}/{fmt_int(cov.communes)}")
        self.metric("communes_yellow", cov.yellow)
        self.metric("communes_red", cov.red)
        self.metric("communes_green_pct", cov.green_pct)
        self.metric("provinces_all_green", full_green)
        index = self.readiness
        self.metric("readiness_index_median", float(index["readiness_index"].median()))
        lowest = by.sort_values("green_pct").head(5)
        low_names = ", ".join(f"{self._short(c)} ({fmt_pct(p)})" for c, p in zip(lowest["province_code"], lowest["green_pct"]))
        parts = [
            heading,
            kpis(
                [
                    ("xã, phường XANH (đủ điều kiện cơ bản)", f"{fmt_int(cov.green)}/{fmt_int(cov.communes)}", cite4),
                    ("tỷ lệ xã, phường XANH", fmt_pct(cov.green_pct), cite4),
                    ("xã VÀNG / ĐỎ", f"{fmt_int(cov.yellow)} / {fmt_int(cov.red)}", cite4),
                    ("tỉnh có 100% xã XANH", f"{full_green}/34", cite4),
                ]
            ),
            para(
                esc(
                    f"{fmt_int(cov.green)}/{fmt_int(cov.communes)} xã, phường ({fmt_pct(cov.green_pct)}) được đánh giá XANH, "
                    f"{fmt_int(cov.yellow)} VÀNG và {fmt_int(cov.red)} ĐỎ; {full_green}/34 tỉnh, thành phố có toàn bộ xã, phường XANH. "
                    f"Tỷ lệ XANH thấp nhất: {low_names}."
                )
                + cite4
            ),
            "<h3>Chỉ số sẵn sàng hạ tầng</h3>",
            para(esc(R.describe_index()) + cite5),
            self._readiness_heat_table(cite5),
        ]
        parts += self._blocs_html()
        return join(parts)

    def _readiness_heat_table(self, cite5: str) -> Html:
        """Appendix 5 as a heat map: 34 provinces x indicators, % of communes meeting each."""
        wide = R.indicators_wide(self._today("commune_readiness"))
        return heat_table(
            wide.to_numpy(),
            [self._short(code) for code in wide.index],
            [R.INDICATOR_SHORT_LABELS_VI.get(c, c) for c in wide.columns],
            caption="34 tỉnh, thành phố × các chỉ tiêu hiện trạng xã, phường (% số xã đạt), theo ý tưởng bản đồ nhiệt của báo cáo",
            cite=cite5,
            legend="% số xã, phường đạt chỉ tiêu",
        )

    def _blocs_html(self) -> list:
        cite21 = self._cite("Phụ lục 21")
        cite9 = self._cite("Phụ lục 9–12")
        from helpers.analysis.corrections import rank_with_ties

        every = self.blocs
        wide = every[every["mean"].notna()].sort_values("mean")  # provinces that reported all four blocs
        self.metric("bloc_completion_mean_median", float(wide["mean"].median()))
        lowest_blocs = rank_with_ties(wide, "mean", 8)  # provinces tied with the 8th stay in
        lowest = R.ten_lowest_counts(self._today("bloc_criteria")).head(10)
        low_frame = lowest.assign(name=lowest["province_code"].map(self._short))
        return [
            "<h3>Hoàn thành tiêu chí giai đoạn 2 ở 4 khối cấp tỉnh</h3>",
            para(
                esc(
                    f"Ở {len(wide)} tỉnh báo cáo đủ 4 khối, tỷ lệ hoàn thành bình quân (Đảng, HĐND, UBND, MTTQ) dao động từ {fmt_pct(wide['mean'].min())} "
                    f"({self._short(wide['province_code'].iloc[0])}) đến {fmt_pct(wide['mean'].max())} ({self._short(wide['province_code'].iloc[-1])}); "
                    f"trung vị {fmt_pct(wide['mean'].median())}. Bảng dưới liệt kê {len(lowest_blocs)} tỉnh thấp nhất (kể cả tỉnh đồng hạng); "
                    f"{int((every['blocs_reported'] < len(R.BLOCS)).sum())} tỉnh chưa báo cáo đủ 4 khối (Phụ lục 21 ghi 0% cho khối chưa báo cáo): "
                    "không tính là 0% và không xếp hạng."
                )
                + cite21
            ),
            table(
                lowest_blocs.assign(name=lowest_blocs["province_code"].map(self._short)),
                [("name", "Tỉnh", f_text), ("party", "Đảng", f_pct), ("council", "HĐND", f_pct), ("committee", "UBND", f_pct), ("front", "MTTQ", f_pct), ("mean", "Bình quân", f_pct)],
                caption=f"Tỷ lệ hoàn thành tiêu chí giai đoạn 2 theo khối ({len(lowest_blocs)} tỉnh thấp nhất)",
                cite=cite21,
                numeric=("party", "council", "committee", "front", "mean"),
            ),
            para(
                esc(
                    "Số lần mỗi tỉnh nằm trong nhóm tỉnh thấp nhất (dưới 50%) của từng tiêu chí ở 4 khối cấp xã; "
                    f"{int(lowest['criteria'].iloc[0]) if len(lowest) else 0} tiêu chí có danh sách tỉnh."
                )
                + cite9
            ),
            table(
                low_frame,
                [("name", "Tỉnh", f_text), ("total", "Tổng số lần", f_int), ("party", "Đảng", f_int), ("council", "HĐND", f_int), ("committee", "UBND", f_int), ("front", "MTTQ", f_int)],
                caption="10 tỉnh thường nằm trong nhóm thấp nhất (Phụ lục 9–12)",
                cite=cite9,
                numeric=("total", "party", "council", "committee", "front"),
            ),
        ]

    # ---- online submission -----------------------------------------------------------------
    def online_uptake(self) -> Html:
        heading = "<h2>Hồ sơ nộp trực tuyến trên Cổng Dịch vụ công quốc gia</h2>"
        if not self.has(PLAN02):
            return self._absent_plan02()
        rates = self.rates
        cite8 = self._cite("Phụ lục 8, bảng III")
        cite8i = self._cite("Phụ lục 8, bảng I")
        national = rates.national.set_index("scope")
        total = int(national.loc["all", "total"])
        for scope in ("all", "province", "commune"):
            self.metric(f"online_rate_national_{scope}_pct", float(national.loc[scope, "online_rate_pct"]))
        period = f"{vn_day_month(rates.period_start)}–{vn_day_month(rates.period_end)}"  # '1/7–21/9'
        self.metric("dossiers_total", total, f"Hồ sơ lũy kế {period}", fmt_int(total))
        self.summary["headline"].append({"label": "Tỷ lệ nộp trực tuyến (lũy kế)", "value": fmt_pct(national.loc["all", "online_rate_pct"])})
        wide = rates.wide() if callable(getattr(rates, "wide", None)) else rates.wide
        wide = wide.reset_index() if "province_code" not in wide.columns else wide
        all_rates = rates.for_scope("all")
        lowest = all_rates.sort_values("online_rate_pct").head(5)
        highest = all_rates.sort_values("online_rate_pct", ascending=False).head(3)
        q1, q3 = all_rates["online_rate_pct"].quantile([0.25, 0.75])
        below = int((all_rates["online_rate_pct"] < self.national_rate).sum())
        self.metric("provinces_below_national_rate", below)
        vol = self.volume
        self.metric("day_dossiers_total", vol.day_total)
        self.metric("june_daily_avg_total", vol.june_daily_avg)
        self.metric("volume_index_national", vol.national_index)
        gaps = U.level_gaps(self._today("dossiers"))
        day = U.day_vs_cumulative(self._today("dossiers"))
        day_all = day[day["day_scope"] == day["cumulative_scope"]]
        parts = [
            heading,
            kpis(
                [
                    (f"hồ sơ tiếp nhận {period}", fmt_int(total), cite8),
                    ("nộp trực tuyến (chung)", fmt_pct(national.loc["all", "online_rate_pct"]), cite8),
                    ("cấp tỉnh / cấp xã", f"{fmt_pct(national.loc['province', 'online_rate_pct'])} / {fmt_pct(national.loc['commune', 'online_rate_pct'])}", cite8),
                    ("tỉnh dưới mức cả nước", f"{below}/34", cite8),
                ]
            ),
            para(
                esc(
                    f"Từ {vn_date(rates.period_start)} đến {vn_date(rates.period_end)}, cả nước tiếp nhận {fmt_int(total)} hồ sơ, "
                    f"{fmt_pct(national.loc['all', 'online_rate_pct'])} nộp trực tuyến ({fmt_pct(national.loc['province', 'online_rate_pct'])} ở cấp tỉnh, "
                    f"{fmt_pct(national.loc['commune', 'online_rate_pct'])} ở cấp xã). Một nửa số tỉnh nằm trong khoảng {fmt_pct(q1)}–{fmt_pct(q3)}; "
                    f"{below}/34 tỉnh dưới mức cả nước. Cao nhất: "
                    + ", ".join(f"{self._short(c)} ({fmt_pct(r)})" for c, r in zip(highest["province_code"], highest["online_rate_pct"]))
                    + "; thấp nhất: "
                    + ", ".join(f"{self._short(c)} ({fmt_pct(r)})" for c, r in zip(lowest["province_code"], lowest["online_rate_pct"]))
                    + "."
                )
                + cite8
            ),
            figure(
                P.ranked_online_rates(all_rates, self.national_rate, self.table("provinces"), highlight=self.ready_but_low_result.flagged),
                alt="Tỷ lệ hồ sơ nộp trực tuyến theo tỉnh, xếp hạng",
                caption="Tỷ lệ hồ sơ nộp trực tuyến lũy kế theo tỉnh; đường dọc: mức cả nước; tô đậm: tỉnh sẵn sàng nhưng nộp trực tuyến thấp",
                cite=cite8,
            ),
            f"<h3>Ngày {vn_day_month(vol.day)} so với lũy kế, và khối lượng hồ sơ</h3>",
            para(
                esc(
                    f"Ngày {vn_date(vol.day)} ({vol.weekday_vi}{', ngày nghỉ cuối tuần' if vol.is_weekend else ''}) cả nước tiếp nhận {fmt_int(vol.day_total)} hồ sơ, "
                    f"bằng {fmt_pct(100 * vol.national_index, 1)} mức bình quân một ngày của tháng 6/2025 ({fmt_int(vol.june_daily_avg)} hồ sơ). "
                    f"Chỉ số khối lượng = số hồ sơ trong ngày / bình quân ngày tháng 6; vì {vn_day_month(vol.day)} là ngày nghỉ, chỉ số thấp phản ánh lịch làm việc nhiều hơn là sự suy giảm, "
                    "nên chỉ dùng để so sánh giữa các tỉnh trong cùng ngày."
                    if vol.is_weekend
                    else f"Ngày {vn_date(vol.day)} ({vol.weekday_vi}) cả nước tiếp nhận {fmt_int(vol.day_total)} hồ sơ, bằng {fmt_pct(100 * vol.national_index, 1)} mức bình quân một ngày của tháng 6/2025 ({fmt_int(vol.june_daily_avg)} hồ sơ)."
                )
                + cite8i
            ),
            table(
                self._uptake_table(all_rates, wide, gaps, day_all),
                [
                    ("name", "Tỉnh", f_text),
                    ("rate_all", "Lũy kế chung", f_pct),
                    ("rate_province", "Cấp tỉnh", f_pct),
                    ("rate_commune", "Cấp xã", f_pct),
                    ("gap_pts", "Tỉnh − xã (điểm %)", f_num2),
                    ("day_rate", f"Ngày {vn_day_month(vol.day)}", f_pct),
                    ("day_total", "Hồ sơ trong ngày", f_int),
                    ("june_daily_avg", "BQ ngày T6", f_int),
                    ("volume_index", "Chỉ số khối lượng", f_num2),
                ],
                caption="Tỷ lệ nộp trực tuyến và khối lượng hồ sơ theo tỉnh (xếp theo tỷ lệ lũy kế chung, thấp nhất trước)",
                cls="data wide",
                cite=cite8 + cite8i,
                numeric=("rate_all", "rate_province", "rate_commune", "gap_pts", "day_rate", "day_total", "june_daily_avg", "volume_index"),
                row_class=lambda r: "flag" if r["province_code"] in self.ready_but_low_result.flagged else "",
            ),
        ]
        return join(parts)

    def _uptake_table(self, all_rates, wide, gaps, day_all) -> pd.DataFrame:
        frame = all_rates[["province_code", "online_rate_pct"]].rename(columns={"online_rate_pct": "rate_all"})
        by = self.rates.by_province
        for scope in ("province", "commune"):
            part = by[by["scope"] == scope][["province_code", "online_rate_pct"]].rename(columns={"online_rate_pct": f"rate_{scope}"})
            frame = frame.merge(part, on="province_code", how="left")
        frame = frame.merge(gaps[["province_code", "gap_pts"]], on="province_code", how="left")
        # Table I (scope "all") already contains table II's commune dossiers: compare like with like.
        day_rates = day_all[day_all["day_scope"] == "all"][["province_code", "day_rate_pct"]].rename(columns={"day_rate_pct": "day_rate"})
        frame = frame.merge(day_rates, on="province_code", how="left")
        frame = frame.merge(self.volume.by_province[["province_code", "day_total", "june_daily_avg", "volume_index"]], on="province_code", how="left")
        frame["name"] = frame["province_code"].map(self._short)
        return frame.sort_values("rate_all").reset_index(drop=True)

    # ---- ready but low -------------------------------------------------------------------------
    def ready_but_low(self) -> Html:
        heading = "<h2>Hạ tầng sẵn sàng nhưng người dân ít nộp trực tuyến</h2>"
        if not self.has(PLAN02):
            return self._absent_plan02()
        res = self.ready_but_low_result
        tbl = res.table
        cite = self._cite("Phụ lục 4, 5 và 8")
        flagged = tbl[tbl["flagged"]].sort_values("residual_rank")
        records = []
        for r in flagged.to_dict("records"):
            records.append(
                {
                    "province_code": int(r["province_code"]),
                    "province_name": self.province_full_names.get(int(r["province_code"]), ""),
                    "readiness": round(float(r["readiness_index"]), 2),
                    "green_pct": round(float(r["green_pct"]), 2),
                    "online_rate_pct": round(float(r["online_rate_pct"]), 2),
                    "predicted_rate_pct": round(float(r["predicted_rate_pct"]), 2),
                    "shortfall_pts": round(float(-r["residual_pts"]), 2),
                }
            )
        self.summary["ready_but_low"] = records
        self.metric("ready_but_low_count", len(records), "Tỉnh sẵn sàng nhưng nộp trực tuyến thấp", str(len(records)))
        self.metric("spearman_rho", float(res.rho))
        self.metric("spearman_p", float(res.p_value))
        self.metric("ready_but_low_threshold_online_pct", float(res.online_rate_min))
        from helpers.report.sections.uncertainty import ready_but_low_uncertainty_vi

        honest = " ".join(ready_but_low_uncertainty_vi(res, self._short))
        parts = [
            heading,
            para(
                esc(
                    "Báo cáo Kế hoạch 02 nêu: có tỉnh hạ tầng tốt nhưng tỷ lệ người dân nộp hồ sơ trực tuyến rất thấp, làm lãng phí đầu tư. "
                    "Mục này xác định các tỉnh đó theo một quy tắc nêu rõ ngưỡng (không chọn tỉnh theo tên), đo mức thấp hơn so với mức "
                    "dự báo theo độ sẵn sàng, và tìm nguyên nhân trong chính các vướng mắc tỉnh báo cáo."
                )
                + self._cite("phần I.2 và III.1")
            ),
            para(esc(B.describe_method(res)) + cite, cls="method"),
            para(esc(honest) + cite),
            figure(
                P.readiness_vs_online(res, self.table("provinces"), labels_for=res.flagged),
                alt="Biểu đồ phân tán: chỉ số sẵn sàng hạ tầng và tỷ lệ nộp trực tuyến",
                caption="Chỉ số sẵn sàng hạ tầng (trục ngang) và tỷ lệ nộp trực tuyến lũy kế (trục dọc); đường nét đứt: ngưỡng; đường liền: hồi quy; tên: tỉnh bị gắn cờ",
                cite=cite,
            ),
        ]
        if not records:
            parts.append(para(esc("Không tỉnh nào vừa đạt ngưỡng sẵn sàng vừa có tỷ lệ nộp trực tuyến dưới ngưỡng.")))
            return join(parts)
        frame = pd.DataFrame(records).assign(name=lambda f: f["province_code"].map(self._short))
        parts.append(
            table(
                frame,
                [
                    ("name", "Tỉnh", f_text),
                    ("readiness", "Chỉ số sẵn sàng", f_num2),
                    ("green_pct", "% xã XANH", f_pct),
                    ("online_rate_pct", "Nộp trực tuyến", f_pct),
                    ("predicted_rate_pct", "Mức dự báo theo sẵn sàng", f_pct),
                    ("shortfall_pts", "Thấp hơn dự báo (điểm %)", f_num2),
                ],
                caption=f"{len(records)} tỉnh sẵn sàng nhưng nộp trực tuyến thấp, xếp theo mức thấp hơn dự báo",
                cite=cite,
                numeric=("readiness", "green_pct", "online_rate_pct", "predicted_rate_pct", "shortfall_pts"),
            )
        )
        parts.append("<h3>Từng tỉnh: số liệu và nguyên nhân được báo cáo</h3>")
        from helpers.analysis.theme_evaluation import rule_quality_note_vi

        parts.append(para(esc(f"{_THEME_RULE_VI} {rule_quality_note_vi()}"), cls="method"))
        for record in records:
            parts.append(self._province_paragraph(record))
        return join(parts)

    def _province_paragraph(self, record: dict) -> Html:
        code = record["province_code"]
        name = self._short(code)
        rate = {s: self._rate_of[(code, s)] for s in ("province", "commune")}
        vol = self._volume_by_code
        bloc = self._blocs_by_code
        vendor = self.tthc_vendor.get(code, "không rõ")
        cite_v = self.sources.cite("vendor_summary", "mục 1.1 (hệ thống giải quyết TTHC)")
        cite8 = self._cite("Phụ lục 8")
        cite21 = self._cite("Phụ lục 21")
        cite_ob = self._cite("Phụ lục 6, 17 và 24")
        text = (
            f"{name}: chỉ số sẵn sàng {fmt_num(record['readiness'])}, {fmt_pct(record['green_pct'])} xã XANH, nhưng chỉ {fmt_pct(record['online_rate_pct'])} hồ sơ nộp trực tuyến "
            f"({fmt_pct(rate['province'])} cấp tỉnh, {fmt_pct(rate['commune'])} cấp xã), thấp hơn {fmt_num(record['shortfall_pts'])} điểm % so với mức dự báo theo độ sẵn sàng."
        )
        if code in vol.index:
            v = vol.loc[code]
            text += f" Ngày {vn_date(self.volume.day)}: {fmt_int(v['day_total'])} hồ sơ, bằng {fmt_pct(100 * float(v['volume_index']), 1)} bình quân ngày tháng 6 ({fmt_int(v['june_daily_avg'])})."
        html = esc(text) + cite8
        html += esc(f" Hệ thống giải quyết TTHC do {vendor} cung cấp.") + cite_v
        if code in bloc.index:
            b = bloc.loc[code]
            html += esc(
                f" Hoàn thành tiêu chí giai đoạn 2 ở 4 khối cấp tỉnh: bình quân {fmt_pct(b['mean'])} (Đảng {fmt_pct(b['party'])}, HĐND {fmt_pct(b['council'])}, UBND {fmt_pct(b['committee'])}, MTTQ {fmt_pct(b['front'])})."
            ) + cite21
        themes = T.obstacle_themes_for(self.obstacles_today, code)
        if themes.empty:
            html += esc(" Tỉnh không báo cáo vướng mắc nào ở Phụ lục 6, 17 và 24.") + cite_ob
        else:
            obstacles = themes[themes["kind"] == "obstacle"]
            top = [f"{T.THEME_LABELS_VI.get(t, t).lower()} ({n} ý, {fmt_int(c)} lượt xã)" for t, n, c in _top_themes(obstacles)[:3]]
            html += esc(f" Vướng mắc được báo cáo ({len(obstacles)} ý), nhiều nhất: " + "; ".join(top) + ".") + cite_ob
            examples = obstacles.sort_values("communes_affected", ascending=False, na_position="last").head(3)
            items = [esc(f"{r['text']} ({fmt_int(r['communes_affected'])}/{fmt_int(r['communes_total'])} xã; {r['source']})") for r in examples.to_dict("records")]
            return Html(f'<div class="province-card"><p>{html}</p>' + bullet_list(items).body + "</div>")
        return Html(f'<div class="province-card"><p>{html}</p></div>')

    # ---- trends -------------------------------------------------------------------------------
    def september_trends(self) -> Html:
        heading = "<h2>Diễn biến: so với ngày trước và so với tháng 6</h2>"
        if not self.has(PLAN02):
            return Html("")
        dd = TR.september_day_on_day(self._today("commune_status"), self._today("report_figures"), self.report_date)
        cite4 = self._cite("Phụ lục 4")
        cite_body = self._cite("phần I")
        body = dd.body_series
        parts = [heading]
        if len(body) >= 2:
            prev, cur = body.iloc[-2], body.iloc[-1]
            self.metric("communes_all_basic_conditions", int(cur["value"]))
            self.metric("communes_all_basic_conditions_previous", int(prev["value"]))
            parts.append(
                para(
                    esc(
                        f"Số xã, phường đáp ứng đầy đủ điều kiện cơ bản: {fmt_int(prev['value'])} ({vn_date(prev['date'])}) → {fmt_int(cur['value'])} ({vn_date(cur['date'])}), "
                        f"tăng {fmt_int(cur['value'] - prev['value'])}."
                    )
                    + cite_body
                )
            )
        moved = dd.moved
        if not moved.empty:
            frame = moved.assign(name=moved["province_code"].map(self._short))
            parts.append(
                table(
                    frame,
                    [("name", "Tỉnh", f_text), ("green_pct_previous", "% XANH hôm trước", f_pct), ("green_pct", "% XANH", f_pct), ("green_pct_change", "Thay đổi (điểm %)", f_num2), ("green_change", "Số xã thay đổi", f_int)],
                    caption=f"Các tỉnh có tỷ lệ xã XANH thay đổi so với ngày hôm trước ({len(moved)} tỉnh)",
                    cite=cite4,
                    numeric=("green_pct_previous", "green_pct", "green_pct_change", "green_change"),
                    row_class=lambda r: "warn" if r["green_pct_change"] < 0 else "",
                )
            )
        status = self.table("task_status")
        if not status.empty and (status["report_date"] < self.report_date).any():
            june = status[status["report_date"] < self.report_date]
            lag = TR.june_laggards_in_september(june, self._today("commune_status"), readiness_index=self.readiness, online_rates=self.rates.for_scope("all"))
            frame = lag.laggards.assign(name=lag.laggards["province_code"].map(self._short))
            cols = [("name", "Tỉnh", f_text), ("june_open_tasks", f"Nhiệm vụ chưa xong {vn_date(lag.june_date)}", f_int), ("green_pct", f"% xã XANH {vn_day_month(self.report_date)}", f_pct)]
            for col, label in (("readiness_index", "Chỉ số sẵn sàng"), ("online_rate_pct", "Nộp trực tuyến")):
                if col in frame.columns:
                    cols.append((col, label, f_num2 if col == "readiness_index" else f_pct))
            parts.append("<h3>Các tỉnh chậm tiến độ tháng 6 nay ra sao</h3>")
            parts.append(para(esc(lag.summary_vi()) + self.sources.cite("daily_readiness", "Phụ lục: tiến độ từng nhiệm vụ theo tỉnh", lag.june_date) + cite4))
            parts.append(table(frame, cols, caption=f"{lag.selection}: tháng 6 và ngày {vn_date(self.report_date)}", numeric=[c for c, _, _ in cols[1:]]))
        return join(parts)

    def vendor_lens(self) -> Html:
        heading = "<h2>Theo nhà cung cấp hệ thống giải quyết thủ tục hành chính</h2>"
        if not self.has(PLAN02):
            return Html("")
        lens = V.vendor_lens(self.table("vendors"), self.readiness, self.rates.for_scope("all"), small_group_n=int(self.thresholds.get("small_group_n", 3)))
        cite_v = self.sources.cite("vendor_summary", "mục 1.1")
        frame = lens.assign(
            members=lens["province_codes"].map(lambda codes: ", ".join(self._short(c) for c in codes)),
            n_shown=[f"{n}*" if small else str(n) for n, small in zip(lens["n"], lens["small_group"])],
        )
        small_note = ""
        if lens["small_group"].any():
            small_note = para(esc(f"(*) Nhóm dưới {int(self.thresholds.get('small_group_n', 3))} tỉnh: chỉ mang tính tham khảo, không đủ để so sánh giữa các nhà cung cấp."), cls="absent")
        self.metric("vendor_groups", int(len(lens)))
        return join(
            [
                heading,
                para(
                    esc(
                        "Nhà cung cấp hệ thống giải quyết TTHC theo báo cáo tổng hợp tháng 6/2025 (không ghi ngày, khoảng 22–23/6); "
                        "bảng so sánh trung vị chỉ số sẵn sàng và tỷ lệ nộp trực tuyến theo nhóm. Nhóm nhỏ chỉ mang tính tham khảo: "
                        "chênh lệch giữa các nhóm không chứng minh phần mềm là nguyên nhân."
                    )
                    + cite_v
                    + self._cite("Phụ lục 5 và 8")
                ),
                table(
                    frame,
                    [
                        ("vendor", "Nhà cung cấp", f_text),
                        ("n_shown", "Số tỉnh", f_text),
                        ("readiness_median", "Sẵn sàng (trung vị)", f_num2),
                        ("online_rate_median", "Nộp trực tuyến (trung vị)", f_pct),
                        ("online_rate_mean", "Nộp trực tuyến (bình quân)", f_pct),
                        ("members", "Các tỉnh", f_text),
                    ],
                    caption="Mức sẵn sàng và nộp trực tuyến theo nhà cung cấp hệ thống giải quyết TTHC",
                    numeric=("n_shown", "readiness_median", "online_rate_median", "online_rate_mean"),
                ),
                small_note,
            ]
        )


def _top_themes(obstacles: pd.DataFrame) -> list[tuple[str, int, float]]:
    """(theme, texts, communes) of a province's obstacle texts, most communes first, then
    most texts, then the theme's name; without 'none'. What
    ``explode('themes').groupby('themes').agg(size, sum).sort_values([communes, texts],
    ascending=False)`` gave (its sort keeps ties in the groups' order), without building
    four frames for each province."""
    texts: dict[str, int] = {}
    communes: dict[str, float] = {}
    for joined, affected in zip(obstacles["themes"], obstacles["communes_affected"]):
        for theme in joined.split(", "):
            texts[theme] = texts.get(theme, 0) + 1
            communes[theme] = communes.get(theme, 0) + (0 if pd.isna(affected) else affected)
    ordered = sorted(sorted(texts), key=lambda t: (-communes[t], -texts[t]))
    return [(t, texts[t], communes[t]) for t in ordered if t != "none"]


_THEME_RULE_VI = (
    "Vướng mắc của tỉnh (Phụ lục 6, 17 và 24) được gom nhóm theo từ khóa: phần mềm, hệ thống, dữ liệu; trang thiết bị; cán bộ, nhân lực, đào tạo; "
    "đường truyền, mạng; người dân, kỹ năng số, định danh điện tử mức 2; thủ tục, quy trình, pháp lý; kinh phí. Một ý có thể thuộc nhiều nhóm; "
    "số lượt xã là tổng số xã mà báo cáo ghi là gặp vướng mắc đó."
)
