"""The 34 provinces: official codes from ``vietnam-provinces`` and a strict name matcher.

Every spelling found in a report must map to exactly one official code or fail
loudly. Matching is exact on a normalised key (case, diacritics, tone placement,
``TP.``/``Thành phố``/``Tỉnh`` prefixes and punctuation folded away), never fuzzy:
an OCR-damaged spelling is accepted only if it is listed in ``OCR_ALIASES`` below,
where each entry was read off the 27/6 extract by a person.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from helpers.errors import InputError


@dataclass(frozen=True)
class Province:
    code: int
    name: str  # official name, e.g. "Thành phố Hồ Chí Minh"
    short_name: str  # without the "Thành phố" prefix, e.g. "Hồ Chí Minh"
    wards: int  # number of communes/wards in the registry


_PREFIX_RE = re.compile(r"^(?:thanh pho|tp|tinh)\s+")
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


# Spellings that are not the official name under any folding. Keys are name_key()
# of the spelling as it occurs; values are official codes. Each OCR entry was read
# against the report's context (the same list reads correctly in the 30/6 report).
OCR_ALIASES: dict[str, int] = {
    # former name of the merged city
    "thua thien hue": 46,
    # OCR damage in the 27/6 extract (daily_readiness_2025-06-27_ocr.txt)
    "pa ning": 48,  # Đà Nẵng
    "pa nang": 48,
    "ba namg": 48,
    "pik lik": 66,  # Đắk Lắk
    "pek lik": 66,
    "cao bemg": 4,  # Cao Bằng
    "cao bfing": 4,
    "ha n1": 1,  # Hà Nội ("Ha N§1")
    "ha no6i": 1,
    "ho6 chi minh": 79,
    # More OCR damage in the 27/6 extract, each read in context (line numbers of that file;
    # the same task lists read correctly in the 30/6 report or name the same places).
    "bic ninh": 24,  # Bắc Ninh: 'Bic Ninh' (l.39, 83, 254, many more)
    "bec ninh": 24,  # Bắc Ninh: 'Béc Ninh' (l.119, 523)
    "cao betng": 4,  # Cao Bằng: 'Cao Bé”tng' (l.40)
    "cao bing": 4,  # Cao Bằng: 'Cao Bing' (l.155)
    "cao beng": 4,  # Cao Bằng: 'Cao Béng' (l.170, 288, 372, 490)
    "pha tho": 25,  # Phú Thọ: 'Pha Tho' (l.62, 480, 725; l.725 is the 30/6 text of Phú Thọ)
    "pht tho": 25,  # Phú Thọ: 'Pht Tho' (l.89, 625)
    "phi tho": 25,  # Phú Thọ: 'Phi Tho' (l.470)
    "quang ngii": 51,  # Quảng Ngãi: 'Quang Ngii' (l.67, 92, 266, many more)
    "quang ngei": 51,  # Quảng Ngãi: 'Quang Ngéi' (l.696)
    "dpa ning": 48,  # Đà Nẵng: 'DPa Ning' (l.98, 707, 717; texts about former Quảng Nam)
    "pa neng": 48,  # Đà Nẵng: 'Pa Néng' (l.161, 171, 733)
    "ba nfing": 48,  # Đà Nẵng: 'ba Nﬁng' (l.237; the 'ﬁ' ligature folds to 'fi')
    "pa nlng": 48,  # Đà Nẵng: 'Pa N?lng' (l.310)
    "da ning": 48,  # Đà Nẵng: 'Da Ning' (l.644, about the communes of former Quảng Nam)
    "leao cai": 15,  # Lào Cai: 'Léao Cai' (l.137)
    "dpik lik": 66,  # Đắk Lắk: 'DPik Lik' (l.171)
    "pk lek": 66,  # Đắk Lắk: 'Pk Lék' (l.200-201, wrapped over two lines)
    "pak lik": 66,  # Đắk Lắk: 'Pak Lik' (l.236)
    "dk lik": 66,  # Đắk Lắk: 'Dk Lik' (l.288)
    "dik lek": 66,  # Đắk Lắk: 'Dik Lék' (l.372)
    "dik lak": 66,  # Đắk Lắk: 'Dik Lak' (l.828; same proposal as Đắk Lắk's in the 30/6 report)
    "thanh hea": 38,  # Thanh Hóa: 'Thanh Héa' (l.171)
    "t4y ninh": 80,  # Tây Ninh: 'T4y Ninh' (l.171)
    "pong thap": 82,  # Đồng Tháp: 'Pong Thap' (l.172, 289, 554, 613)
    "deng thap": 82,  # Đồng Tháp: 'Déng Thap' (l.201, 310)
    "pong nai": 75,  # Đồng Nai: 'Pong Nai' (l.403-404, wrapped)
    "deng nai": 75,  # Đồng Nai: 'Déng Nai' (l.201, 553)
    "lam pong": 68,  # Lâm Đồng: 'Lam Pong' (l.403)
    "lam deng": 68,  # Lâm Đồng: 'Lam Déng' (l.553)
    "ha nei": 1,  # Hà Nội: 'Ha Néi' (l.236)
    "ha n61": 1,  # Hà Nội: 'Ha N61' (l.463)
    "ha n6i": 1,  # Hà Nội: 'Ha N6i' (l.551)
    "ha no61i": 1,  # Hà Nội: 'Ha No61i' (l.560; the text is about 'Thành phố' and its SSO)
    "hei phong": 31,  # Hải Phòng: 'Héi Phong' (l.362)
    "ngh an": 40,  # Nghệ An: 'Ngh¢ An' (l.371-372; '¢' is dropped by the folding)
    "pien bien": 11,  # Điện Biên: 'Pién Bién' (l.507)
    "din bien": 11,  # Điện Biên: 'Di¢n Bién' (l.600; '¢' is dropped by the folding)
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
    for key, code in OCR_ALIASES.items():
        if index.get(key, code) != code:
            raise RuntimeError(f"OCR alias {key!r} collides with an official name")
        index[key] = code
    return index


def by_code(code: int) -> Province:
    for p in registry():
        if p.code == code:
            return p
    raise KeyError(code)


def lookup(name: str) -> int | None:
    """Official code for a spelling, or None if the spelling is unknown."""
    return _key_index().get(name_key(name))


def province_code(name: str, *, path: object = "<input>", line: int | None = None) -> int:
    """Official code for a spelling; unknown spellings raise an InputError naming file and line."""
    code = lookup(name)
    if code is None:
        raise InputError(path, line, "one of the 34 province names", name.strip())
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
