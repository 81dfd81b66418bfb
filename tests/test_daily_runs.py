"""Daily runs: a date's inputs are its own rows and the rows it can compare against, not
whole tables; adding tomorrow's report rebuilds tomorrow and the index only."""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import random
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, run_cli
from helpers.publish import plan

HEADER = "report_date,province_code,value\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture()
def processed(tmp_path) -> Path:
    d = tmp_path / "processed"
    write(d / "status.csv", HEADER + "2025-06-27,1,10\n2025-06-30,1,20\n2025-09-22,1,30\n2025-06-30,2,\"a, \"\"quoted\"\"\nline\"\n")
    write(d / "provinces.csv", "province_code,name\n1,Hà Nội\n")
    write(d / "mixed.csv", HEADER + ",1,5\n2025-06-30,1,6\n")
    return d


def test_rows_are_grouped_by_report_date(processed):
    groups = plan.rows_by_date(processed / "status.csv")
    assert list(groups) == ["2025-06-27", "2025-06-30", "2025-09-22"]
    assert list(plan.rows_by_date(processed / "provinces.csv")) == [plan.UNDATED]
    assert list(plan.rows_by_date(processed / "mixed.csv")) == [plan.UNDATED, "2025-06-30"]


def test_a_date_depends_on_its_rows_earlier_rows_and_comparison_dates_not_later_ones(processed, tmp_path):
    def digests(**kw) -> dict[str, str]:
        rows = plan.TableRows(processed, tmp_path / "cache.json")
        return {d: rows.rows_digest("status", d, **kw) for d in ("2025-06-27", "2025-06-30", "2025-09-22")}

    before = digests()
    assert len(set(before.values())) == 3
    # a new later date changes nothing earlier
    with (processed / "status.csv").open("a", encoding="utf-8") as fh:
        fh.write("2025-09-23,1,40\n")
    after = digests()
    assert after == before
    # a correction of 30/6 changes 30/6 and the dates after it, not 27/6
    text = (processed / "status.csv").read_text(encoding="utf-8").replace("2025-06-30,1,20", "2025-06-30,1,21")
    write(processed / "status.csv", text)
    corrected = digests()
    assert corrected["2025-06-27"] == before["2025-06-27"]
    assert corrected["2025-06-30"] != before["2025-06-30"] and corrected["2025-09-22"] != before["2025-09-22"]
    # a later comparison date is an input too
    rows = plan.TableRows(processed, tmp_path / "cache.json")
    assert rows.rows_digest("status", "2025-06-27", ["2025-09-23"]) != corrected["2025-06-27"]
    assert rows.rows_digest("status", "2025-06-30", ["2025-06-27"]) == corrected["2025-06-30"]  # already earlier
    # undated rows belong to every date
    assert rows.rows_digest("mixed", "2025-06-27") != "none"
    assert rows.rows_digest("status", "2025-01-01") == "none"


def test_row_digests_are_cached_by_file_identity(processed, tmp_path, monkeypatch):
    cache = tmp_path / "out" / ".cache" / "rows.json"
    first = plan.TableRows(processed, cache)
    expected = {name: first.digests(name) for name in first.tables()}
    first.save()
    assert cache.is_file()
    calls = []
    real = plan.rows_by_date
    monkeypatch.setattr(plan, "rows_by_date", lambda path: calls.append(Path(path).name) or real(path))
    second = plan.TableRows(processed, cache)
    assert {name: second.digests(name) for name in second.tables()} == expected and calls == []
    write(processed / "status.csv", HEADER + "2025-06-27,1,11\n")  # rewritten: read again
    third = plan.TableRows(processed, cache)
    assert third.digests("status") != expected["status"] and calls == ["status.csv"]
    write(cache, "{not json")  # a broken cache only costs time
    assert plan.TableRows(processed, cache).digests("provinces") == expected["provinces"]


# ----------------------------------------------------------------------------- a real next day


def load_bench():
    spec = importlib.util.spec_from_file_location("run_bench", ROOT / "bench" / "run_bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def add_next_day(root: Path, days: int = 1) -> str:
    """A synthetic plan-02 report ``days`` after 22/9 (the benchmark's generator) in data/raw."""
    bench = load_bench()
    raw = root / "data" / "raw"
    day = bench.SOURCE_DATE + dt.timedelta(days=days)
    text = (raw / bench.SOURCE_PLAN02).read_text(encoding="utf-8")
    (raw / f"plan02_report_{day.isoformat()}.txt").write_text(bench.synthetic_report(text, day, random.Random(days)), encoding="utf-8")
    return day.isoformat()


def file_states(folder: Path) -> dict[str, tuple[int, int, bytes]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes()) for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_adding_tomorrows_report_rebuilds_tomorrow_and_the_index_only(built_project, tmp_path):
    root = tmp_path / "root"
    shutil.copytree(built_project, root, symlinks=True)
    old_dates = sorted(p.name for p in (root / "outputs").iterdir() if p.is_dir() and not p.name.startswith("."))
    before = {d: file_states(root / "outputs" / d) for d in old_dates}
    index_before = (root / "outputs" / "index.html").read_text(encoding="utf-8")
    new = add_next_day(root)
    done = run_cli(root, "build", "--jobs", "2")
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{new}: building (new)" in done.stdout
    assert [line for line in done.stdout.splitlines() if ": building" in line] == [f"{new}: building (new)"], done.stdout
    for d in old_dates:
        assert file_states(root / "outputs" / d) == before[d], f"outputs/{d} was rewritten"
    assert (root / "outputs" / new / "briefing.html").is_file()
    index = (root / "outputs" / "index.html").read_text(encoding="utf-8")
    assert index != index_before and f"{new}/briefing.html" in index
    again = run_cli(root, "build", "--quiet")
    assert again.returncode == 0 and again.stdout == again.stderr == ""
