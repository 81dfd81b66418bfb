"""What every chart of the briefings shares: the palette, text measurement, label placement,
the SVG markup, and the chart's data as a CSV link.

The charts are hand-written SVG, inline in the page (no image file, no PNG): text stays
text (sharp on a phone and on paper, searchable, read by screen readers) and the markup
is a pure function of the data, so a rebuild is byte-identical. Every chart is drawn in
a viewBox :data:`VIEW_WIDTH` units wide with no text smaller than :data:`MIN_FONT`
units: on a 390 px phone the chart gets at least :data:`PHONE_WIDTH_PX` px, so text is
at least ``MIN_FONT * PHONE_WIDTH_PX / VIEW_WIDTH`` = 11.2 px (the briefing's CSS caps
the width on a wide screen, so it does not grow without bound either).
"""

from __future__ import annotations

import base64
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape

import pandas as pd

VIEW_WIDTH = 380
MIN_FONT = 12
# A 390 px phone, less the page's side padding (0.9rem each side, briefing.css).
PHONE_WIDTH_PX = 390 - 2 * 0.9 * 16

# One colour for the flagged group ("sẵn sàng nhưng nộp trực tuyến thấp") in every chart;
# 5.2:1 on white, so it also serves as text colour (WCAG AA 4.5:1).
FLAG = "#b3420b"
# Bars and points that are not flagged: a light blue-grey, so the flagged group stands
# out in greyscale too (a bar's value is printed beside it, so the bar itself need not
# carry the contrast of text).
BASE = "#9db2c7"
MUTED = "#5b6470"
INK = "#1b1f24"
GRID = "#d5dae0"
# Series that are not a flagged group (the dates of the task chart): Okabe-Ito colours
# darkened to >= 3:1 on white (WCAG 1.4.11, graphical objects), none of them orange.
SERIES = ("#0b5cad", "#2e7d32", "#6a3d9a", "#00796b", "#5d4037", "#37474f")


# ---------------------------------------------------------------- text measurement


@lru_cache(maxsize=1)
def _font():
    # The page's sans-serif (system-ui resolves to DejaVu Sans on the build machine and
    # is among the widest common sans fonts, so a label measured here fits elsewhere too);
    # matplotlib ships the file, so the measure is the same on every machine.
    from pathlib import Path

    import matplotlib
    from PIL import ImageFont

    path = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    return ImageFont.truetype(str(path), size=100, layout_engine=ImageFont.Layout.BASIC)


@lru_cache(maxsize=8192)
def _width_100(text: str, bold: bool) -> float:
    width = _font().getlength(text)
    return width * (1.06 if bold else 1.0)  # bold DejaVu runs ~6% wider


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Advance width of ``text`` at font size ``size`` (SVG user units)."""
    return _width_100(str(text), bold) * size / 100


def fit_text(text: str, size: float, width: float, bold: bool = False) -> str:
    """``text`` cut with an ellipsis so that it fits in ``width``."""
    text = " ".join(str(text).split())
    if text_width(text, size, bold) <= width:
        return text
    while text and text_width(text + "…", size, bold) > width:
        text = text[:-1]
    return text.rstrip() + "…"


# ---------------------------------------------------------------- boxes and label placement


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle in SVG units (y grows downward)."""

    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: "Box") -> bool:
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1


def text_box(x: float, y: float, text: str, size: float, anchor: str = "start", bold: bool = False) -> Box:
    """The box of a one-line text drawn at baseline ``y`` (ascent 0.76 em, descent 0.24 em, DejaVu)."""
    width = text_width(text, size, bold)
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    return Box(left, y - 0.76 * size, left + width, y + 0.24 * size)


def spread(targets: Sequence[float], gap: float, low: float = -math.inf, high: float = math.inf) -> list[float]:
    """Positions for labels that want to sit at ``targets`` on one axis, each at least
    ``gap`` from the next, as close to their targets as possible, within ``low..high``.

    Labels keep their order. Neighbours that would overlap form a block centred on the
    mean of its members' wishes; blocks merge until none overlap (the least-squares
    placement of ordered labels with a minimum spacing), then the whole is shifted
    inside the bounds. Returns positions in the order of ``targets``.
    """
    if not targets:
        return []
    order = sorted(range(len(targets)), key=lambda i: (targets[i], i))
    blocks: list[list] = []  # [start position, [indices]]
    for i in order:
        blocks.append([targets[i], [i]])
        while len(blocks) > 1 and blocks[-2][0] + gap * len(blocks[-2][1]) > blocks[-1][0]:
            (_, a), (_, b) = blocks[-2], blocks.pop()
            members = a + b
            # the start that minimises the squared distances of the members to their targets
            start = sum(targets[m] - gap * k for k, m in enumerate(members)) / len(members)
            blocks[-1] = [start, members]
    placed = [0.0] * len(targets)
    for start, members in blocks:
        for k, m in enumerate(members):
            placed[m] = start + gap * k
    ordered = [placed[i] for i in order]
    shift = 0.0
    if ordered[-1] > high:
        shift = high - ordered[-1]
    if ordered[0] + shift < low:
        shift = low - ordered[0]
    return [p + shift for p in placed]


def first_free(candidates: Iterable[Box], obstacles: Sequence[Box], inside: Box | None = None) -> int:
    """Index of the first candidate box that overlaps no obstacle (and lies inside
    ``inside``); the candidate with the fewest overlaps when none is free."""
    best, best_hits = 0, math.inf
    for k, box in enumerate(candidates):
        outside = inside is not None and (box.x0 < inside.x0 or box.x1 > inside.x1 or box.y0 < inside.y0 or box.y1 > inside.y1)
        hits = sum(box.overlaps(o) for o in obstacles) + (1000 if outside else 0)
        if hits == 0:
            return k
        if hits < best_hits:
            best, best_hits = k, hits
    return best


# ---------------------------------------------------------------- markup


def num(value: float) -> str:
    """A coordinate as the markup writes it: at most two decimals, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def attrs(**values) -> str:
    out = []
    for key, value in values.items():
        if value is None:
            continue
        name = key.rstrip("_").replace("_", "-")
        out.append(f'{name}="{num(value) if isinstance(value, float) else escape(str(value), quote=True)}"')
    return " ".join(out)


def text(x: float, y: float, content: str, size: float = MIN_FONT, anchor: str = "start", fill: str = INK, bold: bool = False, cls: str | None = None, halo: bool = False) -> str:
    """One line of text; ``halo`` draws a white outline under the glyphs so that a grid or
    threshold line running behind the text does not cut through it."""
    weight = "700" if bold else None
    outline = dict(stroke="#fff", stroke_width=3.0, stroke_linejoin="round", paint_order="stroke") if halo else {}
    return f"<text {attrs(x=float(x), y=float(y), font_size=float(size), text_anchor=None if anchor == 'start' else anchor, font_weight=weight, fill=fill, class_=cls, **outline)}>{escape(str(content), quote=False)}</text>"


def line(x1: float, y1: float, x2: float, y2: float, stroke: str = INK, width: float = 1.0, dash: str | None = None, cls: str | None = None) -> str:
    return f"<line {attrs(x1=float(x1), y1=float(y1), x2=float(x2), y2=float(y2), stroke=stroke, stroke_width=float(width), stroke_dasharray=dash, class_=cls)}/>"


def rect(x: float, y: float, width: float, height: float, fill: str, cls: str | None = None) -> str:
    return f"<rect {attrs(x=float(x), y=float(y), width=float(max(width, 0.0)), height=float(height), fill=fill, class_=cls)}/>"


def svg(width: float, height: float, body: Sequence[str], label: str) -> str:
    """The chart's ``<svg>``: ``width`` x ``height`` user units, scaled by the page's CSS."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" viewBox="0 0 {num(float(width))} {num(float(height))}" '
        f'width="{num(float(width))}" height="{num(float(height))}" role="img" aria-label="{escape(label, quote=True)}">\n'
        + "\n".join(body)
        + "\n</svg>"
    )


# ---------------------------------------------------------------- the chart


@dataclass(frozen=True)
class LegendItem:
    label: str
    colour: str
    shape: str = "square"  # 'square' (a bar), 'dot', 'ring' (a hollow point), 'line' (a dashed reference)


@dataclass(frozen=True)
class Chart:
    """A chart ready for :func:`helpers.report.render.figure`: the finding as its title,
    the SVG, the data it draws (the CSV behind the download link), a legend, and the
    boxes of the labels it placed (the tests check that none overlap)."""

    title: str
    svg: str
    data: pd.DataFrame
    legend: tuple[LegendItem, ...] = ()
    label_boxes: tuple[Box, ...] = field(default=(), repr=False)
    csv_name: str = "du-lieu.csv"
    tall: bool = False  # a long chart: printed taller than the others
    ranking: bool = False  # a ranking of many provinces (bars): its own print height

    def csv_uri(self) -> str:
        return csv_data_uri(self.data)

    def _repr_html_(self) -> str:  # shown as itself in a notebook
        from helpers.report.render import figure

        return figure(self, alt=self.title).body


BOM = "\ufeff"


def csv_data_uri(frame: pd.DataFrame) -> str:
    """``frame`` as a CSV ``data:`` URI: UTF-8 with a byte-order mark, so that Excel opens the
    Vietnamese headers and names as Vietnamese; ``\\n`` line ends and no index, so the
    same data give the same bytes."""
    body = BOM + frame.to_csv(index=False, lineterminator="\n")
    return "data:text/csv;charset=utf-8;base64," + base64.b64encode(body.encode("utf-8")).decode("ascii")


def swatch(item: LegendItem) -> str:
    """The legend's little picture of ``item``: a bar, a point, a ring, a marker or a dashed line."""
    c = item.colour
    shape, hollow = item.shape.removesuffix("-hollow"), item.shape.endswith("-hollow")
    fill = "#fff" if hollow else c
    inner = {
        "square": f'<rect x="1" y="3" width="12" height="9" fill="{c}"/>',
        "dot": f'<circle cx="7" cy="7.5" r="4.5" fill="{fill}" stroke="{c}" stroke-width="1.6"/>',
        "ring": f'<circle cx="7" cy="7.5" r="4.5" fill="#fff" stroke="{c}" stroke-width="1.6"/>',
        "diamond": f'<polygon points="7,2 12.5,7.5 7,13 1.5,7.5" fill="{fill}" stroke="{c}" stroke-width="1.6"/>',
        "triangle": f'<polygon points="7,2 12.5,12 1.5,12" fill="{fill}" stroke="{c}" stroke-width="1.6"/>',
        "line": f'<line x1="0" y1="7.5" x2="14" y2="7.5" stroke="{c}" stroke-width="1.6" stroke-dasharray="4 3"/>',
    }[shape if shape != "square" or not hollow else "square"]
    if shape == "square" and hollow:
        inner = f'<rect x="2.5" y="3" width="9" height="9" fill="#fff" stroke="{c}" stroke-width="1.6"/>'
    return f'<svg class="swatch-svg" viewBox="0 0 14 15" width="14" height="15" aria-hidden="true">{inner}</svg>'
