"""Which documents a query matches, as a boolean array over document numbers.

Facet counts need the whole result set, not the top ten, and Whoosh finds it
one document at a time. Here the postings of each term are read once per
index generation into a NumPy array (and cached), and a query's required
structure is evaluated with array operations: ``Or`` is a union, ``And`` an
intersection, ``AndMaybe`` its required part. Positional queries (phrases)
are checked by Whoosh, on the documents that hold all their words.
"""

from __future__ import annotations

import numpy as np
from whoosh import query as wq
from whoosh.collectors import FilterCollector, TimeLimit, TimeLimitCollector
from whoosh.query.positional import Sequence
from .deadline import NO_DEADLINE, Deadline
from .postings import POSITION_BITS, PostingsCache
from .segments import live_mask

__all__ = ["MatchSets", "whoosh_docs"]


class MatchSets:
    """Match sets over one searcher (one generation of the index)."""

    def __init__(self, searcher, postings: PostingsCache):
        self.searcher = searcher
        self.postings = postings
        self.reader = searcher.reader()
        self.size = self.reader.doc_count_all()
        self.live = live_mask(self.reader) if self.reader.has_deletions() else np.ones(self.size, dtype=bool)
        self._deadline = NO_DEADLINE
        self._phrases: dict = {}  # this search's phrase matches (see begin)

    def begin(self) -> None:
        """Start a search: forget the phrase matches of the previous one. A
        search asks for the same phrase several times (to select, to score),
        and reading positions is the costly part."""
        self._phrases.clear()

    def empty(self) -> np.ndarray:
        return np.zeros(self.size, dtype=bool)

    def term_ids(self, field: str, text: str) -> np.ndarray:
        """Document numbers holding ``text`` in ``field`` (cached)."""
        return self.postings.get(field, text)[0]

    def mask_of_ids(self, ids: np.ndarray) -> np.ndarray:
        mask = self.empty()
        mask[ids] = True
        return mask

    def matches(self, q: wq.Query | None, deadline: Deadline = NO_DEADLINE) -> np.ndarray:
        """Live documents matching ``q`` (all live documents for None). Past
        the deadline, terms not yet read count as absent."""
        if q is None:
            return self.live.copy()
        self._deadline = deadline
        return self._eval(q) & self.live

    def _eval(self, q: wq.Query) -> np.ndarray:
        if isinstance(q, wq.Term):
            if (q.fieldname, q.text) not in self.postings and self._deadline.expired():
                return self.empty()
            return self.mask_of_ids(self.term_ids(q.fieldname, q.text))
        if isinstance(q, wq.AndMaybe):
            return self._eval(q.a)
        if isinstance(q, wq.AndNot):
            return self._eval(q.a) & ~self._eval(q.b)
        if isinstance(q, (Sequence, wq.Phrase)):
            return self._positional(q)
        if isinstance(q, wq.Or):
            out = self.empty()
            for sub in q.subqueries:
                out |= self._eval(sub)
            return out
        if isinstance(q, wq.And):
            out = self.live.copy()
            for sub in q.subqueries:
                out &= self._eval(sub)
                if not out.any():
                    break
            return out
        if isinstance(q, wq.Every):
            return self.live.copy()
        if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
            return self.empty()
        # Anything else (a numeric range, a wildcard): ask Whoosh.
        return self.mask_of_ids(np.fromiter(self.searcher.docs_for_query(q), dtype=np.int64))

    def _positional(self, q) -> np.ndarray:
        """Documents where the phrase's words follow each other (each at most
        ``slop`` positions after the previous one), from position postings."""
        alternatives = _sequence_terms(q)
        if alternatives is None:  # not a plain sequence of terms: ask Whoosh
            candidates = self.live.copy()
            for sub in q.subqueries:
                candidates &= self._eval(sub)
            ids = whoosh_docs(self.searcher, q, candidates, self._deadline)
            return self.mask_of_ids(np.asarray(ids, dtype=np.int64))
        field, positions, slop = alternatives
        key = (field, tuple(tuple(t) for t in positions), slop)
        found = self._phrases.get(key)
        if found is None:
            found = self._phrases[key] = self._sequence(field, positions, slop)
        return found.copy()

    def _sequence(self, field: str, positions: list, slop: int) -> np.ndarray:
        # Only documents holding every word can match: read their positions
        # alone when they are few, every position (cached) when they are many.
        candidates = self.live.copy()
        for terms in positions:
            candidates &= self._eval(wq.Or([wq.Term(field, t) for t in terms]))
        count = int(candidates.sum())
        if not count:
            return self.empty()
        within = candidates if count <= _FEW else None
        ends = None
        for terms in positions:
            if self._deadline.expired():
                return self.empty()
            found = [k for k in (self.postings.positions(field, t, within) for t in terms) if len(k)]
            if not found:
                return self.empty()
            # duplicates do no harm to the membership test below: sort, don't dedupe
            keys = found[0] if len(found) == 1 else np.sort(np.concatenate(found), kind="stable")
            if ends is None:
                ends = keys
            else:
                follows = np.zeros(len(keys), dtype=bool)
                for gap in range(1, slop + 1):
                    follows |= _contains(ends, keys - gap)
                ends = keys[follows]
            if not len(ends):
                return self.empty()
        return self.mask_of_ids(np.unique(ends >> POSITION_BITS))


# A phrase with at most this many candidate documents reads their positions
# alone; with more, every position of its words (cached: they come again).
_FEW = 256


def _contains(sorted_keys: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Which ``values`` are in ``sorted_keys`` (sorted, unique)."""
    at = np.searchsorted(sorted_keys, values)
    at[at == len(sorted_keys)] = 0
    return sorted_keys[at] == values if len(sorted_keys) else np.zeros(len(values), dtype=bool)


def _sequence_terms(q):
    """(field, [terms at each position], slop) of a Sequence or Phrase of
    terms in one field, or None."""
    if isinstance(q, wq.Phrase):
        return q.fieldname, [[w] for w in q.words], q.slop
    fields, positions = set(), []
    for sub in q.subqueries:
        leaves = sub.subqueries if isinstance(sub, wq.Or) else [sub]
        if not all(isinstance(t, wq.Term) for t in leaves):
            return None
        fields.update(t.fieldname for t in leaves)
        positions.append([t.text for t in leaves])
    if len(fields) != 1 or not q.ordered:
        return None
    return fields.pop(), positions, q.slop


def whoosh_docs(searcher, q, within: np.ndarray, deadline: Deadline, scored: bool = False):
    """Documents of ``within`` that Whoosh finds for ``q`` (with scores if
    ``scored``), in the time left; an expired deadline finds nothing more."""
    allowed = set(np.flatnonzero(within).tolist())
    if not allowed or deadline.expired():
        return {} if scored else []
    collector = searcher.collector(limit=None, scored=scored)
    if deadline.end is not None:
        collector = TimeLimitCollector(collector, timelimit=deadline.remaining(), use_alarm=False)
    collector = FilterCollector(collector, allowed, None)
    try:
        searcher.search_with_collector(q, collector)
    except TimeLimit:
        deadline.fired = True
    hits = collector.results()
    if scored:
        return {hit.docnum: hit.score for hit in hits}
    return list(hits.docs())
