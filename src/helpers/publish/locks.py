"""Locks under outputs/: one per date (runs of a date are serialised) and one for the
manifest and index (read-modify-write, held for milliseconds).

Layout::

    outputs/
      .2025-06-30.lock        flock of runs of that date (holds the holder's pid)
      .manifest.lock          flock of manifest.json and index.html updates
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from helpers.publish.folders import outputs_dir


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
