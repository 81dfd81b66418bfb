"""Daily runs: a date's inputs are its own rows and the rows it can compare against, not
whole tables; adding tomorrow's report rebuilds tomorrow and the index only."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
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


# --------------------------------------------------------------------------- the drill-down's provinces

DRILL_SECTIONS = 5  # tasks, communes, uptake, obstacles, vendors: each has a part per province
PART_RE = re.compile(r"<h3>[^<]*\(mã (\d+)\)</h3>")


def drilldown_parts(root: Path, date: str) -> dict[int, list[str]]:
    """Province code -> the HTML of each of its parts in outputs/<date>/province_drilldown.html."""
    text = (root / "outputs" / date / "province_drilldown.html").read_text(encoding="utf-8")
    parts: dict[int, list[str]] = {}
    pieces = PART_RE.split(text)
    for code, body in zip(pieces[1::2], pieces[2::2]):
        parts.setdefault(int(code), []).append(re.split(r"<h[23]>", body, maxsplit=1)[0])
    return parts


def commune_counts(root: Path, date: str) -> dict[int, str]:
    """Province code -> the sentence of its commune counts, as data/processed/commune_status.csv has them."""
    with open(root / "data" / "processed" / "commune_status.csv", encoding="utf-8", newline="") as fh:
        return {
            int(r["province_code"]): f"{r['communes']} xã, phường: {r['green']} XANH, {r['yellow']} VÀNG, {r['red']} ĐỎ"
            for r in csv.DictReader(fh)
            if r["report_date"] == date
        }


@pytest.mark.slow
def test_the_default_drilldown_covers_exactly_the_flagged_provinces(built_project, monkeypatch):
    from helpers import api
    from helpers.analysis import tasks as task_analysis
    from helpers.tables import load_table

    monkeypatch.setenv("BRIEFINGS_ROOT", str(built_project))
    metrics = api.derived_metrics("2025-09-22")
    flagged = metrics.loc[metrics["flagged"]].sort_values("residual_rank")["province_code"].astype(int).tolist()
    assert len(flagged) >= 2, flagged  # the rule flags several provinces on 22/9: a real list
    parts = drilldown_parts(built_project, "2025-09-22")
    assert list(parts) == flagged  # every flagged province, no other, most below its predicted rate first
    assert all(len(p) == DRILL_SECTIONS for p in parts.values()), {c: len(p) for c, p in parts.items()}
    counts = commune_counts(built_project, "2025-09-22")
    for code, province_parts in parts.items():
        assert any(counts[code] in part for part in province_parts), (code, counts[code])
    # a daily-readiness date flags nobody: the province with the most open tasks, said so
    for date in ("2025-06-27", "2025-06-30"):
        open_tasks = task_analysis.open_tasks_by_province(load_table("task_status", built_project / "data" / "processed"), date)
        assert list(drilldown_parts(built_project, date)) == [int(open_tasks["province_code"].iloc[0])], date


@pytest.mark.slow
def test_two_province_flags_give_both_sections_and_an_unknown_one_exits_2(built_project, tmp_path):
    root = tmp_path / "project"
    shutil.copytree(built_project, root, symlinks=True)
    done = run_cli(root, "run", "--date", "22/9/2025", "--province", "Cao Bằng", "--province", "Thừa Thiên Huế")
    assert done.returncode == 0, done.stdout + done.stderr
    parts = drilldown_parts(root, "2025-09-22")
    assert list(parts) == [4, 46] and all(len(p) == DRILL_SECTIONS for p in parts.values()), list(parts)
    counts = commune_counts(root, "2025-09-22")
    assert counts[4] in "".join(parts[4]) and counts[46] in "".join(parts[46])
    assert counts[4] not in "".join(parts[46])  # each province's part has its own figures
    drill = (root / "outputs" / "2025-09-22" / "province_drilldown.html").read_text(encoding="utf-8")
    assert "theo tham số province: Cao Bằng (mã 4), TP. Huế (mã 46)" in drill, drill[:2000]

    before = {p: p.read_bytes() for p in (root / "outputs" / "2025-09-22").iterdir() if p.is_file()}
    done = run_cli(root, "run", "--date", "22/9/2025", "--province", "Huế", "--province", "Atlantis")
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.strip().splitlines() == ["error: --province: expected a province name (e.g. 'Lạng Sơn') or official code, found 'Atlantis'"]
    assert {p: p.read_bytes() for p in (root / "outputs" / "2025-09-22").iterdir() if p.is_file()} == before


# --------------------------------------------------------------------------- the no-op build's stamp


def age(root: Path, seconds: float = 120) -> None:
    """Every file and folder under ``root`` last modified ``seconds`` ago (a copy is new)."""
    then = time.time() - seconds
    for path in [root, *root.rglob("*")]:
        os.utime(path, (then, then), follow_symlinks=False)


@pytest.fixture()
def small_root(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "root"
    for folder in ("data/raw", "data/processed", "params", "notebooks", "outputs/2025-09-22/provinces"):
        (root / folder).mkdir(parents=True)
    write(root / "data" / "raw" / "plan02_report_2025-09-22.txt", "report\n")
    write(root / "data" / "processed" / "reports.csv", "report_date,kind\n2025-09-22,plan02\n")
    write(root / "params" / "defaults.yaml", "province: null\n")
    write(root / "notebooks" / "briefing.ipynb", "{}\n")
    write(root / "outputs" / "manifest.json", "{}\n")
    write(root / "outputs" / "2025-09-22" / "briefing.html", "<html></html>\n")
    write(root / "outputs" / "2025-09-22" / "provinces" / "20.html", "<html></html>\n")
    monkeypatch.setenv("BRIEFINGS_ROOT", str(root))
    age(root)
    return root


@pytest.mark.parametrize(
    "change",
    [
        "a new report", "a table rewritten", "a params file touched", "a notebook edited", "an output removed",
        "a date folder added", "a staging folder left", "a BRIEFINGS_ setting",
    ],
)
def test_the_noop_stamp_sees_every_change_a_build_reads(small_root, monkeypatch, change):
    from helpers.publish import noop

    before, _ = noop.state_key()
    assert noop.state_key()[0] == before  # stable
    if change == "a new report":
        write(small_root / "data" / "raw" / "plan02_report_2025-09-23.txt", "report\n")
    elif change == "a table rewritten":
        write(small_root / "data" / "processed" / "reports.csv", "report_date,kind\n2025-09-22,plan02\n2025-09-23,plan02\n")
    elif change == "a params file touched":
        os.utime(small_root / "params" / "defaults.yaml")
    elif change == "a notebook edited":
        write(small_root / "notebooks" / "briefing.ipynb", "{ }\n")
    elif change == "an output removed":
        (small_root / "outputs" / "2025-09-22" / "provinces" / "20.html").unlink()
    elif change == "a date folder added":
        (small_root / "outputs" / "2025-09-23").mkdir()
    elif change == "a staging folder left":
        (small_root / "outputs" / ".2025-09-22.new-build").mkdir()
    else:
        monkeypatch.setenv("BRIEFINGS_PDF", "0")
    assert noop.state_key()[0] != before, change


def test_the_noop_stamp_ignores_what_every_run_writes_and_doubts_young_files(small_root):
    from helpers.publish import noop

    before, _ = noop.state_key()
    write(small_root / "outputs" / "history.jsonl", "{}\n")
    write(small_root / "outputs" / ".2025-09-22.lock", "123\n")
    write(small_root / "outputs" / ".cache" / "table-rows.json", "{}\n")
    snap = small_root / "outputs" / ".tables.abc"
    snap.mkdir()
    snap.rmdir()
    assert noop.state_key()[0] == before

    noop.record(["ingest: data/processed is up to date"], ["2025-09-22"])
    seen: list[str] = []
    assert noop.try_noop(False, seen.append)
    assert seen[0] == "ingest: data/processed is up to date" and seen[1].startswith("briefings: all 1 dates up to date (")
    write(small_root / "params" / "2025-09-22.yaml", "report_date: 2025-09-22\n")  # just now: the stamp no longer holds
    assert not noop.try_noop(False, seen.append)
    noop.record([], ["2025-09-22"])  # a file modified within RACY_NS: no stamp at all
    assert not noop.stamp_path().exists()


@pytest.mark.slow
def test_a_second_noop_build_takes_the_stamp_and_prints_the_same(built_project, tmp_path):
    root = tmp_path / "project"
    shutil.copytree(built_project, root, symlinks=True)
    age(root)
    probe = "import sys; from helpers.cli import main; code = main(sys.argv[1:]); print('pydantic imported:', 'pydantic' in sys.modules); sys.exit(code)"
    env = {**os.environ, "BRIEFINGS_ROOT": str(root)}
    runs = [subprocess.run([sys.executable, "-c", probe, "build"], capture_output=True, text=True, env=env, timeout=300) for _ in range(2)]
    assert [r.returncode for r in runs] == [0, 0], [r.stdout + r.stderr for r in runs]
    full, fast = (r.stdout.splitlines() for r in runs)
    assert full[-1] == "pydantic imported: True" and fast[-1] == "pydantic imported: False"
    drop_time = lambda lines: [re.sub(r"\(\d+\.\d\d s\)$", "", line) for line in lines[:-1]]  # noqa: E731
    assert drop_time(full) == drop_time(fast) and len(full) == 6, full  # ingest, 3 dates, the summary, the probe
    unchanged = [json.loads(line)["unchanged"] for line in (root / "outputs" / "history.jsonl").read_text(encoding="utf-8").splitlines()[-2:]]
    assert unchanged == [["2025-06-27", "2025-06-30", "2025-09-22"]] * 2
    forced = run_cli(root, "build", "--force", "--quiet", "--jobs", "2")  # --force never trusts the stamp
    assert forced.returncode == 0 and "published" in forced.stdout, forced.stdout + forced.stderr
