"""Warm kernels: ``python3`` ipykernels forked from a template process with the imports done.

A cold kernel spends most of a notebook's time starting: a new interpreter, then
ipykernel, IPython, pandas, matplotlib, seaborn, scipy and :mod:`helpers` imported
again for every notebook. The *template* is one process per build, started with
the environment a kernel would get; it imports ipykernel and the modules the
notebooks import (found by reading their ``import`` statements), then waits.
Each kernel is a ``fork()`` of it that runs exactly what ``python -m
ipykernel_launcher -f <connection file>`` runs, so each notebook still gets a
kernel of its own, with a fresh namespace, in a new session and process group.

The template never starts a thread, an event loop or a ZeroMQ context (it
checks before every fork) and never runs notebook code. Anything not like a
cold start makes the launch fall back to an ordinary one (:class:`Unavailable`):
another kernel command, an environment different from the template's, a
template that died or does not answer.

Client side (the kernel manager in :mod:`.execute`): :func:`launch`, and
:class:`ForkedProcess`, a ``Popen`` look-alike for jupyter_client's provisioner
(a forked kernel is the template's child, not ours: its end is watched through a
pidfd). Owner side (the build in :mod:`.runner`): :class:`Template`.
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

# Environment variables a kernel launch sets per kernel (they may differ from the template's).
PER_KERNEL_ENV = frozenset({"JPY_PARENT_PID", "JPY_SESSION_NAME", "PYTHONEXECUTABLE"})
READY_TIMEOUT = 60.0  # seconds for the template to import everything
_LAUNCHER = "ipykernel_launcher"

# What a kernel imports while it starts (``ipykernel.debugger`` pulls in debugpy: 0.3 s).
KERNEL_MODULES = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "ipykernel.debugger",
    "IPython",
    "IPython.core.history",
    "IPython.core.debugger",
    "sqlite3",
    "pdb",
    "faulthandler",
    "tornado.platform.asyncio",
)

# Imported inside functions, on first use, by helpers and the libraries it uses (each
# kernel would import them again while running the notebook). A hint: one missing here
# costs time, not correctness.
LAZY_MODULES = (
    "helpers.tables",
    "helpers.ingest.schemas",
    "helpers.ingest.provinces",
    "helpers.publish.params",
    "vietnam_provinces",
    "babel.dates",
    "babel.numbers",
    "scipy.stats",
    "matplotlib.ticker",
    "matplotlib.patches",
    "matplotlib.backends.backend_agg",
    "PIL.PngImagePlugin",
    "PIL.BmpImagePlugin",
    "PIL.GifImagePlugin",
    "PIL.JpegImagePlugin",
    "PIL.PpmImagePlugin",
)

# Run in the template after the imports: per-process caches every kernel would fill the
# same way (functions of files that cannot change during the build, checked on use).
WARM_CALLS = ("helpers.tables:preload_tables",)

# The address and process id of this build's template (set by Template.start in the
# process that owns it; forked workers inherit them). None: every kernel starts cold.
ADDRESS: str | None = None
PID: int | None = None


def supported() -> bool:
    """Forked kernels need Linux's pidfds (to watch a process that is not our child)."""
    if not sys.platform.startswith("linux") or not hasattr(os, "pidfd_open") or not hasattr(signal, "pidfd_send_signal"):
        return False
    try:
        os.close(os.pidfd_open(os.getpid()))
    except OSError:
        return False
    return True


class Unavailable(Exception):
    """No warm kernel for this launch: start it the ordinary way."""


# --------------------------------------------------------------------------- which modules


# Packages whose modules the template may import ahead of a notebook: the project's own
# and libraries without import-time effects a notebook could see (output, threads, ...).
# An import of anything else is left to the notebook.
PRELOADABLE = frozenset({"helpers", "pandas", "numpy", "scipy", "matplotlib", "seaborn", "IPython", "PIL", "babel", "yaml", "pydantic", "pandera", "vietnam_provinces"})


def notebook_imports(paths: Iterable[Path]) -> list[str]:
    """Modules imported by the code cells of the notebooks (``import x.y``, ``from x.y
    import z``: ``x.y``) from the :data:`PRELOADABLE` packages, in order, without
    duplicates. Relative imports, magics and anything that does not parse are skipped."""
    import ast

    found: dict[str, None] = {}
    for path in paths:
        try:
            nb = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for cell in nb.get("cells", []):
            if cell.get("cell_type") != "code":
                continue
            source = cell.get("source", "")
            source = source if isinstance(source, str) else "".join(source)
            lines = [ln for ln in source.splitlines() if not ln.lstrip().startswith(("%", "!"))]
            try:
                tree = ast.parse("\n".join(lines))
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    for alias in node.names:
                        found[alias.name] = None
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    found[node.module] = None
    return [name for name in found if name.split(".")[0] in PRELOADABLE]


# --------------------------------------------------------------------------- owner side


def kernel_environment() -> dict[str, str]:
    """The environment a kernel launched from this process gets (jupyter_client copies
    ``os.environ`` and drops PYTHONEXECUTABLE), and that the template runs with."""
    env = dict(os.environ)
    for key in PER_KERNEL_ENV:
        env.pop(key, None)
    return env


class Template:
    """The template process of one build: ``start()`` it before the workers fork,
    ``stop()`` it when the build is over (it also ends if this process dies)."""

    def __init__(self, modules: Sequence[str], cwd: Path):
        self.modules = list(modules)
        self.cwd = Path(cwd)
        self.dir: str | None = None
        self.proc: subprocess.Popen | None = None
        self.address: str | None = None

    def start(self) -> str:
        global ADDRESS, PID
        self.dir = tempfile.mkdtemp(prefix="briefings-kernels-")
        self.address = os.path.join(self.dir, "template.sock")
        log = open(os.path.join(self.dir, "template.log"), "ab")
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", "from helpers.publish.forkserver import serve; serve()", self.address, *self.modules],
                stdin=subprocess.PIPE,  # closed (EOF) when this process ends: the template exits
                stdout=log,
                stderr=log,
                cwd=str(self.cwd),
                env=kernel_environment(),
                start_new_session=True,  # a Ctrl-C in the terminal is for the build, not the template
            )
        finally:
            log.close()
        ADDRESS, PID = self.address, self.proc.pid
        return self.address

    def stop(self) -> None:
        global ADDRESS, PID
        if ADDRESS == self.address:
            ADDRESS = PID = None
        if self.proc is not None:
            try:
                self.proc.stdin.close()  # the template kills the kernels it still has, then exits
            except OSError:
                pass
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None
        if self.dir:
            import shutil

            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    def __enter__(self) -> Template:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


# --------------------------------------------------------------------------- client side


class ForkedProcess:
    """What jupyter_client's LocalProvisioner needs of a ``Popen``, for a forked kernel."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None
        try:
            self._fd: int | None = os.pidfd_open(pid)
        except ProcessLookupError:  # already gone (and reaped by the template)
            self._fd = None
            self.returncode = -1

    def _exited(self, timeout: float | None) -> bool:
        if self._fd is None:
            return True
        ready, _, _ = select.select([self._fd], [], [], timeout)
        if ready:
            os.close(self._fd)
            self._fd = None
            self.returncode = -1  # ended (not our child: its exit status is the template's to collect)
            return True
        return False

    def __del__(self) -> None:
        if getattr(self, "_fd", None) is not None:
            try:
                os.close(self._fd)
            except OSError:
                pass
            self._fd = None

    def poll(self) -> int | None:
        return self.returncode if self._exited(0) else None

    def wait(self, timeout: float | None = None) -> int:
        if not self._exited(timeout):
            raise subprocess.TimeoutExpired([str(self.pid)], timeout)
        return self.returncode  # type: ignore[return-value]

    def fileno(self) -> int | None:
        return self._fd

    def send_signal(self, signum: int) -> None:
        if self._fd is not None:
            signal.pidfd_send_signal(self._fd, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


def provisioner_class():
    """jupyter_client's LocalProvisioner, waiting on the pidfd instead of polling every 100 ms."""
    import asyncio

    from jupyter_client.provisioning.local_provisioner import LocalProvisioner

    class ForkedProvisioner(LocalProvisioner):
        async def wait(self):
            proc = self.process
            if not isinstance(proc, ForkedProcess):
                return await super().wait()
            fd = proc.fileno()
            if fd is not None and proc.poll() is None:
                loop = asyncio.get_running_loop()
                done = loop.create_future()
                loop.add_reader(fd, lambda: done.done() or done.set_result(None))
                try:
                    await done
                finally:
                    loop.remove_reader(fd)
            ret = proc.wait()
            self.process = None
            return ret

        async def send_signal(self, signum: int) -> None:
            proc = self.process
            if isinstance(proc, ForkedProcess) and self.pgid:
                # the kernel leads its own process group (like a cold kernel): signal the group,
                # unless the kernel is gone (its group id may then belong to someone else)
                if proc.poll() is None:
                    try:
                        os.killpg(self.pgid, signum)
                        return
                    except OSError:
                        pass
                proc.send_signal(signum)
                return
            await super().send_signal(signum)

    return ForkedProvisioner


def launch(kernel_cmd: Sequence[str], env: dict[str, str], cwd: str | os.PathLike | None, log: str | None, timeout: float = READY_TIMEOUT) -> ForkedProcess:
    """Ask the template for a kernel running ``kernel_cmd``; raises :class:`Unavailable`."""
    address = ADDRESS
    if not address:
        raise Unavailable("no template")
    cmd = list(kernel_cmd)
    if len(cmd) < 3 or cmd[:3] != [sys.executable, "-m", _LAUNCHER]:
        raise Unavailable(f"not a python3 kernel of this interpreter: {cmd[:3]}")
    request = {"args": cmd[3:], "env": dict(env), "cwd": os.fspath(cwd) if cwd else os.getcwd(), "log": log}
    deadline = time.monotonic() + timeout
    while True:  # the template may still be importing: wait for its socket, while it lives
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(address)
            break
        except (FileNotFoundError, ConnectionRefusedError):
            sock.close()
            if not _alive(PID):
                raise Unavailable("the template is not running") from None
            if time.monotonic() > deadline:
                raise Unavailable("the template did not start in time") from None
            time.sleep(0.02)
    try:
        sock.settimeout(max(1.0, deadline - time.monotonic()))
        sock.sendall(json.dumps(request).encode() + b"\n")
        data = _read_line(sock)
    except OSError as exc:
        raise Unavailable(f"template: {exc}") from None
    finally:
        sock.close()
    try:
        reply = json.loads(data)
    except ValueError:
        raise Unavailable("template: no answer") from None
    if "pid" not in reply:
        raise Unavailable(f"template: {reply.get('error', 'refused')}")
    return ForkedProcess(int(reply["pid"]))


def _read_line(sock: socket.socket) -> bytes:
    """One newline-terminated message (a JSON request or reply) from ``sock``."""
    data = b""
    while not data.endswith(b"\n"):
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read()
    except OSError:
        return False
    return stat[stat.rindex(b")") + 2 :][:1] not in (b"Z", b"X")  # a zombie is not running


# --------------------------------------------------------------------------- the template


def _preload(modules: Sequence[str]) -> list[str]:
    """Import what a kernel and the notebooks import, then run the warm-up calls
    (``call:module:function``, e.g. reading the data tables into their cache);
    returns the failures (left to the notebook, which meets them in order)."""
    import importlib

    failed = []
    names = [*KERNEL_MODULES, *[m for m in modules if not m.startswith("call:")], *LAZY_MODULES]
    for name in names:
        try:
            importlib.import_module(name)
        except BaseException as exc:  # noqa: BLE001
            failed.append(f"{name}: {type(exc).__name__}")
    for call in [m[5:] for m in modules if m.startswith("call:")] + list(WARM_CALLS):
        module, _, function = call.partition(":")
        try:
            getattr(importlib.import_module(module), function)()
        except BaseException as exc:  # noqa: BLE001
            failed.append(f"{call}(): {type(exc).__name__}: {exc}")
    return failed


def _unsafe_to_fork() -> str | None:
    import threading

    if threading.active_count() != 1:
        return f"{threading.active_count()} threads"
    zmq = sys.modules.get("zmq")
    if zmq is not None and getattr(zmq.Context, "_instance", None) is not None:
        return "a ZeroMQ context exists"
    return None


def _child(request: dict, listener: socket.socket, conn: socket.socket, server_pid: int, launcher_file: str) -> None:
    """In the forked kernel: become what ``python -m ipykernel_launcher ARGS`` is, then run it."""
    code = 1
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.setsid()  # own session and process group, like jupyter_client's launch
        listener.close()
        conn.close()
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
        if request.get("log"):
            out = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            os.dup2(out, 1)
            os.dup2(out, 2)
            os.close(out)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        os.environ["JPY_PARENT_PID"] = str(server_pid)  # the kernel ends if the template does
        import random

        random.seed()  # as a new interpreter would: not the template's sequence
        if "numpy.random" in sys.modules:
            sys.modules["numpy.random"].seed()
        sys.argv = [launcher_file, *request["args"]]
        from ipykernel import kernelapp

        code = 0
        kernelapp.launch_new_instance(argv=list(request["args"]))
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # noqa: BLE001
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        try:
            import atexit

            atexit._run_exitfuncs()
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def serve() -> None:
    """Template main: ``python -c 'serve()' ADDRESS MODULE...`` (see :class:`Template`)."""
    address, modules = sys.argv[1], sys.argv[2:]
    # Like ipykernel_launcher: the launch directory is not importable (IPython adds '' back).
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]
    # What IPKernelApp sets before the notebook runs, set before matplotlib is imported
    # here so that it reads the same backend.
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    env = {k: v for k, v in os.environ.items() if k not in PER_KERNEL_ENV}
    import importlib.util

    spec = importlib.util.find_spec(_LAUNCHER)
    launcher_file = spec.origin if spec and spec.origin else _LAUNCHER  # sys.argv[0] of `python -m ipykernel_launcher`
    failed = _preload(modules)
    if failed:
        print("template: not preloaded:", "; ".join(failed), file=sys.stderr, flush=True)
    import gc

    gc.collect()
    gc.freeze()  # forked kernels do not copy pages just to collect the template's objects
    # Reap kernels as they end (so that their CPU time is counted in ours, like a cold
    # kernel's in the worker that waits for it).
    signal.signal(signal.SIGCHLD, _reap)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    tmp = address + ".tmp"
    listener.bind(tmp)
    listener.listen(16)
    os.rename(tmp, address)  # clients connect only once everything is imported
    server_pid = os.getpid()
    owner = os.getppid()
    kernels: list[int] = []  # pidfds of the kernels started
    stdin = sys.stdin.fileno()
    try:
        while True:
            ready, _, _ = select.select([listener, stdin], [], [], 1.0)
            if os.getppid() != owner:
                return  # the build died (its workers may still hold our stdin open)
            if stdin in ready:
                if not os.read(stdin, 4096):
                    return  # the build is over (or died)
                continue
            if listener not in ready:
                continue
            conn, _ = listener.accept()
            with conn:
                try:
                    conn.settimeout(10)
                    request = json.loads(_read_line(conn))
                    theirs = {k: v for k, v in request["env"].items() if k not in PER_KERNEL_ENV}
                    theirs.setdefault("MPLBACKEND", env.get("MPLBACKEND", ""))
                    problem = _unsafe_to_fork() or ("environment differs from the template's" if theirs != env else None)
                    if problem:
                        conn.sendall(json.dumps({"error": problem}).encode() + b"\n")
                        continue
                    pid = os.fork()
                    if pid == 0:
                        _child(request, listener, conn, server_pid, launcher_file)
                    try:
                        kernels.append(os.pidfd_open(pid))
                    except ProcessLookupError:
                        pass
                    conn.sendall(json.dumps({"pid": pid}).encode() + b"\n")
                except (OSError, ValueError, KeyError) as exc:
                    try:
                        conn.sendall(json.dumps({"error": f"{type(exc).__name__}: {exc}"}).encode() + b"\n")
                    except OSError:
                        pass
            kernels = [fd for fd in kernels if not _closed_if_exited(fd)]
    finally:
        for fd in kernels:  # kernels still running when the build ends (or dies) go with it
            try:
                signal.pidfd_send_signal(fd, signal.SIGKILL)
            except OSError:
                pass
        for fd in kernels:
            select.select([fd], [], [], 2.0)
            os.close(fd)
        _reap()
        listener.close()
        try:
            os.unlink(address)
        except OSError:
            pass


def _reap(signum=None, frame=None) -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _closed_if_exited(fd: int) -> bool:
    ready, _, _ = select.select([fd], [], [], 0)
    if ready:
        os.close(fd)
        return True
    return False
