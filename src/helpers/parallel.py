"""Worker processes shared by ingestion and the build.

Both fork: the children start with everything the parent already imported (parsers and
registry for ingestion; papermill, nbconvert and the compiled HTML template for the
build), so there is no per-worker start-up to pay.
"""

from __future__ import annotations

import os
from collections.abc import Callable


def usable_cpus() -> int:
    """CPUs this process may run on (its affinity mask, e.g. a container's limit)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def fork_pool(workers: int, initializer: Callable[[], None] | None = None):
    """A ProcessPoolExecutor of ``workers`` forked processes."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"), initializer=initializer)


def call_in_forked_child(fn: Callable, *args, **kwargs):
    """``fn(*args, **kwargs)`` run in a forked child process; its result (or the exception it
    raised) comes back pickled, and every byte of memory it used goes away with the child.

    Ingestion inside ``briefings build`` (and the check of the tables against data/raw)
    runs this way: parsing and assembling 100 reports left the main process about 100 MB
    larger for the whole build (still 50–70 MB after gc and malloc_trim), and the build
    forks its workers from it. Where fork is not available the call runs in this process."""
    import pickle
    import sys

    if not can_fork():
        return fn(*args, **kwargs)
    sys.stdout.flush()
    sys.stderr.flush()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        status = 0
        try:
            os.close(read_end)
            from helpers.stopping import reset_in_child

            reset_in_child()
            try:
                payload = (True, fn(*args, **kwargs))
            except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
                payload = (False, exc)
            try:
                data = pickle.dumps(payload)
            except Exception:  # noqa: BLE001 - an unpicklable result or exception: its text
                data = pickle.dumps((False, RuntimeError(f"{type(payload[1]).__name__}: {payload[1]}")))
            with os.fdopen(write_end, "wb") as fh:
                fh.write(data)
        except BaseException:  # noqa: BLE001 - nothing may unwind into the parent's code
            status = 70
        finally:
            try:
                sys.stdout.flush()
                sys.stderr.flush()
            finally:
                os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as fh:
        data = fh.read()
    _, wait_status = os.waitpid(pid, 0)
    if not data:
        raise RuntimeError(f"the child process ended without an answer ({_ended(wait_status)})")
    ok, value = pickle.loads(data)
    if ok:
        return value
    raise value


def _ended(wait_status: int) -> str:
    if os.WIFSIGNALED(wait_status):
        import signal

        return f"killed by {signal.Signals(os.WTERMSIG(wait_status)).name}"
    return f"exit status {os.WEXITSTATUS(wait_status)}"
