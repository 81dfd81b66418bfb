"""Fuzzing the ingest with damaged copies of every kind of raw report.

Each case starts from a project whose tables were built from the five fixture reports,
replaces one report with a randomly mutated copy (bytes flipped, lines dropped,
doubled or swapped, numbers changed, the text re-encoded) and runs the real command
line (``helpers.cli.main(["ingest"])``, in this process for speed; the CLI's own
process tests are in test_bad_input.py). Whatever the damage:

- the command returns 0 (the report still reads, perhaps with findings) or 2 (one line
  naming the file; the report is set aside) — never 70 (an internal error) and never a
  traceback;
- ``data/processed`` is either unchanged (byte for byte) or valid: every table passes
  its strict schema and the ingest record's hashes.
"""

from __future__ import annotations

import hashlib
import random
import re
import shutil
from pathlib import Path

import pytest

from conftest import RAW, copy_raw_fixtures

pytestmark = pytest.mark.slow

REPORTS = sorted(p.name for p in RAW.iterdir() if p.suffix == ".txt")
SEEDS = range(6)


def _mutate(data: bytes, rng: random.Random) -> bytes:
    """One random kind of damage a scan, a copy or a hand edit does to a report."""
    kind = rng.choice(["bytes", "lines", "numbers", "encoding", "truncate"])
    if kind == "bytes":
        out = bytearray(data)
        for _ in range(rng.randint(1, 40)):
            out[rng.randrange(len(out))] = rng.randrange(256)
        return bytes(out)
    if kind == "encoding":
        text = data.decode("utf-8")
        return rng.choice([text.encode("utf-16"), text.encode("cp1258", errors="replace"), b"\xef\xbb\xbf" + data, data.replace(b"\n", b"\r\n")])
    if kind == "truncate":
        return data[: rng.randrange(len(data))]
    lines = data.decode("utf-8").splitlines(keepends=True)
    if kind == "lines":
        for _ in range(rng.randint(1, 12)):
            i = rng.randrange(len(lines))
            action = rng.choice(["drop", "double", "swap"])
            if action == "drop" and len(lines) > 1:
                del lines[i]
            elif action == "double":
                lines.insert(i, lines[i])
            else:
                j = rng.randrange(len(lines))
                lines[i], lines[j] = lines[j], lines[i]
        return "".join(lines).encode("utf-8")
    # numbers: change some of the figures the report prints
    text = "".join(lines)
    spans = [m.span() for m in re.finditer(r"\d+(?:[.,]\d+)*", text)]
    for start, end in sorted(rng.sample(spans, min(len(spans), rng.randint(1, 15))), reverse=True):
        text = text[:start] + str(rng.choice([0, 1, 34, 99, 3321, 10**9, rng.randint(0, 100000)])) + text[end:]
    return text.encode("utf-8")


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def clean_project(tmp_path_factory):
    """A project root with data/raw (the fixtures) and data/processed built from them."""
    from helpers.cli import main

    import os

    root = tmp_path_factory.mktemp("fuzz") / "project"
    copy_raw_fixtures(root / "data" / "raw")
    (root / "params").mkdir()
    previous = os.environ["BRIEFINGS_ROOT"]
    os.environ["BRIEFINGS_ROOT"] = str(root)
    try:
        assert main(["ingest"]) == 0
    finally:
        os.environ["BRIEFINGS_ROOT"] = previous
    return root, main


def _case_root(clean_root: Path, tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(clean_root, root)
    return root


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("report", REPORTS)
def test_a_damaged_report_never_crashes_the_ingest_nor_leaves_bad_tables(clean_project, tmp_path, monkeypatch, capsys, report, seed):
    from helpers.ingest.schemas import TABLES
    from helpers.tables import load_table

    clean_root, main = clean_project
    root = _case_root(clean_root, tmp_path)
    monkeypatch.setenv("BRIEFINGS_ROOT", str(root))
    processed = root / "data" / "processed"
    before = _digests(processed)
    capsys.readouterr()

    rng = random.Random(f"{report}:{seed}")
    path = root / "data" / "raw" / report
    path.write_bytes(_mutate(path.read_bytes(), rng))
    code = main(["ingest"])
    err = capsys.readouterr().err
    assert code in (0, 2), f"exit {code}: {err}"
    assert "Traceback" not in err and "internal error" not in err, err
    if code == 2:
        assert len(err.strip().splitlines()) >= 1 and all(len(line) < 2000 for line in err.splitlines()), err
    after = _digests(processed)
    if after != before:  # rewritten: every table must be valid and bound to the new ingest
        for name in TABLES:
            if (processed / f"{name}.csv").exists():
                load_table(name, processed)
