"""The fixture reports are immutable: every file in tests/fixtures/raw is listed in its README with its SHA-256.

The live data/raw is not tested here (reports come and go there); the fixtures are
the copies every test builds from."""

from __future__ import annotations

import hashlib
import re

from conftest import RAW


def _readme_hashes() -> dict[str, str]:
    rows = {}
    for line in (RAW / "README.md").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\| `([^`]+)` \|.*\| `([0-9a-f]{64})` \|$", line)
        if match:
            rows[match.group(1)] = match.group(2)
    return rows


def test_every_raw_file_is_documented_with_its_hash():
    files = {p.name for p in RAW.iterdir() if p.is_file() and p.name != "README.md"}
    assert files == set(_readme_hashes()), "tests/fixtures/raw and its README list different files"


def test_raw_files_are_unchanged():
    for name, expected in _readme_hashes().items():
        actual = hashlib.sha256((RAW / name).read_bytes()).hexdigest()
        assert actual == expected, f"{name} changed: fixture reports must never be edited"


def test_the_five_source_reports_are_present():
    assert len(_readme_hashes()) == 5
