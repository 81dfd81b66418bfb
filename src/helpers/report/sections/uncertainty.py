"""Plain Vietnamese for leaders on how sure the ready-but-low finding is (issue 13, part 4).

No ρ, p or R² here: strength in words with a bootstrap interval behind it, a cause or a
necessary condition only where the data back it, and what happens when a threshold moves.
The figures stay in the analysts' notebook (``helpers.analysis.corrections``)."""

from __future__ import annotations

from helpers.analysis import corrections as C
from helpers.report.formats import fmt_num

THRESHOLD_VI = {"readiness_min": "chỉ số sẵn sàng", "green_pct_min": "tỷ lệ xã XANH", "online_rate_min": "tỷ lệ nộp trực tuyến"}
BORDER_MARGIN_PTS = 1.0  # a province this close to a threshold is called borderline
SHIFT_PTS = 5.0


def ready_but_low_uncertainty_vi(res, short_name) -> list[str]:
    """Sentences on association, necessity, threshold sensitivity and borderline provinces.

    ``res`` is a :class:`helpers.analysis.ready_but_low.ReadyButLowResult`; ``short_name``
    maps a province code to its short name."""
    table = res.table
    corr = C.spearman_bootstrap(table["readiness_index"], table["online_rate_pct"])
    consequence = (
        "tỉnh hạ tầng tốt hơn thường nộp trực tuyến cao hơn"
        if corr.rho >= 0.5 and corr.low > 0
        else "hạ tầng tốt hơn không kéo theo nộp trực tuyến cao hơn một cách rõ rệt"
    )
    out = [f"Giữa mức sẵn sàng hạ tầng và tỷ lệ nộp trực tuyến của {res.n} tỉnh có {C.association_vi(corr)}: {consequence}."]
    counter = C.necessary_condition_counterexamples(table, table["ready"], ~table["low_uptake"]).sort_values("readiness_index")
    if len(counter):
        names = ", ".join(short_name(int(c)) for c in counter["province_code"].head(3))
        out.append(
            f"Hạ tầng đầy đủ không phải điều kiện cần: {len(counter)} tỉnh chưa đạt ngưỡng sẵn sàng mà vẫn nộp trực tuyến "
            f"ở mức bằng hoặc cao hơn cả nước (như {names})."
        )
    thresholds = {"readiness_min": res.readiness_min, "green_pct_min": res.green_pct_min, "online_rate_min": res.online_rate_min}
    moves = C.threshold_sensitivity(table, thresholds, step=SHIFT_PTS)
    changes = []
    for row in moves.itertuples(index=False):
        if row.added or row.removed:
            what = []
            if row.added:
                what.append("thêm " + ", ".join(short_name(c) for c in row.added))
            if row.removed:
                what.append("bớt " + ", ".join(short_name(c) for c in row.removed))
            sign = "tăng" if row.shift > 0 else "giảm"
            changes.append(f"{THRESHOLD_VI[row.threshold]} {sign} {fmt_num(SHIFT_PTS, 0)} điểm: {'; '.join(what)}")
    if changes:
        out.append("Khi dời từng ngưỡng " + fmt_num(SHIFT_PTS, 0) + " điểm, danh sách thay đổi — " + "; ".join(changes) + ".")
    else:
        out.append(f"Dời từng ngưỡng {fmt_num(SHIFT_PTS, 0)} điểm lên hoặc xuống không làm thay đổi danh sách.")
    border = C.borderline_provinces(table, thresholds, margin=BORDER_MARGIN_PTS)
    if len(border):
        items = [
            f"{short_name(int(r.province_code))} ({THRESHOLD_VI[r.threshold]} {'cao hơn' if r.distance >= 0 else 'thấp hơn'} ngưỡng {fmt_num(abs(r.distance))} điểm)"
            for r in border.itertuples(index=False)
        ]
        out.append(f"Sát ngưỡng (trong vòng {fmt_num(BORDER_MARGIN_PTS, 0)} điểm), cần xem là chưa chắc chắn: " + "; ".join(items) + ".")
    return out
