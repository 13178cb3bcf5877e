"""What the HTTP layer needs, built once per app from its settings."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from flask import current_app

from index.ingest import Extractor, IngestConfig
from index.store import IndexStore
from search.engine import EngineConfig, SearchEngine

__all__ = ["Services", "services"]


@dataclass
class Services:
    settings: object

    @cached_property
    def store(self) -> IndexStore:
        return IndexStore(self.settings.index)

    @cached_property
    def engine(self) -> SearchEngine:
        s = self.settings
        return SearchEngine(self.store, EngineConfig(
            max_query_length=s.max_query_length, max_per_page=s.max_per_page,
            max_window=s.max_window, timeout=s.query_timeout,
            people_files=s.people, taxonomy_file=s.topics,
        ))

    @cached_property
    def extractor(self) -> Extractor:
        s = self.settings
        return Extractor(IngestConfig(sources_files=s.sources, people_files=s.people,
                                      places_files=s.places, taxonomy_file=s.topics))


def services() -> Services:
    return current_app.extensions["tracuu"]
