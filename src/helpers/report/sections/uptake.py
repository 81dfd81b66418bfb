"""Dossiers filed online on the National Public Service Portal (plan-02 appendix 8)."""

from __future__ import annotations

import pandas as pd

from helpers.analysis.facts import PLAN02, DateFacts
from helpers.report.formats import fmt_int, fmt_pct, vn_date, vn_day_month
from helpers.report.names import name_of, name_getter
from helpers.report.plots.readiness_uptake import ranked_online_rates
from helpers.report.render import EMPTY, Html, f_int, f_num2, f_pct, f_text, figure, heading, join, kpis, para, table
from helpers.report.sections.sources import Sources, document_name
from helpers.report.wording import WEEKDAYS_VI


def period(f: DateFacts) -> str:
    """The cumulative period: '1/7–21/9'."""
    return f"{vn_day_month(f.rates.period_start)}–{vn_day_month(f.rates.period_end)}"


def html(f: DateFacts, sources: Sources) -> Html:
    if not f.has(PLAN02):
        return EMPTY
    cite8 = sources.cite(PLAN02, "Phụ lục 8, bảng III", f.report_date)
    cite8i = sources.cite(PLAN02, "Phụ lục 8, bảng I", f.report_date)
    national, rates, vol = f.national, f.rates, f.volume
    rate = {scope: fmt_pct(national.loc[scope, "online_rate_pct"]) for scope in ("all", "province", "commune")}
    provinces = len(f.rates_all)
    by_rate = f.rates_all.sort_values("online_rate_pct")
    lowest, highest = by_rate.head(5), f.rates_all.sort_values("online_rate_pct", ascending=False).head(3)
    q1, q3 = f.rate_quartiles
    weekday = WEEKDAYS_VI[vol.weekday]
    if vol.is_weekend:
        volume_text = (
            f"Ngày {vn_date(vol.day)} ({weekday}, ngày nghỉ cuối tuần) cả nước tiếp nhận {fmt_int(vol.day_total)} hồ sơ, "
            f"bằng {fmt_pct(100 * vol.national_index, 1)} mức bình quân một ngày của tháng 6/2025 ({fmt_int(vol.june_daily_avg)} hồ sơ). "
            f"Chỉ số khối lượng = số hồ sơ trong ngày / bình quân ngày tháng 6; vì {vn_day_month(vol.day)} là ngày nghỉ, chỉ số thấp phản ánh lịch làm việc nhiều hơn là sự suy giảm, "
            "nên chỉ dùng để so sánh giữa các tỉnh trong cùng ngày."
        )
    else:
        volume_text = f"Ngày {vn_date(vol.day)} ({weekday}) cả nước tiếp nhận {fmt_int(vol.day_total)} hồ sơ, bằng {fmt_pct(100 * vol.national_index, 1)} mức bình quân một ngày của tháng 6/2025 ({fmt_int(vol.june_daily_avg)} hồ sơ)."
    flagged = f.ready_but_low.flagged
    return join(
        [
            heading(2, "Hồ sơ nộp trực tuyến trên Cổng Dịch vụ công quốc gia"),
            kpis(
                [
                    (f"hồ sơ tiếp nhận {period(f)}", fmt_int(f.dossiers_total), cite8),
                    ("nộp trực tuyến (chung)", rate["all"], cite8),
                    ("cấp tỉnh / cấp xã", f"{rate['province']} / {rate['commune']}", cite8),
                    ("tỉnh dưới mức cả nước", f"{f.provinces_below_national}/{provinces}", cite8),
                ]
            ),
            para(
                f"Từ {vn_date(rates.period_start)} đến {vn_date(rates.period_end)}, cả nước tiếp nhận {fmt_int(f.dossiers_total)} hồ sơ, "
                f"{rate['all']} nộp trực tuyến ({rate['province']} ở cấp tỉnh, {rate['commune']} ở cấp xã). Một nửa số tỉnh nằm trong khoảng {fmt_pct(q1)}–{fmt_pct(q3)}; "
                f"{f.provinces_below_national}/{provinces} tỉnh dưới mức cả nước. Cao nhất: "
                + ", ".join(f"{name_of(f, c)} ({fmt_pct(r)})" for c, r in zip(highest["province_code"], highest["online_rate_pct"]))
                + "; thấp nhất: "
                + ", ".join(f"{name_of(f, c)} ({fmt_pct(r)})" for c, r in zip(lowest["province_code"], lowest["online_rate_pct"]))
                + ".",
                cite8,
            ),
            figure(
                ranked_online_rates(f.rates_all, f.national_rate, name_getter(f), highlight=flagged),
                alt="Tỷ lệ hồ sơ nộp trực tuyến theo tỉnh, xếp hạng",
                caption=f"Tỷ lệ hồ sơ nộp trực tuyến lũy kế {period(f)} theo tỉnh, cao nhất ở trên",
                cite=cite8,
                source=f"{document_name(PLAN02, f.report_date)}, Phụ lục 8, bảng III",
            ),
            heading(3, f"Ngày {vn_day_month(vol.day)} so với lũy kế, và khối lượng hồ sơ"),
            para(volume_text, cite8i),
            table(
                frame(f),
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
                row_class=lambda r: "flag" if r["province_code"] in flagged else "",
            ),
        ]
    )


def frame(f: DateFacts) -> pd.DataFrame | None:
    if not f.has(PLAN02):
        return None
    return f.uptake_table.assign(name=f.uptake_table["province_code"].map(name_getter(f)))
