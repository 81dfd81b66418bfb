"""The strict province matcher (helpers.ingest.provinces): exact on a folded key, OCR spellings only by alias."""

from __future__ import annotations

import unicodedata

import pytest

from helpers.ingest import provinces
from helpers.errors import InputError
from helpers.ingest.provinces import ALIASES, lookup, name_key, province_code, registry

OFFICIAL_CODES = [1, 4, 8, 11, 12, 14, 15, 19, 20, 22, 24, 25, 31, 33, 37, 38, 40, 42, 44, 46, 48, 51, 52, 56, 66, 68, 75, 79, 80, 82, 86, 91, 92, 96]


def test_registry_has_the_34_provinces():
    assert [p.code for p in registry()] == OFFICIAL_CODES
    assert sum(p.wards for p in registry()) == 3321


@pytest.mark.parametrize(
    "spelling, code",
    [
        # prefixes 'TP.', 'TP', 'Thành phố', 'Tỉnh' (any case, with or without the dot and space)
        ("TP. Hồ Chí Minh", 79),
        ("TP Hồ Chí Minh", 79),
        ("TP.Hồ Chí Minh", 79),
        ("Thành phố Hồ Chí Minh", 79),
        ("thành phố Hồ Chí Minh", 79),
        ("Hồ Chí Minh", 79),
        ("TP. Hà Nội", 1),
        ("Thành phố Hải Phòng", 31),
        ("TP Đà Nẵng", 48),
        ("Tỉnh Cao Bằng", 4),
        ("tỉnh Cao Bằng", 4),
        ("Tỉnh Đắk Lắk", 66),
        # tone placement: old style 'oá'/'oà' and new style 'óa'/'òa'
        ("Thanh Hoá", 38),
        ("Thanh Hóa", 38),
        ("Tỉnh Thanh Hoá", 38),
        ("Khánh Hoà", 56),
        ("Khánh Hòa", 56),
        # Huế: the new city name, with prefixes, and the former province name
        ("Huế", 46),
        ("TP Huế", 46),
        ("TP. Huế", 46),
        ("Thành phố Huế", 46),
        ("Thừa Thiên Huế", 46),
        ("Tỉnh Thừa Thiên Huế", 46),
        ("Thừa Thiên - Huế", 46),
        # case, spacing, no diacritics
        ("  ĐÀ NẴNG ", 48),
        ("đà  nẵng", 48),
        ("Da Nang", 48),
        ("Dak Lak", 66),
        ("Ba Ria", None),  # a former province merged away: not mapped silently
    ],
)
def test_official_spellings(spelling, code):
    assert lookup(spelling) == code


@pytest.mark.parametrize("spelling", ["Thanh Hoá", "Khánh Hoà", "Thừa Thiên Huế", "Đắk Lắk"])
def test_decomposed_unicode_folds_like_composed(spelling):
    decomposed = unicodedata.normalize("NFD", spelling)
    assert decomposed != spelling
    assert lookup(decomposed) == lookup(spelling) is not None


def test_name_key_folds_prefix_case_tones_and_punctuation():
    assert name_key("TP. Thanh Hoá") == "thanh hoa"
    assert name_key("Thành phố Hồ Chí Minh") == name_key("Hồ Chí Minh") == "ho chi minh"
    assert name_key("Cao Bﬁng") == "cao bfing"  # NFKC splits the OCR ligature


@pytest.mark.parametrize(
    "spelling",
    [
        "Sài Gòn",  # an informal name, not in the registry
        "Cao Ba",  # as close to Cà Mau as to Cao Bằng
        "Ninh",  # a prefix of several names
        "Thành phố",  # a prefix alone
        "",
    ],
)
def test_unknown_names_raise_an_input_error_with_file_and_line(spelling):
    assert lookup(spelling) is None
    with pytest.raises(InputError) as info:
        province_code(spelling, path="data/raw/report.txt", line=42)
    err = info.value
    assert (err.path, err.line) == ("data/raw/report.txt", 42)
    assert str(err).startswith("data/raw/report.txt:42: expected one of the 34 province names, found ")
    assert spelling.strip() in str(err) and "\n" not in str(err)


def test_unknown_name_without_a_line_names_the_file_and_the_closest_candidates():
    with pytest.raises(InputError) as info:
        province_code("Atlantis", path="x.txt")
    message = str(info.value)
    assert message.startswith("x.txt: expected one of the 34 province names, found \"Atlantis (best 'gia lai'")
    assert "\n" not in message


def test_aliases_resolve_to_real_codes_and_collide_with_no_official_name():
    official = {name_key(n): p.code for p in registry() for n in (p.name, p.short_name)}
    codes = {p.code for p in registry()}
    for spelling, code in ALIASES.items():
        assert code in codes, spelling
        assert official.get(name_key(spelling), code) == code
        assert lookup(spelling) == code


def test_a_colliding_alias_is_refused(monkeypatch):
    monkeypatch.setitem(ALIASES, "Hà Nội", 4)  # 'Hà Nội' pointing at Cao Bằng
    provinces._key_index.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="collides"):
            provinces._key_index()
    finally:
        monkeypatch.undo()
        provinces._key_index.cache_clear()
    assert lookup("Hà Nội") == 1


@pytest.mark.parametrize(
    "ocr_spelling, code",
    [
        ("Pa Ning", 48),  # 27/6 line 121
        ("Ba Na:mg", 48),  # 27/6 line 28
        ("Cao Bé‘mg", 4),  # 27/6 line 28
        ("Pék Lik", 66),  # 27/6 line 39
        ("Ha N§1", 1),  # 27/6 line 371
        ("Pong Thap", 82),  # 27/6 line 172
        ("Quang Ngii", 51),  # 27/6 line 67
        ("Ngh¢ An", 40),  # 27/6 line 371
    ],
)
def test_ocr_spellings_are_read_by_the_guarded_matcher_never_by_the_exact_lookup(ocr_spelling, code):
    assert lookup(ocr_spelling) is None  # parsers asking "is this a province?" get no guess
    with provinces.spelling_notes() as notes:
        assert province_code(ocr_spelling, path="r.txt", line=7) == code
    assert [(n.code, n.how, n.line) for n in notes] == [(code, "ocr_reading", 7)]


def test_the_63_former_provinces_map_onto_the_34_with_a_note():
    former = provinces.former_names()
    assert len(former) == 63
    assert set(former.values()) == {p.code for p in registry()}
    # every former province that kept no name of its own is read as the one it merged into
    assert former["Quảng Nam"] == 48 and former["Bắc Giang"] == 24 and former["Bà Rịa - Vũng Tàu"] == 79
    with provinces.spelling_notes() as notes:
        assert province_code("Tỉnh Kon Tum") == 51
        assert province_code("Hà Nội") == 1  # exact: no note
    assert [(n.how, n.code) for n in notes] == [("former_name", 51)]
    assert "Kon Tum" in notes[0].detail
