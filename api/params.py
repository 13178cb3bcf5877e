"""The query parameters of each GET endpoint, declared once.

Each :class:`Param` both reads its value from a request (converting and
checking it, or raising :class:`~api.errors.InvalidParameter` naming it) and
describes itself in the OpenAPI document, so what the server accepts and
what its description says cannot drift apart. Bounds that come from a
setting (``per_page`` up to ``TRACUU_MAX_PER_PAGE``) are read from the
app's settings in both places.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping

from index.dates import PERIOD_PATTERN
from search.engine import MATCHES, SORTS
from search.facets import FACETS
from search.filters import VALUE_PATTERNS
from search.suggest import KINDS

from .errors import InvalidParameter

__all__ = ["Param", "SEARCH", "SUGGEST", "FACET_VALUES", "DOCUMENT", "WRITE", "read_params"]



@dataclass(frozen=True)
class Param:
    """One query parameter. ``kind`` is ``string``, ``integer``, ``list``
    (repeatable: ``person=a&person=b``) or ``csv`` (one value, names joined
    by commas: ``facets=person,topic``; empty: none of them).

    An empty string parameter counts as absent (an HTML form sends its
    empty fields); an empty integer, or an empty item of a list, is refused.
    """

    name: str
    kind: str = "string"
    description: str = ""
    default: Any = None
    minimum: int | None = None
    maximum: int | str | None = None  # a number, or the name of the setting that bounds it
    enum: tuple[str, ...] | None = None  # allowed values (of each item, for list and csv)
    pattern: str | None = None  # the shape of the value (of each item, for a list)
    max_length: int | str | None = None

    def bound(self, value, settings):
        return settings[value] if isinstance(value, str) else value

    def schema(self, settings) -> dict:
        if self.kind == "list":
            return {"type": "array", "items": {"type": "string", "pattern": self.pattern or r"\S"}}
        if self.kind == "csv":
            names = "|".join(re.escape(v) for v in self.enum)
            return {"type": "string", "pattern": f"^(({names})(,({names}))*)?$"}
        schema: dict = {"type": self.kind}
        if self.enum:
            schema["enum"] = ["", *self.enum]
        if self.pattern:
            schema["pattern"] = f"^$|{self.pattern}"
        if self.minimum is not None:
            schema["minimum"] = self.minimum
        if self.maximum is not None:
            schema["maximum"] = self.bound(self.maximum, settings)
        if self.max_length is not None:
            schema["maxLength"] = self.bound(self.max_length, settings)
        if self.default is not None:
            schema["default"] = self.default
        return schema

    def openapi(self, settings) -> dict:
        out = {"name": self.name, "in": "query", "required": False, "description": self.description,
               "schema": self.schema(settings)}
        if self.kind == "list":
            out["style"], out["explode"] = "form", True
        return out

    def _refuse(self, detail: str):
        raise InvalidParameter(detail, self.name)

    def read(self, args, settings):
        if self.kind == "list":
            if self.name not in args:
                return None
            values = args.getlist(self.name)
            for v in values:
                if not v.strip():
                    self._refuse(f"{self.name} needs a value")
            return values  # their shape is checked, with a precise message, by the engine
        raw = args.get(self.name)
        if self.kind == "csv":
            if raw is None:
                return None
            values = raw.split(",") if raw else []
            for v in values:
                if v not in self.enum:
                    self._refuse(f"{self.name} must be a comma-separated list of {', '.join(self.enum)}, "
                                 f"not {raw!r}")
            return values
        if raw is None or (raw == "" and self.kind == "string"):
            return self.default
        if self.max_length is not None and len(raw) > self.bound(self.max_length, settings):
            self._refuse(f"{self.name} is {len(raw)} characters long; the limit is "
                         f"{self.bound(self.max_length, settings)}")
        if self.kind == "integer":
            if not re.fullmatch(r"[+-]?\d+", raw):
                self._refuse(f"{self.name} must be a whole number, not {raw!r}")
            value = int(raw)
            low = self.minimum
            high = self.bound(self.maximum, settings) if self.maximum is not None else None
            if (low is not None and value < low) or (high is not None and value > high):
                span = f"between {low} and {high}" if high is not None else f"{low} or more"
                self._refuse(f"{self.name} must be {span}, not {value}")
            return value
        if self.enum and raw not in self.enum:
            self._refuse(f"{self.name} must be one of {', '.join(self.enum)}, not {raw!r}")
        return raw  # patterns (dates) are checked, with a precise message, by the engine


def read_params(params: tuple[Param, ...], args, settings: Mapping) -> dict:
    """Every declared parameter's value (its default when absent)."""
    return {p.name: p.read(args, settings) for p in params}


_FILTER_HELP = "Filter on {} (repeatable; values of one facet combine with OR)"
HL = Param("hl", enum=("en", "vi"), default="en", description="Language of labels")

SEARCH = (
    Param("q", default="", max_length="max_query_length",
          description='Keywords, "phrases", -exclusions, OR, prefix*, and field filters '
                      '(person:"to lam", topic:economy-trade, year:2023, month:2023-09)'),
    *(Param(name, kind="list", pattern=VALUE_PATTERNS.get(name), description=_FILTER_HELP.format(name)
            + {"person": ": a person key or any spelling of the name",
               "month": ": YYYY-MM or 'undated'", "year": ": YYYY or 'undated'"}.get(name, ""))
      for name in FACETS),
    Param("from", pattern=PERIOD_PATTERN, description="Earliest publication date: 2023, 2023-09 or 2023-09-14 "
                                               "(month and day may have one digit)"),
    Param("to", pattern=PERIOD_PATTERN, description="Latest publication date, as from; "
                                                     "a period that ends before from begins is refused"),
    Param("sort", enum=SORTS, description="Default: relevance with q, newest without"),
    Param("match", enum=MATCHES, default="most",
          description="most (default): a result matches most of the query's concepts, and more rank "
                      "higher; all: every concept is required"),
    Param("page", kind="integer", minimum=1, default=1,
          description="Page number; page × per_page may not exceed TRACUU_MAX_WINDOW"),
    Param("per_page", kind="integer", minimum=1, maximum="max_per_page", default=10),
    Param("facets", kind="csv", enum=FACETS,
          description="Facets to count, comma-separated; empty: none; default: all"),
    HL,
)

SUGGEST = (
    Param("q", default="", max_length="max_query_length", description="What has been typed so far"),
    Param("limit", kind="integer", minimum=1, maximum=20, default=8),
    Param("kind", kind="csv", enum=KINDS, description="Kinds of suggestion, comma-separated; default: all"),
)

FACET_VALUES = (
    Param("q", default="", max_length="max_query_length",
          description="Words the value's label starts with (diacritics ignored); empty: the most frequent"),
    Param("limit", kind="integer", minimum=1, maximum=100, default=10),
    HL,
)

DOCUMENT = (HL,)
WRITE = (
    Param("refresh", enum=("true", "wait_for", "false"), default="false",
          description="When the answer comes. Every write is saved durably (a journal) before "
                      "any answer. false: at once; searchable everywhere within "
                      "TRACUU_REFRESH_INTERVAL seconds, committed with the other writes of the "
                      "interval. wait_for: once it is committed and every server process "
                      "searches it (up to an interval). true: once committed now, in this "
                      "request (one commit per write: for tests and rare writes)"),
)
