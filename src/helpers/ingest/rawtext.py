"""Reading a raw report: bytes -> checked text with line numbers.

Only parsers use this module; nothing else reads ``data/raw``.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from helpers.errors import InputError

# A report line longer than this is not text a ministry wrote: refuse it rather
# than feed regexes megabytes of junk.
MAX_LINE_CHARS = 20_000


@dataclass(frozen=True)
class RawReport:
    """One raw report's text, NFC-normalised, split into lines (1-based numbers)."""

    path: Path
    text: str
    sha256: str
    lines: tuple[str, ...] = field(repr=False)

    @property
    def name(self) -> str:
        return self.path.name

    def error(self, line: int | None, expected: str, found: str | None = None) -> InputError:
        return InputError(self.path, line, expected, found)

    def line_of_offset(self, offset: int) -> int:
        """1-based line number of a character offset in :attr:`text`."""
        return self.text.count("\n", 0, offset) + 1

    def find_line(self, needle: str, start: int = 1) -> int | None:
        """First 1-based line number at or after ``start`` containing ``needle``."""
        for number in range(start, len(self.lines) + 1):
            if needle in self.lines[number - 1]:
                return number
        return None


def read_raw_report(path: Path | str) -> RawReport:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, None, "a readable file", exc.strerror) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(path, 1, "UTF-8 text", "UTF-16 text (byte-order mark); re-save the file as UTF-8")
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise InputError(path, line, "UTF-8 text", "binary data (NUL byte)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        if exc.end == len(data) and exc.reason == "unexpected end of data":
            raise InputError(path, line, "UTF-8 text", "a file that ends inside a character (truncated?)") from None
        raise InputError(path, line, "UTF-8 text", f"byte 0x{data[exc.start]:02x} that is not UTF-8 (another encoding?)") from None
    if not text.strip():
        raise InputError(path, 1, "a text report", "an empty file")
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = tuple(text.split("\n"))
    for number, line in enumerate(lines, start=1):
        if len(line) > MAX_LINE_CHARS:
            raise InputError(path, number, f"lines of at most {MAX_LINE_CHARS:,} characters", f"{len(line):,} characters")
    return RawReport(path=path, text=text, sha256=hashlib.sha256(data).hexdigest(), lines=lines)
