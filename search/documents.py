"""Whole documents as the API shows them, for display, export and backup.

:func:`document_view` gives one stored document with its extracted fields,
under the API's field names. :func:`export_records` gives every document in
the shape ``tracuu rebuild`` reads back without loss: the explicit values it
carries (title, date, source, language, persons, topics, credits) win over
extraction on the way back in.
"""

from __future__ import annotations

from collections import Counter
from typing import Iterator

from index.topics import Taxonomy

__all__ = ["document_view", "export_records", "people_stats", "EXPORT_FIELDS"]

EXPORT_FIELDS = ("id", "title", "text", "date", "lang", "source", "url", "persons", "topics", "credits")


def _persons(stored: dict) -> list[dict]:
    return [{"key": key, "label": label} for key, label in stored.get("persons") or ()]


def _topics(stored: dict, taxonomy: Taxonomy, lang: str) -> list[dict]:
    return [{"id": t, "label": taxonomy.label(t, lang)} for t in stored.get("topics") or ()]


def export_record(stored: dict, taxonomy: Taxonomy, lang: str = "en") -> dict:
    return {
        "id": stored["id"],
        "title": stored.get("title"),
        "text": stored.get("text", ""),
        "date": stored.get("date"),
        "lang": stored.get("lang"),
        "source": stored.get("source"),
        "url": stored.get("url"),
        "persons": _persons(stored),
        "topics": _topics(stored, taxonomy, lang),
        "credits": list(stored.get("credits") or ()),
    }


def document_view(stored: dict, taxonomy: Taxonomy, lang: str = "en") -> dict:
    """One document with everything extraction found."""
    spellings = stored.get("spellings") or {}
    view = export_record(stored, taxonomy, lang)
    for person in view["persons"]:
        person["spellings"] = list(spellings.get(person["key"], ()))
    view["dateline"] = stored.get("dateline")
    return view


def export_records(searcher, taxonomy: Taxonomy) -> Iterator[dict]:
    """Every live document, in index order."""
    reader = searcher.reader()
    for docnum in reader.all_doc_ids():
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
