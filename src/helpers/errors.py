"""Errors the user sees as one line: which file, which line, what was expected."""

from __future__ import annotations

from pathlib import Path


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
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        msg = f"{where}: expected {self.expected}"
        if self.found is not None:
            found = self.found if len(self.found) <= 80 else self.found[:77] + "..."
            msg += f", found {found!r}"
        return msg


class ValidationError(BriefingsError):
    """A parsed table broke its schema: a parser bug or a report the parser misread."""
