"""Every path the project uses, resolved from one place.

``BRIEFINGS_ROOT`` overrides the project root (tests build into temporary copies).
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def project_root() -> Path:
    override = os.environ.get("BRIEFINGS_ROOT")
    if override:
        return Path(override).resolve()
    # src/helpers/config.py -> project root is two levels above the package.
    return PACKAGE_DIR.parent.parent


def raw_dir() -> Path:
    return project_root() / "data" / "raw"


def processed_dir() -> Path:
    return project_root() / "data" / "processed"


def params_dir() -> Path:
    return project_root() / "params"


def notebooks_dir() -> Path:
    return project_root() / "notebooks"


def outputs_dir() -> Path:
    return project_root() / "outputs"


def resolve(path: str | os.PathLike) -> Path:
    """A path as given in parameters: absolute as is, relative from the project root.

    Executed notebooks record ``processed_dir = "data/processed"`` (see
    :func:`helpers.publish.execute.normalize`), so an analyst re-running one from
    ``outputs/<date>/`` in JupyterLab reads the same tables."""
    path = Path(path)
    return path if path.is_absolute() else project_root() / path


def relative_to_root(path: str | os.PathLike) -> str:
    """``path`` relative to the project root (POSIX), or as is when it lies outside."""
    try:
        return Path(path).resolve().relative_to(project_root()).as_posix()
    except ValueError:
        return str(path)
