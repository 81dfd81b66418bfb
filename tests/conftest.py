"""Shared fixtures: the project root, fixture copies of the raw reports, and an ingested copy.

Tests never read the live ``data/raw``, ``data/processed`` or ``outputs``: reports come
from ``tests/fixtures/raw`` (byte-identical copies, hashes in its README) and every
build runs in a temporary project root. ``BRIEFINGS_ROOT`` points at an empty
temporary root for the whole session, so code that falls back to the default root
finds no data instead of the live reports.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
RAW = FIXTURES / "raw"

# Set at import, before any test module imports helpers (config reads it on every call).
_EMPTY_ROOT = Path(tempfile.mkdtemp(prefix="briefings-empty-root-"))
os.environ["BRIEFINGS_ROOT"] = str(_EMPTY_ROOT)


def pytest_unconfigure(config):
    shutil.rmtree(_EMPTY_ROOT, ignore_errors=True)


def copy_raw_fixtures(target: Path) -> Path:
    """A writable copy of the fixture reports (with their README) at ``target``."""
    shutil.copytree(RAW, target)
    for path in target.iterdir():
        path.chmod(0o644)
    return target


@pytest.fixture(scope="session")
def project_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    return RAW


@pytest.fixture(scope="session")
def ingested(tmp_path_factory) -> Path:
    """data/processed built once per test session from the fixture reports (in a temp dir)."""
    from helpers.ingest.run import run_ingest

    processed = tmp_path_factory.mktemp("processed") / "processed"
    run_ingest(force=True, raw_dir=RAW, processed_dir=processed)
    return processed


@pytest.fixture()
def raw_copy(tmp_path) -> Path:
    """A writable copy of the fixture reports for tests that damage them."""
    return copy_raw_fixtures(tmp_path / "raw")


def make_project_copy(target: Path) -> Path:
    """A project root for BRIEFINGS_ROOT: copies of the fixture reports, params and notebooks, empty outputs."""
    (target / "data" / "processed").mkdir(parents=True)
    copy_raw_fixtures(target / "data" / "raw")
    shutil.copytree(ROOT / "params", target / "params")
    shutil.copytree(ROOT / "notebooks", target / "notebooks")
    (target / "outputs").mkdir()
    return target


def run_cli(root: Path, *args: str, timeout: float = 600, env_extra: dict[str, str] | None = None, **kwargs):
    """``python -m helpers ARGS`` with BRIEFINGS_ROOT=root (and ``env_extra``); returns the CompletedProcess."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "BRIEFINGS_ROOT": str(root), **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "helpers", *args], capture_output=True, text=True, env=env, timeout=timeout, **kwargs)


@pytest.fixture(scope="session")
def built_project(tmp_path_factory) -> Path:
    """A whole build (`briefings build`: ingest + every date's notebooks), once per test session.

    Tests read it and must not modify it; tests that damage a build make their own copy.
    """
    root = make_project_copy(tmp_path_factory.mktemp("built") / "project")
    done = run_cli(root, "build")
    assert done.returncode == 0, f"build failed:\n{done.stdout}\n{done.stderr}"
    return root


def private_overrides(cls: type) -> list[str]:
    """Private methods of jupyter_client's classes that ``cls`` or a class between them overrides."""
    import inspect

    found = []
    for klass in cls.__mro__:
        if klass.__module__.split(".")[0] in ("jupyter_client", "traitlets") or klass is object:
            break
        for name, value in vars(klass).items():
            if name.startswith("_") and not name.startswith("__") and inspect.isfunction(value):
                found += [f"{klass.__name__}.{name} ({base.__module__}.{base.__name__})" for base in klass.__mro__[1:] if name in vars(base)][:1]
    return found


# --- province spellings (tests/fixtures/province_spellings.csv) --------------------------
PROVINCE_SPELLINGS = ROOT / "tests" / "fixtures" / "province_spellings.csv"


def province_spellings(report: str) -> list[tuple[str, int]]:
    """Every province spelling a parser meets in the real reports of one kind, with its
    official code: the one shared table (tests/test_province_spellings.py checks them all)."""
    import csv

    with PROVINCE_SPELLINGS.open(encoding="utf-8", newline="") as handle:
        return [(row["spelling"], int(row["code"])) for row in csv.DictReader(handle) if row["report"] == report]


def mutated_report(source: Path, target_dir: Path, replacements) -> Path:
    """A copy of the report ``source`` in ``target_dir`` with, for each ``(line, old, new)``
    (1-based line), ``old`` replaced by ``new`` on that line; ``old`` must be there, so a
    test never mutates a line it did not mean to. The shared way tests damage a report."""
    lines = source.read_text(encoding="utf-8").split("\n")
    for number, old, new in replacements:
        assert old in lines[number - 1], (source.name, number, lines[number - 1])
        lines[number - 1] = lines[number - 1].replace(old, new)
    target = target_dir / source.name
    target.write_text("\n".join(lines), encoding="utf-8")
    return target


def assert_input_error(parse, path: Path, line: int, *needles: str):
    """``parse(path)`` fails with one line that names ``path:line`` and contains every needle."""
    from helpers.errors import InputError

    with pytest.raises(InputError) as info:
        parse(path)
    message = str(info.value)
    assert f"{path}:{line}:" in message, message
    assert "\n" not in message, message
    for needle in needles:
        assert needle in message, message
    return info.value
