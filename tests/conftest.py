"""Shared fixtures: the project root, the real raw reports, and an ingested copy."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"


@pytest.fixture(scope="session")
def project_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    return RAW


@pytest.fixture(scope="session")
def ingested(tmp_path_factory) -> Path:
    """data/processed built once per test session from the real raw reports (in a temp dir)."""
    from helpers.ingest import run_ingest

    processed = tmp_path_factory.mktemp("processed") / "processed"
    run_ingest(force=True, raw_dir=RAW, processed_dir=processed)
    return processed


@pytest.fixture()
def raw_copy(tmp_path) -> Path:
    """A writable copy of data/raw for tests that damage reports."""
    target = tmp_path / "raw"
    shutil.copytree(RAW, target)
    for path in target.iterdir():
        path.chmod(0o644)
    return target
