"""params/<date>.yaml over params/defaults.yaml: validation and one-line errors."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from helpers import params
from helpers.errors import InputError

AVAILABLE = {
    "2025-06-27": ["daily_readiness"],
    "2025-06-30": ["daily_readiness", "directives_notice"],
    "2025-09-22": ["plan02"],
}


@pytest.fixture()
def pdir(tmp_path, monkeypatch) -> Path:
    """A project root in tmp with the real params/defaults.yaml."""
    monkeypatch.setenv("BRIEFINGS_ROOT", str(tmp_path))
    d = tmp_path / "params"
    d.mkdir()
    shutil.copy(ROOT / "params" / "defaults.yaml", d / "defaults.yaml")
    return d


def write(pdir: Path, name: str, text: str) -> Path:
    path = pdir / name
    path.write_text(text, encoding="utf-8")
    return path


def error(fn, *args, **kwargs) -> str:
    with pytest.raises(InputError) as info:
        fn(*args, **kwargs)
    message = str(info.value)
    assert "\n" not in message, message
    return message


def test_valid_file_merges_over_defaults(pdir):
    write(pdir, "2025-06-30.yaml", "report_date: 2025-06-30\ncomparison_dates: [2025-06-27]\nthresholds:\n  readiness_index_min: 75\nprovince: Hà Nội\n")
    loaded = params.load_params("2025-06-30", available=AVAILABLE)
    assert not loaded.used_defaults
    assert loaded.path == pdir / "2025-06-30.yaml"
    assert loaded.files == (pdir / "defaults.yaml", pdir / "2025-06-30.yaml")
    p = loaded.params
    assert p.report_date.isoformat() == "2025-06-30"
    assert p.thresholds.readiness_index_min == 75.0
    assert p.thresholds.green_pct_min == 90.0  # from defaults.yaml
    assert p.thresholds.online_rate_min_pct is None
    assert loaded.notebook_parameters() == {
        "report_date": "2025-06-30",
        "comparison_dates": ["2025-06-27"],
        "thresholds": {"readiness_index_min": 75.0, "green_pct_min": 90.0, "online_rate_min_pct": None, "volume_index_low": 0.5, "small_group_n": 3},
        "province": "Hà Nội",
        "distribution_marking": "Tài liệu phục vụ lãnh đạo, không phát hành rộng rãi.",
    }


def test_defaults_fallback_fills_report_date(pdir):
    loaded = params.load_params("2025-09-22", available=AVAILABLE)
    assert loaded.used_defaults
    assert loaded.path == pdir / "defaults.yaml"
    assert loaded.files == (pdir / "defaults.yaml",)
    assert loaded.params.report_date.isoformat() == "2025-09-22"
    assert loaded.params.thresholds.readiness_index_min == 80.0


def test_defaults_are_written_in_defaults_yaml_only():
    """The model has no default of its own: defaults.yaml is the one place, and it sets every field."""
    for model in (params.BriefingParams, params.Thresholds):
        assert [name for name, field in model.model_fields.items() if not field.is_required()] == [], model
    data = yaml.safe_load((ROOT / "params" / "defaults.yaml").read_text(encoding="utf-8"))
    assert set(data) == set(params.BriefingParams.model_fields) - {"report_date"}
    assert set(data["thresholds"]) == set(params.Thresholds.model_fields)


def test_unknown_key(pdir):
    write(pdir, "2025-06-30.yaml", "report_date: 2025-06-30\ntreshold: 3\n")
    msg = error(params.load_params, "2025-06-30", available=AVAILABLE)
    assert msg.startswith("params/2025-06-30.yaml:2: ")
    assert "'treshold'" in msg and "report_date, comparison_dates" in msg


def test_unknown_nested_key(pdir):
    write(pdir, "2025-06-30.yaml", "report_date: 2025-06-30\nthresholds:\n  readiness_index_min: 70\n  green_min: 90\n")
    msg = error(params.load_params, "2025-06-30", available=AVAILABLE)
    assert msg.startswith("params/2025-06-30.yaml:4: ")
    assert "'green_min'" in msg and "thresholds" in msg and "green_pct_min" in msg


def test_malformed_yaml_names_the_line(pdir):
    write(pdir, "2025-06-30.yaml", "report_date: 2025-06-30\nthresholds:\n  readiness_index_min: 70\n    green_pct_min: 90\n")
    msg = error(params.load_params, "2025-06-30", available=AVAILABLE)
    assert msg.startswith("params/2025-06-30.yaml:4: expected valid YAML")


def test_unclosed_bracket(pdir):
    write(pdir, "2025-06-30.yaml", "report_date: 2025-06-30\ncomparison_dates: [2025-06-27\n")
    msg = error(params.load_params, "2025-06-30", available=AVAILABLE)
    assert "params/2025-06-30.yaml:" in msg and "valid YAML" in msg and "line 2" in msg


@pytest.mark.parametrize(
    ("text", "line", "needle"),
    [
        ("thresholds:\n  readiness_index_min: high\n", 3, "thresholds.readiness_index_min"),
        ("thresholds:\n  readiness_index_min: 120\n", 3, "less than or equal to 100"),
        ("thresholds:\n  small_group_n: 2.5\n", 3, "thresholds.small_group_n"),
        ("thresholds:\n  green_pct_min: yes\n", 3, "thresholds.green_pct_min"),
        ("language: vi\n", 2, "language"),  # removed: nothing read it
        ("comparison_dates: 2025-06-27\n", 2, "comparison_dates"),
        ("comparison_dates: [27/06/2025]\n", 2, "comparison_dates.0"),
        ("thresholds: 80\n", 2, "thresholds"),
    ],
)
def test_wrong_type(pdir, text, line, needle):
    write(pdir, "2025-06-30.yaml", "report_date: 2025-06-30\n" + text)
    msg = error(params.load_params, "2025-06-30", available=AVAILABLE)
    assert msg.startswith(f"params/2025-06-30.yaml:{line}: expected "), msg
    assert needle in msg


def test_null_online_rate_is_allowed(pdir):
    write(pdir, "2025-06-30.yaml", "report_date: 2025-06-30\nthresholds:\n  online_rate_min_pct: 62.5\n")
    assert params.load_params("2025-06-30", available=AVAILABLE).params.thresholds.online_rate_min_pct == 62.5


def test_date_without_data_lists_available_dates(pdir):
    write(pdir, "2025-07-01.yaml", "report_date: 2025-07-01\n")
    msg = error(params.load_params, "2025-07-01", available=AVAILABLE)
    assert msg.startswith("params/2025-07-01.yaml:1: ")
    assert "2025-06-27, 2025-06-30, 2025-09-22" in msg and "'2025-07-01'" in msg


def test_date_without_data_and_without_file(pdir):
    msg = error(params.load_params, "2025-07-02", available=AVAILABLE)
    assert "2025-06-27, 2025-06-30, 2025-09-22" in msg and "'2025-07-02'" in msg


def test_comparison_date_without_data(pdir):
    write(pdir, "2025-06-30.yaml", "report_date: 2025-06-30\ncomparison_dates:\n  - 2025-06-27\n  - 2025-06-28\n")
    msg = error(params.load_params, "2025-06-30", available=AVAILABLE)
    assert msg.startswith("params/2025-06-30.yaml:4: ") and "'2025-06-28'" in msg and "2025-06-27, 2025-06-30" in msg


def test_file_name_must_match_report_date(pdir):
    write(pdir, "2025-06-30.yaml", "report_date: 2025-06-27\n")
    msg = error(params.load_params, "2025-06-30", available=AVAILABLE)
    assert msg.startswith("params/2025-06-30.yaml:1: expected report_date 2025-06-30")
    assert "'2025-06-27'" in msg


def test_report_date_is_required_in_a_date_file(pdir):
    write(pdir, "2025-06-30.yaml", "thresholds:\n  readiness_index_min: 70\n")
    assert "report_date" in error(params.load_params, "2025-06-30", available=AVAILABLE)


def test_impossible_date(pdir):
    write(pdir, "2025-06-30.yaml", "report_date: 2025-06-31\n")
    msg = error(params.load_params, "2025-06-30", available=AVAILABLE)
    assert msg.startswith("params/2025-06-30.yaml:1:") and "calendar date" in msg
    assert "YYYY-MM-DD" in error(params.load_params, "30/06/2025", available=AVAILABLE)


def test_errors_in_defaults_name_defaults(pdir):
    write(pdir, "defaults.yaml", "comparison_dates: []\nthresholds:\n  readiness_index_min: [1]\n")
    msg = error(params.load_params, "2025-06-27", available=AVAILABLE)
    assert msg.startswith("params/defaults.yaml:3: ")
    write(pdir, "defaults.yaml", "report_date: 2025-06-27\n")
    assert error(params.load_params, "2025-06-27", available=AVAILABLE).startswith("params/defaults.yaml:1: expected no report_date")


def test_load_all_checks_every_file(pdir):
    write(pdir, "2025-06-30.yaml", "report_date: 2025-06-30\n")
    loaded = params.load_all(available=AVAILABLE)
    assert list(loaded) == ["2025-06-27", "2025-06-30", "2025-09-22"]
    assert [loaded[d].used_defaults for d in loaded] == [True, False, True]
    write(pdir, "2025-07-01.yaml", "report_date: 2025-07-01\n")
    assert "params/2025-07-01.yaml" in error(params.load_all, available=AVAILABLE)
    (pdir / "2025-07-01.yaml").unlink()
    write(pdir, "2025-06-27.yml", "report_date: 2025-06-27\n")
    assert ".yml" in error(params.load_all, available=AVAILABLE)


def test_available_dates_come_from_the_datastore(pdir, monkeypatch):
    from helpers import tables as datastore

    monkeypatch.setattr(datastore, "available_dates", lambda processed_dir=None: {"2025-09-22": ["plan02"]})
    assert params.load_params("2025-09-22").used_defaults
    assert "available: 2025-09-22" in error(params.load_params, "2025-06-30")


# --------------------------------------------------------------------------- hostile documents


@pytest.mark.parametrize(
    ("text", "line", "needles"),
    [
        ("report_date: 2025-06-30\nprovince: Hà Nội\nprovince: Huế\n", 3, ("each key once (first at line 2)", "'province'")),
        ("report_date: 2025-06-30\nthresholds:\n  small_group_n: 3\n  small_group_n: 30\n", 4, ("first at line 3", "'small_group_n'")),
        ("report_date: 2025-06-30\nreport_date: 2025-06-30\n", 2, ("each key once",)),
        ("report_date: 2025-06-30\nx: &a [1, 1]\n", 2, ("anchors are not supported", "'&a'")),
        ("report_date: 2025-06-30\nprovince: *a\n", 2, ("aliases are not supported", "'*a'")),
        ("report_date: 2025-06-30\nprovince: !!python/object:os.system echo\n", 2, ("tags are not supported",)),
        ("report_date: 2025-06-30\nprovince: !!binary aGk=\n", 2, ("tags are not supported",)),
        ("report_date: 2025-06-30\ncomparison_dates: [[[[[2025-06-27]]]]]\n", 2, ("levels of nesting",)),
        ("report_date: 2025-06-30\nthresholds:\n  small_group_n: 1000000000000000000000000000000\n", 3, ("less than or equal to 34",)),
        ("report_date: 2025-06-30\nthresholds:\n  small_group_n: 0\n", 3, ("greater than or equal to 1",)),
        ("report_date: 2025-06-30\nthresholds:\n  volume_index_low: 1.0e+30\n", 3, ("less than or equal to 10",)),
        ("report_date: 2025-06-30\nthresholds:\n  volume_index_low: .nan\n", 3, ("finite number",)),
        ("report_date: 2025-06-30\nthresholds:\n  green_pct_min: .inf\n", 3, ("finite number",)),
        ("report_date: 2025-06-30\nthresholds:\n  readiness_index_min: -1\n", 3, ("greater than or equal to 0",)),
        ("report_date: 2025-06-30\ncell_timeout_s: 0\n", 2, ("cell_timeout_s", "greater than or equal to 10")),
        ("report_date: 2025-06-30\ncell_timeout_s: 99999999\n", 2, ("less than or equal to 3600",)),
        ("report_date: 2025-06-30\nprovince: Atlantis\n", 2, ("province", "34 province names", "'Atlantis'")),
        ("report_date: 2025-06-30\nprovince: 99\n", 2, ("official province code", "99")),
        ("report_date: 2025-06-30\nprovince: ''\n", 2, ("province",)),
        ("report_date: 2025-06-30\ncomparison_dates: [" + ", ".join(["2025-06-27"] * 40) + "]\n", 2, ("at most 31",)),
    ],
)
def test_hostile_document_is_refused_with_its_line(pdir, text, line, needles):
    write(pdir, "2025-06-30.yaml", text)
    msg = error(params.load_params, "2025-06-30", available=AVAILABLE)
    assert msg.startswith(f"params/2025-06-30.yaml:{line}: expected "), msg
    for needle in needles:
        assert needle in msg, msg
    assert len(msg) < 300, msg


def test_billion_laughs_is_refused_before_expansion(pdir):
    lines = ["report_date: 2025-06-30", 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    write(pdir, "2025-06-30.yaml", "\n".join(lines) + "\nprovince: *a9\n")
    msg = error(params.load_params, "2025-06-30", available=AVAILABLE)
    assert msg.startswith("params/2025-06-30.yaml:2: ") and "anchors are not supported" in msg


def test_known_province_spellings_and_codes_pass(pdir):
    for value, kept in (("Lạng Sơn", "Lạng Sơn"), ("lang son", "lang son"), ("TP Hồ Chí Minh", "TP Hồ Chí Minh"), ("20", 20), ("'20'", "20")):
        write(pdir, "2025-06-30.yaml", f"report_date: 2025-06-30\nprovince: {value}\n")
        assert params.load_params("2025-06-30", available=AVAILABLE).params.province == kept  # as written: the notebook shows it


def test_cell_timeout_reaches_the_engine_not_the_notebook(pdir):
    write(pdir, "2025-06-30.yaml", "report_date: 2025-06-30\ncell_timeout_s: 60\n")
    loaded = params.load_params("2025-06-30", available=AVAILABLE)
    assert loaded.cell_timeout_s == 60
    assert "cell_timeout_s" not in loaded.notebook_parameters()


def test_distribution_marking_reaches_the_briefing_notebook(pdir):
    """The briefing notebook writes the province pages and resolves the PDF's marking."""
    loaded = params.load_params("2025-06-30", available=AVAILABLE)
    assert loaded.distribution_marking == "Tài liệu phục vụ lãnh đạo, không phát hành rộng rãi."
    assert loaded.notebook_parameters()["distribution_marking"] == loaded.distribution_marking
    write(pdir, "2025-06-30.yaml", "report_date: 2025-06-30\ndistribution_marking: Mật\n")
    assert params.load_params("2025-06-30", available=AVAILABLE).notebook_parameters()["distribution_marking"] == "Mật"
    write(pdir, "2025-06-30.yaml", "report_date: 2025-06-30\ndistribution_marking: ''\n")
    assert "distribution_marking" in error(params.load_params, "2025-06-30", available=AVAILABLE)


def test_huge_file_and_huge_value_are_not_echoed(pdir):
    write(pdir, "2025-06-30.yaml", "report_date: 2025-06-30\nprovince: " + "x" * 200_000 + "\n")
    msg = error(params.load_params, "2025-06-30", available=AVAILABLE)
    assert "at most 64 KiB" in msg and len(msg) < 200
    write(pdir, "2025-06-30.yaml", "report_date: 2025-06-30\nprovince: " + "x" * 5_000 + "\n")
    msg = error(params.load_params, "2025-06-30", available=AVAILABLE)
    assert msg.startswith("params/2025-06-30.yaml:2: ") and "5,000 characters" in msg and len(msg) < 300


def test_control_characters_in_values_are_escaped(pdir):
    write(pdir, "2025-06-30.yaml", 'report_date: 2025-06-30\nprovince: "Hà\\nNội\\e[31m\\u202e"\n')
    msg = error(params.load_params, "2025-06-30", available=AVAILABLE)
    assert "\n" not in msg and "\x1b" not in msg and "\u202e" not in msg
    assert "\\n" in msg and "\\x1b" in msg and "\\u202e" in msg


def test_non_utf8_names_its_line(pdir):
    (pdir / "2025-06-30.yaml").write_bytes(b"report_date: 2025-06-30\nprovince: H\xe0 N\xf4i\n")
    msg = error(params.load_params, "2025-06-30", available=AVAILABLE)
    assert msg.startswith("params/2025-06-30.yaml:2: expected UTF-8 text")


def test_params_path_must_be_a_regular_file_inside_the_project(pdir, tmp_path_factory):
    target = pdir / "2025-06-30.yaml"
    target.mkdir()
    assert error(params.load_params, "2025-06-30", available=AVAILABLE) == "params/2025-06-30.yaml: expected a regular file, found 'a directory'"
    assert "a directory" in error(params.load_all, available=AVAILABLE)
    target.rmdir()
    os.mkfifo(target)  # opening it would block for ever
    assert error(params.load_params, "2025-06-30", available=AVAILABLE).endswith("found 'a FIFO'")
    target.unlink()
    target.symlink_to(pdir / "nowhere.yaml")
    assert error(params.load_params, "2025-06-30", available=AVAILABLE) == "params/2025-06-30.yaml: expected a parameters file, found 'a link that leads nowhere'"
    target.unlink()
    outside = tmp_path_factory.mktemp("elsewhere") / "2025-06-30.yaml"
    outside.write_text("report_date: 2025-06-30\n", encoding="utf-8")
    target.symlink_to(outside)
    assert "a file inside the project" in error(params.load_params, "2025-06-30", available=AVAILABLE)
    target.unlink()
    inside = pdir.parent / "shared.yaml"
    inside.write_text("report_date: 2025-06-30\n", encoding="utf-8")
    target.symlink_to(inside)
    assert params.load_params("2025-06-30", available=AVAILABLE).date == "2025-06-30"


def test_the_analysis_fallback_thresholds_are_the_params_defaults():
    """DateFacts built without params (an analyst in JupyterLab) uses the same cut-offs as
    params/defaults.yaml, the one documented place: the two must never drift apart."""
    import dataclasses

    import yaml

    from conftest import ROOT
    from helpers.analysis.facts import Thresholds

    documented = yaml.safe_load((ROOT / "params" / "defaults.yaml").read_text(encoding="utf-8"))["thresholds"]
    assert dataclasses.asdict(Thresholds()) == documented
