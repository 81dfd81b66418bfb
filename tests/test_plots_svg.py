"""The charts' shared machinery (helpers.report.plots.svg) and what every chart of a real
briefing must be: inline SVG, text >= 11 px on a 390 px phone, labels that do not overlap,
one colour for the flagged group, a source line and a CSV link that decodes to the chart's
data, and the same bytes on every build."""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
import pandas as pd
import pytest

from helpers.report.plots import svg as S
from helpers.report.plots.heatmap import heat_data, severity_order
from helpers.report.plots.readiness_uptake import ranked_online_rates, readiness_vs_online
from helpers.report.plots.tasks import open_tasks_by_province_plot, task_progress_plot
from helpers.report.names import name_of
from helpers.report.render import EMPTY, figure

from conftest import ROOT
from test_briefing_sections import facts

NS = "{http://www.w3.org/2000/svg}"
CSS = ROOT / "src" / "helpers" / "report" / "templates" / "briefing" / "briefing.css"


def charts_of(ingested) -> dict[str, S.Chart]:
    """Every chart the three fixture dates draw, built as the sections build them."""
    sept, june27 = facts(ingested, "2025-09-22"), facts(ingested, "2025-06-27")
    ranking = june27.open_by_province
    ranking = ranking[ranking["open_tasks"] > 0]
    return {
        "online_rates": ranked_online_rates(sept.rates_all, sept.national_rate, sept.short, highlight=sept.ready_but_low.flagged),
        "quadrants": readiness_vs_online(sept.ready_but_low, sept.short),
        "task_progress": task_progress_plot(june27.task_trend),
        "open_tasks": open_tasks_by_province_plot(ranking.assign(short_name=ranking["province_code"].map(june27.short))),
    }


@pytest.fixture(scope="module")
def charts(ingested) -> dict[str, S.Chart]:
    return charts_of(ingested)


def parse(chart: S.Chart) -> ET.Element:
    return ET.fromstring(chart.svg)


def view_width(root: ET.Element) -> float:
    return float(root.get("viewBox").split()[2])


# ---------------------------------------------------------------- label placement


def test_spread_keeps_order_gap_and_bounds():
    targets = [50.0, 51.0, 52.0, 10.0, 90.0, 89.5]
    placed = S.spread(targets, 12.0, 0.0, 100.0)
    order = sorted(range(len(targets)), key=lambda i: targets[i])
    along = [placed[i] for i in order]
    assert all(b - a >= 12.0 - 1e-9 for a, b in zip(along, along[1:]))  # no two closer than the gap
    assert along == sorted(along)  # labels keep the order of their points
    assert min(placed) >= 0.0 and max(placed) <= 100.0
    assert placed[3] == 10.0  # a label with room stays on its point
    # a crowded group is centred on its points: the mean wish is kept
    assert sum(placed[:3]) / 3 == pytest.approx(51.0)


def test_spread_pushes_a_crowd_inside_the_bounds():
    placed = S.spread([98.0, 99.0, 100.0], 10.0, 0.0, 100.0)
    assert placed == pytest.approx([80.0, 90.0, 100.0])
    assert S.spread([], 10.0) == []


def test_first_free_skips_taken_places_and_falls_back_to_the_least_crowded():
    taken = [S.Box(0, 0, 10, 10), S.Box(20, 0, 30, 10)]
    candidates = [S.Box(5, 5, 15, 15), S.Box(25, 5, 35, 8), S.Box(40, 0, 50, 10)]
    assert S.first_free(candidates, taken) == 2
    assert S.first_free(candidates[:2], taken) == 0  # both hit one: the first
    assert S.first_free([S.Box(40, 0, 50, 10)], [], inside=S.Box(0, 0, 45, 45)) == 0  # the only one, even outside


def test_text_width_grows_with_text_and_size_and_fit_text_cuts_with_an_ellipsis():
    assert S.text_width("Hồ Chí Minh", 12) > S.text_width("Huế", 12)
    assert S.text_width("Huế", 24) == pytest.approx(2 * S.text_width("Huế", 12))
    cut = S.fit_text("Hạ tầng DC/cloud phục vụ cài đặt, vận hành các hệ thống thông tin", 12, 150)
    assert cut.endswith("…") and S.text_width(cut, 12) <= 150


# ---------------------------------------------------------------- every chart


@pytest.mark.parametrize("name", ["online_rates", "quadrants", "task_progress", "open_tasks"])
def test_text_is_at_least_11px_on_a_390px_phone(charts, name):
    root = parse(charts[name])
    sizes = [float(t.get("font-size")) for t in root.iter(f"{NS}text")]
    assert sizes and min(sizes) * S.PHONE_WIDTH_PX / view_width(root) >= 11.0
    assert view_width(root) == S.VIEW_WIDTH


def test_the_phone_width_assumed_is_the_stylesheets():
    css = CSS.read_text(encoding="utf-8")
    phone = css[css.index("@media screen and (max-width: 640px)") :]
    padding = re.search(r"main\.briefing \{ padding: [\d.]+rem ([\d.]+)rem", phone).group(1)
    assert S.PHONE_WIDTH_PX == pytest.approx(390 - 2 * float(padding) * 16)
    # the chart may take the whole column on a phone (no max-width below it)
    cap = re.search(r"figure\.chart \{[^}]*max-width: (\d+)px", css).group(1)
    assert int(cap) >= 390


@pytest.mark.parametrize("name", ["online_rates", "quadrants", "task_progress", "open_tasks"])
def test_labels_do_not_overlap(charts, name):
    boxes = charts[name].label_boxes
    assert len(boxes) > 5
    clashes = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :] if a.overlaps(b)]
    assert not clashes, clashes[:3]
    root = parse(charts[name])
    points = [S.Box(float(c.get("cx")) - float(c.get("r")), float(c.get("cy")) - float(c.get("r")), float(c.get("cx")) + float(c.get("r")), float(c.get("cy")) + float(c.get("r"))) for c in root.iter(f"{NS}circle")]
    on_points = [(a, p) for a in boxes for p in points if a.overlaps(p)]
    assert not on_points, on_points[:3]  # no label on a point of the quadrant chart
    width, height = (float(v) for v in root.get("viewBox").split()[2:])
    assert all(b.x0 >= -0.5 and b.x1 <= width + 0.5 and b.y0 >= -0.5 and b.y1 <= height + 0.5 for b in boxes)  # nothing cut off


@pytest.mark.parametrize("name", ["online_rates", "quadrants", "task_progress", "open_tasks"])
def test_figure_is_inline_svg_with_source_line_and_csv_link(charts, name):
    chart = charts[name]
    html = figure(chart, alt="x", caption="Cách đọc", source="Báo cáo ngày 22/9/2025, Phụ lục 8").body
    assert "<svg" in html and "<img" not in html and "image/png" not in html and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "Nguồn: Báo cáo ngày 22/9/2025, Phụ lục 8" in html and "Tải dữ liệu (CSV)" in html
    assert f'<p class="chart-title">{chart.title}</p>' in html
    href = re.search(r'<a class="chart-csv" download="([^"]+)" href="([^"]+)"', html)
    assert href.group(1).endswith(".csv")
    prefix = "data:text/csv;charset=utf-8;base64,"
    assert href.group(2).startswith(prefix)
    raw = base64.b64decode(href.group(2)[len(prefix) :])
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel shows the Vietnamese
    back = pd.read_csv(io.StringIO(raw.decode("utf-8-sig")), keep_default_na=False, na_values=[""])
    expected = chart.data.reset_index(drop=True)
    assert list(back.columns) == list(expected.columns)
    pd.testing.assert_frame_equal(back, expected, check_dtype=False)


def test_csv_of_the_online_rates_is_the_charts_data(charts, ingested):
    sept = facts(ingested, "2025-09-22")
    data = charts["online_rates"].data
    assert len(data) == len(sept.rates_all) == 34
    by_name = dict(zip(data["Tỉnh, thành phố"], data["Tỷ lệ nộp trực tuyến lũy kế (%)"]))
    for code, rate in zip(sept.rates_all["province_code"], sept.rates_all["online_rate_pct"]):
        assert by_name[sept.short(code)] == pytest.approx(rate, abs=0.005)
    assert (data["Sẵn sàng nhưng nộp trực tuyến thấp"] == "có").sum() == len(sept.ready_but_low.flagged)


# ---------------------------------------------------------------- one colour for the flagged group


def fills(root: ET.Element, cls: str) -> list[str]:
    return [e.get("fill") for e in root.iter() if cls in (e.get("class") or "").split()]


def test_the_flagged_group_has_one_colour_in_every_chart(charts, ingested):
    sept = facts(ingested, "2025-09-22")
    flagged = len(sept.ready_but_low.flagged)
    assert flagged > 0
    bars, quadrants = parse(charts["online_rates"]), parse(charts["quadrants"])
    assert fills(bars, "flagged") == [S.FLAG] * flagged
    assert fills(quadrants, "flagged") == [S.FLAG] * flagged
    # nothing else in these charts wears the flagged colour, except the flagged names
    for root in (bars, quadrants):
        others = [e for e in root.iter() if e.get("fill") == S.FLAG and "flagged" not in (e.get("class") or "") and e.tag != f"{NS}text"]
        assert not others
    names = {sept.short(c) for c in sept.ready_but_low.flagged}
    assert {t.text for t in quadrants.iter(f"{NS}text") if t.get("fill") == S.FLAG} == names
    assert [i.colour for i in charts["online_rates"].legend if i.label == "Sẵn sàng nhưng nộp trực tuyến thấp"] == [S.FLAG]
    # the charts without a flagged group never use its colour
    for name in ("task_progress", "open_tasks"):
        assert S.FLAG not in charts[name].svg
    assert S.FLAG not in S.SERIES and S.FLAG != S.BASE


# ---------------------------------------------------------------- the quadrants


def test_quadrants_have_both_thresholds_labelled_and_no_fitted_line(charts, ingested):
    res = facts(ingested, "2025-09-22").ready_but_low
    root = parse(charts["quadrants"])
    lines = list(root.iter(f"{NS}line"))
    x_thr = [l for l in lines if "threshold-x" in (l.get("class") or "")]
    y_thr = [l for l in lines if "threshold-y" in (l.get("class") or "")]
    assert len(x_thr) == 1 and x_thr[0].get("x1") == x_thr[0].get("x2")  # vertical
    assert len(y_thr) == 1 and y_thr[0].get("y1") == y_thr[0].get("y2")  # horizontal
    labels = {t.get("class"): t.text for t in root.iter(f"{NS}text") if "threshold-label" in (t.get("class") or "")}
    assert labels["threshold-label threshold-x-label"] == "Ngưỡng 90% xã XANH"
    national = labels["threshold-label threshold-y-label"]
    assert national.startswith("Toàn quốc ") and national.endswith("%")
    assert float(national.removeprefix("Toàn quốc ").removesuffix("%").replace(",", ".")) == pytest.approx(res.online_rate_min, abs=0.005)
    # every other line is a grid line, the axis, or a leader from a point to its name: no fit
    for l in lines:
        cls = l.get("class") or ""
        if "threshold" in cls or "leader" in cls:
            continue
        assert l.get("x1") == l.get("x2") or l.get("y1") == l.get("y2"), l.attrib  # straight grid/axis lines only
    leaders = [l for l in lines if "leader" in (l.get("class") or "")]
    assert len(leaders) == len(res.flagged)
    assert "hồi quy" not in charts["quadrants"].svg and "R²" not in charts["quadrants"].svg


def test_quadrant_points_sit_on_their_side_of_the_thresholds(charts, ingested):
    res = facts(ingested, "2025-09-22").ready_but_low
    root = parse(charts["quadrants"])
    lines = {l.get("class"): l for l in root.iter(f"{NS}line")}
    x_thr = float(lines["threshold threshold-x"].get("x1"))
    y_thr = float(lines["threshold threshold-y"].get("y1"))
    points = [c for c in root.iter(f"{NS}circle")]
    assert len(points) == res.n
    for p in points:
        quadrant, x, y = p.get("data-quadrant"), float(p.get("cx")), float(p.get("cy"))
        assert (y > y_thr) == quadrant.endswith("_low")  # below the national line: low (svg y grows down)
        if quadrant.startswith("ready"):
            assert x >= x_thr
    # in this data no province passes the GREEN threshold and misses the index one
    assert all(float(p.get("cx")) < x_thr for p in points if p.get("data-quadrant").startswith("not_ready"))


def _result(index_missed: bool):
    from helpers.analysis.ready_but_low import flag_ready_but_low

    codes = list(range(1, 11))
    green = [20, 40, 60, 80, 95, 95, 100, 100, 100, 100]
    index = [60, 70, 75, 85, 90, 95, 100, 100, 100, 100]
    if index_missed:
        index[4] = 70  # GREEN enough, index not
    online = [40, 80, 50, 90, 60, 85, 30, 95, 70, 75]
    ready = pd.DataFrame({"province_code": codes, "readiness_index": index, "green_pct": green})
    uptake = pd.DataFrame({"province_code": codes, "online_rate_pct": online})
    return flag_ready_but_low(ready, uptake, 80, 90, 72)


def test_a_point_right_of_the_green_threshold_but_not_ready_is_named_in_the_legend():
    plain, missed = readiness_vs_online(_result(False)), readiness_vs_online(_result(True))
    assert len(plain.legend) == 3
    assert missed.legend[-1].label == "Đủ 90% xã XANH nhưng chỉ số sẵn sàng dưới 80 (1)"
    assert missed.legend[-1].shape == "ring"
    assert readiness_vs_online(_result(True), labels_for=[]).label_boxes  # labels optional
    assert "Không tỉnh nào" not in plain.title and plain.title.startswith(f"{len(_result(False).flagged)} tỉnh")


# ---------------------------------------------------------------- the heat map


def test_heat_map_rows_worst_first_and_all_100_apart():
    frame = pd.DataFrame(
        {"c01": [100, 100, 50, 100, 90], "c02": [100, 80, 50, 100, 100], "c03": [100, 100, 100, 100, float("nan")]},
        index=pd.Index([1, 4, 8, 11, 12], name="province_code"),
    )
    rows = severity_order(frame)
    assert list(rows.shown.index) == [8, 4, 12]  # shortfall 100, 20, 10
    assert rows.full == (1, 11)
    tie = severity_order(pd.DataFrame({"a": [90.0, 95.0], "b": [100.0, 95.0]}, index=[5, 3]))
    assert list(tie.shown.index) == [5, 3]  # equal shortfall: the lower single value first
    data = heat_data(frame, lambda c: f"T{c}", ["A", "B", "C"])
    assert list(data["Tỉnh, thành phố"]) == ["T8", "T4", "T12", "T1", "T11"] and list(data.columns) == ["Tỉnh, thành phố", "A", "B", "C"]


def test_heat_map_of_the_briefing_is_sorted_and_collapsed(ingested):
    from helpers.report.sections.communes import _heat_map

    f = facts(ingested, "2025-09-22")
    html = _heat_map(f, EMPTY).body
    names = re.findall(r'<th class="row(?: flagged)?"(?: style="[^"]*")?>([^<]*)</th>', html)[1:]
    full = [c for c in f.indicators.index if (f.indicators.loc[c] >= 100).all()]
    assert len(full) == 21 and names[-1] == "21 tỉnh khác"
    shortfall = {name_of(f, c): float((100 - f.indicators.loc[c]).sum()) for c in f.indicators.index}
    drawn = [shortfall[n] for n in names[:-1]]
    assert drawn == sorted(drawn, reverse=True) and len(drawn) == 34 - 21
    assert html.count('<tr class="collapsed">') == 1
    assert "21 tỉnh đạt 100% mọi chỉ tiêu: " + ", ".join(name_of(f, c) for c in sorted(full)) in html
    flagged_rows = re.findall(rf'<th class="row flagged" style="color:{S.FLAG}">([^<]*)</th>', html)
    assert set(flagged_rows) == {name_of(f, c) for c in f.ready_but_low.flagged} & set(names)
    csv = re.search(r'href="data:text/csv;charset=utf-8;base64,([^"]+)"', html).group(1)
    back = pd.read_csv(io.StringIO(base64.b64decode(csv).decode("utf-8-sig")))
    assert len(back) == 34 and list(back["Tỉnh, thành phố"][: len(drawn)]) == names[:-1]


# ---------------------------------------------------------------- same bytes on every build


def test_rebuilds_are_byte_identical(ingested):
    """Two processes with different hash seeds draw every chart to the same bytes."""
    script = (
        "import hashlib, sys; sys.path.insert(0, 'tests');"
        "from pathlib import Path; from test_plots_svg import charts_of; from helpers.report.render import figure;"
        f"charts = charts_of(Path({str(ingested)!r}));"
        "print(hashlib.sha256(''.join(figure(c, alt=n, source='s').body for n, c in sorted(charts.items())).encode()).hexdigest())"
    )
    digests = set()
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-2000:]
        digests.add(done.stdout.strip())
    here = charts_of(ingested)
    mine = hashlib.sha256("".join(figure(c, alt=n, source="s").body for n, c in sorted(here.items())).encode()).hexdigest()
    assert digests == {mine}
