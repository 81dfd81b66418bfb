"""A cell that runs past the per-cell timeout, or kills its kernel: the date fails naming that cell, and the
notebook (parameters injected, the stopped cell marked) is kept for failed/."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from helpers.publish.execute import run_notebook, timed_out_cell


def _notebook(*sources: str):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "vn-briefings", "display_name": "Python (vn-briefings)", "language": "python"}
    cells = [nbformat.v4.new_markdown_cell("title")]
    params = nbformat.v4.new_code_cell("x = 1")
    params.metadata["tags"] = ["parameters"]
    cells.append(params)
    cells += [nbformat.v4.new_code_cell(s) for s in sources]
    nb.cells = cells
    return nb


def _message(source: str) -> str:
    # what nbclient's CellTimeoutError says (a preview of the cell: all of a short one,
    # the first and last lines of a long one)
    lines = source.splitlines()
    preview = "\n".join(lines if len(lines) <= 5 else lines[:2] + ["..."] + lines[-2:])
    return f"A cell timed out while it was being executed, after 5 seconds.\nThe message was: Cell execution timed out.\nHere is a preview of the cell contents:\n-------------------\n{preview}\n-------------------\n"


@pytest.mark.parametrize("target", [2, 3, 4])
def test_the_timed_out_cell_is_found_from_the_preview(target):
    long_cell = "\n".join(f"y{i} = {i}" for i in range(9))
    nb = _notebook("print('a')", "import time\ntime.sleep(60)", long_cell)
    assert timed_out_cell(nb, _message(nb.cells[target].source)) == target


def test_no_preview_or_an_ambiguous_one_gives_no_cell():
    nb = _notebook("print('a')", "print('a')")
    assert timed_out_cell(nb, "Kernel died") is None
    assert timed_out_cell(nb, _message("print('a')")) is None


@pytest.mark.slow
def test_a_cell_timeout_names_the_cell_and_keeps_the_notebook(tmp_path):
    nbformat.write(_notebook("print('a')", "import time; time.sleep(60)", "print('b')"), tmp_path / "src.ipynb")
    out = tmp_path / "out.ipynb"
    result = run_notebook(tmp_path / "src.ipynb", out, {"x": 2}, cwd=tmp_path, source_rel="notebooks/src.ipynb", output_rel="outputs/d/src.ipynb", cell_timeout=3)
    assert result.failure is not None and result.failure.ename == "CellTimeoutError"
    assert result.failure.describe().startswith("cell 4 of 5: CellTimeoutError")
    kept = json.loads(out.read_text(encoding="utf-8"))
    sources = ["".join(c["source"]) for c in kept["cells"]]
    assert any("x = 2" in s for s in sources)  # the parameters it ran with
    stopped = [c for c in kept["cells"] if any(o.get("ename") == "CellTimeoutError" for o in c.get("outputs", []))]
    assert len(stopped) == 1 and "time.sleep(60)" in "".join(stopped[0]["source"])


@pytest.mark.slow
def test_a_dead_kernel_names_the_cell_that_was_running_and_keeps_the_notebook(tmp_path):
    # nbclient's DeadKernelError names no cell: the engine knows which one it had started
    nbformat.write(_notebook("print('a')", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)", "print('b')"), tmp_path / "src.ipynb")
    out = tmp_path / "out.ipynb"
    result = run_notebook(tmp_path / "src.ipynb", out, {"x": 2}, cwd=tmp_path, source_rel="notebooks/src.ipynb", output_rel="outputs/d/src.ipynb")
    assert result.failure is not None and result.failure.ename == "DeadKernelError", result.failure
    assert result.failure.describe().startswith("cell 4 of 5: DeadKernelError"), result.failure.describe()
    kept = json.loads(out.read_text(encoding="utf-8"))
    assert any("x = 2" in "".join(c["source"]) for c in kept["cells"])
    stopped = [c for c in kept["cells"] if any(o.get("ename") == "DeadKernelError" for o in c.get("outputs", []))]
    assert len(stopped) == 1 and "os.kill" in "".join(stopped[0]["source"])

