"""Ingestion end to end: every report -> validated tables, cross-checks, atomic writes, timing."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pandas as pd
import pytest

from helpers.tables import available_dates
from helpers.errors import InputError
from helpers.ingest.run import FINGERPRINT_FILE, run_ingest
from helpers.ingest.schemas import TABLES

from conftest import ROOT

HANOI, HCMC, LANG_SON = 1, 79, 20


def read(processed, name):
    return pd.read_csv(processed / f"{name}.csv", keep_default_na=False, na_values=[""])


def test_every_table_is_written_and_passes_its_strict_schema(ingested):
    for name, spec in TABLES.items():
        frame = read(ingested, name)
        assert list(frame.columns) == spec.columns, name
        assert len(frame) > 0, name


def test_row_counts_of_the_contract_tables(ingested):  # noqa: D103
    counts = json.loads((ingested / FINGERPRINT_FILE).read_text())["row_counts"]
    assert counts["provinces"] == 34
    assert counts["commune_status"] == 34
    assert counts["commune_readiness"] == 34 * 16
    assert counts["task_status"] == 2 * 26 * 34
    assert counts["vendors"] == 34 * 5
    obstacles = read(ingested, "obstacles")
    assert (obstacles["report_date"] == "2025-09-22").sum() == 999


def test_reporting_dates_come_from_the_content(ingested):
    assert sorted(available_dates(ingested)) == ["2025-06-27", "2025-06-30", "2025-09-22"]


def test_registry_ward_counts_sum_to_3321(ingested):
    provinces = read(ingested, "provinces")
    assert provinces["wards"].sum() == 3321
    assert provinces["province_code"].is_unique


def test_headline_values_from_the_reports(ingested):
    dossiers = read(ingested, "dossiers")
    cumulative = dossiers[(dossiers["period_start"] == "2025-07-01") & (dossiers["period_end"] == "2025-09-21")]
    lang_son = cumulative[cumulative["province_code"] == LANG_SON].set_index("scope")["online_rate_pct"]
    assert lang_son["all"] == pytest.approx(34.50)
    assert lang_son["province"] == pytest.approx(37.47)
    assert lang_son["commune"] == pytest.approx(30.78)
    figures = read(ingested, "report_figures").set_index("figure_id")["value"]
    assert figures["dossiers_cumulative_all_total"] == 18072849


def test_cross_checks_hold_in_the_written_tables(ingested):
    status = read(ingested, "commune_status")
    assert (status["green"] + status["yellow"] + status["red"] == status["communes"]).all()
    provinces = read(ingested, "provinces").set_index("province_code")["wards"]
    assert (status.set_index("province_code")["communes"] == provinces.reindex(status["province_code"]).values).all()
    progress = read(ingested, "task_progress")
    task_status = read(ingested, "task_status")
    done = task_status.groupby(["report_date", "task_id"])["done"].sum()
    merged = progress.set_index(["report_date", "task_id"])["done_count"]
    assert (merged == done.reindex(merged.index)).all()
    dossiers = read(ingested, "dossiers")
    rate = 100 * dossiers["online"] / dossiers["total"]
    assert (abs(rate - dossiers["online_rate_pct"]) <= 0.01).all()


def test_source_contradictions_become_data_quality_rows(ingested):
    dq = read(ingested, "data_quality")
    title_vs_rows = dq[dq["check"] == "title_total_vs_rows"]
    assert len(title_vs_rows) == 1
    assert "3.319" in title_vs_rows["detail"].iloc[0] or "3319" in title_vs_rows["detail"].iloc[0]
    # Each finding names its file once, then the part of the document; a check across two
    # reports names the later one, then the one it was compared with ('B vs A').
    across = dq["source"].str.fullmatch(r"\S+\.txt vs \S+\.txt")
    assert not dq.loc[~across, "source"].str.contains(r"\.txt.*\.txt").any()
    assert across.any()


def test_distribution_notice_is_kept(ingested):
    reports = read(ingested, "reports").set_index("kind")
    assert reports.loc["plan02", "notice"] == "Báo cáo này không đăng tải trên báo, đài và các mạng xã hội."


def test_unchanged_inputs_are_a_no_op_and_force_rebuilds(raw_copy, tmp_path):
    processed = tmp_path / "processed"
    first = run_ingest(raw_dir=raw_copy, processed_dir=processed)
    assert not first.skipped and first.new_dates == ["2025-06-27", "2025-06-30", "2025-09-22"]
    second = run_ingest(raw_dir=raw_copy, processed_dir=processed)
    assert second.skipped
    third = run_ingest(force=True, raw_dir=raw_copy, processed_dir=processed)
    assert not third.skipped and third.new_dates == []


def test_corrupt_input_leaves_processed_untouched(raw_copy, tmp_path):
    processed = tmp_path / "processed"
    run_ingest(raw_dir=raw_copy, processed_dir=processed)
    before = {p.name: p.read_bytes() for p in processed.iterdir() if p.is_file()}
    (raw_copy / "daily_readiness_2025-06-30.txt").write_bytes(b"\xff\xfe junk \x00\x01")
    with pytest.raises(InputError) as err:
        run_ingest(raw_dir=raw_copy, processed_dir=processed)
    assert "daily_readiness_2025-06-30.txt" in str(err.value)
    after = {p.name: p.read_bytes() for p in processed.iterdir() if p.is_file()}
    assert after == before
    assert not [p for p in tmp_path.iterdir() if p.name != "processed" and p.name != "raw"]


@pytest.mark.slow  # times cold CLI processes: a measurement, not a unit test
def test_ingest_is_under_two_seconds(raw_copy, tmp_path):
    """Issue 2: ingesting all five reports in under 2 s of wall time.

    Two measurements: the ingestion itself in this process (parse, validate, check,
    write; libraries already imported), which must stay well under 2 s, and the whole
    cold CLI command (interpreter start and imports included; 1.7-1.9 s on the 2-core
    build machine when idle), guarded at 3 s so that a busy CI machine does not fail
    the suite on noise while a real regression (e.g. a slow parser) still does.
    """
    run_ingest(force=True, raw_dir=raw_copy, processed_dir=tmp_path / "warm")  # imports and caches
    started = time.perf_counter()
    run_ingest(force=True, raw_dir=raw_copy, processed_dir=tmp_path / "processed")
    assert time.perf_counter() - started < 2.0

    env_root = tmp_path / "root"
    (env_root / "data").mkdir(parents=True)
    (env_root / "data" / "raw").symlink_to(raw_copy)
    (env_root / "params").symlink_to(ROOT / "params")
    times = []
    for _ in range(3):
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "helpers", "ingest", "--force"],
            capture_output=True, text=True, env={"BRIEFINGS_ROOT": str(env_root), "PATH": "/usr/bin:/bin"},
        )
        times.append(time.perf_counter() - started)
        assert done.returncode == 0, done.stderr
    from helpers.ingest.schemas import TABLES

    assert f"{len(TABLES)} tables" in done.stdout
    assert sorted(times)[1] < 3.0, times


def test_parallel_parsing_gives_the_same_tables_as_one_process(raw_copy, monkeypatch):
    """Many reports are parsed in forked workers: same tables, same order, and each piece's
    tables are the parser's frames exactly (values and dtypes)."""
    import helpers.ingest.run as ingest
    from helpers.ingest.parsers import parse_report

    files = ingest.raw_files(raw_copy)
    monkeypatch.setattr(ingest, "PARALLEL_MIN_FILES", 2)
    parallel = ingest._parse_all(files)
    sequential = [parse_report(path) for path in files]
    assert [p.file for p in parallel] == [p.report.name for p in sequential]
    for a, b in zip(parallel, sequential):
        assert list(a.tables) == [*b.tables, "claims", "deadline_terms"]
        for name in b.tables:
            pd.testing.assert_frame_equal(a.tables[name].frame(), b.tables[name])
        assert [(f["check"], f["detail"]) for f in a.findings] == [(f.check, f.detail) for f in b.findings]


def test_a_bad_report_parsed_in_a_worker_gives_its_one_line_error(raw_copy, tmp_path, monkeypatch):
    import pickle

    import helpers.ingest.run as ingest

    error = InputError("a.txt", 7, "a number", "x")
    assert str(pickle.loads(pickle.dumps(error))) == str(error) == "a.txt:7: expected a number, found 'x'"
    monkeypatch.setattr(ingest, "PARALLEL_MIN_FILES", 2)
    (raw_copy / "daily_readiness_2025-06-30.txt").write_bytes(b"\x00\x01\x02binary junk")
    result = run_ingest(force=True, raw_dir=raw_copy, processed_dir=tmp_path / "processed")
    assert [s["file"] for s in result.set_aside] == ["daily_readiness_2025-06-30.txt"]
    error = result.set_aside[0]["error"]
    assert error.startswith(str(raw_copy / "daily_readiness_2025-06-30.txt") + ":1:") and "\n" not in error
    assert "daily_readiness_2025-06-30.txt" not in {r["file"] for r in result.reports}
