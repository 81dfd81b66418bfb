"""Two builds of the same inputs, in two different project roots and at two different
times, give the same bytes: the tables in data/processed and every published file
(briefing, its PDF, the province pages, drill-down, summary.json, index.html). Build times
live in manifest.json only.

The second build starts every kernel cold (``BRIEFINGS_WARM_KERNELS=0``), the first
forks them from the warm kernel template (the plug-in helpers.publish.warm_kernels): the
same bytes also show that a warm kernel computes what a fresh ``python -m ipykernel``
does."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from conftest import make_project_copy, run_cli

pytestmark = pytest.mark.slow

PUBLISHED = ("briefing.html", "province_drilldown.html", "summary.json")
NOTEBOOKS = ("briefing.ipynb", "province_drilldown.ipynb")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@pytest.fixture(scope="module")
def second_build(tmp_path_factory) -> Path:
    """`briefings build` again, from fresh copies of the same raw reports, params and
    notebooks, with cold kernels (each one a new ``python -m ipykernel_launcher``)."""
    root = make_project_copy(tmp_path_factory.mktemp("again") / "elsewhere")
    done = run_cli(root, "build", env_extra={"BRIEFINGS_WARM_KERNELS": "0"})
    assert done.returncode == 0, f"build failed:\n{done.stdout}\n{done.stderr}"
    return root


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def differences(a: Path, b: Path, names: list[str]) -> list[str]:
    out = []
    for name in names:
        pa, pb = a / name, b / name
        if not pa.is_file() or not pb.is_file():
            out.append(f"{name}: missing in {'the first' if not pa.is_file() else 'the second'} build")
            continue
        ha, hb = sha256(pa), sha256(pb)
        if ha != hb:
            out.append(f"{name}: {ha[:12]} != {hb[:12]}")
    return out


def dates(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "outputs").iterdir() if p.is_dir() and DATE_RE.match(p.name))


def test_processed_tables_are_byte_identical(built_project, second_build):
    first = built_project / "data" / "processed"
    names = sorted(p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file())
    assert sorted(p.relative_to(second_build / "data" / "processed").as_posix() for p in (second_build / "data" / "processed").rglob("*") if p.is_file()) == names
    assert "obstacles.csv" in names and "_ingest.json" in names and len(names) > 10
    assert differences(first, second_build / "data" / "processed", names) == []


def test_published_files_are_byte_identical(built_project, second_build):
    assert dates(built_project) == dates(second_build) == ["2025-06-27", "2025-06-30", "2025-09-22"]
    names = ["index.html"] + [f"{d}/{f}" for d in dates(built_project) for f in PUBLISHED]
    # the leadership edition: the A4 PDF (its dates are the report date) and the province pages
    for d in dates(built_project):
        pages = sorted(p.name for p in (built_project / "outputs" / d / "provinces").glob("*.html"))
        assert len(pages) == 35, d  # 34 provinces and their list
        names += [f"{d}/briefing.pdf"] + [f"{d}/provinces/{page}" for page in pages]
    assert differences(built_project / "outputs", second_build / "outputs", names) == []
    index = (second_build / "outputs" / "index.html").read_text(encoding="utf-8")
    assert str(second_build) not in index and "new-build" not in index


def test_html_carries_no_paths_of_the_build(built_project, second_build):
    for root in (built_project, second_build):
        for d in dates(root):
            for name in PUBLISHED:
                text = (root / "outputs" / d / name).read_text(encoding="utf-8")
                assert str(root) not in text and ".new-build" not in text and "/tmp/" not in text, f"{root}: {d}/{name}"


def test_executed_notebooks_are_byte_identical_and_name_no_build_folder(built_project, second_build):
    """The parameters papermill injected record the tables' folder and the published
    folder relative to the project root, not the build's temporary paths."""
    assert differences(built_project / "outputs", second_build / "outputs", [f"{d}/{n}" for d in dates(built_project) for n in NOTEBOOKS]) == []
    for root in (built_project, second_build):
        for d in dates(root):
            for name in NOTEBOOKS:
                text = (root / "outputs" / d / name).read_text(encoding="utf-8")
                assert str(root) not in text and ".new-build" not in text and "/tmp/" not in text, f"{root}: {d}/{name}"
                nb = json.loads(text)
                assert nb["metadata"]["papermill"]["parameters"]["processed_dir"] == "data/processed"
                assert nb["metadata"]["papermill"]["parameters"]["output_dir"] == f"outputs/{d}"
                injected = next(c for c in nb["cells"] if "injected-parameters" in c["metadata"].get("tags", []))
                assert f'output_dir = "outputs/{d}"' in "".join(injected["source"])


def test_manifest_records_the_same_inputs_and_outputs(built_project, second_build):
    manifests = [json.loads((root / "outputs" / "manifest.json").read_text(encoding="utf-8")) for root in (built_project, second_build)]
    for d in dates(built_project):
        first, second = (m["dates"][d]["last_success"] for m in manifests)
        assert first["input_hash"] == second["input_hash"], d  # content hashes, not paths or mtimes
        assert first["inputs"] == second["inputs"], d
        for name in PUBLISHED:
            assert first["outputs"][name] == second["outputs"][name] == sha256(second_build / "outputs" / d / name), f"{d}/{name}"
