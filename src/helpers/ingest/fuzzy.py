"""Constrained fuzzy matching of OCR-damaged Vietnamese text against a closed set of candidates.

Scans lose diacritics or replace them with look-alike glyphs (``Bắc`` -> ``Béc``, ``Nội`` ->
``N6i``), read ``Đ`` as ``P``/``B``/``D``, split ligatures and insert stray marks. Instead of
listing one file's damage, a spelling is compared with every candidate on two folded forms:

- the *key*: lower case, no diacritics, ``đ`` -> ``d``, punctuation dropped;
- the *skeleton*: the key with every run of vowels (and of digits, which OCR prints for
  vowels) reduced to one placeholder and a word-initial ``D``/``P``/``B`` (Đ's misreadings)
  unified, so ``Pik Lik`` and ``Đắk Lắk`` share ``dvk lvk``.

Scans damage vowels far more than consonants, so the score (0-100) is half the similarity
of the keys (rapidfuzz's normalised Indel similarity, digits read as the vowels they
resemble) and half a penalty per consonant edit between the skeletons (12.5 points per
edit, at most 4). A reading is accepted only when it is good (``MIN_SCORE``) **and**
unambiguous: the best candidate must lead the best candidate *with another value* by
``MIN_MARGIN``. Both numbers are tested (tests/test_fuzzy_matching.py), including names
that are close when folded (Quảng Ninh/Quảng Ngãi, Hà Nam/Hà Nội, Đà Nẵng/Đắk Nông) and
must never be confused.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Hashable, Iterable

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

# Below this a damaged spelling shares too little with any name to be read with confidence
# (the worst province spelling of the 27/6 extract, 'Pk Lék' for Đắk Lắk, scores 68).
MIN_SCORE = 65.0
# The best reading must lead the best reading of another value by this many points: one
# consonant edit between skeletons is worth 12.5, so a lead of 9 needs a consonant-level
# difference plus agreement of the plain spellings. (The narrowest lead in the 27/6 extract:
# 'Ba Na:mg' is Đà Nẵng by 9.7 over the former Hà Nam; 'Ha Na' is refused, 3 between Hà Nội
# and Hà Nam.)
MIN_MARGIN = 9.0
_EDIT_POINTS = 12.5
_MAX_EDITS = 4

_NON_ALNUM_RE = re.compile(r"[^a-z0-9 ]+")
_SPACES_RE = re.compile(r"\s+")
_VOWEL_RUN_RE = re.compile(r"[aeiouy0-9]+")
# Đ read as P, B, D or a pair of them ("DPa Ning"); not the digraph "ph" (Phú Thọ).
_INITIAL_D_RE = re.compile(r"\b(?:[dbp]{1,2}(?!h))")


@functools.lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Lower case, no diacritics, ``đ`` -> ``d``, NFKC (splits the ``ﬁ`` ligature), only
    letters, digits and single spaces: ``'Cao Bé‘mg'`` -> ``'cao bemg'``."""
    text = unicodedata.normalize("NFKC", text).replace("Đ", "D").replace("đ", "d")
    text = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = _NON_ALNUM_RE.sub("", text.replace(".", " "))  # stray marks inside words vanish
    return _SPACES_RE.sub(" ", text).strip()


@functools.lru_cache(maxsize=8192)
def skeleton(key: str) -> str:
    """The OCR-invariant form of a folded key: ``'pa ning'`` and ``'da nang'`` -> ``'dv nvng'``."""
    return _VOWEL_RUN_RE.sub("v", _INITIAL_D_RE.sub("d", key))


# OCR prints some vowels as digits that look like them ('Ha N6i', 'T4y Ninh', 'Ha N1').
_DIGIT_VOWELS = str.maketrans("013469", "oieaoo")


def score(a_key: str, b_key: str) -> float:
    """Similarity 0-100 of a (possibly damaged) folded key to a clean one."""
    plain = fuzz.ratio(a_key.translate(_DIGIT_VOWELS), b_key)
    edits = min(Levenshtein.distance(skeleton(a_key), skeleton(b_key)), _MAX_EDITS)
    return plain / 2 + 50 - edits * _EDIT_POINTS


@dataclass(frozen=True)
class Reading:
    """What a damaged spelling was read as."""

    value: Hashable  # the candidate's value (e.g. a province code)
    candidate: str  # the candidate spelling it matched best
    score: float
    runner_up: str | None  # best candidate with another value, for messages
    runner_up_score: float

    @property
    def margin(self) -> float:
        return self.score - self.runner_up_score

    @property
    def accepted(self) -> bool:
        return self.score >= MIN_SCORE and self.margin >= MIN_MARGIN

    def describe(self) -> str:
        second = f", next {self.runner_up!r} {self.runner_up_score:.0f}" if self.runner_up else ""
        return f"best {self.candidate!r} {self.score:.0f}{second}"


class Matcher:
    """A closed set of candidate spellings, each with the value it stands for."""

    def __init__(self, candidates: Iterable[tuple[str, Hashable]]):
        by_key: dict[str, Hashable] = {}
        for spelling, value in candidates:
            key = fold(spelling)
            if by_key.get(key, value) != value:
                raise ValueError(f"candidate {spelling!r} folds to {key!r}, which already stands for {by_key[key]!r}")
            by_key[key] = value
        self._keys = list(by_key)
        self._values = [by_key[k] for k in self._keys]
        self._skeletons = [skeleton(k) for k in self._keys]

    def read(self, text: str) -> Reading | None:
        """The best reading of ``text`` with its runner-up (None if there is nothing to compare)."""
        key = fold(text)
        if not key or not self._keys:
            return None
        plain = process.cdist([key.translate(_DIGIT_VOWELS)], self._keys, scorer=fuzz.ratio)[0]
        edits = process.cdist([skeleton(key)], self._skeletons, scorer=Levenshtein.distance)[0].clip(max=_MAX_EDITS)
        scores = plain / 2 + 50 - edits * _EDIT_POINTS
        order = scores.argsort()[::-1]
        best = int(order[0])
        runner = next((int(i) for i in order[1:] if self._values[int(i)] != self._values[best]), None)
        return Reading(
            value=self._values[best],
            candidate=self._keys[best],
            score=float(scores[best]),
            runner_up=None if runner is None else self._keys[runner],
            runner_up_score=0.0 if runner is None else float(scores[runner]),
        )


def phrase_matches(text: str, phrase: str, min_score: float = MIN_SCORE) -> bool:
    """Does a line read as a fixed phrase (a heading such as ``BÁO CÁO``) despite OCR damage?

    The line must be about as long as the phrase: a heading is a line of its own, so a
    longer line that merely contains it is not the heading."""
    return score(fold(text), fold(phrase)) >= min_score
