"""Warm kernels (the plug-in helpers.publish.warm_kernels): forked from a template with the
imports done, they behave like a cold ``python -m ipykernel_launcher``; anything unusual
falls back to a cold start. These tests go with the plug-in if it is deleted (that the
engine runs without it is in tests/test_publish_engine.py; that a whole build gives the
same bytes warm and cold is in tests/test_determinism.py)."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest

from conftest import private_overrides
from helpers.publish import execute, runner, warm_kernels
from helpers.publish.warm_kernels import provisioner, template as tpl

needs_pidfds = pytest.mark.skipif(not tpl.supported(), reason="warm kernels need Linux pidfds")

PROBE = (
    "import os, sys, random, json\n"
    "print(json.dumps({'pid': os.getpid(), 'ppid': os.getppid(), 'pgid': os.getpgid(0), 'pandas': 'pandas' in sys.modules, "
    "'random': random.random(), 'cwd': os.getcwd(), 'main': sys.argv[0], "
    "'max_columns': __import__('pandas').get_option('display.max_columns')}))"
)


def _notebook(tmp_path: Path, *sources: str, name: str = "probe.ipynb") -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "vn-briefings", "display_name": "Python (vn-briefings)", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]})] + [nbformat.v4.new_code_cell(s) for s in sources]
    path = tmp_path / name
    nbformat.write(nb, path)
    return path


def _run(tmp_path: Path, source: Path, name: str, stanza=None):
    return execute.run_notebook(source, tmp_path / f"{name}.ipynb", {"x": 2}, cwd=tmp_path, source_rel="probe.ipynb", output_rel=f"{name}.ipynb", kernel_provisioner=stanza)


def _probe(result) -> dict:
    assert result.failure is None, result.failure
    outputs = [o for c in result.nb.cells for o in c.get("outputs", []) if o.get("name") == "stdout"]
    return json.loads(outputs[-1]["text"])


@pytest.fixture()
def pool(tmp_path):
    """Starts the plug-in's pool for a notebook that imports pandas; returns (stanza,
    template pid). The test starts it: a template serves only kernels of its own
    environment, and pytest changes PYTEST_CURRENT_TEST between a fixture's setup and the
    test's call. The build sets the kernels' environment (execute._quiet) before it
    starts its pool; so does this fixture."""
    execute._quiet()
    source = _notebook(tmp_path, "import pandas", name="imports.ipynb")
    with contextlib.ExitStack() as stack:

        def start():
            stanza = stack.enter_context(warm_kernels.kernel_pool([source], cwd=tmp_path))
            assert stanza is not None and stanza["provisioner_name"] == warm_kernels.PROVISIONER_NAME
            return stanza, stanza["config"]["template_pid"]

        yield start


# --------------------------------------------------------------------------- what is preloaded (derived)


def test_notebook_imports_reads_code_cells_only(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("import os"),
        nbformat.v4.new_code_cell("%matplotlib inline\nimport pandas as pd\nfrom helpers.report import Briefing\n!ls\nimport requests"),
        nbformat.v4.new_code_cell("from . import x\nimport numpy.linalg, pandas\ndef f():\n    import csv"),
        nbformat.v4.new_code_cell("this is not python ("),
    ]
    path = tmp_path / "n.ipynb"
    nbformat.write(nb, path)
    # in order, once; names imported from a module kept as candidates (imported only if modules); relative imports skipped
    assert tpl.notebook_imports([path, tmp_path / "missing.ipynb"]) == ["pandas", "helpers.report", "helpers.report.Briefing", "requests", "numpy.linalg", "csv"]


def test_import_closure_follows_the_projects_own_code_into_functions(tmp_path):
    """Modules the project's code imports anywhere (at module level, inside functions,
    relative) are imported; a name that is not a module, or cannot be imported, is not."""
    pkg = tmp_path / "closure_probe_pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("from .sub import lazy_user\n")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "lazy_user.py").write_text("def f():\n    import colorsys\n    from ..sub import leaf\n    from . import helper_fn_not_a_module\n    import closure_probe_missing\n")
    (pkg / "sub" / "leaf.py").write_text("import json\n")
    code = textwrap.dedent(
        """
        import json, sys
        from helpers.publish.warm_kernels.template import import_closure
        imported, failed = import_closure(["closure_probe_pkg"])
        print(json.dumps({"imported": imported, "failed": failed, "colorsys": "colorsys" in sys.modules}))
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["imported"][:3] == ["closure_probe_pkg", "closure_probe_pkg.sub", "closure_probe_pkg.sub.lazy_user"]
    assert {"colorsys", "closure_probe_pkg.sub.leaf", "json"} <= set(result["imported"]) and result["colorsys"]
    assert not any("helper_fn_not_a_module" in m for m in result["imported"])
    assert result["failed"] == ["closure_probe_missing: ModuleNotFoundError"]


def test_kernel_startup_modules_are_measured():
    code = "import json; from helpers.publish.warm_kernels.template import kernel_startup_modules; print(json.dumps(kernel_startup_modules()))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    modules = set(json.loads(done.stdout))
    # what an initialised kernel has and a bare import of its app does not
    assert {"ipykernel.ipkernel", "ipykernel.zmqshell", "IPython.core.interactiveshell"} <= modules
    assert not any(m.startswith("__") for m in modules)


# --------------------------------------------------------------------------- kernels


@needs_pidfds
def test_kernel_is_forked_from_the_warm_template(tmp_path, pool):
    stanza, template_pid = pool()
    source = _notebook(tmp_path, PROBE)
    first, second = _probe(_run(tmp_path, source, "a", stanza)), _probe(_run(tmp_path, source, "b", stanza))
    for probe in (first, second):
        assert probe["ppid"] == template_pid  # a child of the template, not of this process
        assert probe["pandas"] is True  # imported before the first cell ran
        assert probe["pgid"] == probe["pid"]  # its own process group, like a cold kernel
        assert Path(probe["cwd"]) == tmp_path  # the notebook's working directory
        assert probe["main"].endswith("ipykernel_launcher.py")
        assert probe["max_columns"] == 20  # pandas imported ahead, with the display defaults it has in a kernel
    assert first["pid"] != second["pid"]  # one kernel per notebook
    assert first["random"] != second["random"]  # reseeded: not the template's random sequence
    assert _run(tmp_path, source, "c", stanza).nb.cells[0].source == "x = 1"


def test_cold_start_without_a_pool(tmp_path):
    probe = _probe(_run(tmp_path, _notebook(tmp_path, PROBE), "cold"))
    assert probe["pandas"] is False  # an ordinary kernel: nothing imported ahead of the notebook
    assert probe["max_columns"] == 20  # what pandas sets when it is imported in a kernel


@needs_pidfds
def test_a_failing_cell_in_a_warm_kernel_is_reported(tmp_path, pool):
    result = _run(tmp_path, _notebook(tmp_path, "raise ValueError('boom')"), "fail", pool()[0])
    assert result.failure is not None and result.failure.ename == "ValueError" and result.failure.evalue == "boom"


@needs_pidfds
def test_another_environment_or_command_is_refused(tmp_path, pool):
    stanza, template_pid = pool()
    address = stanza["config"]["template_address"]
    env = {**tpl.kernel_environment(), "BRIEFINGS_SOMETHING_NEW": "1"}
    with pytest.raises(provisioner.Unavailable, match="environment"):
        provisioner.launch(address, template_pid, [sys.executable, "-m", "ipykernel_launcher", "-f", str(tmp_path / "k.json")], env, tmp_path, None)
    with pytest.raises(provisioner.Unavailable, match="not an ipykernel of this interpreter"):
        provisioner.launch(address, template_pid, ["/bin/sh", "-c", "true"], tpl.kernel_environment(), tmp_path, None)


@needs_pidfds
def test_a_dead_template_falls_back_to_a_cold_kernel(tmp_path, pool):
    stanza, template_pid = pool()
    os.kill(template_pid, 9)
    probe = _probe(_run(tmp_path, _notebook(tmp_path, PROBE), "after", stanza))
    assert probe["ppid"] != template_pid and probe["pandas"] is False


def test_switched_off_by_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFINGS_WARM_KERNELS", "0")
    with warm_kernels.kernel_pool([], cwd=tmp_path) as stanza:
        assert stanza is None


# --------------------------------------------------------------------------- a plug-in on documented extension points


def test_the_plug_in_is_registered_where_jupyter_client_and_the_engine_look():
    from importlib.metadata import entry_points

    from jupyter_client.provisioning.factory import KernelProvisionerFactory

    (ep,) = entry_points(group=KernelProvisionerFactory.GROUP_NAME, name=warm_kernels.PROVISIONER_NAME)
    assert ep.load() is provisioner.WarmProvisioner
    assert [e.load() for e in entry_points(group=runner.KERNEL_POOLS)] == [warm_kernels.kernel_pool]


def test_the_provisioner_overrides_no_private_method():
    assert private_overrides(provisioner.WarmProvisioner) == []
