"""Ranked horizontal bars: one row per province, its name on the left, its value in a column
on the right (never on the bar's end, where a reference line could run through it), an
optional labelled reference line (the national rate), the flagged rows in :data:`FLAG`."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from helpers.report.plots.svg import BASE, FLAG, INK, MIN_FONT, VIEW_WIDTH, Box, Chart, LegendItem, fit_text, line, rect, svg, text, text_box, text_width

ROW = 18  # one bar's row
BAR = 12
HEADER = 20  # the row above the bars that carries the reference line's label
GUTTER = 6
# More rows than this and the chart is a ranking, printed taller (figure class "ranking"):
# at the common height cap 34 rows would print their names at about 4.5 pt.
TALL_ROWS = 16


def ranked_bars(
    names: Sequence[str],
    values: Sequence[float],
    value_texts: Sequence[str],
    *,
    title: str,
    data: pd.DataFrame,
    flagged: Sequence[bool] | None = None,
    flagged_label: str = "",
    other_label: str = "",
    reference: tuple[float, str] | None = None,
    reference_legend: str = "",
    x_max: float | None = None,
    csv_name: str = "du-lieu.csv",
) -> Chart:
    """Bars in the given order (the caller ranks them), scaled from 0 to ``x_max``."""
    size = MIN_FONT
    flags = list(flagged) if flagged is not None else [False] * len(names)
    values = [float(v) for v in values]
    x_max = float(x_max if x_max is not None else max(values + [reference[0] if reference else 0.0, 1.0]))
    name_width = min(max(text_width(n, size, bold=f) for n, f in zip(names, flags)) if names else 0.0, VIEW_WIDTH * 0.42)
    value_width = max((text_width(t, size) for t in value_texts), default=0.0)
    left = name_width + GUTTER
    right = VIEW_WIDTH - value_width - GUTTER
    scale = (right - left) / x_max
    top = HEADER if reference else 4
    height = top + ROW * len(names) + 6

    body: list[str] = []
    boxes: list[Box] = []
    for k, (name, value, shown, flag) in enumerate(zip(names, values, value_texts, flags)):
        y = top + ROW * k
        baseline = y + ROW / 2 + 0.38 * size
        label = fit_text(name, size, name_width, bold=flag)
        body.append(rect(left, y + (ROW - BAR) / 2, value * scale, BAR, FLAG if flag else BASE, cls="flagged" if flag else None))
        body.append(text(left - GUTTER / 2, baseline, label, size, anchor="end", bold=flag, fill=INK))
        body.append(text(VIEW_WIDTH, baseline, shown, size, anchor="end"))
        boxes += [text_box(left - GUTTER / 2, baseline, label, size, "end", flag), text_box(VIEW_WIDTH, baseline, shown, size, "end")]
    if reference:
        at, words = reference
        x = left + float(at) * scale
        width = text_width(words, size)
        # centred on its line, kept inside the bar area
        start = min(max(x - width / 2, left), VIEW_WIDTH - width)
        body.append(line(x, HEADER - 4, x, height - 4, INK, 1.2, "4 3", cls="reference"))
        body.append(text(start, HEADER - 7, words, size, fill=INK, cls="reference-label", halo=True))
        boxes.append(text_box(start, HEADER - 7, words, size))
    legend: list[LegendItem] = []
    if any(flags) and flagged_label:
        legend.append(LegendItem(flagged_label, FLAG))
        if other_label:
            legend.append(LegendItem(other_label, BASE))
    if reference and reference_legend:
        legend.append(LegendItem(reference_legend, INK, "line"))
    return Chart(
        title=title,
        svg=svg(VIEW_WIDTH, height, body, title),
        data=data,
        legend=tuple(legend),
        label_boxes=tuple(boxes),
        csv_name=csv_name,
        ranking=len(names) > TALL_ROWS,
    )
