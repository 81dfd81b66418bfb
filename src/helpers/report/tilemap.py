"""The 34 provinces as a tile grid: one square each, placed to echo Vietnam's geography.

A tile grid, not an outline map: every province gets the same area (Hà Nội and Cà
Mau weigh the same in the eye), and no borders are drawn, so there is nothing to
get wrong about the country's outline (an outline map of Vietnam must show Hoàng Sa
and Trường Sa). The layout is data, ``tilegrid.csv`` beside this file (code, row,
column), checked on load: the 34 official codes of ``vietnam-provinces``, each once,
no two on one square.

The map is inline SVG (text stays text: sharp on a phone and on paper, no image
file), each tile a link to the province's page.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment

LAYOUT_FILE = Path(__file__).with_name("tilegrid.csv")
TILE = 68  # px, the square's side in the SVG's own units (it scales with the page)
GAP = 4
NO_DATA_FILL = "#eceff3"


@dataclass(frozen=True)
class Tile:
    code: int
    row: int
    col: int


@dataclass(frozen=True)
class Band:
    """A colour class of the map: values ``>= lower`` (up to the next band)."""

    lower: float
    fill: str
    ink: str  # text colour on this fill (contrast >= 4.5:1, tested)
    label: str


class LayoutError(ValueError):
    pass


@lru_cache(maxsize=1)
def layout() -> tuple[Tile, ...]:
    """The committed layout, validated against the province registry."""
    from helpers.ingest.provinces import registry

    with LAYOUT_FILE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    tiles = []
    for n, row in enumerate(rows, start=2):
        try:
            tiles.append(Tile(int(row["province_code"]), int(row["row"]), int(row["col"])))
        except (KeyError, TypeError, ValueError):
            raise LayoutError(f"{LAYOUT_FILE.name}:{n}: expected integers province_code,row,col") from None
    codes = [t.code for t in tiles]
    official = {p.code for p in registry()}
    if sorted(codes) != sorted(official):
        missing, extra = sorted(official - set(codes)), sorted(set(codes) - official)
        raise LayoutError(f"{LAYOUT_FILE.name}: expected each of the {len(official)} official codes once; missing {missing}, unknown {extra}, {len(codes)} rows")
    cells = [(t.row, t.col) for t in tiles]
    if len(set(cells)) != len(cells):
        raise LayoutError(f"{LAYOUT_FILE.name}: two provinces on one square")
    return tuple(tiles)


def band_of(value: float | None, bands: Sequence[Band]) -> Band | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    chosen = None
    for band in sorted(bands, key=lambda b: b.lower):
        if value >= band.lower:
            chosen = band
    return chosen or min(bands, key=lambda b: b.lower)


def _label_lines(name: str) -> list[str]:
    """A tile's name on one line, or two when it is long (split at the middle space)."""
    if len(name) <= 9 or " " not in name:
        return [name]
    words = name.split()
    best = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - len(" ".join(words[i:]))))
    return [" ".join(words[:best]), " ".join(words[best:])]


_SVG = """\
<figure class="tilemap">
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {{ width }} {{ height }}" role="img" aria-labelledby="{{ ident }}-t" class="tilemap-svg">
<title id="{{ ident }}-t">{{ title }}</title>
{% for t in tiles %}<a href="{{ t.href }}"><g class="tile">
<title>{{ t.full_name }}: {{ t.value_text }}</title>
<rect x="{{ t.x }}" y="{{ t.y }}" width="{{ size }}" height="{{ size }}" rx="5" fill="{{ t.fill }}"{% if t.flagged %} stroke="#1b1f24" stroke-width="3"{% endif %}/>
{% for line in t.lines %}<text x="{{ t.cx }}" y="{{ t.y + 20 + loop.index0 * 13 }}" text-anchor="middle" font-size="11.5" fill="{{ t.ink }}">{{ line }}</text>
{% endfor %}<text x="{{ t.cx }}" y="{{ t.y + size - 9 }}" text-anchor="middle" font-size="13" font-weight="700" fill="{{ t.ink }}">{{ t.value_text }}</text>
</g></a>
{% endfor %}</svg>
<figcaption><ul class="tilemap-legend">{% for b in legend %}<li><span class="swatch" style="background:{{ b.fill }}"></span>{{ b.label }}</li>{% endfor %}{% if any_flagged %}<li><span class="swatch flagged"></span>{{ flagged_label }}</li>{% endif %}</ul>{{ caption }}</figcaption>
</figure>
"""


@lru_cache(maxsize=1)
def _template():
    return Environment(autoescape=True, trim_blocks=False, keep_trailing_newline=True).from_string(_SVG)


def tile_map(
    values: Mapping[int, float | None],
    names: Mapping[int, str],
    *,
    title: str,
    bands: Sequence[Band],
    value_text: Callable[[float | None], str],
    caption: str = "",
    full_names: Mapping[int, str] | None = None,
    flagged: frozenset[int] | set[int] = frozenset(),
    flagged_label: str = "",
    href: Callable[[int], str] = lambda code: f"provinces/{code:02d}.html",
    ident: str = "tilemap",
) -> str:
    """The SVG tile map of ``values`` (province code -> number; missing -> grey).

    ``names`` are the short labels on the tiles, ``full_names`` the hover titles;
    ``flagged`` provinces get a dark outline (the one marking of the flagged group
    in every chart).
    """
    tiles = layout()
    rows = max(t.row for t in tiles) + 1
    cols = max(t.col for t in tiles) + 1
    step = TILE + GAP
    drawn = []
    for t in sorted(tiles, key=lambda t: (t.row, t.col)):
        value = values.get(t.code)
        band = band_of(value, bands)
        name = names.get(t.code, str(t.code))
        drawn.append(
            {
                "x": t.col * step,
                "y": t.row * step,
                "cx": t.col * step + TILE / 2,
                "fill": band.fill if band else NO_DATA_FILL,
                "ink": band.ink if band else "#1b1f24",
                "lines": _label_lines(name),
                "value_text": value_text(value),
                "full_name": (full_names or names).get(t.code, name),
                "href": href(t.code),
                "flagged": t.code in flagged,
            }
        )
    return _template().render(
        tiles=drawn, size=TILE, width=cols * step - GAP, height=rows * step - GAP, title=title, caption=caption,
        legend=sorted(bands, key=lambda b: -b.lower), any_flagged=bool(flagged), flagged_label=flagged_label, ident=ident,
    )


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2.1 contrast ratio of two ``#rrggbb`` colours (1 to 21)."""

    def luminance(colour: str) -> float:
        channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


# Share of a province's communes rated GREEN (fully ready), the headline indicator of
# the plan-02 reports. 90% is the readiness threshold the briefing uses.
GREEN_SHARE_BANDS = (
    Band(90, "#1d6f42", "#ffffff", "≥ 90% xã XANH"),
    Band(70, "#9fd3ad", "#1b1f24", "70–90%"),
    Band(50, "#f2d27c", "#1b1f24", "50–70%"),
    Band(0, "#e8836b", "#1b1f24", "dưới 50%"),
)
# Share of readiness tasks done per province (daily readiness reports).
TASK_SHARE_BANDS = (
    Band(100, "#1d6f42", "#ffffff", "xong 100%"),
    Band(90, "#9fd3ad", "#1b1f24", "90–100%"),
    Band(75, "#f2d27c", "#1b1f24", "75–90%"),
    Band(0, "#e8836b", "#1b1f24", "dưới 75%"),
)
