"""Reading a term's postings into NumPy arrays, and keeping them.

Whoosh hands out postings one at a time; search here needs all of a term's
postings at once (to count facets and score every match), so they are read
a block at a time into arrays of document numbers and weights, and kept in
a least-recently-used cache for the life of an index generation.
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
from whoosh import fields
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import ListMatcher
from whoosh.reading import TermNotFound

from index.schema import CompactPositions

from .segments import SegmentCache, leaves

__all__ = ["read_postings", "read_positions", "PostingsCache", "POSITION_BITS"]


def _read(matcher) -> tuple[np.ndarray, np.ndarray]:
    """All (ids, weights) of one segment's postings. Whoosh's own block
    format is read a block at a time (ids are stored as deltas, weights as
    a tuple, a single float or None for all-ones); other matchers (short
    lists inlined in the term info) one posting at a time."""
    if isinstance(matcher, W3LeafMatcher) and not matcher._byteids:
        ids, weights = [], []
        while matcher.is_active():
            if matcher._data is None:
                matcher._read_data()
            deltas, w = matcher._data[0], matcher._data[1]
            n = matcher._blocklength
            ids.append(np.cumsum(np.asarray(deltas, dtype=np.int64)))
            if w is None:
                weights.append(np.ones(n))
            elif isinstance(w, float):
                weights.append(np.full(n, w))
            else:
                weights.append(np.asarray(w, dtype=np.float64))
            if matcher._lastblock:
                break
            matcher._next_block()
        if not ids:
            return np.empty(0, dtype=np.int64), np.empty(0)
        return np.concatenate(ids), np.concatenate(weights)
    if isinstance(matcher, ListMatcher) and not matcher._all_weights and matcher._i == 0:
        # a short list kept in the term table (see index.schema.INLINE_LIMIT)
        ids = np.asarray(matcher._ids, dtype=np.int64)
        weights = np.asarray(matcher._weights, dtype=np.float64) if matcher._weights else np.ones(len(ids))
        return ids, weights
    ids_, weights_ = [], []
    while matcher.is_active():
        ids_.append(matcher.id())
        weights_.append(matcher.weight())
        matcher.next()
    return np.asarray(ids_, dtype=np.int64), np.asarray(weights_, dtype=np.float64)


_EMPTY = (np.empty(0, dtype=np.int64), np.empty(0))


def _leaf_postings(leaf, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
    try:
        return _read(leaf.postings(field, text))
    except TermNotFound:
        return _EMPTY


def read_postings(reader, field: str, text: str, segments: SegmentCache | None = None,
                  parts: list | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(document numbers, weights) of a term over every segment; deleted
    documents included (callers mask them out). With ``segments``, each
    segment's arrays are read once for every snapshot that shares it.
    ``parts``: the reader's :func:`leaves`, if the caller has them."""
    ids, weights = [], []
    parts = parts if parts is not None else leaves(reader)
    for leaf, offset, key in (parts if segments is None else segments.where(parts, field, text)):
        read = lambda leaf=leaf: _leaf_postings(leaf, field, text)  # noqa: E731
        leaf_ids, leaf_weights = read() if segments is None else segments.get(key, ("postings", field, text), read)
        if len(leaf_ids):
            ids.append(leaf_ids + offset)
            weights.append(leaf_weights)
    if not ids:
        return _EMPTY
    return np.concatenate(ids), np.concatenate(weights)


POSITION_BITS = 24  # a document's position key: docnum << 24 | position


def read_positions(reader, field: str, text: str, within: np.ndarray | None = None,
                   segments: SegmentCache | None = None, parts: list | None = None) -> np.ndarray:
    """Every (document, position) of a term as sorted keys
    ``docnum << POSITION_BITS | position``, over every segment; only for the
    documents of ``within`` (a boolean mask) if given, which saves decoding
    the positions of every other document. With ``segments``, only the
    segments that hold the term are visited, and each one's keys (all of
    them) are read once for every snapshot that shares it."""
    parts = parts if parts is not None else leaves(reader)
    keys: list[np.ndarray] = []
    for leaf, offset, key in (parts if segments is None else segments.where(parts, field, text)):
        if within is not None:
            local = _leaf_positions(leaf, field, text, within[offset:offset + leaf.doc_count_all()])
        elif segments is not None:
            local = segments.get(key, ("positions", field, text),
                                 lambda leaf=leaf: _leaf_positions(leaf, field, text, None))
        else:
            local = _leaf_positions(leaf, field, text, None)
        if len(local):
            keys.append(local + (offset << POSITION_BITS) if offset else local)
    if not keys:
        return np.empty(0, dtype=np.int64)
    # segments in order, documents and positions ascending: already sorted
    return np.concatenate(keys)


def _leaf_positions(leaf, field: str, text: str, within: np.ndarray | None) -> np.ndarray:
    """One segment's position keys (its own document numbers), for the
    documents of ``within`` (the segment's slice of the mask) if given."""
    fmt = leaf.schema[field].format
    compact = isinstance(fmt, CompactPositions)
    try:
        matcher = leaf.postings(field, text)
    except TermNotFound:
        return _NO_KEYS
    docs: list[int] = []
    poss: list[int] = []
    block_docs: list[np.ndarray] = []
    block_poss: list[np.ndarray] = []
    if isinstance(matcher, W3LeafMatcher) and not matcher._byteids:
        while matcher.is_active():
            if matcher._data is None:
                matcher._read_data()
            ids = np.cumsum(np.asarray(matcher._data[0], dtype=np.int64))
            values = matcher._data[2]
            picked = range(len(ids)) if within is None else np.flatnonzero(within[ids]).tolist()
            if compact:  # a whole block at once
                chosen = [values[i] for i in picked]
                if chosen:
                    block_docs.append(np.repeat(ids[list(picked)], [len(v) // 4 for v in chosen]))
                    block_poss.append(np.frombuffer(b"".join(chosen), dtype="<u4"))
            else:
                for i in picked:
                    positions = fmt.decode_positions(values[i])
                    docs.extend([int(ids[i])] * len(positions))
                    poss.extend(positions)
            if matcher._lastblock:
                break
            matcher._next_block()
    else:
        while matcher.is_active():
            if within is None or within[matcher.id()]:
                positions = matcher.value_as("positions")
                docs.extend([matcher.id()] * len(positions))
                poss.extend(positions)
            matcher.next()
    keys = []
    if block_docs:
        keys.append((np.concatenate(block_docs) << POSITION_BITS) | np.concatenate(block_poss).astype(np.int64))
    if docs:
        keys.append((np.asarray(docs, dtype=np.int64) << POSITION_BITS) | np.asarray(poss, dtype=np.int64))
    if not keys:
        return _NO_KEYS
    return keys[0] if len(keys) == 1 else np.concatenate(keys)


_NO_KEYS = np.empty(0, dtype=np.int64)


_POSITIONS = "\x00positions"
# fields whose terms are the UTF-8 of their text (a NUMERIC field's are not)
_TEXT_TERMS = (fields.TEXT, fields.ID, fields.KEYWORD)


class PostingsCache:
    """The postings of recently used terms of one index generation, least
    recently used first out: at most ``size`` terms and ``max_bytes`` of
    arrays (the positions of a very common word run to megabytes)."""

    def __init__(self, reader, size: int = 4096, max_bytes: int = 256 * 2**20,
                 segments: SegmentCache | None = None, previous: "PostingsCache | None" = None):
        self.reader = reader
        self.segments = segments  # per-segment arrays shared with other snapshots
        self.parts = leaves(reader)
        self.size = size
        self.max_bytes = max_bytes
        self.nbytes = 0
        self._cache: OrderedDict = OrderedDict()
        # earlier snapshots' arrays of terms that segments appended since
        # hold, with how many of this snapshot's parts they cover: extended
        # with the rest when asked for (see _carry)
        self._grow: dict = {}
        if previous is not None and segments is not None and previous.segments is segments:
            changed = segments.added_terms(previous.parts, self.parts)
            if changed is not None:
                self._carry(previous, changed)

    def _carry(self, previous: "PostingsCache", changed: frozenset) -> None:
        """Keep the previous snapshot's arrays when a commit only appended
        small segments (document numbers are unchanged): as they are but
        for the terms the new segments hold (``changed``), whose arrays get
        the new segments' appended when first asked for. A copy of the
        cache (in C) less those: a snapshot is as warm as the last one, at
        about a millisecond, and a common word a write also holds costs a
        concatenation, not a read of every segment."""
        cache = previous._cache.copy()
        nbytes = previous.nbytes
        # what the last snapshot did not grow still holds for the parts it covers
        grow = dict(previous._grow)
        schema = self.reader.schema
        whole: set[str] = set()  # fields whose terms are not their text's UTF-8: dropped
        for field, btext in changed:
            if field in whole:
                continue
            if field not in schema or not isinstance(schema[field], _TEXT_TERMS):
                whole.add(field)
                continue
            text = btext.decode("utf-8")
            for key in ((field, text), (_POSITIONS, field, text)):
                value = cache.pop(key, None)
                if value is not None:
                    nbytes -= _nbytes(value)
                    grow[key] = (value, len(previous.parts))
        if whole:
            for key in [k for k in cache if k[-2] in whole]:
                nbytes -= _nbytes(cache.pop(key))
            grow = {k: v for k, v in grow.items() if k[-2] not in whole}
        self._cache, self.nbytes = cache, nbytes
        # (bounded as the cache is: the oldest go first)
        kept = 0
        for key, entry in reversed(list(grow.items())):
            kept += _nbytes(entry[0])
            if len(self._grow) >= self.size or kept > self.max_bytes:
                break
            self._grow[key] = entry

    def _grown(self, key, old, covered: int):
        """``old`` (an earlier snapshot's value of ``key``, over the first
        ``covered`` parts) with the postings or positions of the parts
        appended since after it, as a read of every segment would give them
        (segments in order)."""
        field, text = key[-2], key[-1]
        term = (field, text.encode("utf-8"))  # (a text field's: see _carry)
        appended = [(leaf, offset, seg) for leaf, offset, seg in self.parts[covered:]
                    if self.segments.holds(seg, leaf, term)]
        if key[0] == _POSITIONS:
            keys = [old]
            for leaf, offset, seg in appended:
                local = self.segments.get(seg, ("positions", field, text),
                                          lambda leaf=leaf: _leaf_positions(leaf, field, text, None))
                if len(local):
                    keys.append(local + (offset << POSITION_BITS) if offset else local)
            return keys[0] if len(keys) == 1 else np.concatenate(keys)
        ids, weights = [old[0]], [old[1]]
        for leaf, offset, seg in appended:
            leaf_ids, leaf_weights = self.segments.get(seg, ("postings", field, text),
                                                       lambda leaf=leaf: _leaf_postings(leaf, field, text))
            if len(leaf_ids):
                ids.append(leaf_ids + offset)
                weights.append(leaf_weights)
        if len(ids) == 1:
            return old
        return np.concatenate(ids), np.concatenate(weights)

    def __contains__(self, key: tuple[str, str]) -> bool:
        return key in self._cache

    def positions(self, field: str, text: str, within: np.ndarray | None = None) -> np.ndarray:
        """The term's position keys (see :func:`read_positions`): all of them,
        cached, or those of a few documents (``within``), read afresh."""
        if within is not None:
            return read_positions(self.reader, field, text, within, self.segments, self.parts)
        return self._lookup((_POSITIONS, field, text), self._read_positions, field, text)

    def get(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The term's (document numbers, weights) (see :func:`read_postings`), cached."""
        return self._lookup((field, text), self._read_postings, field, text)

    def _read_positions(self, reader, field: str, text: str):
        return read_positions(reader, field, text, None, self.segments, self.parts)

    def _read_postings(self, reader, field: str, text: str):
        return read_postings(reader, field, text, self.segments, self.parts)

    def _lookup(self, key, read, field: str, text: str):
        found = self._cache.get(key)
        if found is not None:
            self._cache.move_to_end(key)
            return found
        grow = self._grow.pop(key, None)
        found = read(self.reader, field, text) if grow is None else self._grown(key, *grow)
        self._cache[key] = found
        self.nbytes += _nbytes(found)
        while len(self._cache) > 1 and (len(self._cache) > self.size or self.nbytes > self.max_bytes):
            _, dropped = self._cache.popitem(last=False)
            self.nbytes -= _nbytes(dropped)
        return found


def _nbytes(value) -> int:
    if isinstance(value, tuple):
        return sum(a.nbytes for a in value)
    return value.nbytes
