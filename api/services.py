"""What the HTTP layer needs, built once per app from its settings."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from flask import current_app

from index.ingest import Extractor
from index.live import Committer
from index.store import IndexStore
from search.engine import SearchEngine

from .components import COMMIT_SHARE, ingest_config, make_engine, make_store
from .turns import Turns

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
    def turns(self) -> Turns:
        """This process's searches and writes take turns (see api/turns.py),
        one at a time: they read the index under one lock in any case
        (Whoosh's segment readers seek and read shared file handles)."""
        return Turns(1)

    @cached_property
    def openapi(self) -> dict:
        from .openapi import openapi_document

        return openapi_document(self.settings)

    @cached_property
    def extractor(self) -> Extractor:
        return Extractor(ingest_config(self.settings))

    @cached_property
    def committer(self) -> Committer | None:
        """This process's journal committer, started on first use (None when
        the refresh interval is 0: each write commits in its request)."""
        interval = self.settings.refresh_interval
        if interval <= 0:
            return None
        return Committer(self.store, interval * COMMIT_SHARE, on_commit=lambda report: self.engine.expire()).start()


def services() -> Services:
    return current_app.extensions["tracuu"]
