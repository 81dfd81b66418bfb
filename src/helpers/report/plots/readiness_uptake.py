"""Charts of the plan-02 briefings: the ready-but-low quadrants, and the ranked online rates.

Both are inline SVG (:mod:`helpers.report.plots.svg`); the flagged provinces (ready but
filing little online) are :data:`~helpers.report.plots.svg.FLAG` in both. The readiness
heat map is an HTML table (:func:`helpers.report.render.heat_table`), not a figure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pandas as pd

from helpers.analysis.ready_but_low import ReadyButLowResult
from helpers.report.formats import fmt_num
from helpers.report.plots.bars import ranked_bars
from helpers.report.plots.svg import (
    BASE,
    FLAG,
    GRID,
    INK,
    MIN_FONT,
    MUTED,
    VIEW_WIDTH,
    Box,
    Chart,
    LegendItem,
    attrs,
    first_free,
    line,
    spread,
    svg,
    text,
    text_box,
    text_width,
)
from helpers.report.wording import (
    CHART_CSV_VI,
    CHART_FLAGGED_VI,
    CHART_GREEN_AXIS_VI,
    CHART_GREEN_THRESHOLD_VI,
    CHART_INDEX_MISSED_VI,
    CHART_NATIONAL_LEGEND_VI,
    CHART_NATIONAL_VI,
    CHART_NOT_READY_VI,
    CHART_ONLINE_AXIS_VI,
    CHART_OTHER_PROVINCES_VI,
    QUADRANT_LABELS_VI,
    chart_title_online_rates,
    chart_title_ready_but_low,
)

Names = Callable[[int], str] | pd.DataFrame | None
RADIUS = 4.5


def namer(names: Names) -> Callable[[int], str]:
    """Province code -> the name to show: the section's own function (so a chart names a
    province as the page does), a provinces table's ``short_name``, or the code."""
    if callable(names):
        return lambda code: str(names(int(code)))
    lookup = {} if names is None else dict(zip(names["province_code"], names["short_name"]))
    return lambda code: str(lookup.get(int(code), code))


def _yes_no(flags) -> list[str]:
    return [CHART_CSV_VI["yes"] if f else CHART_CSV_VI["no"] for f in flags]


# ---------------------------------------------------------------- ranked online rates


def ranked_online_rates(rates: pd.DataFrame, national_rate: float, provinces: Names = None, highlight: Iterable[int] = ()) -> Chart:
    """Bars of the cumulative online rate per province, highest first, the national rate as
    a labelled dashed line, the provinces in ``highlight`` (the flagged ones) in FLAG.

    ``rates`` needs ``province_code`` and ``online_rate_pct``."""
    name = namer(provinces)
    ordered = rates.sort_values(["online_rate_pct", "province_code"], ascending=[False, True], kind="stable")
    codes = [int(c) for c in ordered["province_code"]]
    values = ordered["online_rate_pct"].astype(float).tolist()
    marked = {int(c) for c in highlight}
    names = [name(c) for c in codes]
    national = fmt_num(national_rate)
    below = sum(v < national_rate for v in values)
    title = chart_title_online_rates(below, len(codes), national, names[-1], fmt_num(values[-1], 1)) if codes else ""
    data = pd.DataFrame(
        {
            CHART_CSV_VI["province"]: names,
            CHART_CSV_VI["online_rate_pct"]: [round(v, 2) for v in values],
            CHART_CSV_VI["national_rate_pct"]: round(float(national_rate), 2),
            CHART_CSV_VI["flagged"]: _yes_no(c in marked for c in codes),
        }
    )
    return ranked_bars(
        names,
        values,
        [fmt_num(v, 1) for v in values],
        title=title,
        data=data,
        flagged=[c in marked for c in codes],
        flagged_label=CHART_FLAGGED_VI,
        other_label=CHART_OTHER_PROVINCES_VI,
        reference=(float(national_rate), CHART_NATIONAL_VI.format(rate=national)),
        reference_legend=CHART_NATIONAL_LEGEND_VI,
        x_max=100.0,
        csv_name="ty-le-nop-truc-tuyen.csv",
    )


# ---------------------------------------------------------------- the four quadrants


def readiness_vs_online(result: ReadyButLowResult, provinces: Names = None, labels_for: Iterable[int] | None = None) -> Chart:
    """The ready-but-low rule as four quadrants: GREEN share of communes (x) against the
    cumulative online rate (y), both thresholds drawn and labelled, no fitted line.

    The x axis is the GREEN share because that is the condition that separates ready
    from not ready in practice; a province right of the GREEN threshold that misses the
    readiness-index condition is drawn as not ready (a ring) and named in the legend, so
    no point sits on the wrong side without a word. The provinces in ``labels_for``
    (default: the flagged ones) are named in a column to the right of the plot, spread so
    that no two names touch, each joined to its point."""
    name = namer(provinces)
    table = result.table.sort_values("province_code", kind="stable")
    labelled = [int(c) for c in (result.flagged if labels_for is None else labels_for)]
    size = MIN_FONT
    national = fmt_num(result.online_rate_min)

    # frame: y-axis title, threshold label row, plot, x ticks, x-axis title
    label_texts = {c: name(c) for c in labelled}
    gutter = max((text_width(t, size) for t in label_texts.values()), default=0.0) + (16 if labelled else 6)
    left, right = 30.0, VIEW_WIDTH - gutter
    top, bottom = 44.0, 44.0 + 250.0
    height = bottom + 44.0
    ys = table["online_rate_pct"].astype(float)
    y_lo = max(0.0, 10.0 * ((min(ys.min(), result.online_rate_min) - 2) // 10))
    y_hi = 100.0

    def px(x: float) -> float:
        return left + (right - left) * float(x) / 100.0

    def py(y: float) -> float:
        return bottom - (bottom - top) * (float(y) - y_lo) / (y_hi - y_lo)

    body: list[str] = []
    boxes: list[Box] = []
    # grid and ticks
    for tick in range(0, 101, 20):
        body.append(line(px(tick), top, px(tick), bottom, GRID, 0.8))
        body.append(text(px(tick), bottom + 16, fmt_num(tick, 0), size, anchor="middle", fill=MUTED))
        boxes.append(text_box(px(tick), bottom + 16, fmt_num(tick, 0), size, "middle"))
    for tick in range(int(y_lo), 101, 10):
        body.append(line(left, py(tick), right, py(tick), GRID, 0.8))
        body.append(text(left - 4, py(tick) + 4, fmt_num(tick, 0), size, anchor="end", fill=MUTED))
        boxes.append(text_box(left - 4, py(tick) + 4, fmt_num(tick, 0), size, "end"))
    body.append(line(left, bottom, right, bottom, MUTED, 1.0))
    body.append(text(0, 14, CHART_ONLINE_AXIS_VI, size, fill=INK))
    boxes.append(text_box(0, 14, CHART_ONLINE_AXIS_VI, size))
    body.append(text((left + right) / 2, bottom + 36, CHART_GREEN_AXIS_VI, size, anchor="middle", fill=INK))
    boxes.append(text_box((left + right) / 2, bottom + 36, CHART_GREEN_AXIS_VI, size, "middle"))

    # points: not ready (rings) under ready (filled), the flagged on top
    ready_by_green = table["green_pct"] >= result.green_pct_min
    index_missed = table[ready_by_green & ~table["ready"]]
    styles = {
        "not_ready_low": dict(fill="#fff", stroke=MUTED, stroke_width=1.5),
        "not_ready_high": dict(fill="#fff", stroke=MUTED, stroke_width=1.5),
        "ready_high": dict(fill=BASE, stroke="#fff", stroke_width=0.8),
        "ready_low": dict(fill=FLAG, stroke="#fff", stroke_width=0.8),
    }
    point_boxes: list[Box] = []
    where: dict[int, tuple[float, float]] = {}
    for quadrant in ("not_ready_low", "not_ready_high", "ready_high", "ready_low"):
        part = table[table["quadrant"] == quadrant]
        cls = "point flagged" if quadrant == "ready_low" else "point"
        for row in part.itertuples():
            x, y = px(row.green_pct), py(row.online_rate_pct)
            where[int(row.province_code)] = (x, y)
            point_boxes.append(Box(x - RADIUS, y - RADIUS, x + RADIUS, y + RADIUS))
            body.append(f"<circle {attrs(cx=x, cy=y, r=RADIUS, class_=cls, data_quadrant=quadrant, **styles[quadrant])}/>")

    # the two thresholds, each labelled where it overlaps no point and no other label
    x_thr, y_thr = px(result.green_pct_min), py(result.online_rate_min)
    body.append(line(x_thr, top - 6, x_thr, bottom, INK, 1.2, "4 3", cls="threshold threshold-x"))
    body.append(line(left, y_thr, right, y_thr, INK, 1.2, "4 3", cls="threshold threshold-y"))
    x_words = CHART_GREEN_THRESHOLD_VI.format(pct=fmt_num(result.green_pct_min, 0))
    x_candidates = [(x_thr - 4, top - 10, "end"), (x_thr + 4, top - 10, "start"), (x_thr, 30.0, "middle")]
    chart_box = Box(0, 0, VIEW_WIDTH, height)
    k = first_free([text_box(x, y, x_words, size, a) for x, y, a in x_candidates], boxes + point_boxes, chart_box)
    x, y, a = x_candidates[k]
    body.append(text(x, y, x_words, size, anchor=a, fill=INK, cls="threshold-label threshold-x-label", halo=True))
    boxes.append(text_box(x, y, x_words, size, a))
    y_words = CHART_NATIONAL_VI.format(rate=national)
    # along the line, above it then below it, from the left: the first place clear of every point
    y_width = text_width(y_words, size)
    steps = range(int(left) + 4, int(right - y_width), 4)
    y_candidates = [(float(xx), y_thr + dy, "start") for dy in (-5, 14) for xx in steps]
    plot_box = Box(left, top, right, bottom)
    # clear of the other threshold too if there is such a place; crossing it (the halo keeps
    # the text whole) is better than touching a point
    x_line = Box(x_thr - 2, top, x_thr + 2, bottom)
    y_boxes = [text_box(x, y, y_words, size, a) for x, y, a in y_candidates]
    k = first_free(y_boxes, boxes + point_boxes + [x_line], plot_box)
    if any(y_boxes[k].overlaps(o) for o in boxes + point_boxes + [x_line]):
        k = first_free(y_boxes, boxes + point_boxes, plot_box)
    x, y, a = y_candidates[k]
    body.append(text(x, y, y_words, size, anchor=a, fill=INK, cls="threshold-label threshold-y-label", halo=True))
    boxes.append(text_box(x, y, y_words, size, a))

    # the named provinces, in the column right of the plot
    named = [c for c in labelled if c in where]
    targets = [where[c][1] + 4 for c in named]
    placed = spread(targets, size + 2, top + size, height - 4)
    for code, baseline in zip(named, placed):
        x, y = where[code]
        body.append(line(x + RADIUS + 1, y, right + 8, baseline - 4, MUTED, 0.8, cls="leader"))
        colour = FLAG if code in result.flagged else INK
        body.append(text(right + 10, baseline, label_texts[code], size, fill=colour, cls="point-label"))
        boxes.append(text_box(right + 10, baseline, label_texts[code], size))

    counts = table["quadrant"].value_counts()
    legend = [
        LegendItem(f"{QUADRANT_LABELS_VI['ready_low']} ({int(counts.get('ready_low', 0))})", FLAG, "dot"),
        LegendItem(f"{QUADRANT_LABELS_VI['ready_high']} ({int(counts.get('ready_high', 0))})", BASE, "dot"),
        LegendItem(CHART_NOT_READY_VI.format(low=int(counts.get("not_ready_low", 0)), high=int(counts.get("not_ready_high", 0))), MUTED, "ring"),
    ]
    if len(index_missed):
        legend.append(
            LegendItem(CHART_INDEX_MISSED_VI.format(green=fmt_num(result.green_pct_min, 0), index=fmt_num(result.readiness_min, 0), count=len(index_missed)), MUTED, "ring")
        )
    title = chart_title_ready_but_low(len(result.flagged), national)
    data = pd.DataFrame(
        {
            CHART_CSV_VI["province"]: [name(c) for c in table["province_code"]],
            CHART_CSV_VI["readiness_index"]: table["readiness_index"].astype(float).round(2).to_list(),
            CHART_CSV_VI["green_pct"]: table["green_pct"].astype(float).round(2).to_list(),
            CHART_CSV_VI["online_rate_pct"]: table["online_rate_pct"].astype(float).round(2).to_list(),
            CHART_CSV_VI["quadrant"]: [QUADRANT_LABELS_VI[q] for q in table["quadrant"]],
        }
    )
    return Chart(
        title=title,
        svg=svg(VIEW_WIDTH, height, body, title),
        data=data,
        legend=tuple(legend),
        label_boxes=tuple(boxes),
        csv_name="san-sang-va-nop-truc-tuyen.csv",
    )
