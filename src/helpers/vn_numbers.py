"""Vietnamese number formats: parsing what the reports print, formatting what we print.

The reports write ``3.321`` for three thousand three hundred and twenty-one and
``34,50%`` for 34.5 percent. Formatting uses babel's ``vi`` locale so the briefing
prints the same way.
"""

from __future__ import annotations

import math
import re

from babel.numbers import format_decimal

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


def fmt_int(value: float | int | None) -> str:
    """18072849 -> ``'18.072.849'``; missing -> an em dash."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return format_decimal(int(round(value)), locale="vi")


def fmt_num(value: float | None, digits: int = 2) -> str:
    """34.5 -> ``'34,50'`` with a fixed number of decimals."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale="vi")


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
