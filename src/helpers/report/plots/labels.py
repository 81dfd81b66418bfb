"""Many small labels in one artist: the numbers printed in the cells of a heat map.

A matplotlib ``Text`` costs 1-3 ms each time it is laid out or drawn (Matplotlib 3.11
shapes every string with FreeType/raqm), and a figure is laid out three times before
it is drawn: a heat map of 34 provinces x 16 indicators spent seconds on its 544
numbers. :class:`LabelGrid` draws them as bitmaps instead, rendered once per
(string, size, colour) with Pillow from the font matplotlib would use (its own
FreeType, fixed basic layout, so the result does not depend on optional libraries),
and composited at draw time. It takes no part in layout: the labels sit inside the
axes. Deterministic: same inputs, same pixels.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from matplotlib import colors as mcolors
from matplotlib.artist import Artist
from matplotlib.font_manager import FontProperties, findfont


@lru_cache(maxsize=64)
def _font(path: str, size_px: float):
    from PIL import ImageFont

    return ImageFont.truetype(path, size=size_px, layout_engine=ImageFont.Layout.BASIC)


@lru_cache(maxsize=8192)
def _bitmap(path: str, size_px: float, text: str, rgb: tuple[int, int, int]):
    """(RGBA array, x of the ink from the pen start, y of its top from the line top, advance, line height)."""
    from PIL import Image, ImageDraw

    font = _font(path, size_px)
    ascent, descent = font.getmetrics()
    left, top, right, bottom = font.getbbox(text, anchor="la")
    width, height = max(1, right - left), max(1, bottom - top)
    mask = Image.new("L", (width, height), 0)
    ImageDraw.Draw(mask).text((-left, -top), text, font=font, fill=255, anchor="la")
    rgba = np.empty((height, width, 4), dtype=np.uint8)
    rgba[..., 0], rgba[..., 1], rgba[..., 2] = rgb
    rgba[..., 3] = np.asarray(mask)[::-1]  # Agg's draw_image takes rows bottom up
    return rgba, left, top, font.getlength(text), ascent + descent


class LabelGrid(Artist):
    """Short texts at data positions, centred vertically; ``ha`` 'center' or 'left'.

    ``texts`` and ``colors`` (one per position) are public: tests read them like
    ``ax.texts`` of ordinary labels.
    """

    zorder = 3

    def __init__(self, x: Sequence[float], y: Sequence[float], texts: Sequence[str], colors, fontsize: float, ha: str = "center", **kwargs):
        super().__init__()
        self._internal_update(kwargs)  # transform=..., clip_on=..., like any artist's keywords
        self.x = np.asarray(x, dtype=float)
        self.y = np.asarray(y, dtype=float)
        self.texts = [str(t) for t in texts]
        self.colors = [colors] * len(self.texts) if isinstance(colors, str) else list(colors)
        self.fontsize = float(fontsize)
        self.ha = ha
        self.fontproperties = FontProperties(size=self.fontsize)
        self.set_in_layout(False)

    def draw(self, renderer) -> None:
        if not self.get_visible() or not self.texts:
            return
        size_px = round(renderer.points_to_pixels(self.fontsize), 3)
        path = findfont(self.fontproperties)
        xy = self.get_transform().transform(np.column_stack([self.x, self.y]))
        gc = renderer.new_gc()
        self._set_gc_clip(gc)
        renderer.open_group("labelgrid", gid=self.get_gid())
        try:
            for (px, py), text, color in zip(xy, self.texts, self.colors):
                if not text or not np.isfinite(px) or not np.isfinite(py):
                    continue
                rgb = tuple(int(round(255 * c)) for c in mcolors.to_rgb(color))
                rgba, left, top, advance, line = _bitmap(path, size_px, text, rgb)
                pen_x = px - advance / 2 if self.ha == "center" else px
                line_top = py + line / 2  # display y points up
                x0 = int(round(pen_x + left))
                y0 = int(round(line_top - top - rgba.shape[0]))
                renderer.draw_image(gc, x0, y0, rgba)
        finally:
            renderer.close_group("labelgrid")
            gc.restore()
        self.stale = False


def pin_empty_axis_labels(*axes) -> None:
    """Pin the position of axis labels that are empty: matplotlib otherwise places them
    on every layout pass by measuring every tick label of the axis again (a fifth of a
    heat map's time with 34 province names). Nothing changes in the image."""
    for axis in axes:
        if not axis.get_label_text():
            axis.set_label_coords(0.5, 0.5)
