"""Near-real-time counts: an engine kept open while articles are added,
replaced and deleted answers with the same facet counts and totals as an
engine over a fresh rebuild of the documents left, at once; and, once its
background refresh has run, the same suggestions and did-you-mean."""

import json
from contextlib import contextmanager

from index.store import IndexStore
from index.writer import add, delete, rebuild
from search.documents import export_records
from search.engine import EngineConfig, SearchEngine, SearchRequest

from .conftest import SEEDS

FACETS = ("person", "topic", "year", "month", "lang", "source")
NEW = [
    {"id": "n1", "lang": "vi", "date": "2024-03-02", "title": "Bộ trưởng Lê Minh Hoan thăm Cần Thơ",
     "text": "Bộ trưởng Nông nghiệp Lê Minh Hoan làm việc với nông dân Cần Thơ về xuất khẩu gạo sang Trung Quốc."},
    {"id": "n2", "lang": "en", "date": "2023-11-20", "title": "Rice exports to China rise",
     "text": "Vietnam's rice exports to China rose sharply, Agriculture Minister Le Minh Hoan said in Can Tho."},
    {"id": "n3", "lang": "en", "date": "2022-05-01", "title": "Typhoon hits the coast",
     "text": "A typhoon hit the central coast, and rescue teams evacuated thousands of residents."},
]


def _write(path, docs):
    path.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in docs) + "\n", encoding="utf-8")
    return path


def _settled(engine: SearchEngine) -> SearchEngine:
    """The engine after the speller and suggestions caught up with the
    last write (asking for them starts their refresh)."""
    engine.suggest("a")
    engine.search(SearchRequest(q="typhon", per_page=1))
    engine.derived.settle()
    return engine


def _counts(engine: SearchEngine) -> dict:
    response = engine.search(SearchRequest(q="", per_page=1))
    rice = engine.search(SearchRequest(q="rice", per_page=1))
    return {
        "total": response.total,
        "facets": {name: sorted((v.value, v.count) for v in values) for name, values in response.facets.items()},
        "rice": (rice.total, sorted((v.value, v.count) for v in rice.facets["person"])),
    }


def _answers(engine: SearchEngine) -> dict:
    return {
        **_counts(engine),
        "suggest": [(s.text, s.kind, s.weight) for q in ("ri", "le", "ty", "to") for s in engine.suggest(q)],
        "did_you_mean": engine.search(SearchRequest(q="typhon", per_page=1)).did_you_mean,
    }


def test_counts_after_adds_replaces_and_deletes_equal_a_fresh_rebuild(tmp_path):
    store = IndexStore(tmp_path / "live")
    assert rebuild(store, [SEEDS], procs=1).ok
    engine = SearchEngine(store, EngineConfig(facet_limit=1000, derived_refresh=0))
    try:
        before = _answers(engine)  # caches built on the first generation
        assert add(store, [_write(tmp_path / "1.jsonl", NEW)], procs=1).ok
        assert add(store, [_write(tmp_path / "2.jsonl", [{**NEW[0], "text": "Nông dân Cần Thơ gặt lúa muộn."}])],
                   procs=1).ok
        assert delete(store, ["n3", "001_f7a2648440f22fec.txt"]).ok
        counts = _counts(engine)  # at once
        live = _answers(_settled(engine))
        with store.open().searcher() as searcher:
            records = list(export_records(searcher, engine.taxonomy))
    finally:
        engine.close()
    assert live != before and live["total"] == before["total"] + 1
    assert {k: live[k] for k in counts} == counts

    fresh_store = IndexStore(tmp_path / "fresh")
    assert rebuild(fresh_store, [_write(tmp_path / "export.jsonl", records)], procs=1).ok
    fresh = SearchEngine(fresh_store, EngineConfig(facet_limit=1000))
    try:
        assert live == _answers(fresh)
    finally:
        fresh.close()


@contextmanager
def _seeds_on_a_clock(tmp_path, config: EngineConfig):
    """(store, engine, now): the seeds indexed, and an engine whose clock is
    ``now[0]``."""
    store = IndexStore(tmp_path / "live")
    assert rebuild(store, [SEEDS], procs=1).ok
    now = [0.0]
    engine = SearchEngine(store, config, clock=lambda: now[0])
    try:
        yield store, engine, now
    finally:
        engine.close()


def test_suggestions_lag_a_write_by_the_refresh_interval_and_search_does_not(tmp_path):
    with _seeds_on_a_clock(tmp_path, EngineConfig(derived_refresh=30)) as (store, engine, now):
        assert engine.suggest("typh") == []
        assert add(store, [_write(tmp_path / "1.jsonl", NEW[2:])], procs=1).ok
        assert engine.search(SearchRequest(q="typhoon")).total == 1  # searchable at once
        assert engine.suggest("typh") == []  # the suggestions of before, within the interval
        now[0] = 31.0
        engine.suggest("typh")  # past the interval: a refresh starts, the old ones answer meanwhile
        engine.derived.settle()
        assert "typhoon" in [s.text.lower() for s in engine.suggest("typh")]


def test_another_process_write_is_searchable_at_once(tmp_path):
    with _seeds_on_a_clock(tmp_path, EngineConfig(refresh_interval=1.0)) as (store, engine, now):
        assert engine.search(SearchRequest(q="typhoon")).total == 0
        engine.search(SearchRequest(q="typhoon"))  # (the first snapshot's directories are read)
        looks = []
        real = store.current_name
        store.current_name = lambda: looks.append(1) or real()
        for _ in range(3):
            engine.search(SearchRequest(q="typhoon"))
        assert looks == []  # nothing changed: not looked for (the clock stands still)
        assert add(store, [_write(tmp_path / "1.jsonl", NEW[2:])], procs=1).ok
        assert engine.search(SearchRequest(q="typhoon")).total == 1  # the directory changed


def test_a_write_the_directory_times_miss_is_searchable_within_the_refresh_interval(tmp_path):
    with _seeds_on_a_clock(tmp_path, EngineConfig(refresh_interval=1.0)) as (store, engine, now):
        store.stamp = lambda generation: (0, 0)  # a file system whose clock did not tick
        assert engine.search(SearchRequest(q="typhoon")).total == 0
        engine.search(SearchRequest(q="typhoon"))  # (the first snapshot's directories are read)
        assert add(store, [_write(tmp_path / "1.jsonl", NEW[2:])], procs=1).ok
        now[0] = 0.5
        assert engine.search(SearchRequest(q="typhoon")).total == 0  # not looked for yet
        now[0] = 1.01
        assert engine.search(SearchRequest(q="typhoon")).total == 1  # within the interval
        assert delete(store, ["n3"]).ok
        assert engine.refresh() is engine.snapshot()  # a write of this process: at once
        assert engine.search(SearchRequest(q="typhoon")).total == 0


def test_scores_after_a_commit_equal_those_of_an_engine_opened_after_it(tmp_path):
    """A snapshot opened after a commit that appended a segment keeps the
    last one's document frequencies but for the terms the new segment
    holds: its scores are those of an engine that never saw the old one."""
    store = IndexStore(tmp_path / "live")
    assert rebuild(store, [SEEDS], procs=1).ok
    queries = ("rice exports", "typhoon coast", "nông dân Cần Thơ", "minister", "Trung Quốc")

    def scores(engine):
        return {q: [(h.id, round(h.score, 9)) for h in engine.search(SearchRequest(q=q, per_page=10)).hits]
                for q in queries}

    engine = SearchEngine(store, EngineConfig(derived_refresh=0))
    try:
        before = scores(engine)  # the first snapshot's frequencies, remembered
        asked = dict(engine.snapshot().scorer._frequency)
        assert add(store, [_write(tmp_path / "1.jsonl", NEW)], procs=1).ok
        carried = engine.snapshot().scorer._frequency
        assert carried and set(carried) < set(asked)  # kept, less the terms the new segment holds
        live = scores(engine)
    finally:
        engine.close()
    fresh = SearchEngine(store, EngineConfig(derived_refresh=0))
    try:
        assert live == scores(fresh) and live != before
    finally:
        fresh.close()
