"""outputs/: per-date folders swapped in atomically, per-date locks, manifest.json.

Layout::

    outputs/
      index.html              links to every briefing (see index.py)
      manifest.json           per date: last run, last successful run (hashes, versions, timings)
      2025-06-30/             the last good build of the date, replaced as a whole
        briefing.ipynb        executed notebook (code kept, timestamps stripped)
        briefing.html         the briefing
        summary.json          written by the notebook (headline figures for the index)
        failed/briefing.ipynb only after a failed run: the failed executed notebook
      .2025-06-30.lock        flock of runs of that date
      .2025-06-30.new-build   staging folder of a run in progress (removed by the next run)
      .2025-06-30.old         the previous folder, for the instant of the swap

Nothing here imports pandas, papermill or nbconvert.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from helpers import atomic

from helpers import config
from helpers.errors import BriefingsError

MANIFEST_FILE = "manifest.json"
INDEX_FILE = "index.html"
SUMMARY_FILE = "summary.json"
FAILED_DIR = "failed"
MANIFEST_VERSION = 1


class Locked(BriefingsError):
    """Another run holds the lock of a date (exit code 3)."""


def outputs_dir() -> Path:
    return config.outputs_dir()


def date_dir(date: str) -> Path:
    return outputs_dir() / date


def staging_path(date: str) -> Path:
    # Fixed name (not mkdtemp): the notebooks get it as ``output_dir``, so it must not
    # vary between builds; only the holder of the date's lock uses it.
    return outputs_dir() / f".{date}.new-build"


def rel(path: Path) -> str:
    try:
        return Path(path).relative_to(config.project_root()).as_posix()
    except ValueError:
        return str(path)


def write_text_atomic(path: Path, text: str) -> None:
    """:func:`helpers.atomic.write_text_atomic`, readable by all (0644, not mkstemp's 0600):
    outputs/ is meant to be served or shared as is."""
    atomic.write_text_atomic(path, text)
    os.chmod(path, 0o644)


# --------------------------------------------------------------------------- locks


def _holder(path: Path) -> str:
    try:
        pid = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        pid = ""
    return f"pid {pid}" if pid.isdigit() else "another process"


class FileLock:
    """An exclusive ``fcntl.flock`` on ``path`` (released when the process dies)."""

    def __init__(self, path: Path):
        self.path = path
        self._fd: int | None = None

    def acquire(self, wait: bool = True, on_wait: Callable[[str], None] | None = None) -> bool:
        """Take the lock; False if it is held elsewhere and ``wait`` is False."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if not wait:
                    os.close(fd)
                    return False
                if on_wait:
                    on_wait(_holder(self.path))
                fcntl.flock(fd, fcntl.LOCK_EX)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        return True

    def holder(self) -> str:
        return _holder(self.path)

    def release(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> FileLock:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def date_lock(date: str) -> FileLock:
    return FileLock(outputs_dir() / f".{date}.lock")


def manifest_lock() -> FileLock:
    """Serialises read-modify-write of manifest.json and the index (held for milliseconds)."""
    return FileLock(outputs_dir() / ".manifest.lock")


# --------------------------------------------------------------------------- manifest


def read_manifest() -> dict[str, Any]:
    try:
        data = json.loads((outputs_dir() / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("dates"), dict):
        return {"version": MANIFEST_VERSION, "dates": {}}
    return data


def date_entry(manifest: Mapping[str, Any], date: str) -> dict[str, Any]:
    entry = manifest.get("dates", {}).get(date)
    return entry if isinstance(entry, dict) else {}


def record_run(date: str, record: dict[str, Any]) -> None:
    """Store ``record`` as the date's last run (and last success when its status is ok)."""
    with manifest_lock():
        manifest = read_manifest()
        entry = manifest["dates"].setdefault(date, {})
        entry["last_run"] = record
        if record.get("status") == "ok":
            entry["last_success"] = record
        manifest["version"] = MANIFEST_VERSION
        manifest["dates"] = dict(sorted(manifest["dates"].items()))
        write_text_atomic(outputs_dir() / MANIFEST_FILE, dumps_manifest(manifest))


_ENTRY_TEXT: dict[str, str] = {}  # compact JSON of a date's entry -> its indented text


def dumps_manifest(manifest: Mapping[str, Any]) -> str:
    """``json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\\n"``, the
    same bytes, faster: with ``indent`` the json module encodes in pure Python (~0.2 s
    for the 2 MB manifest of 100 dates, at every date a build publishes); here each
    date's entry is encoded once per content (its compact form, from the C encoder, is
    the key) and the indented texts are put together."""
    dates = manifest.get("dates")
    if set(manifest) != {"dates", "version"} or not isinstance(dates, dict) or not dates:
        return json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    parts = []
    for date in sorted(dates):
        compact = json.dumps(dates[date], ensure_ascii=False, sort_keys=True)
        text = _ENTRY_TEXT.get(compact)
        if text is None:
            text = json.dumps(dates[date], ensure_ascii=False, indent=2, sort_keys=True).replace("\n", "\n    ")
            if len(_ENTRY_TEXT) > 4096:
                _ENTRY_TEXT.clear()
            _ENTRY_TEXT[compact] = text
        parts.append(f"    {json.dumps(date, ensure_ascii=False)}: {text}")
    version = json.dumps(manifest["version"], ensure_ascii=False, indent=2, sort_keys=True).replace("\n", "\n  ")
    return '{\n  "dates": {\n' + ",\n".join(parts) + '\n  },\n  "version": ' + version + "\n}\n"


# --------------------------------------------------------------------------- folders


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def file_hashes(directory: Path) -> dict[str, str]:
    """Relative posix path -> sha256 of every file under ``directory`` (sorted)."""
    out = {}
    for path in sorted(directory.rglob("*")):
        if path.is_file():
            out[path.relative_to(directory).as_posix()] = sha256_file(path)
    return out


def prepare_staging(date: str) -> Path:
    """A fresh, empty staging folder for ``date`` (call with the date's lock held).

    Also repairs what a killed run may have left: a swap cut between its two
    renames, a half-built staging folder.
    """
    target = date_dir(date)
    atomic.recover_dir(target)
    staged = staging_path(date)
    if staged.exists():
        shutil.rmtree(staged)
    staged.mkdir(parents=True)
    return staged


def discard_staging(date: str) -> None:
    shutil.rmtree(staging_path(date), ignore_errors=True)


def commit(date: str, staged: Path) -> Path:
    """Swap the complete ``staged`` folder in as outputs/<date>/ (the old one goes only after)."""
    target = date_dir(date)
    atomic.replace_dir(staged, target)
    return target


def keep_failed(date: str, notebooks: Mapping[str, Path]) -> dict[str, Path]:
    """Put failed executed notebooks in outputs/<date>/failed/ (replacing older ones).

    The rest of outputs/<date>/ (the last good briefing) is left untouched; if the
    date never had a good build the folder holds only ``failed/``.
    """
    target = date_dir(date)
    target.mkdir(parents=True, exist_ok=True)
    failed = target / FAILED_DIR
    staged = atomic.staging_dir(failed)
    staged.chmod(0o755)
    kept = {}
    try:
        for name, src in notebooks.items():
            dest = staged / Path(src).name
            shutil.copyfile(src, dest)
            kept[name] = failed / dest.name
        atomic.replace_dir(staged, failed)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    return kept


def has_briefing(date: str, files: Sequence[str] = ("briefing.html",)) -> bool:
    d = date_dir(date)
    return all((d / f).is_file() for f in files)


# --------------------------------------------------------------------------- for notebooks


def write_summary(output_dir: str | Path, headline: Sequence[Mapping[str, Any] | tuple[str, Any]], **extra: Any) -> Path:
    """Write ``summary.json`` for the index (call from the briefing notebook).

    ``headline``: the figures shown under the briefing's link in outputs/index.html,
    as ``[{"label": "Tỉnh sẵn sàng", "value": "30/34"}, ...]`` or ``[(label, value), ...]``.
    ``extra``: anything else JSON-able. Written deterministically (sorted keys, UTF-8).
    """
    items = []
    for item in headline:
        label, value = (item["label"], item["value"]) if isinstance(item, Mapping) else item
        items.append({"label": str(label), "value": str(value)})
    path = config.resolve(output_dir) / SUMMARY_FILE
    write_text_atomic(path, json.dumps({**extra, "headline": items}, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    return path


def read_summary(date: str) -> dict[str, Any] | None:
    try:
        data = json.loads((date_dir(date) / SUMMARY_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


@contextlib.contextmanager
def locked_dates(dates: Sequence[str], wait: bool, on_wait: Callable[[str, str], None] | None = None) -> Iterator[tuple[list[str], list[str]]]:
    """Lock ``dates`` in sorted order (no deadlock between runs); yields (locked, busy)."""
    held: list[FileLock] = []
    got: list[str] = []
    busy: list[str] = []
    try:
        for date in sorted(dates):
            lock = date_lock(date)
            cb = (lambda holder, d=date: on_wait(d, holder)) if on_wait else None
            if lock.acquire(wait=wait, on_wait=cb):
                held.append(lock)
                got.append(date)
            else:
                busy.append(date)
        yield got, busy
    finally:
        for lock in reversed(held):
            lock.release()
