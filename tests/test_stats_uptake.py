"""helpers.analysis.uptake: online rates, the day against the period, volume against June (appendix 8)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analysis_tables import real_table
from helpers.analysis import uptake as U

DATE = "2025-09-22"
DAY = "2025-09-21"
START = "2025-07-01"
PRINTED_NATIONAL = {"province": 76.34, "commune": 78.00, "all": 77.06}  # appendix 8 table III, line 2452


# ---------------------------------------------------------------- synthetic


def _row(start, end, scope, code, direct, online, june=None, printed=None):
    total = direct + online
    return dict(report_date=DATE, period_start=start, period_end=end, scope=scope, province_code=code, direct=direct,
                online=online, returned=None, total=total,
                online_rate_pct=printed if printed is not None else round(online / total * 100, 2), june_daily_avg=june)


def _dossiers():
    rows = []
    # cumulative: province 1 high at both levels, 2 low, 4 province level well above commune level
    for code, (p, c) in {1: ((10, 90), (20, 80)), 2: ((60, 40), (70, 30)), 4: ((10, 30), (50, 50))}.items():
        rows.append(_row(START, DAY, "province", code, *p))
        rows.append(_row(START, DAY, "commune", code, *c))
        rows.append(_row(START, DAY, "all", code, p[0] + c[0], p[1] + c[1]))
    # the day: table I (all dossiers, with June averages), table II at commune level
    rows += [_row(DAY, DAY, "all", 1, 0, 10, june=100), _row(DAY, DAY, "all", 2, 5, 5, june=20),
             _row(DAY, DAY, "all", 4, 1, 3, june=4)]
    rows += [_row(DAY, DAY, "commune", 1, 0, 5), _row(DAY, DAY, "commune", 2, 5, 0), _row(DAY, DAY, "commune", 4, 1, 1)]
    frame = pd.DataFrame(rows)
    frame["june_daily_avg"] = frame["june_daily_avg"].astype("Int64")
    return frame


def test_online_rates_recomputes_rates_and_ranks_within_scope():
    rates = U.online_rates(_dossiers())
    all_ = rates.for_scope("all").set_index("province_code")
    assert all_.loc[1, "online_rate_pct"] == pytest.approx(170 / 200 * 100)
    assert all_.loc[2, "online_rate_pct"] == pytest.approx(70 / 200 * 100)
    assert all_["rank"].to_dict() == {1: 1, 2: 3, 4: 2}
    nat = rates.national.set_index("scope")
    # dossier-weighted: (90 + 40 + 30) / (100 + 100 + 40), not the mean of 90%, 40%, 75%
    assert nat.loc["province", "online_rate_pct"] == pytest.approx(160 / 240 * 100)
    assert rates.national_rate("all") == pytest.approx((170 + 70 + 80) / 540 * 100)
    assert (rates.period_start, rates.period_end) == (START, DAY)
    wide = rates.wide()
    assert list(wide.columns) == ["province_code", "online_rate_pct_province", "online_rate_pct_commune",
                                  "online_rate_pct_all", "rank_province", "rank_commune", "rank_all"]


def test_online_rates_keeps_the_printed_rate_beside_the_computed_one():
    frame = _dossiers()
    frame.loc[(frame["scope"] == "all") & (frame["province_code"] == 2) & (frame["period_start"] == START), "online_rate_pct"] = 36.0
    rates = U.online_rates(frame, printed_national={"all": 64.0})
    row = rates.by_province.query("scope == 'all' and province_code == 2").iloc[0]
    assert row["online_rate_pct"] == pytest.approx(35.0)
    assert row["printed_diff_pts"] == pytest.approx(1.0)
    assert rates.national.set_index("scope").loc["all", "online_rate_pct_printed"] == 64.0


def test_ties_in_rank_are_broken_by_province_code():
    frame = pd.DataFrame([_row(START, DAY, "all", 8, 5, 5), _row(START, DAY, "all", 2, 1, 1)])
    assert U.online_rates(frame).for_scope("all").set_index("province_code")["rank"].to_dict() == {2: 1, 8: 2}


def test_day_vs_cumulative_difference_in_points():
    out = U.day_vs_cumulative(_dossiers())
    assert list(dict.fromkeys(out["day_scope"])) == ["commune", "all"]  # same scope on both sides by default
    all2 = out.query("day_scope == 'all' and province_code == 2").iloc[0]
    assert all2["cumulative_scope"] == "all"
    assert all2["day_rate_pct"] == pytest.approx(50.0)
    assert all2["cumulative_rate_pct"] == pytest.approx(35.0)
    assert all2["difference_pts"] == pytest.approx(15.0)
    comm2 = out.query("day_scope == 'commune' and province_code == 2").iloc[0]
    assert comm2["difference_pts"] == pytest.approx(0 - 30.0)
    assert len(out) == 6 and set(out["day"]) == {DAY}
    other = U.day_vs_cumulative(_dossiers(), pairs=(("all", "province"),))
    assert other.set_index("province_code").loc[2, "cumulative_rate_pct"] == pytest.approx(40.0)


def test_volume_index_and_the_weekday():
    vol = U.volume_index(_dossiers())
    by = vol.by_province.set_index("province_code")
    assert by.loc[1, "volume_index"] == pytest.approx(0.1)
    assert by.loc[4, "volume_index"] == pytest.approx(1.0)
    assert by["rank"].to_dict() == {1: 1, 2: 2, 4: 3}
    assert vol.national_index == pytest.approx(24 / 124)
    # 21/9/2025 was a Sunday
    assert dt.date(2025, 9, 21).weekday() == 6
    assert (vol.weekday, vol.is_weekend, vol.day) == (6, True, DAY)  # a Sunday


def test_level_gaps_sign_and_order():
    gaps = U.level_gaps(_dossiers())
    assert list(gaps["province_code"]) == [4, 1, 2]
    assert gaps.set_index("province_code").loc[4, "gap_pts"] == pytest.approx(75.0 - 50.0)
    assert gaps.set_index("province_code").loc[1, "gap_pts"] == pytest.approx(10.0)


def test_several_cumulative_periods_are_refused():
    frame = pd.concat([_dossiers(), pd.DataFrame([_row("2025-08-01", DAY, "all", 1, 1, 1)])])
    with pytest.raises(ValueError, match="several cumulative periods"):
        U.online_rates(frame)


# ---------------------------------------------------------------- the real 22/9 report


def test_real_online_rates(request):
    rates = U.online_rates(real_table(request, "dossiers"), PRINTED_NATIONAL)
    assert (rates.period_start, rates.period_end) == (START, DAY)
    by = rates.by_province.set_index(["scope", "province_code"])
    # line 2450, Lạng Sơn: 32.493/86.720 = 37,47%; 21.332/69.306 = 30,78%; 53.825/156.026 = 34,50%
    assert round(by.loc[("province", 20), "online_rate_pct"], 2) == 37.47
    assert round(by.loc[("commune", 20), "online_rate_pct"], 2) == 30.78
    assert round(by.loc[("all", 20), "online_rate_pct"], 2) == 34.50
    # body line 288: Lạng Sơn "khoảng 34,5%, thấp nhất trong tất cả 34 tỉnh"
    assert by.loc[("all", 20), "rank"] == 34
    # line 2417: Bắc Ninh 96,26% is the highest
    assert by.loc[("all", 24), "rank"] == 1
    assert (rates.by_province["printed_diff_pts"].abs() < 0.006).all()
    nat = rates.national.set_index("scope")
    # line 2452 (Tổng): 18.072.849 dossiers, 13.927.389 online; 76,34% / 78% / 77,06%
    assert nat.loc["all", "total"] == 18_072_849
    assert nat.loc["all", "online"] == 13_927_389
    assert (nat["provinces"] == 34).all()
    for scope, printed in PRINTED_NATIONAL.items():
        assert round(nat.loc[scope, "online_rate_pct"], 2) == printed


def test_real_volume_index(request):
    vol = U.volume_index(real_table(request, "dossiers"))
    by = vol.by_province.set_index("province_code")
    # line 2254: Hồ Chí Minh 1.889 dossiers on 21/9 against 17.133 a day in June -> 0,11
    assert round(by.loc[79, "volume_index"], 2) == 0.11
    # line 2322 (Tổng): 14.698 against 93.205
    assert (vol.day_total, vol.june_daily_avg) == (14_698, 93_205)
    assert vol.is_weekend and vol.weekday == 6
    assert len(by) == 34


def test_real_day_vs_cumulative_and_level_gaps(request):
    dossiers = real_table(request, "dossiers")
    out = U.day_vs_cumulative(dossiers).set_index(["day_scope", "province_code"])
    # Lạng Sơn: table I line 2314, 34/56 = 60,71% on the day; line 2450, 53.825/156.026 = 34,50% in total since 1/7
    assert round(out.loc[("all", 20), "day_rate_pct"], 2) == 60.71
    assert out.loc[("all", 20), "difference_pts"] == pytest.approx(34 / 56 * 100 - 53825 / 156026 * 100)
    # line 2399: 21/42 = 50% at commune level on the day, against 30,78%
    assert out.loc[("commune", 20), "difference_pts"] == pytest.approx(50 - 21332 / 69306 * 100)
    gaps = U.level_gaps(dossiers).set_index("province_code")
    # line 2450: Lạng Sơn 37,47% − 30,78% = +6,69 points, the largest; line 2445: Vĩnh Long 58,08% − 69,19%, the most negative
    assert round(gaps.loc[20, "gap_pts"], 2) == 6.69
    assert gaps.index[0] == 20 and gaps.index[-1] == 86
