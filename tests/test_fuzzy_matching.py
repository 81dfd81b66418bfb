"""The guarded fuzzy matcher (helpers.ingest.fuzzy): its thresholds, and the names that
are close when folded and must never be read as each other."""

from __future__ import annotations

import pytest

from helpers.ingest import fuzzy, provinces
from helpers.ingest.provinces import read_province


def test_thresholds_are_the_documented_ones():
    assert fuzzy.MIN_SCORE == 65.0
    assert fuzzy.MIN_MARGIN == 9.0


def test_skeleton_unifies_what_scans_damage_and_keeps_consonants():
    assert fuzzy.skeleton(fuzzy.fold("Pik Lik")) == fuzzy.skeleton(fuzzy.fold("Đắk Lắk")) == "d*k l*k"
    assert fuzzy.skeleton(fuzzy.fold("Ha N6i")) == fuzzy.skeleton(fuzzy.fold("Hà Nội"))
    assert fuzzy.skeleton("phu tho").startswith("ph")  # the digraph 'ph' is not a misread Đ
    assert fuzzy.skeleton(fuzzy.fold("Đắk Nông")) != fuzzy.skeleton(fuzzy.fold("Đà Nẵng"))


@pytest.mark.parametrize(
    "spelling",
    [
        "Ha Na",  # between Hà Nội and the former Hà Nam
        "Quang Ni",  # between Quảng Ninh and Quảng Ngãi
        "Cao Ba",  # between Cao Bằng and Cà Mau
        "Thành phố",  # a prefix alone
        "Binh",  # a fragment
        "Atlantis",
        "Ban Chỉ đạo",
    ],
)
def test_ambiguous_or_foreign_spellings_are_refused(spelling):
    code, how, detail = read_province(spelling)
    assert code is None and how == "unknown", (spelling, detail)


def test_a_refusal_names_the_best_candidates_and_the_thresholds():
    with pytest.raises(Exception) as info:
        provinces.province_code("Ha Na", path="r.txt", line=3)
    message = str(info.value)
    assert message.startswith("r.txt:3: expected one of the 34 province names")
    assert "'ha noi'" in message and "'ha nam'" in message


def test_close_names_read_as_themselves_when_damaged_in_the_vowels():
    # Pairs that differ in a consonant stay apart when only vowels are damaged.
    assert read_province("Quang Ngéi")[0] == 51  # Quảng Ngãi, not Quảng Ninh (22)
    assert read_province("Quang Nlnh")[0] == 22
    assert read_province("Léo Cai")[0] == 15  # Lào Cai, not Lai Châu (12)
    assert read_province("Lei Chéu")[0] == 12
    assert read_province("Pa Neng")[0] == 48  # Đà Nẵng
    assert read_province("Khénh Hoa")[0] == 56  # Khánh Hòa, not Thanh Hóa (38)
    assert read_province("Thanh Héa")[0] == 38


def test_a_former_name_damaged_by_ocr_is_read_as_the_province_it_merged_into():
    code, how, _ = read_province("Quang Nem")  # Quảng Nam -> Đà Nẵng
    assert (code, how) == (48, "ocr_reading")


def test_reading_margin_is_the_lead_over_another_value():
    matcher = fuzzy.Matcher([("alpha", 1), ("alpha beta", 1), ("gamma", 2)])
    reading = matcher.read("alpho")
    assert reading.value == 1 and reading.runner_up == "gamma"
    assert reading.margin == reading.score - reading.runner_up_score


def test_candidates_that_fold_together_must_agree():
    with pytest.raises(ValueError, match="folds to"):
        fuzzy.Matcher([("Hà Nội", 1), ("Ha Noi", 2)])
