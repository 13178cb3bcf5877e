"""BM25F over whole postings lists at once, with NumPy.

Whoosh scores a query one document at a time through a tree of matchers: in
pure Python, that is most of the time of a search over a large archive.
:class:`Scorer` computes the very same BM25F scores (Whoosh's formula,
statistics and term boosts, as :class:`whoosh.scoring.BM25F` does) for every
matching document at once: each term's postings are read once per index
generation into arrays of document numbers and weights, and ``Or``, ``And``
and ``AndMaybe`` become sums over arrays. Phrases, which need positions, are
scored by Whoosh on the documents that hold all their words. A test checks
that the scores equal Whoosh's.
"""

from __future__ import annotations

from math import log

import numpy as np
from whoosh import query as wq
from whoosh.query.positional import Sequence

from .deadline import NO_DEADLINE, Deadline
from .matchset import whoosh_docs
from .postings import _TEXT_TERMS, PostingsCache
from .segments import leaves

__all__ = ["Scorer", "B", "K1"]

B, K1 = 0.75, 1.2  # whoosh.scoring.BM25F's defaults
_FREQUENCIES = 200_000  # document frequencies remembered per generation


class Scorer:
    """BM25F scores over one searcher (one generation of the index)."""

    def __init__(self, searcher, postings: PostingsCache, sets, previous: "Scorer | None" = None):
        self.searcher = searcher
        self.sets = sets
        self.reader = searcher.reader()
        self.size = self.reader.doc_count_all()
        self.postings = postings
        self._lengths: dict[str, np.ndarray] = {}
        self._avg: dict[str, float] = {}
        self._frequency: dict[tuple[str, str], int] = {}
        self._fields: set[str] = set()  # the fields of the terms in _frequency
        # the postings cache's segment list when it has one: one view of the small segments (see segments.where)
        self._leaves = getattr(postings, "parts", None) or leaves(self.reader)
        self._deadline = NO_DEADLINE
        if previous is not None:
            self._carry(previous)

    def _carry(self, previous: "Scorer") -> None:
        """Keep the previous snapshot's document frequencies when a commit
        only appended small segments: the counts of the terms those do not
        hold are unchanged (deleted documents count, as in Whoosh). Feedback
        asks for hundreds of words per search, so a new snapshot would
        otherwise ask the segments again for each, after every commit."""
        segments = getattr(self.postings, "segments", None)
        if segments is None or getattr(previous.postings, "segments", None) is not segments:
            return
        changed = segments.added_terms(previous._leaves, self._leaves)
        if changed is None:
            return
        frequency = previous._frequency.copy()  # (in C)
        schema = self.reader.schema
        dropped = set()  # fields whose terms are not their text's UTF-8: none of theirs kept
        for field, btext in changed:
            if field in dropped:
                continue
            if field in schema and isinstance(schema[field], _TEXT_TERMS):
                frequency.pop((field, btext.decode("utf-8")), None)
            else:
                dropped.add(field)
        if dropped & previous._fields:
            frequency = {k: n for k, n in frequency.items() if k[0] not in dropped}
        self._frequency = frequency
        self._fields = set(previous._fields)

    # -- statistics ---------------------------------------------------------

    def lengths(self, field: str) -> np.ndarray:
        """Each document's length in ``field`` (1 where unknown, as Whoosh)."""
        if field not in self._lengths:
            segments = getattr(self.postings, "segments", None)
            parts = [segments.get(key, ("lengths", field), lambda leaf=leaf: _lengths(leaf, field))
                     if segments is not None else _lengths(leaf, field)
                     for leaf, _, key in self._leaves]
            self._lengths[field] = np.concatenate(parts) if parts else np.empty(0)
        return self._lengths[field]

    def avg_length(self, field: str) -> float:
        if field not in self._avg:
            self._avg[field] = self.searcher.avg_field_length(field) or 1
        return self._avg[field]

    def frequency(self, field: str, text: str) -> int:
        """How many documents hold the term (remembered: feedback asks for
        hundreds of words per search, mostly the same ones)."""
        key = (field, text)
        n = self._frequency.get(key)
        if n is None:
            if len(self._frequency) >= _FREQUENCIES:
                self._frequency.clear()  # bounded: a long-lived generation meets many words
            self._fields.add(field)
            segments = getattr(self.postings, "segments", None)
            if segments is None:
                n = self.reader.doc_frequency(field, text)
            else:  # per segment, kept for later snapshots
                n = segments.doc_frequency(self._leaves, field, text)
            self._frequency[key] = n
        return n

    def idf(self, field: str, text: str) -> float:
        return log(self.size / (self.frequency(field, text) + 1)) + 1

    # -- scoring ----------------------------------------------------------------

    def term(self, field: str, text: str, boost: float = 1.0) -> np.ndarray:
        scores = np.zeros(self.size)
        ids, tf = self.postings.get(field, text)
        if not len(ids):
            return scores
        if not self.reader.schema[field].scorable:
            scores[ids] = tf * boost  # Whoosh scores unscored fields by weight alone
            return scores
        fl = self.lengths(field)[ids]
        norm = K1 * ((1 - B) + B * fl / self.avg_length(field))
        scores[ids] = self.idf(field, text) * (tf * (K1 + 1)) / (tf + norm) * boost
        return scores

    def term_at(self, field: str, text: str, docs: np.ndarray, boost: float = 1.0) -> np.ndarray:
        """:meth:`term`'s scores on ``docs`` only: what reordering a few
        documents needs, without an array the size of the index per term."""
        out = np.zeros(len(docs))
        ids, tf = self.postings.get(field, text)
        if not len(ids) or not len(docs):
            return out
        at = np.minimum(np.searchsorted(ids, docs), len(ids) - 1)  # ids are ascending
        hit = ids[at] == docs
        if not hit.any():
            return out
        tf = tf[at[hit]]
        if not self.reader.schema[field].scorable:
            out[hit] = tf * boost
            return out
        norm = K1 * ((1 - B) + B * self.lengths(field)[docs[hit]] / self.avg_length(field))
        out[hit] = self.idf(field, text) * (tf * (K1 + 1)) / (tf + norm) * boost
        return out

    def scores(self, q: wq.Query, matches: np.ndarray, deadline: Deadline = NO_DEADLINE) -> np.ndarray:
        """Scores of ``q`` on the documents of ``matches`` (a boolean mask of
        the documents it matches), 0 elsewhere. Past the deadline, terms not
        yet read add nothing."""
        self._deadline = deadline
        return self._score(q, matches) * matches

    def _score(self, q: wq.Query, within: np.ndarray) -> np.ndarray:
        if isinstance(q, wq.Term):
            if (q.fieldname, q.text) not in self.postings and self._deadline.expired():
                return np.zeros(self.size)
            return self.term(q.fieldname, q.text, q.boost)
        if isinstance(q, wq.AndMaybe):
            return self._score(q.a, within) + self._score(q.b, within)
        if isinstance(q, (wq.Or, wq.And)):
            total = np.zeros(self.size)
            for sub in q.subqueries:
                total += self._score(sub, within)
            if isinstance(q, wq.And):  # only where every part matches, as Whoosh
                return total * q.boost * self.sets.matches(q, self._deadline)
            return total * q.boost
        if isinstance(q, Sequence):
            # Whoosh scores a sequence as the sum of its words, times its
            # boost, where the words stand in sequence.
            total = np.zeros(self.size)
            for sub in q.subqueries:
                total += self._score(sub, within)
            return total * q.boost * self.sets.matches(q, self._deadline)
        if isinstance(q, wq.Phrase):
            return self._whoosh(q, within)
        return np.zeros(self.size)

    def _whoosh(self, q: wq.Query, within: np.ndarray) -> np.ndarray:
        """Scores from Whoosh itself, on the documents that can match."""
        scores = np.zeros(self.size)
        for docnum, score in whoosh_docs(self.searcher, q, within, self._deadline, scored=True).items():
            scores[docnum] = score
        return scores


def _lengths(leaf, field: str) -> np.ndarray:
    """One segment's document lengths in ``field`` (its own numbering)."""
    n = leaf.doc_count_all()
    return np.fromiter((leaf.doc_field_length(d, field, 1) for d in range(n)), dtype=np.float64, count=n)
