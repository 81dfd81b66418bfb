"""The tile-grid map: the committed layout and the SVG drawn from it."""

from __future__ import annotations

import re

import pytest

from helpers.ingest.provinces import registry
from helpers.report import tilemap


def test_layout_has_each_official_code_once_on_its_own_square():
    tiles = tilemap.layout()
    assert sorted(t.code for t in tiles) == sorted(p.code for p in registry())
    assert len({(t.row, t.col) for t in tiles}) == len(tiles) == 34


def test_layout_echoes_geography_north_to_south():
    row = {t.code: t.row for t in tilemap.layout()}
    # Hà Nội north of Huế north of TP. Hồ Chí Minh north of Cà Mau; Cao Bằng in the first row
    assert row[1] < row[46] < row[79] < row[96]
    assert row[4] == 0


@pytest.mark.parametrize(
    "text, message",
    [
        ("province_code,row,col\n1,0,0\n", "missing"),
        ("province_code,row,col\n" + "".join(f"{p.code},{i},0\n" for i, p in enumerate(registry())) + "1,40,0\n", "34 official codes once"),
        ("province_code,row,col\n" + "".join(f"{p.code},0,0\n" for p in registry()), "two provinces on one square"),
        ("province_code,row,col\nx,0,0\n", "expected integers"),
    ],
)
def test_a_broken_layout_is_refused_naming_the_file(tmp_path, monkeypatch, text, message):
    path = tmp_path / "tilegrid.csv"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(tilemap, "LAYOUT_FILE", path)
    tilemap.layout.cache_clear()
    try:
        with pytest.raises(tilemap.LayoutError, match=message):
            tilemap.layout()
    finally:
        tilemap.layout.cache_clear()


def _svg(values, **kw):
    names = {p.code: p.short_name for p in registry()}
    return tilemap.tile_map(values, names, title="Tỷ lệ xã XANH", bands=tilemap.GREEN_SHARE_BANDS, value_text=lambda v: "—" if v is None else f"{v:.0f}%", **kw)


def test_svg_has_a_linked_labelled_tile_per_province_coloured_by_band():
    values = {p.code: float(i * 3) for i, p in enumerate(registry())}
    svg = _svg(values, flagged={20})
    assert svg.count("<a href=") == 34
    assert 'href="provinces/01.html"' in svg and 'href="provinces/96.html"' in svg
    # each value is written on its tile and the tile's fill is its band's
    for code, value in values.items():
        band = tilemap.band_of(value, tilemap.GREEN_SHARE_BANDS)
        assert re.search(rf'href="provinces/{code:02d}.html"><g class="tile">\s*<title>[^<]*: {value:.0f}%</title>\s*<rect [^>]*fill="{band.fill}"', svg)
    assert svg.count('stroke="#1b1f24"') == 1  # the one flagged province
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")  # offline


def test_missing_values_are_grey_and_names_are_escaped():
    names = {p.code: p.short_name for p in registry()}
    names[1] = "<b>Hà Nội</b>"
    svg = tilemap.tile_map({}, names, title="t", bands=tilemap.GREEN_SHARE_BANDS, value_text=lambda v: "—")
    assert svg.count(f'fill="{tilemap.NO_DATA_FILL}"') == 34
    assert "<b>" not in svg and "&lt;b&gt;" in svg


@pytest.mark.parametrize("bands", [tilemap.GREEN_SHARE_BANDS, tilemap.TASK_SHARE_BANDS])
def test_tile_text_meets_wcag_aa_contrast(bands):
    for band in bands:
        assert tilemap.contrast_ratio(band.ink, band.fill) >= 4.5, band
    assert tilemap.contrast_ratio("#1b1f24", tilemap.NO_DATA_FILL) >= 4.5


def test_band_edges():
    bands = tilemap.GREEN_SHARE_BANDS
    assert tilemap.band_of(90.0, bands).lower == 90
    assert tilemap.band_of(89.99, bands).lower == 70
    assert tilemap.band_of(0.0, bands).lower == 0
    assert tilemap.band_of(None, bands) is None
    assert tilemap.band_of(float("nan"), bands) is None
