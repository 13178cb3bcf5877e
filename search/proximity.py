"""Proximity: documents where the query's words stand together rank higher.

Ranking runs in two phases. Whoosh ranks by BM25F; then the best
``Weights.rerank`` documents are rescored here: for each pair of words
typed next to each other, the closest their positions come in the title or
the body (adjacent: 1, two apart: ½, ... beyond ``proximity_slop``: 0). The
mean closeness multiplies the score by up to ``1 + Weights.proximity``. Only
those few documents' positions are read (``skip_to`` through the postings),
which costs far less than a span query over every match.
"""

from __future__ import annotations

from whoosh.reading import TermNotFound

__all__ = ["closeness"]


def _positions(parts: list, field: str, terms, docnums: list[int], segments=None) -> dict[int, list[int]]:
    """Positions of any of ``terms`` in each of ``docnums`` (sorted), read
    segment by segment (``parts``: a reader's :func:`~search.segments.leaves`),
    only in the segments that hold the term when ``segments`` (a
    :class:`~search.segments.SegmentCache`) can tell."""
    found: dict[int, list[int]] = {}
    for term in terms:
        for leaf, offset, _ in (parts if segments is None else segments.where(parts, field, term)):
            end = offset + leaf.doc_count_all()
            local = [d - offset for d in docnums if offset <= d < end]
            if not local:
                continue
            try:
                m = leaf.postings(field, term)
            except TermNotFound:
                continue
            for d in local:
                if not m.is_active():
                    break
                if m.id() < d:
                    m.skip_to(d)
                    if not m.is_active():
                        break
                if m.id() == d:
                    found.setdefault(d + offset, []).extend(m.value_as("positions"))
    return found


def closeness(parts: list, docnums: list[int], words: list, slop: int, segments=None) -> dict[int, float]:
    """For each document, 0..1: how closely the consecutive query words
    stand (``parts`` and ``segments``: see :func:`_positions`)."""
    docnums = sorted(docnums)
    best = {d: 0.0 for d in docnums}
    pairs = len(words) - 1
    if pairs < 1 or not docnums:
        return best
    for field in ("title", "body"):
        per_word = [_positions(parts, field, terms, docnums, segments) for terms in words]
        for d in docnums:
            total = 0.0
            for left, right in zip(per_word, per_word[1:]):
                a, b = left.get(d), right.get(d)
                if not a or not b:
                    continue
                near = [q - p for p in a for q in b if 0 < q - p <= slop]
                if near:
                    total += 1.0 / min(near)
            best[d] = max(best[d], total / pairs)
    return best
