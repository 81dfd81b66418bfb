"""Trends across reports (helpers.analysis.trends).

Hand-checked values: the June reports as transcribed in ``analysis_tables.hand_tables``,
and appendix 4 plus the body of data/raw/plan02_report_2025-09-22.txt ("22/9"),
transcribed below with their lines. Parsed tables are checked too once the parsers exist.
"""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest
from analysis_tables import hand_tables, real_tables

from helpers.analysis.trends import (
    changes_since,
    earlier_laggards_now,
    green_day_on_day,
    open_tasks_trend,
    task_trend,
    reopened_tasks,
)

# 22/9 appendix 4 (lines 857-923): code -> (communes, GREEN, GREEN %, TĂNG/GIẢM %). Only the
# rows that are not 100% GREEN with 0% change are listed; the other 21 provinces are 100% green.
APPENDIX_4 = {
    4: (56, 6, 10.71, 0.0),  # 1 Cao Bằng 56 6 32 18 56 100% 10,71% 0%
    11: (45, 13, 28.89, 0.0),
    12: (38, 11, 28.95, 0.0),
    92: (103, 33, 32.04, 0.0),
    82: (102, 41, 40.20, 0.0),
    86: (124, 55, 44.35, 0.80),  # 6 Vĩnh Long ... 44,35% 0,80%
    68: (124, 64, 51.61, 0.0),
    31: (114, 67, 58.77, 0.0),
    51: (96, 58, 60.42, 1.04),  # 9 Quảng Ngãi ... 60,42% 1,04%
    19: (92, 66, 71.74, -1.09),  # 10 Thái Nguyên ... 71,74% -1,09%
    42: (69, 60, 86.96, 7.25),  # 11 Hà Tĩnh ... 86,96% 7,25%
    56: (65, 59, 90.77, 0.0),
    91: (102, 97, 95.10, 0.0),
}
FULL_GREEN = {37: 129, 66: 102, 24: 99, 96: 64, 80: 96, 8: 124, 52: 135, 38: 166, 48: 94, 40: 130, 79: 168, 1: 126, 46: 40, 15: 99, 14: 75, 44: 78, 75: 95, 20: 65, 25: 148, 33: 104, 22: 54}


def hand_commune_status() -> pd.DataFrame:
    rows = []
    for code, (communes, green, pct, change) in {**APPENDIX_4, **{c: (n, n, 100.0, 0.0) for c, n in FULL_GREEN.items()}}.items():
        rows.append(
            {"report_date": "2025-09-22", "province_code": code, "communes": communes, "green": green, "yellow": 0, "red": 0,
             "reported": communes, "reported_pct": 100.0, "green_pct": pct, "green_pct_change": change}
        )
    return pd.DataFrame(rows).sort_values("province_code").reset_index(drop=True)


# 22/9 body, lines 301-306: '2.821/3.321 xã, phường (tương đương 84,94%) ... (ngày 21/9/2025 có 2.815 xã, phường'
HAND_FIGURES = pd.DataFrame(
    [
        {"report_date": "2025-09-22", "figure_id": "communes_all_basic_conditions", "value": 2821.0, "unit": "communes", "as_of_date": "2025-09-22"},
        {"report_date": "2025-09-22", "figure_id": "communes_all_basic_conditions", "value": 2815.0, "unit": "communes", "as_of_date": "2025-09-21"},
        {"report_date": "2025-09-22", "figure_id": "something_else", "value": 1.0, "unit": "x", "as_of_date": "2025-09-22"},
    ]
).assign(province_code=pd.Series([None, None, None], dtype="Int64"))


@pytest.fixture(params=["hand", "parsed"])
def june(request):
    return hand_tables() if request.param == "hand" else real_tables(request)


@pytest.fixture(params=["hand", "parsed"])
def september(request):
    if request.param == "hand":
        return {"commune_status": hand_commune_status(), "report_figures": HAND_FIGURES}
    return real_tables(request, ("commune_status", "report_figures"))


# ---------------------------------------------------------------- June


def test_task_trend(june):
    trend = task_trend(june["task_progress"])
    assert sorted(trend["date"].unique()) == ["2025-06-26", "2025-06-27", "2025-06-30"]
    assert len(trend) == 26 * 3
    i1 = trend[trend["task_id"] == "I.1"]
    # 27/6 line 25: 29/34 'tăng 04' -> 25 on 26/6 (reconstructed); 30/6 line 27: all 34 done.
    assert i1["done_count"].tolist() == [25, 29, 34]
    assert i1["reconstructed"].tolist() == [True, False, False]
    sso = trend[trend["task_id"] == "III.2.e"]
    assert sso["done_count"].tolist() == [19, 19, 32]  # 'không tăng' (line 549); 30/6 line 125: 32/34
    assert trend["task_id"].iloc[0] == "I.1" and trend["task_id"].iloc[-1] == "IV.2"


def test_open_tasks_trend_and_reopened(june):
    trend = open_tasks_trend(june["task_status"]).set_index(["province_code", "report_date"])
    assert trend.loc[(14, "2025-06-27"), "open_tasks"] == 26 and trend.loc[(14, "2025-06-30"), "change"] == -26
    assert trend.loc[(8, "2025-06-27"), "open_tasks"] == 5 and trend.loc[(8, "2025-06-30"), "open_tasks"] == 1
    assert pd.isna(trend.loc[(8, "2025-06-27"), "change"])
    # Tuyên Quang (8) is not in the 27/6 SSO list (lines 551-553) but is in the 30/6 one (line 127).
    reopened = reopened_tasks(june["task_status"])
    assert reopened.values.tolist() == [["III.2.e", 8, "2025-06-27", "2025-06-30"]]


# ---------------------------------------------------------------- September


def test_green_day_on_day(september):
    dod = green_day_on_day(september["commune_status"], september.get("report_figures"))
    assert (dod.report_date, dod.previous_date) == ("2025-09-22", "2025-09-21")
    # appendix 4: Hà Tĩnh +7,25%, Quảng Ngãi +1,04%, Vĩnh Long +0,80%, Thái Nguyên -1,09%; all others 0%.
    assert dod.moved["province_code"].tolist() == [42, 51, 86, 19]
    assert dod.moved["green_change"].tolist() == [5, 1, 1, -1]
    # GREEN communes sum to 2,821 (the body's figure, line 301); 6 more than the 2,815 of 21/9 (line 305).
    assert (dod.green_total, dod.green_total_previous, dod.green_change) == (2821, 2815, 6)
    body = dod.body_series
    assert body["date"].tolist() == ["2025-09-21", "2025-09-22"]
    assert body["value"].tolist() == [2815.0, 2821.0] and body["change"].iloc[-1] == 6.0


def test_june_laggards_on_22_september(june, september):
    result = earlier_laggards_now(june["task_status"], september["commune_status"])
    assert (result.earlier_date, result.later_date, result.n) == ("2025-06-27", "2025-09-22", 34)
    # Top 10 of 27/6 with ties: 26,26,26,17,12,11,10,10,9 then four provinces at 8 -> 13 provinces.
    assert result.laggards["province_code"].tolist() == [14, 80, 96, 4, 24, 37, 56, 92, 20, 1, 31, 48, 82]
    lag = result.laggards.set_index("province_code")
    assert lag.loc[4, "green_pct"] == 10.71 and lag.loc[4, "green_rank_from_lowest"] == 1  # Cao Bằng, lowest green
    assert lag.loc[14, "green_pct"] == 100.0 and lag.loc[14, "green_rank_from_lowest"] == 14  # 21 tied at 100%
    assert result.tied_at_top_green == 21
    # Spearman over 34 provinces (computed from the hand tallies with scipy): rho 0.021, p 0.908.
    assert result.spearman_rho == pytest.approx(0.0207, abs=5e-4)
    assert result.p_value == pytest.approx(0.9075, abs=5e-4)
    assert not result.significant
    from helpers.report.wording import laggards_correlation, laggards_selection

    words = laggards_correlation(result)
    assert "không có bằng chứng" in words and "của 34 tỉnh có liên hệ rất yếu, cùng chiều" in words
    assert not re.search(r"ρ|\bp\s*[=<]|Spearman", words)  # the figures are for analysts (laggards_statistics)
    from helpers.analysis.trends import laggards_statistics

    figures = laggards_statistics(result).set_index("statistic")["value"]
    assert figures["Spearman ρ"] == result.spearman_rho and figures["p (two-sided, ρ = 0)"] == result.p_value
    assert figures["ρ bootstrap 95% interval, low"] < result.spearman_rho < figures["ρ bootstrap 95% interval, high"]
    assert laggards_selection(result).startswith("10 tỉnh")


# ---------------------------------------------------------------- synthetic


def _status(rows):
    return pd.DataFrame(rows, columns=["report_date", "task_id", "province_code", "done"])


def _communes(rows):
    frame = pd.DataFrame(rows, columns=["province_code", "communes", "green", "green_pct", "green_pct_change"])
    return frame.assign(report_date="2025-09-22")


def test_synthetic_trend_gaps_and_no_reconstruction_without_changes():
    tp = pd.DataFrame(
        [
            ("2025-01-02", "I- x", "I.1", "old", None, 3, 5, 1),
            ("2025-01-02", "I- x", "I.2", "old", None, 2, 5, None),
            ("2025-01-05", "I- y", "I.1", "new", None, 5, 5, None),
            ("2025-01-05", "II- z", "II.1", "new", None, 4, 5, None),
        ],
        columns=["report_date", "section", "task_id", "task", "deadline", "done_count", "total", "change_vs_previous_day"],
    ).astype({"change_vs_previous_day": "Int64"})
    trend = task_trend(tp)
    assert sorted(trend["date"].unique()) == ["2025-01-01", "2025-01-02", "2025-01-05"]  # no 01-04: nothing stated
    wide = trend.pivot(index="task_id", columns="date", values="done_count")
    assert wide.loc["I.1"].tolist() == [2, 3, 5]
    assert pd.isna(wide.loc["I.2", "2025-01-01"]) and pd.isna(wide.loc["I.2", "2025-01-05"])
    assert pd.isna(wide.loc["II.1", "2025-01-02"]) and wide.loc["II.1", "2025-01-05"] == 4
    assert trend.set_index("task_id").loc["I.1", "task"].unique().tolist() == ["new"]  # latest title


def test_synthetic_reopened_needs_done_then_not_done():
    ts = _status(
        [
            ("2025-01-01", "A.1", 1, True), ("2025-01-02", "A.1", 1, False),
            ("2025-01-01", "A.1", 2, False), ("2025-01-02", "A.1", 2, True),
            ("2025-01-01", "A.1", 3, False), ("2025-01-02", "A.1", 3, False),
        ]
    )
    assert reopened_tasks(ts).values.tolist() == [["A.1", 1, "2025-01-01", "2025-01-02"]]
    assert reopened_tasks(ts[ts["report_date"] == "2025-01-01"]).empty


def test_synthetic_day_on_day_rounding_and_order():
    cs = _communes([(10, 3, 2, 66.67, 33.34), (20, 200, 100, 50.0, -0.5), (30, 7, 7, 100.0, 0.0)])
    dod = green_day_on_day(cs)
    assert dod.moved["province_code"].tolist() == [10, 20]
    assert dod.moved["green_previous"].tolist() == [1, 101]  # 33,33% of 3 = 1; 50,5% of 200 = 101
    assert dod.green_change == 0 and dod.body_series.empty
    figures = pd.DataFrame(
        {"report_date": ["2025-09-22"] * 3, "figure_id": ["f"] * 3, "province_code": pd.Series([None, 10, None], dtype="Int64"),
         "value": [5.0, 99.0, 3.0], "as_of_date": ["2025-09-22", "2025-09-22", "2025-09-20"]}
    )
    body = green_day_on_day(cs, figures, figure_id="f").body_series
    assert body.values.tolist()[1] == ["2025-09-22", 5.0, 2.0]  # the province row is left out


def test_synthetic_laggards_selection_and_sign():
    # four provinces, A.1..A.4; province p has p-1 open tasks; green falls with open tasks -> rho = -1.
    rows = [("2025-06-27", f"A.{t}", p, t >= p) for p in (1, 2, 3, 4) for t in (1, 2, 3, 4)]
    ts = _status(rows)
    cs = _communes([(1, 10, 10, 100.0, 0.0), (2, 10, 8, 80.0, 0.0), (3, 10, 5, 50.0, 0.0), (4, 10, 1, 10.0, 0.0)])
    readiness = pd.DataFrame({"province_code": [1, 2, 3, 4], "readiness_index": [90.0, 70.0, 50.0, 30.0]})
    online = pd.Series([1.0, 2.0, 3.0, 4.0], index=[1, 2, 3, 4])
    result = earlier_laggards_now(ts, cs, readiness_index=readiness, online_rates=online, top_n=2)
    assert result.laggards["province_code"].tolist() == [4, 3]
    assert result.laggards["readiness_index"].tolist() == [30.0, 50.0]
    assert result.laggards["online_rate_pct"].tolist() == [4.0, 3.0]
    assert result.laggards["green_rank_from_lowest"].tolist() == [1, 2]
    assert result.spearman_rho == pytest.approx(-1.0)
    assert earlier_laggards_now(ts, cs, min_open=1).laggards["province_code"].tolist() == [4, 3, 2]


def test_changes_since():
    before = {"tasks_complete_pct": 70.5, "open_pairs": 261, "only_before": 1, "label": "a"}
    after = {"open_pairs": 2, "tasks_complete_pct": 99.8, "label": "b", "missing": None, "only_after": 3}
    out = changes_since(before, after)
    assert out["name"].tolist() == ["open_pairs", "tasks_complete_pct", "label"]
    assert out["change"].iloc[0] == -259 and out["change"].iloc[1] == pytest.approx(29.3)
    assert math.isnan(out["change"].iloc[2])
    assert changes_since({}, after).empty
