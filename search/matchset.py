"""Which documents a query matches, as a boolean array over document numbers.

Facet counts need the whole result set, not the top ten, and Whoosh finds it
one document at a time. Here the postings of each term are read once per
index generation into a NumPy array (and cached), and a query's required
structure is evaluated with array operations: ``Or`` is a union, ``And`` an
intersection, ``AndMaybe`` its required part. Positional queries (phrases)
are checked by Whoosh, on the documents that hold all their words.
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
from whoosh import query as wq
from whoosh.query.positional import Sequence
from whoosh.reading import TermNotFound

__all__ = ["MatchSets"]


class MatchSets:
    """Match sets over one searcher (one generation of the index)."""

    def __init__(self, searcher, cache_size: int = 4096):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.size = self.reader.doc_count_all()
        live = np.ones(self.size, dtype=bool)
        if self.reader.has_deletions():
            live[:] = False
            live[np.fromiter(self.reader.all_doc_ids(), dtype=np.int64)] = True
        self.live = live
        self._terms: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._cache_size = cache_size

    def empty(self) -> np.ndarray:
        return np.zeros(self.size, dtype=bool)

    def term_ids(self, field: str, text: str) -> np.ndarray:
        """Document numbers holding ``text`` in ``field`` (cached)."""
        key = (field, text)
        ids = self._terms.get(key)
        if ids is not None:
            self._terms.move_to_end(key)
            return ids
        try:
            postings = self.reader.postings(field, text)
        except TermNotFound:
            ids = np.empty(0, dtype=np.int64)
        else:
            ids = np.fromiter(postings.all_ids(), dtype=np.int64)
        self._terms[key] = ids
        if len(self._terms) > self._cache_size:
            self._terms.popitem(last=False)
        return ids

    def mask_of_ids(self, ids: np.ndarray) -> np.ndarray:
        mask = self.empty()
        mask[ids] = True
        return mask

    def matches(self, q: wq.Query | None) -> np.ndarray:
        """Live documents matching ``q`` (all live documents for None)."""
        if q is None:
            return self.live.copy()
        return self._eval(q) & self.live

    def _eval(self, q: wq.Query) -> np.ndarray:
        if isinstance(q, wq.Term):
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
        """Documents holding every word of the phrase, then checked by Whoosh."""
        if isinstance(q, wq.Phrase):
            words = [wq.Term(q.fieldname, w) for w in q.words]
        else:
            words = q.subqueries
        candidates = self.live.copy()
        for sub in words:
            candidates &= self._eval(sub)
            if not candidates.any():
                return candidates
        allowed = set(np.flatnonzero(candidates).tolist())
        ids = [d for d in self.searcher.docs_for_query(q) if d in allowed]
        return self.mask_of_ids(np.asarray(ids, dtype=np.int64))
