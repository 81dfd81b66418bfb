"""Atomic replacement of files and directories: a failed run never leaves half-written output."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temp file in the same directory and os.replace."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def staging_dir(target: Path) -> Path:
    """A fresh empty directory beside ``target`` to build the new contents in."""
    target.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))


def replace_dir(staged: Path, target: Path) -> None:
    """Swap ``staged`` into ``target``.

    The old directory is renamed aside first, so at every instant either the old or
    the new complete directory exists under a known name; :func:`recover_dir` puts
    the old one back if a crash happened between the two renames.
    """
    aside = target.with_name(f".{target.name}.old")
    if aside.exists():
        shutil.rmtree(aside)
    if target.exists():
        os.replace(target, aside)
    os.replace(staged, target)
    shutil.rmtree(aside, ignore_errors=True)


def recover_dir(target: Path) -> None:
    """After a crash between the renames of :func:`replace_dir`: restore the old directory;
    remove stale staging directories."""
    aside = target.with_name(f".{target.name}.old")
    if not target.exists() and aside.exists():
        os.replace(aside, target)
    for stale in target.parent.glob(f".{target.name}.new-*"):
        shutil.rmtree(stale, ignore_errors=True)
