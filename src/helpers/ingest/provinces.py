"""The 34 provinces: official codes from ``vietnam-provinces`` and a guarded name matcher.

Every spelling found in a report maps to exactly one official code or fails loudly with
file, line, what was found and the closest candidates. In order:

1. exact, on a normalised key (case, diacritics, tone placement, ``TP.``/``Thành phố``/
   ``Tỉnh`` prefixes and punctuation folded away): official names and :data:`ALIASES`;
2. the 63 pre-merger province names, read as the province they merged into (mapping from
   ``vietnamadminunits``), with a data-quality note;
3. OCR damage: constrained fuzzy matching (:mod:`helpers.ingest.fuzzy`) against all the
   names above, accepted only when good and unambiguous, with a data-quality note.

:func:`lookup` is exact only (step 1): parsers use it to ask "is this a province name?",
which must not be answered by a guess. :func:`province_code`, used where a province name is
required, goes through all three steps.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

from helpers.errors import InputError
from helpers.ingest.fuzzy import MIN_MARGIN, MIN_SCORE, Matcher, fold, skeleton


@dataclass(frozen=True)
class Province:
    code: int
    name: str  # official name, e.g. "Thành phố Hồ Chí Minh"
    short_name: str  # without the "Thành phố" prefix, e.g. "Hồ Chí Minh"
    wards: int  # number of communes/wards in the registry


_PREFIX_RE = re.compile(r"^(?:thanh pho|tp|tinh)(?:\s+|$)")  # a prefix alone folds to nothing
_NON_ALNUM_RE = re.compile(r"[^a-z0-9 ]+")
_SPACES_RE = re.compile(r"\s+")


@functools.lru_cache(maxsize=4096)  # reports repeat the same 34 names thousands of times
def name_key(name: str) -> str:
    """Fold a spelling to its matching key: ``'TP. Thanh Hoá'`` -> ``'thanh hoa'``."""
    text = unicodedata.normalize("NFKC", name)  # NFKC also splits the OCR 'ﬁ' ligature
    text = text.replace("Đ", "D").replace("đ", "d")
    text = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = text.replace(".", " ")
    text = _NON_ALNUM_RE.sub("", text)
    text = _SPACES_RE.sub(" ", text).strip()
    return _PREFIX_RE.sub("", text)


# True aliases: names the provinces are still called by that no folding of the official
# name gives. (Pre-merger names come from vietnamadminunits, see former_names().)
ALIASES: dict[str, int] = {
    "Thừa Thiên Huế": 46,  # the province's name before it became a centrally-run city
}


@lru_cache(maxsize=1)
def registry() -> tuple[Province, ...]:
    """The 34 provinces, ordered by official code."""
    from collections import Counter

    from vietnam_provinces import Province as VnProvince
    from vietnam_provinces import Ward

    wards = Counter(int(w.province_code) for w in Ward.iter_all())
    out = []
    for p in VnProvince.iter_all():
        code = int(p.code)
        short = re.sub(r"^(Thành phố|Tỉnh)\s+", "", p.name)
        out.append(Province(code=code, name=p.name, short_name=short, wards=wards[code]))
    return tuple(sorted(out, key=lambda p: p.code))


@lru_cache(maxsize=1)
def _key_index() -> dict[str, int]:
    index: dict[str, int] = {}
    for p in registry():
        for spelling in (p.name, p.short_name):
            index[name_key(spelling)] = p.code
    for spelling, code in ALIASES.items():
        if index.get(name_key(spelling), code) != code:
            raise RuntimeError(f"alias {spelling!r} collides with an official name")
        index[name_key(spelling)] = code
    return index


def by_code(code: int) -> Province:
    for p in registry():
        if p.code == code:
            return p
    raise KeyError(code)


def lookup(name: str) -> int | None:
    """Official code for a spelling, or None if the spelling is unknown."""
    return _key_index().get(name_key(name))


@lru_cache(maxsize=1)
def former_names() -> dict[str, int]:
    """The 63 provinces before 1/7/2025, ``{'Quảng Nam': 48, ...}``: each former name and the
    official code of the province it merged into. Read from vietnamadminunits' data files
    (its Python modules import geospatial libraries this needs none of)."""
    import json
    from importlib.metadata import distribution

    dist = distribution("vietnamadminunits")
    legacy = json.loads(dist.locate_file("vietnamadminunits/data/parser_legacy.json").read_text(encoding="utf-8"))["DICT_PROVINCE"]
    merged_into = json.loads(dist.locate_file("vietnamadminunits/data/converter_2025.json").read_text(encoding="utf-8"))["DICT_PROVINCE"]
    new_code = {_compact(p.name): p.code for p in registry()}
    out: dict[str, int] = {}
    for new_key, old_keys in merged_into.items():
        code = new_code[_compact(new_key)]
        for old_key in old_keys:
            out[legacy[old_key]["provinceShort"]] = code
    if len(out) != 63 or set(out.values()) != {p.code for p in registry()}:
        raise RuntimeError(f"vietnamadminunits maps {len(out)} former provinces onto {len(set(out.values()))} codes; expected 63 onto 34")
    return out


def _compact(name: str) -> str:
    """'Thành phố Hồ Chí Minh', 'Hồ Chí Minh' and 'thanhphohochiminh' -> 'hochiminh'."""
    return re.sub(r"^(?:thanhpho|tinh)", "", fold(name).replace(" ", ""))


@lru_cache(maxsize=1)
def _former_index() -> dict[str, tuple[str, int]]:
    current = _key_index()
    return {name_key(n): (n, c) for n, c in former_names().items() if name_key(n) not in current}


@lru_cache(maxsize=1)
def _matcher() -> Matcher:
    spellings = [(p.short_name, p.code) for p in registry()] + list(ALIASES.items()) + list(former_names().items())
    return Matcher((name_key(s), c) for s, c in spellings)


@dataclass(frozen=True)
class SpellingNote:
    """A province spelling read by step 2 or 3 of the matcher, for the data-quality table."""

    path: str
    line: int | None
    spelling: str
    code: int
    how: str  # "former_name" or "ocr_reading"
    detail: str


_notes: list[SpellingNote] | None = None


@contextmanager
def spelling_notes():
    """Collect the notes of the non-exact readings made inside the ``with`` block."""
    global _notes
    outer, _notes = _notes, []
    try:
        yield _notes
    finally:
        _notes = outer


def _note(note: SpellingNote) -> None:
    if _notes is not None:
        _notes.append(note)


# Pure (the registry is fixed for a run): each distinct spelling is matched once, however
# many reports and lists print it; the fuzzy comparison with every name is the costly part.
@lru_cache(maxsize=16384)
def read_province(name: str) -> tuple[int | None, str, str]:
    """(code or None, how, detail): how is 'exact', 'former_name', 'ocr_reading' or 'unknown'."""
    code = lookup(name)
    if code is not None:
        return code, "exact", ""
    former = _former_index().get(name_key(name))
    if former is not None:
        return former[1], "former_name", f"former province {former[0]}, merged into {by_code(former[1]).name} on 1/7/2025"
    reading = _matcher().read(_without_damaged_prefix(name_key(name)))
    if reading is None:
        return None, "unknown", "nothing to compare"
    if reading.accepted:
        return int(reading.value), "ocr_reading", f"read as {by_code(int(reading.value)).name} ({reading.describe()})"
    return None, "unknown", f"{reading.describe()}; a reading needs ≥{MIN_SCORE:.0f} and a lead of ≥{MIN_MARGIN:.0f}"


_PREFIX_SKELETONS = {skeleton(p) for p in ("thanh pho", "tinh")}


def _without_damaged_prefix(key: str) -> str:
    """'thanh ph6 ho chi minh' -> 'ho chi minh': a 'Thành phố'/'Tỉnh' prefix whose vowels
    the scan damaged (its consonants intact) is dropped like the clean one."""
    words = key.split()
    for n in (2, 1):
        if len(words) > n and skeleton(" ".join(words[:n])) in _PREFIX_SKELETONS:
            return " ".join(words[n:])
    return key


def province_code(name: str, *, path: object = "<input>", line: int | None = None) -> int:
    """Official code for a spelling (exact, former name or a guarded OCR reading); anything
    else raises an InputError naming file, line, the spelling and the closest candidates."""
    code, how, detail = read_province(name)
    if code is None:
        raise InputError(path, line, "one of the 34 province names", f"{name.strip()} ({detail})")
    if how != "exact":
        _note(SpellingNote(str(path), line, " ".join(name.split()), code, how, detail))
    return code


def provinces_table():
    """The ``provinces`` table: province_code, province_name, short_name, wards."""
    import pandas as pd

    return pd.DataFrame(
        [
            {"province_code": p.code, "province_name": p.name, "short_name": p.short_name, "wards": p.wards}
            for p in registry()
        ]
    )
