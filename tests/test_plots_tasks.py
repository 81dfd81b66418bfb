"""Charts of the daily readiness briefings (helpers.report.plots.tasks): every task and date,
every province, in the ranking's order."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pandas as pd
import pytest
from analysis_tables import hand_tables

from helpers.analysis.tasks import open_tasks_by_province
from helpers.analysis.trends import task_trend
from helpers.ingest.provinces import provinces_table
from helpers.report.plots.tasks import open_tasks_by_province_plot, task_progress_plot

NS = "{http://www.w3.org/2000/svg}"


def _markers(chart):
    return [e for e in ET.fromstring(chart.svg).iter() if e.get("class") == "marker"]


def test_task_progress_plot_has_every_task_and_date():
    trend = task_trend(hand_tables()["task_progress"])
    chart = task_progress_plot(trend)
    root = ET.fromstring(chart.svg)
    texts = [t.text for t in root.iter(f"{NS}text")]
    titles = [t for t in texts if t and t[:2] in ("I.", "II", "IV") and " " in t and not t.startswith(("I-", "II-", "III-", "IV-"))]
    assert len(titles) == 26 and titles[0].startswith("I.1 ") and titles[-1].startswith("IV.2 ")
    # one marker per task and date (26/6 reconstructed, 27/6, 30/6), the reconstructed hollow
    markers = _markers(chart)
    assert len(markers) == 3 * 26
    assert sum(m.get("fill") == "#fff" for m in markers) == 26
    assert [i.label for i in chart.legend] == ["26/6/2025 (tính lại từ mức tăng)", "27/6/2025", "30/6/2025"]
    assert sum(1 for t in root.iter(f"{NS}text") if t.get("font-weight") == "700") == 4  # sections I to IV
    assert len(chart.data) == len(trend)


def test_task_progress_plot_leaves_gaps_out():
    trend = task_trend(hand_tables()["task_progress"])
    trend.loc[(trend["task_id"] == "I.1") & (trend["date"] == "2025-06-30"), "done_count"] = pd.NA
    assert len(_markers(task_progress_plot(trend))) == 3 * 26 - 1


def test_open_tasks_by_province_plot_one_bar_per_province():
    ranking = open_tasks_by_province(hand_tables()["task_status"], "2025-06-27", provinces_table())
    chart = open_tasks_by_province_plot(ranking)
    root = ET.fromstring(chart.svg)
    bars = list(root.iter(f"{NS}rect"))
    assert len(bars) == 34
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert texts[:4] == ["Sơn La", "26", "Tây Ninh", "26"]
    widths = [float(b.get("width")) for b in bars]
    assert widths[0] == widths[1] == widths[2] and widths[3] / widths[0] == pytest.approx(17 / 26, abs=1e-3)
    assert "27/6/2025" in chart.title and "Sơn La (26 nhiệm vụ)" in chart.title
    top = open_tasks_by_province_plot(ranking.head(10).drop(columns="short_name"))
    assert len(list(ET.fromstring(top.svg).iter(f"{NS}rect"))) == 10 and ET.fromstring(top.svg).find(f"{NS}text").text == "14"
