"""The kernel provisioner: jupyter_client's LocalProvisioner, launching through the template.

Registered as ``vn-briefings-warm`` in the entry point group
``jupyter_client.kernel_provisioners`` and selected by a kernel spec's
``metadata.kernel_provisioner`` (what :func:`helpers.publish.warm_kernels.kernel_pool`
yields), with the template's address as its configuration. A launch the template
refuses or cannot serve is an ordinary :class:`LocalProvisioner` launch.

A forked kernel is the template's child, not ours: :class:`ForkedProcess` gives the
provisioner what it needs of a ``Popen`` through a pidfd.
"""

from __future__ import annotations

import asyncio
import json
import os
import select
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from typing import Any

from jupyter_client.provisioning import LocalProvisioner
from traitlets import Integer, Unicode

from helpers.publish.warm_kernels.template import LAUNCHER, read_line

READY_TIMEOUT = 60.0  # seconds for the template to import everything


class Unavailable(Exception):
    """No warm kernel for this launch: start it the ordinary way."""


class ForkedProcess:
    """What LocalProvisioner needs of a ``Popen``, for a kernel forked by the template."""

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


def launch(address: str, template_pid: int, kernel_cmd: Sequence[str], env: dict[str, str], cwd: str | os.PathLike | None, log: str | None, timeout: float = READY_TIMEOUT) -> ForkedProcess:
    """Ask the template at ``address`` for a kernel running ``kernel_cmd``; raises :class:`Unavailable`."""
    cmd = list(kernel_cmd)
    if len(cmd) < 3 or cmd[:3] != [sys.executable, "-m", LAUNCHER]:
        raise Unavailable(f"not an ipykernel of this interpreter: {cmd[:3]}")
    request = {"args": cmd[3:], "env": dict(env), "cwd": os.fspath(cwd) if cwd else os.getcwd(), "log": log}
    deadline = time.monotonic() + timeout
    while True:  # the template may still be importing: wait for its socket, while it lives
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(address)
            break
        except (FileNotFoundError, ConnectionRefusedError):
            sock.close()
            if not _alive(template_pid):
                raise Unavailable("the template is not running") from None
            if time.monotonic() > deadline:
                raise Unavailable("the template did not start in time") from None
            time.sleep(0.02)
    try:
        sock.settimeout(max(1.0, deadline - time.monotonic()))
        sock.sendall(json.dumps(request).encode() + b"\n")
        data = read_line(sock)
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


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read()
    except OSError:
        return False
    return stat[stat.rindex(b")") + 2 :][:1] not in (b"Z", b"X")  # a zombie is not running


class WarmProvisioner(LocalProvisioner):
    """A LocalProvisioner whose kernels are forked from the build's template, when it can."""

    template_address = Unicode("", config=True, help="Unix socket of the template process ('' : launch every kernel cold).")
    template_pid = Integer(0, config=True, help="Process id of the template (a dead template is not waited for).")

    async def launch_kernel(self, cmd: list[str], **kwargs: Any):
        if self.template_address:
            log = getattr(kwargs.get("stdout"), "name", None)  # the kernel's own output goes where a cold kernel's would
            try:
                proc = launch(self.template_address, self.template_pid, cmd, kwargs.get("env") or dict(os.environ), kwargs.get("cwd"), log if isinstance(log, str) else None)
            except Unavailable as exc:
                self.log.info("warm kernel unavailable (%s): starting it cold", exc)
                if os.environ.get("BRIEFINGS_DEBUG_KERNELS"):
                    print(f"warm kernel unavailable: {exc}", file=sys.stderr, flush=True)
            else:
                self.process = proc
                self.pid = self.pgid = proc.pid  # the kernel leads its own process group, like a cold one
                self.cwd = kwargs.get("cwd") or os.getcwd()
                return self.connection_info
        return await super().launch_kernel(cmd, **kwargs)

    async def wait(self) -> int | None:
        proc = self.process
        if not isinstance(proc, ForkedProcess):
            return await super().wait()
        fd = proc.fileno()
        if fd is not None and proc.poll() is None:  # woken by the pidfd, not by polling every 100 ms
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
        if not isinstance(proc, ForkedProcess):
            return await super().send_signal(signum)
        # signal the kernel's process group, unless the kernel is gone (its group id may
        # then belong to someone else)
        if proc.poll() is None:
            try:
                os.killpg(self.pgid, signum)
                return
            except OSError:
                pass
        proc.send_signal(signum)
