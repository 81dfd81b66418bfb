"""The DevTools pipe client that prints the PDFs, against a scripted stand-in browser
(no Chromium needed): replies, events, refused requests, a stall, a crash."""

from __future__ import annotations

import base64
import json
import sys
import textwrap
import time

import pytest

from helpers.publish import devtools

# A stand-in for Chromium: reads NUL-ended JSON commands on fd 3, writes replies and
# events on fd 4, and logs every command it got (for the test to read).
FAKE = textwrap.dedent(
    """\
    #!{python}
    import json, os, sys
    mode = os.environ.get("FAKE_MODE", "ok")
    log = open(os.environ["FAKE_LOG"], "a")
    if mode == "crash":
        sys.exit(3)
    inp, out = os.fdopen(3, "rb", buffering=0), os.fdopen(4, "wb", buffering=0)
    def send(msg):
        out.write(json.dumps(msg).encode() + b"\\0")
    buf = b""
    while True:
        chunk = inp.read(65536)
        if not chunk:
            break
        buf += chunk
        while b"\\0" in buf:
            raw, buf = buf.split(b"\\0", 1)
            msg = json.loads(raw)
            log.write(json.dumps(msg) + "\\n"); log.flush()
            m, sid = msg["method"], msg.get("sessionId")
            if mode == "stall" and m != "Browser.getVersion":
                continue
            result = {{}}
            if m == "Target.createTarget":
                result = {{"targetId": "T1"}}
            elif m == "Target.attachToTarget":
                result = {{"sessionId": "S1"}}
            elif m == "Page.navigate":
                # the page asks for itself and for an outside address; the load comes after
                send({{"method": "Fetch.requestPaused", "sessionId": sid, "params": {{"requestId": "r1", "request": {{"url": msg["params"]["url"]}}}}}})
                send({{"method": "Fetch.requestPaused", "sessionId": sid, "params": {{"requestId": "r2", "request": {{"url": "https://example.org/x.js"}}}}}})
                send({{"id": msg["id"], "result": {{"frameId": "F"}}}})
                send({{"method": "Page.loadEventFired", "sessionId": sid, "params": {{}}}})
                continue
            elif m == "Page.printToPDF":
                result = {{"data": "{pdf}"}}
            elif m == "Browser.close":
                send({{"id": msg["id"], "result": {{}}}})
                sys.exit(0)
            send({{"id": msg["id"], "result": result}})
    """
)
PDF = b"%PDF-1.4 fake"


@pytest.fixture
def fake_browser(tmp_path, monkeypatch):
    exe = tmp_path / "fake-chromium"
    exe.write_text(FAKE.format(python=sys.executable, pdf=base64.b64encode(PDF).decode()))
    exe.chmod(0o755)
    log = tmp_path / "commands.jsonl"
    monkeypatch.setenv("FAKE_LOG", str(log))

    def commands():
        return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []

    return exe, commands


def test_prints_through_the_pipe_and_refuses_requests_outside_the_page(fake_browser):
    exe, commands = fake_browser
    browser = devtools.Browser(exe, timeout=10)
    try:
        url = "file:///tmp/briefing.html"
        data = devtools.print_to_pdf(browser, url, allowed=lambda u: u == url, script="() => 1", options={"paperWidth": 8.27})
    finally:
        browser.close()
    assert data == PDF
    sent = commands()
    by_method = {}
    for c in sent:
        by_method.setdefault(c["method"], []).append(c)
    assert [c["params"]["requestId"] for c in by_method["Fetch.continueRequest"]] == ["r1"]
    assert [(c["params"]["requestId"], c["params"]["errorReason"]) for c in by_method["Fetch.failRequest"]] == [("r2", "BlockedByClient")]
    assert by_method["Page.printToPDF"][0]["params"] == {"paperWidth": 8.27} and by_method["Page.printToPDF"][0]["sessionId"] == "S1"
    assert by_method["Emulation.setEmulatedMedia"][0]["params"] == {"media": "print"}
    assert "Target.closeTarget" in by_method and "Browser.close" in by_method
    assert browser.process.poll() is not None  # closed means gone


def test_a_browser_that_dies_at_start_is_one_line(fake_browser, monkeypatch):
    exe, _ = fake_browser
    monkeypatch.setenv("FAKE_MODE", "crash")
    with pytest.raises(devtools.DevToolsError) as caught:
        devtools.Browser(exe, timeout=10)
    assert "did not start" in str(caught.value) and "\n" not in str(caught.value)


def test_a_stalled_browser_times_out_and_is_stopped(fake_browser, monkeypatch):
    exe, _ = fake_browser
    monkeypatch.setenv("FAKE_MODE", "stall")
    browser = devtools.Browser(exe, timeout=10)
    browser.timeout = 0.5
    started = time.monotonic()
    try:
        with pytest.raises(devtools.DevToolsError, match="no reply to Target.createTarget within"):
            devtools.print_to_pdf(browser, "file:///x.html", allowed=lambda u: True, script=None, options={})
    finally:
        browser.close()
    assert time.monotonic() - started < 10
    assert browser.process.poll() is not None


def test_a_missing_executable_is_one_line(tmp_path):
    with pytest.raises(devtools.DevToolsError) as caught:
        devtools.Browser(tmp_path / "nothing-here", timeout=5)
    assert "did not start" in str(caught.value)
