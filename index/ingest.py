"""From records to articles: every extraction step, in order.

:class:`Extractor` holds what extraction needs (the outlet registry, later
the people registry and the topic taxonomy), loaded once per process, and
turns a :class:`~index.document.Record` into an :class:`~index.document.Article`.
Values a record states explicitly always win over extracted ones.

:func:`process_job` is the unit of parallel work: parse one job and extract
its articles, in whichever process runs it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Iterable

import regex

from .analysis import words
from .document import Article, Person, Record, Rejection
from .language import detect_language
from .lifeline import die_with_parent
from .layout import read_layout
from .parse import Job, read_job
from .normalize import fold
from .people import TITLE_WORDS, NameShapes, PeopleRegistry, PersonExtractor, person_key
from .published import is_placeholder, publication_date
from .sources import SourceRegistry
from .topics import Taxonomy, TopicClassifier
from .urls import checked_url
from .vocabulary import ArticleTerms, article_terms

__all__ = ["IngestConfig", "Extractor", "process_job", "extract_all", "content_hash", "stored_terms"]

# A closing line that is a person's name: two to four capitalised words.
# An article about China, in Vietnamese: its Vietnamese-shaped names may be
# Chinese names in their Sino-Vietnamese reading.
_CHINA = regex.compile(r"Trung Quốc|Bắc Kinh|Trung Hoa|Trung Nam Hải|\bTQ\b")
_AUTHOR = regex.compile(r"^\p{Lu}[\p{L}.'’-]*(?:\s+\p{Lu}[\p{L}.'’-]*){1,3}$")


@dataclass(frozen=True)
class IngestConfig:
    """What extraction reads besides the documents: extra data files, and
    the day of ingest (no article was published after it; None: today)."""

    sources_files: tuple[Path, ...] = ()
    people_files: tuple[Path, ...] = ()
    places_files: tuple[Path, ...] = ()
    taxonomy_file: Path | None = None
    today: dt.date | None = None


def content_hash(text: str) -> str:
    """Fingerprint for exact duplicates: the text, case and spacing ignored."""
    return hashlib.sha1(" ".join(text.casefold().split()).encode("utf-8")).hexdigest()


def _zones(title: str | None, layout) -> list[str | None]:
    """The texts ranked apart: headline, lead, rest of the story."""
    return [title, layout.lead, layout.body_text]


def stored_terms(title: str | None, text: str) -> ArticleTerms:
    """The vocabulary terms an article was counted with, from its stored
    title and text (the layout is read from them as at ingest)."""
    zones = _zones(title, read_layout(title, text))
    return article_terms([words(z) if z else [] for z in zones], zones)


class Extractor:
    def __init__(self, config: IngestConfig = IngestConfig()):
        self.config = config

    @cached_property
    def sources(self) -> SourceRegistry:
        return SourceRegistry.load(*self.config.sources_files)

    @cached_property
    def people(self) -> PersonExtractor:
        return PersonExtractor(PeopleRegistry.load(*self.config.people_files),
                               NameShapes.load(*self.config.places_files,
                                               outlets=self.sources.names()))

    @cached_property
    def taxonomy(self) -> Taxonomy:
        return Taxonomy.load(self.config.taxonomy_file)

    @cached_property
    def topics(self) -> TopicClassifier:
        return TopicClassifier(self.taxonomy)

    def warm(self) -> None:
        """Load now the tables the first article would wait for (a server
        that takes writes calls this at start)."""
        self.sources, self.topics  # noqa: B018
        self.people.hanviet.readings  # noqa: B018

    def _explicit_persons(self, given: list[dict], found) -> tuple[list[Person], dict[str, list[str]]]:
        """Persons a record states ({key, label, spellings} or a name), keyed
        as extraction would, and their spellings: as stated, else those
        extraction ``found`` for the same person."""
        registry = self.people.registry
        out: list[Person] = []
        spellings: dict[str, list[str]] = {}
        for item in given:
            key, label = item.get("key"), item.get("label")
            if key is None:
                person = registry.find(label)
                key, label = (person.key, person.name) if person else (person_key(label), label)
            elif label is None:
                label = registry.people[key].name if key in registry.people else key
            if not key or any(p.key == key for p in out):
                continue
            out.append(Person(key, label))
            spelled = item.get("spellings")
            if spelled is None:
                spelled = found.spellings.get(key, ()) if found is not None else ()
            if spelled:
                spellings[key] = list(dict.fromkeys(spelled))
        return out, spellings

    def article(self, record: Record) -> Article:
        layout = read_layout(record.title, record.text)
        url, url_warning = checked_url(record.url)
        warnings = [url_warning] if url_warning else []
        date, date_rule = record.date, (record.date_rule or "given") if record.date else None
        if date is not None and is_placeholder(date):
            warnings.append(f"date {date.isoformat()} is a placeholder, not a publication date: ignored")
            date, date_rule = None, None
        if date is None:
            found = publication_date(layout.date_lines, self.config.today or dt.date.today())
            if found is not None:
                date, date_rule = found.date, found.rule
        story = "\n\n".join(layout.story)
        lang = record.lang or detect_language(f"{record.title or ''}\n\n{story or record.text}")
        credits = list(layout.credits)
        source = record.source
        if source is None:
            markers = layout.markers + ([record.site] if record.site else [])
            source, signed = self.sources.identify(
                url=url, markers=markers,
                credit_labels=layout.credit_labels, signoff=layout.signoff,
            )
            if layout.signoff and not signed and _AUTHOR.match(layout.signoff):
                credits.append(f"{layout.signoff} (byline)")
        if record.credits is not None:
            credits = list(record.credits)
        found = None
        if record.persons is None or any("spellings" not in p for p in record.persons):
            segments = ([record.title] if record.title else []) + layout.segments
            found = self.people.extract(segments, credits)
        readings = {}
        if record.persons is not None:
            persons, spellings = self._explicit_persons(record.persons, found)
        else:
            persons, spellings = found.persons, found.spellings
            if found.sino and _CHINA.search(story):
                readings = self._chinese_readings(persons, found.sino)
        zones = _zones(record.title, layout)
        zone_words = [words(z) if z else [] for z in zones]
        if record.topics is not None:
            topics = list(dict.fromkeys(record.topics))
        else:
            names = frozenset(w.lower() for surfaces in spellings.values() for surface in surfaces
                              for w in words(surface) if w[:1].isupper() and fold(w) not in TITLE_WORDS)
            topics = self.topics.classify(record.title, layout.lead, layout.body_text, lang, zone_words, names)
        return Article(
            id=record.id,
            title=record.title,
            text=record.text,
            lang=lang,
            date=date,
            date_rule=date_rule,
            source=source,
            url=url,
            dateline=layout.dateline,
            lead=layout.lead,
            body=layout.body_text,
            credits=credits,
            persons=persons,
            spellings=spellings,
            topics=topics,
            topic_filters=self.taxonomy.with_parents(topics),
            sha=content_hash(record.text),
            origin=record.origin,
            terms=article_terms(zone_words, zones),
            warnings=warnings,
            chinese_readings=readings,
        )

    def _chinese_readings(self, persons: list[Person], keys: list[str]) -> dict[str, tuple[str, ...]]:
        """The pinyin names each Vietnamese-shaped name of an article about
        China may be the Sino-Vietnamese reading of (its family name read as
        a Chinese family name)."""
        hanviet, families = self.people.hanviet, self.people.shapes.cn_family
        out = {}
        for person in persons:
            parts = person.label.split()
            if person.key in keys and hanviet.family_readings(parts[0]) & families:
                out[person.key] = tuple(hanviet.pinyin_names(parts))
        return {k: v for k, v in out.items() if v}


_worker_extractor: Extractor | None = None


def init_worker(config: IngestConfig) -> None:
    """Pool initialiser: one extractor per worker process, which ends when
    the command that started it does."""
    global _worker_extractor
    die_with_parent()
    _worker_extractor = Extractor(config)


def process_job(job: Job, extractor: Extractor | None = None) -> list[Article | Rejection]:
    """Parse a job and extract its articles; failures become rejections."""
    return extract_all(read_job(job), extractor or _worker_extractor or Extractor())


def extract_all(items: Iterable, extractor: Extractor) -> list[Article | Rejection]:
    """Articles from parsed records; a record that fails becomes a
    rejection, and rejections pass through, so a batch never stops."""
    out: list[Article | Rejection] = []
    for item in items:
        if isinstance(item, Rejection):
            out.append(item)
            continue
        try:
            out.append(extractor.article(item))
        except ValueError as exc:
            out.append(Rejection(item.origin, str(exc)))
        except Exception as exc:  # a bug must not stop the batch: report it
            out.append(Rejection(item.origin, f"could not be processed ({type(exc).__name__}: {exc})"))
    return out
