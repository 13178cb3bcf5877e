"""Shared fixtures: a seed index built once per session, and helpers for
small in-memory indexes built from literal documents."""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path

import pytest
from whoosh import scoring
from whoosh.filedb.filestore import RamStorage

from index.document import Article
from index.schema import document_fields, make_schema
from index.store import IndexStore
from index.writer import rebuild
from search.compile import compile_query
from search.engine import SearchEngine, SearchRequest
from search.query import parse_query

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def seed_labels() -> dict[str, dict]:
    with open(FIXTURES / "seeds_labels.jsonl", encoding="utf-8") as f:
        return {row["file"]: row for row in map(json.loads, f)}


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory) -> IndexStore:
    store = IndexStore(tmp_path_factory.mktemp("seed-index"))
    report = rebuild(store, [SEEDS], procs=1)
    assert report.ok, report.rejected
    assert report.indexed == 5
    return store


@pytest.fixture
def seed_engine(seed_store):
    engine = SearchEngine(seed_store)
    yield engine
    engine.close()


def articles(rows, lang: str | None = None) -> list[dict]:
    """Documents as a file holds them, from ``(id, lang, text)`` rows, or
    from ``(id, text)`` rows all in ``lang``."""
    return [{"id": row[0], "lang": lang or row[1], "text": row[-1]} for row in rows]


@contextmanager
def engine_over(root: Path, docs: list[dict]):
    """A search engine over ``docs`` (JSON objects as a file would hold
    them), indexed in ``root``; closed on leaving."""
    src = root / "docs.jsonl"
    src.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in docs), encoding="utf-8")
    store = IndexStore(root / "ix")
    report = rebuild(store, [src], procs=1)
    assert report.ok, report.rejected
    engine = SearchEngine(store)
    try:
        yield engine
    finally:
        engine.close()


def search_ids(engine: SearchEngine, q: str, **kwargs) -> list[str]:
    """Ids of the hits for ``q``, best first, as short seed prefixes ("000")."""
    response = engine.search(SearchRequest(q=q, per_page=50, **kwargs))
    return [hit.id[:3] for hit in response.hits]


class MiniIndex:
    """A RAM index of literal documents, searched through the real compiler."""

    def __init__(self, docs: list[tuple[str, str, str]]):
        self.ix = RamStorage().create_index(make_schema())
        with self.ix.writer() as writer:
            for doc_id, lang, text in docs:
                writer.add_document(**document_fields(
                    Article(id=doc_id, title=None, text=text, lang=lang, lead=text, sha=doc_id)))

    def scores(self, q: str) -> dict[str, float]:
        compiled = compile_query(parse_query(q))
        with self.ix.searcher(weighting=scoring.BM25F()) as s:
            return {hit["id"]: hit.score for hit in s.search(compiled.scored, limit=None)}

    def ids(self, q: str) -> list[str]:
        scores = self.scores(q)
        return sorted(scores, key=lambda k: (-scores[k], k))


# -- HTTP API --------------------------------------------------------------------

WRITE_KEY = "test-write-key-0123456789"


@pytest.fixture
def make_app(seed_store, tmp_path):
    """A factory of apps, each on its own copy of the seed index."""
    import shutil

    from api.app import create_app

    apps = []

    def make(**settings):
        index = tmp_path / f"index-{len(list(tmp_path.iterdir()))}"
        shutil.copytree(seed_store.root, index, ignore=shutil.ignore_patterns(".lock"))
        settings.setdefault("index", str(index))
        settings.setdefault("write_key", WRITE_KEY)
        settings.setdefault("rate_limit", 0)
        # writes commit in their request (the journal's committer: test_live_writes.py)
        settings.setdefault("refresh_interval", 0)
        app = create_app({"TESTING": True, **settings})
        apps.append(app)
        return app

    yield make
    for app in apps:  # close the index files each app opened
        services = app.extensions["tracuu"]
        if vars(services).get("committer") is not None:
            services.committer.stop()
        if "engine" in vars(services):
            services.engine.close()


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


def auth() -> dict:
    return {"Authorization": f"Bearer {WRITE_KEY}"}


def conforms(response, path: str, method: str = "get") -> dict:
    """Validate a response body against the OpenAPI description; return it."""
    from jsonschema import Draft202012Validator

    from api.openapi import openapi_document
    from api.settings import load_settings

    spec = openapi_document(load_settings({}))
    declared = spec["paths"][path][method]["responses"][str(response.status_code)]
    media = response.mimetype
    schema = declared["content"][media]["schema"]
    body = response.get_json(force=True)
    Draft202012Validator({**schema, "components": spec["components"]}).validate(body)
    return body
