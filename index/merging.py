"""When a commit merges segments: tiers of size, as Lucene's log merge policy.

Live writes commit a few documents at a time, and each commit leaves a new
small segment. Whoosh's own policy (``MERGE_SMALL``) merges the smallest
segments whenever their total is small next to their number, which with a
commit every half second rewrote recent documents on most commits (74 ms of
a 175 ms one-document commit). Here a segment's tier is the power of
``factor`` its document count reaches (1 to 15 documents: tier 0, 16 to
255: tier 1, ...), and a commit merges one tier only once it holds
``factor`` segments: each document is rewritten about once per tier
(log_factor of the index size in all), and the index holds at most
``factor - 1`` segments per tier. Whoosh reads and writes postings a term
at a time in Python, so a merge costs about as much as indexing again:
``factor`` 16 against 8 cut the CPU of 600 articles written five per
commit from 83 to 65 ms an article, and searches lose little to the extra
small segments (see search.segments: their terms are listed once).

A segment's tier counts its live documents: one whose documents were
mostly replaced or deleted falls to a lower tier and is merged (its
deletions dropped) with the smaller segments there.
"""

from __future__ import annotations

import math
from collections import defaultdict

from whoosh.reading import SegmentReader

__all__ = ["tiered_merge", "plan_merge", "FACTOR"]

FACTOR = 16  # bench/live_writes.py: 0.61x search throughput while writing at 8, 0.76x at 16


def _tier(documents: int, factor: int) -> int:
    return int(math.log(max(documents, 1), factor) + 1e-9)


def plan_merge(segments: list, factor: int = FACTOR) -> list:
    """The segments to merge now: those of the lowest tier that holds
    ``factor`` of them (none when no tier does)."""
    tiers: dict[int, list] = defaultdict(list)
    for segment in segments:
        tiers[_tier(segment.doc_count(), factor)].append(segment)
    for tier in sorted(tiers):
        group = tiers[tier]
        if len(group) >= factor:
            return group
    return []


class _MergeReader(SegmentReader):
    """A segment reader whose postings, as a merge reads them, come from one
    pass over the term table: Whoosh's own looks every term up again (a hash
    probe per term, most of a small segment's merge), and the postings kept
    in the table (see index.schema.INLINE_LIMIT) are handed out as they are."""

    def iter_postings(self):
        terms = self._terms
        schema = self.schema
        deleted = self.deleted_docs_set
        for (fieldname, btext), info in terms.items():
            if fieldname not in schema:
                continue
            if info.is_inlined():
                ids, weights, values = info.inlined_postings()
                for i, docnum in enumerate(ids):
                    if docnum not in deleted:
                        yield (fieldname, btext, docnum, weights[i] if weights else 1.0,
                               values[i] if values else "")
                continue
            m = terms._codec.postings_reader(terms._postfile, info, schema[fieldname].format,
                                             term=(fieldname, btext))
            while m.is_active():
                docnum = m.id()
                if docnum not in deleted:
                    yield (fieldname, btext, docnum, m.weight(), m.value())
                m.next()


def tiered_merge(writer, segments: list, factor: int = FACTOR) -> list:
    """A Whoosh ``mergetype``: add the planned segments' documents to the
    segment being written and return the segments left as they are."""
    merging = plan_merge(segments, factor)
    if len(merging) < 2:
        return segments
    for segment in merging:
        reader = _MergeReader(writer.storage, writer.schema, segment)
        try:
            writer.add_reader(reader)
        finally:
            reader.close()
    chosen = {id(s) for s in merging}
    return [s for s in segments if id(s) not in chosen]
