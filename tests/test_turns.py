"""Searches take turns; writes do not wait behind them (api/turns.py)."""

from __future__ import annotations

import threading
import time

import pytest

from api.turns import Turns

from .conftest import auth


def _until(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.005)


def test_turns_are_taken_in_arrival_order_and_no_more_than_the_slots_at_once():
    turns = Turns(2)
    inside, most, order = [0], [0], []
    lock = threading.Lock()
    gates = {}

    def visit(name):
        with turns:
            with lock:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
                order.append(name)
            gates[name].wait(30)
            with lock:
                inside[0] -= 1

    threads = []
    for i in range(6):
        name = f"t{i}"
        gates[name] = threading.Event()
        thread = threading.Thread(target=visit, args=(name,))
        thread.start()
        threads.append(thread)
        # each arrives after the one before is inside or waiting
        _until(lambda i=i: len(order) + turns.waiting == i + 1)
    assert order == ["t0", "t1"] and turns.waiting == 4
    for i in range(6):
        gates[f"t{i}"].set()
        _until(lambda i=i: len(order) == min(6, i + 3))
    for thread in threads:
        thread.join(30)
    assert order == [f"t{i}" for i in range(6)] and most[0] == 2 and turns.waiting == 0
    with turns:  # every slot was given back
        with turns:
            pass


def test_turns_need_a_slot():
    with pytest.raises(ValueError):
        Turns(0)


def test_a_write_does_not_wait_for_the_searches_ahead_of_it(make_app):
    app = make_app()
    services = app.extensions["tracuu"]
    answers = {}

    def get(name, url):
        answers[name] = app.test_client().get(url)

    turns = services.search_turns
    with turns:  # a search under way
        searching = threading.Thread(target=get, args=("search", "/api/search?q=Hanoi"))
        searching.start()
        _until(lambda: turns.waiting == 1)
        doc = {"text": "A ferry from Phú Quốc docked at dawn.", "lang": "en"}
        put = app.test_client().put("/api/documents/t1", json=doc, headers=auth())
        assert put.status_code in (200, 201, 202)
        fetched = app.test_client().get("/api/documents/t1")
        suggested = app.test_client().get("/api/suggest?q=han")
        assert fetched.status_code == 200 and suggested.status_code == 200
        assert "search" not in answers and turns.waiting == 1  # still waiting its turn
    searching.join(30)
    assert answers["search"].status_code == 200 and turns.waiting == 0


def test_the_server_runs_requests_on_threads_unless_told_otherwise(monkeypatch):
    from api import serve as serve_module
    from api.settings import load_settings

    runs = []
    monkeypatch.setattr(serve_module._Server, "run", lambda self: runs.append(self.options))
    serve_module.serve(load_settings(environ={}), {})
    serve_module.serve(load_settings(overrides={"threads": "1"}, environ={}), {})
    threaded, single = runs
    assert threaded["worker_class"] == "gthread" and threaded["threads"] == 16
    assert threaded["worker_connections"] == 16  # the rest wait for whichever worker is free
    assert single["worker_class"] == "sync" and "threads" not in single


def test_the_checks_of_a_write_read_the_shared_segments_under_their_lock(tmp_path, monkeypatch):
    """A server's write checks read the segment readers its searches read;
    Whoosh's readers seek and read one file handle, so both take the pool's
    lock (a search holds it while it reads)."""
    from whoosh.searching import Searcher

    from index.live import queue_deletes, queue_records
    from index.readers import ReaderPool
    from index.writer import apply_journal

    from .test_live_writes import DOCS, EXTRACTOR, _records, _seeds

    store = _seeds(tmp_path)
    queue_records(store, _records(("a", DOCS["a"])), EXTRACTOR)
    apply_journal(store)
    held = threading.local()

    class Watched:
        def __init__(self, lock):
            self.lock = lock

        def __enter__(self):
            self.lock.acquire()
            held.depth = getattr(held, "depth", 0) + 1

        def __exit__(self, *exc):
            held.depth -= 1
            self.lock.release()

    readers = ReaderPool()
    readers.read_lock = Watched(readers.read_lock)
    reads = []
    for name in ("document", "document_number"):
        real = getattr(Searcher, name)

        def spy(self, real=real, **terms):
            reads.append(getattr(held, "depth", 0) > 0)
            return real(self, **terms)

        monkeypatch.setattr(Searcher, name, spy)
    replaced = queue_records(store, _records(("a", DOCS["b"])), EXTRACTOR, readers)
    assert [item.status for item in replaced.items] == ["replaced"]
    assert queue_deletes(store, ["a", "nothing-here"], readers).deleted == 1
    assert len(reads) >= 3 and all(reads)
    assert len(readers) == 0  # every reader it took was given back
