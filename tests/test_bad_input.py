"""Bad input through the real CLI: every case is one clear line or one data-quality row.

Each case copies a project root (data/raw, params/ and a good data/processed) into a
temp directory, damages it, and runs ``python -m helpers ...`` with ``BRIEFINGS_ROOT``
pointing there. Two outcomes are acceptable, chosen per case:

* ERROR: exit 2, one line ``error: <file>[:<line>]: expected ..., found ...`` on stderr,
  no traceback, and data/processed byte-identical to what it was before. Right when the
  input cannot be read or parsed with confidence (the pipeline must not guess).
* FINDING: exit 0 and a new row in data/processed/data_quality.csv. Right when the
  source is readable but contradicts itself (its figures are kept as printed and the
  briefing shows the contradiction).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import os
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import RAW, ROOT

# each case is a `briefings` process (~1.5 s of CPU): in `make test`, not in `make test-fast`
pytestmark = pytest.mark.slow

PLAN02 = "plan02_report_2025-09-22.txt"
DAILY = "daily_readiness_2025-06-30.txt"
FUTURE_YEAR = dt.date.today().year + 5  # a report cannot be dated after today


# ----------------------------------------------------------------------------- running


def cli(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {"BRIEFINGS_ROOT": str(root), "PATH": "/usr/bin:/bin", "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "helpers", *args], capture_output=True, encoding="utf-8", env=env, timeout=120)


def snapshot(root: Path) -> dict[str, str]:
    """SHA-256 of every file in data/processed, plus the entries of data/ (no staging left over)."""
    processed = root / "data" / "processed"
    out = {f"processed/{p.name}": hashlib.sha256(p.read_bytes()).hexdigest() for p in processed.iterdir() if p.is_file()}
    out["data/"] = " ".join(sorted(p.name for p in (root / "data").iterdir()))
    return out


def quality_rows(root: Path) -> list[dict]:
    with open(root / "data" / "processed" / "data_quality.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def good_root(tmp_path_factory) -> Path:
    """A project root with the real raw reports and params, ingested once by the CLI."""
    root = tmp_path_factory.mktemp("good") / "root"
    (root / "data").mkdir(parents=True)
    shutil.copytree(RAW, root / "data" / "raw")
    shutil.copytree(ROOT / "params", root / "params")
    for path in (root / "data" / "raw").iterdir():
        path.chmod(0o644)
    done = cli(root, "ingest", "--force")
    assert done.returncode == 0, done.stderr
    return root


# ----------------------------------------------------------------------------- damaging


def raw(root: Path, name: str) -> Path:
    return root / "data" / "raw" / name


def line_of(text: str, needle: str) -> int:
    return text.count("\n", 0, text.index(needle)) + 1


def replace(root: Path, name: str, old: str, new: str) -> int:
    """Replace the first ``old`` in a raw report; return the 1-based line it was on."""
    path = raw(root, name)
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{name} no longer holds {old!r}: update the case"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line_of(text, old)


@dataclass(frozen=True)
class Error:
    file: str  # the name the message must contain
    line: int | None  # the line the message must name (None: the file as a whole)
    expected: str  # a fragment of "expected ..."


@dataclass(frozen=True)
class Finding:
    file: str  # the report the row's source must name
    check: str  # the data_quality.check id of the new row
    detail: str  # a fragment of its detail


def empty_file(root):
    raw(root, "empty_report.txt").write_bytes(b"")
    return ["ingest"], Error("empty_report.txt", 1, "a text report")


def blank_file_with_bom(root):
    raw(root, "blank.txt").write_bytes(b"\xef\xbb\xbf \n\n")
    return ["ingest"], Error("blank.txt", 1, "a text report")


def binary_junk(root):
    raw(root, "junk.txt").write_bytes(bytes(range(256)) * 40)
    return ["ingest"], Error("junk.txt", 1, "UTF-8 text")


def binary_junk_without_nul(root):
    raw(root, "junk.bin").write_bytes(bytes(range(1, 256)) * 40)
    return ["ingest"], Error("junk.bin", 2, "UTF-8 text")


def cp1258_encoding(root):
    path = raw(root, DAILY)
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.encode("cp1258", errors="replace"))
    return ["ingest"], Error(DAILY, 1, "UTF-8 text")


def utf16_encoding(root):
    path = raw(root, DAILY)
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    return ["ingest"], Error(DAILY, 1, "UTF-8 text")


def truncated_bytes(root):
    """Cut in half by bytes: here the cut falls inside a multi-byte character."""
    path = raw(root, PLAN02)
    data = path.read_bytes()
    cut = data[: len(data) // 2]
    path.write_bytes(cut)
    return ["ingest"], Error(PLAN02, cut.count(b"\n") + 1, "UTF-8 text")


def truncated_text(root):
    """Cut in half at a character boundary: valid UTF-8, the appendices stop early."""
    path = raw(root, PLAN02)
    text = path.read_text(encoding="utf-8")
    cut = text[: len(text) // 2]
    path.write_text(cut, encoding="utf-8")
    return ["ingest"], Error(PLAN02, cut.count("\n") + 1, "'Phụ lục 14' (appendices 1–25 in order)")


def appendix_missing(root):
    path = raw(root, PLAN02)
    text = path.read_text(encoding="utf-8")
    start, end = text.index(" Phụ lục 4 \n"), text.index("Phụ lục 5 \n")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    return ["ingest"], Error(PLAN02, line_of(text, " Phụ lục 4 \n"), "'Phụ lục 4'")


def unknown_province(root):
    line = replace(root, PLAN02, "31 Lạng Sơn 65 65 0 0", "31 Atlantis 65 65 0 0")
    return ["ingest"], Error(PLAN02, line, "one of the 34 province names")


def unknown_province_daily(root):
    line = replace(root, DAILY, "Điện Biên", "Atlantis")
    return ["ingest"], Error(DAILY, line, "one of the 34 province names")


def duplicated_row(root):
    row = "31 Lạng Sơn 65 65 0 0 65 100% 100% 0% \n"
    line = replace(root, PLAN02, row, row + row)
    return ["ingest"], Error(PLAN02, line + 1, "row 32")


def duplicated_province(root):
    line = replace(root, PLAN02, "32 Phú Thọ 148 148 0 0 148 100% 100% 0%", "32 Lạng Sơn 65 65 0 0 65 100% 100% 0%")
    return ["ingest"], Error(PLAN02, line, "each province once")


def total_row_does_not_add_up(root):
    replace(root, PLAN02, "Tổng 1412 13286 14780 14698 90,39% 93205", "Tổng 1412 13296 14780 14698 90,39% 93205")
    return ["ingest"], Finding(PLAN02, "provinces_sum_to_total_row", "online printed 13296, province rows sum to 13286")


def colours_do_not_add_up(root):
    replace(root, PLAN02, "31 Lạng Sơn 65 65 0 0", "31 Lạng Sơn 65 64 0 0")
    return ["ingest"], Finding(PLAN02, "colours_sum_to_communes", "green 64 + yellow 0 + red 0 = 64, communes 65")


def rate_contradicts_counts(root):
    replace(root, PLAN02, "32 Tỉnh Quảng Trị 17 37 124 54 68,52%", "32 Tỉnh Quảng Trị 17 37 124 54 69,52%")
    return ["ingest"], Finding(PLAN02, "online_rate_vs_counts", "rate printed 69.52% but online/total = 37/54")


def percentage_above_100(root):
    line = replace(root, PLAN02, "21 Lạng Sơn 65 100 100 100", "21 Lạng Sơn 65 130 100 100")
    return ["ingest"], Error(PLAN02, line, "a percentage from 0% to 100%")


def rate_above_100(root):
    line = replace(root, PLAN02, "34 Tỉnh Sơn La 0 15 80 15 100% 513", "34 Tỉnh Sơn La 0 15 80 15 130% 513")
    return ["ingest"], Error(PLAN02, line, "a percentage from 0% to 100%")


def done_above_total(root):
    """'36/34 provinces done': two printed figures contradict each other (unlike a share of 130%)."""
    replace(root, DAILY, "Số lượng tỉnh hoàn thành: 32/34.", "Số lượng tỉnh hoàn thành: 36/34.")
    return ["ingest"], Finding(DAILY, "done_at_most_total", "36 done of 34")


def negative_count(root):
    line = replace(root, PLAN02, "34 Tỉnh Sơn La 0 15 80 15 100% 513", "34 Tỉnh Sơn La 0 15 -80 15 100% 513")
    return ["ingest"], Error(PLAN02, line, "a count of 0 or more")


def negative_commune_count(root):
    line = replace(root, PLAN02, "31 Lạng Sơn 65 65 0 0", "31 Lạng Sơn 65 65 -1 0")
    return ["ingest"], Error(PLAN02, line, "a count of 0 or more")


def future_daily_report(root):
    line = replace(root, DAILY, "12h00 ngày 30/6/2025", f"12h00 ngày 30/6/{FUTURE_YEAR}")
    return ["ingest"], Error(DAILY, line, "a report date no later than today")


def future_plan02_report(root):
    line = replace(root, PLAN02, "16h00 ngày 22/9/2025", f"16h00 ngày 22/9/{FUTURE_YEAR}")
    return ["ingest"], Error(PLAN02, line, "a report date no later than today")


def params_for_a_date_without_data(root):
    (root / "params" / "2030-01-01.yaml").write_text("report_date: 2030-01-01\n", encoding="utf-8")
    return ["run", "--date", "2030-01-01"], Error("params/2030-01-01.yaml", 1, "a reporting date with data")


def malformed_yaml(root):
    (root / "params" / "2025-09-22.yaml").write_text("report_date: 2025-09-22\nthresholds: [unclosed\n  green_pct_min: 90\n", encoding="utf-8")
    return ["run", "--date", "2025-09-22"], Error("params/2025-09-22.yaml", 3, "valid YAML")


def huge_line(root):
    path = raw(root, DAILY)
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[20] += "x" * 25_000
    path.write_text("\n".join(lines), encoding="utf-8")
    return ["ingest"], Error(DAILY, 21, "lines of at most 20,000 characters")


def unknown_kind(root):
    raw(root, "minutes_2025-07-01.txt").write_text("BIÊN BẢN HỌP\n\nNgày 1/7/2025, hội nghị bàn về việc triển khai ...\n", encoding="utf-8")
    return ["ingest"], Error("minutes_2025-07-01.txt", 1, "a report of a known kind")


CASES = [
    # 1 Empty file (also: only a BOM and blank lines) -> ERROR: there is nothing to parse.
    pytest.param(empty_file, id="01-empty-file"),
    pytest.param(blank_file_with_bom, id="01b-blank-file-with-bom"),
    # 2 Binary junk -> ERROR: not text; with NUL bytes and without.
    pytest.param(binary_junk, id="02-binary-junk"),
    pytest.param(binary_junk_without_nul, id="02b-binary-junk-without-nul"),
    # 3 Not UTF-8 -> ERROR: decoding a guessed encoding would garble Vietnamese names.
    pytest.param(cp1258_encoding, id="03-cp1258-encoding"),
    pytest.param(utf16_encoding, id="03b-utf16-encoding"),
    # 4 Truncated report -> ERROR: missing appendices cannot be filled in.
    pytest.param(truncated_bytes, id="04-truncated-bytes"),
    pytest.param(truncated_text, id="04b-truncated-text"),
    # 5 An appendix missing -> ERROR: a whole table would silently vanish.
    pytest.param(appendix_missing, id="05-appendix-missing"),
    # 6 Unknown province name -> ERROR: the row cannot be keyed to a province.
    pytest.param(unknown_province, id="06-unknown-province"),
    pytest.param(unknown_province_daily, id="06b-unknown-province-daily"),
    # 7 Duplicated province row -> ERROR: which of the two rows is right cannot be decided.
    pytest.param(duplicated_row, id="07-duplicated-row"),
    pytest.param(duplicated_province, id="07b-duplicated-province-renumbered"),
    # 8 Totals that do not add up -> FINDING: the source contradicts itself; keep what it prints.
    pytest.param(total_row_does_not_add_up, id="08-total-row-does-not-add-up"),
    pytest.param(colours_do_not_add_up, id="08b-colours-do-not-add-up"),
    pytest.param(rate_contradicts_counts, id="08c-rate-contradicts-counts"),
    # 9 Percentage above 100 -> ERROR naming file and line: impossible, not a contradiction.
    pytest.param(percentage_above_100, id="09-percentage-above-100"),
    pytest.param(rate_above_100, id="09b-rate-above-100"),
    # ... but "36/34 provinces done" -> FINDING: a count above its own printed total is the
    # source contradicting itself (the parser's done_at_most_total check), not an impossible value.
    pytest.param(done_above_total, id="09c-done-above-total-is-a-finding"),
    # 10 Negative counts -> ERROR naming file and line: impossible value.
    pytest.param(negative_count, id="10-negative-count"),
    pytest.param(negative_commune_count, id="10b-negative-commune-count"),
    # 11 Report dated in the future -> ERROR: a report cannot be dated after today.
    pytest.param(future_daily_report, id="11-future-daily-report"),
    pytest.param(future_plan02_report, id="11b-future-plan02-report"),
    # 12 params for a date without data -> ERROR: nothing to brief.
    pytest.param(params_for_a_date_without_data, id="12-params-date-without-data"),
    # 13 Malformed YAML -> ERROR with the YAML line.
    pytest.param(malformed_yaml, id="13-malformed-yaml"),
    # 14 A line over 20,000 characters -> ERROR: not text a ministry wrote.
    pytest.param(huge_line, id="14-huge-line"),
    # 15 A report of none of the four kinds -> ERROR: no parser may guess.
    pytest.param(unknown_kind, id="15-unknown-kind"),
]


@dataclass
class Outcome:
    expect: Error | Finding
    before: dict[str, str]  # snapshot() before the command
    findings_before: list[dict]
    done: subprocess.CompletedProcess
    root: Path


def run_case(good_root: Path, target: Path, damage) -> Outcome:
    """Copy the good root, damage the copy, run the command on it."""
    shutil.copytree(good_root, target)
    before, findings_before = snapshot(target), quality_rows(target)
    args, expect = damage(target)
    return Outcome(expect, before, findings_before, cli(target, *args), target)


@pytest.fixture(scope="module")
def outcomes(request, good_root, tmp_path_factory) -> dict:
    """Every selected case run once, in parallel (each is a subprocess of ~1.5 s CPU).

    Maps the damage function to its Outcome, or to the exception preparing it raised.
    """
    from concurrent.futures import ThreadPoolExecutor

    selected = {item.callspec.params["damage"] for item in request.session.items if item.path == request.path and getattr(item, "originalname", None) == "test_bad_input"}
    base = tmp_path_factory.mktemp("cases")
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 1)) as pool:
        futures = {damage: pool.submit(run_case, good_root, base / damage.__name__, damage) for damage in selected}
    return {damage: (f.exception() or f.result()) for damage, f in futures.items()}


@pytest.mark.parametrize("damage", CASES)
def test_bad_input(outcomes, damage):
    outcome = outcomes[damage]
    if isinstance(outcome, BaseException):
        raise outcome
    expect, done, root = outcome.expect, outcome.done, outcome.root
    output = done.stdout + done.stderr
    assert "Traceback" not in output, output
    if isinstance(expect, Error):
        assert done.returncode == 2, output
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1, done.stderr
        message = lines[0]
        assert message.startswith("error: "), message
        where = re.escape(expect.file) + (rf":{expect.line}" if expect.line is not None else "")
        assert re.search(rf"{where}: expected {re.escape(expect.expected)}", message), message
        after = snapshot(root)
        if after != outcome.before and done.args[-1:] == ["ingest"]:
            # A new report that cannot be read is set aside: the tables stay as they were
            # and the ingest record names it (briefings list shows it).
            record = json.loads((root / "data" / "processed" / "_ingest.json").read_text(encoding="utf-8"))
            assert [item["file"] for item in record["set_aside"]] == [expect.file]
            after = {k: v for k, v in after.items() if not k.endswith("_ingest.json")}
            before = {k: v for k, v in outcome.before.items() if not k.endswith("_ingest.json")}
            assert after == before, "data/processed tables changed after a failed command"
        else:
            assert after == outcome.before, "data/processed changed after a failed command"
    else:
        assert done.returncode == 0, output
        assert done.stderr == "", done.stderr
        new = [r for r in quality_rows(root) if r not in outcome.findings_before]
        matching = [r for r in new if r["check"] == expect.check and expect.detail in r["detail"]]
        assert matching, f"no {expect.check} row with {expect.detail!r}; new rows: {new}"
        assert all(r["source"].startswith(expect.file) for r in matching), matching
