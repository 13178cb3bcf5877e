"""Facets: person, topic, year, month, language and source.

One class per facet, as datasette does: each knows its index field, how to
label a value in the interface language, and how to order its values. The
values of a facet are read once per index generation from the term
dictionary into NumPy arrays (one entry per document and value), so that
counting a facet over any set of documents is one ``bincount``.

Counts are disjunctive: a facet is counted over the documents that match
the query and every *other* facet's selection, so people see the
alternatives to what they picked. Values of one facet combine with OR,
different facets with AND.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from index.normalize import fold, has_diacritics
from index.people import PeopleRegistry
from index.schema import UNDATED
from index.topics import Taxonomy

from .fields import FACETS
from .matchset import MatchSets
from .postings import read_postings
from .segments import appended, leaves

__all__ = ["Facet", "FACETS", "FacetValue", "make_facets"]

LANGUAGE_NAMES = {
    "vi": ("Vietnamese", "Tiếng Việt"), "en": ("English", "Tiếng Anh"),
    "zh-cn": ("Chinese", "Tiếng Trung"), "zh-tw": ("Chinese (traditional)", "Tiếng Trung (phồn thể)"),
    "fr": ("French", "Tiếng Pháp"), "und": ("Undetermined", "Không xác định"),
}


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool

    def as_dict(self) -> dict:
        return {"value": self.value, "label": self.label, "count": self.count, "selected": self.selected}


class Facet:
    """A facet over one untokenised index field."""

    name = ""
    field = ""
    by_value = False  # order values by value (newest first) instead of by count

    def __init__(self, sets: MatchSets, previous: "Facet | None" = None):
        self.sets = sets
        # Each segment's column (value -> its documents), read once and kept
        # for every later snapshot (see search.segments); then merged.
        self.segments = segments = getattr(sets.postings, "segments", None)
        self.leaves = getattr(sets.postings, "parts", None) or leaves(sets.reader)  # one list per snapshot
        added = (appended(previous.leaves, self.leaves)
                 if previous is not None and segments is not None and previous.segments is segments else None)
        if added is None:
            self._merge(self.leaves)
        else:
            self._extend(previous, added)
        self._labels: dict[tuple[str, str], str] = {}

    def _columns(self, parts: list) -> list:
        segments = self.segments
        return [(segments.get(key, ("facet", self.field), lambda leaf=leaf: _column(leaf, self.field))
                 if segments is not None else _column(leaf, self.field), offset)
                for leaf, offset, key in parts]

    def _merge(self, parts: list) -> None:
        columns = self._columns(parts)
        values = sorted(set().union(*(column.values for column, _ in columns)))
        self.values = values
        self.index = {v: i for i, v in enumerate(values)}
        docs, vals = self._entries(columns)
        self.entry_doc = np.concatenate(docs) if docs else np.empty(0, dtype=np.int64)
        self.entry_val = np.concatenate(vals) if vals else np.empty(0, dtype=np.int32)

    def _extend(self, previous: "Facet", added: list) -> None:
        """The previous snapshot's arrays, with the segments a commit
        appended (the others keep their documents' numbers)."""
        columns = self._columns(added)
        new = sorted(set().union(*(column.values for column, _ in columns)) - previous.index.keys())
        entry_val = previous.entry_val
        if new:
            self.values = sorted(previous.values + new)
            self.index = {v: i for i, v in enumerate(self.values)}
            renumber = np.fromiter((self.index[v] for v in previous.values), dtype=np.int32,
                                   count=len(previous.values))
            entry_val = renumber[entry_val] if len(entry_val) else entry_val
        else:
            self.values, self.index = previous.values, previous.index
        docs, vals = self._entries(columns)
        self.entry_doc = np.concatenate([previous.entry_doc, *docs]) if docs else previous.entry_doc
        self.entry_val = np.concatenate([entry_val, *vals]) if vals else entry_val

    def _entries(self, columns: list) -> tuple[list, list]:
        docs, vals = [], []
        for column, offset in columns:
            if column.values:
                to_global = np.fromiter((self.index[v] for v in column.values), dtype=np.int32,
                                        count=len(column.values))
                docs.append(column.docs + offset)
                vals.append(to_global[column.vals])
        return docs, vals

    # -- labels and order ---------------------------------------------------

    def label(self, value: str, hl: str = "en") -> str:
        return value

    def sort_key(self, value: str, count: int):
        if self.by_value:
            return (value == UNDATED, _descending(value))
        return (-count, value)

    # -- sets and counts --------------------------------------------------------

    def mask(self, selected: list[str]) -> np.ndarray:
        """Documents with any of the selected values (unknown values match nothing)."""
        mask = self.sets.empty()
        for value in selected:
            i = self.index.get(value)
            if i is not None:
                mask[self.sets.term_ids(self.field, value)] = True
        return mask

    def counts(self, docs: np.ndarray) -> np.ndarray:
        """Per value, how many of ``docs`` (a boolean mask) have it."""
        if not len(self.entry_doc):  # no live document has a value
            return np.zeros(len(self.values), dtype=np.int64)
        return np.bincount(self.entry_val[docs[self.entry_doc]], minlength=len(self.values))

    def top(self, docs: np.ndarray, selected: list[str], limit: int, hl: str) -> list[FacetValue]:
        counts = self.counts(docs)
        present = np.flatnonzero(counts)
        if self.by_value:
            items = [(self.values[i], int(counts[i])) for i in present]
            items.sort(key=lambda vc: self.sort_key(*vc))
            shown = items[:limit]
        else:
            # most frequent first, ties in value order (the term dictionary's)
            order = present[np.lexsort((present, -counts[present]))][:limit]
            shown = [(self.values[i], int(counts[i])) for i in order]
        shown_values = {v for v, _ in shown}
        for value in selected:  # selected values always show, to be removable
            if value not in shown_values:
                i = self.index.get(value)
                shown.append((value, int(counts[i]) if i is not None else 0))
                shown_values.add(value)
        chosen = set(selected)
        return [FacetValue(v, self.label(v, hl), c, v in chosen) for v, c in shown]

    def search(self, text: str, docs: np.ndarray, limit: int, hl: str) -> list[FacetValue]:
        """Values whose label or value has words starting with the words of
        ``text`` (diacritics ignored), most frequent first."""
        wanted = fold(text).split()
        counts = self.counts(docs)
        found = []
        for i, value in enumerate(self.values):
            if not counts[i]:
                continue
            label = self.label(value, hl)
            if _words_start_with(fold(label).split(), wanted) or _words_start_with(
                    fold(value).replace("-", " ").split(), wanted):
                found.append(FacetValue(value, label, int(counts[i]), False))
        found.sort(key=lambda f: (-f.count, f.label))
        return found[:limit]


def _descending(value: str) -> str:
    return "".join(chr(0x10FFFF - ord(c)) if c.isdigit() else c for c in value)


def _words_start_with(words: list[str], wanted: list[str]) -> bool:
    """Every wanted word starts some word of ``words``, in order."""
    if not wanted:
        return True
    i = 0
    for w in words:
        if w.startswith(wanted[i]):
            i += 1
            if i == len(wanted):
                return True
    return False


# Documents of a segment read for a discovered person's label (the first ones).
LABEL_SAMPLE = 50


def _labels(leaf, value: str) -> dict[str, np.ndarray]:
    """The labels a segment's documents give a person: label -> documents
    (segment numbering; the first :data:`LABEL_SAMPLE` holding the key)."""
    out: dict[str, list[int]] = {}
    for docnum in read_postings(leaf, "person", value)[0][:LABEL_SAMPLE]:
        stored = leaf.stored_fields(int(docnum))
        out.setdefault(dict(stored.get("persons") or ()).get(value, value), []).append(int(docnum))
    return {label: np.asarray(docs, dtype=np.int64) for label, docs in out.items()}


class PersonFacet(Facet):
    name = field = "person"

    def __init__(self, sets: MatchSets, registry: PeopleRegistry, previous: Facet | None = None):
        super().__init__(sets, previous)
        self.registry = registry

    def label(self, value: str, hl: str = "en") -> str:
        person = self.registry.people.get(value)
        if person is not None:
            return person.name
        key = ("", value)
        if key not in self._labels:
            # A discovered person: of the labels live documents give, the
            # one written with most diacritics ("Lê Minh Hoan", not "Le Minh
            # Hoan"), then the most frequent: the same whatever order the
            # documents were written in.
            labels: Counter = Counter()
            held = self.leaves if self.segments is None else self.segments.where(self.leaves, self.field, value)
            for leaf, offset, key in held:
                if self.segments is not None:
                    found = self.segments.get(key, ("label", value), lambda leaf=leaf: _labels(leaf, value))
                else:
                    found = _labels(leaf, value)
                for label, docs in found.items():  # documents deleted since do not count
                    labels[label] += int(self.sets.live[docs + offset].sum())
            labels = +labels
            ranked = sorted(labels.items(), key=lambda kv: (-sum(map(has_diacritics, kv[0].split())), -kv[1], kv[0]))
            self._labels[key] = ranked[0][0] if ranked else value
        return self._labels[key]


class TopicFacet(Facet):
    name = field = "topic"

    def __init__(self, sets: MatchSets, taxonomy: Taxonomy, previous: Facet | None = None):
        super().__init__(sets, previous)
        self.taxonomy = taxonomy

    def label(self, value: str, hl: str = "en") -> str:
        return self.taxonomy.label(value, hl)


class YearFacet(Facet):
    name = field = "year"
    by_value = True

    def label(self, value: str, hl: str = "en") -> str:
        if value == UNDATED:
            return "Không rõ ngày" if hl == "vi" else "Undated"
        return value


class MonthFacet(YearFacet):
    name = field = "month"

    def label(self, value: str, hl: str = "en") -> str:
        if value == UNDATED:
            return super().label(value, hl)
        year, month = value.split("-")
        return f"tháng {int(month)}/{year}" if hl == "vi" else f"{_MONTHS[int(month) - 1]} {year}"


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


class LangFacet(Facet):
    name = field = "lang"

    def label(self, value: str, hl: str = "en") -> str:
        names = LANGUAGE_NAMES.get(value)
        return (names[1] if hl == "vi" else names[0]) if names else value


class SourceFacet(Facet):
    name = field = "source"


@dataclass(frozen=True)
class _Column:
    """One segment's facet column: its values, and (document, value number)
    entries in segment numbering."""

    values: list
    docs: np.ndarray
    vals: np.ndarray


def _column(leaf, field: str) -> _Column:
    """Read directly: a facet's many values would flood the term cache."""
    values, docs, vals = [], [], []
    if field in leaf.schema and leaf.schema[field].indexed:
        for value in leaf.field_terms(field):
            ids = read_postings(leaf, field, value)[0]
            if len(ids):
                vals.append(np.full(len(ids), len(values), dtype=np.int32))
                values.append(value)
                docs.append(ids)
    return _Column(values, np.concatenate(docs) if docs else np.empty(0, dtype=np.int64),
                   np.concatenate(vals) if vals else np.empty(0, dtype=np.int32))


def make_facets(sets: MatchSets, registry: PeopleRegistry, taxonomy: Taxonomy,
                previous: dict[str, Facet] | None = None) -> dict[str, Facet]:
    """Every facet over one generation (each builds its arrays on creation,
    from ``previous``, the last snapshot's facets, where a commit only
    appended segments)."""
    previous = previous or {}
    return {
        "person": PersonFacet(sets, registry, previous.get("person")),
        "topic": TopicFacet(sets, taxonomy, previous.get("topic")),
        "year": YearFacet(sets, previous.get("year")),
        "month": MonthFacet(sets, previous.get("month")),
        "lang": LangFacet(sets, previous.get("lang")),
        "source": SourceFacet(sets, previous.get("source")),
    }
