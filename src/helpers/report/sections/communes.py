"""Commune readiness (plan-02 appendices 4, 5, 9–12 and 21): GREEN communes, the
infrastructure readiness index, and the criteria of the four blocs."""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.analysis.facts import PLAN02, DateFacts
from helpers.report.formats import fmt_int, fmt_num, fmt_pct
from helpers.report.names import name_getter, name_of
from helpers.report.render import EMPTY, Html, f_int, f_pct, f_text, heading, heat_table, join, kpis, para, table
from helpers.report.plots.heatmap import heat_data, severity_order
from helpers.report.sections.sources import Sources, document_name
from helpers.report.wording import CHART_HEAT_ALL_FULL_VI, CHART_HEAT_FULL_ROW_VI, INDICATOR_SHORT_LABELS_VI, chart_title_heat, describe_index

# Rows of the bloc table: the provinces with the lowest mean completion.
BLOC_ROWS = 8


def html(f: DateFacts, sources: Sources) -> Html:
    if not f.has(PLAN02):
        return EMPTY  # data_available() says in one line that this section is left out
    cov = f.coverage
    cite4 = sources.cite(PLAN02, "Phụ lục 4", f.report_date)
    cite5 = sources.cite(PLAN02, "Phụ lục 5", f.report_date)
    lowest = f.lowest_green
    low_names = ", ".join(f"{name_of(f, c)} ({fmt_pct(p)})" for c, p in zip(lowest["province_code"], lowest["green_pct"]))
    provinces = len(cov.by_province)
    return join(
        [
            heading(2, "Mức sẵn sàng của xã, phường"),
            kpis(
                [
                    ("xã, phường XANH (đủ điều kiện cơ bản)", f"{fmt_int(cov.green)}/{fmt_int(cov.communes)}", cite4),
                    ("tỷ lệ xã, phường XANH", fmt_pct(cov.green_pct), cite4),
                    ("xã VÀNG / ĐỎ", f"{fmt_int(cov.yellow)} / {fmt_int(cov.red)}", cite4),
                    ("tỉnh có 100% xã XANH", f"{f.provinces_all_green}/{provinces}", cite4),
                ]
            ),
            para(
                f"{fmt_int(cov.green)}/{fmt_int(cov.communes)} xã, phường ({fmt_pct(cov.green_pct)}) được đánh giá XANH, "
                f"{fmt_int(cov.yellow)} VÀNG và {fmt_int(cov.red)} ĐỎ; {f.provinces_all_green}/{provinces} tỉnh, thành phố có toàn bộ xã, phường XANH. "
                f"Tỷ lệ XANH thấp nhất: {low_names}.",
                cite4,
            ),
            heading(3, "Chỉ số sẵn sàng hạ tầng"),
            para(describe_index(), cite5),
            _heat_map(f, cite5),
            _blocs(f, sources),
        ]
    )


def _heat_map(f: DateFacts, cite5: Html) -> Html:
    """The indicators by province, worst first; the provinces at 100% everywhere as one row."""
    rows = severity_order(f.indicators)
    labels = [INDICATOR_SHORT_LABELS_VI.get(c, c) for c in f.indicators.columns]
    flagged = set(f.ready_but_low.flagged)
    values, names = rows.shown.to_numpy(), [name_of(f, code) for code in rows.shown.index]
    classes, marks = [""] * len(names), [int(c) in flagged for c in rows.shown.index]
    note = ""
    if rows.full:
        row_label = CHART_HEAT_FULL_ROW_VI.format(count=len(rows.full))
        full = f.indicators.loc[list(rows.full)].astype(float).min().to_numpy()  # 100 in every column, by construction
        values = np.vstack([values, full]) if len(names) else full[None, :]
        names, classes, marks = names + [row_label], classes + ["collapsed"], marks + [False]
        note = CHART_HEAT_ALL_FULL_VI.format(row=row_label, count=len(rows.full), names=", ".join(name_of(f, c) for c in rows.full))
    if len(rows.shown):
        at = np.unravel_index(np.nanargmin(rows.shown.to_numpy(dtype=float)), rows.shown.shape)
        title = chart_title_heat(len(rows.shown), len(f.indicators), names[at[0]], labels[at[1]], fmt_num(rows.shown.iat[at], 1))
    else:
        title = chart_title_heat(0, len(f.indicators), "", "", "")
    return heat_table(
        values,
        names,
        labels,
        caption=title,
        cite=cite5,
        cmap="Blues_r",
        legend="% số xã, phường đạt chỉ tiêu",
        note=note,
        row_classes=classes,
        flagged_rows=marks,
        source=f"{document_name(PLAN02, f.report_date)}, Phụ lục 5",
        csv=heat_data(f.indicators, name_getter(f), labels),
    )


def frame(f: DateFacts) -> pd.DataFrame | None:
    """Per province: GREEN/YELLOW/RED communes, the readiness index, the four blocs' completion."""
    if not f.has(PLAN02):
        return None
    out = f.coverage.by_province.merge(f.readiness[["province_code", "readiness_index"]], on="province_code", how="left")
    return out.merge(f.blocs.rename(columns={"mean": "bloc_mean"}), on="province_code", how="left")


def _blocs(f: DateFacts, sources: Sources) -> Html:
    cite21 = sources.cite(PLAN02, "Phụ lục 21", f.report_date)
    cite9 = sources.cite(PLAN02, "Phụ lục 9–12", f.report_date)
    from helpers.analysis.corrections import rank_with_ties

    every, lowest = f.blocs, f.lowest_listings
    wide = every[every["mean"].notna()]  # provinces that reported all four blocs
    lowest_blocs = rank_with_ties(wide, "mean", BLOC_ROWS)  # provinces tied with the last place stay in
    incomplete = int((every["blocs_reported"] < 4).sum())
    criteria = int(lowest["criteria"].iloc[0]) if len(lowest) else 0
    return join(
        [
            heading(3, "Hoàn thành tiêu chí giai đoạn 2 ở 4 khối cấp tỉnh"),
            para(
                f"Ở {len(wide)} tỉnh báo cáo đủ 4 khối, tỷ lệ hoàn thành bình quân (Đảng, HĐND, UBND, MTTQ) dao động từ {fmt_pct(wide['mean'].min())} "
                f"({name_of(f, wide['province_code'].iloc[0])}) đến {fmt_pct(wide['mean'].max())} ({name_of(f, wide['province_code'].iloc[-1])}); "
                f"trung vị {fmt_pct(wide['mean'].median())}. Bảng dưới liệt kê {len(lowest_blocs)} tỉnh thấp nhất (kể cả tỉnh đồng hạng). "
                f"{incomplete} tỉnh chưa báo cáo đủ 4 khối (Phụ lục 21 ghi 0% cho khối chưa báo cáo): không tính là 0% và không xếp hạng.",
                cite21,
            ),
            table(
                lowest_blocs.assign(name=lowest_blocs["province_code"].map(name_getter(f))),
                [("name", "Tỉnh", f_text), ("party", "Đảng", f_pct), ("council", "HĐND", f_pct), ("committee", "UBND", f_pct), ("front", "MTTQ", f_pct), ("mean", "Bình quân", f_pct)],
                caption=f"Tỷ lệ hoàn thành tiêu chí giai đoạn 2 theo khối ({len(lowest_blocs)} tỉnh thấp nhất)",
                cite=cite21,
                numeric=("party", "council", "committee", "front", "mean"),
            ),
            para(
                "Số lần mỗi tỉnh nằm trong nhóm tỉnh thấp nhất (dưới 50%) của từng tiêu chí ở 4 khối cấp xã; "
                f"{criteria} tiêu chí có danh sách tỉnh.",
                cite9,
            ),
            table(
                lowest.assign(name=lowest["province_code"].map(name_getter(f))),
                [("name", "Tỉnh", f_text), ("total", "Tổng số lần", f_int), ("party", "Đảng", f_int), ("council", "HĐND", f_int), ("committee", "UBND", f_int), ("front", "MTTQ", f_int)],
                caption="10 tỉnh thường nằm trong nhóm thấp nhất (Phụ lục 9–12)",
                cite=cite9,
                numeric=("total", "party", "council", "committee", "front"),
            ),
        ]
    )
