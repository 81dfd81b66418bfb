"""Revisions of published briefings, the append-only run history, and the index's trends."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import re
import shutil
from pathlib import Path

import pytest

from conftest import make_project_copy, run_cli
from helpers.publish import history, revisions, site
from helpers.publish import folders
from helpers.publish.summary import write_summary

DATE = "2025-09-22"
PAGE = '<!DOCTYPE html>\n<html lang="vi"><head><title>t</title></head><body>\n<main class="briefing">\n<p>{body}</p>\n</main></body></html>\n'
NOW = dt.datetime(2025, 9, 23, 10, 30, tzinfo=dt.timezone.utc)


@pytest.fixture()
def root(tmp_path, monkeypatch) -> Path:
    (tmp_path / "outputs").mkdir()
    monkeypatch.setenv("BRIEFINGS_ROOT", str(tmp_path))
    return tmp_path


def summary(green: str, metrics: dict) -> dict:
    return {"headline": [{"label": "Xã, phường XANH", "value": green}, {"label": "Tỉnh <b>", "value": "7"}], "metrics": metrics, "report_date": DATE}


def stage(body: str, summ: dict) -> Path:
    staging = folders.staging_path(DATE)
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    (staging / "briefing.html").write_text(PAGE.format(body=body), encoding="utf-8")
    (staging / "briefing.ipynb").write_text("{}", encoding="utf-8")
    (staging / "summary.json").write_text(json.dumps(summ, ensure_ascii=False), encoding="utf-8")
    return staging


def publish(body: str, summ: dict, now=NOW) -> revisions.Revision | None:
    staging = stage(body, summ)
    rev = revisions.prepare(DATE, staging, now=now)
    folders.commit(DATE, staging)
    return rev


def test_first_publication_and_identical_rebuilds_are_no_revision(root):
    assert publish("v1", summary("2.821/3.321", {"green": 2821})) is None
    before = (folders.date_dir(DATE) / "briefing.html").read_text(encoding="utf-8")
    assert publish("v1", summary("2.821/3.321", {"green": 2821})) is None
    assert (folders.date_dir(DATE) / "briefing.html").read_text(encoding="utf-8") == before
    assert not (folders.date_dir(DATE) / "revisions").exists()


def test_a_changed_briefing_keeps_the_previous_version_and_says_what_moved(root):
    publish("v1", summary("2.821/3.321", {"green": 2821, "red": 59, "gone": 1}))
    first = {p.name: p.read_bytes() for p in folders.date_dir(DATE).iterdir()}
    rev = publish("v2", summary("2.830/3.321", {"green": 2830, "red": 59, "new": 3}))
    assert rev is not None and rev.number == 1
    folder = folders.date_dir(DATE)
    kept = {p.name: p.read_bytes() for p in (folder / "revisions" / "1").iterdir()}
    assert kept == first
    text = (folder / "briefing.html").read_text(encoding="utf-8")
    assert "Bản sửa đổi lần 1" in text and "17:30 ngày 23/9/2025" in text  # 10:30 UTC is 17:30 in Vietnam
    assert "Xã, phường XANH: 2.821/3.321 → 2.830/3.321" in text and 'href="revisions/1/briefing.html"' in text
    assert "Tỉnh &lt;b&gt;" not in text  # unchanged figures are not listed
    assert text.index("revision-note") > text.index('<main class="briefing">')
    record = json.loads((folder / "summary.json").read_text(encoding="utf-8"))["revision"]
    assert record["number"] == 1 and record["at"] == "2025-09-23T10:30:00+00:00"
    assert [m["name"] for m in record["metric_changes"]] == ["gone", "green", "new"]
    # the same content again: still revision 1, note and record kept
    assert publish("v2", summary("2.830/3.321", {"green": 2830, "red": 59, "new": 3}), now=NOW + dt.timedelta(days=1)) is None
    assert (folder / "briefing.html").read_text(encoding="utf-8") == text
    assert json.loads((folder / "summary.json").read_text(encoding="utf-8"))["revision"] == record
    # another change: revision 2, revision 1's folder carried over unchanged
    rev2 = publish("v3", summary("2.830/3.321", {"green": 2830, "red": 60, "new": 3}))
    assert rev2.number == 2 and sorted(p.name for p in (folder / "revisions").iterdir()) == ["1", "2"]
    assert {p.name: p.read_bytes() for p in (folder / "revisions" / "1").iterdir()} == first
    assert revisions.without_note((folder / "revisions" / "2" / "briefing.html").read_text(encoding="utf-8")) == PAGE.format(body="v2")
    text3 = (folder / "briefing.html").read_text(encoding="utf-8")
    assert text3.count("revision-note -->") == 2 and "Bản sửa đổi lần 2" in text3 and "Bản sửa đổi lần 1" not in text3
    assert "Tổng cộng 1 chỉ số" in text3  # red moved, no headline figure did


def test_the_revision_note_is_escaped(root):
    rev = revisions.Revision(number=3, at="2025-09-23T10:30:00+00:00", headline=[{"label": "<script>", "before": "1", "after": "<i>2</i>"}], metrics=[])
    note = revisions.note_html(rev)
    assert "<script>" not in note and "&lt;script&gt;" in note and "&lt;i&gt;2&lt;/i&gt;" in note


def test_the_revision_note_speaks_to_leaders_not_of_files():
    """A leadership page names no file or folder (the previous version is a link)."""
    import re

    rev = revisions.Revision(number=2, at="2025-09-23T10:30:00+00:00", headline=[{"label": "Xã, phường XANH", "before": "1", "after": "2"}],
                             metrics=[{"name": "green", "before": 1, "after": 2}])
    note = revisions.note_html(rev)
    visible = re.sub(r"<[^>]+>", " ", note.split("-->", 1)[1])
    assert "Bản trước" in visible and "Tổng cộng 1 chỉ số" in visible
    assert not re.search(r"\.json|\.html|revisions|summary", visible) and "<code" not in note, visible


# ----------------------------------------------------------------------------- history


def test_history_is_appended_and_gives_each_dates_latest_state(root):
    from helpers.publish.runner import RunSummary

    first = RunSummary(ran=[DATE], skipped=["2025-06-30"], seconds=1.5)
    history.append(history.run_record("2025-09-23T10:00:00+00:00", first, {DATE: {"status": "ok", "input_hash": "h1", "inputs": {"a": "1"}, "finished_at": "2025-09-23T10:00:05+00:00"}}))
    second = RunSummary(failed=[DATE], skipped=["2025-06-30"])
    history.append(history.run_record("2025-09-24T10:00:00+00:00", second, {DATE: {"status": "failed", "input_hash": "h2", "errors": {"briefing": {"summary": "cell 3: boom"}}, "finished_at": "2025-09-24T10:00:05+00:00"}}))
    with open(history.history_path(), "a", encoding="utf-8") as fh:
        fh.write('{"torn": ')  # a run killed mid-write
    lines = history.history_path().read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3 and json.loads(lines[0])["dates"][DATE]["inputs"] == {"a": "1"}
    runs = list(history.runs())
    assert [r["outcome"] for r in runs] == ["ok", "failed"]
    state = history.latest()
    assert state[DATE]["status"] == "failed" and state[DATE]["errors"] == {"briefing": "cell 3: boom"}
    assert state["2025-06-30"] == {"checked_at": runs[1]["finished_at"]}


def _append_many(args):
    root, worker = args
    import os

    os.environ["BRIEFINGS_ROOT"] = root
    from helpers.publish import history as h

    for i in range(50):
        h.append({"worker": worker, "i": i, "pad": "x" * 20000})


def test_concurrent_runs_never_interleave_lines(root):
    with multiprocessing.get_context("fork").Pool(3) as pool:
        pool.map(_append_many, [(str(root), w) for w in range(3)])
    records = [json.loads(line) for line in history.history_path().read_text(encoding="utf-8").splitlines()]
    assert len(records) == 150 and all(len(r["pad"]) == 20000 for r in records)


# ----------------------------------------------------------------------------- trends on the index


@pytest.mark.parametrize("text, number", [("2.821/3.321", 2821.0), ("77,06%", 77.06), ("18.072.849", 18072849.0), ("7", 7.0), ("-0,18 điểm", -0.18), ("25/26", 25.0), ("không có", None)])
def test_vietnamese_printed_numbers(text, number):
    assert site.vn_number(text) == number


def test_sparkline_is_inline_svg_without_external_references():
    svg = site.sparkline([("2025-09-22", 77.06, "77,06%"), ("2025-09-23", 77.7, "77,70%"), ("2025-09-24", 76.0, "76,00%")])
    assert svg.startswith("<svg") and svg.count("<circle") == 3 and "22/9: 77,06%" in svg
    assert not re.search(r"(src|href)\s*=", svg)
    ys = [float(y) for y in re.findall(r'cy="([0-9.]+)"', svg)]
    assert ys[1] < ys[0] < ys[2]  # higher values are drawn higher
    flat = site.sparkline([("2025-09-22", 5.0, "5"), ("2025-09-23", 5.0, "5")])
    assert len(set(re.findall(r'cy="([0-9.]+)"', flat))) == 1


def write_reports_csv(root: Path, rows: list[tuple[str, str]]) -> None:
    processed = root / "data" / "processed"
    processed.mkdir(parents=True, exist_ok=True)
    lines = ["file,kind,report_date,as_of,title,notice,sha256"] + [f"{i}.txt,{kind},{date},,T,,{i}" for i, (date, kind) in enumerate(rows)]
    (processed / "reports.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def publish_plain(date: str, headline: list[tuple[str, str]]) -> None:
    folder = folders.date_dir(date)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "briefing.html").write_text("<html></html>", encoding="utf-8")
    write_summary(folder, headline)


def test_index_shows_trends_once_a_kind_has_several_dates(root):
    write_reports_csv(root, [("2025-06-27", "daily_readiness"), ("2025-09-22", "plan02"), ("2025-09-23", "plan02"), ("2025-09-24", "plan02")])
    publish_plain("2025-06-27", [("Nhiệm vụ", "25/26")])
    publish_plain("2025-09-22", [("Xã, phường XANH", "2.821/3.321"), ("Tỷ lệ", "77,06%")])
    assert site.trends(site.listed_dates()) == []  # one date of each kind: nothing over time
    assert "<svg" not in site.render_index({})
    publish_plain("2025-09-23", [("Xã, phường XANH", "2.830/3.321"), ("Tỷ lệ", "77,70%")])
    publish_plain("2025-09-24", [("Xã, phường XANH", "2.840/3.321"), ("Khác", "1")])
    (kind, charts), = site.trends(site.listed_dates())
    assert kind == "plan02"
    assert charts[0] == ("Xã, phường XANH", [("2025-09-22", 2821.0, "2.821/3.321"), ("2025-09-23", 2830.0, "2.830/3.321"), ("2025-09-24", 2840.0, "2.840/3.321")])
    assert [label for label, _ in charts] == ["Xã, phường XANH", "Tỷ lệ"]  # 'Khác' appears once
    page = site.render_index({})
    assert page.count("<svg") == 2 and site.KIND_LABELS["plan02"] in page
    assert page.index('class="trends"') < page.index("2025-09-24/briefing.html")
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", page)


# ----------------------------------------------------------------------------- end to end


@pytest.mark.slow
def test_a_revised_date_keeps_its_previous_version_and_the_history_says_so(built_project, tmp_path):
    root = tmp_path / "root"
    shutil.copytree(built_project, root, symlinks=True)
    folder = root / "outputs" / DATE
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    before_summary = json.loads(before["summary.json"])
    done = run_cli(root, "run", "--date", DATE, "-p", "thresholds.green_pct_min=99.5", "--quiet")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"{DATE}: published outputs/{DATE}/ (revision 1)"
    kept = folder / "revisions" / "1"
    assert {p.name: p.read_bytes() for p in kept.iterdir() if p.is_file()} == before
    assert sorted(p.name for p in kept.iterdir() if p.is_dir()) == ["provinces"]  # the province pages as they were
    assert len(list((kept / "provinces").glob("*.html"))) == 35
    after = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    moved = {m["name"] for m in after["revision"]["metric_changes"]}
    assert moved and all(before_summary["metrics"].get(n) != after["metrics"].get(n) for n in moved)
    html = (folder / "briefing.html").read_text(encoding="utf-8")
    assert "Bản sửa đổi lần 1" in html
    for change in after["revision"]["headline_changes"]:
        assert f"{change['label']}: {change['before']} → {change['after']}" in html
    listed = json.loads(run_cli(root, "list", "--json").stdout)
    assert next(r for r in listed if r["date"] == DATE)["revision"] == 1
    runs = [json.loads(line) for line in (root / "outputs" / "history.jsonl").read_text(encoding="utf-8").splitlines()]
    assert runs[-1]["published"] == [DATE] and runs[-1]["dates"][DATE]["revision"]["number"] == 1
    assert runs[-1]["dates"][DATE]["inputs"]["parameters (as run)"]
    index = (root / "outputs" / "index.html").read_text(encoding="utf-8")
    assert "Bản sửa đổi lần 1" in index
