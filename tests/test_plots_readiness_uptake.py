"""helpers.report.plots.readiness_uptake: the figures are built as expected (counts of artists and labels, no image comparison)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest
from matplotlib.figure import Figure

from helpers.report.plots import readiness_uptake as P
from helpers.report.plots.labels import LabelGrid
from helpers.ingest.provinces import registry
from helpers.analysis.ready_but_low import flag_ready_but_low

PROVINCES = pd.DataFrame([dict(province_code=p.code, province_name=p.name, short_name=p.short_name, wards=p.wards) for p in registry()])
CODES = list(PROVINCES["province_code"])
SHORT = dict(zip(PROVINCES["province_code"], PROVINCES["short_name"]))


def _check_page(fig: Figure) -> None:
    assert isinstance(fig, Figure)
    assert fig.get_figwidth() <= 7.5
    assert fig.get_dpi() == 100
    fig.canvas.draw()  # renders with Agg without error


def _result(labels: int = 1):
    readiness = [60 + i * 40 / 33 for i in range(34)]
    online = [20 + 0.7 * r for r in readiness]
    online[30] = 15.0
    ready = pd.DataFrame({"province_code": CODES, "readiness_index": readiness, "green_pct": readiness})
    uptake = pd.DataFrame({"province_code": CODES, "online_rate_pct": online})
    return flag_ready_but_low(ready, uptake, 80, 90, 70)


def test_readiness_vs_online_labels_flagged_provinces():
    result = _result()
    fig = P.readiness_vs_online(result, PROVINCES)
    _check_page(fig)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.texts] == [SHORT[CODES[30]]]
    assert len(ax.collections) == result.table["quadrant"].nunique()  # one scatter per quadrant present
    assert len(ax.lines) == 3  # the two thresholds and the fit
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "Sẵn sàng nhưng nộp trực tuyến thấp (1)" in legend and "Đường hồi quy tuyến tính" in legend
    assert ax.get_xlabel().startswith("Chỉ số sẵn sàng hạ tầng")


def test_readiness_vs_online_labels_what_it_is_told():
    fig = P.readiness_vs_online(_result(), PROVINCES, labels_for=[CODES[0], CODES[1]])
    assert [t.get_text() for t in fig.axes[0].texts] == [SHORT[CODES[0]], SHORT[CODES[1]]]


def test_ranked_online_rates_sorted_bars_and_national_line():
    rates = pd.DataFrame({"province_code": CODES, "online_rate_pct": [50 + (i * 7) % 45 for i in range(34)]})
    fig = P.ranked_online_rates(rates, national_rate=77.06, provinces=PROVINCES, highlight=[CODES[5]])
    _check_page(fig)
    ax = fig.axes[0]
    assert len(ax.patches) == 34
    names = [t.get_text() for t in ax.get_yticklabels()]
    top = rates.sort_values(["online_rate_pct", "province_code"], ascending=[False, True])
    assert names == [SHORT[c] for c in top["province_code"]]
    grids = [a for a in ax.get_children() if isinstance(a, LabelGrid)]
    assert len(grids) == 1 and len(grids[0].texts) == 34  # every bar labelled with its value
    assert grids[0].texts[0] == P.fmt_num(top["online_rate_pct"].iloc[0], 1)
    assert len(ax.lines) == 1 and ax.lines[0].get_xdata()[0] == pytest.approx(77.06)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Toàn quốc: 77,06%", "Sẵn sàng nhưng nộp trực tuyến thấp"]
    colours = {tuple(p.get_facecolor()) for p in ax.patches}
    assert len(colours) == 2  # the highlighted province stands out
