"""Whole documents as the API shows them, for display, export and backup.

:func:`document_view` gives one stored document with its extracted fields,
under the API's field names. :func:`export_records` gives every document in
the shape ``tracuu rebuild`` reads back without loss: the explicit values it
carries (title, date, source, language, url, persons with their spellings,
topics, credits) win over extraction on the way back in, and the rest (the
dateline, the lead) is derived from the text again, so ``export → rebuild →
export`` gives the same bytes.
"""

from __future__ import annotations

from collections import Counter
from typing import Iterator

from index.topics import Taxonomy

__all__ = ["document_view", "export_records", "people_stats"]


def _persons(stored: dict) -> list[dict]:
    spellings = stored.get("spellings") or {}
    return [{"key": key, "label": label, "spellings": list(spellings.get(key, ()))}
            for key, label in stored.get("persons") or ()]


def _topics(stored: dict, taxonomy: Taxonomy, lang: str) -> list[dict]:
    return [{"id": t, "label": taxonomy.label(t, lang)} for t in stored.get("topics") or ()]


def export_record(stored: dict, taxonomy: Taxonomy, lang: str = "en") -> dict:
    return {
        "id": stored["id"],
        "title": stored.get("title"),
        "text": stored.get("text", ""),
        "date": stored.get("date"),
        # how extraction found the date (index.published.RULES): a backup keeps it
        "date_rule": stored.get("date_rule") if stored.get("date") else None,
        "lang": stored.get("lang"),
        "source": stored.get("source"),
        "url": stored.get("url"),
        "persons": _persons(stored),
        "topics": _topics(stored, taxonomy, lang),
        "credits": list(stored.get("credits") or ()),
    }


def document_view(stored: dict, taxonomy: Taxonomy, lang: str = "en") -> dict:
    """One document with everything extraction found."""
    view = export_record(stored, taxonomy, lang)
    view["dateline"] = stored.get("dateline")
    return view


def export_records(searcher, taxonomy: Taxonomy) -> Iterator[dict]:
    """Every live document, ordered by id (so two exports of the same
    documents are equal however the index was written)."""
    reader = searcher.reader()
    for term in reader.field_terms("id"):
        for docnum in reader.postings("id", term).all_ids():
            if not reader.is_deleted(docnum):
                yield export_record(reader.stored_fields(docnum), taxonomy)


def people_stats(searcher) -> list[dict]:
    """Each person with the number of documents and every spelling seen,
    most frequent first."""
    reader = searcher.reader()
    counts: Counter = Counter()
    labels: dict[str, str] = {}
    spellings: dict[str, Counter] = {}
    for docnum in reader.all_doc_ids():
        stored = reader.stored_fields(docnum)
        for key, label in stored.get("persons") or ():
            counts[key] += 1
            labels.setdefault(key, label)
            spelled = spellings.setdefault(key, Counter())
            for form in (stored.get("spellings") or {}).get(key, ()):
                spelled[form] += 1
    return [
        {"key": key, "label": labels[key], "documents": n,
         "spellings": [form for form, _ in spellings[key].most_common()]}
        for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
