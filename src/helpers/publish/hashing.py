"""SHA-256 of files and of every file under a folder (inputs and outputs in the manifest)."""

from __future__ import annotations

import hashlib
from pathlib import Path


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
