"""Vietnamese number formats for what we print (babel's ``vi`` locale): ``3.321``,
``34,50%``. Parsing what the reports print is :mod:`helpers.ingest.numbers`.
"""

from __future__ import annotations

import math
from functools import lru_cache

from babel import Locale
from babel.numbers import parse_pattern

MINUS = "\u2212"  # the minus sign, not babel's hyphen-minus


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
    return _format(int, number, None).replace("-", MINUS)


def fmt_num(value: float | None, digits: int = 2) -> str:
    """34.5 -> ``'34,50'`` with a fixed number of decimals; -2.5 -> ``'−2,50'`` (minus sign)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return _format(type(value), value, digits).replace("-", MINUS)


def fmt_pct(value: float | None, digits: int = 2) -> str:
    """34.5 -> ``'34,50%'`` (the value is already a percentage 0–100)."""
    text = fmt_num(value, digits)
    return text if text == "—" else text + "%"
