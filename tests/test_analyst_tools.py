"""What analysts use: the API in helpers.api (and the README's example, run here), `make lab`
(root, headless, installs once) and the offline pre-commit hook."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml

from conftest import ROOT, make_project_copy, run_cli
from helpers import api
from helpers.errors import InputError

DATE = "2025-09-22"


@pytest.fixture(scope="module")
def ingested_root(tmp_path_factory) -> Path:
    root = make_project_copy(tmp_path_factory.mktemp("api") / "root")
    done = run_cli(root, "ingest")
    assert done.returncode == 0, done.stderr
    return root


@pytest.fixture()
def in_root(ingested_root, monkeypatch) -> Path:
    monkeypatch.setenv("BRIEFINGS_ROOT", str(ingested_root))
    return ingested_root


def test_load_joins_province_names_to_codes(in_root):
    status = api.load("commune_status", report_date=DATE)
    assert len(status) == 34 and set(status["report_date"]) == {DATE}
    assert list(status.columns[:3]) == ["report_date", "province_code", "province_name"]
    names = api.provinces().set_index("province_code")["province_name"]
    assert (status["province_name"] == status["province_code"].map(names)).all()
    whole = api.load("commune_status", names=False)
    assert "province_name" not in whole.columns and len(whole) >= len(status)
    figures = api.load("report_figures")  # national rows have no province: the name stays missing
    assert figures.loc[figures["province_code"].isna(), "province_name"].isna().all()
    with pytest.raises(InputError, match="report_date column"):
        api.load("provinces", report_date=DATE)


def test_derived_metrics_follow_the_definitions(in_root):
    m = api.derived_metrics(DATE)
    assert tuple(m.columns) == api.METRIC_COLUMNS and len(m) == 34 and m["province_code"].is_monotonic_increasing
    # predicted = OLS fit of the online rate on the readiness index; residual = observed - predicted
    slope = m["online_rate_pct"].cov(m["readiness_index"]) / m["readiness_index"].var()
    intercept = m["online_rate_pct"].mean() - slope * m["readiness_index"].mean()
    assert (m["predicted_rate_pct"] - (intercept + slope * m["readiness_index"])).abs().max() < 1e-9
    assert (m["residual_pts"] - (m["online_rate_pct"] - m["predicted_rate_pct"])).abs().max() < 1e-9
    assert list(m.sort_values(["residual_pts", "province_code"])["residual_rank"]) == list(range(1, 35))
    green = api.load("commune_status", report_date=DATE).set_index("province_code")["green_pct"]
    assert (m.set_index("province_code")["green_pct"] - green).abs().max() < 0.01
    strict = api.derived_metrics(DATE, thresholds={"readiness_index_min": 100.0, "green_pct_min": 100.0, "online_rate_min_pct": 0.0})
    assert not strict["flagged"].any()
    loose = api.derived_metrics(DATE, thresholds={"readiness_index_min": 0.0, "green_pct_min": 0.0, "online_rate_min_pct": 100.0})
    assert loose["flagged"].all()


def test_derived_metrics_need_a_plan02_date(in_root):
    with pytest.raises(InputError, match="plan-02"):
        api.derived_metrics("2025-06-30")


def readme_example() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Analyst API") :]
    return section[section.index("```python") + len("```python") :].split("```")[0]


def test_the_readme_example_runs(ingested_root, in_root):
    code = readme_example()
    assert "api.derived_metrics" in code and "api.load" in code
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={"BRIEFINGS_ROOT": str(ingested_root), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    flagged = api.derived_metrics(DATE)
    names = ", ".join(flagged.loc[flagged["flagged"], "province_name"])
    assert f"ready but low: {names}" in done.stdout


@pytest.mark.slow
def test_derived_metrics_agree_with_the_published_briefing(built_project, monkeypatch):
    monkeypatch.setenv("BRIEFINGS_ROOT", str(built_project))
    summary = json.loads((built_project / "outputs" / DATE / "summary.json").read_text(encoding="utf-8"))
    m = api.derived_metrics(DATE).set_index("province_code")
    published = summary["ready_but_low"]
    assert sorted(row["province_code"] for row in published) == sorted(m.index[m["flagged"]])
    for row in published:
        assert abs(m.loc[row["province_code"], "predicted_rate_pct"] - row["predicted_rate_pct"]) < 0.01


# ----------------------------------------------------------------------------- make lab, pre-commit


def make_dry_run(*args: str) -> str:
    done = subprocess.run(["make", "-n", "-C", str(ROOT), *args], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.skipif(shutil.which("make") is None, reason="no make")
def test_make_lab_is_headless_capable_and_runs_as_root():
    import os

    out = make_dry_run("lab", "LAB_ARGS=--no-browser --port 8899")
    lab_line = next(line for line in out.splitlines() if "jupyter lab" in line)
    assert "--no-browser --port 8899" in lab_line and "default_kernel_name=vn-briefings" in lab_line
    assert ("--allow-root" in lab_line) == (os.getuid() == 0)
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile[makefile.index("\nlab:") :].split("\n\n")[0]
    assert "pip install" not in recipe, "make lab must install only through its stamp"
    assert re.search(r"^\$\(LAB_STAMP\): .*pyproject\.toml", makefile, re.M)


@pytest.mark.skipif(shutil.which("make") is None, reason="no make")
def test_make_test_fast_selects_unit_tests():
    out = make_dry_run("test-fast")
    assert re.search(r'pytest .*-m "not slow and not browser"', out), out


def test_pre_commit_hook_is_local_and_strips_outputs(tmp_path):
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert [r["repo"] for r in config["repos"]] == ["local"], "a remote hook needs the network"
    (hook,) = config["repos"][0]["hooks"]
    assert hook["language"] == "system" and re.search(hook["files"], "notebooks/briefing.ipynb")
    pytest.importorskip("nbstripout", reason="installed by make lab")
    nb = tmp_path / "nb.ipynb"
    shutil.copy(ROOT / "tests" / "fixtures" / "notebooks" / "with_outputs.ipynb", nb)
    ids = [c.get("id") for c in nbformat.read(nb, as_version=4).cells]
    entry = hook["entry"].replace(".venv/bin/python", sys.executable).split()
    done = subprocess.run([*entry, str(nb)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    stripped = nbformat.read(nb, as_version=4)
    assert all(not c.get("outputs") for c in stripped.cells if c.cell_type == "code")
    assert [c.get("id") for c in stripped.cells] == ids
