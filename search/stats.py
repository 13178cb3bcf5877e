"""What an index holds: document counts by language, year and source."""

from __future__ import annotations

from collections import Counter

__all__ = ["field_counts", "index_stats"]


def field_counts(reader, field: str) -> Counter:
    """Live documents per term of an untokenised field (deletions excluded)."""
    counts: Counter = Counter()
    if field not in reader.schema:
        return counts
    deleted = reader.has_deletions()
    for term in reader.field_terms(field):
        ids = reader.postings(field, term).all_ids()
        n = sum(1 for d in ids if not reader.is_deleted(d)) if deleted else sum(1 for _ in ids)
        if n:
            counts[term] = n
    return counts


def index_stats(searcher, meta: dict) -> dict:
    reader = searcher.reader()
    return {
        "generation": meta.get("generation"),
        "built_at": meta.get("built_at"),
        "updated_at": meta.get("updated_at"),
        "documents": reader.doc_count(),
        "by_lang": dict(field_counts(reader, "lang").most_common()),
        "by_year": dict(sorted(field_counts(reader, "year").items())),
        "by_source": dict(field_counts(reader, "source").most_common()),
    }
