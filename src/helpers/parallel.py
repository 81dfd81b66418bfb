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


def release_freed_memory() -> None:
    """Give the memory a finished stage freed back to the system (collect cycles, then
    glibc's malloc_trim). Ingestion inside ``briefings build`` parses every report in the
    main process; without this its freed heap (about 100 MB at 100 reports) stays
    resident for the whole build and in every worker forked from it."""
    import ctypes
    import gc

    gc.collect()
    try:
        libc = ctypes.CDLL("libc.so.6")  # by name: find_library would start ldconfig
        libc.malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to trim
        pass
