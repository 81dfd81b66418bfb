"""Chromium's DevTools protocol over ``--remote-debugging-pipe``, for printing PDFs.

Why not Playwright for the build: its driver is a Node.js process of its own (about
140 MB resident for the whole build), and the build's memory budget (1 GB on 2 cores,
with two kernels and Chromium) cannot carry it. The protocol itself is Chromium's
documented, versioned interface (https://chromedevtools.github.io/devtools-protocol/):
the browser reads commands on file descriptor 3 and writes replies and events on
descriptor 4, each message JSON ended by a NUL byte. The tests still use Playwright
(screenshots, axe-core) where its convenience costs the build nothing.

Only what printing needs is here: open a tab, refuse every request but the allowed
ones (Fetch domain), load, evaluate a script, emulate print media, print, close.
Every wait has a deadline; a browser that dies or stalls raises :class:`DevToolsError`.
"""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

# Headless flags Chromium's own automation clients pass (no background services, no
# first-run UI, no throttling of a hidden tab), plus the workplace's: no sandbox as root,
# no GPU, no network retries on a machine without network.
BASE_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-background-timer-throttling",
    "--disable-backgrounding-occluded-windows",
    "--disable-renderer-backgrounding",
    "--disable-breakpad",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--disable-hang-monitor",
    "--disable-popup-blocking",
    "--disable-prompt-on-repost",
    "--force-color-profile=srgb",
    "--metrics-recording-only",
    "--password-store=basic",
    "--use-mock-keychain",
    "--hide-scrollbars",
    "--mute-audio",
)
COMMAND_TIMEOUT_S = 60.0
CLOSE_TIMEOUT_S = 5.0


class DevToolsError(RuntimeError):
    """The browser failed a command, died or did not answer in time (one line)."""


class Browser:
    """One headless Chromium driven over the DevTools pipe."""

    def __init__(self, executable: Path, args: Iterable[str] = (), timeout: float = COMMAND_TIMEOUT_S):
        self.timeout = timeout
        self._ids = 0
        self._buffer = b""
        self._events: deque[dict] = deque()
        self._profile = tempfile.mkdtemp(prefix="briefings-chromium-")
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        # the child's ends above 9, so moving them onto 3 and 4 can never close one another
        to_browser_r, from_browser_w = (self._above_nine(fd) for fd in (to_browser_r, from_browser_w))
        # The browser expects the pipe on descriptors 3 (it reads) and 4 (it writes): a
        # shell moves them there, so no Python code runs between fork and exec (bash: dash
        # redirects single-digit descriptors only).
        command = [str(executable), *BASE_ARGS, *args, f"--user-data-dir={self._profile}", "--remote-debugging-pipe", "--no-startup-window"]
        try:
            self.process = subprocess.Popen(
                ["bash", "-c", f'exec "$0" "$@" 3<&{to_browser_r} 4>&{from_browser_w} {to_browser_r}<&- {from_browser_w}>&-', *command],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                pass_fds=(to_browser_r, from_browser_w),
            )
        except OSError as exc:
            self._close_fds(to_browser_r, from_browser_w)
            self._cleanup()
            raise DevToolsError(f"Chromium at {executable} did not start: {exc.strerror or exc}") from None
        finally:
            self._close_fds(to_browser_r, from_browser_w)
        try:
            self.call("Browser.getVersion", timeout=timeout)
        except DevToolsError as exc:
            self.close()
            raise DevToolsError(f"Chromium at {executable} did not start: {exc}") from None

    # ---- the protocol

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> int:
        self._ids += 1
        message: dict[str, Any] = {"id": self._ids, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode() + b"\0"
        try:
            while data:
                data = data[os.write(self._to_browser, data) :]
        except OSError as exc:
            raise DevToolsError(f"the browser stopped reading ({exc.strerror or exc})") from None
        return self._ids

    def call(self, method: str, params: dict | None = None, session: str | None = None, timeout: float | None = None) -> dict:
        """Send a command and wait for its reply (events meanwhile are kept or handled)."""
        wanted = self.send(method, params, session)
        reply = self._wait(lambda m: m.get("id") == wanted, timeout, f"no reply to {method}")
        if "error" in reply:
            raise DevToolsError(f"{method}: {reply['error'].get('message', reply['error'])}")
        return reply.get("result", {})

    def wait_event(self, method: str, session: str | None = None, timeout: float | None = None) -> dict:
        for i, event in enumerate(self._events):
            if event.get("method") == method and event.get("sessionId") == session:
                del self._events[i]
                return event
        return self._wait(lambda m: m.get("method") == method and m.get("sessionId") == session, timeout, f"no {method}")

    # handlers of events that need an answer: method -> fn(browser, message)
    handlers: dict[str, Callable[[Browser, dict], None]] = {}

    def _wait(self, matches: Callable[[dict], bool], timeout: float | None, what: str) -> dict:
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        while True:
            message = self._next_message(deadline, what)
            if matches(message):
                return message
            handler = self.handlers.get(message.get("method", ""))
            if handler is not None:
                handler(self, message)
            elif "method" in message:
                self._events.append(message)
                if len(self._events) > 1000:  # nobody waits for them: keep memory bounded
                    self._events.popleft()

    def _next_message(self, deadline: float, what: str) -> dict:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise DevToolsError(f"{what} within {self.timeout:.0f} s")
            ready, _, _ = select.select([self._from_browser], [], [], left)
            if not ready:
                continue
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise DevToolsError(f"the browser closed the pipe ({what}; exit code {self.process.poll()})")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        try:
            return json.loads(raw)
        except ValueError:
            raise DevToolsError(f"the browser sent a message that is not JSON ({what})") from None

    # ---- tabs

    def open_tab(self) -> tuple[str, str]:
        """A new blank tab: (target id, session id) of a flat session attached to it."""
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        return target, session

    def close_tab(self, target: str, session: str | None = None) -> None:
        try:
            self.call("Target.closeTarget", {"targetId": target}, timeout=CLOSE_TIMEOUT_S)
        except DevToolsError:
            pass
        if session is not None:  # the tab's unclaimed events go with it
            self._events = deque(e for e in self._events if e.get("sessionId") != session)

    def close(self) -> None:
        """Ask the browser to quit; kill it if it does not; remove its profile."""
        if getattr(self, "process", None) is not None and self.process.poll() is None:
            try:
                self.send("Browser.close")
                self.process.wait(timeout=CLOSE_TIMEOUT_S)
            except (DevToolsError, subprocess.TimeoutExpired):
                self._kill()
        self._close_fds(self._to_browser, self._from_browser)
        self._to_browser = self._from_browser = -1
        self._cleanup()

    def _kill(self) -> None:
        try:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=CLOSE_TIMEOUT_S)
        except (OSError, subprocess.TimeoutExpired):
            pass

    def _cleanup(self) -> None:
        shutil.rmtree(self._profile, ignore_errors=True)

    @staticmethod
    def _above_nine(fd: int) -> int:
        import fcntl

        moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(fd)
        return moved

    @staticmethod
    def _close_fds(*fds: int) -> None:
        for fd in fds:
            if fd >= 0:
                try:
                    os.close(fd)
                except OSError:
                    pass


_FORCE_LAYOUT = "void document.documentElement.getBoundingClientRect()"


def print_to_pdf(browser: Browser, url: str, *, allowed: Callable[[str], bool], script: str | None, options: dict) -> bytes:
    """Load ``url`` in a new tab (every request ``allowed`` refuses fails), run ``script``
    (a JavaScript function), switch to print media and print with ``options``
    (Page.printToPDF's parameters); the PDF's bytes."""
    target, session = browser.open_tab()

    def on_request(b: Browser, message: dict) -> None:
        params = message["params"]
        if allowed(params["request"]["url"]):
            b.send("Fetch.continueRequest", {"requestId": params["requestId"]}, message.get("sessionId"))
        else:
            b.send("Fetch.failRequest", {"requestId": params["requestId"], "errorReason": "BlockedByClient"}, message.get("sessionId"))

    browser.handlers = {**browser.handlers, "Fetch.requestPaused": on_request}
    try:
        browser.call("Fetch.enable", {"patterns": [{"urlPattern": "*"}]}, session)
        browser.call("Page.enable", {}, session)
        navigated = browser.call("Page.navigate", {"url": url}, session)
        if navigated.get("errorText"):
            raise DevToolsError(f"could not open {url}: {navigated['errorText']}")
        browser.wait_event("Page.loadEventFired", session)
        # Layout is forced at each step (fonts ready, then before and after the script and after
        # the switch to print media), so the page reaches the printer through the same states
        # whether or not the busy machine happened to paint a frame in between: a frame painted
        # or not left a footnote mark 0.19 pt apart in two builds of the same HTML.
        prepared = f"(async () => {{ await document.fonts.ready; {_FORCE_LAYOUT}; await ({script or '() => {}'})(); {_FORCE_LAYOUT}; }})()"
        done = browser.call("Runtime.evaluate", {"expression": prepared, "awaitPromise": True}, session)
        if "exceptionDetails" in done:
            raise DevToolsError(f"the page script failed: {done['exceptionDetails'].get('text', '')}")
        browser.call("Emulation.setEmulatedMedia", {"media": "print"}, session)
        browser.call("Runtime.evaluate", {"expression": _FORCE_LAYOUT}, session)
        printed = browser.call("Page.printToPDF", options, session)
        return base64.b64decode(printed["data"])
    finally:
        browser.handlers = {k: v for k, v in browser.handlers.items() if k != "Fetch.requestPaused"}
        browser.close_tab(target, session)
