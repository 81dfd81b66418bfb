"""A no-op ``briefings build`` in milliseconds: nothing it reads has changed since the last
build that found every date up to date.

The full no-op check hashes the raw reports (the ingest's fingerprint), the tables
(twice: the ingest record and the run's snapshot), the package and every date's inputs,
and imports pydantic, PyYAML and the engine: ~1 s of a 2-core machine at 100 dates,
three times the 0.3 s a daily cron run may take. So when a build finds every date up to
date it leaves a stamp (``outputs/.cache/noop-build.json``): a digest of the identity
(device, inode, size, modification time: what ``make`` trusts) of every file and folder
those checks read, and what it printed. The next build compares identities only; any
difference (a report added, a table or params file edited, a notebook or module changed,
a package installed, an output folder removed or added, another interpreter, a
``BRIEFINGS_*`` setting) or any doubt (a file modified within :data:`RACY_NS` of the stamp,
when a second write could leave the same identity) runs the full check, which
publishes nothing it has not verified. ``--force`` never takes this path.

Imports only the standard library and :mod:`helpers.config` / :mod:`.history`.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from helpers import config

STAMP = Path(".cache") / "noop-build.json"  # under outputs/
STAMP_VERSION = 1
RACY_NS = 3_000_000_000  # file times tick coarsely: a file this young may change unseen
# In outputs/: what every run writes whatever it finds (the run history, lock files that
# hold a pid, the caches), not what a build reads.
_OUTPUTS_SKIPPED = ("history.jsonl", ".cache")


def stamp_path() -> Path:
    return config.outputs_dir() / STAMP


class _Identities:
    """A digest of the identity of files and folders, and the newest modification time seen."""

    def __init__(self) -> None:
        self.hash = hashlib.sha256()
        self.newest = 0

    def add(self, label: str, path: str | os.PathLike, racy: bool = True) -> os.stat_result | None:
        """``racy``: a recent modification time makes the identity doubtful (see :data:`RACY_NS`)."""
        try:
            st = os.stat(path)
        except OSError:
            self.hash.update(f"{label}\t-\n".encode())
            return None
        self.hash.update(f"{label}\t{st.st_dev}\t{st.st_ino}\t{st.st_size}\t{st.st_mtime_ns}\t{st.st_mode}\n".encode())
        if racy:
            self.newest = max(self.newest, st.st_mtime_ns)
        return st

    def folder(self, label: str, path: Path, recursive: bool = False, files: bool = True, skip: Sequence[str] = ()) -> None:
        """``path`` and its entries (files too, unless ``files`` is False; folders below too when ``recursive``)."""
        if self.add(label, path) is None:
            return
        try:
            entries = sorted(os.scandir(path), key=lambda e: e.name)
        except OSError:
            return
        for entry in entries:
            if entry.name in skip or entry.name == "__pycache__" or entry.name.endswith((".lock", ".pyc")):
                continue
            if entry.is_dir(follow_symlinks=False):
                if recursive:
                    self.folder(f"{label}/{entry.name}", Path(entry.path), recursive=True, files=files, skip=skip)
                else:
                    self.add(f"{label}/{entry.name}", entry.path)
            elif files:
                self.add(f"{label}/{entry.name}", entry.path)


def state_key() -> tuple[str, int]:
    """(digest of everything a no-op build reads, newest modification time among it, ns)."""
    ids = _Identities()
    root = config.project_root()
    ids.hash.update(f"{STAMP_VERSION}\n{sys.version}\n{sys.executable}\n{root}\n".encode())
    for name in sorted(os.environ):
        if name.startswith("BRIEFINGS_"):
            ids.hash.update(f"env\t{name}\t{os.environ[name]}\n".encode())
    for entry in sys.path:  # an installed or upgraded package changes its folder (tool versions)
        if entry:
            ids.add(f"sys.path\t{entry}", entry, racy=False)  # the folder of the command itself may be busy
    ids.folder("raw", config.raw_dir())
    ids.folder("processed", config.processed_dir())
    ids.folder("params", config.params_dir())
    ids.folder("notebooks", config.notebooks_dir())
    ids.folder("package", config.PACKAGE_DIR, recursive=True)
    # The outputs: top-level files (manifest, index) and every folder below (a file added
    # to or removed from a date's folder changes the folder), not the files in them: the
    # full check only asks whether the recorded outputs exist.
    outputs = config.outputs_dir()
    # outputs/ itself by the names in it, not its modification time: every run creates and
    # removes its snapshot of the tables there (a no-op too), which leaves the names as
    # they were but the time new, too new to be trusted
    try:
        names = sorted(e.name for e in os.scandir(outputs) if e.name not in _OUTPUTS_SKIPPED and not e.name.endswith(".lock"))
    except OSError:
        names = ["-"]
    ids.hash.update(("outputs\t" + "\x1f".join(names) + "\n").encode())
    for name in names:
        if not os.path.isdir(outputs / name):
            ids.add(f"outputs/{name}", outputs / name)
    try:
        dated = sorted(e.path for e in os.scandir(outputs) if e.is_dir(follow_symlinks=False) and not e.name.startswith("."))
    except OSError:
        dated = []
    for folder in dated:
        ids.folder(f"outputs/{os.path.basename(folder)}", Path(folder), recursive=True, files=False)
    return ids.hash.hexdigest(), ids.newest


def record(lines: Sequence[str], dates: Sequence[str]) -> None:
    """After a build that found every date up to date (and set nothing aside): the stamp
    for the next build, with the lines it printed before its last. Best effort: without a
    stamp the next build runs the full check. None when something changed too recently."""
    from helpers.atomic import write_text_atomic

    path = stamp_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    key, newest = state_key()
    if time.time_ns() - newest < RACY_NS:
        forget()  # too young to tell from a second write: no stamp, the next build checks fully
        return
    try:
        write_text_atomic(path, json.dumps({"version": STAMP_VERSION, "key": key, "lines": list(lines), "dates": list(dates)}, ensure_ascii=False))
    except OSError:
        return
    # the stamp's own write must not be what the next build sees as a change
    if state_key()[0] != key:
        stamp_path().unlink(missing_ok=True)


def forget() -> None:
    """Remove the stamp (any build that is not a clean no-op: the next one checks fully)."""
    try:
        stamp_path().unlink(missing_ok=True)
    except OSError:
        pass


def try_noop(quiet: bool, out: Callable[[str], None]) -> bool:
    """If nothing changed since the stamp: print what that build printed, add the run to the
    history, and return True (the build is done, exit 0). Else False, nothing done."""
    started = time.perf_counter()
    try:
        stamp = json.loads(stamp_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(stamp, dict) or stamp.get("version") != STAMP_VERSION:
        return False
    lines, dates = stamp.get("lines"), stamp.get("dates")
    if not (isinstance(lines, list) and isinstance(dates, list) and all(isinstance(x, str) for x in lines + dates)):
        return False
    key, newest = state_key()
    if key != stamp.get("key") or time.time_ns() - newest < RACY_NS:
        return False
    from helpers.publish import history

    started_at = history.now_iso()
    seconds = time.perf_counter() - started
    if not quiet:
        for line in lines:
            out(line)
        out(f"briefings: all {len(dates)} dates up to date ({seconds:.2f} s)")
    history.append({"started_at": started_at, "finished_at": history.now_iso(), "outcome": "ok", "published": [], "failed": [], "locked": [],
                    "unchanged": sorted(dates), "seconds": round(seconds, 3), "dates": {}})
    return True
