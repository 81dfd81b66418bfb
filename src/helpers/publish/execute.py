"""Papermill run of one notebook, a one-line failure summary, a deterministic .ipynb.

The kernel is the installed kernelspec the notebooks name (``vn-briefings``, which the
Makefile installs; :func:`check_kernel` says in one line when it is missing), run with
the running interpreter (``sys.executable``), so the venv's packages, including the
editable ``helpers``, are importable in the notebook. Kernels talk over private Unix
sockets; their own log goes to a temporary file (its last line is quoted if the
kernel dies).

Everything here uses jupyter_client's documented extension points: a kernel spec
manager, a kernel client class and a kernel manager configured through traitlets.
How the kernel process is launched is its kernel spec's provisioner: jupyter_client's
local one, or a kernel pool plug-in's (see :mod:`.runner`); papermill executes the
notebook the same way either way. Once the last cell has replied the kernel is
stopped at once (``shutdown_kernel="immediate"``) rather than asked to shut down and
waited for.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from helpers.errors import BriefingsError, is_no_space, no_space_from_text
from helpers.publish.plan import KERNEL_NAME

CELL_TIMEOUT = 900  # seconds per cell
START_TIMEOUT = 60  # seconds for the kernel to start
INJECTED_TAG = "injected-parameters"
PARAMETERS_TAG = "parameters"
ERROR_MARKER_TAG = "papermill-error-cell-tag"


@dataclass
class Failure:
    ename: str
    evalue: str
    cell: int | None = None  # 1-based position in the source notebook
    cells: int | None = None  # number of cells in the source notebook
    exec_count: int | None = None
    injected: bool = False  # the failing cell is papermill's injected-parameters cell
    no_space: OSError | None = None  # the failure is a full disk (or quota, file size limit): the run stops, exit 74

    def where(self) -> str:
        """The failing cell (``cell 4 of 19 (In [3])``), or "" when it is not known."""
        if self.injected:
            return "the injected-parameters cell"
        if self.cell is None:
            return ""
        where = f"cell {self.cell} of {self.cells}"
        return where + (f" (In [{self.exec_count}])" if self.exec_count is not None else "")

    def describe(self) -> str:
        value = " ".join(self.evalue.split()) if self.evalue else ""
        if len(value) > 200:
            value = value[:197] + "..."
        where = self.where()
        what = f"{self.ename}: {value}" if value else self.ename
        return f"{where}: {what}" if where else what

    def as_dict(self) -> dict[str, Any]:
        return {"ename": self.ename, "evalue": self.evalue, "cell": self.cell, "cells": self.cells, "exec_count": self.exec_count}


@dataclass
class ExecResult:
    nb: Any  # nbformat.NotebookNode (normalized), or None if nothing could be read back
    seconds: float
    failure: Failure | None = None

    @property
    def ok(self) -> bool:
        return self.failure is None


def _quiet() -> None:
    # papermill warns on stderr about parameters a notebook does not declare
    # (processed_dir, output_dir, ...): expected, not news.
    logging.getLogger("papermill").setLevel(logging.ERROR)
    # debugpy's "frozen modules" warning printed by every kernel start
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")


KERNEL_ARGS = ("--HistoryManager.enabled=False",)
RECONNECT_MS = 10  # a kernel's sockets exist ~0.1 s after its launch: retry connecting every 10 ms, not 100


class KernelMissing(BriefingsError):
    """The kernelspec the notebooks name is not installed (exit code 2)."""


def check_kernel(name: str = KERNEL_NAME) -> None:
    """Raise :class:`KernelMissing` (one line) unless the kernelspec ``name`` is installed."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        venv = Path(sys.prefix)
        raise KernelMissing(
            f"kernel '{name}' is not installed in {venv}: run `make .venv/.installed` "
            f"(or `{venv}/bin/python -m ipykernel install --sys-prefix --name {name} --display-name \"Python ({name})\"`)"
        ) from None


def _kernel_manager_class():
    """The kernel manager class of a run, with its kernel spec manager and kernel client
    (built on first use: jupyter_client is not imported when nothing runs)."""
    global _MANAGER
    if _MANAGER is None:
        import time as _time
        from queue import Empty

        import zmq
        import zmq.asyncio
        from ipykernel.kernelspec import make_ipkernel_cmd
        from jupyter_client.asynchronous import AsyncKernelClient
        from jupyter_client.kernelspec import KernelSpecManager
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_client import protocol_version
        from traitlets import Dict, Unicode, default

        class ProjectKernelSpecManager(KernelSpecManager):
            """The installed kernelspec, run with *this* interpreter: the spec's argv names
            the Python that installed it (another clone's venv, perhaps); ipykernel's
            own command for ``sys.executable`` replaces it. ``kernel_provisioner``: the
            stanza of a kernel pool plug-in, if one runs (see :mod:`.runner`)."""

            kernel_provisioner = Dict(config=True, help="metadata.kernel_provisioner of the specs returned ({}: jupyter_client's default)")

            def get_kernel_spec(self, kernel_name):
                spec = super().get_kernel_spec(kernel_name)
                if spec.language.lower() == "python":
                    spec.argv = make_ipkernel_cmd()
                if self.kernel_provisioner:
                    spec.metadata = {**spec.metadata, "kernel_provisioner": dict(self.kernel_provisioner)}
                return spec

        class ReadyKernelClient(AsyncKernelClient):
            """AsyncKernelClient that knows sooner that a kernel is ready.

            jupyter_client's ``wait_for_ready`` waits for the kernel_info reply, checks that
            IOPub is connected, then drains IOPub until it has been silent for 0.2 s. This one
            drains only up to the 'idle' status of the kernel_info request that was answered
            (the last thing the kernel sends for it) - messages the kernel might still send
            are not any cell's: nbclient files outputs by the request they answer. Its
            sockets also retry connecting to a kernel that is still starting every 10 ms."""

            own_context = None  # the context made below, destroyed with the channels

            @default("context")
            def _reconnecting_context(self):
                self.own_context = zmq.asyncio.Context()
                self.own_context.setsockopt(zmq.RECONNECT_IVL, RECONNECT_MS)
                return self.own_context

            def stop_channels(self):
                super().stop_channels()
                if self.own_context is not None and not self.own_context.closed:
                    self.own_context.destroy(linger=100)  # as jupyter_client does with a context it made

            async def wait_for_ready(self, timeout=None):
                deadline = _time.monotonic() + (float("inf") if timeout is None else timeout)
                while True:
                    self.kernel_info()
                    try:
                        reply = await self.shell_channel.get_msg(timeout=1)
                    except Empty:
                        reply = None
                    if reply is not None and reply["msg_type"] == "kernel_info_reply":
                        answered = reply["parent_header"].get("msg_id")
                        seen = False
                        try:
                            while True:  # IOPub connected? then up to the idle of that request
                                msg = await self.iopub_channel.get_msg(timeout=0.2)
                                seen = True
                                if (
                                    msg["msg_type"] == "status"
                                    and msg["content"].get("execution_state") == "idle"
                                    and msg["parent_header"].get("msg_id") == answered
                                ):
                                    break
                        except Empty:
                            pass
                        if seen:
                            # what jupyter_client does with the reply: speak the kernel's protocol version
                            major = int(reply["content"]["protocol_version"].split(".")[0])
                            if major != int(protocol_version.split(".")[0]):
                                self.session.adapt_version = major
                            return
                    if not await self.is_alive():
                        raise RuntimeError("Kernel died before replying to kernel_info")
                    if _time.monotonic() > deadline:
                        raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")

        class QuietKernelManager(AsyncKernelManager):
            """AsyncKernelManager that sends the kernel process's own stdout/stderr (startup
            warnings, shutdown noise, tracebacks of its internals) to ``kernel_log`` instead
            of ours, and uses the two classes above. What the notebook's code prints is
            captured in the notebook as usual."""

            kernel_log = Unicode("", help="file for the kernel process's stdout and stderr").tag(config=True)

            @default("client_factory")
            def _ready_client(self):
                return ReadyKernelClient

            @default("kernel_spec_manager")
            def _project_kernel_specs(self):
                return ProjectKernelSpecManager(parent=self, data_dir=self.data_dir)

            async def start_kernel(self, **kw):
                # start_kernel's keyword arguments are the launch's (Popen's) arguments
                if not self.kernel_log or "stdout" in kw:
                    return await super().start_kernel(**kw)
                with open(self.kernel_log, "ab") as log:
                    return await super().start_kernel(stdout=log, stderr=log, **kw)

        _MANAGER = QuietKernelManager
    return _MANAGER


_MANAGER = None


def _kernel_config(socket_dir: str, kernel_provisioner: Mapping[str, Any] | None = None):
    """Kernels talk over Unix sockets (IPC) in a private temporary folder: no TCP ports
    open to other local users, and no 'running over TCP without encryption' warning
    from every kernel. The socket path is unique per kernel (the default, relative
    'kernel-ipc', would make parallel kernels in one cwd talk to each other)."""
    from traitlets.config import Config

    c = Config()
    c.KernelManager.transport = "ipc"
    c.KernelManager.ip = os.path.join(socket_dir, "k")
    c.QuietKernelManager.kernel_log = os.path.join(socket_dir, "kernel.log")
    if kernel_provisioner:
        c.ProjectKernelSpecManager.kernel_provisioner = dict(kernel_provisioner)
    return c


def _log_tail(socket_dir: str) -> str:
    try:
        lines = [ln.strip() for ln in Path(socket_dir, "kernel.log").read_text(encoding="utf-8", errors="replace").splitlines() if ln.strip()]
    except OSError:
        return ""
    return lines[-1][:200] if lines else ""


def _first_tagged(nb, tag: str) -> int:
    for i, cell in enumerate(nb.cells):
        if tag in cell.get("metadata", {}).get("tags", []):
            return i
    return -1


def source_cell(source_nb, executed_index: int) -> tuple[int | None, bool]:
    """Map a cell index of the executed notebook (before papermill's error markers)
    to the 0-based index in the source notebook; (None, True) for the injected cell."""
    if _first_tagged(source_nb, INJECTED_TAG) >= 0:
        return executed_index, False  # papermill replaced the cell in place
    param = _first_tagged(source_nb, PARAMETERS_TAG)
    injected_at = param + 1 if param >= 0 else 0
    if executed_index == injected_at:
        return None, True
    return (executed_index - 1 if executed_index > injected_at else executed_index), False


def timed_out_cell(source_nb, message: str) -> int | None:
    """The 0-based source cell a ``CellTimeoutError`` was raised for, found from the preview
    of the cell's source that nbclient puts in its message (first and last lines); None
    when no cell, or more than one, matches."""
    m = re.search(r"preview of the cell contents:\n-+\n(.*)\n-+\s*$", message, re.S)
    if not m:
        return None
    shown = [line for line in m.group(1).splitlines() if line.strip() and line.strip() != "..."]
    if not shown:
        return None
    found = [
        i for i, cell in enumerate(source_nb.cells)
        if cell.cell_type == "code" and cell.source.strip().startswith(shown[0].strip()) and cell.source.rstrip().endswith(shown[-1].rstrip())
    ]
    return found[0] if len(found) == 1 else None


def _stopped_notebook(source: Path, parameters: Mapping[str, Any], kernel_name: str, exc: BaseException, failure: Failure, running: int | None = None):
    """The source notebook with its parameters injected and, on the cell that was running,
    an error output saying why the run stopped. The running cell is ``running`` (the index
    in the executed notebook of the last cell nbclient started, see :func:`run_notebook`),
    else the one a timeout's message previews. Fills in ``failure``'s cell; None if the
    source cannot be read."""
    import nbformat
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    try:
        source_nb = nbformat.read(str(source), as_version=4)
        nb = parameterize_notebook(load_notebook_node(str(source)), dict(parameters), kernel_name=kernel_name, language="python")
    except Exception:  # noqa: BLE001 - an unreadable source: nothing to keep
        return None
    failure.cells = len(source_nb.cells)
    if running is not None:
        executed_index = running
        index, failure.injected = source_cell(source_nb, running)
    else:
        index = timed_out_cell(source_nb, str(exc))
        # papermill inserted its injected-parameters cell (unless the source had one to replace)
        injected_at = _first_tagged(nb, INJECTED_TAG)
        added = index is not None and _first_tagged(source_nb, INJECTED_TAG) < 0 and 0 <= injected_at <= index
        executed_index = None if index is None else index + 1 if added else index
    if index is not None:
        failure.cell = index + 1
    if executed_index is not None and executed_index < len(nb.cells):
        target = nb.cells[executed_index]
        target.outputs = [nbformat.v4.new_output("error", ename=failure.ename, evalue=failure.evalue, traceback=[f"{failure.ename}: {failure.evalue}"])]
    return nb


def normalize(nb, source_rel: str, output_rel: str, path_aliases: Mapping[str, str] | None = None):
    """Strip what differs between two builds of the same inputs (in place; returns ``nb``):
    papermill's start/end times and durations, nbclient's ``execution`` timings, random
    ids of the cells papermill inserts, temporary paths, Styler ids, memory addresses.

    ``path_aliases`` (absolute path -> what to record instead) rewrites the paths in the
    injected parameters: the build's staging folder becomes ``outputs/<date>`` (where its
    files are published) and the tables' folder ``data/processed`` (helpers resolves a
    relative path from the project root), so the notebook names no temporary folder
    and does not depend on where the project was cloned."""
    aliases = sorted((path_aliases or {}).items(), key=lambda kv: -len(kv[0]))

    def alias(text: str) -> str:
        for path, shown in aliases:
            text = text.replace(path, shown)
        return text

    pm = nb.metadata.get("papermill")
    if pm is not None:
        for key in ("start_time", "end_time", "duration"):
            pm.pop(key, None)
        pm["input_path"] = source_rel
        pm["output_path"] = output_rel
        params = pm.get("parameters")
        if aliases and isinstance(params, dict):
            pm["parameters"] = {k: alias(v) if isinstance(v, str) else v for k, v in params.items()}
    _stable_outputs(nb)
    markers = 0
    for cell in nb.cells:
        md = cell.get("metadata", {})
        md.pop("execution", None)
        cpm = md.get("papermill")
        if cpm is not None:
            for key in ("start_time", "end_time", "duration"):
                cpm.pop(key, None)
        tags = md.get("tags", [])
        if INJECTED_TAG in tags:
            cell["id"] = INJECTED_TAG
            if aliases:
                cell["source"] = alias(_text(cell["source"]))
        elif ERROR_MARKER_TAG in tags:
            markers += 1
            cell["id"] = f"papermill-error-{markers}"
    return nb


_STYLER_TABLE_ID = re.compile(r'<table id="T_([0-9a-f]{5})"')
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]{6,16}>")


def _text(value) -> str:
    return value if isinstance(value, str) else "".join(value)


def _stable_outputs(nb) -> None:
    """Outputs that differ between identical runs: pandas Styler's random table ids
    (``T_1a2b3``, unless the notebook calls ``set_uuid``) and memory addresses in reprs
    (``<... at 0x7f3a...>``) become stable."""
    n = 0
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data")
            if not data:
                continue
            if "text/html" in data:
                text = _text(data["text/html"])
                uids = list(dict.fromkeys(_STYLER_TABLE_ID.findall(text)))
                for uid in uids:
                    n += 1
                    text = text.replace(f"T_{uid}", f"T_s{n}")
                if uids:
                    data["text/html"] = text
            if "text/plain" in data:
                text = _text(data["text/plain"])
                if _ADDRESS.search(text):
                    data["text/plain"] = _ADDRESS.sub(">", text)


def notebook_summary(nb) -> dict[str, Any] | None:
    """The summary the notebook displayed with :func:`helpers.report.glue.show_summary`
    (the last one, if it displayed several), or None."""
    from helpers.report.glue import SUMMARY_MIME

    found = None
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data") or {}
            if SUMMARY_MIME in data:
                found = data[SUMMARY_MIME]
    return dict(found) if isinstance(found, Mapping) else None


def write_notebook(nb, path: Path) -> None:
    import nbformat

    path.parent.mkdir(parents=True, exist_ok=True)
    text = nbformat.writes(nb)  # sorted keys, indent 1: deterministic
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text + ("" if text.endswith("\n") else "\n"), encoding="utf-8")
    os.replace(tmp, path)


def run_notebook(
    source: Path,
    output: Path,
    parameters: dict[str, Any],
    *,
    cwd: Path,
    source_rel: str,
    output_rel: str,
    kernel_name: str = KERNEL_NAME,
    cell_timeout: int = CELL_TIMEOUT,
    path_aliases: Mapping[str, str] | None = None,
    kernel_provisioner: Mapping[str, Any] | None = None,
) -> ExecResult:
    """Execute ``source`` with ``parameters`` and write the executed, normalized
    notebook to ``output`` (also when a cell fails). Never raises for notebook errors."""
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    _quiet()
    raw = output.with_name(f".{output.stem}.papermill.ipynb")
    started = time.perf_counter()
    failure = None
    nb = None
    socket_dir = tempfile.mkdtemp(prefix="briefings-kernel-")
    # The cell nbclient is executing: a dead kernel (nbclient's DeadKernelError) does not
    # name it, and papermill marks every cell 'completed' on its way out.
    running: list[int] = []

    def on_cell_execute(cell, cell_index: int) -> None:
        running[:] = [cell_index]

    try:
        nb = papermill.execute_notebook(
            str(source),
            str(raw),
            parameters=parameters,
            kernel_name=kernel_name,
            language="python",
            cwd=str(cwd),
            progress_bar=False,
            log_output=False,
            request_save_on_cell_execute=False,
            start_timeout=START_TIMEOUT,
            execution_timeout=cell_timeout,
            record_timing=False,
            config=_kernel_config(socket_dir, kernel_provisioner),
            kernel_manager_class=_kernel_manager_class(),
            extra_arguments=list(KERNEL_ARGS),
            # every output is in once the last cell replied: stop the kernel, do not wait for it
            shutdown_kernel="immediate",
            on_cell_execute=on_cell_execute,
        )
    except PapermillExecutionError as exc:
        source_nb = nbformat.read(str(source), as_version=4)
        index, injected = source_cell(source_nb, exc.cell_index)
        failure = Failure(
            ename=str(exc.ename),
            evalue=str(exc.evalue),
            cell=None if index is None else index + 1,
            cells=len(source_nb.cells),
            exec_count=exc.exec_count,
            injected=injected,
            no_space=no_space_from_text(str(exc.ename), str(exc.evalue)),
        )
    except Exception as exc:  # kernel died, timeout, unreadable notebook, ...
        evalue = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        tail = _log_tail(socket_dir)
        failure = Failure(ename=type(exc).__name__, evalue=f"{evalue} (kernel log: {tail})" if tail else evalue, no_space=exc if is_no_space(exc) else None)
        # papermill writes nothing when nbclient gives up on a cell (timeout, dead kernel):
        # keep the parameterized notebook, the cell that was running marked, for failed/
        nb = _stopped_notebook(source, parameters, kernel_name, exc, failure, running[0] if running else None)
    finally:
        shutil.rmtree(socket_dir, ignore_errors=True)
    seconds = time.perf_counter() - started
    if nb is None and raw.exists():
        try:
            nb = nbformat.read(str(raw), as_version=4)
        except Exception:  # noqa: BLE001 - a half-written file: nothing to keep
            nb = None
    raw.unlink(missing_ok=True)
    if nb is not None:
        normalize(nb, source_rel, output_rel, path_aliases)
        write_notebook(nb, output)
    return ExecResult(nb=nb, seconds=seconds, failure=failure)
