"""The query language people type, parsed into a small syntax tree.

::

    to lam                     the words, ranked: more of them (and rarer ones) first
    "Tô Lâm"                   a phrase: the words, adjacent and in order (required)
    +hanoi rice                + requires a word (or a phrase, or an OR group)
    cooperation -covid         - excludes a word, a phrase or a filter
    china OR vietnam trade     OR joins its neighbours: (china OR vietnam) AND trade
    coop*                      a prefix
    person:"to lam" topic:economy-trade year:2023 lang:vi source:Xinhua
                               field filters; an unknown field name is a word

:func:`parse_query` raises :class:`QuerySyntaxError` with the position of the
problem (an unclosed quote, a filter without a value, a dangling OR).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import QuerySyntaxError
from .fields import FACETS

__all__ = [
    "QuerySyntaxError", "Word", "Prefix", "Phrase", "Filter", "AnyOf", "Required",
    "ParsedQuery", "parse_query", "text_spans", "FILTER_FIELDS",
]

FILTER_FIELDS = FACETS  # the field filters a query may hold


@dataclass(frozen=True)
class Word:
    text: str


@dataclass(frozen=True)
class Prefix:
    text: str  # without the trailing *


@dataclass(frozen=True)
class Phrase:
    text: str


@dataclass(frozen=True)
class Filter:
    field: str
    value: str


@dataclass(frozen=True)
class AnyOf:
    nodes: tuple


@dataclass(frozen=True)
class Required:
    """A clause typed with ``+``: every result must match it."""

    node: object


@dataclass
class ParsedQuery:
    """Clauses that must all match; filters are kept apart from text clauses."""

    clauses: list = field(default_factory=list)
    filters: list[Filter] = field(default_factory=list)
    excluded: list = field(default_factory=list)


_OR = object()


def _lex(q: str):
    """Yield (start, end, sign, atom): sign is "-", "+" or ""; atom is a node
    or _OR, and ``q[start:end]`` is its text, the sign included."""
    i, n = 0, len(q)
    while i < n:
        if q[i].isspace():
            i += 1
            continue
        start = i
        sign = ""
        if q[i] in "-+" and i + 1 < n and not q[i + 1].isspace() and q[i + 1] not in "-+":
            sign = q[i]
            i += 1
        if q[i] == '"':
            end = q.find('"', i + 1)
            if end < 0:
                raise QuerySyntaxError("unclosed quotation mark", i)
            text = q[i + 1:end].strip()
            i = end + 1
            if text:
                yield start, i, sign, Phrase(text)
            continue
        j = i
        while j < n and not q[j].isspace() and q[j] != '"':
            j += 1
        token = q[i:j]
        name, colon, value = token.partition(":")
        if colon and name.lower() in FILTER_FIELDS:
            name = name.lower()
            if not value:
                if j < n and q[j] == '"':
                    end = q.find('"', j + 1)
                    if end < 0:
                        raise QuerySyntaxError("unclosed quotation mark", j)
                    value = q[j + 1:end].strip()
                    j = end + 1
                if not value:
                    raise QuerySyntaxError(f"{name}: needs a value", start)
            i = j
            yield start, j, sign, Filter(name, value)
            continue
        i = j
        if token == "OR" and not sign:
            yield start, j, "", _OR
        elif token.endswith("*") and len(token.rstrip("*")) >= 1:
            yield start, j, sign, Prefix(token.rstrip("*"))
        elif token.strip("*"):
            yield start, j, sign, Word(token.strip("*"))


def text_spans(q: str) -> list[tuple[int, int]]:
    """Where in ``q`` the words and phrases a search must find are: the
    parts a spelling corrector may change (not filters, exclusions, prefixes
    or OR). Raises QuerySyntaxError as :func:`parse_query` does."""
    parse_query(q)
    return [(start, end) for start, end, sign, atom in _lex(q)
            if sign != "-" and isinstance(atom, (Word, Phrase))]


def parse_query(q: str) -> ParsedQuery:
    """Parse a query string; raises QuerySyntaxError."""
    parsed = ParsedQuery()
    items: list = []  # positive nodes, in order, with OR groups merged
    pending_or: int | None = None
    for pos, _, sign, atom in _lex(q):
        if atom is _OR:
            if not items or pending_or is not None or isinstance(items[-1], Filter):
                raise QuerySyntaxError("OR needs a word or phrase on each side", pos)
            pending_or = pos
            continue
        if sign == "-":
            if pending_or is not None:
                raise QuerySyntaxError("OR needs a word or phrase on each side", pending_or)
            parsed.excluded.append(atom)
            continue
        if sign == "+" and not isinstance(atom, Filter):  # a filter is required anyway
            atom = Required(atom)
        if pending_or is not None:
            if isinstance(atom, Filter):
                raise QuerySyntaxError("OR cannot join a field filter", pending_or)
            left = items.pop()
            required = isinstance(left, Required) or isinstance(atom, Required)
            left, atom = _bare(left), _bare(atom)
            left_nodes = left.nodes if isinstance(left, AnyOf) else (left,)
            group = AnyOf(left_nodes + (atom,))
            items.append(Required(group) if required else group)
            pending_or = None
            continue
        items.append(atom)
    if pending_or is not None:
        raise QuerySyntaxError("OR needs a word or phrase on each side", pending_or)
    for item in items:
        (parsed.filters if isinstance(item, Filter) else parsed.clauses).append(item)
    return parsed


def _bare(node):
    return node.node if isinstance(node, Required) else node
