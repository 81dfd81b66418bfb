"""Errors the user sees as one line: which file, which line, what was expected."""

from __future__ import annotations

import errno
import re
from enum import IntEnum
from pathlib import Path

# Characters that would reach a terminal raw and split or rewrite an error line: C0 and C1
# controls (newline, ESC of escape sequences), DEL, Unicode line and paragraph separators,
# and the bidirectional overrides that reorder what the reader sees.
_UNPRINTABLE_RE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
MAX_SHOWN = 80  # characters of a value quoted in an error message


def printable(text: object) -> str:
    """``text`` with every control character escaped (``\\n``, ``\\x1b``, ``\\u202e``): a
    file name or value quoted in a message can neither split its line nor drive the terminal."""

    def escape(m: re.Match) -> str:
        return m.group(0).encode("unicode_escape").decode("ascii")

    return _UNPRINTABLE_RE.sub(escape, str(text))


def shorten(text: str, limit: int = MAX_SHOWN) -> str:
    """``text`` cut to ``limit`` characters (with "..." and the full length) so that a huge
    value never floods a one-line message."""
    return text if len(text) <= limit else f"{text[: limit - 3]}... ({len(text):,} characters)"


class ExitCode(IntEnum):
    """Every exit status of ``briefings`` (documented in the README and ``--help``)."""

    OK = 0
    NOTEBOOK_FAILED = 1  # a notebook cell failed; the last good briefing stays
    BAD_INPUT = 2  # bad input: a raw report, params, a processed table, a command-line value
    LOCKED = 3  # another run holds a date (--no-wait)
    INTERNAL = 70  # a bug (EX_SOFTWARE); --debug shows the traceback
    NO_SPACE = 74  # the disk (or the file size limit) is full (EX_IOERR); nothing published changed
    HANGUP = 129  # 128 + SIGHUP: the terminal closed
    INTERRUPTED = 130  # 128 + SIGINT: Ctrl-C
    TERMINATED = 143  # 128 + SIGTERM: kill, timeout, cron, systemd

    @classmethod
    def help_text(cls) -> str:
        return (
            "exit codes: 0 ok, 1 a notebook failed, 2 bad input or params, 3 a date is locked by another run (--no-wait), "
            "70 internal error (--debug for the traceback), 74 disk full, 128+n stopped by signal n (129 SIGHUP, 130 Ctrl-C, 143 SIGTERM)"
        )


class BriefingsError(Exception):
    """Base class: anything the CLI reports as one line and exit code 2."""


class InputError(BriefingsError):
    """Bad input in a raw report or a parameters file."""

    def __init__(self, path: Path | str, line: int | None, expected: str, found: str | None = None):
        self.path = str(path)
        self.line = line
        self.expected = expected
        self.found = found
        super().__init__(str(self))

    def __reduce__(self):  # pickled whole (from a parsing worker process), not as its message
        return (type(self), (self.path, self.line, self.expected, self.found))

    def __str__(self) -> str:
        path = printable(self.path)
        where = path if self.line is None else f"{path}:{self.line}"
        msg = f"{where}: expected {printable(self.expected)}"
        if self.found is not None:
            msg += f", found {printable(repr(shorten(str(self.found))))}"
        return msg


# errno values of a write that found no room: the disk, the user's quota, the file size limit
NO_SPACE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


def is_no_space(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in NO_SPACE_ERRNOS


_ERRNO_TEXT_RE = re.compile(r"^\[Errno (\d+)\] ([^:]*)(?:: '(.*)')?$", re.S)


def no_space_from_text(ename: str, evalue: str) -> OSError | None:
    """The OSError an error reported as text names (``OSError``, ``[Errno 28] No space left on
    device: '/path'``: how a notebook cell's exception reaches the engine), when it is a full
    disk, quota or file size limit; else None."""
    m = _ERRNO_TEXT_RE.match((evalue or "").strip())
    if not m or not ename.endswith(("OSError", "IOError")):
        return None
    number = int(m.group(1))
    if number not in NO_SPACE_ERRNOS:
        return None
    return OSError(number, m.group(2).strip(), m.group(3)) if m.group(3) is not None else OSError(number, m.group(2).strip())


def message_line(exc: BaseException) -> str:
    """The one line the user sees for ``exc``: control characters escaped, never a newline."""
    return printable(" ".join(str(exc).split("\n")))


class ValidationError(BriefingsError):
    """A parsed table broke its schema: a parser bug or a report the parser misread."""
