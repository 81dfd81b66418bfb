"""Every province spelling the parsers meet in the real reports (one shared table,
tests/fixtures/province_spellings.csv; each parser's test module checks that the table
lists exactly the spellings its parser meets) resolves to its official code."""

from __future__ import annotations

import csv

import pytest

from conftest import PROVINCE_SPELLINGS
from helpers.ingest.provinces import province_code, registry


def _rows() -> list[dict]:
    with PROVINCE_SPELLINGS.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_spelling_resolves_to_its_code():
    wrong = [(r["report"], r["spelling"], int(r["code"]), province_code(r["spelling"])) for r in _rows() if province_code(r["spelling"]) != int(r["code"])]
    assert not wrong, wrong


@pytest.mark.parametrize("report", ["daily_readiness", "directives_notice", "plan02", "plan02_blocs", "vendor_summary"])
def test_each_report_kind_has_its_spellings_and_only_real_codes(report):
    rows = [r for r in _rows() if r["report"] == report]
    assert rows
    assert {int(r["code"]) for r in rows} <= {p.code for p in registry()}
    assert len({r["spelling"] for r in rows}) == len(rows)  # no spelling listed twice
