"""Stopping on a signal: SIGTERM (kill, timeout, cron, systemd), SIGHUP (the terminal
closed) and SIGINT (Ctrl-C) stop the whole process tree of the command.

The CLI installs :func:`install`. On the first of these signals the handler ignores any
further one (the clean-up must not be cut short), ends every descendant process (pool
workers, the kernel template, kernels, which run in sessions of their own and so are
out of reach of a process-group kill) and raises :class:`Stopped` in the main thread:
the ``finally`` blocks of the run remove its staging folders and table snapshot on the
way out; the CLI prints one line and exits 128 + the signal's number.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
GRACE_S = 3.0  # between SIGTERM and SIGKILL for a descendant that does not end


class Stopped(BaseException):
    """Raised in the main thread by a stop signal (a BaseException, like KeyboardInterrupt:
    ``except Exception`` does not swallow it)."""

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(signal.Signals(signum).name)

    @property
    def exit_code(self) -> int:
        return 128 + self.signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name


def install() -> None:
    """Handle the stop signals in this (main) process."""
    if threading.current_thread() is not threading.main_thread():
        return
    for signum in STOP_SIGNALS:
        signal.signal(signum, _on_signal)


def reset_in_child() -> None:
    """In a forked worker: the parent does the stopping; SIGTERM ends the worker at once,
    and a terminal's Ctrl-C (sent to the whole foreground group) is left to the parent."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _on_signal(signum: int, frame) -> None:
    for other in STOP_SIGNALS:
        signal.signal(other, signal.SIG_IGN)
    stop_descendants()
    raise Stopped(signum)


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_bytes()
        except OSError:
            continue
        fields = stat[stat.rindex(b")") + 2 :].split()
        if fields[0] in (b"Z", b"X"):
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    return children


def descendants(pid: int | None = None) -> list[int]:
    """Live descendants of ``pid`` (this process), parents before children; [] without /proc."""
    if not Path("/proc/self/stat").exists():
        return []
    children = _children_map()
    out, todo = [], [pid or os.getpid()]
    while todo:
        for child in children.get(todo.pop(0), []):
            out.append(child)
            todo.append(child)
    return out


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read()
    except OSError:
        return False
    return stat[stat.rindex(b")") + 2 :][:1] not in (b"Z", b"X")


def stop_descendants(grace: float = GRACE_S) -> int:
    """SIGTERM every descendant, SIGKILL those still alive after ``grace`` s; returns how
    many there were. Found again after the first round: a worker may have started a
    kernel meanwhile."""
    seen: set[int] = set()
    deadline = time.monotonic() + grace
    while True:
        pids = [p for p in descendants() if p not in seen]
        if not pids:
            break
        for p in pids:
            seen.add(p)
            try:
                os.kill(p, signal.SIGTERM)
            except (ProcessLookupError, PermissionError):
                pass
    while time.monotonic() < deadline and any(_alive(p) for p in seen):
        time.sleep(0.05)
    for p in seen:
        if _alive(p):
            try:
                os.kill(p, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
    return len(seen)
