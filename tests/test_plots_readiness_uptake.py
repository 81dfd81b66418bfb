"""helpers.report.plots.readiness_uptake: the charts show what they are given (bars in rank
order, every value printed, the national line labelled, the flagged provinces named)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from helpers.analysis.ready_but_low import flag_ready_but_low
from helpers.ingest.provinces import registry
from helpers.report.formats import fmt_num
from helpers.report.plots import readiness_uptake as P
from helpers.report.plots.svg import BASE, FLAG

NS = "{http://www.w3.org/2000/svg}"
PROVINCES = pd.DataFrame([dict(province_code=p.code, province_name=p.name, short_name=p.short_name, wards=p.wards) for p in registry()])
CODES = list(PROVINCES["province_code"])
SHORT = dict(zip(PROVINCES["province_code"], PROVINCES["short_name"]))


def _result():
    readiness = [60 + i * 40 / 33 for i in range(34)]
    online = [20 + 0.7 * r for r in readiness]
    online[30] = 15.0
    ready = pd.DataFrame({"province_code": CODES, "readiness_index": readiness, "green_pct": readiness})
    uptake = pd.DataFrame({"province_code": CODES, "online_rate_pct": online})
    return flag_ready_but_low(ready, uptake, 80, 90, 70)


def _texts(chart, cls=None):
    root = ET.fromstring(chart.svg)
    return [t.text for t in root.iter(f"{NS}text") if cls is None or cls in (t.get("class") or "")]


def test_readiness_vs_online_names_the_flagged_provinces():
    result = _result()
    assert result.flagged == (CODES[30],)
    chart = P.readiness_vs_online(result, PROVINCES)
    assert _texts(chart, "point-label") == [SHORT[CODES[30]]]
    assert [i.label for i in chart.legend][0] == "Sẵn sàng nhưng nộp trực tuyến thấp (1)"
    assert chart.title == "1 tỉnh đã sẵn sàng nhưng nộp trực tuyến dưới mức cả nước (70,00%)"
    root = ET.fromstring(chart.svg)
    assert len(list(root.iter(f"{NS}circle"))) == 34


def test_readiness_vs_online_names_what_it_is_told_with_the_sections_names():
    chart = P.readiness_vs_online(_result(), lambda code: f"Tỉnh {code}", labels_for=[CODES[0], CODES[1]])
    assert _texts(chart, "point-label") == [f"Tỉnh {CODES[0]}", f"Tỉnh {CODES[1]}"]
    assert chart.data["Tỉnh, thành phố"].iloc[0] == f"Tỉnh {min(CODES)}"


def test_ranked_online_rates_sorted_bars_values_and_national_line():
    rates = pd.DataFrame({"province_code": CODES, "online_rate_pct": [50 + (i * 7) % 45 for i in range(34)]})
    chart = P.ranked_online_rates(rates, national_rate=77.06, provinces=PROVINCES, highlight=[CODES[5]])
    root = ET.fromstring(chart.svg)
    bars = list(root.iter(f"{NS}rect"))
    assert len(bars) == 34
    top = rates.sort_values(["online_rate_pct", "province_code"], ascending=[False, True])
    texts = _texts(chart)
    names = [t for t in texts if t in SHORT.values()]
    assert names == [SHORT[c] for c in top["province_code"]]
    assert [fmt_num(v, 1) for v in top["online_rate_pct"]] == [t for t in texts if t not in SHORT.values()][:34]
    assert _texts(chart, "reference-label") == ["Toàn quốc 77,06%"]
    widths = [float(b.get("width")) for b in bars]
    assert widths == sorted(widths, reverse=True)
    assert {b.get("fill") for b in bars} == {FLAG, BASE} and sum(b.get("fill") == FLAG for b in bars) == 1
    line = [l for l in root.iter(f"{NS}line") if l.get("class") == "reference"][0]
    left = float(bars[0].get("x"))
    scale = widths[0] / top["online_rate_pct"].iloc[0]
    assert float(line.get("x1")) == pytest.approx(left + 77.06 * scale, abs=0.01)
    below = int((rates["online_rate_pct"] < 77.06).sum())
    assert chart.title.startswith(f"{below}/34 tỉnh nộp trực tuyến dưới mức cả nước (77,06%)")
