"""Filter values, validated and resolved against one index generation.

A value of the wrong shape (``year:20x3``, ``from=2023-13``) raises
:class:`~search.errors.QueryValueError`, which the API turns into a 400. A
well-formed value that matches nothing (``year:1850``, an unknown person) is
not an error: it simply finds nothing.
"""

from __future__ import annotations

import calendar
import re

from whoosh import query as wq

from index.dates import parse_period
from index.normalize import fold
from index.people import PeopleRegistry, person_key
from index.schema import UNDATED

from .errors import QueryValueError

__all__ = ["FilterResolver", "date_bound", "MAX_PREFIX_TERMS", "VALUE_PATTERNS"]

MAX_PREFIX_TERMS = 64
# The shape of a value of each filter that has one (the API description
# states the same patterns); person and source take any text.
VALUE_PATTERNS = {
    "year": rf"^(\d{{4}}|{UNDATED})$",
    "month": rf"^(\d{{4}}-(0?[1-9]|1[0-2])|{UNDATED})$",
    "lang": r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
    "topic": r"^[a-z0-9][a-z0-9-]*$",
}
_SHAPES = {name: re.compile(pattern) for name, pattern in VALUE_PATTERNS.items()}
_EXPECTED = {"year": f"YYYY or {UNDATED!r}", "month": f"YYYY-MM or {UNDATED!r}",
             "lang": "a language code such as 'vi'", "topic": "a topic id such as 'economy-trade'"}


def date_bound(value: str, param: str, end: bool) -> int:
    """``2023`` / ``2023-09`` / ``2023-09-14`` (month and day in one or two
    digits) as a YYYYMMDD bound: the first day of the period, or its last
    when ``end``."""
    try:
        year, month, day = parse_period(value)
    except ValueError as exc:
        if "real date" in str(exc):
            raise QueryValueError(param, f"{param}: {value!r} is not a real date") from None
        raise QueryValueError(param, f"{param} must be YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}") from None
    if month is None:
        return year * 10000 + (1231 if end else 101)
    if day is None:
        last = calendar.monthrange(year, month)[1]
        return year * 10000 + month * 100 + (last if end else 1)
    return year * 10000 + month * 100 + day


class FilterResolver:
    """Turns filter values into index terms, and filters into Whoosh queries."""

    def __init__(self, reader, registry: PeopleRegistry):
        self.reader = reader
        self.registry = registry

    def value(self, field: str, value: str) -> list[str]:
        """The index term(s) a filter value stands for, after validation."""
        raw = value
        value = value.strip()
        if not value:
            raise QueryValueError(field, f"{field} needs a value")
        shape = _SHAPES.get(field)
        if shape is not None and not shape.fullmatch(raw):
            raise QueryValueError(field, f"{field} must be {_EXPECTED[field]}, not {raw!r}")
        if field == "month" and value != UNDATED:
            year, month = value.split("-")
            return [f"{year}-{int(month):02d}"]
        if field == "lang":
            return [value.lower()]
        if field in ("year", "month", "topic"):
            return [value]
        if field == "source":
            return self._sources(value)
        if field == "person":
            return [self.person(value)]
        raise QueryValueError(field, f"unknown filter {field!r}")

    def person(self, value: str) -> str:
        """A person key from a key or any spelling (``to lam``, ``Tô Lâm``)."""
        if self.reader.doc_frequency("person", value):
            return value
        found = self.registry.find(value)
        return found.key if found else person_key(value)

    def _sources(self, value: str) -> list[str]:
        """An exact source value, else every source whose name contains the
        words typed (``source:xinhua`` finds ``People's Daily Online (Xinhua)``)."""
        if self.reader.doc_frequency("source", value):
            return [value]
        wanted = fold(value).split()
        return [
            term for term in self.reader.field_terms("source")
            if all(w in re.findall(r"\w+", fold(term)) for w in wanted)
        ]

    def resolve(self, field: str, value: str) -> wq.Query:
        """A filter written in the query (``year:2023``) as a Whoosh query."""
        terms = self.value(field, value)
        if not terms:
            return wq.NullQuery
        return wq.Term(field, terms[0]) if len(terms) == 1 else wq.Or([wq.Term(field, t) for t in terms])

    def expand_prefix(self, prefix: str, limit: int = MAX_PREFIX_TERMS) -> list[str]:
        """The most frequent indexed words that start with ``prefix``, at most ``limit``."""
        found = set()
        for field in ("title", "body"):
            for term in self.reader.expand_prefix(field, prefix):
                found.add(term.decode("utf-8") if isinstance(term, bytes) else term)
                if len(found) >= limit * 8:
                    break
        ranked = sorted(found, key=lambda t: -self.reader.doc_frequency("body", t))
        return ranked[:limit] or [prefix]
