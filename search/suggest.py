"""Suggestions as you type, diacritics ignored: ``to l`` → Tô Lâm.

Entries come from person names, topic labels, headlines and the index's
frequent words and phrases, each with a weight (how many documents). Every
entry is keyed by its folded words, from each word for names and phrases
(``trong`` finds Nguyễn Phú Trọng) and from the first word for headlines;
the keys are sorted, so a typed prefix is a binary search. The words typed
before the last must be whole words; the last may be a prefix.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass

from index.analysis import words
from index.normalize import fold

__all__ = ["Suggestion", "SuggestIndex", "KINDS"]

KINDS = ("person", "topic", "title", "term")
# (bonus, weight of log frequency) per kind: people first, then topics; a
# frequent word is a good guess, but not better than a name.
_KIND = {"person": (3.0, 1.0), "topic": (2.5, 0.5), "title": (0.5, 0.0), "term": (1.0, 0.6)}
_AT_START = 2.0   # the typed words start the suggestion ("ng" → "Nguyễn ...")
_WHOLE_WORD = 1.0  # the last typed word is complete
_SCAN = 3000  # keys looked at per query, at most


@dataclass(frozen=True)
class Suggestion:
    text: str
    kind: str
    value: str
    weight: float

    def as_dict(self) -> dict:
        return {"text": self.text, "kind": self.kind, "value": self.value}


def _key(text: str) -> list[str]:
    return [fold(w) for w in words(text)]


class SuggestIndex:
    def __init__(self):
        self._entries: list[Suggestion] = []
        self._keys: list[tuple[str, int, int]] = []
        self._sorted = True

    def add(self, text: str, kind: str, value: str, weight: float, every_word: bool = True) -> None:
        folded = _key(text)
        if not folded:
            return
        i = len(self._entries)
        self._entries.append(Suggestion(text, kind, value, weight))
        starts = range(len(folded)) if every_word else range(1)
        for p in starts:
            self._keys.append((" ".join(folded[p:]), i, p))
        self._sorted = False

    def suggest(self, q: str, limit: int = 8, kinds=KINDS) -> list[Suggestion]:
        typed = _key(q)
        if not typed:
            return []
        if not self._sorted:
            self._keys.sort()
            self._sorted = True
        prefix = " ".join(typed)
        start = bisect.bisect_left(self._keys, (prefix, -1, -1))
        best: dict[int, float] = {}
        for key, i, position in self._keys[start:start + _SCAN]:
            if not key.startswith(prefix):
                break
            entry = self._entries[i]
            if entry.kind not in kinds:
                continue
            bonus, per_log = _KIND[entry.kind]
            score = bonus + per_log * math.log1p(entry.weight)
            if position == 0:
                score += _AT_START
            if key == prefix or key.startswith(prefix + " "):
                score += _WHOLE_WORD
            best[i] = max(best.get(i, score), score)
        ranked = sorted(best, key=lambda i: (-best[i], self._entries[i].text))
        out, seen = [], set()
        for i in ranked:
            entry = self._entries[i]
            marker = fold(entry.text)
            if marker in seen:  # "Hà Nội" as a phrase and as a term: once
                continue
            seen.add(marker)
            out.append(entry)
            if len(out) == limit:
                break
        return out
