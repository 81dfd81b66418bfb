"""Hostile inputs and signals, through the real CLI in copies of a built project.

Every file the program reads is untrusted: params, processed tables, the files it wrote
itself (manifest, ingest record). Each failing case must give one line (control
characters escaped), the right exit code, leave nothing behind and change nothing
published. Stop signals end the whole process tree. Runs are synchronised on events
(a notebook cell that waits for a file the test creates), never on sleeps.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from conftest import run_cli

pytestmark = pytest.mark.slow

DATE = "2025-09-22"


# --------------------------------------------------------------------------- helpers


def copy_built(built: Path, tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(built, root, symlinks=True)
    return root


def published(root: Path) -> dict[str, str]:
    """Every published file under outputs/ (not the hidden locks, staging or snapshots)."""
    out = root / "outputs"
    files = {}
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out)
        if path.is_file() and not any(part.startswith(".") for part in rel.parts):
            files[rel.as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return files


def leftovers(root: Path) -> list[str]:
    """Staging folders, swap folders and table snapshots: what no finished run may leave."""
    out = root / "outputs"
    return sorted(p.name for p in out.iterdir() if p.name.startswith(".") and not p.name.endswith(".lock"))


def one_line_error(done: subprocess.CompletedProcess) -> str:
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", done.stderr), repr(done.stderr)
    return lines[0]


def sync_cell(sync: Path) -> str:
    """A first notebook cell that says it runs and waits for the test's go (at most 10 min)."""
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


def popen_cli(root: Path, *args: str, log: Path) -> subprocess.Popen:
    env = {**os.environ, "BRIEFINGS_ROOT": str(root)}
    with open(f"{log}.out", "wb") as out, open(f"{log}.err", "wb") as err:
        return subprocess.Popen([sys.executable, "-m", "helpers", *args], stdout=out, stderr=err, env=env, start_new_session=True)


def wait_for_file(path: Path, proc: subprocess.Popen, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert proc.poll() is None, f"the run ended (exit {proc.returncode}) before its notebook started"
        assert time.monotonic() < deadline, f"no {path.name} after {timeout} s"
        time.sleep(0.02)


def descendants(pid: int) -> list[int]:
    from helpers.stopping import descendants as tree

    return tree(pid)


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:
        return False
    return stat[stat.rindex(b")") + 2 :][:1] not in (b"Z", b"X")


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
    before = published(root)
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
        assert published(root) == before and leftovers(root) == [], label
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
        assert published(root) == before and leftovers(root) == [], label
        shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
        path.write_bytes(good)
        passed += 1
    print(f"hostile params: {passed}/{tried} cases refused with one line, nothing published changed")


# --------------------------------------------------------------------------- processed tables


def test_tampered_table_is_refused_and_ingest_repairs_it(built_project, tmp_path):
    root = copy_built(built_project, tmp_path)
    before = published(root)
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
        assert published(root) == before and leftovers(root) == []

    done = run_cli(root, "ingest")  # the tables are not what the record says: rebuilt from data/raw
    assert done.returncode == 0 and "up to date" not in done.stdout, done.stdout + done.stderr
    assert table.read_bytes() == original
    done = run_cli(root, "run", "--date", DATE)
    assert done.returncode == 0 and "up to date, skipped" in done.stdout, done.stdout + done.stderr
    assert published(root) == before


def test_forged_table_and_record_fail_strict_validation_without_publishing(built_project, tmp_path):
    root = copy_built(built_project, tmp_path)
    before = published(root)
    processed = root / "data" / "processed"
    table = processed / "dossiers.csv"
    lines = table.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = re.sub(r",\d+,", ",many,", lines[1], count=1)  # a non-numeric count
    table.write_text("".join(lines), encoding="utf-8")
    record = json.loads((processed / "_ingest.json").read_text(encoding="utf-8"))
    record["tables"]["dossiers.csv"] = hashlib.sha256(table.read_bytes()).hexdigest()  # the record forged too
    (processed / "_ingest.json").write_text(json.dumps(record), encoding="utf-8")

    done = run_cli(root, "run", "--date", DATE, "--force")
    assert done.returncode != 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert "data/processed/dossiers.csv" in done.stderr, done.stderr
    assert all("\n" not in line for line in done.stderr.splitlines())
    # a failed run: recorded in the manifest and the index, its notebooks in failed/; every
    # briefing stays as it was
    briefings = lambda files: {k: v for k, v in files.items() if "/" in k and "/failed/" not in k}  # noqa: E731
    assert briefings(published(root)) == briefings(before)
    assert leftovers(root) == []


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
    before = published(root)
    done = run_cli(root, "ingest")
    assert done.returncode == 2, done.stdout + done.stderr
    err = one_line_error(done)
    assert "second\\nreport \\x1b[31mred\\x1b[0m.txt" in err, err
    assert published(root) == before


# --------------------------------------------------------------------------- signals


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_stop_signal_ends_the_tree_and_leaves_nothing(built_project, tmp_path, signum):
    root = copy_built(built_project, tmp_path)
    sync = tmp_path / "sync"
    add_sync_cell(root, sync)
    before = published(root)
    log = tmp_path / "run"
    proc = popen_cli(root, "build", "--force", log=log)
    try:
        wait_for_file(sync / "started", proc)  # a kernel is executing the briefing: mid-run
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
    out, err = (Path(f"{log}.{s}").read_text(encoding="utf-8") for s in ("out", "err"))
    assert code == 128 + signum, out + err
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines == [f"stopped by {signal.Signals(signum).name}: every process of the run ended, nothing half-built left; nothing published changed"], err
    assert [p for p in tree if alive(p)] == [], "processes outlived the stopped run"
    assert leftovers(root) == []
    assert published(root) == before


def test_next_run_removes_staging_of_a_killed_run_of_another_date(built_project, tmp_path):
    root = copy_built(built_project, tmp_path)
    sync = tmp_path / "sync"
    original = add_sync_cell(root, sync)
    before = published(root)
    proc = popen_cli(root, "run", "--date", DATE, "--force", log=tmp_path / "killed")
    try:
        wait_for_file(sync / "started", proc)
        tree = descendants(proc.pid)
        os.killpg(proc.pid, signal.SIGKILL)  # nothing can clean up after SIGKILL
        proc.wait(30)
    finally:
        (sync / "go").touch()
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(30)
    deadline = time.monotonic() + 60
    while any(alive(p) for p in tree) and time.monotonic() < deadline:  # kernels end without their parent
        time.sleep(0.1)
    assert [p for p in tree if alive(p)] == []
    assert f".{DATE}.new-build" in leftovers(root)
    (root / "notebooks" / "briefing.ipynb").write_bytes(original)
    done = run_cli(root, "run", "--date", "2025-06-30")  # another date, up to date: nothing runs
    assert done.returncode == 0, done.stdout + done.stderr
    assert leftovers(root) == []
    assert published(root) == before
