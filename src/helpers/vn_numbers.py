"""Vietnamese number formats: parsing what the reports print, formatting what we print.

The reports write ``3.321`` for three thousand three hundred and twenty-one and
``34,50%`` for 34.5 percent. Formatting uses babel's ``vi`` locale so the briefing
prints the same way.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from babel import Locale
from babel.numbers import parse_pattern

_INT_RE = re.compile(r"^-?\d{1,3}(?:\.\d{3})+$|^-?\d+$")
_PCT_RE = re.compile(r"^([+-]?\d+(?:[.,]\d+)?)\s*%$")


def parse_vn_int(token: str) -> int:
    """``'3.321'`` -> 3321, ``'18.072.849'`` -> 18072849, ``'56'`` -> 56.

    Raises ``ValueError`` for anything else (callers turn it into an InputError
    that names the file and line).
    """
    token = token.strip()
    if not _INT_RE.match(token):
        raise ValueError(f"not a Vietnamese integer: {token!r}")
    return int(token.replace(".", ""))


def parse_vn_pct(token: str) -> float:
    """``'34,50%'`` -> 34.5, ``'100%'`` -> 100.0, ``'-1,09%'`` -> -1.09."""
    match = _PCT_RE.match(token.strip())
    if not match:
        raise ValueError(f"not a Vietnamese percentage: {token!r}")
    return float(match.group(1).replace(",", "."))


def is_vn_int(token: str) -> bool:
    return bool(_INT_RE.match(token.strip()))


def is_vn_pct(token: str) -> bool:
    return bool(_PCT_RE.match(token.strip()))


@lru_cache(maxsize=None)
def _vi() -> Locale:
    return Locale.parse("vi")


@lru_cache(maxsize=None)
def _pattern(digits: int | None):
    """babel's pattern: the locale's decimal format (None) or ``#,##0.00...``."""
    if digits is None:
        return parse_pattern(_vi().decimal_formats[None])
    return parse_pattern("#,##0" + ("." + "0" * digits if digits else ""))


@lru_cache(maxsize=65536)
def _format(kind: type, value, digits: int | None) -> str:
    # what babel.numbers.format_decimal(value, format=..., locale="vi") does, without
    # parsing the locale and the pattern again for each of the thousands of numbers of
    # a briefing; cached by (type, value) since the same numbers come back (100, 0, ...)
    return _pattern(digits).apply(value, _vi())


def fmt_int(value: float | int | None) -> str:
    """18072849 -> ``'18.072.849'``; missing -> an em dash."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    number = int(round(value))
    return _format(int, number, None)


def fmt_num(value: float | None, digits: int = 2) -> str:
    """34.5 -> ``'34,50'`` with a fixed number of decimals."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return _format(type(value), value, digits)


def fmt_pct(value: float | None, digits: int = 2) -> str:
    """34.5 -> ``'34,50%'`` (the value is already a percentage 0–100)."""
    text = fmt_num(value, digits)
    return text if text == "—" else text + "%"


def fmt_signed_pct_points(value: float | None, digits: int = 2) -> str:
    """1.04 -> ``'+1,04 điểm %'``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    sign = "+" if value > 0 else ""
    return f"{sign}{fmt_num(value, digits)} điểm %"
