"""Corrections of interpretation (issue 13, parts 2 and 4): each on generated tables and on
the real reports (tables built from fixture copies in a temporary directory)."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.analysis import communes as R
from helpers.analysis import corrections as C
from helpers.analysis import uptake as U
from helpers.ingest.provinces import lookup
from helpers.ingest.schemas import TABLES
from helpers.tables import load_table

CODES = [1, 4, 8, 11, 12, 14, 15, 19, 20, 22]


@pytest.fixture(scope="module")
def real(ingested) -> dict[str, pd.DataFrame]:
    return {name: load_table(name, ingested) for name in TABLES if (ingested / f"{name}.csv").exists()}


# ---- appendix 21: non-reports, ties ---------------------------------------------------------------

def _blocs(rng: random.Random, listed: set[int]):
    rows, obstacles = [], []
    for code in CODES:
        pct = round(rng.uniform(40, 100), 2) if code in listed else rng.choice([0.0, round(rng.uniform(40, 100), 2)])
        rows.append({"report_date": "2025-09-22", "province_code": code, "bloc": "party", "pct": pct})
    for code in listed:
        obstacles.append({"report_date": "2025-09-22", "source": "Phụ lục 22", "province_code": code, "text": "x"})
    return pd.DataFrame(rows), pd.DataFrame(obstacles)


@pytest.mark.parametrize("seed", range(5))
def test_zero_of_a_province_that_did_not_report_is_a_non_report_and_not_ranked(seed):
    rng = random.Random(seed)
    listed = set(rng.sample(CODES, 6))
    blocs, obstacles = _blocs(rng, listed)
    blocs.loc[blocs["province_code"] == sorted(listed)[0], "pct"] = 0.0  # a real 0% of a reporting province
    out = C.bloc_completion_reported(blocs, obstacles)
    absent_zero = (out["pct"] == 0) & ~out["province_code"].isin(listed)
    assert (~out.loc[absent_zero, "reported"]).all() and (out.loc[absent_zero, "status_vi"] == "chưa báo cáo").all()
    assert out.loc[out["province_code"] == sorted(listed)[0], "reported"].item()
    lowest = C.lowest_bloc_completion(blocs, obstacles, "party", n=3)
    assert not set(lowest["province_code"]) & set(out.loc[absent_zero, "province_code"])


def test_real_appendix_21_zeros_are_non_reports(real):
    out = C.bloc_completion_reported(real["bloc_completion"], real["obstacles"])
    zeros = out[out["pct"] == 0]
    assert len(zeros) > 0 and (~zeros["reported"]).all()
    # appendix titles: 27, 30, 4 and 28 of 34 provinces reported obstacles
    for bloc, source, n in (("party", "Phụ lục 22", 27), ("council", "Phụ lục 23", 30), ("committee", "Phụ lục 24", 4), ("front", "Phụ lục 25", 28)):
        assert real["obstacles"].loc[real["obstacles"]["source"] == source, "province_code"].nunique() == n
    for bloc in ("party", "council", "committee", "front"):
        lowest = set(C.lowest_bloc_completion(real["bloc_completion"], real["obstacles"], bloc)["province_code"])
        assert not lowest & set(zeros.loc[zeros["bloc"] == bloc, "province_code"])  # e.g. Nghệ An, 0% as a non-report
    assert lookup("Nghệ An") in set(zeros["province_code"])


@pytest.mark.parametrize("seed", range(5))
def test_ties_with_the_last_place_are_kept(seed):
    rng = np.random.default_rng(seed)
    values = rng.choice([10.0, 20.0, 30.0], size=12)
    frame = pd.DataFrame({"province_code": range(12), "v": values})
    top = C.rank_with_ties(frame, "v", 4)
    cutoff = np.sort(values)[3]
    assert len(top) == int((values <= cutoff).sum()) >= 4
    assert top["rank"].is_monotonic_increasing and top["rank"].iloc[0] == 1


def test_real_ranking_keeps_provinces_tied_at_the_cut(real):
    readiness = R.readiness_table(real["commune_status"][real["commune_status"]["report_date"] == "2025-09-22"],
                                  real["commune_readiness"][real["commune_readiness"]["report_date"] == "2025-09-22"])
    top = C.rank_with_ties(readiness, "green_pct", 10, ascending=False)
    tenth = readiness["green_pct"].sort_values(ascending=False).iloc[9]
    assert set(top["province_code"]) == set(readiness.loc[readiness["green_pct"] >= tenth, "province_code"])


# ---- deadlines 'trước ngày X' ------------------------------------------------------------------

def _tasks(deadline: str, before: bool, done_codes: list[int], report_date: str):
    progress = pd.DataFrame([{"report_date": report_date, "section": "I", "task_id": "I.1", "task": "t", "deadline": deadline,
                              "done_count": len(done_codes), "total": len(CODES), "change_vs_previous_day": pd.NA, "previous_day_done_count": pd.NA}])
    status = pd.DataFrame([{"report_date": report_date, "task_id": "I.1", "province_code": c, "done": c in done_codes} for c in CODES])
    last = (pd.Timestamp(deadline) - pd.Timedelta(days=1 if before else 0)).date().isoformat()
    terms = pd.DataFrame([{"report_date": report_date, "file": "f", "line": 1, "context": "I.1", "deadline": deadline, "last_day": last, "before": before, "text": "x"}])
    return progress, status, terms


@pytest.mark.parametrize("before", [True, False])
@pytest.mark.parametrize("offset", [-1, 0, 1])
def test_before_day_x_is_overdue_on_day_x(before, offset):
    deadline = "2025-06-30"
    report_date = (pd.Timestamp(deadline) + pd.Timedelta(days=offset)).date().isoformat()
    progress, status, terms = _tasks(deadline, before, CODES[2:], report_date)
    overdue = C.overdue_as_stated(progress, status, terms, report_date)
    last_day = pd.Timestamp(deadline) - pd.Timedelta(days=1 if before else 0)
    expected = pd.Timestamp(report_date) > last_day
    assert (len(overdue) == 2) == expected and (len(overdue) == 0) == (not expected)
    today = C.overdue_as_stated(progress, status, terms, report_date, include_due_today=True)
    assert (len(today) == 2) == (pd.Timestamp(report_date) >= last_day)


def test_real_deadlines_as_the_reports_state_them(real):
    overdue = C.overdue_as_stated(real["task_progress"], real["task_status"], real["deadline_terms"], "2025-06-30")
    assert set(overdue.loc[overdue["task_id"] == "III.2.e", "province_code"]) == {lookup("Quảng Trị"), lookup("Tuyên Quang")}
    due = C.overdue_as_stated(real["task_progress"], real["task_status"], real["deadline_terms"], "2025-06-27", include_due_today=True)
    assert {"I.1", "I.4"} <= set(due["task_id"])


# ---- all open then all done -------------------------------------------------------------------

@pytest.mark.parametrize("seed", range(5))
def test_all_open_then_all_done_is_recognised(seed):
    rng = random.Random(seed)
    silent = set(rng.sample(CODES, 2))
    rows = []
    for day, done_of in (("2025-06-27", lambda c, t: c not in silent and rng.random() > 0.3), ("2025-06-30", lambda c, t: True)):
        for task in ("I.1", "I.2", "I.3"):
            rows += [{"report_date": day, "task_id": task, "province_code": c, "done": bool(done_of(c, task))} for c in CODES]
    status = pd.DataFrame(rows)
    found = C.all_open_then_all_done(status)
    assert silent <= set(found["province_code"])
    first = status[status["report_date"] == "2025-06-27"].groupby("province_code")["done"].sum()
    assert set(found["province_code"]) == set(first[first == 0].index)


def test_real_all_open_then_all_done(real):
    found = set(C.all_open_then_all_done(real["task_status"])["province_code"])
    assert found == {lookup("Sơn La"), lookup("Tây Ninh"), lookup("Cà Mau")}


# ---- small counts ------------------------------------------------------------------------------

def test_rates_from_few_cases_are_not_ranked(real):
    frame = pd.DataFrame({"province_code": [1, 2, 3], "rate": [100.0, 50.0, 70.0], "total": [15, 500, 30]})
    out = C.rates_with_counts(frame, "rate", "total")
    assert out["rate_ranked"].isna().tolist() == [True, False, False]
    d = real["dossiers"]
    day = d[(d["period_start"] == "2025-09-21") & (d["period_end"] == "2025-09-21") & (d["scope"] == "all")]
    small = C.rates_with_counts(day, "online_rate_pct", "total")
    son_la = small[small["province_code"] == lookup("Sơn La")].iloc[0]
    assert son_la["total"] == 15 and not son_la["enough_cases"]


# ---- Spearman with a bootstrap interval ---------------------------------------------------------

@pytest.mark.parametrize("strength, words", [(0.0, "rất yếu"), (0.9, "chặt")])
def test_bootstrap_interval_contains_rho_and_words_follow_it(strength, words):
    rng = np.random.default_rng(1)
    x = rng.normal(size=60)
    y = strength * x + np.sqrt(1 - strength**2) * rng.normal(size=60)
    corr = C.spearman_bootstrap(x, y, n_boot=500, seed=3)
    assert corr.low <= corr.rho <= corr.high
    text = C.association_vi(corr)
    assert words in text or (strength == 0.0 and "chưa chắc chắn" in text)
    assert C.spearman_bootstrap(x, y, n_boot=500, seed=3) == corr  # fixed seed: same interval


# ---- ready but low: thresholds ±5 and borderline --------------------------------------------------

def _readiness_uptake(real):
    date = "2025-09-22"
    readiness = R.readiness_table(real["commune_status"][real["commune_status"]["report_date"] == date],
                                  real["commune_readiness"][real["commune_readiness"]["report_date"] == date])
    rates = U.online_rates(real["dossiers"][real["dossiers"]["report_date"] == date])
    uptake = rates.for_scope("all")
    national = float(rates.national.set_index("scope").loc["all", "online_rate_pct"])
    return readiness.merge(uptake[["province_code", "online_rate_pct"]], on="province_code"), national


def test_threshold_sensitivity_on_generated_provinces():
    table = pd.DataFrame({"province_code": [1, 2, 3], "readiness_index": [85.0, 82.0, 95.0], "green_pct": [95.0, 91.0, 99.0], "online_rate_pct": [60.0, 78.0, 99.0]})
    thresholds = {"readiness_min": 80.0, "green_pct_min": 90.0, "online_rate_min": 80.0}
    moves = C.threshold_sensitivity(table, thresholds).set_index(["threshold", "shift"])
    assert moves.loc[("readiness_min", 5.0), "removed"] == [2]
    assert moves.loc[("green_pct_min", 5.0), "removed"] == [2]
    assert moves.loc[("online_rate_min", -5.0), "flagged"] == [1]
    border = C.borderline_provinces(table, thresholds, margin=2.5)
    assert set(border["province_code"]) == {2} and set(border["threshold"]) == {"readiness_min", "green_pct_min", "online_rate_min"}
    assert border.set_index("threshold")["distance"].to_dict() == {"readiness_min": 2.0, "green_pct_min": 1.0, "online_rate_min": -2.0}


def test_real_borderline_on_the_green_threshold(real):
    table, national = _readiness_uptake(real)
    thresholds = {"readiness_min": 80.0, "green_pct_min": 90.0, "online_rate_min": national}
    border = C.borderline_provinces(table, thresholds, margin=1.0)
    khanh_hoa = border[(border["province_code"] == lookup("Khánh Hòa")) & (border["threshold"] == "green_pct_min")]
    assert len(khanh_hoa) == 1 and 0 < khanh_hoa["distance"].item() <= 1.0
    assert len(C.threshold_sensitivity(table, thresholds)) == 6


def test_necessary_condition_has_counterexamples_in_the_data(real):
    table, national = _readiness_uptake(real)
    ranked = table.sort_values("readiness_index")
    condition = table["readiness_index"] >= table["readiness_index"].median()
    outcome = table["online_rate_pct"] >= national
    counter = C.necessary_condition_counterexamples(table, condition, outcome)
    assert len(counter) > 0  # "hạ tầng đầy đủ là điều kiện cần" does not hold
    assert lookup("Lai Châu") in set(ranked["province_code"].head(2))


def test_finding_counts_separate_notes():
    dq = pd.DataFrame({"severity": ["info", "warning", "error", "info"]})
    assert C.finding_counts(dq) == {"contradictions": 2, "notes": 2}
