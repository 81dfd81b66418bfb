"""The template process: ipykernel and the notebooks' modules imported once, kernels forked from it.

A cold kernel spends most of a notebook's time starting: a new interpreter, then
ipykernel, IPython, pandas, matplotlib, scipy and :mod:`helpers` imported again for
every notebook. The *template* is one process per build, started with the
environment a kernel would get; it imports what kernels will import, then waits.
Each kernel is a ``fork()`` of it that runs exactly what ``python -m
ipykernel_launcher -f <connection file>`` runs, so each notebook still gets a kernel
of its own, with a fresh namespace, in a new session and process group.

What to import is derived, not listed:

- the modules the notebooks' code cells import (read from the notebooks);
- every module the project's own code imports from there on, at module level or
  inside a function (read from its source; a library's modules are imported, not
  read);
- what ipykernel imports while it starts a kernel: a throw-away child of the
  template initialises a kernel application (on private sockets, without history
  file) and reports ``sys.modules``.

The template never starts a thread, an event loop or a ZeroMQ context (it checks
before every fork) and never runs notebook code. A request it cannot serve like a
cold start (another environment, a template that died) is refused and the kernel
starts the ordinary way.
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
from collections.abc import Iterable, Sequence
from pathlib import Path

# Environment variables a kernel launch sets per kernel (they may differ from the template's).
PER_KERNEL_ENV = frozenset({"JPY_PARENT_PID", "JPY_SESSION_NAME", "PYTHONEXECUTABLE"})
LAUNCHER = "ipykernel_launcher"


def supported() -> bool:
    """Forked kernels need Linux's pidfds (to watch a process that is not our child)."""
    if not sys.platform.startswith("linux") or not hasattr(os, "pidfd_open") or not hasattr(signal, "pidfd_send_signal"):
        return False
    try:
        os.close(os.pidfd_open(os.getpid()))
    except OSError:
        return False
    return True


# --------------------------------------------------------------------------- which modules


def _imports_in(source: str, package: str | None = None) -> list[str]:
    """Modules named by the import statements of ``source``, at any depth (``import x.y``,
    ``from x.y import z``: ``x.y`` and, if it is a module, ``x.y.z``). Relative imports are
    resolved against ``package`` (skipped without one); IPython magics and shell lines
    are ignored; source that does not parse names nothing."""
    import ast

    lines = [ln for ln in source.splitlines() if not ln.lstrip().startswith(("%", "!"))]
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        return []
    found: dict[str, None] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found[alias.name] = None
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                if not package:
                    continue
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                if not base:
                    continue
                module = ".".join(base + ([node.module] if node.module else []))
            elif node.module:
                module = node.module
            else:
                continue
            found[module] = None
            for alias in node.names:
                if alias.name != "*":
                    found[f"{module}.{alias.name}"] = None  # kept only if it is a module
    return list(found)


def notebook_imports(paths: Iterable[Path]) -> list[str]:
    """Modules imported by the code cells of the notebooks, in order, without duplicates."""
    found: dict[str, None] = {}
    for path in paths:
        try:
            nb = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for cell in nb.get("cells", []):
            if cell.get("cell_type") == "code":
                source = cell.get("source", "")
                for name in _imports_in(source if isinstance(source, str) else "".join(source)):
                    found[name] = None
    return list(found)


def _library_dirs() -> tuple[str, ...]:
    """Where installed libraries and the standard library live (not the project's code)."""
    import site
    import sysconfig

    dirs = {sysconfig.get_paths()[k] for k in ("stdlib", "platstdlib", "purelib", "platlib")}
    dirs.update(site.getsitepackages())
    return tuple(os.path.join(os.path.realpath(d), "") for d in dirs)


def import_closure(modules: Sequence[str]) -> tuple[list[str], list[str]]:
    """Import ``modules`` and, for each of them that is the project's own code (not under
    the standard library or site-packages), every module its source imports, at any
    depth, recursively. Returns (imported, failed) in order; a failure is left to the
    notebook, which meets it in its own order."""
    import importlib
    import importlib.util

    libraries = _library_dirs()
    queue = list(dict.fromkeys(modules))
    seen = set(queue)
    imported: list[str] = []
    failed: list[tuple[str, str]] = []
    while queue:
        name = queue.pop(0)
        parent, _, _ = name.rpartition(".")
        if parent and parent in sys.modules and not hasattr(sys.modules[parent], "__path__"):
            continue  # ``from module import function``: not a module
        try:
            if parent and name not in sys.modules and importlib.util.find_spec(name) is None:
                continue
            module = importlib.import_module(name)
        except BaseException as exc:  # noqa: BLE001 - whatever an import raises is the notebook's to meet
            failed.append((name, type(exc).__name__))
            continue
        imported.append(name)
        origin = getattr(module, "__file__", None)
        if not origin or not origin.endswith(".py") or os.path.realpath(origin).startswith(libraries):
            continue
        try:
            source = Path(origin).read_text(encoding="utf-8")
        except OSError:
            continue
        package = name if hasattr(module, "__path__") else parent
        for found in _imports_in(source, package):
            if found not in seen:
                seen.add(found)
                queue.append(found)
    # a module that failed by its name may have come in since, with the package that vendors it
    return imported, [f"{name}: {error}" for name, error in failed if name not in sys.modules]


def kernel_startup_modules(timeout: float = 30.0) -> list[str]:
    """The modules a kernel has imported once it is ready, measured: a forked child
    initialises ipykernel's kernel application on private sockets, reports
    ``sys.modules`` and exits. (Forked before anything that makes forking unsafe.)"""
    from ipykernel.kernelapp import IPKernelApp

    workdir = tempfile.mkdtemp(prefix="briefings-probe-")
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the probe
        code = 1
        try:
            os.close(read_end)
            devnull = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(devnull, fd)
            app = IPKernelApp.instance()
            app.initialize(
                [
                    "-f", os.path.join(workdir, "probe.json"),
                    "--transport=ipc", f"--ip={os.path.join(workdir, 'k')}",
                    "--HistoryManager.hist_file=:memory:",  # imports what history needs, writes nothing
                ]
            )
            os.write(write_end, "\n".join(sys.modules).encode())  # in the order they were imported
            code = 0
        finally:
            os._exit(code)  # no exit handlers: they are the template's
    os.close(write_end)
    data = b""
    try:
        while True:
            ready, _, _ = select.select([read_end], [], [], timeout)
            if not ready:
                break
            chunk = os.read(read_end, 65536)
            if not chunk:
                break
            data += chunk
    finally:
        os.close(read_end)
        try:
            os.kill(pid, signal.SIGKILL)  # done or stuck: it has nothing more to say
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
        import shutil

        shutil.rmtree(workdir, ignore_errors=True)
    return [m for m in data.decode().split("\n") if m and not m.startswith("__")]


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
    ``stop()`` it when the build is over (it also ends if this process dies).

    ``notebooks``: the notebooks its kernels will run (their imports are preloaded);
    ``warm_calls``: ``module:function`` names called after the imports (per-process
    caches every kernel would fill the same way)."""

    def __init__(self, notebooks: Sequence[Path], cwd: Path, warm_calls: Sequence[str] = ()):
        self.notebooks = [str(p) for p in notebooks]
        self.warm_calls = list(warm_calls)
        self.cwd = Path(cwd)
        self.dir: str | None = None
        self.proc: subprocess.Popen | None = None
        self.address: str | None = None

    def start(self) -> str:
        self.dir = tempfile.mkdtemp(prefix="briefings-kernels-")
        self.address = os.path.join(self.dir, "template.sock")
        request = json.dumps({"address": self.address, "notebooks": self.notebooks, "warm_calls": self.warm_calls})
        log = open(os.path.join(self.dir, "template.log"), "ab")
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", f"from {__name__} import serve; serve()", request],
                stdin=subprocess.PIPE,  # closed (EOF) when this process ends: the template exits
                stdout=log,
                stderr=log,
                cwd=str(self.cwd),
                env=kernel_environment(),
                start_new_session=True,  # a Ctrl-C in the terminal is for the build, not the template
            )
        finally:
            log.close()
        return self.address

    def stop(self) -> None:
        if self.proc is not None:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
            # at once, even in the middle of its imports: it kills the kernels it still has, then exits
            self.proc.terminate()
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


# --------------------------------------------------------------------------- the template


def read_line(sock: socket.socket) -> bytes:
    """One newline-terminated message (a JSON request or reply) from ``sock``."""
    data = b""
    while not data.endswith(b"\n"):
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


class _KernelShell:
    """What the builtin ``get_ipython()`` returns in a kernel, as far as an import looks:
    a shell with a kernel."""

    kernel = None


def _preload(notebooks: Sequence[str], warm_calls: Sequence[str]) -> list[str]:
    """Import what kernels and the notebooks will import, then run the warm-up calls;
    returns the failures (left to the notebook, which meets them in order).

    Some libraries look once, at import, at whether they run in a kernel: pandas sets its
    display defaults from the builtin ``get_ipython()`` (20 columns in a kernel, the
    terminal's width elsewhere). In a kernel that builtin exists; here it does while the
    modules are imported, then goes (the kernel's shell installs its own)."""
    import builtins

    builtins.get_ipython = _KernelShell
    try:
        return _import_and_warm(notebooks, warm_calls)
    finally:
        del builtins.get_ipython


def _import_and_warm(notebooks: Sequence[str], warm_calls: Sequence[str]) -> list[str]:
    import importlib

    _, failed = import_closure(["ipykernel.kernelapp"])
    startup = kernel_startup_modules()
    failed += import_closure(notebook_imports(Path(p) for p in notebooks))[1]
    # In the order the kernel imported them: a package that puts its vendored modules on
    # the path while it imports (debugpy) comes before them. Some names are not importable
    # as such (a runtime's internal module): the kernel never imports those by name either.
    _, unimportable = import_closure([m for m in startup if m not in sys.modules])
    if unimportable:
        print(f"template: {len(unimportable)} modules of a started kernel are not importable by name (e.g. {unimportable[0]})", file=sys.stderr, flush=True)
    for call in warm_calls:
        module, _, function = call.partition(":")
        try:
            getattr(importlib.import_module(module), function)()
        except BaseException as exc:  # noqa: BLE001
            failed.append(f"{call}(): {type(exc).__name__}: {exc}")
    return failed


def unsafe_to_fork() -> str | None:
    import threading

    if threading.active_count() != 1:
        return f"{threading.active_count()} threads"
    zmq = sys.modules.get("zmq")
    if zmq is not None and getattr(zmq.Context, "_instance", None) is not None:
        return "a ZeroMQ context exists"
    return None


def _become_kernel(request: dict, server_pid: int, launcher_file: str) -> None:
    """In the forked kernel: become what ``python -m ipykernel_launcher ARGS`` is, then run it.

    Called at the top of :func:`serve`, with none of the template's frames left on the
    stack: the kernel ends like an interpreter does (its exit handlers run, its status
    is the process's), and nothing of the template runs again in it."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.setsid()  # own session and process group, like jupyter_client's launch
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
    import runpy

    runpy.run_module(LAUNCHER, run_name="__main__", alter_sys=True)


def serve() -> None:
    """Template main: ``python -c 'serve()' REQUEST`` (see :class:`Template`). In a forked
    kernel it returns only when the kernel ends."""
    config = json.loads(sys.argv[1])
    address = config["address"]
    signal.signal(signal.SIGTERM, _stop)  # Template.stop: unwind (and kill the kernels still running)
    # Like ipykernel_launcher: the launch directory is not importable (IPython adds '' back).
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]
    # What IPKernelApp sets before the notebook runs, set before matplotlib is imported
    # here so that it reads the same backend.
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    env = {k: v for k, v in os.environ.items() if k not in PER_KERNEL_ENV}
    import importlib.util

    spec = importlib.util.find_spec(LAUNCHER)
    launcher_file = spec.origin if spec and spec.origin else LAUNCHER  # sys.argv[0] of `python -m ipykernel_launcher`
    failed = _preload(config["notebooks"], config["warm_calls"])
    if failed:
        print("template: not preloaded:", "; ".join(failed), file=sys.stderr, flush=True)
    problem = unsafe_to_fork()
    if problem:
        print(f"template: cannot fork kernels after the imports ({problem}); kernels start cold", file=sys.stderr, flush=True)
    import gc

    gc.collect()
    gc.freeze()  # forked kernels do not copy pages just to collect the template's objects
    request = _serve(address, env)
    if request is not None:  # this process is a forked kernel now
        _become_kernel(request, os.getppid(), launcher_file)


def _serve(address: str, env: dict[str, str]) -> dict | None:
    """Fork a kernel for each request until the build ends (returns None). In each forked
    kernel it returns that kernel's request instead, the template's sockets closed."""
    # Reap kernels as they end (so that their CPU time is counted in ours, like a cold
    # kernel's in the worker that waits for it).
    signal.signal(signal.SIGCHLD, _reap)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    tmp = address + ".tmp"
    listener.bind(tmp)
    listener.listen(16)
    os.rename(tmp, address)  # clients connect only once everything is imported
    owner = os.getppid()
    kernels: list[int] = []  # pidfds of the kernels started
    stdin = sys.stdin.fileno()
    forked = False
    try:
        while True:
            ready, _, _ = select.select([listener, stdin], [], [], 1.0)
            if os.getppid() != owner:
                return None  # the build died (its workers may still hold our stdin open)
            if stdin in ready:
                if not os.read(stdin, 4096):
                    return None  # the build is over (or died)
                continue
            if listener not in ready:
                continue
            conn, _ = listener.accept()
            with conn:
                try:
                    conn.settimeout(10)
                    request = json.loads(read_line(conn))
                    theirs = {k: v for k, v in request["env"].items() if k not in PER_KERNEL_ENV}
                    theirs.setdefault("MPLBACKEND", env.get("MPLBACKEND", ""))
                    problem = unsafe_to_fork() or ("environment differs from the template's" if theirs != env else None)
                    if problem:
                        conn.sendall(json.dumps({"error": problem}).encode() + b"\n")
                        continue
                    pid = os.fork()
                    if pid == 0:
                        forked = True
                        listener.close()
                        for fd in kernels:
                            os.close(fd)
                        return request
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
        if not forked:
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


def _stop(signum, frame) -> None:
    sys.exit(0)


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
