"""The front page: headline from the data, boxes with changes, tile map, Cần chỉ đạo."""

from __future__ import annotations

import re

import pytest

from helpers.report import Briefing


@pytest.fixture(scope="module")
def fronts(ingested):
    out = {}
    for date in ("2025-06-27", "2025-06-30", "2025-09-22"):
        b = Briefing(date, {}, ingested)
        out[date] = (b, b.section("front").body)
    return out


def test_headline_states_the_lowest_province_from_the_data(fronts):
    b, html = fronts["2025-09-22"]
    status = b.table("commune_status").query("report_date == '2025-09-22'")
    lowest = status.sort_values("green_pct").iloc[0]
    below = int((status["green_pct"] < 50).sum())
    headline = b.summary["front_headline"]
    assert b.facts.short(lowest["province_code"]) in headline and f"{below} tỉnh còn dưới một nửa" in headline
    assert html.count('class="kpi"') == 4


def test_boxes_show_signed_changes_since_the_previous_report_of_the_same_kind(fronts):
    _, html = fronts["2025-06-30"]
    changes = re.findall(r'<div class="kpi-change">([^<]*)</div>', html)
    assert len(changes) == 4 and all("so với 27/6/2025" in c for c in changes)
    assert any(c.startswith("+") and "điểm %" in c for c in changes) and any(c.startswith("\u2212") for c in changes)
    _, first = fronts["2025-06-27"]
    assert first.count("chưa có báo cáo cùng loại trước đó") == 4


def test_needs_direction_names_the_provinces_below_half_green_first(fronts):
    b, html = fronts["2025-09-22"]
    actions = html[html.index("Cần chỉ đạo"):]
    status = b.table("commune_status").query("report_date == '2025-09-22' and green_pct < 50").sort_values("green_pct")
    positions = [actions.index(f'provinces/{int(c):02d}.html') for c in status["province_code"]]
    assert positions == sorted(positions)


def test_directives_still_running_are_listed_once_with_their_provinces(fronts):
    b, html = fronts["2025-06-30"]
    directives = b.table("directives").dropna(subset=["province_code"])
    for directive_id, group in directives.groupby("directive_id"):
        assert f"({len(group)} tỉnh:" in html, directive_id
    assert html.count("Chỉ đạo của Phó Thủ tướng") == directives["directive_id"].nunique()
