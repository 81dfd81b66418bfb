"""What a scheduler needs around a command: a timestamped log file and a failure hook.

``--log FILE`` appends every line the command prints (stdout and stderr) to FILE,
each line starting with an ISO-8601 UTC timestamp; the folder is created when
missing (a fresh clone has no ``logs/``). Problems still reach stderr too, so
cron mails them. ``--on-failure CMD`` runs ``CMD DATE ERROR`` once per failed date
(or once with ``-`` for a failure that is not about one date), with the same two
values in ``BRIEFINGS_FAILED_DATE`` and ``BRIEFINGS_ERROR``.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

# "FAILED 2025-09-22 briefing.ipynb: ..." (runner) and "2025-09-22: locked by ..." name a date.
_DATED_LINE = re.compile(r"^(?:FAILED )?(\d{4}-\d{2}-\d{2})[: ]")


def timestamp() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


class _LineStream(io.TextIOBase):
    """A text stream that hands complete lines to ``sink`` (and keeps a copy of stderr lines)."""

    def __init__(self, original: TextIO | None, sink: Callable[[str], None], echo: bool, kept: list[str] | None):
        self.original = original
        self.sink = sink
        self.echo = echo
        self.kept = kept
        self._partial = ""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if self.echo and self.original is not None:
            self.original.write(text)
        self._partial += text
        *lines, self._partial = self._partial.split("\n")
        for line in lines:
            self._line(line)
        return len(text)

    def _line(self, line: str) -> None:
        if self.kept is not None:
            self.kept.append(line)
        self.sink(line)

    def flush(self) -> None:
        if self.original is not None and self.echo:
            self.original.flush()

    def close_partial(self) -> None:
        if self._partial:
            self._line(self._partial)
            self._partial = ""


class Operation:
    """Wraps one command: redirects its output to the log, then runs the failure hook."""

    def __init__(self, log: str | None = None, on_failure: str | None = None):
        self.log_path = Path(log) if log else None
        self.on_failure = on_failure
        self.errors: list[str] = []
        self._log: TextIO | None = None
        self._saved: tuple[TextIO, TextIO] | None = None

    def _write_log(self, line: str) -> None:
        if self._log is not None:
            self._log.write(f"{timestamp()} {line}\n")
            self._log.flush()

    def __enter__(self) -> "Operation":
        if self.log_path is not None:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            self._log = open(self.log_path, "a", encoding="utf-8")
        if self._log is not None or self.on_failure:
            self._saved = (sys.stdout, sys.stderr)
            # with a log, stdout goes only there; stderr goes there and to the terminal (cron mails it)
            sys.stdout = _LineStream(self._saved[0], self._write_log, echo=self._log is None, kept=None)
            sys.stderr = _LineStream(self._saved[1], self._write_log, echo=True, kept=self.errors)
        return self

    def __exit__(self, *exc) -> None:
        if self._saved is not None:
            for stream in (sys.stdout, sys.stderr):
                if isinstance(stream, _LineStream):
                    stream.close_partial()
            sys.stdout, sys.stderr = self._saved
            self._saved = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def failures(self) -> list[tuple[str, str]]:
        """(date or '-', one-line error) for every failure the command reported."""
        out: list[tuple[str, str]] = []
        for line in self.errors:
            m = _DATED_LINE.match(line)
            if m and (line.startswith("FAILED ") or "locked" in line):
                out.append((m.group(1), line))
        if not out:
            last = next((line for line in reversed(self.errors) if line.strip()), "")
            out.append(("-", last or "failed without a message"))
        return out

    def notify(self, exit_code: int) -> None:
        """Run the ``--on-failure`` command for each failure; its own failure is reported, not fatal."""
        if not self.on_failure or exit_code == 0:
            return
        for date, error in self.failures():
            env = {**os.environ, "BRIEFINGS_FAILED_DATE": date, "BRIEFINGS_ERROR": error, "BRIEFINGS_EXIT_CODE": str(int(exit_code))}
            try:
                done = subprocess.run([*shlex.split(self.on_failure), date, error], env=env, timeout=300)
                problem = f"exit {done.returncode}" if done.returncode else None
            except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
                problem = f"{type(exc).__name__}: {exc}"
            if problem:
                line = f"warning: --on-failure command failed ({problem}): {self.on_failure}"
                print(line, file=sys.stderr, flush=True)
                if self.log_path is not None:
                    with open(self.log_path, "a", encoding="utf-8") as fh:
                        fh.write(f"{timestamp()} {line}\n")
