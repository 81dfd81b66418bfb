"""Vietnamese number and date formats for what we print (babel's ``vi`` locale): ``3.321``,
``34,50%``, ``22/9/2025``. Parsing what the reports print is :mod:`helpers.ingest.numbers`.
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


def signed(value: float, digits: int = 1, unit: str = " điểm %") -> str:
    """A change with its sign: '+3,2 điểm %', '−1,0 điểm %' (the minus sign), '0 điểm %'."""
    if round(value, digits) == 0:
        return f"0{unit}"
    return ("+" if value > 0 else MINUS) + fmt_num(abs(value), digits) + unit


# ---------------------------------------------------------------- dates, the reports' own style


def vn_date(iso: str | None) -> str:
    """'2025-09-22' -> '22/9/2025'."""
    if not iso:
        return "không ghi ngày"
    year, month, day = iso[:10].split("-")
    return f"{int(day)}/{int(month)}/{year}"


def vn_day_month(iso: str) -> str:
    """'2025-09-21' -> '21/9' (column heads and periods within one year)."""
    return vn_date(iso).rsplit("/", 1)[0]


def vn_datetime(iso: str | None) -> str:
    """'2025-09-22T16:00' -> '16:00 ngày 22/9/2025'; a plain date -> '22/9/2025'."""
    if not iso:
        return "không ghi"
    if "T" in iso:
        day, time = iso.split("T", 1)
        return f"{time} ngày {vn_date(day)}"
    return vn_date(iso)


def vn_month(iso: str) -> int:
    """'2025-06-30' -> 6 (section titles name the month of the reports they cover)."""
    return int(iso[5:7])
