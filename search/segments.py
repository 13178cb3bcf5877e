"""Arrays kept per index segment, shared by every snapshot of an index.

A write adds a small segment to the index (and a merge replaces a few small
ones by one); the segments it leaves alone hold the same postings as before,
deletions being recorded beside them. So postings and facet columns are read
and kept per segment, as Lucene and Elasticsearch keep theirs: a snapshot
opened after a write reads only the new segment's arrays and assembles the
rest from what the previous snapshot already read. Segments are named by
Whoosh's random segment id, with the index directory, so a rebuilt
generation never meets the arrays of another.
"""

from __future__ import annotations

import struct
import threading
from collections import OrderedDict
from typing import Callable

import numpy as np
from whoosh.codec.whoosh3 import W3TermsReader

__all__ = ["SegmentCache", "leaves", "live_mask", "appended", "SMALL_SEGMENT"]

# A segment of at most this many documents (what recent writes make) has its
# whole term list read once, so that the many words a search looks up and it
# lacks cost a set look-up, not a trip through Whoosh's term index each.
SMALL_SEGMENT = 256

# Terms whose document count over the large segments is kept (then forgotten, all at once).
_LARGE_DF = 200_000


def appended(old: list, new: list) -> list | None:
    """The parts ``new`` (a reader's :func:`leaves`) appends to ``old``:
    None unless ``new`` begins with every part of ``old``, at the same offsets."""
    if len(new) < len(old):
        return None
    for (_, offset, key), (_, new_offset, new_key) in zip(old, new):
        if key != new_key or offset != new_offset:
            return None
    return new[len(old):]


def live_mask(reader) -> np.ndarray:
    """Which documents are live (not deleted), segment by segment: the
    work is in the deletions, not in the documents."""
    parts = []
    for leaf, _, _ in leaves(reader):
        live = np.ones(leaf.doc_count_all(), dtype=bool)
        segment = leaf.segment() if hasattr(leaf, "segment") else None
        if segment is not None and segment.has_deletions():
            live[np.fromiter(segment.deleted_docs(), dtype=np.int64)] = False
        elif segment is None and leaf.has_deletions():
            live[:] = False
            live[np.fromiter(leaf.all_doc_ids(), dtype=np.int64)] = True
        parts.append(live)
    return np.concatenate(parts) if parts else np.ones(0, dtype=bool)


def leaves(reader) -> list[tuple[object, int, tuple]]:
    """(segment reader, document offset, segment key) of each segment."""
    out = []
    for leaf, offset in reader.leaf_readers():
        segment = leaf.segment() if hasattr(leaf, "segment") else None
        name = segment.segment_id() if segment is not None else f"anon-{id(leaf)}"
        storage = getattr(leaf, "_storage", None)
        out.append((leaf, offset, (getattr(storage, "folder", "") or str(id(storage)), name)))
    return out


class SegmentCache:
    """Per-segment values, least recently used first out when their arrays
    pass ``max_bytes``; thread-safe (a server's threads share it)."""

    def __init__(self, max_bytes: int = 512 * 2**20):
        self.max_bytes = max_bytes
        self.nbytes = 0
        self._data: OrderedDict = OrderedDict()
        self._by_segment: dict[tuple, set] = {}  # segment -> what is kept of it
        # segment -> its terms (small segments; a few MB at most, kept while it lives)
        self._terms: dict[tuple, dict] = {}
        self._views: dict[int, _View] = {}  # per snapshot's segment list
        self._last_view: _View | None = None
        self._added: tuple | None = None  # the last added_terms: (old, new, its answer)
        self._lock = threading.Lock()

    def get(self, segment: tuple, what: tuple, make: Callable[[], object]):
        """The value ``what`` of ``segment``, made once by ``make``."""
        key = (segment, what)
        with self._lock:
            found = self._data.get(key)
            if found is not None:
                self._data.move_to_end(key)
                return found
        value = make()
        size = _nbytes(value)
        with self._lock:
            if key not in self._data:
                self._data[key] = value
                self._by_segment.setdefault(segment, set()).add(what)
                self.nbytes += size
                while len(self._data) > 1 and self.nbytes > self.max_bytes:
                    (old_segment, old_what), dropped = self._data.popitem(last=False)
                    self._by_segment.get(old_segment, set()).discard(old_what)
                    self.nbytes -= _nbytes(dropped)
        return value

    def where(self, parts: list, field: str, text: str) -> list:
        """The ``parts`` (a reader's :func:`leaves`) that may hold the term,
        in order: every large segment, and the small ones that hold it."""
        return self._view(parts).where(field, text)

    def _view(self, parts: list) -> "_View":
        view = self._views.get(id(parts))
        if view is None or view.parts is not parts:
            last = self._last_view
            view = _View(parts, self._terms_of, last)
            if last is not None:
                changed = self.added_terms(last.parts, parts)
                if changed is not None:  # the last snapshot's counts hold but for the added terms
                    df = last.df.copy()  # (in C: about a millisecond for 100k counts)
                    # what the last did not complete still holds for the parts it covers
                    carried = dict(last.carried) if len(last.carried) < _LARGE_DF else {}
                    covered = len(last.parts)
                    for t in changed:
                        n = df.pop(t, None)
                        if n is not None:
                            carried[t] = (n, covered)
                    view.df, view.carried = df, carried
            self._last_view = view
            with self._lock:
                self._views[id(parts)] = view
                while len(self._views) > 8:  # a few snapshots' worth
                    self._views.pop(next(iter(self._views)))
        return view

    def doc_frequency(self, parts: list, field: str, text: str) -> int:
        """How many documents of ``parts`` hold the term (deleted ones
        count, as in Whoosh). Counts are kept per snapshot and carried to
        the next when a commit only added small segments (less the terms
        those hold); the large segments' sum is kept for every snapshot
        with the same large segments, each small segment's count for every
        snapshot that has it."""
        if not parts:
            return 0
        view = self._view(parts)
        term = (field, view.to_bytes(field, text))
        n = view.df.get(term)
        if n is not None:
            return n
        carried = view.carried.pop(term, None)
        if carried is not None:  # an earlier snapshot's count, plus the segments appended since
            n, covered = carried
            n += sum(terms.get(term, 0) for i, terms in view.small if i >= covered)
            view.df[term] = n
            return n
        n = view.large_df.get(term)
        if n is None:
            if len(view.large_df) >= _LARGE_DF:
                view.large_df.clear()  # bounded: a long-lived index meets many words
            n = view.large_df[term] = sum(parts[i][0].doc_frequency(field, text) for i in view.large)
        if term in view.union:
            n += self._small_df(view.small, term)
        if len(view.df) >= _LARGE_DF:
            view.df.clear()
        view.df[term] = n
        return n

    def holds(self, segment: tuple, leaf, term: tuple) -> bool:
        """Whether a segment holds ``term`` (field, bytes): looked up for a
        small one, True (not known) for a large one."""
        terms = self._terms_of(segment, leaf)
        return terms is None or term in terms

    @staticmethod
    def _small_df(small: list, term: tuple) -> int:
        """The term's count over the ``small`` segments (index, term counts)."""
        return sum(terms.get(term, 0) for _, terms in small)

    def added_terms(self, old: list, new: list) -> frozenset | None:
        """The terms of the segments ``new`` (a reader's :func:`leaves`)
        adds to ``old`` when it is ``old`` with small segments appended
        (what a commit that merged nothing makes): what the commit may have
        changed. None when it is anything else (a merge, a rebuild)."""
        last = self._added
        if last is not None and last[0] is old and last[1] is new:
            return last[2]  # (a new snapshot's postings and counts both ask)
        added = appended(old, new)
        sets = [self._terms_of(key, leaf) for leaf, _, key in added] if added is not None else [None]
        found = None if any(terms is None for terms in sets) else frozenset().union(*sets)
        self._added = (old, new, found)
        return found

    def _terms_of(self, segment: tuple, leaf) -> dict | None:
        """A small segment's terms, with their document counts, read once
        while it lives (None: large)."""
        if leaf.doc_count_all() > SMALL_SEGMENT:
            return None
        terms = self._terms.get(segment)
        if terms is None:
            terms = self._terms[segment] = _term_counts(leaf)
        return terms

    def keep_only(self, segments: set[tuple]) -> None:
        """Forget the segments of older snapshots (merged away, or of a
        generation no longer live)."""
        with self._lock:
            for segment in [s for s in list(self._terms) if s not in segments]:  # list(): one step
                self._terms.pop(segment, None)
            for segment in [s for s in self._by_segment if s not in segments]:
                for what in self._by_segment.pop(segment):
                    self.nbytes -= _nbytes(self._data.pop((segment, what)))

    def __len__(self) -> int:
        return len(self._data)


_DF_AT = struct.calcsize("!Bf")  # where a W3 term info row holds the document count
_COUNT = struct.Struct("!I")


def _term_counts(leaf) -> dict:
    """A segment's terms (field, bytes) with their document counts (deleted
    documents included, as Whoosh counts them), from one pass over its
    term table: the rows are not decoded (a short posting list kept in a
    row would be unpickled)."""
    schema = leaf.schema
    table = getattr(leaf, "_terms", None)
    if not isinstance(table, W3TermsReader):
        return {(f, t): leaf.doc_frequency(f, t) for f, t in leaf.all_terms()}
    names = table._fieldunmap
    counts = {}
    for key, row in table._tindex.items():
        field = names[int.from_bytes(key[:2], "big")]
        if field in schema:
            counts[(field, key[2:])] = _COUNT.unpack_from(row, _DF_AT)[0]
    return counts


class _View:
    """The small segments of one snapshot, with the union of their terms:
    a term none of them holds (most of what a search asks for) costs one
    set look-up for all of them."""

    def __init__(self, parts: list, terms_of, last: "_View | None" = None):
        self.parts = parts
        self.small: list[tuple[int, dict]] = []
        self.large: list[int] = []
        self.keys: set = set()
        for i, (leaf, _, key) in enumerate(parts):
            terms = terms_of(key, leaf)
            if terms is None:
                self.large.append(i)
            else:
                self.small.append((i, terms))
                self.keys.add(key)
        if last is not None and last.keys and last.keys <= self.keys:
            # a commit added small segments and merged none away: add theirs
            added = [terms for (_, _, key), (i, terms) in zip((parts[i] for i, _ in self.small), self.small)
                     if key not in last.keys]
            self.union = last.union.union(*added) if added else last.union
        else:
            self.union = frozenset().union(*(t for _, t in self.small))
        self.to_bytes = parts[0][0]._text_to_bytes if parts else None
        # terms' document counts over the large segments, shared with the
        # views of the other snapshots that have the same large segments
        large_keys = tuple(parts[i][2] for i in self.large)
        same = last is not None and last.large_keys == large_keys
        self.large_keys = large_keys
        self.large_df: dict = last.large_df if same else {}
        self.df: dict = {}  # term -> its count over all of parts
        # earlier snapshots' counts of terms that segments appended since
        # hold, with how many parts they cover (those of the rest are added
        # to them when asked for)
        self.carried: dict = {}

    def where(self, field: str, text: str) -> list:
        if not self.small:
            return self.parts
        term = (field, self.to_bytes(field, text))
        if term not in self.union:
            return [self.parts[i] for i in self.large]
        chosen = self.large + [i for i, terms in self.small if term in terms]
        return [self.parts[i] for i in sorted(chosen)]


def _nbytes(value) -> int:
    if isinstance(value, np.ndarray):
        return value.nbytes
    if isinstance(value, (tuple, list)):
        return sum(map(_nbytes, value)) + 8 * len(value)
    if isinstance(value, dict):
        return sum(_nbytes(v) for v in value.values()) + 64 * len(value)
    return 64
