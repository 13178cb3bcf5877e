"""From records to articles: every extraction step, in order.

:class:`Extractor` holds what extraction needs (the outlet registry, later
the people registry and the topic taxonomy), loaded once per process, and
turns a :class:`~index.document.Record` into an :class:`~index.document.Article`.
Values a record states explicitly always win over extracted ones.

:func:`process_job` is the unit of parallel work: parse one job and extract
its articles, in whichever process runs it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import regex

from .dates import parse_date
from .document import Article, Record, Rejection
from .language import detect_language
from .layout import read_layout
from .parse import Job, read_job
from .sources import SourceRegistry

__all__ = ["IngestConfig", "Extractor", "process_job", "content_hash"]

# A closing line that is a person's name: two to four capitalised words.
_AUTHOR = regex.compile(r"^\p{Lu}[\p{L}.'’-]*(?:\s+\p{Lu}[\p{L}.'’-]*){1,3}$")


@dataclass(frozen=True)
class IngestConfig:
    """What extraction reads besides the documents: extra data files."""

    sources_files: tuple[Path, ...] = ()


def content_hash(text: str) -> str:
    """Fingerprint for exact duplicates: the text, case and spacing ignored."""
    return hashlib.sha1(" ".join(text.casefold().split()).encode("utf-8")).hexdigest()


class Extractor:
    def __init__(self, config: IngestConfig = IngestConfig()):
        self.config = config
        self._sources: SourceRegistry | None = None

    @property
    def sources(self) -> SourceRegistry:
        if self._sources is None:
            self._sources = SourceRegistry.load(*self.config.sources_files)
        return self._sources

    def article(self, record: Record) -> Article:
        layout = read_layout(record.title, record.text)
        date = record.date
        if date is None:
            date = next(filter(None, map(parse_date, layout.date_lines)), None)
        story = "\n\n".join(layout.story)
        lang = record.lang or detect_language(f"{record.title or ''}\n\n{story or record.text}")
        credits = list(layout.credits)
        source = record.source
        if source is None:
            markers = layout.markers + ([record.site] if record.site else [])
            source, signed = self.sources.identify(
                url=record.url, markers=markers,
                credit_labels=layout.credit_labels, signoff=layout.signoff,
            )
            if layout.signoff and not signed and _AUTHOR.match(layout.signoff):
                credits.append(f"{layout.signoff} (byline)")
        if record.credits is not None:
            credits = list(record.credits)
        return Article(
            id=record.id,
            title=record.title,
            text=record.text,
            lang=lang,
            date=date,
            source=source,
            url=record.url,
            dateline=layout.dateline,
            lead=layout.lead,
            body=layout.body_text,
            credits=credits,
            sha=content_hash(record.text),
            origin=record.origin,
        )


_worker_extractor: Extractor | None = None


def init_worker(config: IngestConfig) -> None:
    """Pool initialiser: one extractor per worker process."""
    global _worker_extractor
    _worker_extractor = Extractor(config)


def process_job(job: Job, extractor: Extractor | None = None) -> list[Article | Rejection]:
    """Parse a job and extract its articles; failures become rejections."""
    extractor = extractor or _worker_extractor or Extractor()
    out: list[Article | Rejection] = []
    for item in read_job(job):
        if isinstance(item, Rejection):
            out.append(item)
            continue
        try:
            out.append(extractor.article(item))
        except ValueError as exc:
            out.append(Rejection(item.origin, str(exc)))
    return out
