"""Faults and hostile inputs, through the real CLI and the real notebooks, in copies of a
built project: SIGKILL, SIGTERM, SIGHUP and SIGINT in the middle of a run, SIGKILL in the
middle of an ingest, two runs of one date at once, a notebook that raises, report text
that tries to inject HTML, hostile params files, tampered or forged processed tables,
broken files the program wrote itself, file names with control characters, a full disk.

Each failing case must give one line (control characters escaped), the right exit code,
leave nothing behind and change nothing published. Runs are interrupted on an event (a
notebook cell that waits for a file the test creates, :func:`sync_cell`), never after a
sleep."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest

from conftest import run_cli

pytestmark = pytest.mark.slow

DATE = "2025-09-22"
PUBLISHED = ("briefing.html", "province_drilldown.html", "summary.json")


# --------------------------------------------------------------------------- helpers


def copy_built(built: Path, tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(built, root, symlinks=True)
    return root


def popen_cli(root: Path, *args: str, log: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    """``python -m helpers ARGS`` in its own session (so its process group can be killed);
    stdout and stderr go to ``log``.out / ``log``.err (files: no pipe can fill up)."""
    env = {**os.environ, **(env or {}), "BRIEFINGS_ROOT": str(root)}
    with open(f"{log}.out", "wb") as out, open(f"{log}.err", "wb") as err:
        return subprocess.Popen([sys.executable, "-m", "helpers", *args], stdout=out, stderr=err, env=env, start_new_session=True)


def run_together(root: Path, tmp_path: Path, *args: str):
    """The same command twice, started together; (processes, exit codes, (stdout, stderr) of each)."""
    logs = [tmp_path / "first", tmp_path / "second"]
    procs = [popen_cli(root, *args, log=log) for log in logs]
    try:
        codes = [p.wait(600) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGKILL)
    return procs, codes, [read_log(log) for log in logs]


def read_log(log: Path) -> tuple[str, str]:
    return Path(f"{log}.out").read_text(encoding="utf-8"), Path(f"{log}.err").read_text(encoding="utf-8")


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(directory: Path, hidden: bool = True) -> dict[str, str]:
    """Relative path -> sha256 of every file under ``directory``; ``hidden=False`` skips
    anything under a dot-name (locks, staging folders: not published outputs)."""
    out = {}
    for path in sorted(directory.rglob("*")):
        rel = path.relative_to(directory)
        if not hidden and any(part.startswith(".") for part in rel.parts):
            continue
        if path.is_file():
            out[rel.as_posix()] = sha(path)
    return out


def published(root: Path, date: str = DATE) -> dict[str, str]:
    d = root / "outputs" / date
    return {name: sha(d / name) for name in PUBLISHED}


def _proc_table() -> dict[int, tuple[int, str, str]]:
    """pid -> (ppid, state, cmdline) of every live process."""
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        table[int(entry.name)] = (int(fields[1]), fields[0], cmdline)
    return table


def descendants(pid: int) -> dict[int, str]:
    """Live (non-zombie) descendants of ``pid``: pid -> cmdline."""
    table = _proc_table()
    children: dict[int, list[int]] = {}
    for p, (ppid, _, _) in table.items():
        children.setdefault(ppid, []).append(p)
    out, todo = {}, [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if table[child][1] != "Z":
                out[child] = table[child][2]
                todo.append(child)
    return out


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            stat = fh.read()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def sigkill_group(proc: subprocess.Popen) -> dict[int, str]:
    """SIGKILL the process group of ``proc`` (the CLI and its forked workers); returns
    the descendants it had, whatever their group (kernels run in their own session)."""
    tree = descendants(proc.pid)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(30)
    return tree


def reap_kernels(tree: dict[int, str], timeout: float = 20) -> list[int]:
    """Wait for the processes of ``tree`` to end; SIGKILL (by pid) and return those that did not."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(alive(p) for p in tree):
        time.sleep(0.2)
    survivors = [p for p in tree if alive(p)]
    for p in survivors:
        try:
            os.kill(p, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return survivors


def wait_for(predicate, timeout: float, proc: subprocess.Popen | None = None, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        if proc is not None and proc.poll() is not None:
            return False
        time.sleep(step)
    return False


def leftovers(outputs: Path, date: str | None = DATE) -> list[str]:
    """Staging / swap folders of ``date`` left in outputs/ (the lock file is expected); with
    ``date=None`` every hidden leftover: any date's staging, table snapshots, temp files."""
    pattern = f".{date}.*" if date else ".*"
    # the lock files and the per-date row-digest cache (outputs/.cache, see README) belong there
    return sorted(p.name for p in outputs.glob(pattern) if not p.name.endswith(".lock") and p.name != ".cache")


def published_files(root: Path) -> dict[str, str]:
    """Every published file under outputs/ (not the hidden locks, staging or snapshots, nor
    the run history outputs/history.jsonl, which every run appends to by design)."""
    published = snapshot(root / "outputs", hidden=False)
    published.pop("history.jsonl", None)
    return published


def one_line_error(done: subprocess.CompletedProcess) -> str:
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", done.stderr), repr(done.stderr)
    return lines[0]


def sync_cell(sync: Path) -> str:
    """A notebook cell that says it runs and waits for the test's go (at most 10 min): fault
    tests act on this event, never after a sleep."""
    return (
        "import pathlib, time\n"
        f"_sync = pathlib.Path({str(sync)!r})\n"
        "(_sync / 'started').touch()\n"
        "_until = time.monotonic() + 600\n"
        "while not (_sync / 'go').exists() and time.monotonic() < _until:\n"
        "    time.sleep(0.05)\n"
    )


def add_sync_cell(root: Path, sync: Path, name: str = "briefing") -> bytes:
    """Put :func:`sync_cell` first in notebooks/<name>.ipynb; returns the original bytes."""
    path = root / "notebooks" / f"{name}.ipynb"
    original = path.read_bytes()
    nb = nbformat.reads(original.decode("utf-8"), as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(sync_cell(sync)))
    nbformat.write(nb, path)
    sync.mkdir(parents=True, exist_ok=True)
    return original


def wait_started(sync: Path, proc: subprocess.Popen, log: Path, timeout: float = 300) -> None:
    """Until the sync cell runs (a kernel is mid-notebook); fails if the run ends first."""
    assert wait_for((sync / "started").exists, timeout, proc), f"the notebook never started (exit {proc.poll()}):\n" + "\n".join(read_log(log))


# --------------------------------------------------------------------------- A. SIGKILL


def test_sigkill_mid_run_publishes_nothing_and_next_run_recovers(built_project, tmp_path):
    root = copy_built(built_project, tmp_path)
    out = root / "outputs"
    before_outputs = snapshot(out, hidden=False)  # every published file: date folders, index, manifest
    before_processed = snapshot(root / "data" / "processed")
    briefing = (out / DATE / "briefing.html").read_bytes()

    log = tmp_path / "killed"
    staging = out / f".{DATE}.new-build"
    sync = tmp_path / "sync"
    original = add_sync_cell(root, sync)
    # The killed run's temporary folders (kernel sockets, ...) cannot be removed by it: keep
    # them out of /tmp (a short path: Unix socket paths are limited to 107 bytes).
    tmp = tempfile.mkdtemp(prefix="bk-")
    proc = popen_cli(root, "run", "--date", DATE, "--force", log=log, env={"TMPDIR": tmp})
    try:
        wait_started(sync, proc, log)  # the briefing's kernel is executing its first cell
        assert staging.is_dir() and not (staging / "briefing.html").exists()
        tree = sigkill_group(proc)
        # Kernels (and a kernel template) run in sessions of their own, out of reach of the
        # group kill: without their parent they must end by themselves.
        survivors = reap_kernels(tree)
    finally:
        (sync / "go").touch()
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(30)
        shutil.rmtree(tmp, ignore_errors=True)
    (root / "notebooks" / "briefing.ipynb").write_bytes(original)
    assert proc.returncode == -signal.SIGKILL
    assert tree, "the run had no worker or kernel processes"
    assert survivors == [], f"processes outlived the killed run: {[tree[p] for p in survivors]}"

    # Nothing published changed, nothing half-written is visible.
    assert (out / DATE / "briefing.html").read_bytes() == briefing
    assert snapshot(out, hidden=False) == before_outputs
    assert snapshot(root / "data" / "processed") == before_processed
    json.loads((out / "manifest.json").read_text(encoding="utf-8"))

    # The next run recovers the stale staging folder and the lock of the killed run.
    done = run_cli(root, "run", "--date", DATE, "--force", "--no-wait")
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{DATE}: published outputs/{DATE}/" in done.stdout
    assert leftovers(out) == []
    assert not list(out.glob(f"{DATE}/.*")) and not (out / DATE / "failed").exists()
    assert published(root) == published(built_project)  # same inputs, same bytes
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["dates"][DATE]["last_run"]["status"] == "ok"
    assert snapshot(root / "data" / "processed") == before_processed


# ``briefings ingest --force`` (the real CLI, in a process of its own) that stops at one
# point of its work, says so (a file) and waits there for the test, which kills it on
# that event: while it parses the reports; with the tables written into its staging
# folder; between the two renames of the swap (data/processed aside, the new folder not
# yet in place).
PAUSED_INGEST = """
import os, pathlib, sys, time
point, sync = sys.argv[1], pathlib.Path(sys.argv[2])
del sys.argv[1:3]

def pause():
    (sync / 'started').touch()
    until = time.monotonic() + 600
    while not (sync / 'go').exists() and time.monotonic() < until:
        time.sleep(0.05)

import helpers.ingest.run as ingest
if point == 'parsing':
    real_parse = ingest._parse_or_refuse
    def parse(*args, **kwargs):
        pause()
        return real_parse(*args, **kwargs)
    ingest._parse_or_refuse = parse
elif point == 'staging written':
    real_write = ingest.write_tables
    def write(*args, **kwargs):
        counts = real_write(*args, **kwargs)
        pause()
        return counts
    ingest.write_tables = write
elif point == 'between the renames':
    real_replace = os.replace
    def replace(src, dst, **kw):
        real_replace(src, dst, **kw)
        if pathlib.Path(dst).name == '.processed.old':
            pause()
    os.replace = replace
from helpers.cli import run
run()
"""


def _kill_ingest_at(root: Path, tmp_path: Path, point: str) -> None:
    """Start ``ingest --force`` paused at ``point`` and SIGKILL it (and its workers) there."""
    sync = tmp_path / f"sync-{point.replace(' ', '-')}"
    sync.mkdir()
    log = tmp_path / f"ingest-{point.replace(' ', '-')}"
    env = {**os.environ, "BRIEFINGS_ROOT": str(root)}
    with open(f"{log}.out", "wb") as out, open(f"{log}.err", "wb") as err:
        proc = subprocess.Popen([sys.executable, "-c", PAUSED_INGEST, point, str(sync), "ingest", "--force"], stdout=out, stderr=err, env=env, start_new_session=True)
    try:
        wait_started(sync, proc, log, timeout=120)
        sigkill_group(proc)
    finally:
        (sync / "go").touch()
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(30)


def tables_of(processed: Path) -> dict[str, str]:
    """:func:`snapshot` of a data/processed folder without the ingest's cache (``.cache/``,
    which the ingest moves into the folder it swaps in: not part of the tables)."""
    return {k: v for k, v in snapshot(processed).items() if not k.startswith(".cache/")}


def test_sigkill_mid_ingest_leaves_processed_intact(built_project, tmp_path):
    root = copy_built(built_project, tmp_path)
    data = root / "data"
    processed = data / "processed"
    before = tables_of(processed)

    for point in ("parsing", "staging written", "between the renames"):
        _kill_ingest_at(root, tmp_path, point)
        if point == "between the renames":  # the old folder is aside, whole; the next ingest puts it back
            assert not processed.exists() and tables_of(data / ".processed.old") == before, point
        else:
            assert tables_of(processed) == before, f"data/processed changed by an ingest killed while {point}"
            assert (point == "staging written") == any(data.glob(".processed.new-*")), point
        done = run_cli(root, "ingest", "--force")
        assert done.returncode == 0, f"{point}: {done.stdout}{done.stderr}"
        assert tables_of(processed) == before, point
        assert sorted(p.name for p in data.iterdir()) == ["processed", "raw"], f"{point}: leftovers in data/"
    done = run_cli(root, "ingest")
    assert done.returncode == 0 and "up to date" in done.stdout, done.stdout + done.stderr


# --------------------------------------------------------------------------- B. two runs of one date


def test_two_runs_of_one_date_one_waits(built_project, tmp_path):
    root = copy_built(built_project, tmp_path)
    out = root / "outputs"
    params = root / "params" / f"{DATE}.yaml"
    params.write_text(params.read_text(encoding="utf-8") + "\n# touched: the inputs changed, both runs want to build\n", encoding="utf-8")

    procs, codes, texts = run_together(root, tmp_path, "run", "--date", DATE)
    assert codes == [0, 0], texts
    stdouts = [t[0] for t in texts]
    waited = [i for i, s in enumerate(stdouts) if "waiting for it to finish" in s]
    assert len(waited) == 1, stdouts
    builder, waiter = 1 - waited[0], waited[0]
    assert f"another run (pid {procs[builder].pid}) is building this date" in stdouts[waiter]
    assert f"{DATE}: published outputs/{DATE}/" in stdouts[builder]
    assert f"{DATE}: built by the other run meanwhile, skipped" in stdouts[waiter]
    assert all("Traceback" not in t[1] for t in texts)

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    last = manifest["dates"][DATE]["last_run"]
    assert last["status"] == "ok" and last["outputs"]["briefing.html"] == sha(out / DATE / "briefing.html")
    assert published(root) == published(built_project)
    assert leftovers(out) == []


def test_two_runs_of_one_date_no_wait_exits_3(built_project, tmp_path):
    root = copy_built(built_project, tmp_path)
    out = root / "outputs"
    procs, codes, texts = run_together(root, tmp_path, "run", "--date", DATE, "--force", "--no-wait")
    assert sorted(codes) == [0, 3], texts
    winner, loser = codes.index(0), codes.index(3)
    err = texts[loser][1]
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines and len(lines) <= 2, err  # the date's line and the command's error line, no traceback
    assert all("locked by another run" in line for line in lines), err
    assert f"{DATE}: locked by another run (pid {procs[winner].pid}); not waiting (--no-wait)" in lines
    assert "Traceback" not in err and "Traceback" not in texts[loser][0]
    assert f"{DATE}: published outputs/{DATE}/" in texts[winner][0]

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["dates"][DATE]["last_run"]["status"] == "ok"
    assert published(root) == published(built_project)
    assert leftovers(out) == []


# --------------------------------------------------------------------------- C. a failing notebook


def test_failing_real_notebook_keeps_last_good_briefing(built_project, tmp_path):
    root = copy_built(built_project, tmp_path)
    out = root / "outputs"
    source = root / "notebooks" / "briefing.ipynb"
    nb = nbformat.read(source, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell('raise RuntimeError("boom")'))
    nbformat.write(nb, source)
    cells = len(nb.cells)
    before = snapshot(out / DATE)

    done = run_cli(root, "run", "--date", DATE, "--force")
    assert done.returncode == 1, done.stdout + done.stderr
    err_lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(err_lines) <= 4, done.stderr  # a summary, not a traceback
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    failed = [line for line in err_lines if line.startswith("FAILED")]
    assert len(failed) == 1, done.stderr
    assert re.fullmatch(
        rf"FAILED {DATE} briefing\.ipynb: cell {cells} of {cells} \(In \[\d+\]\): RuntimeError: boom; "
        rf"executed notebook: outputs/{DATE}/failed/briefing\.ipynb \(the last good briefing is kept\)",
        failed[0],
    ), failed[0]
    assert any(DATE in line and "failed" in line for line in err_lines if not line.startswith("FAILED"))

    kept = out / DATE / "failed" / "briefing.ipynb"
    assert kept.is_file()
    errors = [o for c in nbformat.read(kept, as_version=4).cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert [(e.ename, e.evalue) for e in errors] == [("RuntimeError", "boom")]
    # The last good build (briefing, drill-down, summary.json, executed notebooks) is untouched,
    # although the drill-down succeeded this time and the failing briefing wrote a summary.json.
    after = snapshot(out / DATE)
    assert {k: v for k, v in after.items() if not k.startswith("failed/")} == before
    assert sorted(k for k in after if k.startswith("failed/")) == ["failed/briefing.ipynb"]
    assert leftovers(out) == []
    entry = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["dates"][DATE]
    assert entry["last_run"]["status"] == "failed" and entry["last_success"]["status"] == "ok"
    assert entry["last_success"]["outputs"]["briefing.html"] == before["briefing.html"]
    assert f'href="{DATE}/briefing.html"' in (out / "index.html").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- D. HTML in report text

PAYLOAD_SCRIPT = "<script>alert(1)</script>"
PAYLOAD_IMG = "<img src=x onerror=alert(2)>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
ESCAPED_IMG = "&lt;img src=x onerror=alert(2)&gt;"


def inject_obstacle(raw: Path) -> str:
    """Put both payloads into Lạng Sơn's main obstacle of appendix 6 (Phụ lục 6, 'vướng mắc
    chính trong ngày'), and make it affect the most communes so that the briefing's
    Lạng Sơn card (top obstacles by communes) shows it too. Returns the new text."""
    text = raw.read_text(encoding="utf-8")
    start = text.index("Vướng mắc chính trong ngày")  # the table of appendix 6
    row = re.compile(r"\n20 Lạng Sơn \n\n(?:.*\n\n)*?(Khó khăn trong số hóa hồ sơ) 3/65 \(4,6%\)")
    m = row.search(text, start)
    assert m, "the Lạng Sơn row of appendix 6 moved: update the test"
    new = f"Khó khăn {PAYLOAD_SCRIPT} trong số hóa hồ sơ {PAYLOAD_IMG}"
    edited = text[: m.start(1)] + f"{new} 50/65 (76,9%)" + text[m.end() :]
    raw.write_text(edited, encoding="utf-8")
    return new


def test_report_text_is_escaped_in_the_html(built_project, tmp_path):
    root = copy_built(built_project, tmp_path)
    text = inject_obstacle(root / "data" / "raw" / f"plan02_report_{DATE}.txt")

    done = run_cli(root, "ingest")
    assert done.returncode == 0, done.stdout + done.stderr
    obstacles = (root / "data" / "processed" / "obstacles.csv").read_text(encoding="utf-8")
    assert text in obstacles  # the payload went through the parser verbatim

    done = run_cli(root, "run", "--date", DATE)
    assert done.returncode == 0, done.stdout + done.stderr
    for name in ("briefing.html", "province_drilldown.html"):
        html = (root / "outputs" / DATE / name).read_text(encoding="utf-8")
        assert "Lạng Sơn" in html
        assert "<script" not in html.lower(), name
        assert "<img src=x" not in html and "onerror=alert" not in html.replace(ESCAPED_IMG, ""), name
        assert ESCAPED_SCRIPT in html, f"{name}: the escaped obstacle text is not shown"
        assert ESCAPED_IMG in html, name
    drill = (root / "outputs" / DATE / "province_drilldown.html").read_text(encoding="utf-8")
    assert "<h3>Lạng Sơn (mã 20)</h3>" in drill  # flagged on 22/9: in the default drill-down
    index = (root / "outputs" / "index.html").read_text(encoding="utf-8")
    assert "<script" not in index.lower() and "<img src=x" not in index


# --------------------------------------------------------------------------- params


PARAMS_CASES = {
    "duplicate key": ("report_date: 2025-09-22\nprovince: Huế\nprovince: Lạng Sơn\n", 3, "each key once"),
    "alias bomb": ("report_date: 2025-09-22\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n", 2, "anchors are not supported"),
    "deep nesting": ("report_date: 2025-09-22\nthresholds: " + "[" * 50 + "]" * 50 + "\n", 2, "levels of nesting"),
    "python tag": ("report_date: 2025-09-22\nprovince: !!python/object/apply:os.system [touch /tmp/pwned]\n", 2, "tags are not supported"),
    "huge small_group_n": ("report_date: 2025-09-22\nthresholds:\n  small_group_n: 1000000000000000000000000000000\n", 3, "less than or equal to 34"),
    "nan threshold": ("report_date: 2025-09-22\nthresholds:\n  volume_index_low: .nan\n", 3, "finite number"),
    "unknown province": ("report_date: 2025-09-22\nprovince: Atlantis\n", 2, "34 province names"),
    "unknown province code": ("report_date: 2025-09-22\nprovince: 99\n", 2, "official province code"),
    "cell timeout out of range": ("report_date: 2025-09-22\ncell_timeout_s: 0\n", 2, "cell_timeout_s"),
    "removed language key": ("report_date: 2025-09-22\nlanguage: vi\n", 2, "known key"),
    "huge value": ("report_date: 2025-09-22\nprovince: " + "Ă" * 20_000 + "\n", 2, "20,000 characters"),
    "control characters": ('report_date: 2025-09-22\nprovince: "Huế\\n\\e[2J\\u202e"\n', 2, "\\x1b[2J"),
    "not UTF-8": (b"report_date: 2025-09-22\nprovince: Hu\xe9\n", 2, "UTF-8"),
    "too big": ("report_date: 2025-09-22\n" + "# padding\n" * 10_000, None, "at most 64 KiB"),
}


def test_hostile_params_are_refused_before_any_kernel(built_project, tmp_path):
    root = copy_built(built_project, tmp_path)
    before = published_files(root)
    path = root / "params" / f"{DATE}.yaml"
    good = path.read_bytes()
    tried = passed = 0
    for label, (text, line, needle) in PARAMS_CASES.items():
        tried += 1
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        done = run_cli(root, "run", "--date", DATE, "--force")
        assert done.returncode == 2, f"{label}: {done.stdout}{done.stderr}"
        err = one_line_error(done)
        where = f"params/{DATE}.yaml:{line}: " if line else f"params/{DATE}.yaml: "
        assert err.startswith(f"error: {where}expected "), f"{label}: {err}"
        assert needle in err and len(err) < 400, f"{label}: {err}"
        assert "building" not in done.stdout, f"{label}: a kernel started"
        assert published_files(root) == before and leftovers(root / "outputs", None) == [], label
        passed += 1
    path.write_bytes(good)
    for label, make in {
        "a directory": lambda p: p.mkdir(),
        "a FIFO": lambda p: os.mkfifo(p),
        "a link that leads nowhere": lambda p: p.symlink_to(p.with_name("nowhere.yaml")),
        "a link out of the project": lambda p: p.symlink_to(tmp_path / "outside.yaml"),
    }.items():
        tried += 1
        (tmp_path / "outside.yaml").write_text(f"report_date: {DATE}\n", encoding="utf-8")
        path.unlink()
        make(path)
        done = run_cli(root, "run", "--date", DATE, "--force", timeout=120)
        assert done.returncode == 2, f"{label}: {done.stdout}{done.stderr}"
        err = one_line_error(done)
        assert err.startswith(f"error: params/{DATE}.yaml: expected "), f"{label}: {err}"
        assert published_files(root) == before and leftovers(root / "outputs", None) == [], label
        shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
        path.write_bytes(good)
        passed += 1
    print(f"hostile params: {passed}/{tried} cases refused with one line, nothing published changed")


# --------------------------------------------------------------------------- processed tables


def test_tampered_table_is_refused_and_ingest_repairs_it(built_project, tmp_path):
    root = copy_built(built_project, tmp_path)
    before = published_files(root)
    table = root / "data" / "processed" / "commune_status.csv"
    original = table.read_bytes()
    lines = original.decode("utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    row = lines[1].rstrip("\n").split(",")
    row[header.index("green")] = "999"  # more GREEN communes than the province has
    table.write_bytes((lines[0] + ",".join(row) + "\n" + "".join(lines[2:])).encode("utf-8"))

    for args in (("run", "--date", DATE, "--force"), ("run", "--all"), ("build",)):
        done = run_cli(root, *args) if args != ("build",) else None
        if done is None:
            break
        assert done.returncode == 2, done.stdout + done.stderr
        err = one_line_error(done)
        assert err.startswith("error: data/processed/commune_status.csv: expected the table the last ingest wrote"), err
        assert "briefings ingest" in err
        assert published_files(root) == before and leftovers(root / "outputs", None) == []

    done = run_cli(root, "ingest")  # the tables are not what the record says: rebuilt from data/raw
    assert done.returncode == 0 and "up to date" not in done.stdout, done.stdout + done.stderr
    assert table.read_bytes() == original
    done = run_cli(root, "run", "--date", DATE)
    assert done.returncode == 0 and "up to date, skipped" in done.stdout, done.stdout + done.stderr
    assert published_files(root) == before


def _forge_cao_bang_green(table: Path) -> None:
    """More GREEN communes in Cao Bằng than it has (within the schema: a count is a count)."""
    from helpers.ingest.provinces import lookup

    lines = table.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    code = str(lookup("Cao Bằng"))
    rows = [i for i, line in enumerate(lines[1:], 1) if line.split(",")[header.index("province_code")] == code]
    assert rows, "no Cao Bằng row in commune_status.csv"
    for i in rows:
        row = lines[i].rstrip("\n").split(",")
        row[header.index("green")] = "999"
        lines[i] = ",".join(row) + "\n"
    table.write_text("".join(lines), encoding="utf-8")


def _forge_dossiers_count(table: Path) -> None:
    lines = table.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = re.sub(r",\d+,", ",many,", lines[1], count=1)  # a non-numeric count
    table.write_text("".join(lines), encoding="utf-8")


@pytest.mark.parametrize("table_name, forge", [("commune_status", _forge_cao_bang_green), ("dossiers", _forge_dossiers_count)])
def test_forged_table_and_record_are_refused_before_any_kernel(built_project, tmp_path, table_name, forge):
    root = copy_built(built_project, tmp_path)
    before = published_files(root)
    processed = root / "data" / "processed"
    table = processed / f"{table_name}.csv"
    forge(table)
    record = json.loads((processed / "_ingest.json").read_text(encoding="utf-8"))
    record["tables"][f"{table_name}.csv"] = hashlib.sha256(table.read_bytes()).hexdigest()  # the record forged too
    (processed / "_ingest.json").write_text(json.dumps(record), encoding="utf-8")

    for args in (("run", "--date", DATE, "--force"), ("build", "--force")):
        done = run_cli(root, *args)
        assert done.returncode == 2, done.stdout + done.stderr
        err = one_line_error(done)
        assert err.startswith(f"error: data/processed/{table_name}.csv: expected the table data/raw gives"), err
        assert "briefings ingest --force" in err, err
        assert "building" not in done.stdout, done.stdout  # no kernel started
        assert published_files(root) == before and leftovers(root / "outputs", None) == []

    done = run_cli(root, "ingest", "--force")  # what the line says: rebuilt from data/raw
    assert done.returncode == 0, done.stdout + done.stderr
    done = run_cli(root, "run", "--date", DATE)
    assert done.returncode == 0 and "up to date, skipped" in done.stdout, done.stdout + done.stderr
    assert published_files(root) == before


def test_tables_found_equal_to_data_raw_are_not_parsed_again(built_project, tmp_path):
    """The check against data/raw is paid once per change of the tables (the build's own ingest counts)."""
    root = copy_built(built_project, tmp_path)
    # the check runs in a forked child process: a spy on it notes each call in a file
    calls = tmp_path / "checks-against-raw"
    probe = (
        "import sys\n"
        "import helpers.publish.snapshot as snapshot\n"
        "real = snapshot.verify_against_raw\n"
        "def spy(*a, **k):\n"
        "    with open(sys.argv[1], 'a') as fh:\n"
        "        fh.write('checked\\n')\n"
        "    return real(*a, **k)\n"
        "snapshot.verify_against_raw = spy\n"
        "from helpers.cli import main\n"
        "sys.exit(main(sys.argv[2:]))\n"
    )
    env = {**os.environ, "BRIEFINGS_ROOT": str(root)}

    def run_counting() -> int:
        before = len(calls.read_text().splitlines()) if calls.exists() else 0
        done = subprocess.run([sys.executable, "-c", probe, str(calls), "run", "--date", DATE, "--force"], capture_output=True, text=True, env=env, timeout=600)
        assert done.returncode == 0, done.stdout + done.stderr
        return (len(calls.read_text().splitlines()) if calls.exists() else 0) - before

    assert run_counting() == 0  # the tables the build's own ingest wrote were remembered
    (root / "outputs" / ".cache" / "verified-tables.json").unlink()  # forgotten: checked again, then remembered
    assert [run_counting() for _ in range(2)] == [1, 0]


# --------------------------------------------------------------------------- files the program wrote


def test_broken_manifest_and_ingest_record_are_moved_aside(built_project, tmp_path):
    root = copy_built(built_project, tmp_path)
    out = root / "outputs"
    (out / "manifest.json").write_text('{"dates": {"2025-09-22": ', encoding="utf-8")
    done = run_cli(root, "run", "--date", DATE)
    assert done.returncode == 0, done.stdout + done.stderr
    warnings = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(warnings) == 1 and warnings[0].startswith("warning: outputs/manifest.json: not valid JSON"), done.stderr
    assert "moved aside to outputs/.manifest.json.broken-" in warnings[0]
    assert len(list(out.glob(".manifest.json.broken-*"))) == 1
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["dates"][DATE]["last_run"]["status"] == "ok"

    processed = root / "data" / "processed"
    (processed / "_ingest.json").write_bytes(b"\xff\xfe garbage")
    done = run_cli(root, "run", "--date", DATE)
    assert done.returncode == 2, done.stdout + done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert lines[0].startswith("warning: data/processed/_ingest.json: not valid JSON") and "moved aside" in lines[0], lines
    assert lines[1].startswith("error: data/processed/_ingest.json: expected the record of the ingest") and len(lines) == 2, lines
    done = run_cli(root, "ingest")
    assert done.returncode == 0 and "up to date" not in done.stdout, done.stdout + done.stderr
    done = run_cli(root, "run", "--date", DATE)
    assert done.returncode == 0 and "up to date, skipped" in done.stdout, done.stdout + done.stderr


def test_file_names_with_control_characters_are_escaped(built_project, tmp_path):
    root = copy_built(built_project, tmp_path)
    raw = root / "data" / "raw"
    source = raw / f"plan02_report_{DATE}.txt"
    hostile = raw / "second\nreport \x1b[31mred\x1b[0m.txt"
    shutil.copyfile(source, hostile)  # a second report of the same kind and date
    before = published_files(root)
    done = run_cli(root, "ingest")
    assert done.returncode == 2, done.stdout + done.stderr
    err = one_line_error(done)
    assert "second\\nreport \\x1b[31mred\\x1b[0m.txt" in err, err
    assert published_files(root) == before


# --------------------------------------------------------------------------- signals


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_stop_signal_ends_the_tree_and_leaves_nothing(built_project, tmp_path, signum):
    root = copy_built(built_project, tmp_path)
    sync = tmp_path / "sync"
    add_sync_cell(root, sync)
    before = published_files(root)
    log = tmp_path / "run"
    proc = popen_cli(root, "build", "--force", log=log)
    try:
        wait_started(sync, proc, log)  # a kernel is executing the briefing: mid-run
        assert any((root / "outputs").glob(".*.new-build")) and any((root / "outputs").glob(".tables.*"))
        tree = descendants(proc.pid)
        assert tree, "the run had no worker or kernel processes"
        os.kill(proc.pid, signum)  # the CLI process only, as kill, timeout and systemd do
        code = proc.wait(120)
    finally:
        (sync / "go").touch()
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(30)
    out, err = read_log(log)
    assert code == 128 + signum, out + err
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines == [f"stopped by {signal.Signals(signum).name}: every process of the run ended, nothing half-built left; nothing published changed"], err
    assert [p for p in tree if alive(p)] == [], "processes outlived the stopped run"
    assert leftovers(root / "outputs", None) == []
    assert published_files(root) == before


def test_next_run_removes_staging_of_a_killed_run_of_another_date(built_project, tmp_path):
    root = copy_built(built_project, tmp_path)
    sync = tmp_path / "sync"
    original = add_sync_cell(root, sync)
    before = published_files(root)
    proc = popen_cli(root, "run", "--date", DATE, "--force", log=tmp_path / "killed")
    try:
        wait_started(sync, proc, tmp_path / "killed")
        tree = sigkill_group(proc)  # nothing can clean up after SIGKILL
    finally:
        (sync / "go").touch()
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(30)
    assert reap_kernels(tree, 60) == []  # kernels end without their parent
    assert f".{DATE}.new-build" in leftovers(root / "outputs", None)
    (root / "notebooks" / "briefing.ipynb").write_bytes(original)
    done = run_cli(root, "run", "--date", "2025-06-30")  # another date, up to date: nothing runs
    assert done.returncode == 0, done.stdout + done.stderr
    assert leftovers(root / "outputs", None) == []
    assert published_files(root) == before


# --------------------------------------------------------------------------- a full disk


def _file_size_limit(limit: int):
    """preexec_fn: writes beyond ``limit`` bytes fail as on a full disk (Python ignores
    SIGXFSZ, so the write raises OSError EFBIG instead of killing the process)."""
    import resource

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_full_disk_gives_one_line_and_leaves_nothing(built_project, tmp_path):
    root = copy_built(built_project, tmp_path)
    processed = root / "data" / "processed"
    before_tables = {p.name: p.read_bytes() for p in processed.iterdir() if p.is_file()}
    before = published_files(root)
    done = run_cli(root, "ingest", "--force", preexec_fn=_file_size_limit(100_000))  # the largest table is bigger
    assert done.returncode == 74, done.stdout + done.stderr
    err = one_line_error(done)
    assert err.startswith("error: no room to write") and "File too large" in err and "nothing published changed" in err, err
    assert {p.name: p.read_bytes() for p in processed.iterdir() if p.is_file()} == before_tables
    assert sorted(p.name for p in (root / "data").iterdir()) == ["processed", "raw"]

    done = run_cli(root, "run", "--date", DATE, "--force", "--jobs", "1", preexec_fn=_file_size_limit(100_000))
    assert done.returncode == 74, done.stdout + done.stderr
    err = one_line_error(done)
    assert err.startswith("error: no room to write") and "File too large" in err and DATE in err and "nothing published changed" in err, err
    assert published_files(root) == before
    assert leftovers(root / "outputs", None) == []


# A run whose every write of an HTML file finds the disk full (the real CLI, in a process of its own).
DISK_FULL_ON_HTML = """
import errno, os, pathlib, sys
real_write_text = pathlib.Path.write_text
def write_text(self, *args, **kwargs):
    if self.name.endswith('.html.tmp'):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
    return real_write_text(self, *args, **kwargs)
pathlib.Path.write_text = write_text
from helpers.cli import run
run()
"""


def test_full_disk_in_a_notebook_or_its_outputs_stops_the_run_with_exit_74(built_project, tmp_path):
    root = copy_built(built_project, tmp_path)
    before = published_files(root)
    source = root / "notebooks" / "briefing.ipynb"
    original = source.read_bytes()
    nb = nbformat.read(source, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("import errno, os\nraise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), '/srv/full/figure.png')"))
    nbformat.write(nb, source)
    cells = len(nb.cells)

    done = run_cli(root, "run", "--date", DATE, "--force")  # a cell meets the full disk
    assert done.returncode == 74, done.stdout + done.stderr
    err = one_line_error(done)
    assert err.startswith("error: no room to write /srv/full/figure.png (No space left on device; "), err
    assert f"{DATE} briefing.ipynb, cell {cells} of {cells}" in err and err.endswith("nothing published changed"), err
    assert "FAILED" not in done.stdout + done.stderr
    assert published_files(root) == before and not (root / "outputs" / DATE / "failed").exists()
    assert leftovers(root / "outputs", None) == []

    source.write_bytes(original)
    env = {**os.environ, "BRIEFINGS_ROOT": str(root)}
    done = subprocess.run([sys.executable, "-c", DISK_FULL_ON_HTML, "run", "--date", DATE, "--force"], capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 74, done.stdout + done.stderr  # writing an exported page meets the full disk
    err = one_line_error(done)
    assert err.startswith("error: no room to write ") and "No space left on device" in err and ".html" in err, err
    assert published_files(root) == before and not (root / "outputs" / DATE / "failed").exists()
    assert leftovers(root / "outputs", None) == []
