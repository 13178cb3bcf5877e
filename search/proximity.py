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


def _positions(reader, field: str, terms, docnums: list[int]) -> dict[int, list[int]]:
    """Positions of any of ``terms`` in each of ``docnums`` (sorted)."""
    found: dict[int, list[int]] = {}
    for term in terms:
        try:
            m = reader.postings(field, term)
        except TermNotFound:
            continue
        for d in docnums:
            if not m.is_active():
                break
            if m.id() < d:
                m.skip_to(d)
                if not m.is_active():
                    break
            if m.id() == d:
                found.setdefault(d, []).extend(m.value_as("positions"))
    return found


def closeness(reader, docnums: list[int], words: list, slop: int) -> dict[int, float]:
    """For each document, 0..1: how closely the consecutive query words stand."""
    docnums = sorted(docnums)
    best = {d: 0.0 for d in docnums}
    pairs = len(words) - 1
    if pairs < 1 or not docnums:
        return best
    for field in ("title", "body"):
        per_word = [_positions(reader, field, terms, docnums) for terms in words]
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
