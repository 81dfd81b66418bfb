"""Figures for the daily readiness briefings: task progress over the dates, open tasks per province.

Each function builds a :class:`matplotlib.figure.Figure` directly (no pyplot state,
rendered by Agg when saved), 7.5 in wide for an A4 page, 100 dpi, Vietnamese labels,
seaborn's colour-blind-safe 'colorblind' palette with a different marker per date so
the dates stay apart in greyscale too.
"""

from __future__ import annotations

import pandas as pd
import seaborn as sns
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from helpers.analysis.tasks import task_sort_key
from helpers.report.formats import vn_date
from helpers.report.plots.labels import LabelGrid, pin_empty_axis_labels

WIDTH_IN = 7.5
DPI = 100
MARKERS = ("o", "s", "D", "^", "v", "P")
LABEL_CHARS = 46


def _figure(height_in: float) -> Figure:
    fig = Figure(figsize=(WIDTH_IN, height_in), layout="constrained")
    fig.set_dpi(DPI)
    # An Agg canvas from the start: without one, every text measured while the figure
    # is laid out (seaborn's tick checks, constrained layout) made a renderer of its own.
    FigureCanvasAgg(fig)
    return fig


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def task_progress_plot(trend: pd.DataFrame, title: str | None = None) -> Figure:
    """Done count (of 34) of every task at each date, tasks grouped by section.

    ``trend`` is :func:`helpers.analysis.trends.task_trend`'s output. One row per
    task (y axis, the report's order, a bold header per section); one marker per date,
    joined by a grey line; reconstructed counts (the day before a report, from its
    stated increases) are drawn hollow. Gaps are simply not drawn.
    """
    frame = trend
    task_ids = sorted(frame["task_id"].unique(), key=task_sort_key)
    dates = sorted(frame["date"].unique())
    first = frame.drop_duplicates("task_id").set_index("task_id")
    total = int(pd.to_numeric(frame["total"], errors="coerce").max()) if frame["total"].notna().any() else 34

    # y positions: a header row before each section's tasks
    y_of: dict[str, float] = {}
    headers: list[tuple[float, str]] = []
    y = 0.0
    current = None
    for task_id in task_ids:
        section = first.loc[task_id, "section_id"]
        if section != current:
            headers.append((y, _short(first.loc[task_id, "section"], 70)))
            y += 1.0
            current = section
        y_of[task_id] = y
        y += 1.0

    fig = _figure(min(1.4 + 0.24 * y, 10.5))
    ax = fig.add_subplot()
    palette = sns.color_palette("colorblind", len(dates))
    for task_id in task_ids:
        rows = frame[(frame["task_id"] == task_id) & frame["done_count"].notna()].sort_values("date")
        if len(rows) > 1:
            ax.plot(rows["done_count"].astype(float), [y_of[task_id]] * len(rows), color="0.7", lw=1.2, zorder=1)
    for i, day in enumerate(dates):
        rows = frame[(frame["date"] == day) & frame["done_count"].notna()]
        reconstructed = bool(rows["reconstructed"].any())
        label = vn_date(day) + (" (tính lại từ mức tăng)" if reconstructed else "")
        ax.scatter(
            rows["done_count"].astype(float),
            [y_of[t] for t in rows["task_id"]],
            marker=MARKERS[i % len(MARKERS)],
            s=30,
            facecolors="white" if reconstructed else palette[i],
            edgecolors=palette[i],
            linewidths=1.3,
            label=label,
            # hollow (reconstructed) markers on top so an equal filled marker cannot hide them
            zorder=2 + i + (len(dates) if reconstructed else 0),
        )
    for y_header, text in headers:
        ax.text(0.3, y_header, text, fontsize=7.5, fontweight="bold", va="center", ha="left")
    ax.set_yticks([y_of[t] for t in task_ids])
    ax.set_yticklabels([f"{t} {_short(first.loc[t, 'task'])}" for t in task_ids], fontsize=7)
    ax.set_ylim(y - 0.5, -0.7)
    ax.set_xlim(0, total + 0.5)
    ax.axvline(total, color="0.5", lw=0.8, ls="--", zorder=0)
    ax.set_xlabel(f"Số tỉnh, thành phố đã hoàn thành (trên {total})")
    ax.grid(axis="x", color="0.9", lw=0.6)
    ax.set_axisbelow(True)
    fig.legend(
        *ax.get_legend_handles_labels(),
        title="Ngày báo cáo",
        fontsize=7,
        title_fontsize=7.5,
        loc="outside lower center",
        ncols=len(dates),
        frameon=False,
    )
    fig.suptitle(title or "Tiến độ các nhiệm vụ theo ngày báo cáo", fontsize=10)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    pin_empty_axis_labels(ax.yaxis)
    return fig


def open_tasks_by_province_plot(open_tasks: pd.DataFrame, title: str | None = None) -> Figure:
    """Open tasks per province as horizontal bars, in the ranking's order (most open on top).

    ``open_tasks`` is :func:`helpers.analysis.tasks.open_tasks_by_province`'s output (one
    bar per row; pass the rows to show). Bars are labelled with the province's short
    name when the frame has it, otherwise its code, and with the count.
    """
    frame = open_tasks.reset_index(drop=True)
    names = frame["short_name"] if "short_name" in frame.columns else frame["province_code"].astype(str)
    fig = _figure(min(1.3 + 0.2 * len(frame), 10.5))
    ax = fig.add_subplot()
    colour = sns.color_palette("colorblind")[0]
    positions = list(range(len(frame)))
    ax.barh(positions, frame["open_tasks"].astype(float), color=colour, height=0.7)
    counts = frame["open_tasks"].astype(float).to_numpy()
    ax.add_artist(LabelGrid(counts + 0.2, positions, [str(int(v)) for v in counts], "black", fontsize=7, ha="left", transform=ax.transData))
    ax.set_yticks(positions)
    ax.set_yticklabels(list(names), fontsize=7)
    ax.set_ylim(len(frame) - 0.5, -0.5)
    upper = float(frame["tasks_in_scope"].max()) if "tasks_in_scope" in frame.columns and len(frame) else 1.0
    ax.set_xlim(0, max(upper, float(frame["open_tasks"].max()) if len(frame) else 1.0) + 1)
    ax.set_xlabel("Số nhiệm vụ chưa hoàn thành")
    if title is None:
        title = "Số nhiệm vụ chưa hoàn thành theo tỉnh, thành phố"
        if "report_date" in frame.columns and len(frame):
            title += f" (ngày {vn_date(frame['report_date'].iloc[0])})"
    ax.set_title(title, fontsize=10, y=1.0)
    ax.grid(axis="x", color="0.9", lw=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    pin_empty_axis_labels(ax.yaxis)
    return fig
