"""Errors the user sees as one line: which file, which line, what was expected."""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    """Every exit status of ``briefings`` (documented in the README and ``--help``)."""

    OK = 0
    NOTEBOOK_FAILED = 1  # a notebook cell failed; the last good briefing stays
    BAD_INPUT = 2  # bad input: a raw report, params, a processed table, a command-line value
    LOCKED = 3  # another run holds a date (--no-wait)
    INTERNAL = 70  # a bug (EX_SOFTWARE); --debug shows the traceback
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)

    @classmethod
    def help_text(cls) -> str:
        return "exit codes: 0 ok, 1 a notebook failed, 2 bad input or params, 3 a date is locked by another run (--no-wait), 70 internal error (--debug for the traceback), 130 interrupted"


def printable(text: str) -> str:
    """``text`` with control characters escaped (``\\n``, ``\\x1b``), so a file name or a
    value can never split the one-line message or drive the terminal."""
    return "".join(ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode("ascii") for ch in str(text))


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
        msg = f"{where}: expected {self.expected}"
        if self.found is not None:
            found = self.found if len(self.found) <= 80 else self.found[:77] + "..."  # repr escapes it
            msg += f", found {found!r}"
        return msg


class ValidationError(BriefingsError):
    """A parsed table broke its schema: a parser bug or a report the parser misread."""
