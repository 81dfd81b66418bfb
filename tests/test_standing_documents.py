"""Standing documents (issue 11 item 3): a next-day directives notice and a next-day vendor
summary dropped into data/raw beside the old ones ingest and brief with no code change; a
briefing reads the notices and the summary in force on its own date; a date whose documents
in force did not change is not built again."""

from __future__ import annotations

import datetime as dt
import html
import random
import re
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from conftest import RAW, make_project_copy, run_cli
from generators.next_day import VendorMove, next_daily_readiness, next_directives, next_vendor_summary
from helpers.analysis import standing
from helpers.ingest.parsers.vendors import parse_vendor_summary
from helpers.ingest.rawtext import RawReport
from helpers.ingest.run import run_ingest

VENDORS = "vendor_summary_2025-06-undated.txt"
DIRECTIVES = "directives_notice_2025-06-30.txt"
DAILY_30 = "daily_readiness_2025-06-30.txt"
NEXT_DAY = dt.date(2025, 7, 1)
# the checks of the summary's own arithmetic (1.1 against itself, the appendix against 1.1)
ARITHMETIC_CHECKS = ("vnpt_count", "vnpt_share_pct", "other_vendors_province_count", "vendor_province_count", "appendix_vendor_differs")


def _report(text: str, name: str = "vendor_summary.txt") -> RawReport:
    return RawReport(Path(name), text, "", tuple(text.split("\n")))


@pytest.fixture(scope="module")
def original_summary():
    text = (RAW / VENDORS).read_text(encoding="utf-8")
    return text, parse_vendor_summary(_report(text))


# --- the generator ---------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(40))
def test_a_next_vendor_summary_parses_to_the_moves_it_records(original_summary, seed):
    text, before = original_summary
    moves: list[VendorMove] = []
    day = NEXT_DAY + dt.timedelta(days=seed % 5)
    after = parse_vendor_summary(_report(next_vendor_summary(text, day, random.Random(seed), moves)))
    assert 1 <= len(moves) <= 2 and len({(m.province_code, m.system) for m in moves}) == len(moves)
    assert after.report_date == day
    # section 1.1: the original table, dated, with each recorded move and nothing else
    expected = before.tables["vendors"].assign(summary_date=day.isoformat())
    for move in moves:
        row = (expected["province_code"] == move.province_code) & (expected["system"] == move.system)
        assert expected.loc[row, "vendor"].tolist() == [move.before]
        expected.loc[row, "vendor"] = move.after
    pd.testing.assert_frame_equal(after.tables["vendors"], expected)
    # the appendix agrees: the moved cells print the new vendor, every other cell is unchanged
    appendix = after.tables["vendors_appendix"].set_index(["province_code", "system"])["vendor"]
    old = before.tables["vendors_appendix"].set_index(["province_code", "system"])["vendor"]
    moved = {(m.province_code, m.system): m.after for m in moves}
    assert appendix.to_dict() == {key: moved.get(key, vendor) for key, vendor in old.items()}
    # the counts, shares and lists stay consistent: no arithmetic finding the original lacks
    count = lambda parsed: Counter(f.check for f in parsed.findings if f.check in ARITHMETIC_CHECKS)  # noqa: E731
    assert count(after) == count(before)
    assert "report_undated" not in {f.check for f in after.findings}


def test_a_summary_is_dated_by_its_place_and_date_line_and_a_day_that_does_not_exist_is_refused(original_summary):
    from helpers.errors import InputError

    text, before = original_summary
    assert before.report_date is None and before.tables["vendors"]["summary_date"].isna().all()
    dated = parse_vendor_summary(_report("Hà Nội, ngày 3 tháng 7 năm 2025\n" + text))
    assert dated.report_date == dt.date(2025, 7, 3) and set(dated.tables["vendors_appendix"]["summary_date"]) == {"2025-07-03"}
    with pytest.raises(InputError, match=r"vendor_summary\.txt:1: expected a valid date.*31 tháng 6"):
        parse_vendor_summary(_report("Hà Nội, ngày 31 tháng 6 năm 2025\n" + text))
    # a date line below the title is the body's, not the summary's
    assert parse_vendor_summary(_report(text.replace("1.1. Hiện trạng", "Hà Nội, ngày 3 tháng 7 năm 2025\n1.1. Hiện trạng", 1))).report_date is None


# --- in force on a date ----------------------------------------------------------------------


def test_the_summary_in_force_is_the_latest_dated_on_or_before_the_date_undated_oldest():
    rows = pd.DataFrame({"summary_date": [None, "2025-07-01", "2025-07-05"], "province_code": [1, 1, 1], "system": ["tthc"] * 3, "vendor": ["VNPT", "FPT", "Viettel"]})
    assert standing.vendors_in_force(rows, "2025-06-30")["vendor"].tolist() == ["VNPT"]
    assert standing.vendors_in_force(rows, "2025-07-01")["vendor"].tolist() == ["FPT"]
    assert standing.vendors_in_force(rows, "2025-07-04")["vendor"].tolist() == ["FPT"]
    assert standing.vendors_in_force(rows, "2025-09-22")["vendor"].tolist() == ["Viettel"]
    dated_only = rows.dropna(subset=["summary_date"])
    assert standing.vendors_in_force(dated_only, "2025-06-30").empty  # before the first summary: none


def test_directives_in_force_take_a_repeated_directive_from_the_later_notice():
    rows = pd.DataFrame(
        {
            "notice_date": ["2025-06-30", "2025-06-30", "2025-07-03", "2025-07-03"],
            "directive_id": ["II.1", "II.2", "II.1", "II.4"],
            "directive": ["Hoàn thành trước ngày 5 tháng 7 năm 2025.", "Báo cáo hằng ngày.", "Hoàn thành  trước ngày 9 tháng 7 năm 2025.", "Việc mới."],
            "deadline": ["2025-07-05", None, "2025-07-09", None],
        }
    )
    assert standing.directives_in_force(rows, "2025-06-29").empty  # before every notice: none
    assert standing.directives_in_force(rows, "2025-06-30")["deadline"].fillna("-").tolist() == ["2025-07-05", "-"]
    later = standing.directives_in_force(rows, "2025-07-03")
    assert later["directive_id"].tolist() == ["II.2", "II.1", "II.4"]  # II.1 once, with the later deadline
    assert later["deadline"].fillna("-").tolist() == ["-", "2025-07-09", "-"]


# --- dropped into data/raw -------------------------------------------------------------------


def test_a_second_notice_of_the_same_date_is_set_aside_with_the_command(raw_copy, tmp_path):
    _write(raw_copy, "directives_notice_2025-06-30_v2.txt", (RAW / DIRECTIVES).read_text(encoding="utf-8") + "\n")
    result = run_ingest(force=True, raw_dir=raw_copy, processed_dir=tmp_path / "processed")
    assert [s["file"] for s in result.set_aside] == ["directives_notice_2025-06-30_v2.txt"]
    error = result.set_aside[0]["error"]
    assert "\n" not in error and "one directives_notice document per date" in error
    assert f"if directives_notice_2025-06-30_v2.txt is a correction of {DIRECTIVES}, run: mv {raw_copy / 'directives_notice_2025-06-30_v2.txt'} . && briefings add-report directives_notice_2025-06-30_v2.txt --supersedes {DIRECTIVES}" in error


def test_a_dated_summary_beside_the_undated_one_and_a_next_notice_ingest_side_by_side(raw_copy, tmp_path):
    moves: list[VendorMove] = []
    _write(raw_copy, "vendor_summary_2025-07-01.txt", next_vendor_summary((RAW / VENDORS).read_text(encoding="utf-8"), NEXT_DAY, random.Random(5), moves))
    _write(raw_copy, "directives_notice_2025-07-01.txt", next_directives((RAW / DIRECTIVES).read_text(encoding="utf-8")))
    processed = tmp_path / "processed"
    result = run_ingest(force=True, raw_dir=raw_copy, processed_dir=processed)
    assert result.set_aside == []
    assert result.new_dates == ["2025-06-27", "2025-06-30", "2025-09-22"]  # standing documents make no briefing date
    vendors = pd.read_csv(processed / "vendors.csv", dtype={"summary_date": str}, keep_default_na=False)
    assert Counter(vendors["summary_date"]) == {"": 170, "2025-07-01": 170}
    directives = pd.read_csv(processed / "directive_items.csv")
    assert Counter(directives["notice_date"]) == {"2025-06-30": 30, "2025-07-01": 30}
    # a third summary without a date is still ambiguous beside the undated one: set aside, never guessed
    _write(raw_copy, "vendor_summary_v2.txt", (RAW / VENDORS).read_text(encoding="utf-8") + "\n")
    result = run_ingest(raw_dir=raw_copy, processed_dir=processed)
    assert [s["file"] for s in result.set_aside] == ["vendor_summary_v2.txt"]
    assert f"one undated vendor_summary document (if vendor_summary_v2.txt is the newer version of {VENDORS}, run: mv" in result.set_aside[0]["error"]


def test_each_date_reads_the_documents_in_force(raw_copy, tmp_path):
    from helpers.analysis.facts import DateFacts
    from helpers.tables import load_table

    moves: list[VendorMove] = []
    _write(raw_copy, "vendor_summary_2025-07-01.txt", next_vendor_summary((RAW / VENDORS).read_text(encoding="utf-8"), NEXT_DAY, random.Random(2), moves))
    _write(raw_copy, "directives_notice_2025-07-01.txt", next_directives((RAW / DIRECTIVES).read_text(encoding="utf-8")))
    _write(raw_copy, "daily_readiness_2025-07-01.txt", next_daily_readiness((RAW / DAILY_30).read_text(encoding="utf-8"), random.Random(3)))
    processed = tmp_path / "processed"
    assert run_ingest(force=True, raw_dir=raw_copy, processed_dir=processed).set_aside == []
    facts = {d: DateFacts(d, lambda name: load_table(name, processed)) for d in ("2025-06-27", "2025-06-30", "2025-07-01", "2025-09-22")}
    for move in moves:
        vendor_on = lambda d: facts[d].province_vendors(move.province_code).set_index("system")["vendor"][move.system]  # noqa: E731
        assert vendor_on("2025-06-27") == vendor_on("2025-06-30") == move.before
        assert vendor_on("2025-07-01") == vendor_on("2025-09-22") == move.after
    assert facts["2025-06-30"].vendor_summary_file == VENDORS and facts["2025-07-01"].vendor_summary_file == "vendor_summary_2025-07-01.txt"
    # the findings and claims of the summary in force, not of the other
    for date, file in (("2025-06-30", VENDORS), ("2025-09-22", "vendor_summary_2025-07-01.txt")):
        other = ({VENDORS, "vendor_summary_2025-07-01.txt"} - {file}).pop()
        sources = [c["source"].split(":")[0] for c in facts[date].claims]
        assert file in sources and other not in sources
        found = set(facts[date].findings["source"].str.split(" ").str[0])
        assert file in found and other not in found
    # directives: none before the first notice; 30/6 lists its notice; 7/1 the next one's deadlines
    assert facts["2025-06-27"].directives.empty and facts["2025-06-27"].directives_in_force.empty
    assert set(facts["2025-06-30"].directives["notice_date"]) == {"2025-06-30"}
    day = facts["2025-07-01"].directives.set_index("directive_id")
    assert set(day["notice_date"]) == {"2025-07-01"} and day.loc["II.3.b", "deadline"] == "2025-07-02"
    assert facts["2025-09-22"].directives.empty  # every deadline is past, no notice that day (as before)
    named = lambda d: sorted(deadline for _, deadline in facts[d].profiles[24].directives if deadline)  # noqa: E731
    assert named("2025-06-30") == ["2025-07-01", "2025-07-01"] and named("2025-07-01") == ["2025-07-02", "2025-07-02"]


def test_without_any_notice_a_date_has_no_directives(raw_copy, tmp_path):
    from helpers.analysis.facts import DateFacts
    from helpers.tables import load_table

    (raw_copy / DIRECTIVES).unlink()
    processed = tmp_path / "processed"
    run_ingest(force=True, raw_dir=raw_copy, processed_dir=processed)
    assert not (processed / "directives.csv").exists()
    facts = DateFacts("2025-06-30", lambda name: load_table(name, processed))
    assert facts.directives.empty and facts.directives_in_force.empty
    assert not any(profile.directives for profile in facts.profiles.values())


def test_a_date_hashes_only_the_notices_and_summaries_dated_on_or_before_it(tmp_path):
    from helpers.publish import plan

    processed = tmp_path / "processed"
    processed.mkdir()
    notices = processed / "directives.csv"
    summaries = processed / "vendors.csv"
    notices.write_text('notice_date,directive_id,directive,deadline,province_code\n2025-06-30,I.1,"A",,\n', encoding="utf-8")
    summaries.write_text("summary_date,province_code,system,vendor\n,1,tthc,VNPT\n", encoding="utf-8")
    dates = ("2025-06-27", "2025-06-30", "2025-07-01", "2025-09-22")

    def digests() -> dict:
        rows = plan.TableRows(processed, tmp_path / "cache.json")
        return {(name, d): rows.rows_digest(name, d) for name in ("directives", "vendors") for d in dates}

    before = digests()
    assert before[("directives", "2025-06-27")] == "none"  # no notice yet: not an input
    with notices.open("a", encoding="utf-8") as fh:
        fh.write('2025-07-01,I.1,"A",,\n')
    with summaries.open("a", encoding="utf-8") as fh:
        fh.write("2025-07-01,1,tthc,FPT\n")
    after = digests()
    for key in before:
        assert (after[key] == before[key]) == (key[1] < "2025-07-01"), key


@pytest.mark.slow
def test_next_day_standing_documents_brief_with_no_code_change_and_rebuild_only_later_dates(tmp_path):
    root = make_project_copy(tmp_path / "project")
    raw, outputs = root / "data" / "raw", root / "outputs"
    built = run_cli(root, "build")
    assert built.returncode == 0, built.stderr
    first = {d: (outputs / d / "briefing.html").read_bytes() for d in ("2025-06-27", "2025-06-30", "2025-09-22")}

    # tomorrow's notice and vendor summary, dropped straight into data/raw
    moves: list[VendorMove] = []
    _write(raw, "vendor_summary_2025-07-01.txt", next_vendor_summary((RAW / VENDORS).read_text(encoding="utf-8"), NEXT_DAY, random.Random(11), moves))
    _write(raw, "directives_notice_2025-07-01.txt", next_directives((RAW / DIRECTIVES).read_text(encoding="utf-8")))
    ingest = run_cli(root, "ingest")
    assert ingest.returncode == 0, ingest.stderr
    rebuilt = run_cli(root, "build")
    assert rebuilt.returncode == 0, rebuilt.stderr
    # only the date on or after the new documents is built again; the earlier ones are unchanged
    assert "1 published, 2 unchanged" in rebuilt.stdout, rebuilt.stdout
    assert "2025-09-22: published" in rebuilt.stdout
    for date in ("2025-06-27", "2025-06-30"):
        assert (outputs / date / "briefing.html").read_bytes() == first[date]
    # 22/9 reads the dated summary now, and says so
    assert "theo báo cáo tổng hợp ngày 1/7/2025" in (outputs / "2025-09-22" / "briefing.html").read_text(encoding="utf-8")
    assert "theo báo cáo tổng hợp tháng 6/2025 (không ghi ngày" in first["2025-09-22"].decode("utf-8")

    # and a daily report of that day: its briefing reads the new notice and summary, 30/6 the old
    _write(raw, "daily_readiness_2025-07-01.txt", next_daily_readiness((RAW / DAILY_30).read_text(encoding="utf-8"), random.Random(3)))
    built = run_cli(root, "build")
    assert built.returncode == 0, built.stderr
    from helpers.report.wording import KIND_LABELS, SYSTEM_VI

    for move in moves:
        page = lambda date: html.unescape((outputs / date / "provinces" / f"{move.province_code:02d}.html").read_text(encoding="utf-8"))  # noqa: E731
        row = lambda vendor: re.compile(rf"<td>{re.escape(SYSTEM_VI[move.system])}</td>\s*<td>{re.escape(vendor)}</td>")  # noqa: E731
        assert row(move.before).search(page("2025-06-30")) and not row(move.after).search(page("2025-06-30"))
        assert row(move.after).search(page("2025-07-01")) and not row(move.before).search(page("2025-07-01"))
        assert page("2025-07-01").count(KIND_LABELS["vendor_summary"]) == page("2025-06-30").count(KIND_LABELS["vendor_summary"]) == 1
    # Bắc Ninh (24) is named by II.3.b, due 1/7 in the notice of 30/6 and 2/7 in the next one
    bac_ninh = lambda date: html.unescape((outputs / date / "provinces" / "24.html").read_text(encoding="utf-8"))  # noqa: E731
    assert "1/7/2025" in _directive_deadlines(bac_ninh("2025-06-30")) and "2/7/2025" not in _directive_deadlines(bac_ninh("2025-06-30"))
    assert "2/7/2025" in _directive_deadlines(bac_ninh("2025-07-01")) and "1/7/2025" not in _directive_deadlines(bac_ninh("2025-07-01"))
    briefing = (outputs / "2025-07-01" / "briefing.html").read_text(encoding="utf-8")
    assert "Các chỉ đạo tại cuộc họp ngày 1/7/2025" in briefing
    assert "Các chỉ đạo tại cuộc họp ngày 30/6/2025" in (outputs / "2025-06-30" / "briefing.html").read_text(encoding="utf-8")


def _directive_deadlines(page: str) -> list[str]:
    """The deadlines of a province page's directives ('(thời hạn 1/7/2025)')."""
    return re.findall(r"\(thời hạn (\d{1,2}/\d{1,2}/\d{4})\)", page)


def _write(raw: Path, name: str, text: str) -> Path:
    path = raw / name
    path.write_text(text, encoding="utf-8")
    return path
