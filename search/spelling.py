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

import threading
from collections import Counter
from pathlib import Path

import regex
from symspellpy import SymSpell, Verbosity

from index.analysis import words
from index.normalize import fold, has_diacritics, is_syllable, repair
from index.vocabulary import VOCAB_FILE, Vocabulary, count_changes

from .deadline import NO_DEADLINE, Deadline
from .query import AnyOf, Phrase, Required, Word, text_spans

__all__ = ["Speller", "LiveSpeller", "marked_spellings"]

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


def _spellings(vocabulary: Vocabulary) -> dict[str, set[str]]:
    """The spellings with diacritics of each folded word."""
    out: dict[str, set[str]] = {}
    for word, n in vocabulary.exact.items():
        if n > 0:
            out.setdefault(fold(word), set()).add(word)
    return out


def _most_frequent(spellings: set[str], exact) -> str:
    return max(spellings, key=lambda w: (exact[w], w))  # (a tie: the last in code-point order)


def marked_spellings(vocabulary: Vocabulary) -> dict[str, str]:
    """The most frequent spelling with diacritics of each folded word."""
    return {key: _most_frequent(ws, vocabulary.exact) for key, ws in _spellings(vocabulary).items()}


def _correctable(word: str) -> bool:
    return word.isalpha() and 3 <= len(word) <= MAX_WORD


class Speller:
    def __init__(self, vocabulary: Vocabulary):
        self.words = vocabulary.words
        self._exact = vocabulary.exact
        self._spellings = _spellings(vocabulary)
        self.marked = {key: _most_frequent(ws, self._exact) for key, ws in self._spellings.items()}
        # In a large collection a word seen in one document is likelier a
        # typo than what someone meant: it is never offered, and a query
        # word that rare is still checked for a better-known one.
        threshold = 2 if vocabulary.documents >= RARE_AFTER else 1
        self.threshold = threshold
        self.symspell = SymSpell(max_dictionary_edit_distance=MAX_DISTANCE, prefix_length=PREFIX,
                                 count_threshold=threshold)
        for word, n in self.words.items():
            if n > 0 and _correctable(word):
                self.symspell.create_dictionary_entry(word, n)

    def apply(self, vocabulary: Vocabulary, words: Counter, exact: Counter) -> bool:
        """Take in changes to the counts (``vocabulary`` as it is after
        them, see :meth:`Vocabulary.follow`), as a speller built from it
        would have them; False (nothing changed) when it would not work as
        one built afresh (the collection crossed the size at which
        one-document words stop being offered)."""
        if (2 if vocabulary.documents >= RARE_AFTER else 1) != self.threshold:
            return False
        self.words, self._exact = vocabulary.words, vocabulary.exact
        for word, change in words.items():
            if change > 0 and _correctable(word):
                self.symspell.create_dictionary_entry(word, change)
            elif change < 0 and _correctable(word):
                self._lower(word, -change)
        for word, change in exact.items():
            if not change:
                continue
            key = fold(word)
            spellings = self._spellings.setdefault(key, set())
            if self._exact.get(word, 0) > 0:
                spellings.add(word)
            else:
                spellings.discard(word)
            if spellings:
                self.marked[key] = _most_frequent(spellings, self._exact)
            else:
                del self._spellings[key]
                self.marked.pop(key, None)
        return True

    def _lower(self, word: str, by: int) -> None:
        """SymSpell's counts only grow: take ``by`` off a word's, as if it
        had been built with the lower count."""
        counts, below = self.symspell.words, self.symspell.below_threshold_words
        if word in counts:
            n = counts[word] - by
            if n >= self.threshold:
                counts[word] = n
                return
            self.symspell.delete_dictionary_entry(word)
            if n > 0:
                below[word] = n
        elif word in below:
            n = below[word] - by
            if n > 0:
                below[word] = n
            else:
                del below[word]

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


class LiveSpeller:
    """One speller for every snapshot of a server process, kept up to date
    with the index's vocabulary as writes come in: a new snapshot takes in
    the few counts written since the last one (read from the vocabulary's
    log), rather than building a speller afresh, which takes about a
    second of CPU on the shared corpus. It is built afresh for a new index
    generation (a rebuild), or when the collection crosses the size at
    which one-document words stop being offered."""

    def __init__(self):
        self._lock = threading.Lock()
        self._path: Path | None = None
        self._generation = None
        self._vocabulary: Vocabulary | None = None
        self._speller: Speller | None = None

    def get(self, path: Path, generation) -> Speller:
        """The speller for the snapshot of ``generation`` (the TOC's) of the
        index directory ``path``: it may know a write or two more than that
        snapshot, never fewer."""
        with self._lock:
            if self._speller is not None and self._path == path:
                if generation == self._generation:
                    return self._speller
                changes = self._vocabulary.follow()
                if changes is None:  # the log was folded into the file: its differences
                    fresh = Vocabulary.load(path / VOCAB_FILE)
                    changes = count_changes(self._vocabulary, fresh)
                    self._vocabulary = fresh
                if self._speller.apply(self._vocabulary, *changes):
                    self._generation = generation
                    return self._speller
            self._vocabulary = Vocabulary.load(path / VOCAB_FILE)
            self._speller = Speller(self._vocabulary)
            self._path, self._generation = path, generation
            return self._speller
