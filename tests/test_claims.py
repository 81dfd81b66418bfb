"""The claims ledger: extraction by pattern (generated reports and the real ones), and
re-derivation that flips to 'contradicted' when a stated number is changed."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pandas as pd
import pytest

from helpers.analysis.claims import claims_ledger, claims_for_date, status_counts
from helpers.ingest.parsers.claims import extract_claims
from helpers.ingest.provinces import registry
from helpers.ingest.rawtext import read_raw_report
from helpers.ingest.run import run_ingest
from helpers.ingest.schemas import TABLES
from helpers.tables import load_table


def _tables(processed: Path) -> dict[str, pd.DataFrame]:
    return {name: load_table(name, processed) for name in TABLES if (processed / f"{name}.csv").exists()}


def _report(tmp_path: Path, text: str):
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    return read_raw_report(path)


# ---- extraction on generated text ------------------------------------------------

@pytest.mark.parametrize("seed", range(8))
def test_extraction_reads_every_pattern_from_generated_text(tmp_path, seed):
    rng = random.Random(seed)
    names = [p.short_name for p in registry()]
    listed = rng.sample(names, rng.randint(2, 6))
    done = rng.randint(0, 34)
    change = rng.randint(0, 9)
    part, whole = rng.randint(1000, 3321), 3321
    pct = round(100 * part / whole, 2)
    pct_text = f"{pct:.2f}".replace(".", ",")
    part_text = f"{part // 1000}.{part % 1000:03d}"
    text = "\n".join([
        "BÁO CÁO",
        "",
        "I- Về hạ tầng",
        "",
        "1. Một nhiệm vụ",
        f"• Số lượng tỉnh hoàn thành: {done}/34 (tăng {change:02d} tỉnh so với ngày hôm qua).",
        f"• {len(listed):02d} tỉnh chưa hoàn thành: {', '.join(listed)}.",
        "2. Nhiệm vụ khác",
        "Toàn bộ các tỉnh, thành phố đã hoàn thành.",
        f"Trên toàn quốc có {part_text}/{whole:_}".replace("_", ".") + f" xã, phường (tương đương {pct_text}%) đáp ứng,",
        f"có {rng.randint(1, 34)} tỉnh phủ XANH hơn 70% số xã.",
        "",
        "PHỤ LỤC",
        "Số lượng tỉnh hoàn thành: 1/34",
    ])
    claims = extract_claims(_report(tmp_path, text), "2025-06-30")
    ratio = claims[(claims["pattern"] == "ratio") & (claims["denominator"] == 34)].iloc[0]
    assert (ratio["value"], ratio["change"], ratio["context"], ratio["line"]) == (done, change, "I.1", 6)
    named = claims[claims["pattern"] == "count"].iloc[0]
    assert named["value"] == len(listed) and named["line"] == 7
    assert [int(c) for c in named["provinces"].split(";")] == [p.code for n in listed for p in registry() if p.short_name == n]
    assert claims[claims["pattern"] == "all"]["context"].tolist() == ["I.2"]
    share = claims[claims["denominator"] == whole].iloc[0]
    assert (share["value"], share["share_pct"]) == (part, pct)
    threshold = claims[(claims["pattern"] == "count") & claims["threshold"].notna()]
    assert threshold["threshold"].tolist() == [70.0]
    assert 70.0 not in claims.loc[claims["pattern"] == "pct", "value"].tolist()  # a threshold, not a claim
    assert (claims["line"] < 13).all()  # nothing after the appendix heading


def test_dates_and_years_are_not_ratios(tmp_path):
    report = _report(tmp_path, "BÁO CÁO\nNgày 21/9/2025 và tháng 7/2025, Nghị định số 118/2025/NĐ-CP; 5/34 tỉnh.\n")
    claims = extract_claims(report, None)
    assert claims[claims["pattern"] == "ratio"]["stated"].tolist() == ["5/34"]


# ---- the real reports ---------------------------------------------------------------

@pytest.fixture(scope="module")
def ledger(ingested) -> pd.DataFrame:
    return claims_ledger(_tables(ingested))


def test_every_report_kind_has_claims_and_each_briefing_kind_checks_some(ledger):
    kinds = set(ledger["kind"])
    assert {"daily_readiness", "plan02", "vendor_summary", "directives_notice"} <= kinds
    for kind in ("daily_readiness", "plan02", "vendor_summary"):
        counts = status_counts(ledger[ledger["kind"] == kind])
        assert counts["confirmed"] > 0, kind
    assert set(ledger["status"]) <= {"confirmed", "contradicted", "unverifiable"}
    assert ledger["source"].str.match(r"^[^:]+\.txt:\d+$").all()


def _row(ledger, file_part: str, line: int, part: str = "value") -> pd.Series:
    rows = ledger[ledger["source"].str.contains(file_part) & ledger["source"].str.endswith(f":{line}") & (ledger["part"] == part)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_september_body_claims_against_the_appendices(ledger, raw_dir):
    plan02 = next(raw_dir.glob("plan02_*.txt"))
    assert _row(ledger, "plan02", _line_of(plan02, "2.821/3.321"))["status"] == "confirmed"
    assert _row(ledger, "plan02", _line_of(plan02, "2.821/3.321"), "share")["derived"] == "84.94"
    assert _row(ledger, "plan02", _line_of(plan02, "Vẫn còn 07 nhiệm vụ"))["status"] == "confirmed"
    # "Ở tất cả các tỉnh … đều dưới 50% (Phụ lục 11)": appendix 11 prints 32 for one of the two criteria
    everywhere = _row(ledger, "plan02", _line_of(plan02, "Ở tất cả các tỉnh"))
    assert everywhere["status"] == "contradicted" and "32" in everywhere["derived"]


def test_vendor_shares_truncated_are_contradicted_rounded_confirmed(ledger, raw_dir):
    shares = ledger[(ledger["kind"] == "vendor_summary") & (ledger["part"] == "share")]
    assert len(shares) >= 4
    for row in shares.itertuples():
        exact = float(row.derived)
        stated = float(row.stated.rstrip("%").replace(",", "."))
        assert (row.status == "confirmed") == (round(exact) == stated)


def test_claims_for_date_has_the_summary_fields(ingested):
    claims = claims_for_date(_tables(ingested), "2025-06-30")
    assert claims and {"text", "source", "stated", "derived", "status"} <= set(claims[0])
    assert any(c["source"].startswith("daily_readiness_2025-06-30") for c in claims)


# ---- generated variants: a changed number flips the claim -----------------------------------

def _mutate(raw: Path, name_glob: str, pattern: str, rng: random.Random) -> tuple[int, str]:
    """Change the first number matched by ``pattern`` (group 1) in the report; return its line and new text."""
    path = next(raw.glob(name_glob))
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for number, line in enumerate(lines, start=1):
        m = re.search(pattern, line)
        if m:
            old = int(m.group(1).replace(".", ""))
            new = old + rng.choice([-2, -1, 1, 2]) if old > 2 else old + rng.randint(1, 3)
            width = len(m.group(1))
            text = f"{new:0{width}d}" if "." not in m.group(1) else f"{new // 1000}.{new % 1000:03d}"
            lines[number - 1] = line[: m.start(1)] + text + line[m.end(1):]
            path.write_text("".join(lines), encoding="utf-8")
            return number, text
    raise AssertionError(pattern)


MUTATIONS = [
    ("plan02_*.txt", r"có (28) tỉnh thành phố phủ XANH", "value"),
    ("plan02_*.txt", r"có (2\.821)/3\.321", "value"),
    ("plan02_*.txt", r"Vẫn còn (07) nhiệm vụ", "value"),
    ("daily_readiness_2025-06-30.txt", r"hoàn thành: (32)/34", "value"),
    ("daily_readiness_2025-06-27_ocr.txt", r"hoan thanh: (29)/34", "value"),
    ("vendor_*.txt", r"\(VNPT\): (26)/34", "value"),
]


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1])
def test_a_changed_number_flips_its_claim_to_contradicted(raw_copy, tmp_path, seed):
    rng = random.Random(seed)
    changed = [( glob, _mutate(raw_copy, glob, pattern, rng), part) for glob, pattern, part in MUTATIONS]
    processed = tmp_path / "processed"
    run_ingest(force=True, raw_dir=raw_copy, processed_dir=processed)
    ledger = claims_ledger(_tables(processed))
    for glob, (line, _), part in changed:
        file_part = glob.split("*")[0]
        assert _row(ledger, file_part, line, part)["status"] == "contradicted", (glob, line)
