"""Character- and word-level normalisation of Vietnamese and English text.

Three steps, each usable alone:

* :func:`repair` fixes a whole text: Unicode NFC (so NFD input indexes like
  NFC input) and the Latin Eth ``Ð``/``ð`` typed for ``Đ``/``đ``.
* :func:`canonical_tone` moves a Vietnamese tone mark to one canonical vowel,
  so old and new placements (``hoà``/``hòa``, ``thuỵ``/``thụy``) are equal.
  The canonical form puts the tone on the first vowel of an open ``oa``,
  ``oe`` or ``uy`` (``hòa``, ``thụy``), the more common style in the corpus.
* :func:`fold` removes diacritics from Latin letters, ``đ`` included
  (``Đà Nẵng`` → ``da nang``), and leaves other scripts alone.

Word-level functions are memoised: news vocabulary is small compared to the
number of tokens, so each distinct word is normalised once per process.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from unidecode import unidecode

__all__ = ["repair", "canonical_tone", "fold", "has_diacritics", "is_syllable"]

_ETH = str.maketrans({"\u00d0": "\u0110", "\u00f0": "\u0111"})

# Combining tone marks: grave (huyền), acute (sắc), tilde (ngã), hook above
# (hỏi), dot below (nặng). Circumflex, breve and horn are vowel letters, not
# tones, and stay where they are.
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
_QUALITY = frozenset("\u0302\u0306\u031b")
_VOWELS = frozenset("aăâeêioôơuưy")
_MARKED_VOWELS = frozenset("ăâêôơư")
_ONSETS = (
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
    "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x",
)
_CODAS = frozenset({"", "c", "ch", "m", "n", "ng", "nh", "p", "t"})
# The vowel nuclei Vietnamese spelling allows (circumflex, breve and horn
# folded away): "ay" and "uye" are, "ey" and "ea" are not.
_NUCLEI = frozenset("""
a e i o u y ai ao au ay eo eu ia ie iu oa oe oi oo ua ue ui uo uu uy ya ye
ieu yeu oai oay oeo uay uoi uou uya uye uyu
""".split())
_QUALITY_FOLD = str.maketrans("ăâêôơư", "aaeoou")
_OPEN_GLIDES = frozenset({"oa", "oe", "uy"})


def repair(text: str) -> str:
    """Return ``text`` in NFC with the Latin Eth mapped to Đ/đ."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if "\u00d0" in text or "\u00f0" in text:
        text = text.translate(_ETH)
    return text


def _split_syllable(lower: str) -> tuple[str, str, str] | None:
    """Split a toneless lowercase word into (onset, vowels, coda), or None."""
    onset = ""
    for cand in _ONSETS:
        if lower.startswith(cand):
            onset = cand
            break
    rest = lower[len(onset):]
    if onset in ("gi", "qu") and (not rest or rest[0] not in _VOWELS):
        # "gì", "gìn": the i is the vowel, not part of the onset.
        onset, rest = onset[0], lower[1:]
    i = 0
    while i < len(rest) and rest[i] in _VOWELS:
        i += 1
    vowels, coda = rest[:i], rest[i:]
    if not vowels or coda not in _CODAS or vowels.translate(_QUALITY_FOLD) not in _NUCLEI:
        return None
    return onset, vowels, coda


def _tone_index(vowels: str, coda: str) -> int:
    """Index in ``vowels`` of the vowel that carries the tone."""
    if "ươ" in vowels:
        return vowels.index("ươ") + 1
    marked = [i for i, ch in enumerate(vowels) if ch in _MARKED_VOWELS]
    if marked:
        return marked[-1]
    if len(vowels) == 1:
        return 0
    if coda:
        return len(vowels) - 1
    if len(vowels) == 3:
        return 1
    # Two vowels, open syllable: "mùa", "bảo", and the canonical "hòa", "thụy".
    return 0


def is_syllable(word: str) -> bool:
    """True if ``word`` (any case, any diacritics) has a Vietnamese syllable's shape."""
    return _syllable_shape(word.lower())


@lru_cache(maxsize=65536)
def _syllable_shape(lower: str) -> bool:
    base = "".join(
        ch for ch in unicodedata.normalize("NFD", lower) if ch not in _TONES
    )
    base = unicodedata.normalize("NFC", base).translate(_ETH)
    return _split_syllable(base) is not None


@lru_cache(maxsize=262144)
def canonical_tone(word: str) -> str:
    """Put the tone mark of a Vietnamese syllable on its canonical vowel.

    Case is preserved. Words that are not Vietnamese syllables, or carry no
    tone or more than one, are returned in NFC unchanged.
    """
    word = repair(word)
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFD", word)
    letters: list[str] = []
    tone = None
    for ch in decomposed:
        if ch in _TONES:
            if tone is not None or not letters:
                return word
            tone = ch
        elif ch in _QUALITY and letters:
            letters[-1] += ch
        else:
            letters.append(ch)
    if tone is None:
        return word
    letters = [unicodedata.normalize("NFC", ch) for ch in letters]
    lower = "".join(letters).lower()
    if len(lower) != len(letters):
        return word
    parts = _split_syllable(lower)
    if parts is None:
        return word
    onset, vowels, coda = parts
    target = len(onset) + _tone_index(vowels, coda)
    letters[target] = letters[target] + tone
    return unicodedata.normalize("NFC", "".join(letters))


def _is_latin(ch: str) -> bool:
    code = ord(ch)
    return 0x00C0 <= code <= 0x024F or 0x1E00 <= code <= 0x1EFF


@lru_cache(maxsize=262144)
def fold(word: str) -> str:
    """Remove diacritics from the Latin letters of ``word`` (lowercased)."""
    word = word.lower()
    if word.isascii():
        return word
    return "".join(
        unidecode(ch).lower() if _is_latin(ch) else ch for ch in repair(word)
    )


@lru_cache(maxsize=262144)
def has_diacritics(word: str) -> bool:
    """True if folding changes ``word``: it carries Latin diacritics or đ."""
    return not word.isascii() and fold(word) != word.lower()
