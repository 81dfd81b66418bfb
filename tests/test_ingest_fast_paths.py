"""The fast paths of ingestion give what the plain pandas code gives (issue 11: 100 reports in 5 s).

The checks across reports run in plain Python over column values, the parsers build
nullable-int columns at once, and the tables the checks do not change are written by
forked workers while the checks run. Each is compared here with the pandas code it
replaces (kept in the module as the fallback, or restated below as the reference), on
generated reports and on small tables made to hit every branch and every fallback.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import RAW
from generators.next_day import next_plan02
import helpers.ingest.run as ingest
from helpers.ingest import checks, consistency
from helpers.ingest.parsers.base import frame_of_rows

PLAN02 = "plan02_report_2025-09-22.txt"


@pytest.fixture(scope="module")
def plan02_tables(tmp_path_factory) -> dict:
    """Lax tables of the 22/9 report and four generated next days (one skipped, so that one
    pair is not of consecutive days), before the checks across reports."""
    raw = tmp_path_factory.mktemp("raw")
    source = (RAW / PLAN02).read_text(encoding="utf-8")
    (raw / PLAN02).write_text(source, encoding="utf-8")
    for day in (1, 2, 4, 5):
        date = dt.date(2025, 9, 22) + dt.timedelta(days=day)
        (raw / f"plan02_{date.isoformat()}.txt").write_text(next_plan02(source, date, random.Random(day)), encoding="utf-8")
    tables, _, _ = ingest.build_tables(sorted(raw.iterdir()), strict=False)
    return tables


def _stale_and_fallen(tables: dict) -> dict:
    """The tables with one day's cumulative dossiers copied from the day before (a stale
    copy), and another day's falling for some provinces: the branches the generated
    reports do not reach."""
    tables = dict(tables)
    dossiers = tables["dossiers"].copy()
    dates = sorted(dossiers["report_date"].unique())
    cumulative = dossiers["period_start"] < dossiers["period_end"]
    before = dossiers[(dossiers["report_date"] == dates[0]) & cumulative].set_index(["scope", "province_code", "period_start"])["total"]
    stale = (dossiers["report_date"] == dates[1]) & cumulative
    keys = list(zip(dossiers.loc[stale, "scope"], dossiers.loc[stale, "province_code"], dossiers.loc[stale, "period_start"]))
    dossiers.loc[stale, "total"] = [int(before.get(k, 0)) for k in keys]
    fell = (dossiers["report_date"] == dates[3]) & cumulative & (dossiers["province_code"] % 3 == 0)
    dossiers.loc[fell, ["direct", "online"]] = 0
    tables["dossiers"] = dossiers
    return tables


@pytest.mark.parametrize("few", [False, True])
@pytest.mark.parametrize("edit", ["as generated", "stale and fallen"])
def test_pair_checks_in_plain_python_equal_the_pandas_merges(plan02_tables, few, edit):
    tables = plan02_tables if edit == "as generated" else _stale_and_fallen(plan02_tables)
    pairs = list(checks.consecutive_reports(tables))
    assert len(pairs) == 4
    fast, slow = checks.ByDate(tables, few=few), checks.ByDate(tables, few=few)
    found = [checks._dossier_checks(fast, a, b) + checks._green_change_check(fast, a, b) for a, b in pairs]
    expected = [checks._dossier_checks_frames(slow, a, b) + checks._green_change_check_frames(slow, a, b) for a, b in pairs]
    assert found == expected
    kinds = {f["check"] for rows in found for f in rows}
    assert "stated_change_matches_previous" in kinds or "cumulative_grows_by_day" in kinds
    if edit == "stale and fallen":
        assert {"stale_copy", "cumulative_never_falls"} <= kinds


def test_pair_checks_fall_back_to_pandas_where_a_merge_is_not_a_lookup(plan02_tables, monkeypatch):
    """A report listing a (scope, province, period) twice: the merge pairs every copy, the
    plain path steps aside for it."""
    tables = dict(plan02_tables)
    dossiers = tables["dossiers"]
    last_cumulative = (dossiers["report_date"] == dossiers["report_date"].max()) & (dossiers["period_start"] < dossiers["period_end"])
    tables["dossiers"] = pd.concat([dossiers, dossiers[last_cumulative].head(5)], ignore_index=True)
    pairs = list(checks.consecutive_reports(tables))
    calls = []
    real = checks._dossier_checks_frames
    monkeypatch.setattr(checks, "_dossier_checks_frames", lambda *a: calls.append(a[2].report_date) or real(*a))
    by_date = checks.ByDate(tables)
    found = [checks._dossier_checks(by_date, a, b) for a, b in pairs]
    assert calls == [dossiers["report_date"].max()]
    assert found == [real(checks.ByDate(tables), a, b) for a, b in pairs]


def test_records_are_the_rows_of_each_date(plan02_tables):
    columns = ("province_code", "green_pct", "green_pct_change")
    for few in (False, True):
        by_date = checks.ByDate(plan02_tables, few=few)
        for date in [*sorted(plan02_tables["commune_status"]["report_date"].unique()), "2024-01-01", None]:
            rows = by_date("commune_status", date)
            expected = None if rows is None else list(rows[list(columns)].itertuples(index=False, name=None))
            assert by_date.records("commune_status", date, columns) == expected


# --- consistency checks against the pandas code they replace ---------------------------------


def _reference_overdue_also_standing(tables: dict, similarity: float = 0.8) -> list[dict]:
    """The check as it was written with a groupby and a filter per date (the reference)."""
    tasks, reports = tables["plan02_tasks"], tables["reports"]
    out = []
    for date, day in tasks.groupby("report_date"):
        match = reports[(reports["kind"] == "plan02") & (reports["report_date"] == date)]
        file = str(match["file"].iloc[0]) if len(match) else "plan02"
        standing = [(o, consistency._words(o.task)) for o in day[(day["appendix"] == 7) & day["deadline"].isna()].itertuples(index=False)]
        for row in day[day["appendix"] == 2].itertuples(index=False):
            mine = consistency._words(row.task)
            for other, theirs in standing:
                if mine and len(mine & theirs) / len(mine | theirs) >= similarity:
                    out.append(consistency._finding(date, f"{file} Phụ lục 2, 7", "overdue_task_also_standing",
                                                    f"task {row.task_id} is overdue in appendix 2 and the same task {other.task_id} is standing, with no deadline ('{other.deadline_text}'), in appendix 7"))
    return out


def _reference_rounded_and_truncated(tables: dict) -> list[dict]:
    claims = tables["claims"]
    shares = claims[claims["share_pct"].notna() & claims["denominator"].notna() & (claims["denominator"] > 0)]
    out = []
    for (date, file), rows in shares.groupby(["report_date", "file"], dropna=False):
        truncated, rounded = [], []
        for row in rows.itertuples(index=False):
            exact = 100 * row.value / row.denominator
            decimals = 0 if float(row.share_pct).is_integer() else 2
            down, near = math.floor(exact * 10**decimals) / 10**decimals, round(exact, decimals)
            if down != near:
                (truncated if row.share_pct == down else rounded if row.share_pct == near else []).append(f"line {row.line}: {int(row.value)}/{int(row.denominator)} = {exact:.2f}% printed {row.share_pct:g}%")
        if truncated and rounded:
            out.append(consistency._finding(None if pd.isna(date) else date, f"{file}", "percentages_rounded_and_truncated",
                                            f"shares printed rounded ({'; '.join(rounded)}) and truncated ({'; '.join(truncated)})"))
    return out


def _random_tasks(rng: random.Random) -> pd.DataFrame:
    words = ["triển", "khai", "nền", "tảng", "số", "dùng", "chung", "của", "tỉnh", "kết", "nối", "dữ", "liệu"]
    rows = []
    for i in range(60):
        rows.append({
            "report_date": rng.choice(["2025-09-23", "2025-09-22", None, "2025-09-24"]),
            "task_id": f"t{i}", "appendix": rng.choice([2, 3, 7]), "province_code": None,
            "task": " ".join(rng.sample(words, rng.choice([3, 8, 8, 8]))),
            "deadline": rng.choice([None, "2025-10-01"]), "deadline_text": "Thường xuyên",
        })
    return pd.DataFrame(rows)


def _random_claims(rng: random.Random) -> pd.DataFrame:
    rows = []
    for i in range(80):
        denominator = rng.choice([34.0, 34.0, 3321.0, 0.0, None])
        value = float(rng.randint(0, 34))
        exact = 100 * value / denominator if denominator else 50.0
        share = rng.choice([math.floor(exact), round(exact), round(exact, 2), math.floor(exact * 100) / 100, None])
        rows.append({"report_date": rng.choice(["2025-09-22", "2025-09-23", None]), "file": rng.choice(["a.txt", "b.txt"]), "line": i,
                     "value": value, "denominator": denominator, "share_pct": share})
    frame = pd.DataFrame(rows)
    frame["share_pct"] = frame["share_pct"].astype(float)
    frame["denominator"] = frame["denominator"].astype(float)
    return frame


@pytest.mark.parametrize("seed", range(6))
def test_consistency_checks_equal_their_pandas_reference(seed):
    rng = random.Random(seed)
    reports = pd.DataFrame([{"file": "p22.txt", "kind": "plan02", "report_date": "2025-09-22"},
                            {"file": "p23.txt", "kind": "plan02", "report_date": "2025-09-23"},
                            {"file": "d23.txt", "kind": "daily_readiness", "report_date": "2025-09-24"}])
    tables = {"reports": reports, "plan02_tasks": _random_tasks(rng), "claims": _random_claims(rng)}
    assert consistency._overdue_task_also_standing(tables) == _reference_overdue_also_standing(tables)
    assert consistency._percentages_rounded_and_truncated(tables) == _reference_rounded_and_truncated(tables)


def test_all_levels_by_date_equal_the_per_date_filter(plan02_tables):
    dossiers = plan02_tables["dossiers"].copy()
    dates = sorted(dossiers["report_date"].unique())
    # one date's commune table made larger than its 'all' table somewhere (no longer 'all levels'),
    # another's listing a province twice (pandas' alignment decides there)
    day = dossiers["period_start"] == dossiers["period_end"]
    dossiers.loc[day & (dossiers["report_date"] == dates[1]) & (dossiers["scope"] == "commune"), "total"] += 10**6
    twice = dossiers[day & (dossiers["report_date"] == dates[2]) & (dossiers["scope"] == "all")].head(1)
    dossiers = pd.concat([dossiers, twice], ignore_index=True)
    wanted = {*dates, "2024-01-01"} - {dates[2]}
    found = consistency._holds_all_levels_by_date(dossiers, wanted)
    assert found == {date: consistency.table_holds_all_levels(dossiers, date) for date in wanted}
    assert found[dates[0]] and found[dates[1]] is None and found["2024-01-01"] is None
    # a province twice in one scope: pandas cannot align the two tables, and neither path hides it
    with pytest.raises(ValueError):
        consistency.table_holds_all_levels(dossiers, dates[2])
    with pytest.raises(ValueError):
        consistency._holds_all_levels_by_date(dossiers, {dates[2]})


# --- frames of rows -------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(8))
def test_nullable_int_columns_are_those_astype_would_make(seed):
    rng = random.Random(seed)
    values = [None, np.nan, 0, 1, 7, 3321, -2]
    rows = []
    for _ in range(rng.choice([0, 1, 5, 40])):
        row = {"a": rng.choice(values), "b": rng.choice(["x", None, "yz"]), "c": rng.choice(values[2:])}
        if rng.random() < 0.2:
            del row["a"]  # a missing key is NaN
        rows.append(row)
    if rows and seed % 2:
        for row in rows:
            row["a"] = None  # a column with no number at all
    columns = ["a", "b", "c"]
    expected = pd.DataFrame(rows, columns=columns)
    for column in ("a", "c"):
        expected[column] = expected[column].astype("Int64")
    pd.testing.assert_frame_equal(frame_of_rows(rows, columns, nullable_ints=("a", "c")), expected)


# --- tables written while the checks run ----------------------------------------------------------


def test_tables_are_handed_to_the_writer_before_the_checks(monkeypatch, tmp_path):
    order = []
    real = checks.registry_findings
    monkeypatch.setattr(checks, "registry_findings", lambda tables: order.append("checks") or real(tables))
    files = sorted(p for p in RAW.iterdir() if p.name != "README.md")
    tables, _, _ = ingest.build_tables(files, strict=False, ready=lambda ready: order.append(sorted(ready)))
    assert order == [sorted(set(tables) - {"data_quality"}), "checks"]


def test_workers_write_the_bytes_of_one_process_and_a_bad_table_stops_them(monkeypatch, tmp_path, plan02_tables):
    tables = {name: frame for name, frame in plan02_tables.items() if name in ("dossiers", "commune_status", "reports", "obstacles")}
    serial = tmp_path / "serial"
    serial.mkdir()
    monkeypatch.setattr(ingest, "PARALLEL_MIN_ROWS", 10**12)
    counts = ingest.write_strict_tables(tables, serial)
    monkeypatch.setattr(ingest, "PARALLEL_MIN_ROWS", 1)
    target = tmp_path / "forked"
    writer = ingest.StrictWriter(lambda: target.mkdir() or target)
    writer.start(tables)
    assert writer.started == set(tables) and writer.made == target
    assert writer.finish(tables) == counts
    for name in tables:
        data = (target / f"{name}.csv").read_bytes()
        assert data == (serial / f"{name}.csv").read_bytes()
        assert writer.hashes[name] == ingest._sha256_of(serial / f"{name}.csv")

    bad = dict(tables)
    bad["commune_status"] = tables["commune_status"].assign(green=-1)  # a count below zero: the strict schema refuses it
    writer = ingest.StrictWriter(lambda: tmp_path / "bad")
    (tmp_path / "bad").mkdir()
    writer.start(bad)
    with pytest.raises(ingest.ValidationError, match="commune_status"):
        writer.finish(bad)
    writer.close()


# --- whitespace: str methods in place of \s regexes -----------------------------------------------


def test_str_whitespace_is_the_regex_whitespace():
    """The parsers' blank-line test (``text.strip()``) and space normalisation (``split``)
    stand for ``^\\s*$`` and ``\\s+``: both must see the same characters as whitespace."""
    import re
    import sys

    from helpers.ingest.parsers.plan02 import _SPACES_RE, _norm
    from helpers.ingest.parsers.plan02_blocs import _BLANK_RE

    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        assert ch.isspace() == bool(re.fullmatch(r"\s", ch)), hex(code)
    for text in ["", " ", "\u00a0\u2003\t", " a\u00a0 b\u3000c \n", "x", "\u200bx\u200b", "a\x1cb\x1fc\x85d"]:
        assert _norm(text) == _SPACES_RE.sub(" ", text).strip()
        assert bool(text.strip()) == (not _BLANK_RE.match(text))
