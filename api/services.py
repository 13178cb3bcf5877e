"""What the HTTP layer needs, built once per app from its settings."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from flask import current_app

from index.ingest import Extractor
from index.store import IndexStore
from search.engine import SearchEngine

from .components import ingest_config, make_engine, make_store

__all__ = ["Services", "services"]


@dataclass
class Services:
    settings: object

    @cached_property
    def store(self) -> IndexStore:
        return make_store(self.settings)

    @cached_property
    def engine(self) -> SearchEngine:
        return make_engine(self.settings, self.store)

    @cached_property
    def openapi(self) -> dict:
        from .openapi import openapi_document

        return openapi_document(self.settings)

    @cached_property
    def extractor(self) -> Extractor:
        return Extractor(ingest_config(self.settings))


def services() -> Services:
    return current_app.extensions["tracuu"]
