"""Constrained fuzzy matching of OCR-damaged Vietnamese text against a closed set of candidates.

Scans lose diacritics or replace them with look-alike glyphs (``Bắc`` -> ``Béc``, ``Nội`` ->
``N6i``), read ``Đ`` as ``P``/``B``/``D``, split ligatures and insert stray marks. Instead of
listing one file's damage, a spelling is compared with every candidate on two folded forms:

- the *key*: lower case, no diacritics, ``đ`` -> ``d``, punctuation dropped;
- the *skeleton*: the key with every run of vowels (and of digits, which OCR prints for
  vowels) reduced to one placeholder and a word-initial ``D``/``P``/``B`` (Đ's misreadings)
  unified, so ``Pik Lik`` and ``Đắk Lắk`` share ``d*k l*k``.

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
_VOWEL = "*"  # the skeleton's placeholder for a run of vowels (not a letter: 'v' is a consonant)
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
    """The OCR-invariant form of a folded key: ``'pa ning'`` and ``'da nang'`` -> ``'d* n*ng'``."""
    return _VOWEL_RUN_RE.sub(_VOWEL, _INITIAL_D_RE.sub("d", key))


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


# A line reads as a fixed phrase (a heading, a label) from this score, the mean of the plain
# and the skeleton similarity (relative, unlike score(): a long label survives a stray
# consonant or two, a short heading only vowel damage).
PHRASE_MIN_SCORE = 80.0


def phrase_score(key: str, phrase: str) -> float:
    return (fuzz.ratio(key.translate(_DIGIT_VOWELS), phrase) + fuzz.ratio(skeleton(key), skeleton(phrase))) / 2


class FixedPhrase:
    """A heading or label that fills a line of its own (``BÁO CÁO``, ``A. Thông tin chung``),
    recognised despite OCR damage. ``match(line)`` is true when the whole line (folded, final
    ``.``/``:`` ignored) scores at least ``PHRASE_MIN_SCORE`` against one of the spellings.
    A longer line that merely contains the phrase is not the heading."""

    def __init__(self, *spellings: str):
        self.keys = tuple(fold(s) for s in spellings)

    def match(self, line: str) -> bool:
        key = fold(line)
        for phrase in self.keys:
            if abs(len(key) - len(phrase)) <= max(3, len(phrase) // 4) and phrase_score(key, phrase) >= PHRASE_MIN_SCORE:
                return True
        return False


_WORD_RE = re.compile(r"[a-z0-9]+")
# A word is mended only when the plain spellings also agree this much and lead the next
# candidate by this much: the skeleton says where the consonants are, the plain spelling
# which vowels were meant.
WORD_MIN_RATIO = 50.0
WORD_MIN_LEAD = 10.0


# Consonant glyphs a scan makes of a vowel with marks ('lúc' -> 'ltc', 'tỉnh' -> 'tlnh').
_VOWEL_MISREADS = frozenset("ltfr")


def _vowel_misread(damaged: str, clean: str) -> bool:
    """Do two skeletons differ by exactly one vowel read as a consonant glyph?"""
    ops = Levenshtein.editops(clean, damaged)
    return len(ops) == 1 and ops[0].tag == "replace" and clean[ops[0].src_pos] == _VOWEL and damaged[ops[0].dest_pos] in _VOWEL_MISREADS


class Vocabulary:
    """The fixed words of a report's structure (headings, labels, key phrases), used to mend
    OCR damage word by word in folded text before structure is matched.

    A folded word is replaced by a vocabulary word only when it is not a vocabulary word
    itself, its skeleton equals the vocabulary word's (vowels damaged, consonants intact;
    words of four letters or more may differ by one consonant), the plain spellings agree
    (``WORD_MIN_RATIO``) and no other vocabulary word comes within ``WORD_MIN_LEAD``. Words
    that start with a digit (times, dates, counts) are never touched.
    """

    def __init__(self, phrases: Iterable[str]):
        self.words = frozenset(w for phrase in phrases for w in _WORD_RE.findall(fold(phrase)))
        self._by_skeleton: dict[str, list[str]] = {}
        for word in self.words:
            self._by_skeleton.setdefault(skeleton(word), []).append(word)
        self._cache: dict[str, str] = {}

    def mend_word(self, word: str) -> str:
        cached = self._cache.get(word)
        if cached is None:
            cached = self._cache[word] = self._mend(word)
        return cached

    def _mend(self, word: str) -> str:
        if word in self.words or word[0].isdigit():  # numbers, times (12h00), dates
            return word
        skel = skeleton(word)
        candidates = list(self._by_skeleton.get(skel, ()))
        if len(word) >= 4:
            candidates += [w for s, ws in self._by_skeleton.items() if _vowel_misread(skel, s) for w in ws]
        if not candidates:
            return word
        plain = word.translate(_DIGIT_VOWELS)
        ranked = sorted(((fuzz.ratio(plain, c), c) for c in candidates), reverse=True)
        best_ratio, best = ranked[0]
        lead = best_ratio - (ranked[1][0] if len(ranked) > 1 else 0.0)
        return best if best_ratio >= WORD_MIN_RATIO and lead >= WORD_MIN_LEAD else word

    def mend(self, folded: str) -> str:
        """A folded line with each damaged vocabulary word mended (punctuation kept)."""
        return _WORD_RE.sub(lambda m: self.mend_word(m.group(0)), folded)
