"""Figures for the 22/9/2025 plan-02 briefing: readiness heat map, readiness vs online rate, ranked rates.

Each function builds a :class:`matplotlib.figure.Figure` directly (no pyplot state,
rendered by Agg when saved), at most 7.5 in wide for an A4 page, 100 dpi, with
Vietnamese labels and colour-blind-safe colours (cividis, seaborn 'colorblind').
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from ..stats.readiness import INDICATOR_SHORT_LABELS_VI
from ..stats.ready_but_low import QUADRANT_LABELS_VI, QUADRANTS, ReadyButLowResult
from ..vn_numbers import fmt_num

WIDTH_IN = 7.5
DPI = 100


def _names(codes: Iterable[int], provinces: pd.DataFrame | None) -> list[str]:
    """Short province names from the provinces table (the code itself when no table is given)."""
    lookup = {} if provinces is None else dict(zip(provinces["province_code"], provinces["short_name"]))
    return [str(lookup.get(int(c), c)) for c in codes]


def _figure(height_in: float) -> Figure:
    fig = Figure(figsize=(WIDTH_IN, height_in), layout="constrained")
    fig.set_dpi(DPI)
    return fig


def _vn_pct_axis(axis) -> None:
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt_num(v, 0)))


def heatmap_provinces(
    indicators_wide: pd.DataFrame,
    provinces: pd.DataFrame | None = None,
    column_labels: dict[str, str] | None = None,
    title: str = "Hiện trạng xã, phường theo chỉ tiêu (Phụ lục 5, % số xã đạt)",
) -> Figure:
    """Provinces × indicators heat map of % of communes, each cell annotated (appendix 5).

    ``indicators_wide`` is indexed by province code with one column per indicator
    (see ``stats.readiness.indicators_wide``); rows keep the caller's order. Colour
    scale cividis from 0 to 100.
    """
    labels = {**INDICATOR_SHORT_LABELS_VI, **(column_labels or {})}
    data = indicators_wide.astype(float)
    annot = data.map(lambda v: "" if pd.isna(v) else ("100" if v == 100 else fmt_num(v, 1)))
    fig = _figure(min(1.6 + 0.22 * len(data), 10.5))
    ax = fig.add_subplot()
    sns.heatmap(
        data,
        ax=ax,
        cmap="cividis",
        vmin=0,
        vmax=100,
        annot=annot.to_numpy(),
        fmt="",
        annot_kws={"fontsize": 5.5},
        linewidths=0.3,
        linecolor="white",
        cbar_kws={"label": "% số xã, phường", "shrink": 0.5},
        xticklabels=[labels.get(c, c) for c in data.columns],
        yticklabels=_names(data.index, provinces),
    )
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.tick_params(axis="x", labelsize=7, rotation=60)
    ax.tick_params(axis="y", labelsize=7, rotation=0)
    for label in ax.get_xticklabels():
        label.set_horizontalalignment("right")
        label.set_rotation_mode("anchor")
    ax.set_title(title, fontsize=9)
    return fig


def readiness_vs_online(
    result: ReadyButLowResult,
    provinces: pd.DataFrame | None = None,
    labels_for: Iterable[int] | None = None,
    title: str = "Mức sẵn sàng hạ tầng và tỉ lệ hồ sơ nộp trực tuyến (từ 01/7/2025)",
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
    ax.set_ylabel("Tỉ lệ hồ sơ nộp trực tuyến lũy kế (%, Phụ lục 8)", fontsize=8)
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
    title: str = "Tỉ lệ hồ sơ nộp trực tuyến lũy kế từ 01/7/2025 đến 21/9/2025",
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
    for y, value in zip(positions, ordered["online_rate_pct"]):
        ax.text(value + 0.8, y, fmt_num(value, 1), va="center", fontsize=6)
    ax.axvline(national_rate, color="black", linestyle="--", linewidth=0.9, label=f"Toàn quốc: {fmt_num(national_rate)}%")
    ax.set_xlim(0, 105)
    _vn_pct_axis(ax.xaxis)
    ax.tick_params(axis="x", labelsize=7)
    ax.set_xlabel("Tỉ lệ hồ sơ nộp trực tuyến (%)", fontsize=8)
    handles, labels = ax.get_legend_handles_labels()
    if marked:
        from matplotlib.patches import Patch

        handles.append(Patch(color=accent))
        labels.append(highlight_label)
    ax.legend(handles, labels, fontsize=7, loc="lower right", frameon=False)
    ax.set_title(title, fontsize=9)
    return fig
