"""helpers.analysis.communes: GREEN coverage (appendix 4), the readiness index (appendix 5), blocs (9–12, 21)."""

from __future__ import annotations


import pandas as pd
import pytest

from analysis_tables import real_table
from helpers.analysis import communes as R

DATE = "2025-09-22"
REPORT = "plan02_report_2025-09-22.txt"


# ---------------------------------------------------------------- synthetic


def _status(rows):
    return pd.DataFrame(
        [
            dict(report_date=DATE, province_code=c, communes=n, green=g, yellow=y, red=r, reported=n,
                 reported_pct=100.0, green_pct=round(g / n * 100, 2), green_pct_change=0.0)
            for c, n, g, y, r in rows
        ]
    )


def _readiness_long(values: dict[int, dict[str, float]]) -> pd.DataFrame:
    rows = []
    for code, overrides in values.items():
        for i in range(1, 17):
            ind = f"c{i:02d}"
            rows.append(dict(report_date=DATE, province_code=code, indicator_id=ind,
                             indicator=f"% xã đã {R._INDICATOR_TITLE_WORDS[ind]} (tiêu đề)", pct=overrides.get(ind, 100.0)))
    return pd.DataFrame(rows)


def test_commune_coverage_sums_counts_not_shares():
    cov = R.commune_coverage(_status([(4, 6, 3, 3, 0), (1, 10, 10, 0, 0), (2, 4, 1, 2, 1)]))
    assert list(cov.by_province["province_code"]) == [1, 2, 4]
    assert (cov.communes, cov.green, cov.yellow, cov.red) == (20, 14, 5, 1)
    # 14/20 = 70%, not the mean of the shares (100 + 25 + 50)/3 = 58.3%
    assert cov.green_pct == pytest.approx(70.0)
    assert cov.red_pct == pytest.approx(5.0)
    assert cov.by_province.set_index("province_code").loc[2, "green_pct"] == pytest.approx(25.0)
    assert R.provinces_green_above(cov, 50) == 1  # strictly above: 50% is not "hơn 50%"
    assert R.provinces_green_above(cov, 50, inclusive=True) == 2
    assert R.provinces_green_above(cov, 100, inclusive=True) == 1


def test_tables_mixing_report_dates_are_refused():
    frame = _status([(1, 10, 10, 0, 0), (2, 4, 1, 2, 1)])
    frame.loc[1, "report_date"] = "2025-09-21"
    with pytest.raises(ValueError, match="several report dates"):
        R.commune_coverage(frame)


def test_index_is_the_mean_of_the_chosen_indicators_only():
    long = _readiness_long({1: {"c05": 0.0}, 2: {"c01": 0.0, "c15": 0.0, "c11": 0.0}, 4: {}})
    idx = R.infrastructure_readiness_index(long).set_index("province_code")["readiness_index"]
    assert idx[1] == pytest.approx(1000 / 11)  # c05 counts, one of eleven
    assert idx[2] == pytest.approx(100.0)  # c01, c11, c15 are not infrastructure
    assert idx[4] == pytest.approx(100.0)
    assert len(R.DEFAULT_INDICATORS) == 11


def test_index_weights_are_normalised():
    long = _readiness_long({1: {"c04": 100.0, "c05": 0.0}})
    idx = R.infrastructure_readiness_index(long, indicators=("c04", "c05"), weights={"c04": 3, "c05": 1})
    assert idx["readiness_index"].iloc[0] == pytest.approx(75.0)
    with pytest.raises(ValueError, match="exactly the indicators"):
        R.infrastructure_readiness_index(long, indicators=("c04", "c05"), weights={"c04": 1})


def test_index_refuses_missing_indicators_and_misnumbered_titles():
    long = _readiness_long({1: {}, 2: {}})
    gap = long[~((long["province_code"] == 2) & (long["indicator_id"] == "c09"))]
    with pytest.raises(ValueError, match="lacks some indicators"):
        R.infrastructure_readiness_index(gap)
    swapped = long.copy()
    swapped.loc[swapped["indicator_id"] == "c04", "indicator"] = "% xã đã có máy lấy số xếp hàng tự động"
    with pytest.raises(ValueError, match="c04"):
        R.infrastructure_readiness_index(swapped)


def test_readiness_table_joins_index_and_green_share():
    table = R.readiness_table(_status([(1, 10, 10, 0, 0), (2, 4, 1, 2, 1)]), _readiness_long({1: {"c05": 0.0}, 2: {}}))
    assert list(table.columns) == ["province_code", "readiness_index", "green_pct"]
    assert table.set_index("province_code").loc[2, "green_pct"] == pytest.approx(25.0)
    with pytest.raises(ValueError, match="different provinces"):
        R.readiness_table(_status([(1, 10, 10, 0, 0)]), _readiness_long({1: {}, 2: {}}))


def test_describe_index_lists_indicators_and_weights_in_vietnamese():
    from helpers.report.wording import INDICATOR_SHORT_LABELS_VI, describe_index

    text = describe_index()
    assert "11 chỉ tiêu" in text and "bình quân không trọng số" in text
    for ind in R.DEFAULT_INDICATORS:
        assert f"{INDICATOR_SHORT_LABELS_VI[ind]} ({ind}, trọng số 9,1%)" in text
    assert "có trọng số" in describe_index(("c04", "c05"), {"c04": 3, "c05": 1})
    assert set(INDICATOR_SHORT_LABELS_VI) == {f"c{i:02d}" for i in range(1, 17)}


def test_bloc_completion_wide_and_mean():
    rows = [
        dict(report_date=DATE, province_code=c, bloc=b, pct=p)
        for c, values in {2: (100, 50, 0, 50), 1: (80, 80, 80, 80)}.items()
        for b, p in zip(R.BLOCS, values)
    ]
    wide = R.bloc_completion_wide(pd.DataFrame(rows))
    assert list(wide.columns) == ["province_code", "party", "council", "committee", "front", "mean"]
    assert list(wide["province_code"]) == [1, 2]
    assert wide.set_index("province_code").loc[2, "mean"] == pytest.approx(50.0)


def test_ten_lowest_counts_per_bloc():
    rows = []
    listings = {(9, "party", "1"): [1, 2], (9, "party", "2"): [2], (10, "council", "1"): [2, 4], (12, "front", "3"): [4]}
    for (appendix, bloc, crit), codes in listings.items():
        for rank, code in enumerate(codes, 1):
            rows.append(dict(report_date=DATE, appendix=appendix, bloc=bloc, criterion_id=crit, criterion="x",
                             rank=rank, province_code=code, pct=10.0, communes_met=None, communes_total=None))
    out = R.ten_lowest_counts(pd.DataFrame(rows))
    assert list(out["province_code"]) == [2, 4, 1]  # 3, 2, 1 listings
    assert out.set_index("province_code").loc[2, ["total", "party", "council", "committee", "front"]].tolist() == [3, 2, 1, 0, 0]
    assert out.set_index("province_code").loc[4, "front"] == 1
    assert (out["criteria"] == 4).all()


# ---------------------------------------------------------------- the real 22/9 report


def test_real_coverage_matches_the_report_body(request):
    cov = R.commune_coverage(real_table(request, "commune_status"))
    # body line 301: "2.821/3.321 xã, phường (tương đương 84,94%)" meet all basic conditions (= GREEN)
    assert (cov.communes, cov.green) == (3321, 2821)
    assert round(cov.green_pct, 2) == 84.94
    # body lines 106–118: 28 provinces GREEN above 50%, 25 above 70%, 21 at 100%
    assert R.provinces_green_above(cov, 50) == 28
    assert R.provinces_green_above(cov, 70) == 25
    assert R.provinces_green_above(cov, 100, inclusive=True) == 21
    # appendix 4 line 862: Cao Bằng 56 communes, 6 GREEN, 10,71%
    cao_bang = cov.by_province.set_index("province_code").loc[4]
    assert round(cao_bang["green_pct"], 2) == 10.71
    assert (cov.by_province["green_pct"] - cov.by_province["green_pct_printed"]).abs().max() < 0.006


def test_real_readiness_index(request):
    long = real_table(request, "commune_readiness")
    idx = R.infrastructure_readiness_index(long).set_index("province_code")["readiness_index"]
    assert len(idx) == 34
    # appendix 5 line 1143, Cao Bằng c04..c10, c12..c14, c16:
    # (100 + 12,50 + 14,29 + 91,07 + 55,36 + 92,86 + 67,86 + 66,07 + 92,86 + 96,43 + 100) / 11 = 71,75
    assert idx[4] == pytest.approx(789.30 / 11, abs=1e-9)
    # line 1367, Lai Châu: (100+31,58+31,58+92,11+68,42+84,21+76,32+94,74+97,37+100+100)/11 = 79,67
    assert idx[12] == pytest.approx(876.33 / 11, abs=1e-9)
    # line 1371: Lạng Sơn reports 100 on every indicator
    assert idx[20] == 100.0
    assert idx.idxmin() == 4


def test_real_bloc_completion(request):
    wide = R.bloc_completion_wide(real_table(request, "bloc_completion")).set_index("province_code")
    assert len(wide) == 34
    # appendix 21 line 5735: Hà Nội 57,89% 92,86% 0% 47,37%
    assert wide.loc[1, "committee"] == 0.0
    assert wide.loc[1, "mean"] == pytest.approx((57.89 + 92.86 + 0 + 47.37) / 4)
    # line 5777: Phú Thọ 100% 100% 95,45% 84,21%
    assert wide.loc[25, "mean"] == pytest.approx((100 + 100 + 95.45 + 84.21) / 4)


def test_real_ten_lowest_counts(request):
    criteria = real_table(request, "bloc_criteria")
    out = R.ten_lowest_counts(criteria).set_index("province_code")
    # Appendix 11 criterion 1 lists "Tất cả các tỉnh/thành phố" (all 34) instead of names;
    # the parser may store it as 34 rows, which adds one committee listing to every province.
    all_listed = int(criteria.groupby(["appendix", "criterion_id"]).size().max() == 34)
    # Counted by hand in appendices 9–12 (lines 2453–3412): Lạng Sơn is listed under party
    # criteria 1, 3, 5, 7, 8; council 1–6 and 8–17; front 1–17.
    assert out.loc[20, ["party", "council", "committee", "front"]].tolist() == [5, 16, 0 + all_listed, 17]
    # Lai Châu: party 5, council 13, committee 9, front 24 = 51, the most of any province
    assert out.loc[12, "total"] == 51 + all_listed
    assert out.index[0] == 12
