"""The benchmark's own logic (bench/run_bench.py): its synthetic reporting dates go
through the real parsers, and its growth check tells linear from not."""

from __future__ import annotations

import datetime as dt
import importlib.util
import random

import pytest

from helpers.tables import available_dates, load_table
from helpers.ingest.run import run_ingest

from conftest import ROOT


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("run_bench", ROOT / "bench" / "run_bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_synthetic_dates_pass_the_real_ingest_with_consistent_appendices(bench, raw_copy, tmp_path):
    text = (raw_copy / bench.SOURCE_PLAN02).read_text(encoding="utf-8")
    rng = random.Random(7)
    for i in (1, 2):
        day = bench.SOURCE_DATE + dt.timedelta(days=i)
        (raw_copy / f"plan02_report_{day.isoformat()}.txt").write_text(bench.synthetic_report(text, day, rng), encoding="utf-8")
    processed = tmp_path / "processed"
    run_ingest(force=True, raw_dir=raw_copy, processed_dir=processed)
    assert {"2025-09-22", "2025-09-23", "2025-09-24"} <= set(available_dates(processed))
    dq = load_table("data_quality", processed)
    # checks across consecutive reports compare the synthetic days with each other (each is
    # made from 22/9 alone, so they do not continue one another); here: each report by itself
    dq = dq[~dq["source"].str.contains(" vs ")]
    original = set(dq.loc[dq["report_date"] == "2025-09-22", "check"])
    for day in ("2025-09-23", "2025-09-24"):
        new = set(dq.loc[dq["report_date"] == day, "check"]) - original
        # the appendices were moved together (totals, rates, colours agree); only the body
        # text, which still quotes the 22/9 figures, now contradicts them
        assert new and all(check.startswith("body_") for check in new), (day, new)
    status = load_table("commune_status", processed)
    totals = status[status["province_code"].notna()].groupby("report_date")[["green", "yellow", "red"]].sum()
    # communes move between GREEN and YELLOW in pairs of provinces: national counts unchanged
    assert (totals.loc["2025-09-23"] == totals.loc["2025-09-22"]).all()
    dossiers = load_table("dossiers", processed)
    assert not dossiers[dossiers["report_date"] == "2025-09-23"].empty
    assert not dossiers[dossiers["report_date"] == "2025-09-23"]["online_rate_pct"].reset_index(drop=True).equals(
        dossiers[dossiers["report_date"] == "2025-09-22"]["online_rate_pct"].reset_index(drop=True)
    )  # the numbers did move


def test_linearity_check(bench):
    linear = bench.linearity([{"dates": 13, "wall_s": 26.0}, {"dates": 33, "wall_s": 56.0}, {"dates": 103, "wall_s": 161.0}])
    assert linear["linear"] and linear["marginal_s_per_date"] == [1.5, 1.5] and linear["r2"] == pytest.approx(1.0)
    quadratic = bench.linearity([{"dates": n, "wall_s": 0.02 * n * n} for n in (13, 33, 103)])
    assert not quadratic["linear"]
    assert bench.linearity([{"dates": 13, "wall_s": 26.0}]) is None


def test_ingest_seconds_read_from_the_build_output(bench):
    out = "ingest: data/processed rebuilt from 8 reports in 2.47 s\ningest: new reporting dates: 2025-09-22\n2025-09-22: published"
    assert bench._ingest_seconds(out) == 2.47
    assert bench._ingest_seconds("ingest: data/processed is up to date\n") is None
