"""Did you mean: corrections drawn from the index's own vocabulary.

A query word the index does not know is replaced by the most frequent known
word within one edit (two for words of six letters or more), the way
Norvig's corrector does it, over folded words. A word typed with diacritics
is corrected to a word with diacritics, and in a Vietnamese query (every
word a Vietnamese syllable) a Vietnamese word is corrected to a Vietnamese
word: ``nguyen phu trog`` → ``nguyen phu trong``.
"""

from __future__ import annotations

import regex

from index.analysis import words
from index.normalize import fold, has_diacritics, is_syllable, repair
from index.vocabulary import Vocabulary

__all__ = ["Speller"]

_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _edits1(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    transposes = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + c + b[1:] for a, b in splits if b for c in _LETTERS]
    inserts = [a + c + b for a, b in splits for c in _LETTERS]
    return set(deletes + transposes + replaces + inserts)


class Speller:
    def __init__(self, vocabulary: Vocabulary):
        self.words = vocabulary.words
        # the most frequent spelling with diacritics of each folded word
        self.marked: dict[str, str] = {}
        best: dict[str, int] = {}
        for word, n in vocabulary.exact.items():
            key = fold(word)
            if n > best.get(key, 0):
                best[key], self.marked[key] = n, word

    def known(self, word: str) -> bool:
        return fold(word) in self.words

    def correct_word(self, word: str, vietnamese: bool) -> str | None:
        """A better-known word for ``word``, or None if it is fine (or hopeless)."""
        folded = fold(word)
        if not folded.isalpha() or len(folded) < 3 or folded in self.words:
            return None
        candidates = [w for w in _edits1(folded) if w in self.words]
        if not candidates and len(folded) >= 6:
            candidates = [w2 for w1 in _edits1(folded) for w2 in _edits1(w1) if w2 in self.words]
        if vietnamese:
            candidates = [w for w in candidates if is_syllable(w)]
        if not candidates:
            return None
        best = max(candidates, key=lambda w: (self.words[w], w))
        if has_diacritics(word):
            return self.marked.get(best, best)
        return best

    def correct(self, query: str) -> str | None:
        """The query with unknown words corrected, or None if none was."""
        text = repair(query)
        ws = words(text)
        vietnamese = bool(ws) and (any(has_diacritics(w) for w in ws) or all(is_syllable(w) for w in ws))
        changed = False
        for w in ws:
            fixed = self.correct_word(w, vietnamese)
            if fixed is not None:
                if w[:1].isupper():
                    fixed = fixed[:1].upper() + fixed[1:]
                text = regex.sub(rf"(?<!\w){regex.escape(w)}(?!\w)", lambda _, f=fixed: f, text, count=1)
                changed = True
        return text if changed else None
