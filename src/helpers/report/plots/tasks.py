"""Charts of the daily readiness briefings: task progress over the dates, open tasks per province.

Inline SVG (:mod:`helpers.report.plots.svg`) laid out for a narrow screen: in the task
chart each task's title takes a line of its own above its track (a title beside the
track would leave the track no room at 390 px). Each date has its own colour and shape,
so the dates stay apart in greyscale too; none of them is the flagged colour.
"""

from __future__ import annotations

import pandas as pd

from helpers.analysis.tasks import task_sort_key
from helpers.report.formats import vn_date
from helpers.report.plots.bars import ranked_bars
from helpers.report.plots.svg import GRID, INK, MIN_FONT, MUTED, SERIES, VIEW_WIDTH, Box, Chart, LegendItem, attrs, fit_text, num, line, svg, text, text_box, text_width
from helpers.report.wording import (
    CHART_CSV_VI,
    CHART_RECONSTRUCTED_VI,
    CHART_TASKS_DONE_AXIS_VI,
    chart_title_open_tasks,
    chart_title_task_progress,
)

SHAPES = ("dot", "square", "diamond", "triangle")
MARK = 4.5  # a marker's half size
HEADER_ROW = 22
TASK_ROW = 32


def marker(shape: str, x: float, y: float, colour: str, hollow: bool, r: float = MARK) -> str:
    """A date's marker: filled, or hollow (white inside) for a reconstructed date."""
    paint = dict(fill="#fff" if hollow else colour, stroke=colour, stroke_width=1.6, class_="marker")
    if shape == "dot":
        return f"<circle {attrs(cx=float(x), cy=float(y), r=float(r), **paint)}/>"
    if shape == "square":
        return f"<rect {attrs(x=float(x - r * 0.9), y=float(y - r * 0.9), width=float(1.8 * r), height=float(1.8 * r), **paint)}/>"
    if shape == "diamond":
        points = [(x, y - r * 1.2), (x + r * 1.2, y), (x, y + r * 1.2), (x - r * 1.2, y)]
    else:
        points = [(x, y - r * 1.2), (x + r * 1.1, y + r * 0.8), (x - r * 1.1, y + r * 0.8)]
    return f"<polygon {attrs(points=' '.join(f'{num(float(a))},{num(float(b))}' for a, b in points), **paint)}/>"


def task_progress_plot(trend: pd.DataFrame) -> Chart:
    """Done count (of the provinces in scope) of every task at each date, tasks grouped by
    section: a title line, then a track from 0 to the total with one marker per date
    (hollow: reconstructed from the next report's stated increases) and the last count
    printed at the track's end. Gaps are not drawn.

    ``trend`` is :func:`helpers.analysis.trends.task_trend`'s output."""
    frame = trend
    task_ids = sorted(frame["task_id"].unique(), key=task_sort_key)
    dates = sorted(frame["date"].unique())
    first = frame.drop_duplicates("task_id").set_index("task_id")
    total = int(pd.to_numeric(frame["total"], errors="coerce").max()) if frame["total"].notna().any() else 34
    size = MIN_FONT
    count_width = text_width(str(total), size) + 6
    left, right = 6.0, VIEW_WIDTH - count_width - 4
    axis_h = 34.0

    def px(v: float) -> float:
        return left + (right - left) * float(v) / total

    ticks = [t for t in range(0, total, 10) if total - t >= 4] + [total]  # no tick label crowding the total's
    body: list[str] = []
    boxes: list[Box] = []
    y = axis_h
    rows: list[tuple[str, float]] = []
    current = None
    for task_id in task_ids:
        section = first.loc[task_id, "section_id"]
        if section != current:
            header = fit_text(first.loc[task_id, "section"], size, VIEW_WIDTH, bold=True)
            body.append(text(0, y + 15, header, size, bold=True))
            boxes.append(text_box(0, y + 15, header, size, bold=True))
            y += HEADER_ROW
            current = section
        rows.append((task_id, y))
        y += TASK_ROW
    height = y + axis_h

    # grid and the axis, at the top and at the bottom of a long chart
    for tick in ticks:
        body.append(line(px(tick), axis_h - 4, px(tick), height - axis_h + 4, GRID, 0.8))
        for baseline in (axis_h - 8, height - axis_h + 18):
            body.append(text(px(tick), baseline, str(tick), size, anchor="middle", fill=MUTED))
            boxes.append(text_box(px(tick), baseline, str(tick), size, "middle"))
    axis_title = CHART_TASKS_DONE_AXIS_VI.format(total=total)
    body.append(text(0, 12, axis_title, size, fill=INK))
    boxes.append(text_box(0, 12, axis_title, size))

    by_task = {k: g.sort_values("date") for k, g in frame[frame["done_count"].notna()].groupby("task_id", sort=False)}
    reconstructed = {d: bool(frame.loc[frame["date"] == d, "reconstructed"].any()) for d in dates}
    offsets = {d: (i - (len(dates) - 1) / 2) * 3.0 for i, d in enumerate(dates)}  # equal counts stay visible
    for task_id, top in rows:
        label = fit_text(f"{task_id} {first.loc[task_id, 'task']}", size, VIEW_WIDTH)
        body.append(text(0, top + 12, label, size))
        boxes.append(text_box(0, top + 12, label, size))
        track = top + 23
        body.append(line(px(0), track, px(total), track, GRID, 1.0))
        rows_of = by_task.get(task_id)
        if rows_of is None:
            continue
        counts = rows_of["done_count"].astype(float)
        if len(rows_of) > 1:
            body.append(line(px(counts.min()), track, px(counts.max()), track, "#9aa3ad", 2.0))
        for i, day in enumerate(dates):
            hit = rows_of[rows_of["date"] == day]
            if hit.empty:
                continue
            body.append(marker(SHAPES[i % len(SHAPES)], px(float(hit["done_count"].iloc[0])), track + offsets[day], SERIES[i % len(SERIES)], reconstructed[day]))
        last = str(int(counts.iloc[-1]))
        body.append(text(VIEW_WIDTH, track + 4, last, size, anchor="end", fill=INK))
        boxes.append(text_box(VIEW_WIDTH, track + 4, last, size, "end"))

    legend = tuple(
        LegendItem(CHART_RECONSTRUCTED_VI.format(date=vn_date(d)) if reconstructed[d] else vn_date(d), SERIES[i % len(SERIES)], SHAPES[i % len(SHAPES)] + ("-hollow" if reconstructed[d] else ""))
        for i, d in enumerate(dates)
    )
    done = frame.groupby("date")["done_count"].sum()
    last_rows = frame[frame["date"] == dates[-1]]
    complete = int((last_rows["done_count"] == last_rows["total"]).sum())
    title = chart_title_task_progress(vn_date(dates[0]), vn_date(dates[-1]), int(done[dates[0]]), int(done[dates[-1]]), complete, len(task_ids))
    data = frame.sort_values(["task_id", "date"], key=lambda s: s.map(task_sort_key) if s.name == "task_id" else s, kind="stable")
    data = pd.DataFrame(
        {
            CHART_CSV_VI["section"]: data["section"].to_list(),
            CHART_CSV_VI["task"]: [f"{t} {n}" for t, n in zip(data["task_id"], data["task"])],
            CHART_CSV_VI["date"]: [vn_date(d) for d in data["date"]],
            CHART_CSV_VI["done_count"]: [None if pd.isna(v) else int(v) for v in data["done_count"]],
            CHART_CSV_VI["total"]: [None if pd.isna(v) else int(v) for v in data["total"]],
            CHART_CSV_VI["reconstructed"]: [CHART_CSV_VI["yes"] if r else CHART_CSV_VI["no"] for r in data["reconstructed"]],
        }
    )
    return Chart(title=title, svg=svg(VIEW_WIDTH, height, body, title), data=data, legend=legend, label_boxes=tuple(boxes), csv_name="tien-do-nhiem-vu.csv", tall=True)


def open_tasks_by_province_plot(open_tasks: pd.DataFrame) -> Chart:
    """Open tasks per province as bars, in the ranking's order (most open on top).

    ``open_tasks`` is :func:`helpers.analysis.tasks.open_tasks_by_province`'s output (one
    bar per row; pass the rows to show). A bar is named by the province's ``short_name``
    when the frame has it, otherwise by its code."""
    frame = open_tasks.reset_index(drop=True)
    names = [str(n) for n in (frame["short_name"] if "short_name" in frame.columns else frame["province_code"].astype(str))]
    counts = [int(v) for v in frame["open_tasks"]]
    upper = float(frame["tasks_in_scope"].max()) if "tasks_in_scope" in frame.columns and len(frame) else float(max(counts, default=1))
    date = vn_date(frame["report_date"].iloc[0]) if "report_date" in frame.columns and len(frame) else ""
    title = chart_title_open_tasks(sum(c > 0 for c in counts), names[0], counts[0], date) if len(frame) else ""
    data = pd.DataFrame({CHART_CSV_VI["province"]: names, CHART_CSV_VI["open_tasks"]: counts})
    return ranked_bars(names, counts, [str(c) for c in counts], title=title, data=data, x_max=max(upper, float(max(counts, default=1))), csv_name="nhiem-vu-chua-xong.csv")
