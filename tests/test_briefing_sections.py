"""The briefing's building blocks on the real tables: facts, wording, absent sections, escaping."""

from __future__ import annotations

import html as html_lib
import json

import pandas as pd
import pytest

from helpers.analysis import tasks as J
from helpers.analysis.facts import DateFacts
from helpers.errors import InputError
from helpers.ingest.run import data_dictionary_markdown
from helpers.report import Briefing
from helpers.report.document import SECTIONS
from helpers.report.drilldown import ProvinceDrilldown, resolve_province
from helpers.report.formats import vn_date, vn_datetime
from helpers.report.render import Html, esc, inline, para, table
from helpers.tables import load_table

from conftest import ROOT

THRESHOLDS = {"readiness_index_min": 80.0, "green_pct_min": 90.0, "online_rate_min_pct": None, "volume_index_low": 0.5, "small_group_n": 3}
LANG_SON, HCMC = 20, 79
SEPTEMBER_COMPARISONS = ["2025-06-30", "2025-06-27"]  # params/2025-09-22.yaml


def facts(ingested, date: str, comparison_dates=()) -> DateFacts:
    return DateFacts(date, lambda name: load_table(name, ingested), THRESHOLDS, comparison_dates)


def test_comparable_figures_june(ingested):
    m = facts(ingested, "2025-06-30").comparable
    assert m["tasks_complete"] == 25
    assert m["task_province_done"] == 882
    assert m["provinces_with_open_tasks"] == 2
    m27 = facts(ingested, "2025-06-27").comparable
    assert m27["task_province_done"] == 623
    assert m27["task_province_done_pct"] == pytest.approx(100 * 623 / 884)


def test_comparable_figures_september(ingested):
    m = facts(ingested, "2025-09-22").comparable
    assert m["communes_green"] == 2821
    assert m["dossiers_total"] == 18072849
    assert m["online_rate_national_all_pct"] == pytest.approx(100 * 13927389 / 18072849)
    assert "tasks_complete" not in m


def test_index_headline_and_changes_come_from_the_same_facts(ingested):
    b = Briefing("2025-06-30", THRESHOLDS, ingested)
    now = b.facts.comparable
    changes = b.facts.changes.set_index("name")
    assert changes["after"].to_dict() == pytest.approx(now)
    assert changes["before"].to_dict() == pytest.approx(b.facts.previous.comparable)
    headline = {h["label"]: h["value"] for h in b.summary["headline"]}
    assert headline["Tỉnh còn nhiệm vụ chưa xong"] == str(now["provinces_with_open_tasks"])
    assert headline["Nhiệm vụ đã xong ở cả 34 tỉnh"] == f"{now['tasks_complete']}/{b.summary['metrics']['tasks']}"
    assert b.summary["metrics"]["task_province_done"] == now["task_province_done"]


def test_summary_is_json_and_has_what_the_index_reads(ingested):
    for date in ("2025-06-27", "2025-09-22"):
        summary = Briefing(date, THRESHOLDS, ingested).summary
        assert json.loads(json.dumps(summary)) == summary
        assert summary["report_date"] == date and summary["headline"] and summary["metrics"]
        assert all(set(h) == {"label", "value"} and isinstance(h["value"], str) for h in summary["headline"])
    assert "ready_but_low" not in Briefing("2025-06-27", THRESHOLDS, ingested).summary


def test_lead_summary_has_three_to_six_sentences_from_the_data(ingested):
    for date in ("2025-06-27", "2025-06-30", "2025-09-22"):
        b = Briefing(date, THRESHOLDS, ingested)
        html = b.lead_summary().body
        assert 3 <= len(b.summary["lead"]) <= 6, (date, b.summary["lead"])
        assert html.count("<li") == len(b.summary["lead"])
        assert 'class="fn"' in html  # figures cite their source
    b = Briefing("2025-09-22", THRESHOLDS, ingested)
    b.lead_summary()
    text = " ".join(b.summary["lead"])
    assert "2.821/3.321" in text and "18.072.849" in text and "Lạng Sơn (34,50%)" in text
    b30 = Briefing("2025-06-30", THRESHOLDS, ingested)
    b30.lead_summary()
    assert "25/26" in b30.summary["lead"][0]
    assert any("Tuyên Quang" in s for s in b30.summary["lead"])  # reopened task III.2.e


def test_sections_without_data_are_left_out_and_said_once(ingested):
    june = Briefing("2025-06-27", THRESHOLDS, ingested)
    for name in ("communes", "uptake", "ready_but_low", "plan02_trends", "vendors"):
        assert june.section(name).body == "" and june.table_behind(name) is None, name
    said = june.data_available().body
    assert "Không có số liệu về" in said and "lược bỏ" in said
    sept = Briefing("2025-09-22", THRESHOLDS, ingested)
    assert sept.section("tasks").body == "" and sept.table_behind("tasks") is None
    # the plan-02 report has task data of its own (appendices 1–2, issue 13): not said missing
    assert "tiến độ nhiệm vụ giai đoạn 2 theo tỉnh" in sept.data_available().body
    assert "Không có số liệu về: tiến độ nhiệm vụ" not in sept.data_available().body


def test_changes_since_previous(ingested):
    first = Briefing("2025-06-27", THRESHOLDS, ingested).section("changes").body
    assert "đầu tiên" in first
    second = Briefing("2025-06-30", THRESHOLDS, ingested).section("changes").body
    assert "623" in second and "882" in second and "259" in second
    # each change as leaders read it: signed, a percentage's in points; the values from the facts
    changes = Briefing("2025-06-30", THRESHOLDS, ingested).facts.changes.set_index("name")["change"]
    assert f">+{int(changes['task_province_done'])}<" in second and f">−{abs(int(changes['provinces_with_open_tasks']))}<" in second
    assert f">+{changes['task_province_done_pct']:.2f} điểm %<".replace(".", ",") in second
    sept = Briefing("2025-09-22", THRESHOLDS, ingested, SEPTEMBER_COMPARISONS).section("changes").body
    assert "30/6/2025" in sept and "<table" not in sept  # different kinds of report: nothing shared


def test_comparison_dates_drive_the_comparisons(ingested):
    # without comparison dates: the previous report of the same kind (none before the first plan-02 report)
    alone = Briefing("2025-09-22", THRESHOLDS, ingested)
    assert alone.facts.previous_date is None and "đầu tiên" in alone.section("changes").body
    assert alone.facts.laggards.earlier_date == "2025-06-27"  # every earlier daily report: the earliest
    only_30 = Briefing("2025-09-22", THRESHOLDS, ingested, ["2025-06-30"])
    assert only_30.facts.previous_date == "2025-06-30" and "30/6/2025" in only_30.section("changes").body
    assert only_30.facts.laggards.earlier_date == "2025-06-30"
    assert "Nhiệm vụ chưa xong 30/6/2025" in only_30.section("plan02_trends").body
    only_27 = Briefing("2025-09-22", THRESHOLDS, ingested, ["2025-06-27"])
    assert "27/6/2025" in only_27.section("changes").body
    # a daily report's predecessor, given as a comparison date or found by kind: the same table
    given = Briefing("2025-06-30", THRESHOLDS, ingested, ["2025-06-27"]).section("changes").body
    assert given == Briefing("2025-06-30", THRESHOLDS, ingested).section("changes").body


def test_ready_but_low_summary_and_paragraphs(ingested):
    b = Briefing("2025-09-22", THRESHOLDS, ingested)
    html = b.section("ready_but_low").body
    flagged = b.summary["ready_but_low"]
    assert flagged[0]["province_code"] == LANG_SON and flagged[0]["online_rate_pct"] == pytest.approx(34.50, abs=0.01)
    assert {"province_code", "province_name", "readiness", "online_rate_pct"} <= set(flagged[0])
    assert html.count('class="province-card"') == len(flagged)
    assert "37,47%" in html and "30,78%" in html  # Lạng Sơn at province and commune level
    assert "VNPT" in html  # vendor of its administrative-procedure system
    # ρ = 0,34 is worded for leaders ('liên hệ vừa phải'); the figure is in the analysts' cells only
    assert "liên hệ vừa phải, cùng chiều" in html and "ρ" not in html and "R²" not in html
    from helpers.report.sections import ready_but_low

    figures = ready_but_low.statistics(b.facts).set_index("statistic")["value"]
    assert round(figures["Spearman ρ"], 2) == 0.34


def test_volume_index_of_ho_chi_minh_city(ingested):
    b = Briefing("2025-09-22", THRESHOLDS, ingested)
    row = b.facts.volume.by_province.set_index("province_code").loc[HCMC]
    assert (row["day_total"], row["june_daily_avg"]) == (1889, 17133)
    assert row["volume_index"] == pytest.approx(1889 / 17133)


def test_threshold_from_params_changes_the_flags(ingested):
    strict = Briefing("2025-09-22", {**THRESHOLDS, "online_rate_min_pct": 50.0}, ingested)
    codes = [r["province_code"] for r in strict.summary["ready_but_low"]]
    assert codes == [LANG_SON, 14]  # only Lạng Sơn (34,50%) and Sơn La (45,04%) are below 50%


def test_drilldown_default_and_named_province(ingested):
    d = ProvinceDrilldown("2025-09-22", None, THRESHOLDS, ingested)
    assert d.code == LANG_SON  # most below its predicted rate
    june = ProvinceDrilldown("2025-06-27", None, THRESHOLDS, ingested)
    expected = J.open_tasks_by_province(june.table("task_status"), "2025-06-27")["province_code"].iloc[0]
    assert june.code == expected
    assert ProvinceDrilldown("2025-09-22", "TP. Hồ Chí Minh", THRESHOLDS, ingested).code == HCMC
    assert "3.321" not in d.intro().body and "Lạng Sơn" in d.intro().body


def test_resolve_province():
    assert resolve_province("Thanh Hoá") == resolve_province("Thanh Hóa")
    assert resolve_province("79") == HCMC
    with pytest.raises(InputError):
        resolve_province("Atlantis")
    with pytest.raises(InputError):
        resolve_province(999)


def test_report_text_is_escaped():
    frame = pd.DataFrame({"text": ["<script>alert(1)</script>", '<img src=x onerror="alert(2)">']})
    html = table(frame, [("text", "Nội dung", str)]).body
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert esc('"') == "&quot;"


def test_vietnamese_dates():
    assert vn_date("2025-09-22") == "22/9/2025"
    assert vn_datetime("2025-09-22T16:00") == "16:00 ngày 22/9/2025"
    assert vn_datetime("2025-06-30") == "30/6/2025"


def test_committed_data_dictionary_is_up_to_date():
    committed = (ROOT / "docs" / "DATA_DICTIONARY.md").read_text(encoding="utf-8")
    assert committed == data_dictionary_markdown(), "run: python -c 'from helpers.ingest.run import data_dictionary_markdown as d; open(\"docs/DATA_DICTIONARY.md\",\"w\").write(d())'"


def test_every_finding_of_the_real_reports_has_a_vietnamese_label(ingested):
    from helpers.report.wording import CHECK_LABELS_VI

    dq = pd.read_csv(ingested / "data_quality.csv")
    missing = sorted(set(dq["check"]) - set(CHECK_LABELS_VI))
    assert not missing, missing


def test_heat_table_colours_cells_by_value_and_keeps_numbers_as_text():
    import numpy as np
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    from helpers.report.render import heat_table

    values = np.array([[100.0, 12.5], [np.nan, 0.0]])
    html = heat_table(values, ["Hà Nội", "<b>X</b>"], ["Mạng thông suốt", "Máy lấy số"], caption="Bản đồ nhiệt", legend="% số xã").body
    cividis = colormaps["cividis"]
    assert f"background:{to_hex(cividis(1.0))};color:#000\">100</td>" in html  # light yellow cell, dark number
    assert f"background:{to_hex(cividis(0.125))};color:#fff\">12,5</td>" in html  # dark blue cell, white number
    assert f"background:{to_hex(cividis(0.0))};color:#fff\">0,0</td>" in html
    assert html.count('<td class="v na"></td>') == 1  # a missing value is an empty cell
    assert "&lt;b&gt;X&lt;/b&gt;" in html and "<b>X" not in html  # labels are escaped
    assert html.count('<th class="col">') == 2 and html.count('<th class="row">') == 3  # corner + 2 rows
    assert "% số xã" in html and "linear-gradient" in html and "http" not in html


def test_drilldown_lists_the_findings_of_its_own_date(ingested):
    june = ProvinceDrilldown("2025-06-27", None, THRESHOLDS, ingested)
    sept = ProvinceDrilldown("2025-09-22", None, THRESHOLDS, ingested)
    dq = june.table("data_quality")
    for d in (june, sept):
        mine = d.facts.findings
        files = set(mine["source"].str.split(" ").str[0])
        assert files <= set(d.facts.reports_today["file"]) | set(d.table("reports").loc[lambda r: r["report_date"].isna(), "file"])
        html = d.data_quality().body
        assert html.count("<tr>") == len(mine) + 1  # header + one row per finding of the date
        others = len(dq) - len(mine)
        assert f"{others} phát hiện khác" in html
    # every finding is listed by the drill-down of some date (or is about an undated document)
    listed = set(june.facts.findings.index) | set(sept.facts.findings.index) | set(ProvinceDrilldown("2025-06-30", None, THRESHOLDS, ingested).facts.findings.index)
    assert listed == set(dq.index)


def test_text_is_escaped_once_and_fragments_are_kept():
    hostile = 'Tỉnh <b>"A"</b> & \'B\''
    assert inline(hostile).body == html_lib.escape(hostile, quote=True)  # the quotes as the published pages write them
    marker = Html('<sup class="fn">1</sup>')
    body = para(hostile, marker, cls="method").body
    assert body == f'<p class="method">{esc(hostile)}<sup class="fn">1</sup></p>'
    assert (marker + "<i>").body == '<sup class="fn">1</sup>&lt;i&gt;'
    assert not Html("") and Html("x")


def test_every_section_shows_analysts_its_table(ingested):
    for date, comparisons in (("2025-06-30", ["2025-06-27"]), ("2025-09-22", SEPTEMBER_COMPARISONS)):
        b = Briefing(date, THRESHOLDS, ingested, comparisons)
        for name in SECTIONS:
            shown, behind = b.section(name).body, b.table_behind(name)
            if shown and "<table" in shown:
                assert isinstance(behind, pd.DataFrame) and len(behind), (date, name)
            if not shown:
                assert behind is None, (date, name)


def test_drilldown_sections_have_their_tables(ingested):
    d = ProvinceDrilldown("2025-09-22", "Lạng Sơn", THRESHOLDS, ingested)
    assert set(d.uptake_frame()["province_code"]) == {LANG_SON}
    assert set(d.vendors_frame()["province_code"]) == {LANG_SON}
    assert len(d.communes_frame()) == 16 and "Lạng Sơn" in d.communes().body
    assert d.obstacles_frame()["themes"].str.len().gt(0).all()
    june = ProvinceDrilldown("2025-06-27", "Lạng Sơn", THRESHOLDS, ingested)
    assert june.communes_frame() is None and "Kế hoạch 02" in june.communes().body
