"""Ready but low: provinces whose communes are equipped but whose citizens rarely file online.

The rule and its thresholds are stated in the section (never a province by name); each
flagged province gets a card with its figures, its vendor, its blocs and the obstacles
it reported itself.
"""

from __future__ import annotations

import pandas as pd

from helpers.analysis.facts import PLAN02, DateFacts
from helpers.report.formats import fmt_int, fmt_num, fmt_pct, vn_date
from helpers.report.names import display_text, name_of, name_getter
from helpers.report.plots.readiness_uptake import readiness_vs_online
from helpers.report.render import EMPTY, Html, f_num2, f_pct, f_text, figure, heading, inline, join, para, render, table
from helpers.report.sections.sources import Sources, document_name
from helpers.report.wording import THEME_LABELS_VI, THEME_RULE_VI, describe_method, theme_rule_quality_vi


def html(f: DateFacts, sources: Sources) -> Html:
    if not f.has(PLAN02):
        return EMPTY
    res = f.ready_but_low
    cite = sources.cite(PLAN02, "Phụ lục 4, 5 và 8", f.report_date)
    from helpers.report.sections.uncertainty import ready_but_low_uncertainty_vi

    # plain words for leaders (issue 13); rho, p and R² are for analysts only (statistics(), analyst cells)
    honest = " ".join(ready_but_low_uncertainty_vi(res, name_getter(f)))
    parts = [
        heading(2, "Hạ tầng sẵn sàng nhưng người dân ít nộp trực tuyến"),
        para(
            "Báo cáo Kế hoạch 02 nêu: có tỉnh hạ tầng tốt nhưng tỷ lệ người dân nộp hồ sơ trực tuyến rất thấp, làm lãng phí đầu tư. "
            "Mục này xác định các tỉnh đó theo một quy tắc nêu rõ ngưỡng (không chọn tỉnh theo tên), đo mức thấp hơn so với mức "
            "dự báo theo độ sẵn sàng, và tìm nguyên nhân trong chính các vướng mắc tỉnh báo cáo.",
            sources.cite(PLAN02, "phần I.2 và III.1", f.report_date),
        ),
        para(describe_method(res), cite, cls="method"),
        para(honest, cite),
        figure(
            readiness_vs_online(res, name_getter(f), labels_for=res.flagged),
            alt="Biểu đồ bốn nhóm: tỷ lệ xã XANH và tỷ lệ nộp trực tuyến",
            caption="Tỷ lệ xã, phường XANH (trục ngang) và tỷ lệ nộp trực tuyến lũy kế (trục dọc); hai đường nét đứt là hai ngưỡng của quy tắc, chia bốn nhóm",
            cite=cite,
            source=f"{document_name(PLAN02, f.report_date)}, Phụ lục 4, 5 và 8",
        ),
    ]
    records = f.ready_but_low_records
    if not records:
        parts.append(para("Không tỉnh nào vừa đạt ngưỡng sẵn sàng vừa có tỷ lệ nộp trực tuyến dưới ngưỡng."))
        return join(parts)
    parts.append(
        table(
            pd.DataFrame(records).assign(name=lambda t: t["province_code"].map(name_getter(f))),
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
    parts.append(heading(3, "Từng tỉnh: số liệu và nguyên nhân được báo cáo"))
    parts.append(para(f"{THEME_RULE_VI} {theme_rule_quality_vi()}", cls="method"))
    parts += [_province_card(f, sources, record) for record in records]
    return join(parts)


def frame(f: DateFacts) -> pd.DataFrame | None:
    """Every province: readiness, GREEN share, online rate, the fit and its quadrant."""
    return f.ready_but_low.table if f.has(PLAN02) else None


def statistics(f: DateFacts) -> pd.DataFrame | None:
    """The fit's R², Spearman's ρ, p and bootstrap interval (analysts; leaders read words)."""
    from helpers.analysis.ready_but_low import fit_statistics

    return fit_statistics(f.ready_but_low) if f.has(PLAN02) else None


def _province_card(f: DateFacts, sources: Sources, record: dict) -> Html:
    code = record["province_code"]
    vendor = f.tthc_vendor.get(code, "không rõ")
    cite_v = sources.cite("vendor_summary", "mục 1.1 (hệ thống giải quyết TTHC)")
    cite8 = sources.cite(PLAN02, "Phụ lục 8", f.report_date)
    cite21 = sources.cite(PLAN02, "Phụ lục 21", f.report_date)
    cite_ob = sources.cite(PLAN02, "Phụ lục 6, 17 và 24", f.report_date)
    text = (
        f"{name_of(f, code)}: chỉ số sẵn sàng {fmt_num(record['readiness'])}, {fmt_pct(record['green_pct'])} xã XANH, nhưng chỉ {fmt_pct(record['online_rate_pct'])} hồ sơ nộp trực tuyến "
        f"({fmt_pct(f.rate_of[(code, 'province')])} cấp tỉnh, {fmt_pct(f.rate_of[(code, 'commune')])} cấp xã), thấp hơn {fmt_num(record['shortfall_pts'])} điểm % so với mức dự báo theo độ sẵn sàng."
    )
    volume = f.volume.by_province.set_index("province_code")
    if code in volume.index:
        v = volume.loc[code]
        text += f" Ngày {vn_date(f.volume.day)}: {fmt_int(v['day_total'])} hồ sơ, bằng {fmt_pct(100 * float(v['volume_index']), 1)} bình quân ngày tháng 6 ({fmt_int(v['june_daily_avg'])})."
    pieces: list = [text, cite8, f" Hệ thống giải quyết TTHC do {vendor} cung cấp.", cite_v]
    blocs = f.blocs.set_index("province_code")
    if code in blocs.index:
        b = blocs.loc[code]
        pieces += [
            f" Hoàn thành tiêu chí giai đoạn 2 ở 4 khối cấp tỉnh: bình quân {fmt_pct(b['mean'])} (Đảng {fmt_pct(b['party'])}, HĐND {fmt_pct(b['council'])}, UBND {fmt_pct(b['committee'])}, MTTQ {fmt_pct(b['front'])}).",
            cite21,
        ]
    reported = f.obstacles_of(code)
    examples: list[str] | None = None
    if reported is None:
        pieces += [" Tỉnh không báo cáo vướng mắc nào ở Phụ lục 6, 17 và 24.", cite_ob]
    else:
        top = [f"{THEME_LABELS_VI.get(t, t).lower()} ({n} ý, {fmt_int(c)} lượt xã)" for t, n, c in reported.top_themes[:3]]
        pieces += [f" Vướng mắc được báo cáo ({reported.count} ý), nhiều nhất: " + "; ".join(top) + ".", cite_ob]
        examples = [f"{display_text(r['text'])} ({fmt_int(r['communes_affected'])}/{fmt_int(r['communes_total'])} xã; {r['source']})" for r in reported.examples.to_dict("records")]
    return render("province_card", content=inline(*pieces), examples=examples)
