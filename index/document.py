"""The records that flow through ingest.

``Record`` is what a parser read from a file, with only the values the file
states explicitly. ``Article`` is a record after extraction: every field the
index stores. ``Rejection`` says why an input did not become a record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

__all__ = ["Record", "Article", "Rejection", "IngestWarning", "Person", "Origin"]


@dataclass(frozen=True)
class Origin:
    """Where an input came from: a file and, for JSON Lines, a line number."""

    path: str
    line: int | None = None
    item: int | None = None  # index in a JSON array

    def __str__(self) -> str:
        if self.line is not None:
            return f"{self.path}:{self.line}"
        if self.item is not None:
            return f"{self.path}[{self.item}]"
        return self.path


@dataclass
class Record:
    """One document as a file states it; ``None`` means "not stated"."""

    origin: Origin
    id: str
    text: str
    title: str | None = None
    date: dt.date | None = None
    url: str | None = None
    source: str | None = None
    lang: str | None = None
    # Explicit entity labels (from an export): lists of keys/ids, or None.
    persons: list[dict] | None = None
    topics: list[str] | None = None
    credits: list[str] | None = None
    # How the given date was found when an export first indexed it (None: given).
    date_rule: str | None = None
    # The site name a web page gives: a hint for the source, not a value.
    site: str | None = None


@dataclass(frozen=True)
class Person:
    key: str
    label: str


@dataclass
class Article:
    """A document ready to index: explicit values, then extracted ones."""

    id: str
    title: str | None
    text: str
    lang: str
    date: dt.date | None = None
    # how the date was found: index.published.RULES ("given", "published", ...)
    date_rule: str | None = None
    source: str | None = None
    url: str | None = None
    dateline: str | None = None
    lead: str = ""
    body: str = ""
    credits: list[str] = field(default_factory=list)
    persons: list[Person] = field(default_factory=list)
    # person key -> the spellings the article uses ("To Lam", "Minister Lam")
    spellings: dict[str, list[str]] = field(default_factory=dict)
    topics: list[str] = field(default_factory=list)
    # the topics and their parents: what a topic filter matches
    topic_filters: list[str] = field(default_factory=list)
    sha: str = ""
    origin: Origin | None = None
    # person key -> the pinyin names (folded, joined) a Sino-Vietnamese name
    # may stand for; the writer links it to one the archive knows (not stored).
    chinese_readings: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Distinct words and phrases, for the index's vocabulary (not stored).
    terms: object = None
    # What ingest changed or dropped while keeping the document (not stored).
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Rejection:
    """An input that was not indexed, and why."""

    origin: Origin
    reason: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"


@dataclass(frozen=True)
class IngestWarning:
    """Something ingest dropped or changed in a document it still indexed."""

    origin: Origin | str
    message: str

    def __str__(self) -> str:
        return f"{self.origin}: warning: {self.message}"
