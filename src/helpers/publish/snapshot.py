"""A run's own snapshot of data/processed: one consistent set of tables, whatever an
ingest does meanwhile, and exactly the tables the manifest records.

The snapshot is a hidden folder ``outputs/.tables.<random>/`` of hard links to the
table files (ingest never rewrites a file: it swaps in a new folder, so a link keeps
the version it was made from; a copy where links are impossible). Its files are checked
against the ingest record (:func:`helpers.tables.verify_tables`) before anything runs;
a table changed by hand is refused with one line naming it. The snapshot is locked
while the run lives and removed at its end; one left by a killed run is removed by
the next run (its lock is free).

A table forged together with its hash in the ingest record passes that check, and a
forgery within the schema (more GREEN communes than the province has) passes strict
validation too. So before a run that has something to build starts any kernel,
:func:`verify_against_raw` parses the reports the record names again and compares the
tables they give with the snapshot, byte for byte (the cost of an ingest without its
writes: 0.4 s for the five real reports, 8 s at 100 reports on 2 cores); a run right after
its own ingest skips it, so does a run whose tables are the ones last found equal
(``outputs/.cache/verified-tables.json``: paid once per change of the tables), and a
no-op run never gets there. A difference is refused with one line naming the table.
"""

from __future__ import annotations

import hashlib
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
    record: dict = field(default_factory=dict, repr=False)  # the ingest record the hashes were checked against

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
    from helpers.ingest.record import read_ingest_record
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
            return TablesSnapshot(path=path, hashes=hashes, lock=lock, record=read_ingest_record(processed) or {})
        raise AssertionError("unreachable")
    except BaseException:
        shutil.rmtree(path, ignore_errors=True)
        lock.release()
        raise


FORCE_REPAIR = "run 'briefings ingest --force' to rebuild the tables from data/raw"
VERIFIED = Path(".cache") / "verified-tables.json"  # under outputs/: the tables last found equal to what data/raw gives


def _verified_state(snap: TablesSnapshot) -> dict:
    return {"fingerprint": snap.record.get("fingerprint"), "tables": dict(sorted(snap.hashes.items()))}


def already_verified(snap: TablesSnapshot) -> bool:
    """The snapshot's tables are the ones the last check against data/raw (or this build's own
    ingest) found, from the same reports and parsers: no need to parse them again."""
    import json

    try:
        seen = json.loads((folders.outputs_dir() / VERIFIED).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return seen == _verified_state(snap)


def remember_verified(snap: TablesSnapshot) -> None:
    """Record that the snapshot's tables are what data/raw gives (best effort: a cache)."""
    import json

    from helpers.atomic import write_text_atomic

    try:
        write_text_atomic(folders.outputs_dir() / VERIFIED, json.dumps(_verified_state(snap), sort_keys=True))
    except OSError:
        pass


def verify_against_raw(snap: TablesSnapshot, raw_dir: Path | None = None, processed: Path | None = None) -> None:
    """The snapshot's tables are what the reports its ingest record names parse to, byte for
    byte; else one InputError naming the first table that differs (or the report or record
    that makes the comparison impossible). Writes nothing."""
    from helpers.ingest.record import RECORD_FILE
    from helpers.ingest.run import build_tables, fingerprint, raw_files

    raw_dir = raw_dir or config.raw_dir()
    processed = processed or config.processed_dir()
    record = snap.record
    recorded = record.get("raw")
    shown_record = config.relative_to_root(processed / RECORD_FILE)
    if not isinstance(recorded, dict) or not recorded or not isinstance(record.get("fingerprint"), str):
        raise InputError(shown_record, None, f"the reports the ingest read and its fingerprint ({FORCE_REPAIR})", "none")
    present = {p.name: p for p in raw_files(raw_dir)}
    for name in sorted(recorded):
        if name not in present:
            raise InputError(config.relative_to_root(raw_dir / name), None, f"the report the last ingest read ({FORCE_REPAIR})", "no such file")
    files = [p for p in present.values() if p.name in recorded]  # a report not ingested yet is no input of this run
    state = fingerprint(files)
    for name, sha in state["raw"].items():
        if sha != recorded[name]:
            raise InputError(config.relative_to_root(raw_dir / name), None, f"the report the last ingest read, sha256 {str(recorded[name])[:12]} ({FORCE_REPAIR})", f"a file changed since, sha256 {sha[:12]}")
    if state["fingerprint"] != record["fingerprint"]:
        raise InputError(shown_record, None, f"tables ingested by the parsers and registry installed now ({FORCE_REPAIR})", "an ingest by other code")
    tables = build_tables(files, with_set_aside=True)[0]
    # serialized as helpers.ingest.run.write_tables writes them, in memory (a check writes nothing)
    derived = {f"{name}.csv": hashlib.sha256(frame.to_csv(index=False, lineterminator="\n").encode("utf-8")).hexdigest() for name, frame in tables.items()}
    for name in sorted(set(derived) | set(snap.hashes)):
        shown = config.relative_to_root(processed / name)
        if name not in snap.hashes:
            raise InputError(shown, None, f"the table data/raw gives ({FORCE_REPAIR})", "no such file")
        if name not in derived:
            raise InputError(shown, None, f"only tables data/raw gives ({FORCE_REPAIR})", "a table no report gives")
        if derived[name] != snap.hashes[name]:
            raise InputError(
                shown, None,
                f"the table data/raw gives, sha256 {derived[name][:12]}: it and its hash in the ingest record were changed since the ingest ({FORCE_REPAIR})",
                f"sha256 {snap.hashes[name][:12]}",
            )


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
