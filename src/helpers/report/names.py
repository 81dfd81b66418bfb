"""Province names as the leadership pages print them.

The registry (``vietnam-provinces``) gives the official name (``Thành phố Hồ Chí Minh``) and
the project derives a short name without the prefix (``Hồ Chí Minh``); parsers match on
those and they stay as they are in the tables. Pages print names the way Vietnamese
official writing does:

* short names: ``TP. Hồ Chí Minh``. The city is always written with its prefix (bare, the
  name is the person's); the other centrally-run cities (Hà Nội, Hải Phòng, Đà Nẵng, Cần
  Thơ, Huế) are habitually written bare in running text and stay so;
* full names (page headings, the tile map's hover titles): the official name with
  ``Thành phố`` shortened to ``TP.`` for every city (``TP. Hà Nội``, ``TP. Hồ Chí Minh``),
  ``Tỉnh …`` as it is;
* text a page prints from a source outside a quotation (a directive, an obstacle): the
  city's explicit forms (``thành phố Hồ Chí Minh``, ``TP Hồ Chí Minh``, ``TP.HCM``) become
  ``TP. Hồ Chí Minh``; a bare ``Hồ Chí Minh`` there is left alone, since it may be the person
  (``tư tưởng Hồ Chí Minh``). Quotations (``<q class="source">``) keep the source's spelling.

Sections, the tile map, the province pages and the index take names from here only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

CITY_PREFIX = "TP. "
# Registry short names printed with the city prefix (see the module docstring for why only one).
PREFIXED_SHORT_NAMES = frozenset({"Hồ Chí Minh"})

_FULL_CITY_RE = re.compile(r"^Thành phố\s+")
_CITY_IN_TEXT_RE = re.compile(r"\b(?:[Tt]hành phố|TP\.?)\s*(?:Hồ Chí Minh|HCM)\b")


def display_name(short_name: str) -> str:
    """``'Hồ Chí Minh'`` -> ``'TP. Hồ Chí Minh'``; every other short name unchanged."""
    return CITY_PREFIX + short_name if short_name in PREFIXED_SHORT_NAMES else short_name


def display_full_name(official_name: str) -> str:
    """``'Thành phố Hồ Chí Minh'`` -> ``'TP. Hồ Chí Minh'``, ``'Tỉnh Cao Bằng'`` unchanged."""
    return _FULL_CITY_RE.sub(CITY_PREFIX, official_name)


def display_text(text):
    """Source text printed outside a quotation, with the city's explicit forms as ``TP. Hồ Chí Minh``
    (anything but a string, e.g. a count in a text column, is returned as it is)."""
    return _CITY_IN_TEXT_RE.sub(CITY_PREFIX + "Hồ Chí Minh", text) if isinstance(text, str) else text


def display_names(short_names: Mapping[int, str]) -> dict[int, str]:
    """Code -> display name, from code -> registry short name (e.g. ``DateFacts.short_names``)."""
    return {code: display_name(name) for code, name in short_names.items()}


def display_full_names(full_names: Mapping[int, str]) -> dict[int, str]:
    return {code: display_full_name(name) for code, name in full_names.items()}


def name_of(f, code: int) -> str:
    """The display name of a province of a :class:`~helpers.analysis.facts.DateFacts`."""
    return display_name(f.short(code))


def name_getter(f):
    """``code -> display name`` for ``f``, as a function (for ``Series.map`` and helpers that take one)."""
    return lambda code: name_of(f, code)
