"""Figures for the plan-02 briefings: readiness vs online rate, ranked online rates.

Each function builds a :class:`matplotlib.figure.Figure` directly (no pyplot state,
rendered by Agg when saved), at most 7.5 in wide for an A4 page, 100 dpi, with
Vietnamese labels and colour-blind-safe colours (seaborn "colorblind"). The readiness
heat map is an HTML table (:func:`helpers.report.render.heat_table`), not a figure.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import seaborn as sns
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from helpers.analysis.ready_but_low import QUADRANTS, ReadyButLowResult
from helpers.report.formats import fmt_num
from helpers.report.wording import QUADRANT_LABELS_VI
from helpers.report.plots.labels import LabelGrid, pin_empty_axis_labels

WIDTH_IN = 7.5
DPI = 100


def _names(codes: Iterable[int], provinces: pd.DataFrame | None) -> list[str]:
    """Short province names from the provinces table (the code itself when no table is given)."""
    lookup = {} if provinces is None else dict(zip(provinces["province_code"], provinces["short_name"]))
    return [str(lookup.get(int(c), c)) for c in codes]


def _figure(height_in: float) -> Figure:
    fig = Figure(figsize=(WIDTH_IN, height_in), layout="constrained")
    fig.set_dpi(DPI)
    # An Agg canvas from the start: without one, every text measured while the figure
    # is laid out (seaborn's tick checks, constrained layout) made a renderer of its own.
    FigureCanvasAgg(fig)
    return fig


def _vn_pct_axis(axis) -> None:
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt_num(v, 0)))


def readiness_vs_online(
    result: ReadyButLowResult,
    provinces: pd.DataFrame | None = None,
    labels_for: Iterable[int] | None = None,
    title: str = "Mức sẵn sàng hạ tầng và tỷ lệ hồ sơ nộp trực tuyến (từ 01/7/2025)",
) -> Figure:
    """Scatter of online rate against readiness index, coloured by quadrant, with the thresholds and the OLS line.

    Dashed lines mark ``readiness_min`` and ``online_rate_min``; the solid line is the
    fitted online rate. The provinces in ``labels_for`` (default: the flagged ones)
    are labelled with their short names. The GREEN-share condition of the rule cannot
    be drawn on these two axes: a province right of the line but not flagged failed it.
    """
    table = result.table
    codes = list(result.flagged if labels_for is None else labels_for)
    palette = dict(zip(QUADRANTS, sns.color_palette("colorblind", len(QUADRANTS))))
    fig = _figure(5.0)
    ax = fig.add_subplot()
    for quadrant in QUADRANTS:
        part = table[table["quadrant"] == quadrant]
        if part.empty:
            continue
        ax.scatter(
            part["readiness_index"],
            part["online_rate_pct"],
            s=28,
            color=palette[quadrant],
            edgecolor="black",
            linewidth=0.4,
            label=f"{QUADRANT_LABELS_VI[quadrant]} ({len(part)})",
            zorder=3,
        )
    ax.axvline(result.readiness_min, color="grey", linestyle="--", linewidth=0.8, zorder=1)
    ax.axhline(result.online_rate_min, color="grey", linestyle="--", linewidth=0.8, zorder=1)
    lo, hi = float(table["readiness_index"].min()), float(table["readiness_index"].max())
    ax.plot(
        [lo, hi],
        [result.intercept + result.slope * lo, result.intercept + result.slope * hi],
        color="black",
        linewidth=1.0,
        label="Đường hồi quy tuyến tính",
        zorder=2,
    )
    by_code = table.set_index("province_code")
    for code, name in zip(codes, _names(codes, provinces)):
        row = by_code.loc[code]
        ax.annotate(
            name,
            (row["readiness_index"], row["online_rate_pct"]),
            xytext=(-5, 0),
            textcoords="offset points",
            ha="right",
            va="center",
            fontsize=7,
        )
    ax.set_xlabel("Chỉ số sẵn sàng hạ tầng (0–100, Phụ lục 5)", fontsize=8)
    ax.set_ylabel("Tỷ lệ hồ sơ nộp trực tuyến lũy kế (%, Phụ lục 8)", fontsize=8)
    _vn_pct_axis(ax.xaxis)
    _vn_pct_axis(ax.yaxis)
    ax.tick_params(labelsize=7)
    fig.legend(*ax.get_legend_handles_labels(), fontsize=7, loc="outside lower center", ncols=2, frameon=False)
    ax.set_title(title, fontsize=9)
    return fig


def ranked_online_rates(
    rates: pd.DataFrame,
    national_rate: float,
    provinces: pd.DataFrame | None = None,
    highlight: Iterable[int] = (),
    highlight_label: str = "Sẵn sàng nhưng nộp trực tuyến thấp",
    title: str = "Tỷ lệ hồ sơ nộp trực tuyến lũy kế từ 01/7/2025 đến 21/9/2025",
) -> Figure:
    """Horizontal bars of the online rate per province, highest at the top, with the national rate as a line.

    ``rates`` needs ``province_code`` and ``online_rate_pct``; each bar is labelled with
    its value; provinces in ``highlight`` (e.g. the flagged ones) get a second colour,
    named ``highlight_label`` in the legend.
    """
    ordered = rates.sort_values(["online_rate_pct", "province_code"], ascending=[False, True], kind="stable")
    marked = {int(c) for c in highlight}
    base, accent = sns.color_palette("colorblind", 2)
    colours = [accent if int(c) in marked else base for c in ordered["province_code"]]
    names = _names(ordered["province_code"], provinces)
    fig = _figure(min(1.4 + 0.2 * len(ordered), 10.5))
    ax = fig.add_subplot()
    positions = list(range(len(ordered)))
    ax.barh(positions, ordered["online_rate_pct"], color=colours, height=0.75)
    ax.set_yticks(positions, names, fontsize=7)
    ax.invert_yaxis()
    values = ordered["online_rate_pct"].astype(float).to_numpy()
    ax.add_artist(LabelGrid(values + 0.8, positions, [fmt_num(v, 1) for v in values], "black", fontsize=6, ha="left", transform=ax.transData))
    ax.axvline(national_rate, color="black", linestyle="--", linewidth=0.9, label=f"Toàn quốc: {fmt_num(national_rate)}%")
    ax.set_xlim(0, 105)
    _vn_pct_axis(ax.xaxis)
    ax.tick_params(axis="x", labelsize=7)
    ax.set_xlabel("Tỷ lệ hồ sơ nộp trực tuyến (%)", fontsize=8)
    handles, labels = ax.get_legend_handles_labels()
    if marked:
        from matplotlib.patches import Patch

        handles.append(Patch(color=accent))
        labels.append(highlight_label)
    ax.legend(handles, labels, fontsize=7, loc="lower right", frameon=False)
    ax.set_title(title, fontsize=9, y=1.0)
    pin_empty_axis_labels(ax.yaxis)
    return fig
