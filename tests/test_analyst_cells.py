"""The notebooks' analyst cells: the executed notebook shows the table behind each section; the HTML does not."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT

NOTEBOOKS = ("briefing", "province_drilldown")


def _cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _tags(cell) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_every_section_cell_is_followed_by_its_analyst_cell(notebook):
    cells = _cells(ROOT / "notebooks" / f"{notebook}.ipynb")
    analyst = [i for i, c in enumerate(cells) if "analyst" in _tags(c)]
    assert len(analyst) >= 5
    for i in analyst:
        shown = "".join(cells[i - 1]["source"])
        assert cells[i - 1]["cell_type"] == "code" and "analyst" not in _tags(cells[i - 1]), shown
        assert shown.startswith(("b.section(", "d.")), shown


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_parameters_are_typed_and_described(notebook):
    from papermill.translators import PythonTranslator

    (cell,) = [c for c in _cells(ROOT / "notebooks" / f"{notebook}.ipynb") if "parameters" in _tags(c)]
    params = {p.name: p for p in PythonTranslator.inspect({"source": "".join(cell["source"])})}
    assert {"report_date", "comparison_dates", "thresholds", "processed_dir", "output_dir"} <= set(params)
    assert "language" not in params
    for p in params.values():
        assert p.inferred_type_name != "None" and p.help, p


@pytest.mark.slow
@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_executed_notebook_has_the_tables_and_the_html_has_not(built_project, notebook):
    folder = built_project / "outputs" / "2025-09-22"
    cells = [c for c in _cells(folder / f"{notebook}.ipynb") if "analyst" in _tags(c)]
    tables = [c for c in cells if any("<table" in "".join(o.get("data", {}).get("text/html", "")) for o in c["outputs"])]
    assert len(tables) >= 5, "analyst cells without a table"
    html = (folder / f"{notebook}.html").read_text(encoding="utf-8")
    assert 'class="dataframe' not in html and "celltag_analyst" not in html
