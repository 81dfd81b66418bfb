"""A run's own snapshot of data/processed: one consistent set of tables, whatever an
ingest does meanwhile, and exactly the tables the manifest records.

The snapshot is a hidden folder ``outputs/.tables.<random>/`` of hard links to the
table files (ingest never rewrites a file: it swaps in a new folder, so a link keeps
the version it was made from; a copy where links are impossible). Its files are checked
against the ingest record (:func:`helpers.tables.verify_tables`) before anything runs;
a table changed by hand is refused with one line naming it. The snapshot is locked
while the run lives and removed at its end; one left by a killed run is removed by
the next run (its lock is free).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from helpers import config
from helpers.errors import InputError
from helpers.publish import folders
from helpers.publish.locks import FileLock

PREFIX = ".tables."
LOCK_FILE = ".lock"
YOUNG_S = 60.0  # a folder this young without its lock file may be a run's that is starting
ATTEMPTS = 5  # an ingest swapping data/processed while the snapshot is taken: try again


@dataclass
class TablesSnapshot:
    path: Path
    hashes: dict[str, str]  # "<table>.csv" -> sha256, equal to the ingest record's
    lock: FileLock = field(repr=False)

    def release(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
        self.lock.release()


def _link_tables(processed: Path, target: Path) -> None:
    for src in sorted(processed.glob("*.csv")):
        dest = target / src.name
        try:
            os.link(src, dest)
        except OSError:  # another file system, or links not allowed
            shutil.copyfile(src, dest)


def take_snapshot(processed: Path | None = None) -> TablesSnapshot:
    """Snapshot and verify the tables (raises InputError naming a tampered table)."""
    from helpers.tables import ORIGIN_FILE, verify_tables

    processed = processed or config.processed_dir()
    if not processed.is_dir():
        raise InputError(config.relative_to_root(processed), None, "a folder of tables (run 'briefings ingest' first)", "none")
    remove_stale()
    path = Path(tempfile.mkdtemp(prefix=PREFIX, dir=_parent()))
    lock = FileLock(path / LOCK_FILE)
    lock.acquire(wait=False)
    try:
        (path / ORIGIN_FILE).write_text(config.relative_to_root(processed) + "\n", encoding="utf-8")
        for attempt in range(ATTEMPTS):
            before = os.stat(processed).st_ino
            _link_tables(processed, path)
            try:
                contents = {p.name: p.read_bytes() for p in sorted(path.glob("*.csv"))}
                hashes = verify_tables(contents, processed)
            except InputError:
                if os.stat(processed).st_ino == before or attempt == ATTEMPTS - 1:
                    raise
                for p in path.glob("*.csv"):  # an ingest swapped the folder meanwhile
                    p.unlink()
                continue
            return TablesSnapshot(path=path, hashes=hashes, lock=lock)
        raise AssertionError("unreachable")
    except BaseException:
        shutil.rmtree(path, ignore_errors=True)
        lock.release()
        raise


def _parent() -> Path:
    out = folders.outputs_dir()
    out.mkdir(parents=True, exist_ok=True)
    return out


def remove_stale() -> list[str]:
    """Remove snapshots left by runs that died (their lock is free); returns their names."""
    out = folders.outputs_dir()
    removed = []
    if not out.is_dir():
        return removed
    for folder in out.glob(f"{PREFIX}*"):
        if not folder.is_dir() or folder.is_symlink():
            continue
        lock_path = folder / LOCK_FILE
        if not lock_path.exists():
            try:
                if time.time() - folder.stat().st_mtime < YOUNG_S:
                    continue
            except OSError:
                continue
        lock = FileLock(lock_path)
        try:
            if lock.acquire(wait=False):
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder.name)
        except OSError:
            continue
        finally:
            lock.release()
    return removed
