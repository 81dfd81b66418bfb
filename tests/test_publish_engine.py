"""The publishing engine: plan/hash/skip, manifest, atomic outputs, locks, index,
the HTML template, the CLI commands, and one real papermill build in a temp project."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import textwrap
import time
from importlib.metadata import EntryPoint
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT, private_overrides
from helpers.publish import execute, export, plan, runner, snapshot
from helpers.publish import folders, hashing, locks, site as index
from helpers.publish import manifest as manifests
from helpers.publish import summary as summaries

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
DATE = "2025-06-30"
REPORTS_CSV = (
    "file,kind,report_date,as_of,title,sha256\n"
    "a.txt,daily_readiness,2025-06-27,,A,1\n"
    "b.txt,daily_readiness,2025-06-30,,B,2\n"
    "c.txt,directives_notice,2025-06-30,,C,3\n"
    "d.txt,vendor_summary,,,D,4\n"
)


@pytest.fixture()
def proj(tmp_path, monkeypatch) -> Path:
    """A project root in tmp: params/defaults.yaml, data/processed/reports.csv, the fixture notebooks."""
    root = tmp_path / "proj"
    for d in ("notebooks", "params", "data/processed", "outputs"):
        (root / d).mkdir(parents=True)
    shutil.copy(ROOT / "params" / "defaults.yaml", root / "params" / "defaults.yaml")
    (root / "data" / "processed" / "reports.csv").write_text(REPORTS_CSV, encoding="utf-8")
    record_ingest(root / "data" / "processed")
    for name in plan.NOTEBOOKS:
        shutil.copy(FIXTURES / f"{name}.ipynb", root / "notebooks" / f"{name}.ipynb")
    monkeypatch.setenv("BRIEFINGS_ROOT", str(root))
    engine_only(monkeypatch)
    return root


def record_ingest(processed: Path) -> None:
    """The ingest record binding the tables of ``processed`` (what `briefings ingest` writes)."""
    import hashlib
    import json

    tables = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in processed.glob("*.csv")}
    (processed / "_ingest.json").write_text(json.dumps({"tables": tables}), encoding="utf-8")


def engine_only(monkeypatch) -> None:
    """The engine's bookkeeping without PDFs (tests/test_pdf.py) and the check of the tables
    against data/raw, which needs the real tables and reports (this project has reports.csv
    only; tests/test_faults.py). Province pages come from the briefing notebook (faked here;
    tests/test_province_pages.py)."""
    monkeypatch.setenv("BRIEFINGS_PDF", "0")
    monkeypatch.setattr(snapshot, "verify_against_raw", lambda snap, **kw: None)


class Lines:
    def __init__(self):
        self.out: list[str] = []
        self.err: list[str] = []

    def reporter(self) -> runner.Reporter:
        return runner.Reporter(out=self.out.append, err=self.err.append)

    @property
    def text(self) -> str:
        return "\n".join(self.out + self.err)


def summary_output(summary: dict):
    """The output helpers.report.glue.show_summary displays."""
    from helpers.report.glue import MACHINE_OUTPUT_TAG, SUMMARY_MIME

    return nbformat.v4.new_output("display_data", data={SUMMARY_MIME: summary}, metadata={"tags": [MACHINE_OUTPUT_TAG]})


def fake_kernel(monkeypatch, fail: set[str] = frozenset(), no_summary: bool = False, no_pages: bool = False):
    """Replace the papermill run: the 'executed' notebook is with_outputs.ipynb (the
    briefing's also displays its summary, unless ``no_summary``, and writes a list of
    province pages into its output_dir, unless ``no_pages``)."""
    calls = []

    def run_notebook(source, output, parameters, *, cwd, source_rel, output_rel, kernel_name="vn-briefings", cell_timeout=0, path_aliases=None, kernel_provisioner=None):
        calls.append((Path(source).stem, parameters["report_date"]))
        nb = nbformat.read(FIXTURES / "with_outputs.ipynb", as_version=4)
        name = Path(source).stem
        if name == "briefing" and not no_pages:
            pages = Path(parameters["output_dir"]) / "provinces"
            pages.mkdir(exist_ok=True)
            (pages / "index.html").write_text("<p>34</p>", encoding="utf-8")
        if name == "briefing" and not no_summary:
            summary = {"headline": [{"label": "Tỉnh", "value": "34"}, {"label": "Ngày", "value": parameters["report_date"]}], "metrics": {"x": 1.5}}
            nb.cells.append(nbformat.v4.new_code_cell("show_summary(b.summary)", outputs=[summary_output(summary)]))
        execute.write_notebook(nb, output)
        if name in fail:
            return execute.ExecResult(nb=nb, seconds=0.01, failure=execute.Failure("ValueError", "boom", cell=4, cells=5, exec_count=3))
        return execute.ExecResult(nb=nb, seconds=0.01)

    monkeypatch.setattr(execute, "run_notebook", run_notebook)
    return calls


def build(dates=(DATE,), **kw) -> tuple[runner.RunSummary, Lines]:
    lines = Lines()
    kw.setdefault("jobs", 1)
    summary = runner.run_dates(list(dates) if dates else None, all_dates=dates is None, reporter=lines.reporter(), **kw)
    return summary, lines


# --------------------------------------------------------------------------- plan / hash / skip


def test_tool_versions_read_without_importing():
    versions = plan.tool_versions()
    assert versions["python"].startswith("3.11")
    for name in ("papermill", "nbconvert", "nbformat", "pandas"):
        assert re.match(r"^\d+\.\d+", versions[name]), versions


def test_input_hash_follows_contents_not_mtimes(proj):
    from helpers.params import load_params

    def digest():
        hasher = plan.InputHasher(plan.NOTEBOOKS)
        loaded = load_params(DATE)
        inputs = hasher.date_inputs(loaded)
        return hasher.input_hash(DATE, inputs), inputs

    first, inputs = digest()
    assert list(inputs) == sorted(inputs)
    assert "data/processed/reports.csv" in inputs and "params/defaults.yaml" in inputs and "notebooks/briefing.ipynb" in inputs
    assert "src/helpers/publish/plan.py" in inputs and "src/helpers/report/templates/briefing/index.html.j2" in inputs
    csv = proj / "data" / "processed" / "reports.csv"
    csv.touch()
    (proj / "data" / "processed" / "_ingest.json").write_text("{}")  # not an input
    assert digest()[0] == first
    csv.write_text(REPORTS_CSV + "e.txt,plan02,2025-09-22,,E,5\n", encoding="utf-8")
    assert digest()[0] == first  # a later date's rows are not an input of this date
    csv.write_text(REPORTS_CSV + "e.txt,plan02,2025-09-22,,E,5\nf.txt,plan02,2025-06-29,,F,6\n", encoding="utf-8")
    second = digest()[0]
    assert second != first
    (proj / "params" / f"{DATE}.yaml").write_text(f"report_date: {DATE}\n", encoding="utf-8")
    third, inputs = digest()
    assert third != second and f"params/{DATE}.yaml" in inputs
    (proj / "params" / "defaults.yaml").write_text((proj / "params" / "defaults.yaml").read_text() + "\n# note\n")
    fourth = digest()[0]
    assert fourth != third
    nb = proj / "notebooks" / "province_drilldown.ipynb"
    nb.write_text(nb.read_text().replace("tỉnh:", "tỉnh/thành:"))
    assert digest()[0] != fourth


def test_up_to_date_rules(proj):
    d = folders.date_dir(DATE)
    d.mkdir(parents=True)
    files = {f"{n}.{ext}": "x" for n in plan.NOTEBOOKS for ext in ("ipynb", "html")}
    for f in files:
        (d / f).write_text("x")
    ok = {"status": "ok", "input_hash": "H", "outputs": files}
    assert plan.up_to_date({}, DATE, "H", plan.NOTEBOOKS) == (False, "new")
    assert plan.up_to_date({"last_run": ok, "last_success": ok}, DATE, "H", plan.NOTEBOOKS) == (True, "unchanged")
    assert plan.up_to_date({"last_run": ok, "last_success": ok}, DATE, "H2", plan.NOTEBOOKS) == (False, "inputs changed")
    failed = {"status": "failed", "input_hash": "H2"}
    assert plan.up_to_date({"last_run": failed, "last_success": ok}, DATE, "H2", plan.NOTEBOOKS) == (False, "inputs changed")
    assert plan.up_to_date({"last_run": failed, "last_success": ok}, DATE, "H", plan.NOTEBOOKS) == (False, "last run failed")
    assert plan.up_to_date({"last_run": failed}, DATE, "H2", plan.NOTEBOOKS) == (False, "last run failed")
    assert plan.up_to_date({"last_run": {**failed, "input_hash": "H"}, "last_success": ok}, DATE, "H", plan.NOTEBOOKS) == (False, "last run failed")
    (d / "briefing.html").unlink()
    assert plan.up_to_date({"last_run": ok, "last_success": ok}, DATE, "H", plan.NOTEBOOKS) == (False, "outputs missing")


# --------------------------------------------------------------------------- runs without a kernel


def test_run_publishes_records_and_skips(proj, monkeypatch):
    from helpers import tables

    calls = fake_kernel(monkeypatch)
    monkeypatch.setattr(tables, "_TABLES", {})
    summary, lines = build()
    assert summary.exit_code == 0 and summary.ran == [DATE]
    # the kernels read the tables; the build process (and the workers forked from it) does not
    assert tables._TABLES == {}
    assert f"{DATE}: no params/{DATE}.yaml, using params/defaults.yaml" in lines.out
    assert any(re.match(rf"\[1/2\] {DATE} briefing.ipynb executed in \d+\.\d s", line) for line in lines.out), lines.out
    d = folders.date_dir(DATE)
    assert sorted(p.name for p in d.iterdir()) == ["briefing.html", "briefing.ipynb", "province_drilldown.html", "province_drilldown.ipynb", "provinces", "summary.json"]
    assert not list(folders.outputs_dir().glob(f".{DATE}.*build*"))
    entry = manifests.read_manifest()["dates"][DATE]
    last = entry["last_success"]
    assert entry["last_run"] == last and last["status"] == "ok"
    assert last["outputs"] == hashing.file_hashes(d)
    assert last["params_file"] == "params/defaults.yaml" and last["used_defaults"] is True
    assert {"python", "papermill", "nbconvert", "nbformat", "pandas"} <= set(last["versions"])
    assert set(last["timings"]["briefing"]) == {"execute", "export"}
    assert "data/processed/reports.csv" in last["inputs"]
    assert f'href="{DATE}/briefing.html"' in (folders.outputs_dir() / "index.html").read_text(encoding="utf-8")

    calls.clear()
    summary, lines = build()
    assert summary.skipped == [DATE] and not summary.ran and calls == []
    assert any("up to date, skipped" in line for line in lines.out)

    summary, _ = build(force=True)
    assert summary.ran == [DATE] and len(calls) == 2

    (d / "province_drilldown.html").unlink()
    summary, lines = build()
    assert summary.ran == [DATE] and f"{DATE}: building (outputs missing)" in lines.out


def test_all_dates_parallel_with_fake_kernel(proj, monkeypatch):
    fake_kernel(monkeypatch)
    summary, lines = build(None, jobs=2)
    assert summary.exit_code == 0 and sorted(summary.ran) == ["2025-06-27", DATE]
    assert [line for line in lines.out if line.startswith("[4/4] ")]
    html = (folders.outputs_dir() / "index.html").read_text(encoding="utf-8")
    assert html.index(f"{DATE}/briefing.html") < html.index("2025-06-27/briefing.html")


def test_failed_export_keeps_the_last_good_output(proj, monkeypatch):
    fake_kernel(monkeypatch)
    assert build()[0].exit_code == 0
    d = folders.date_dir(DATE)
    good = {p.name: p.read_bytes() for p in d.iterdir() if p.is_file()}
    good_entry = manifests.read_manifest()["dates"][DATE]["last_success"]

    def broken_export(nb, html_path, name=None):
        raise export.ExportError(f"{html_path.name}: 2.5 MB, over the 2 MB limit of a briefing")

    monkeypatch.setattr(export, "export_file", broken_export)
    summary, lines = build(force=True)
    assert summary.exit_code == 1 and summary.failed == [DATE]
    assert any(line.startswith(f"FAILED {DATE} briefing.ipynb: export failed: briefing.html: 2.5 MB") for line in lines.err), lines.err
    assert all("Traceback" not in line for line in lines.err)
    for name, data in good.items():
        assert (d / name).read_bytes() == data, name
    assert sorted(p.name for p in (d / "failed").iterdir()) == ["briefing.ipynb", "province_drilldown.ipynb"]
    assert [p.name for p in folders.outputs_dir().glob(f".{DATE}.*")] == [f".{DATE}.lock"]  # no staging or aside folder left
    entry = manifests.read_manifest()["dates"][DATE]
    assert entry["last_run"]["status"] == "failed" and entry["last_success"] == good_entry
    assert "export failed" in entry["last_run"]["errors"]["briefing"]["summary"]

    monkeypatch.undo()  # export works again (and BRIEFINGS_ROOT is gone: set it back)
    monkeypatch.setenv("BRIEFINGS_ROOT", str(proj))
    engine_only(monkeypatch)
    fake_kernel(monkeypatch)
    assert build()[0].exit_code == 0
    assert not (d / "failed").exists()  # a good build replaces the folder, failed/ included


def test_failed_notebook_summary_and_no_earlier_briefing(proj, monkeypatch):
    fake_kernel(monkeypatch, fail={"briefing"})
    summary, lines = build()
    assert summary.exit_code == 1
    assert lines.err[0] == (
        f"FAILED {DATE} briefing.ipynb: cell 4 of 5 (In [3]): ValueError: boom; "
        f"executed notebook: outputs/{DATE}/failed/briefing.ipynb (no earlier briefing for this date)"
    )
    d = folders.date_dir(DATE)
    assert [p.name for p in d.iterdir()] == ["failed"]
    html = (folders.outputs_dir() / "index.html").read_text(encoding="utf-8")
    assert "Chưa có bản tin cho ngày này" in html and f"{DATE}/failed/briefing.ipynb" in html


def test_summary_json_is_what_the_briefing_displayed(proj, monkeypatch):
    """The engine writes summary.json from the summary output of the executed briefing
    (helpers.report.glue); the executed notebook keeps that output, the HTML does not."""
    fake_kernel(monkeypatch)
    assert build()[0].exit_code == 0
    d = folders.date_dir(DATE)
    expected = {"headline": [{"label": "Tỉnh", "value": "34"}, {"label": "Ngày", "value": DATE}], "metrics": {"x": 1.5}}
    assert (d / "summary.json").read_text(encoding="utf-8") == json.dumps(expected, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert "application/vnd.vn-briefings.summary+json" in (d / "briefing.ipynb").read_text(encoding="utf-8")
    html = (d / "briefing.html").read_text(encoding="utf-8")
    assert "vn-briefings.summary" not in html and "show_summary" not in html and "&quot;headline&quot;" not in html and '"headline"' not in html
    assert not (d / "province_drilldown.ipynb").read_text(encoding="utf-8").count("vn-briefings.summary")


def test_a_briefing_without_summary_fails_its_date(proj, monkeypatch):
    fake_kernel(monkeypatch, no_summary=True)
    summary, lines = build()
    assert summary.exit_code == 1 and summary.failed == [DATE]
    assert lines.err[0] == (
        f"FAILED {DATE} briefing.ipynb: NoSummary: the notebook displayed no application/vnd.vn-briefings.summary+json output "
        f"(its last cell calls helpers.report.glue.show_summary); executed notebook: outputs/{DATE}/failed/briefing.ipynb (no earlier briefing for this date)"
    )
    assert [p.name for p in folders.date_dir(DATE).iterdir()] == ["failed"]


def test_a_briefing_that_writes_no_province_pages_fails_its_date(proj, monkeypatch):
    """A briefing notebook without its last cell's b.write_province_pages(output_dir) (an
    edited copy, an older version) would publish a date whose map links lead nowhere."""
    fake_kernel(monkeypatch, no_pages=True)
    summary, lines = build()
    assert summary.exit_code == 1 and summary.failed == [DATE]
    assert lines.err[0].startswith(f"FAILED {DATE} briefing.ipynb: NoProvincePages: the notebook wrote no provinces/index.html into its output_dir")
    assert [p.name for p in folders.date_dir(DATE).iterdir()] == ["failed"]


def test_a_missing_kernelspec_is_one_line_and_exit_2(proj, monkeypatch, capsys):
    from helpers.cli import main

    calls = fake_kernel(monkeypatch)
    monkeypatch.setattr(plan, "KERNEL_NAME", "vn-briefings-not-installed")
    assert main(["run", "--date", DATE]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0, err
    assert "kernel 'vn-briefings-not-installed' is not installed in " in err and "make .venv/.installed" in err and "ipykernel install --sys-prefix" in err
    assert calls == [] and not folders.date_dir(DATE).exists()


def test_notebooks_name_the_projects_kernel():
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted(FIXTURES.glob("*.ipynb")):
        spec = nbformat.read(path, as_version=4).metadata.kernelspec
        assert (spec.name, spec.display_name, spec.language) == (plan.KERNEL_NAME, "Python (vn-briefings)", "python"), path


def test_interrupted_swap_is_recovered(proj):
    out = folders.outputs_dir()
    (out / f".{DATE}.old").mkdir()
    (out / f".{DATE}.old" / "briefing.html").write_text("old")
    (out / f".{DATE}.new-build").mkdir()
    (out / f".{DATE}.new-build" / "half").write_text("x")
    with locks.date_lock(DATE):
        staged = folders.prepare_staging(DATE)
    assert (out / DATE / "briefing.html").read_text() == "old"
    assert staged.is_dir() and not list(staged.iterdir())
    assert not (out / f".{DATE}.old").exists()


# --------------------------------------------------------------------------- locks

HOLDER = textwrap.dedent(
    """
    import sys
    from helpers.publish.locks import date_lock
    lock = date_lock(sys.argv[1])
    assert lock.acquire(wait=False)
    print("holding", flush=True)
    sys.stdin.readline()  # until the test says: release
    lock.release()
    """
)


def hold_lock() -> subprocess.Popen:
    """A process holding the date's lock until a line arrives on its stdin (or it is killed)."""
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, DATE], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "holding"
    return proc


def test_lock_contention_no_wait_exits_3(proj, monkeypatch, capsys):
    calls = fake_kernel(monkeypatch)
    holder = hold_lock()
    try:
        summary, lines = build(wait=False)
        assert summary.exit_code == 3 and summary.locked == [DATE] and calls == []
        assert any(f"{DATE}: locked by another run (pid {holder.pid})" in line for line in lines.err), lines.err

        from helpers.cli import main

        assert main(["run", "--date", DATE, "--no-wait"]) == 3
        err = capsys.readouterr().err
        assert "locked by another run" in err and "--no-wait" in err
    finally:
        holder.kill()
        holder.wait()
    assert build(wait=False)[0].exit_code == 0  # the lock dies with its process


def test_lock_contention_waits(proj, monkeypatch):
    calls = fake_kernel(monkeypatch)
    holder = hold_lock()
    lines = Lines()
    events = []

    def out(line: str) -> None:
        # the build says it waits (an event, not a time): only then does the holder let go
        lines.out.append(line)
        if "waiting for it to finish" in line:
            events.append(("waiting", holder.poll()))
            holder.stdin.write("release\n")
            holder.stdin.flush()

    try:
        summary = runner.run_dates([DATE], jobs=1, wait=True, reporter=runner.Reporter(out=out, err=lines.err.append))
        assert summary.exit_code == 0 and summary.ran == [DATE], lines.text
        assert events == [("waiting", None)], lines.out  # it waited while the holder was alive
        assert any(f"pid {holder.pid}" in line for line in lines.out if "waiting for it to finish" in line), lines.out
        assert calls == [("briefing", DATE), ("province_drilldown", DATE)]  # ran after the lock was free
    finally:
        if holder.poll() is None:
            holder.kill()
        holder.wait(10)


# --------------------------------------------------------------------------- index


def test_index_is_escaped_ordered_and_self_contained(proj):
    out = folders.outputs_dir()
    for date in ("2025-06-27", "2025-09-22", DATE):
        (out / date).mkdir()
        (out / date / "briefing.html").write_text("<html></html>")
    (out / "2025-09-22" / "province_drilldown.html").write_text("<html></html>")
    summaries.write_summary(out / DATE, [{"label": "<script>alert(1)</script>", "value": 'a "b" & <c>'}, ("Tỉnh sẵn sàng", "30/34")])
    (out / "2025-06-27" / "summary.json").write_text("{not json")
    (out / "2025-01-01" / "failed").mkdir(parents=True)
    (out / "2025-01-01" / "failed" / "briefing.ipynb").write_text("{}")
    (out / "not-a-date").mkdir()
    (out / ".2025-10-01.new-build").mkdir()
    manifest = {"version": 1, "dates": {"2025-01-01": {"last_run": {"status": "failed", "errors": {"briefing": {"summary": "cell 2 of 3: KeyError: '<x>'"}}}}}}
    html = index.render_index(manifest)
    assert html.startswith("<!DOCTYPE html>\n<html lang=\"vi\">") and '<meta charset="utf-8">' in html
    positions = [html.index(f">{index.vi_date(d)}<") for d in ("2025-09-22", DATE, "2025-06-27", "2025-01-01")]
    assert positions == sorted(positions)
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "a &quot;b&quot; &amp; &lt;c&gt;" in html and "Tỉnh sẵn sàng" in html and "30/34" in html
    assert "KeyError: &#x27;&lt;x&gt;&#x27;" in html and "2025-01-01/failed/briefing.ipynb" in html
    assert "Chưa có số liệu tóm tắt" in html  # the broken summary.json
    assert "2025-09-22/province_drilldown.html" in html and "Phân tích theo tỉnh" in html
    assert "not-a-date" not in html and "2025-10-01" not in html
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", html)
    assert index.write_index(manifest) is True and index.write_index(manifest) is False


# --------------------------------------------------------------------------- the HTML template


@pytest.fixture(scope="module")
def exported() -> str:
    nb = nbformat.read(FIXTURES / "with_outputs.ipynb", as_version=4)
    return export.export_html(nb, name="briefing")


def test_export_has_no_code_prompts_or_parameters(exported):
    for marker in ("INPUT_CODE_MARKER", "import pandas", "injected-parameters", "SECRET_INJECTED", "PARAM_CELL_MARKER",
                   "output of the parameters cell", "REMOVED_CELL_MARKER", "STDERR_MARKER", "JS_OUTPUT_MARKER", "In&nbsp;[", "Out["):
        assert marker not in exported, marker
    assert "Kết luận:" in exported and "Hà Nội" in exported and "#T_abc_row0_col1" in exported  # Styler table and its CSS


def test_export_is_self_contained(exported):
    for m in re.finditer(r"<(\w+)[^>]*?\s(src|href)\s*=\s*[\"']?([^\"'\s>]*)", exported):
        tag, attr, value = m.groups()
        if value.startswith(("http:", "https:", "//")):
            assert tag == "a" and attr == "href", m.group(0)  # a plain link loads nothing
        if attr == "src":
            assert value.startswith("data:"), m.group(0)
    assert 'src="data:image/png;base64,' in exported
    assert not re.search(r"<(script|link|iframe)\b", exported, re.I)
    assert not re.search(r"url\(\s*[\"']?(https?:)?//", exported) and "@import" not in exported
    assert "require.js" not in exported and "mathjax" not in exported.lower() and "mermaid" not in exported.lower()
    assert export.external_references(exported) == []
    assert len(exported.encode()) < export.MAX_BYTES


def test_export_escapes_text_outputs(exported):
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in exported  # stream output
    assert "A &amp; B &lt; C" in exported
    assert any(f"{q}&lt;b&gt;plain&lt;/b&gt;{q}" in exported for q in ("&#x27;", "&#39;", "'"))  # text/plain result


def test_export_page(exported):
    assert re.match(r"<!DOCTYPE html>\s*<html lang=\"vi\">", exported)
    assert re.search(r'<meta charset="utf-8"/?>', exported)
    assert "<title>Bản tin ngày 30/06/2025</title>" in exported
    assert "@page" in exported and "size: A4" in exported and "@media print" in exported
    assert "max-width: 900px" in exported and "system-ui" in exported


def test_export_is_deterministic_and_scripts_are_inert(exported):
    nb = nbformat.read(FIXTURES / "with_outputs.ipynb", as_version=4)
    assert export.export_html(nb, name="briefing") == exported
    nb.cells.append(nbformat.v4.new_markdown_cell("<script>alert('md')</script>"))
    html = export.export_html(nb, name="briefing")
    assert "<script" not in html.lower() and "&lt;script>alert('md')&lt;/script>" in html


def test_export_rejects_external_resources_and_oversize(tmp_path, monkeypatch):
    nb = nbformat.read(FIXTURES / "with_outputs.ipynb", as_version=4)
    cell = nbformat.v4.new_code_cell("x", outputs=[nbformat.v4.new_output("display_data", data={"text/html": '<img src="https://example.org/x.png">'})])
    nb.cells.append(cell)
    with pytest.raises(export.ExportError, match=r"briefing.html: loads external resources .*https://example.org/x.png"):
        export.export_file(nb, tmp_path / "briefing.html")
    assert not (tmp_path / "briefing.html").exists()
    for text in ('<link rel="stylesheet" href="//cdn.example/x.css">', "<div style=\"background: url('http://x/y.png')\"></div>", '<script src="https://cdn/x.js"></script>'):
        assert export.external_references(text), text
    assert export.external_references('<a href="https://chinhphu.vn/">x</a><img src="data:image/png;base64,AA">') == []
    monkeypatch.setattr(export, "MAX_BYTES", 1000)
    nb.cells.pop()
    with pytest.raises(export.ExportError, match="over the 0 MB limit|MB, over"):
        export.export_file(nb, tmp_path / "briefing.html")


def test_notebook_title():
    nb = nbformat.v4.new_notebook()
    assert export.notebook_title(nb, fallback="briefing") == "briefing"
    nb.cells.append(nbformat.v4.new_code_cell("x", outputs=[nbformat.v4.new_output("display_data", data={"text/markdown": "# Bản tin *ngày* 30/06"})]))
    assert export.notebook_title(nb) == "Bản tin ngày 30/06"
    nb.cells.insert(0, nbformat.v4.new_markdown_cell("intro\n\n## Tóm tắt [nhanh](#x)"))
    assert export.notebook_title(nb) == "Tóm tắt nhanh"
    nb.metadata["title"] = "Tiêu đề <riêng>"
    assert export.notebook_title(nb) == "Tiêu đề <riêng>"
    assert "<title>Tiêu đề &lt;riêng&gt;</title>" in export.export_html(nb)


# --------------------------------------------------------------------------- execute helpers


def test_source_cell_mapping_and_failure_line():
    nb = nbformat.read(FIXTURES / "failing.ipynb", as_version=4)  # parameters cell at index 1
    assert execute.source_cell(nb, 0) == (0, False)
    assert execute.source_cell(nb, 2) == (None, True)  # the injected cell
    assert execute.source_cell(nb, 4) == (3, False)
    f = execute.Failure("ValueError", "không có\ndữ liệu", cell=4, cells=5, exec_count=4)
    assert f.describe() == "cell 4 of 5 (In [4]): ValueError: không có dữ liệu"
    assert execute.Failure("DeadKernelError", "").describe() == "DeadKernelError"


def test_normalize_strips_timestamps():
    nb = nbformat.read(FIXTURES / "with_outputs.ipynb", as_version=4)
    nb.metadata["papermill"] = {"start_time": "t", "end_time": "t", "duration": 1.0, "input_path": "/tmp/x", "output_path": "/tmp/y", "parameters": {}}
    for cell in nb.cells:
        cell.metadata["papermill"] = {"start_time": "t", "end_time": "t", "duration": 0.1, "status": "completed", "exception": False}
        cell.metadata["execution"] = {"iopub.status.busy": "t"}
    nb.cells[2].id = "random123"
    execute.normalize(nb, "notebooks/briefing.ipynb", f"outputs/{DATE}/briefing.ipynb")
    text = nbformat.writes(nb)
    assert '"start_time"' not in text and '"end_time"' not in text and '"duration"' not in text and '"execution"' not in text
    assert nb.metadata.papermill["input_path"] == "notebooks/briefing.ipynb"
    assert nb.cells[2].id == "injected-parameters"


def test_normalize_makes_styler_ids_and_addresses_stable():
    def run(uid: str, address: str) -> str:
        html = f'<style type="text/css">\n#T_{uid}_row0_col0 {{ color: red; }}\n</style>\n<table id="T_{uid}"><tr><td id="T_{uid}_row0_col0">1</td></tr></table>'
        out = nbformat.v4.new_output("display_data", data={"text/html": html, "text/plain": f"<pandas.io.formats.style.Styler at {address}>"})
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("s", id="c1", outputs=[out])])
        return nbformat.writes(execute.normalize(nb, "a", "b"))

    first = run("1a2b3", "0x7f3a2c1b5d90")
    assert first == run("9f8e7", "0x7f00deadbeef")
    assert "T_s1_row0_col0" in first and "1a2b3" not in first and "0x7f" not in first


# --------------------------------------------------------------------------- commands


def test_cli_bad_date_and_missing_notebook_exit_2(proj, capsys):
    from helpers.cli import main

    assert main(["run", "--date", "2025-07-01"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "available: 2025-06-27, 2025-06-30" in err and "'2025-07-01'" in err
    (proj / "notebooks" / "province_drilldown.ipynb").unlink()
    assert main(["run", "--all"]) == 2
    assert "notebooks/province_drilldown.ipynb" in capsys.readouterr().err


def test_build_ingests_then_runs_all(proj, monkeypatch, capsys, tmp_path):
    import os
    import types

    import helpers.ingest.run
    from helpers.cli import main

    # the ingest runs in a forked child (its memory leaves with it): it is seen through a file
    log = tmp_path / "calls.log"

    def fake_ingest(**kw):
        with log.open("a") as fh:
            fh.write(f"ingest {os.getpid()}\n")
        return types.SimpleNamespace(skipped=False, new_dates=["2025-06-30"], reports=[{}] * 5, seconds=1.234, set_aside=[])

    monkeypatch.setattr(helpers.ingest.run, "run_ingest", fake_ingest)

    def fake_run_dates(dates, **kw):
        with log.open("a") as fh:
            fh.write(f"run {dates} {kw['all_dates']} {kw['jobs']} {kw['wait']} {os.getpid()}\n")
        return runner.RunSummary(planned=[DATE], ran=[DATE])

    monkeypatch.setattr(runner, "run_dates", fake_run_dates)
    assert main(["build", "--jobs", "3", "--no-wait"]) == 0
    calls = log.read_text().splitlines()
    assert [c.rsplit(" ", 1)[0] for c in calls] == ["ingest", "run None True 3 False"]
    assert calls[0].rsplit(" ", 1)[1] != str(os.getpid()) and calls[1].rsplit(" ", 1)[1] == str(os.getpid())
    out = capsys.readouterr().out
    assert "ingest: data/processed rebuilt from 5 reports in 1.23 s" in out
    assert "ingest: new reporting dates: 2025-06-30" in out


def test_list_command(proj, monkeypatch, capsys):
    from helpers.cli import main

    fake_kernel(monkeypatch)
    (proj / "params" / "2025-06-27.yaml").write_text("report_date: 2025-06-27\n")
    assert build()[0].exit_code == 0
    assert main(["list"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["date", "data", "params", "last", "run"]
    assert out[1].startswith(DATE) and "daily_readiness, directives_notice" in out[1] and "defaults.yaml (no params file)" in out[1] and "ok, up to date" in out[1]
    assert out[2].startswith("2025-06-27") and "params/2025-06-27.yaml" in out[2] and "never run" in out[2]


def test_noop_rebuild_is_fast_and_imports_nothing_heavy(proj, monkeypatch):
    fake_kernel(monkeypatch)
    assert build(None)[0].exit_code == 0
    code = textwrap.dedent(
        """
        import sys, time
        t = time.perf_counter()
        from helpers.cli import main
        rc = main(["run", "--all"])
        took = time.perf_counter() - t
        heavy = [m for m in ("pandas", "numpy", "papermill", "nbconvert", "nbformat", "nbclient", "jupyter_client") if m in sys.modules]
        print("RESULT", rc, took, ",".join(heavy))
        """
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**__import__("os").environ, "BRIEFINGS_ROOT": str(proj)})
    line = [ln for ln in res.stdout.splitlines() if ln.startswith("RESULT")][0].split(" ")
    assert line[1] == "0", res.stdout + res.stderr
    assert float(line[2]) < 1.0
    assert line[3] == "", f"heavy imports on a no-op: {line[3]}"
    assert "all 2 dates up to date" in res.stdout


# --------------------------------------------------------------------------- kernels: documented extension points only


def test_the_engine_runs_without_the_plug_in(monkeypatch):
    """No kernel pool installed, or one whose package was deleted while its entry point
    stayed: the engine yields no provisioner stanza (jupyter_client's default launch)."""
    import importlib.metadata

    monkeypatch.setattr(importlib.metadata, "entry_points", lambda group=None, **kw: [])
    with runner.kernel_pool(["briefing"]) as stanza:
        assert stanza is None
    gone = EntryPoint(name="gone", value="helpers.publish.no_such_plugin:kernel_pool", group=runner.KERNEL_POOLS)
    monkeypatch.setattr(importlib.metadata, "entry_points", lambda group=None, **kw: [gone])
    with runner.kernel_pool(["briefing"]) as stanza:
        assert stanza is None


def test_no_private_jupyter_client_method_is_overridden():
    """The engine's subclasses of jupyter_client classes add or override public methods
    only (a private one may change in any release)."""
    from jupyter_client.manager import AsyncKernelManager

    manager = execute._kernel_manager_class()()
    for cls in (type(manager), manager.client_factory, type(manager.kernel_spec_manager)):
        assert private_overrides(cls) == [], cls

    class Overrides(AsyncKernelManager):  # what the engine did before: the check sees it
        async def _async_launch_kernel(self, kernel_cmd, **kw):
            return None

    assert private_overrides(Overrides) == ["Overrides._async_launch_kernel (jupyter_client.manager.KernelManager)"]


# --------------------------------------------------------------------------- one real papermill build


@pytest.mark.slow
def test_real_papermill_build_failure_and_determinism(proj, capsys):
    from helpers.cli import main

    # 1. a good build of one date, both notebooks in parallel
    assert main(["run", "--date", DATE, "--jobs", "2"]) == 0
    out = capsys.readouterr().out
    assert re.search(rf"\[\d/2\] {DATE} briefing.ipynb executed in \d+\.\d s", out), out
    d = folders.date_dir(DATE)
    html = (d / "briefing.html").read_text(encoding="utf-8")
    assert "<title>Bản tin thử nghiệm</title>" in html and f"Ngày {DATE}: 2 báo cáo" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "show_summary" not in html and "injected-parameters" not in html
    assert "vn-briefings.summary" not in html and "Số báo cáo" not in html  # the summary is for the engine and the index
    summary = json.loads((d / "summary.json").read_text(encoding="utf-8"))
    assert summary["headline"] == [{"label": "Số báo cáo", "value": "2"}, {"label": "Ngưỡng sẵn sàng", "value": "80"}]
    nb_text = (d / "briefing.ipynb").read_text(encoding="utf-8")
    assert "start_time" not in nb_text and "end_time" not in nb_text and '"execution"' not in nb_text
    assert "import csv" in nb_text  # the executed notebook keeps its code
    assert "application/vnd.vn-briefings.summary+json" in nb_text  # and the summary the engine read
    assert '"id": "injected-parameters"' in nb_text
    drill = (d / "province_drilldown.html").read_text(encoding="utf-8")
    assert "tỉnh: (tất cả)" in drill
    assert f"python: {sys.executable}" in drill  # the kernel is this interpreter (the venv)
    first = {str(p.relative_to(d)): p.read_bytes() for p in sorted(d.rglob('*')) if p.is_file()}
    assert "provinces/index.html" in first
    assert "Ngưỡng sẵn sàng" in (folders.outputs_dir() / "index.html").read_text(encoding="utf-8")

    # 2. forced rebuild: byte-identical outputs
    assert main(["run", "--date", DATE, "--force", "--jobs", "2"]) == 0
    assert {str(p.relative_to(d)): p.read_bytes() for p in sorted(d.rglob('*')) if p.is_file()} == first
    capsys.readouterr()

    # 3. a failing briefing: one summary line, failed notebook kept, last good briefing survives
    shutil.copy(FIXTURES / "failing.ipynb", proj / "notebooks" / "briefing.ipynb")
    assert main(["run", "--date", DATE, "--jobs", "1"]) == 1
    captured = capsys.readouterr()
    failed_lines = [line for line in captured.err.splitlines() if line.startswith("FAILED")]
    assert failed_lines == [
        f"FAILED {DATE} briefing.ipynb: cell 4 of 5 (In [4]): ValueError: không có dữ liệu cho {DATE}; "
        f"executed notebook: outputs/{DATE}/failed/briefing.ipynb (the last good briefing is kept)"
    ], captured.err
    assert "Traceback" not in captured.err and "Traceback" not in captured.out
    for name, data in first.items():
        assert (d / name).read_bytes() == data, name
    failed_nb = nbformat.read(d / "failed" / "briefing.ipynb", as_version=4)
    errors = [o for c in failed_nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors and errors[0].ename == "ValueError"
    entry = manifests.read_manifest()["dates"][DATE]
    assert entry["last_run"]["status"] == "failed" and entry["last_success"]["status"] == "ok"
    assert entry["last_run"]["errors"]["briefing"]["cell"] == 4
