"""Tomorrow's reports (issue 11): next-day reports of every kind, checks across consecutive
reports, one bad file set aside, `briefings add-report`, and hostile entries in data/raw."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import random
import shutil
from pathlib import Path

import pandas as pd
import pytest

from conftest import RAW, make_project_copy, run_cli
from generators.next_day import next_daily_readiness, next_directives, next_plan02, shift_dates
from helpers.errors import InputError
from helpers.ingest import checks
from helpers.ingest.run import run_ingest

PLAN02 = "plan02_report_2025-09-22.txt"
DAILY_30 = "daily_readiness_2025-06-30.txt"
DIRECTIVES = "directives_notice_2025-06-30.txt"


def _write(raw: Path, name: str, text: str) -> Path:
    path = raw / name
    path.write_text(text, encoding="utf-8")
    return path


def _findings(processed: Path, check: str) -> pd.DataFrame:
    dq = pd.read_csv(processed / "data_quality.csv")
    return dq[dq["check"] == check]


# --- next-day reports --------------------------------------------------------------------


def test_next_day_reports_of_every_dated_kind_ingest_without_a_code_change(raw_copy, tmp_path):
    rng = random.Random(7)
    _write(raw_copy, "plan02_2025-09-23.txt", next_plan02((RAW / PLAN02).read_text(encoding="utf-8"), dt.date(2025, 9, 23), rng))
    _write(raw_copy, "daily_2025-07-01.txt", next_daily_readiness((RAW / DAILY_30).read_text(encoding="utf-8"), rng))
    result = run_ingest(force=True, raw_dir=raw_copy, processed_dir=tmp_path / "processed")
    assert result.set_aside == []
    assert {"2025-07-01", "2025-09-23"} <= set(result.new_dates)
    dq = pd.read_csv(tmp_path / "processed" / "data_quality.csv")
    assert not dq.duplicated(["report_date", "source", "check", "detail"]).any()
    progress = pd.read_csv(tmp_path / "processed" / "task_progress.csv")
    day = progress[progress["report_date"] == "2025-07-01"].set_index("task_id")
    before = progress[progress["report_date"] == "2025-06-30"].set_index("task_id")
    # the generator's 'tăng K' agrees with the two reports, so the check finds nothing to say
    stated = day["change_vs_previous_day"].dropna()
    assert len(stated) and ((day.loc[stated.index, "done_count"] - before.loc[stated.index, "done_count"]) == stated).all()
    assert _findings(tmp_path / "processed", "stated_change_matches_previous").query("report_date == '2025-07-01'").empty


def test_identical_findings_are_kept_once_and_never_stop_an_ingest(raw_copy, tmp_path, monkeypatch):
    registry, pairs = checks.registry_findings, checks.pair_findings
    monkeypatch.setattr(checks, "registry_findings", lambda tables: registry(tables) * 2)  # every finding twice
    monkeypatch.setattr(checks, "pair_findings", lambda *args: pairs(*args) * 2)
    _write(raw_copy, "plan02_2025-09-23.txt", next_plan02((RAW / PLAN02).read_text(encoding="utf-8"), dt.date(2025, 9, 23), random.Random(1)))
    run_ingest(force=True, raw_dir=raw_copy, processed_dir=tmp_path / "processed")
    dq = pd.read_csv(tmp_path / "processed" / "data_quality.csv")
    assert len(dq) and not dq.duplicated(["report_date", "source", "check", "detail"]).any()


# --- checks across consecutive reports ---------------------------------------------------


def test_a_stale_copy_is_found_and_names_both_reports(raw_copy, tmp_path):
    # the next-day generator keeps the cumulative totals: a stale copy, though the day had dossiers
    _write(raw_copy, "plan02_2025-09-23.txt", next_plan02((RAW / PLAN02).read_text(encoding="utf-8"), dt.date(2025, 9, 23), random.Random(1)))
    run_ingest(force=True, raw_dir=raw_copy, processed_dir=tmp_path / "processed")
    stale = _findings(tmp_path / "processed", "stale_copy")
    assert len(stale) == 1
    row = stale.iloc[0]
    assert row["report_date"] == "2025-09-23" and row["source"] == f"plan02_2025-09-23.txt vs {PLAN02}"
    assert "18072849" in row["detail"] and "14698" in row["detail"]



def test_a_cumulative_count_that_falls_and_one_that_grows_unlike_the_day_are_found(raw_copy, tmp_path):
    text = (RAW / PLAN02).read_text(encoding="utf-8")
    # the next day with the same figures, but for one province:
    nxt = text.replace("22/9/2025", "23/9/2025").replace("21/9/2025", "22/9/2025").replace("21/09/2025", "22/09/2025")
    # Bắc Ninh's cumulative row: direct falls by 100 at province level, total with it
    old = next(line for line in nxt.split("\n") if line.startswith("1 Tỉnh Bắc Ninh ") and len(line.split()) > 18)
    counts = old.split()[4:16]
    values = [int(c) for c in counts]
    values[0] -= 100
    values[2] -= 100
    values[9] -= 100
    values[11] -= 100
    new = " ".join(old.split()[:4] + [str(v) for v in values] + old.split()[16:])
    _write(raw_copy, "plan02_2025-09-23.txt", nxt.replace(old, new))
    run_ingest(force=True, raw_dir=raw_copy, processed_dir=tmp_path / "processed")
    falls = _findings(tmp_path / "processed", "cumulative_never_falls")
    assert falls["detail"].str.contains("province 24, all level: cumulative direct dossiers fell from").any()
    assert falls["detail"].str.contains("province 24, province level: cumulative direct").any()
    # no longer a stale copy as a whole, so each province is held to the day's dossiers
    grows = _findings(tmp_path / "processed", "cumulative_grows_by_day")
    assert grows["detail"].str.contains("province 24: cumulative total grew by -100").any()


def test_the_stated_change_and_a_regression_of_a_daily_report_are_checked(raw_copy, tmp_path):
    text = next_daily_readiness((RAW / DAILY_30).read_text(encoding="utf-8"), random.Random(2))
    # SSO (32/34 on 30/6): say 'tăng 03' while the count stays; and name a done province as not done
    lines = text.split("\n")
    i = next(n for n, line in enumerate(lines) if "32/34" in line or "33/34" in line)
    j = next(n for n in range(i + 1, len(lines)) if lines[n].strip())
    lines[i] = lines[i].split(":")[0] + ": 31/34 (tăng 03 tỉnh so với ngày hôm qua)."
    lines[j] = lines[j].split(":")[0].replace("01", "03").replace("02", "03") + ": Quảng Trị, Tuyên Quang, Hà Tĩnh."
    _write(raw_copy, "daily_2025-07-01.txt", "\n".join(lines))
    run_ingest(force=True, raw_dir=raw_copy, processed_dir=tmp_path / "processed")
    stated = _findings(tmp_path / "processed", "stated_change_matches_previous").query("report_date == '2025-07-01'")
    assert stated["detail"].str.contains("'tăng 3' printed, but the reports give 32 then 31").any()
    regression = _findings(tmp_path / "processed", "done_regression").query("report_date == '2025-07-01'")
    assert regression["detail"].str.contains("province 42 was done and is now listed as not done").any()
    assert (regression["source"] == f"daily_2025-07-01.txt vs {DAILY_30}").all()


def test_checks_compare_only_reports_of_one_kind_in_date_order():
    reports = pd.DataFrame(
        [
            {"file": "b", "kind": "plan02", "report_date": "2025-09-23"},
            {"file": "x", "kind": "daily_readiness", "report_date": "2025-09-22"},
            {"file": "a", "kind": "plan02", "report_date": "2025-09-22"},
            {"file": "v", "kind": "vendor_summary", "report_date": None},
        ]
    )
    pairs = [(p.file, c.file) for p, c in checks.consecutive_reports({"reports": reports})]
    assert pairs == [("a", "b")]


# --- one bad file does not block the rest --------------------------------------------------


def test_a_new_unreadable_report_is_set_aside_and_the_others_are_ingested(tmp_path):
    root = make_project_copy(tmp_path / "project")
    raw = root / "data" / "raw"
    assert run_cli(root, "ingest").returncode == 0
    _write(raw, "plan02_2025-09-23.txt", next_plan02((RAW / PLAN02).read_text(encoding="utf-8"), dt.date(2025, 9, 23), random.Random(1)))
    (raw / "broken_2025-09-24.txt").write_bytes(b"\x00 scanner error")
    done = run_cli(root, "ingest")
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and "broken_2025-09-24.txt:1: expected UTF-8 text" in done.stderr
    assert "new reporting dates: 2025-09-23" in done.stdout  # the good new report went in
    listed = run_cli(root, "list")
    assert listed.returncode == 2
    assert "set aside by the last ingest:" in listed.stdout and "broken_2025-09-24.txt" in listed.stdout


def test_a_report_ingested_before_that_breaks_changes_nothing(raw_copy, tmp_path):
    processed = tmp_path / "processed"
    run_ingest(raw_dir=raw_copy, processed_dir=processed)
    before = {p.name: p.read_bytes() for p in processed.iterdir() if p.is_file()}
    (raw_copy / DAILY_30).write_bytes(b"\x00")
    with pytest.raises(InputError, match=DAILY_30):
        run_ingest(raw_dir=raw_copy, processed_dir=processed)
    assert {p.name: p.read_bytes() for p in processed.iterdir() if p.is_file()} == before


def test_report_dates_before_2025_are_set_aside(raw_copy, tmp_path):
    text = shift_dates((RAW / DAILY_30).read_text(encoding="utf-8"), -(dt.date(2025, 6, 30) - dt.date(1900, 6, 30)).days)
    _write(raw_copy, "daily_1900.txt", text)
    result = run_ingest(force=True, raw_dir=raw_copy, processed_dir=tmp_path / "processed")
    assert [s["file"] for s in result.set_aside] == ["daily_1900.txt"]
    assert "a report date in 2025 or later" in result.set_aside[0]["error"]


# --- add-report ------------------------------------------------------------------------------


def test_add_report_copies_records_ingests_and_supersedes(tmp_path):
    root = make_project_copy(tmp_path / "project")
    raw = root / "data" / "raw"
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    new = _write(incoming, "plan02_2025-09-23.txt", next_plan02((RAW / PLAN02).read_text(encoding="utf-8"), dt.date(2025, 9, 23), random.Random(1)))
    done = run_cli(root, "add-report", str(new))
    assert done.returncode == 0, done.stderr
    assert "dates changed: 2025-09-23" in done.stdout
    sha = hashlib.sha256(new.read_bytes()).hexdigest()
    assert (raw / new.name).read_bytes() == new.read_bytes()
    assert f"| `{new.name}` | `{new.name}` |" in (raw / "README.md").read_text(encoding="utf-8") and sha in (raw / "README.md").read_text(encoding="utf-8")
    # the same bytes again, or another file under a used name: refused in one line
    again = run_cli(root, "add-report", str(new))
    assert again.returncode == 2 and again.stderr.count("\n") == 1 and "not yet in data/raw" in again.stderr

    corrected = _write(incoming, "directives_notice_2025-06-30_v2.txt", (RAW / DIRECTIVES).read_text(encoding="utf-8") + "\n")
    done = run_cli(root, "add-report", str(corrected), "--supersedes", DIRECTIVES)
    assert done.returncode == 0, done.stderr
    assert (raw / "superseded" / DIRECTIVES).read_bytes() == (RAW / DIRECTIVES).read_bytes()  # moved, never edited
    assert not (raw / DIRECTIVES).exists()
    readme = (raw / "README.md").read_text(encoding="utf-8")
    assert f"| `superseded/{DIRECTIVES}` |" in readme and f"superseded by `{corrected.name}`" in readme
    ingest = json.loads((root / "data" / "processed" / "_ingest.json").read_text(encoding="utf-8"))
    assert corrected.name in {r["file"] for r in ingest["reports"]} and ingest["set_aside"] == []
    assert run_cli(root, "ingest").returncode == 0  # superseded/ is not a stray folder


def test_add_report_refuses_an_unreadable_report_before_copying(tmp_path):
    root = make_project_copy(tmp_path / "project")
    bad = tmp_path / "bad.txt"
    bad.write_text("BIÊN BẢN HỌP\n", encoding="utf-8")
    done = run_cli(root, "add-report", str(bad))
    assert done.returncode == 2 and "expected a report of a known kind" in done.stderr
    assert not (root / "data" / "raw" / "bad.txt").exists()


def test_a_next_day_directives_notice_joins_the_first(raw_copy, tmp_path):
    # a notice of another day is no correction of the first: both are kept, each by its date
    # (what a briefing makes of them: tests/test_standing_documents.py)
    _write(raw_copy, "directives_2025-07-01.txt", next_directives((RAW / DIRECTIVES).read_text(encoding="utf-8")))
    result = run_ingest(force=True, raw_dir=raw_copy, processed_dir=tmp_path / "processed")
    assert result.set_aside == []
    notices = pd.read_csv(tmp_path / "processed" / "directives.csv")
    assert sorted(notices["notice_date"].unique()) == ["2025-06-30", "2025-07-01"]


def test_a_second_undated_vendor_summary_says_what_to_run(raw_copy, tmp_path):
    vendors = "vendor_summary_2025-06-undated.txt"
    _write(raw_copy, "vendor_summary_v2.txt", (RAW / vendors).read_text(encoding="utf-8") + "\n")
    result = run_ingest(force=True, raw_dir=raw_copy, processed_dir=tmp_path / "processed")
    assert [s["file"] for s in result.set_aside] == ["vendor_summary_v2.txt"]
    error = result.set_aside[0]["error"]
    assert f"if vendor_summary_v2.txt is the newer version of {vendors}, run: mv {raw_copy / 'vendor_summary_v2.txt'} . && briefings add-report vendor_summary_v2.txt --supersedes {vendors}" in error


# --- hostile entries in data/raw ------------------------------------------------------------


@pytest.mark.parametrize("kind", ["dangling-link", "link-out-of-project", "directory", "fifo"])
def test_entries_that_are_not_report_files_are_errors(tmp_path, kind):
    root = make_project_copy(tmp_path / "project")
    raw = root / "data" / "raw"
    entry = raw / f"odd-{kind}"
    if kind == "dangling-link":
        entry.symlink_to(raw / "nowhere.txt")
        expected = "a link that leads nowhere"
    elif kind == "link-out-of-project":
        outside = tmp_path / "outside.txt"
        shutil.copy(RAW / DAILY_30, outside)
        entry.symlink_to(outside)
        expected = "a link out of the project"
    elif kind == "directory":
        entry.mkdir()
        expected = "a directory"
    else:
        os.mkfifo(entry)
        expected = "a special file"
    done = run_cli(root, "ingest", timeout=120)
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.count("\n") == 1 and f"odd-{kind}" in done.stderr and expected in done.stderr
    assert not any((root / "data" / "processed").iterdir())


def test_control_characters_in_a_file_name_are_escaped(tmp_path):
    root = make_project_copy(tmp_path / "project")
    (root / "data" / "raw" / "evil\n\x1b[31mname.txt").write_bytes(b"\x00")
    done = run_cli(root, "ingest")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "\x1b" not in done.stderr and "evil\\n\\x1b[31mname.txt" in done.stderr
