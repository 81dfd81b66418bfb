"""Vietnamese numbers as the reports print them: ``3.321`` is three thousand three
hundred and twenty-one, ``34,50%`` is 34.5 percent. Formatting for the briefing is
in :mod:`helpers.report.formats`."""

from __future__ import annotations

import functools
import re

_INT_RE = re.compile(r"^-?\d{1,3}(?:\.\d{3})+$|^-?\d+$")
_PCT_RE = re.compile(r"^([+-]?\d+(?:[.,]\d+)?)\s*%$")


# Reports print the same few thousand numbers again and again (a day's report hundreds of
# times, a history of them 100 times over): each distinct token is read once.
@functools.lru_cache(maxsize=16384)
def parse_vn_int(token: str) -> int:
    """``'3.321'`` -> 3321, ``'18.072.849'`` -> 18072849, ``'56'`` -> 56.

    Raises ``ValueError`` for anything else (callers turn it into an InputError
    that names the file and line).
    """
    token = token.strip()
    if not _INT_RE.match(token):
        raise ValueError(f"not a Vietnamese integer: {token!r}")
    return int(token.replace(".", ""))


@functools.lru_cache(maxsize=16384)
def parse_vn_pct(token: str) -> float:
    """``'34,50%'`` -> 34.5, ``'100%'`` -> 100.0, ``'-1,09%'`` -> -1.09."""
    match = _PCT_RE.match(token.strip())
    if not match:
        raise ValueError(f"not a Vietnamese percentage: {token!r}")
    return float(match.group(1).replace(",", "."))
