"""Did you mean: corrections drawn from the index's own vocabulary.

A query word the index does not know is replaced by the most frequent known
word within one edit (two for words of six letters or more), over folded
words. The candidates come from SymSpell (``symspellpy``): its dictionary of
deletions answers a lookup in time bounded by the word's first seven letters,
not by the vocabulary or by the word's length, so a long made-up word costs
what a short one does.

Only the words a search must find are corrected: not filters (``lang:vi``),
exclusions, prefixes or ``OR``. A word typed with diacritics is corrected to
a word with diacritics, and in a Vietnamese query (every word a Vietnamese
syllable) a Vietnamese word is corrected to a Vietnamese word:
``nguyen phu trog`` → ``nguyen phu trong``. The search's
:class:`~search.deadline.Deadline` is checked before each word.
"""

from __future__ import annotations

import regex
from symspellpy import SymSpell, Verbosity

from index.analysis import words
from index.normalize import fold, has_diacritics, is_syllable, repair
from index.vocabulary import Vocabulary

from .deadline import NO_DEADLINE, Deadline
from .query import AnyOf, Phrase, Required, Word, text_spans

__all__ = ["Speller", "marked_spellings"]

# SymSpell indexes deletions of each word's first PREFIX letters.
PREFIX = 7
MAX_DISTANCE = 2
# Words longer than this are not corrected (no real word is; a lookup would
# still be cheap, but a candidate two edits away means nothing).
MAX_WORD = 30
RARE_AFTER = 1000  # documents


def _vietnamese(ws: list[str]) -> bool:
    """A Vietnamese query: a word with diacritics, or every word a syllable."""
    return bool(ws) and (any(has_diacritics(w) for w in ws) or all(is_syllable(w) for w in ws))


def marked_spellings(vocabulary: Vocabulary) -> dict[str, str]:
    """The most frequent spelling with diacritics of each folded word."""
    marked: dict[str, str] = {}
    best: dict[str, int] = {}
    for word, n in vocabulary.exact.items():
        key = fold(word)
        if n > best.get(key, 0):
            best[key], marked[key] = n, word
    return marked


class Speller:
    def __init__(self, vocabulary: Vocabulary):
        self.words = vocabulary.words
        self.marked = marked_spellings(vocabulary)
        # In a large collection a word seen in one document is likelier a
        # typo than what someone meant: it is never offered, and a query
        # word that rare is still checked for a better-known one.
        threshold = 2 if vocabulary.documents >= RARE_AFTER else 1
        self.threshold = threshold
        self.symspell = SymSpell(max_dictionary_edit_distance=MAX_DISTANCE, prefix_length=PREFIX,
                                 count_threshold=threshold)
        for word, n in self.words.items():
            if n > 0 and word.isalpha() and 3 <= len(word) <= MAX_WORD:
                self.symspell.create_dictionary_entry(word, n)

    def correct_word(self, word: str, vietnamese: bool) -> str | None:
        """A better-known word for ``word``, or None if it is fine (or hopeless)."""
        folded = fold(word)
        if not folded.isalpha() or not 3 <= len(folded) <= MAX_WORD:
            return None
        if self.words.get(folded, 0) >= self.threshold:  # known well enough
            return None
        distance = 1 if len(folded) < 6 else MAX_DISTANCE
        found = self.symspell.lookup(folded, Verbosity.ALL, max_edit_distance=distance)
        if vietnamese:
            found = [s for s in found if is_syllable(s.term)]
        if not found:
            return None
        best = min(found, key=lambda s: (s.distance, -s.count, s.term)).term
        if has_diacritics(word):
            return self.marked.get(best, best)
        return best

    def for_query(self, parsed, deadline: Deadline = NO_DEADLINE):
        """``word -> correction or None`` for the words of one parsed query
        (a Vietnamese query is corrected to Vietnamese syllables); past the
        deadline, no word is corrected."""
        texts = []

        def walk(node):
            if isinstance(node, Required):
                walk(node.node)
            elif isinstance(node, (Word, Phrase)):
                texts.extend(words(node.text))
            elif isinstance(node, AnyOf):
                for child in node.nodes:
                    walk(child)

        for clause in parsed.clauses:
            walk(clause)
        vietnamese = _vietnamese(texts)
        cache: dict[str, str | None] = {}

        def spell(word: str) -> str | None:
            if word not in cache:
                cache[word] = None if deadline.expired() else self.correct_word(word, vietnamese)
            return cache[word]

        return spell

    def correct(self, query: str, deadline: Deadline = NO_DEADLINE) -> str | None:
        """The query with unknown words corrected, or None if none was (or
        if the deadline passed before every word was looked at)."""
        query = repair(query)
        spans = text_spans(query)
        ws = [w for start, end in spans for w in words(query[start:end])]
        vietnamese = _vietnamese(ws)
        out, last, changed = [], 0, False
        for start, end in spans:
            part = query[start:end]
            for w in words(part):
                if deadline.expired():
                    return None
                fixed = self.correct_word(w, vietnamese)
                if fixed is None:
                    continue
                if w[:1].isupper():
                    fixed = fixed[:1].upper() + fixed[1:]
                part = regex.sub(rf"(?<!\w){regex.escape(w)}(?!\w)", lambda _, f=fixed: f, part, count=1)
                changed = True
            out.append(query[last:start] + part)
            last = end
        out.append(query[last:])
        return "".join(out) if changed else None
