"""helpers.analysis.ready_but_low: the ready-but-low quadrant, the OLS residuals and Spearman's rho."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis_tables import real_table
from helpers.ingest.provinces import registry
from helpers.analysis import ready_but_low as B

CODES = [p.code for p in registry()]
ODD = 30  # position of the unusual province in the synthetic table


def _synthetic():
    """34 provinces where uptake rises with readiness, except one well-equipped province with the lowest rate."""
    readiness = [60 + i * 40 / 33 for i in range(34)]
    online = [20 + 0.7 * r + (i % 3 - 1) for i, r in enumerate(readiness)]
    online[ODD] = 15.0
    ready = pd.DataFrame({"province_code": CODES, "readiness_index": readiness, "green_pct": readiness})
    uptake = pd.DataFrame({"province_code": CODES, "online_rate_pct": online})
    # shuffle the rows: the result must not depend on input order
    return ready.iloc[::-1].reset_index(drop=True), uptake.sample(frac=1, random_state=1).reset_index(drop=True)


def test_the_unusual_province_alone_is_flagged():
    ready, uptake = _synthetic()
    res = B.flag_ready_but_low(ready, uptake, readiness_min=80, green_pct_min=90, online_rate_min=70)
    assert res.flagged == (CODES[ODD],)
    table = res.table.set_index("province_code")
    assert table.loc[CODES[ODD], "quadrant"] == "ready_low"
    assert table.loc[CODES[ODD], "residual_rank"] == 1
    assert table.loc[CODES[ODD], "residual_pts"] < 0
    # all four quadrants occur (online < 70 up to readiness ≈ 71; ready from readiness 90); labels are Vietnamese
    counts = table["quadrant"].value_counts().to_dict()
    assert counts == {"ready_high": 8, "not_ready_low": 10, "not_ready_high": 15, "ready_low": 1}
    from helpers.report.wording import QUADRANT_LABELS_VI

    assert set(QUADRANT_LABELS_VI) == set(B.QUADRANTS)
    assert (res.n, res.readiness_min, res.green_pct_min, res.online_rate_min) == (34, 80.0, 90.0, 70.0)


def test_fit_and_rank_correlation_are_those_of_scipy():
    ready, uptake = _synthetic()
    res = B.flag_ready_but_low(ready, uptake, 80, 90, 70)
    merged = ready.merge(uptake).sort_values("province_code")
    fit = stats.linregress(merged["readiness_index"], merged["online_rate_pct"])
    rho, p = stats.spearmanr(merged["readiness_index"], merged["online_rate_pct"])
    assert (res.slope, res.intercept, res.rho, res.p_value) == pytest.approx((fit.slope, fit.intercept, rho, p))
    assert res.r_squared == pytest.approx(fit.rvalue**2)
    t = res.table
    assert np.allclose(t["residual_pts"], t["online_rate_pct"] - (fit.intercept + fit.slope * t["readiness_index"]))
    assert t["residual_pts"].sum() == pytest.approx(0, abs=1e-9)
    assert list(t["residual_rank"]) == list(range(1, 35))
    assert t["residual_pts"].is_monotonic_increasing


def test_lowering_thresholds_changes_the_flag_set_as_expected():
    ready, uptake = _synthetic()
    merged = ready.merge(uptake)
    # a higher uptake bar: every ready province below 84% joins the unusual one
    res = B.flag_ready_but_low(ready, uptake, 80, 90, 84)
    expected = merged[(merged.readiness_index >= 80) & (merged.green_pct >= 90) & (merged.online_rate_pct < 84)]
    assert set(res.flagged) == set(expected["province_code"]) and len(res.flagged) > 1
    # lower readiness and GREEN bars: the poorly equipped low-uptake provinces become "ready but low" too
    res = B.flag_ready_but_low(ready, uptake, 60, 0, 70)
    expected = merged[merged.online_rate_pct < 70]
    assert set(res.flagged) == set(expected["province_code"]) and len(res.flagged) == 11
    # flagged provinces come most-below-the-fit first
    residuals = res.table.set_index("province_code").loc[list(res.flagged), "residual_pts"]
    assert residuals.is_monotonic_increasing
    assert res.flagged[0] == CODES[ODD]


def test_green_share_is_part_of_the_rule():
    ready, uptake = _synthetic()
    ready.loc[ready["province_code"] == CODES[ODD], "green_pct"] = 89.9
    res = B.flag_ready_but_low(ready, uptake, 80, 90, 70)
    assert res.flagged == ()
    assert res.table.set_index("province_code").loc[CODES[ODD], "quadrant"] == "not_ready_low"


def test_tables_covering_different_provinces_are_refused():
    ready, uptake = _synthetic()
    with pytest.raises(ValueError, match="different provinces"):
        B.flag_ready_but_low(ready, uptake.iloc[1:], 80, 90, 70)
    with pytest.raises(ValueError, match="more than one row"):
        B.flag_ready_but_low(ready, pd.concat([uptake, uptake.iloc[:1]]), 80, 90, 70)


def test_describe_method_states_the_thresholds():
    ready, uptake = _synthetic()
    from helpers.report.wording import describe_method

    res = B.flag_ready_but_low(ready, uptake, 80, 90, 77.06)
    text = describe_method(res)
    assert "≥ 80" in text and "≥ 90%" in text and "thấp hơn 77,06%" in text and "cả 34 tỉnh" in text
    # plain words for leaders: the fit's statistics are in fit_statistics (analyst cells), not here
    assert not re.search(r"R²|ρ|\bp\s*=|Spearman|hồi quy", text)
    slope = f"{abs(res.slope):.2f}".replace(".", ",")
    assert f"dự báo {'cao' if res.slope >= 0 else 'thấp'} hơn {slope} điểm %" in text


def test_fit_statistics_carry_the_fit_and_a_bootstrap_interval_around_rho():
    ready, uptake = _synthetic()
    res = B.flag_ready_but_low(ready, uptake, 80, 90, 77.06)
    stats_ = B.fit_statistics(res).set_index("statistic")["value"]
    assert stats_["R² of the OLS fit"] == res.r_squared and stats_["Spearman ρ"] == res.rho
    assert stats_["p (two-sided, ρ = 0)"] == res.p_value and stats_["n (provinces)"] == 34
    low, high = stats_["ρ bootstrap 95% interval, low"], stats_["ρ bootstrap 95% interval, high"]
    assert -1 <= low < res.rho < high <= 1


# ---------------------------------------------------------------- the real 22/9 report


def test_real_ready_but_low_provinces(request):
    from helpers.analysis.communes import commune_coverage, infrastructure_readiness_index
    from helpers.analysis.uptake import online_rates

    coverage = commune_coverage(real_table(request, "commune_status"))
    index = infrastructure_readiness_index(real_table(request, "commune_readiness"))
    ready = index.merge(coverage.by_province[["province_code", "green_pct"]], on="province_code")
    rates = online_rates(real_table(request, "dossiers"))
    national = rates.national_rate("all")
    assert round(national, 2) == 77.06  # appendix 8 table III, line 2452
    res = B.flag_ready_but_low(ready, rates.for_scope("all"), readiness_min=80, green_pct_min=90, online_rate_min=national)
    # Checked by hand. Below 77,06% in total (table III): Lạng Sơn 34,50 (line 2450), Sơn La 45,04
    # (2449), Khánh Hòa 57,84 (2447), Hồ Chí Minh 59,89 (2446), Vĩnh Long 62,95, Đồng Tháp 63,73,
    # Quảng Ngãi 66,80, Tây Ninh 67,70 (2442), Cần Thơ 68,79, Quảng Trị 69,55 (2440), Hải Phòng
    # 71,45, Điện Biên 73,55, Đắk Lắk 73,71 (2437), Cao Bằng 49,76. Of these, GREEN ≥ 90% in
    # appendix 4 only: Lạng Sơn, Sơn La, Hồ Chí Minh, Tây Ninh, Quảng Trị, Đắk Lắk (100%) and
    # Khánh Hòa (90,77%, line 884); all have index ≥ 80 (100, Khánh Hòa (1100 − 7,69 − 9,23 −
    # 1,54)/11 = 98,32 from line 1173). Lạng Sơn, the lowest, is the one the body names
    # (line 288: "khoảng 34,5%, thấp nhất"; lines 130–132: "cơ sở hạ tầng tốt nhưng ... rất thấp").
    assert res.flagged == (20, 14, 56, 79, 80, 44, 66)
    table = res.table.set_index("province_code")
    assert table.loc[56, "readiness_index"] == pytest.approx(1081.54 / 11)
    assert table.loc[20, "residual_rank"] == 1
    assert set(table.loc[[4, 86, 82, 51, 92, 31, 11], "quadrant"]) == {"not_ready_low"}
    assert res.n == 34 and res.slope > 0
    # computed by scipy on the hand-checked inputs above (weak positive association)
    assert res.rho == pytest.approx(0.3437, abs=1e-4)
    assert res.p_value == pytest.approx(0.0466, abs=1e-4)


# ---------------------------------------------------------------- the vendor lens (helpers.analysis.vendors)


def test_vendor_lens_groups_and_cautions():
    from helpers.analysis.vendors import vendor_lens

    vendors = pd.DataFrame(
        [dict(province_code=c, system="tthc", vendor=v) for c, v in [(1, "A"), (2, "A"), (4, "A"), (6, "B"), (8, "C"), (10, "C"), (11, "C")]]
        + [dict(province_code=1, system="lgsp", vendor="Z")]
    )
    readiness = pd.DataFrame({"province_code": [1, 2, 4, 6, 8, 10, 11], "readiness_index": [100, 90, 80, 50, 70, 70, 100]})
    uptake = pd.DataFrame({"province_code": [1, 2, 4, 6, 8, 10, 11], "online_rate_pct": [90, 60, 30, 40, 50, 55, 95]})
    out = vendor_lens(vendors, readiness, uptake, small_group_n=3)
    assert list(out["vendor"]) == ["A", "C", "B"]  # n 3, 3, 1; ties by name
    a = out.set_index("vendor").loc["A"]
    assert (a["n"], a["readiness_median"], a["online_rate_mean"]) == (3, 90, 60)
    assert a["province_codes"] == (1, 2, 4)
    assert list(out["small_group"]) == [False, False, True]
    assert vendor_lens(vendors, readiness, uptake, small_group_n=4)["small_group"].all()
    with pytest.raises(ValueError, match="no readiness or online rate"):
        vendor_lens(vendors, readiness.iloc[1:], uptake)


def test_real_vendor_lens(request):
    from helpers.analysis.communes import infrastructure_readiness_index
    from helpers.analysis.uptake import online_rates
    from helpers.analysis.vendors import vendor_lens

    index = infrastructure_readiness_index(real_table(request, "commune_readiness"))
    rates = online_rates(real_table(request, "dossiers")).for_scope("all")
    vendors = real_table(request, "vendors")
    out = vendor_lens(vendors, index, rates).set_index("vendor")
    # vendor summary §1.1 a): VNPT 26/34, Tân Dân 2 (Thanh Hoá, Hà Tĩnh), Mobifone 2 (Hà Nội, Thái Nguyên),
    # FPT 1 (Quảng Ninh), 3 self-developed (Bắc Ninh, Huế, Tây Ninh)
    assert out["n"].to_dict() == {"VNPT": 26, "Tự phát triển": 3, "Mobifone": 2, "Tân Dân": 2, "FPT": 1}
    assert out.loc["FPT", "online_rate_mean"] == pytest.approx(260153 / 310826 * 100)  # Quảng Ninh, appendix 8 line 2426
    assert out.loc["Mobifone", "province_codes"] == (1, 19)
    assert out["small_group"].to_dict() == {"VNPT": False, "Tự phát triển": False, "Mobifone": True, "Tân Dân": True, "FPT": True}
