"""params/<date>.yaml over params/defaults.yaml: validation and one-line errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from helpers.publish import params
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
        "language": "vi",
        "thresholds": {"readiness_index_min": 75.0, "green_pct_min": 90.0, "online_rate_min_pct": None, "volume_index_low": 0.5, "small_group_n": 3},
        "province": "Hà Nội",
    }


def test_defaults_fallback_fills_report_date(pdir):
    loaded = params.load_params("2025-09-22", available=AVAILABLE)
    assert loaded.used_defaults
    assert loaded.path == pdir / "defaults.yaml"
    assert loaded.files == (pdir / "defaults.yaml",)
    assert loaded.params.report_date.isoformat() == "2025-09-22"
    assert loaded.params.thresholds.readiness_index_min == 80.0


def test_repo_defaults_equal_the_model_defaults():
    data = yaml.safe_load((ROOT / "params" / "defaults.yaml").read_text(encoding="utf-8"))
    model = params.BriefingParams(report_date="2025-06-30").model_dump(mode="json")  # incl. the engine's distribution_marking
    model.pop("report_date")
    assert data == model


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
        ("language: en\n", 2, "language"),
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
    write(pdir, "defaults.yaml", "language: vi\nthresholds:\n  readiness_index_min: [1]\n")
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
