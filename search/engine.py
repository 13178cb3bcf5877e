"""Answering searches: parse → compile → run → highlight.

:class:`SearchEngine` keeps one open Whoosh searcher on the live index
generation and reopens it when a rebuild swaps generations or an addition
commits, so a long-running server never needs a restart.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from whoosh import scoring
from whoosh import query as wq

from index.layout import read_layout
from index.store import IndexStore

from .compile import Compiled, Weights, compile_query
from .filters import FilterResolver
from .highlight import snippet
from .query import parse_query

__all__ = ["SearchEngine", "SearchRequest", "SearchResponse", "Hit", "SORTS"]

SORTS = ("relevance", "newest", "oldest")


@dataclass
class SearchRequest:
    q: str = ""
    sort: str | None = None
    page: int = 1
    per_page: int = 10


@dataclass
class Hit:
    id: str
    title: str | None
    date: str | None
    lang: str
    source: str | None
    url: str | None
    score: float | None
    snippet: str

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class SearchResponse:
    query: str
    total: int
    hits: list[Hit] = field(default_factory=list)
    took_ms: float = 0.0
    relaxed: bool = False


class SearchEngine:
    def __init__(self, store: IndexStore, weights: Weights = Weights()):
        self.store = store
        self.weights = weights
        self._lock = threading.RLock()
        self._ix = None
        self._searcher = None
        self._generation: str | None = None

    # -- index lifecycle ----------------------------------------------------

    def searcher(self):
        """The searcher on the live generation, reopened if it changed."""
        with self._lock:
            current = self.store.current_name()
            if self._searcher is None or current != self._generation:
                self.close()
                self._ix = self.store.open()
                self._generation = current
                self._searcher = self._ix.searcher(weighting=scoring.BM25F())
            elif not self._searcher.up_to_date():
                # A fresh searcher, not refresh(): refresh reuses segment
                # readers and misses deletions committed since.
                self._searcher.close()
                self._searcher = self._ix.searcher(weighting=scoring.BM25F())
            return self._searcher

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
            if self._ix is not None:
                self._ix.close()
            self._searcher = self._ix = None

    # -- searching ----------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchResponse:
        started = time.perf_counter()
        parsed = parse_query(request.q)
        with self._lock:
            searcher = self.searcher()
            resolver = FilterResolver(searcher.reader())
            compiled = compile_query(parsed, weights=self.weights,
                                     resolve_filter=resolver.resolve,
                                     expand_prefix=resolver.expand_prefix)
            sort = request.sort or ("relevance" if compiled.scored is not None else "newest")
            results = self._run(searcher, compiled, sort, request)
            relaxed = False
            if results.scored_length() == 0 and compiled.relaxable:
                compiled = compile_query(parsed, weights=self.weights, relaxed=True,
                                         resolve_filter=resolver.resolve,
                                         expand_prefix=resolver.expand_prefix)
                results = self._run(searcher, compiled, sort, request)
                relaxed = True
            hits = self._hits(results, compiled, request, sort)
            total = len(results)
        return SearchResponse(
            query=request.q, total=total, hits=hits, relaxed=relaxed,
            took_ms=round((time.perf_counter() - started) * 1000, 2),
        )

    def _run(self, searcher, compiled: Compiled, sort: str, request: SearchRequest):
        q = compiled.scored if compiled.scored is not None else wq.Every()
        kwargs = dict(filter=compiled.filter, mask=compiled.mask,
                      limit=request.page * request.per_page)
        if sort == "relevance" and compiled.scored is not None:
            return searcher.search(q, **kwargs)
        return searcher.search(q, sortedby="day", reverse=(sort == "newest"), **kwargs)

    def _hits(self, results, compiled: Compiled, request: SearchRequest, sort: str) -> list[Hit]:
        start = (request.page - 1) * request.per_page
        hits = []
        for hit in results[start:start + request.per_page]:
            stored = hit.fields()
            layout = read_layout(stored.get("title"), stored.get("text", ""))
            story = "\n\n".join(layout.story) or stored.get("text", "")
            hits.append(Hit(
                id=stored["id"],
                title=stored.get("title"),
                date=stored.get("date"),
                lang=stored.get("lang", "und"),
                source=stored.get("source"),
                url=stored.get("url"),
                score=round(hit.score, 4) if sort == "relevance" and hit.score is not None else None,
                snippet=snippet(story, stored.get("lang"), compiled.terms),
            ))
        return hits
