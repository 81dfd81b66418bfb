"""Damage a clean report the way scans do, reproducibly from a seed.

What the 27/6 OCR extract shows, each applied per occurrence with a probability that
grows with ``level`` (0 = untouched, 1 = the heaviest damage tested):

- diacritics dropped (``Hà Nội`` -> ``Ha Noi``) or swapped for look-alike glyphs
  (``ắ`` -> ``é``, ``ộ`` -> ``6``, ``â`` -> ``4``, ``ă`` -> ``i``);
- ``Đ`` read as ``P``, ``B`` or ``D`` (and ``đ`` as ``d``);
- the ``fi``/``fl`` ligatures; bullets ``•`` printed as ``«``, ``*``, ``»`` or ``e``;
- stray marks inside words (``‘``, ``’``, ``:``, ``~``, ``§``);
- broken line wraps: a long prose line split in two at a space.

Digits, and the punctuation around them, are never touched: a scan that changes a number
cannot be told from a report that printed another number, which is the property tested.
"""

from __future__ import annotations

import random
import re
import unicodedata

_LOOKALIKES = {
    "a": "a4é", "ă": "ié", "â": "4éa", "e": "é", "ê": "é¢e", "i": "il", "o": "6eé", "ô": "6eé", "ơ": "6e", "u": "iưt", "ư": "wu", "y": "y",
}  # fmt: skip
_STRAY = "‘’:~§"
_BULLETS = ["«", "*", "»", "e"]
_WORD_RE = re.compile(r"[^\W\d_]{3,}")


def _base_and_marks(ch: str) -> tuple[str, str]:
    decomposed = unicodedata.normalize("NFD", ch)
    return decomposed[0], decomposed[1:]


def _damage_letter(ch: str, rng: random.Random, level: float) -> str:
    if ch in "Đđ":
        if rng.random() < level:
            return rng.choice("PBD") if ch == "Đ" else "d"
        return ch
    base, marks = _base_and_marks(ch)
    if not marks:
        return ch
    roll = rng.random()
    if roll < level * 0.6:  # dropped
        return base
    if roll < level:  # a look-alike of the letter with its breve/circumflex/horn
        plain = unicodedata.normalize("NFC", base + "".join(m for m in marks if m in "\u0306\u0302\u031b")).lower()
        glyph = rng.choice(_LOOKALIKES.get(plain, base))
        return glyph.upper() if ch.isupper() else glyph
    return ch


def _damage_line(line: str, rng: random.Random, level: float) -> list[str]:
    stripped = line.lstrip()
    if stripped.startswith("•") and rng.random() < level:
        line = line.replace("•", rng.choice(_BULLETS), 1)
    out = "".join(_damage_letter(ch, rng, level) for ch in line)
    if rng.random() < level:
        out = out.replace("fi", "ﬁ").replace("fl", "ﬂ")

    def stray(m: re.Match) -> str:
        word = m.group(0)
        if rng.random() >= level * 0.05:
            return word
        cut = rng.randrange(1, len(word))
        return word[:cut] + rng.choice(_STRAY) + word[cut:]

    out = _WORD_RE.sub(stray, out)
    if len(out) > 60 and rng.random() < level * 0.05:
        spaces = [i for i, c in enumerate(out) if c == " " and 20 < i < len(out) - 20]
        if spaces:
            cut = rng.choice(spaces)
            return [out[:cut], out[cut + 1 :]]
    return [out]


def damage(text: str, seed: int, level: float) -> str:
    """``text`` damaged at ``level`` (0-1) with the random choices of ``seed``."""
    rng = random.Random(seed)
    lines: list[str] = []
    for line in text.split("\n"):
        lines.extend(_damage_line(line, rng, level))
    return "\n".join(lines)
