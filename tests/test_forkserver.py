"""Warm kernels (helpers.publish.forkserver): forked from a template with the imports
done, they behave like a cold ``python -m ipykernel_launcher``; anything unusual falls
back to a cold start. (That a whole build gives the same bytes warm and cold is in
tests/test_determinism.py.)"""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import pytest

from helpers.publish import execute, forkserver

pytestmark = pytest.mark.skipif(not forkserver.supported(), reason="warm kernels need Linux pidfds")

PROBE = (
    "import os, sys, random, json\n"
    "print(json.dumps({'pid': os.getpid(), 'ppid': os.getppid(), 'pgid': os.getpgid(0), 'pandas': 'pandas' in sys.modules, "
    "'random': random.random(), 'cwd': os.getcwd(), 'main': sys.argv[0]}))"
)


def _notebook(tmp_path: Path, *sources: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]})] + [nbformat.v4.new_code_cell(s) for s in sources]
    path = tmp_path / "probe.ipynb"
    nbformat.write(nb, path)
    return path


def _run(tmp_path: Path, source: Path, name: str):
    return execute.run_notebook(source, tmp_path / f"{name}.ipynb", {"x": 2}, cwd=tmp_path, source_rel="probe.ipynb", output_rel=f"{name}.ipynb")


def _probe(result) -> dict:
    assert result.failure is None, result.failure
    outputs = [o for c in result.nb.cells for o in c.get("outputs", []) if o.get("name") == "stdout"]
    return json.loads(outputs[-1]["text"])


@pytest.fixture()
def template(tmp_path):
    """A template, stopped after the test. The test starts it: a template serves only
    kernels of its own environment, and pytest changes PYTEST_CURRENT_TEST between a
    fixture's setup and the test's call. The build sets the kernels' environment
    (execute._quiet) before it starts its template; so does this fixture."""
    execute._quiet()
    t = forkserver.Template(["pandas"], cwd=tmp_path)
    yield t
    t.stop()
    assert forkserver.ADDRESS is None


def test_notebook_imports_reads_code_cells_only(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("import os"),
        nbformat.v4.new_code_cell("%matplotlib inline\nimport pandas as pd\nfrom helpers.report import Briefing\nimport requests"),
        nbformat.v4.new_code_cell("from . import x\nimport numpy.linalg, pandas"),
        nbformat.v4.new_code_cell("this is not python ("),
    ]
    path = tmp_path / "n.ipynb"
    nbformat.write(nb, path)
    # preloadable packages only (not requests), in order, once; relative imports skipped
    assert forkserver.notebook_imports([path, tmp_path / "missing.ipynb"]) == ["pandas", "helpers.report", "numpy.linalg"]


def test_kernel_is_forked_from_the_warm_template(tmp_path, template):
    template.start()
    source = _notebook(tmp_path, PROBE)
    first, second = _probe(_run(tmp_path, source, "a")), _probe(_run(tmp_path, source, "b"))
    for probe in (first, second):
        assert probe["ppid"] == template.proc.pid  # a child of the template, not of this process
        assert probe["pandas"] is True  # imported before the first cell ran
        assert probe["pgid"] == probe["pid"]  # its own process group, like a cold kernel
        assert Path(probe["cwd"]) == tmp_path  # the notebook's working directory
        assert probe["main"].endswith("ipykernel_launcher.py")
    assert first["pid"] != second["pid"]  # one kernel per notebook
    assert first["random"] != second["random"]  # reseeded: not the template's random sequence
    assert _run(tmp_path, source, "c").nb.cells[0].source == "x = 1"


def test_cold_start_without_a_template(tmp_path):
    assert forkserver.ADDRESS is None
    probe = _probe(_run(tmp_path, _notebook(tmp_path, PROBE), "cold"))
    assert probe["pandas"] is False  # an ordinary kernel: nothing imported ahead of the notebook


def test_a_failing_cell_in_a_warm_kernel_is_reported(tmp_path, template):
    template.start()
    result = _run(tmp_path, _notebook(tmp_path, "raise ValueError('boom')"), "fail")
    assert result.failure is not None and result.failure.ename == "ValueError" and result.failure.evalue == "boom"


def test_another_environment_is_refused(tmp_path, template):
    template.start()
    env = {**forkserver.kernel_environment(), "BRIEFINGS_SOMETHING_NEW": "1"}
    with pytest.raises(forkserver.Unavailable, match="environment"):
        forkserver.launch([os.sys.executable, "-m", "ipykernel_launcher", "-f", str(tmp_path / "k.json")], env, tmp_path, None)
    with pytest.raises(forkserver.Unavailable, match="not a python3 kernel"):
        forkserver.launch(["/bin/sh", "-c", "true"], forkserver.kernel_environment(), tmp_path, None)


def test_a_dead_template_falls_back_to_a_cold_kernel(tmp_path, template):
    template.start()
    template.proc.kill()
    template.proc.wait()
    probe = _probe(_run(tmp_path, _notebook(tmp_path, PROBE), "after"))
    assert probe["ppid"] != template.proc.pid and probe["pandas"] is False
