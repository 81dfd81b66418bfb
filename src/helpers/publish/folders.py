"""outputs/<date>/ folders, built aside and swapped in whole.

Layout::

    outputs/
      2025-06-30/             the last good build of the date, replaced as a whole
        briefing.ipynb        executed notebook (code kept, timestamps stripped)
        briefing.html         the briefing
        summary.json          the briefing's headline figures (see :mod:`.summary`)
        failed/briefing.ipynb only after a failed run: the failed executed notebook
      .2025-06-30.new-build   staging folder of a run in progress (removed by the next run)
      .2025-06-30.old         the previous folder, for the instant of the swap

Nothing here imports pandas, papermill or nbconvert.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path

from helpers import atomic, config

FAILED_DIR = "failed"


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


def remove_stale_staging() -> list[str]:
    """Staging folders of every date whose run died (its date lock is free), removed, and
    a swap cut between its renames repaired; whatever killed the run. Returns the dates."""
    import re

    from helpers.publish.locks import date_lock

    out = outputs_dir()
    found = sorted(out.glob(".*.new-build")) if out.is_dir() else []
    cleaned = []
    for staged in found:
        m = re.fullmatch(r"\.(\d{4}-\d{2}-\d{2})\.new-build", staged.name)
        if not m:
            continue
        lock = date_lock(m.group(1))
        if lock.acquire(wait=False):
            try:
                atomic.recover_dir(date_dir(m.group(1)))
                shutil.rmtree(staged, ignore_errors=True)
                cleaned.append(m.group(1))
            finally:
                lock.release()
    return cleaned


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
