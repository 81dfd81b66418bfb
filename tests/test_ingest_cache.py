"""Fast and incremental ingest (issue "Tomorrow's reports" and "Daily operation").

The tables must not depend on how they were made: one process or forked workers, parsed
now or read from the parse cache, a full rebuild or an incremental one after additions,
removals and a correction. The cache is untrusted: a broken, truncated or forged entry is
set aside with one line and the report parsed again; a parser change invalidates it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import shutil
from pathlib import Path

import pandas as pd
import pytest

from conftest import RAW, copy_raw_fixtures
from generators.next_day import next_daily_readiness, next_plan02
import helpers.ingest.run as ingest
from helpers.ingest import cache as cache_mod
from helpers.ingest.piece import Columns, concat
from helpers.ingest.run import run_ingest

PLAN02 = "plan02_report_2025-09-22.txt"
DAILY_30 = "daily_readiness_2025-06-30.txt"


def _plan02(raw: Path, day: int, seed: int | None = None) -> str:
    date = dt.date(2025, 9, 22) + dt.timedelta(days=day)
    name = f"plan02_{date.isoformat()}.txt"
    text = next_plan02((RAW / PLAN02).read_text(encoding="utf-8"), date, random.Random(seed if seed is not None else day))
    (raw / name).write_text(text, encoding="utf-8")
    return name


def _dailies(raw: Path, days: int) -> None:
    text = (RAW / DAILY_30).read_text(encoding="utf-8")
    rng = random.Random(3)
    for i in range(1, days + 1):
        text = next_daily_readiness(text, rng)
        (raw / f"daily_{dt.date(2025, 6, 30) + dt.timedelta(days=i)}.txt").write_text(text, encoding="utf-8")


def _generated(raw: Path, plan02_days=(1, 2, 3, 4), daily_days: int = 2) -> Path:
    copy_raw_fixtures(raw)
    for day in plan02_days:
        _plan02(raw, day)
    _dailies(raw, daily_days)
    return raw


def _outputs(processed: Path) -> dict[str, bytes]:
    """Every file an ingest writes (the cache aside)."""
    return {p.name: p.read_bytes() for p in sorted(processed.iterdir()) if p.is_file()}


def _full(raw: Path, processed: Path) -> dict[str, bytes]:
    """A forced ingest from nothing: every report parsed, every check run."""
    shutil.rmtree(processed, ignore_errors=True)
    run_ingest(force=True, raw_dir=raw, processed_dir=processed)
    return _outputs(processed)


def _entries(processed: Path) -> list[Path]:
    return sorted((processed / ".cache" / "reports").glob("*.json"))


@pytest.fixture()
def one_process(monkeypatch):
    monkeypatch.setattr(ingest, "PARALLEL_MIN_FILES", 10**9)
    monkeypatch.setattr(ingest, "PARALLEL_MIN_PAIRS", 10**9)
    monkeypatch.setattr(ingest, "PARALLEL_MIN_ROWS", 10**12)


# --- the same tables however they are made --------------------------------------------------


@pytest.mark.slow  # four ingests of 11 reports (~10 s): in `make test`, not the fast subset
def test_workers_and_cache_give_the_tables_of_one_process(tmp_path, monkeypatch):
    raw = _generated(tmp_path / "raw")
    with monkeypatch.context() as m:
        for name, value in (("PARALLEL_MIN_FILES", 10**9), ("PARALLEL_MIN_PAIRS", 10**9), ("PARALLEL_MIN_ROWS", 10**12)):
            m.setattr(ingest, name, value)
        serial = _full(raw, tmp_path / "serial")
    for name, value in (("PARALLEL_MIN_FILES", 2), ("PARALLEL_MIN_PAIRS", 2), ("PARALLEL_MIN_ROWS", 1)):
        monkeypatch.setattr(ingest, name, value)
    parallel = _full(raw, tmp_path / "parallel")
    assert parallel == serial
    # everything from the cache: no report parsed, no check run again, the same bytes
    (tmp_path / "parallel" / "_ingest.json").unlink()
    result = run_ingest(raw_dir=raw, processed_dir=tmp_path / "parallel")
    assert result.parsed == 0 and not result.skipped
    assert _outputs(tmp_path / "parallel") == serial
    assert len(_entries(tmp_path / "parallel")) == len(list(raw.glob("*.txt")))


def test_column_pieces_concatenate_like_pandas():
    """Pieces of one table are joined column by column; pd.concat decides mixed dtypes."""
    a = pd.DataFrame({"d": ["2025-06-30", "2025-07-01"], "n": pd.array([1, None], dtype="Int64"), "x": [0.5, float("nan")], "b": [True, False]})
    b = pd.DataFrame({"d": [None], "n": pd.array([3], dtype="Int64"), "x": [2.0], "b": [True]})
    b["d"] = b["d"].astype(object)
    c = pd.DataFrame({"d": pd.Series([], dtype="str"), "n": pd.array([], dtype="Int64"), "x": pd.Series([], dtype=float), "b": pd.Series([], dtype=bool)})
    parts = [Columns.from_frame(f) for f in (a, b, c)]
    pd.testing.assert_frame_equal(concat(parts), pd.concat([a, b, c], ignore_index=True))
    pd.testing.assert_frame_equal(concat(parts[:1]), a)
    back = Columns.from_json(json.loads(json.dumps(parts[0].to_json())))
    pd.testing.assert_frame_equal(back.frame(), a)


def test_force_parses_every_report_again(raw_copy, tmp_path):
    processed = tmp_path / "processed"
    first = run_ingest(raw_dir=raw_copy, processed_dir=processed)
    forced = run_ingest(force=True, raw_dir=raw_copy, processed_dir=processed)
    assert first.parsed == forced.parsed == len(list(raw_copy.glob("*.txt")))


# --- incremental == full ---------------------------------------------------------------------


@pytest.mark.slow  # nine ingests of 10-12 reports (~18 s): in `make test`, not the fast subset
def test_incremental_ingest_equals_a_full_one_through_additions_removals_and_a_correction(tmp_path, one_process):
    raw = _generated(tmp_path / "raw", plan02_days=(1, 2, 3, 4), daily_days=2)
    processed = tmp_path / "processed"
    first = run_ingest(raw_dir=raw, processed_dir=processed)
    assert first.parsed == 11
    assert _outputs(processed) == _full(raw, tmp_path / "full")

    # additions: tomorrow's plan-02 report (a new pair at the end) and a daily report
    _plan02(raw, 5)
    _dailies(raw, 3)  # rewrites days 1-2 with the same bytes, adds day 3
    added = run_ingest(raw_dir=raw, processed_dir=processed)
    assert added.parsed == 2 and added.new_dates == ["2025-07-03", "2025-09-27"]
    assert _outputs(processed) == _full(raw, tmp_path / "full")

    # a removal in the middle: 24/9 goes, so 23/9 and 25/9 become neighbours
    (raw / "plan02_2025-09-24.txt").unlink()
    removed = run_ingest(raw_dir=raw, processed_dir=processed)
    assert removed.parsed == 0
    assert _outputs(processed) == _full(raw, tmp_path / "full")

    # a correction: the same file name, other bytes (other figures)
    _plan02(raw, 3, seed=99)
    corrected = run_ingest(raw_dir=raw, processed_dir=processed)
    assert corrected.parsed == 1
    assert _outputs(processed) == _full(raw, tmp_path / "full")

    # the cache keeps only what the last ingest used
    assert len(_entries(processed)) == len(list(raw.glob("*.txt")))


def test_only_changed_pairs_and_dates_are_checked_again(tmp_path, one_process, monkeypatch):
    from helpers.ingest import checks, consistency

    raw = _generated(tmp_path / "raw", plan02_days=(1, 2, 3), daily_days=0)
    processed = tmp_path / "processed"
    run_ingest(raw_dir=raw, processed_dir=processed)
    pairs, dates = [], []
    real_pairs, real_consistency = checks.pair_findings, consistency.findings_by_check
    monkeypatch.setattr(checks, "pair_findings", lambda by_date, prev, cur: pairs.append((prev.file, cur.file)) or real_pairs(by_date, prev, cur))
    monkeypatch.setattr(consistency, "findings_by_check", lambda tables: dates.append(sorted(set(tables["reports"]["report_date"]))) or real_consistency(tables))
    _plan02(raw, 4)
    run_ingest(raw_dir=raw, processed_dir=processed)
    assert pairs == [("plan02_2025-09-25.txt", "plan02_2025-09-26.txt")]
    assert dates == [["2025-09-26"]]


# --- an untrusted cache ----------------------------------------------------------------------


def _rerun(raw: Path, processed: Path):
    """An ingest that must read the cache (the record of the last ingest removed)."""
    (processed / "_ingest.json").unlink()
    return run_ingest(raw_dir=raw, processed_dir=processed)


def _rewrite(path: Path, edit) -> None:
    """Edit an entry's body and give it a correct digest (a forgery, not damage)."""
    header, body = path.read_bytes().split(b"\n", 1)
    obj = edit(json.loads(body))
    data = json.dumps(obj, ensure_ascii=False).encode()
    path.write_bytes(json.dumps({"format": cache_mod.FORMAT, "sha256": hashlib.sha256(data).hexdigest()}).encode() + b"\n" + data)


def _entry_of(processed: Path, file: str) -> Path:
    for path in _entries(processed):
        if json.loads(path.read_bytes().split(b"\n", 1)[1])["piece"]["file"] == file:
            return path
    raise AssertionError(f"no cache entry for {file}")


@pytest.mark.parametrize("damage", ["truncated", "garbage", "forged-type", "other-file", "checks"])
def test_a_bad_cache_entry_is_set_aside_with_one_line_and_the_report_parsed_again(tmp_path, capsys, damage):
    raw = copy_raw_fixtures(tmp_path / "raw")
    processed = tmp_path / "processed"
    expected = _full(raw, processed)
    entry = _entry_of(processed, PLAN02)
    if damage == "truncated":
        entry.write_bytes(entry.read_bytes()[: entry.stat().st_size // 2])
    elif damage == "garbage":
        entry.write_bytes(b"\x80\x04junk\n\x00")
    elif damage == "forged-type":
        def forge(obj):  # a province code no lax schema reads as a number
            table = obj["piece"]["tables"]["commune_status"]
            table["data"][table["columns"].index("province_code")][0] = "Hà Nội"
            table["dtypes"][table["columns"].index("province_code")] = "object"
            return obj
        _rewrite(entry, forge)
    elif damage == "other-file":
        entry.write_bytes(_entry_of(processed, DAILY_30).read_bytes())
    else:
        checks_file = processed / ".cache" / "checks.json"
        checks_file.write_bytes(checks_file.read_bytes()[:-10])
    capsys.readouterr()
    result = _rerun(raw, processed)
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("warning: ingest cache entry ") and "is not trusted" in err[0]
    assert result.cache_warnings == err
    assert result.parsed == (0 if damage == "checks" else 1) and result.set_aside == []
    assert _outputs(processed) == expected
    assert len(list((processed / ".cache" / "set-aside").iterdir())) == 1
    # the next ingest reads the fresh entry without a word
    result = _rerun(raw, processed)
    assert result.parsed == 0 and capsys.readouterr().err == ""


def test_a_parser_change_invalidates_the_cache(raw_copy, tmp_path, monkeypatch):
    processed = tmp_path / "processed"
    run_ingest(raw_dir=raw_copy, processed_dir=processed)
    assert _rerun(raw_copy, processed).parsed == 0
    monkeypatch.setattr(cache_mod, "code_version", lambda: "a parser changed")
    assert _rerun(raw_copy, processed).parsed == len(list(raw_copy.glob("*.txt")))


def test_code_version_covers_every_module_of_the_stage():
    modules = {p.relative_to(cache_mod.STAGE_DIR).as_posix() for p in cache_mod.STAGE_DIR.rglob("*.py")}
    assert {"parsers/plan02_blocs.py", "checks.py", "consistency.py", "piece.py", "cache.py"} <= modules
    assert cache_mod.code_version() == cache_mod.code_version.__wrapped__()
