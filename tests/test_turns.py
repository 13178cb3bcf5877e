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


def test_a_write_goes_before_the_searches_waiting_and_a_suggestion_waits_for_none(make_app, monkeypatch):
    import api.routes_documents

    app = make_app()
    services = app.extensions["tracuu"]
    turns, order, answers = services.turns, [], {}
    real_search, real_queue = services.engine.search, api.routes_documents.queue_records
    monkeypatch.setattr(services.engine, "search", lambda req: order.append("search") or real_search(req))
    monkeypatch.setattr(api.routes_documents, "queue_records",
                        lambda *a, **k: order.append("write") or real_queue(*a, **k))

    def call(name, method, url, **kw):
        answers[name] = getattr(app.test_client(), method)(url, **kw)

    under_way, done = threading.Event(), threading.Event()

    def search_under_way():
        with turns:
            under_way.set()
            done.wait(30)

    holder = threading.Thread(target=search_under_way)
    holder.start()
    under_way.wait(30)
    searching = threading.Thread(target=call, args=("search", "get", "/api/search?q=Hanoi"))
    searching.start()
    _until(lambda: turns.waiting == 1)
    doc = {"text": "A ferry from Phú Quốc docked at dawn.", "lang": "en"}
    writing = threading.Thread(target=call, args=("put", "put", "/api/documents/t1"),
                               kwargs={"json": doc, "headers": auth()})
    writing.start()
    _until(lambda: turns.waiting == 2)
    # neither takes a turn: both answer while the search under way holds it
    assert app.test_client().get("/api/suggest?q=han").status_code == 200
    assert app.test_client().get("/api/documents/t1").status_code == 404  # not written yet
    assert order == []
    done.set()
    for thread in (holder, searching, writing):
        thread.join(30)
    assert order == ["write", "search"]  # the write came second and went first
    assert answers["put"].status_code in (200, 201) and answers["search"].status_code == 200
    assert turns.waiting == 0


def test_turns_taken_first_are_taken_in_their_own_arrival_order():
    turns, order = Turns(1), []
    gate = threading.Event()

    def take(name, first):
        if first:
            with turns.first():
                order.append(name)
        else:
            with turns:
                order.append(name)

    def holder():
        with turns:
            gate.wait(30)

    threads = [threading.Thread(target=holder)]
    threads[0].start()
    _until(lambda: turns._busy == 1)
    for i, (name, first) in enumerate((("s1", False), ("w1", True), ("s2", False), ("w2", True))):
        thread = threading.Thread(target=take, args=(name, first))
        thread.start()
        threads.append(thread)
        _until(lambda i=i: turns.waiting == i + 1)
    gate.set()
    for thread in threads:
        thread.join(30)
    assert order == ["w1", "w2", "s1", "s2"] and turns.waiting == 0 and turns._busy == 0


def test_the_server_runs_requests_on_threads_unless_told_not_to(monkeypatch):
    from api import serve as serve_module
    from api.settings import load_settings

    runs = []
    monkeypatch.setattr(serve_module._Server, "run", lambda self: runs.append(self.options))
    serve_module.serve(load_settings(environ={}), {})
    serve_module.serve(load_settings(overrides={"threads": "4"}, environ={}), {})
    serve_module.serve(load_settings(overrides={"threads": "1"}, environ={}), {})
    threaded, four, single = runs
    assert threaded["worker_class"] == "gthread" and threaded["threads"] == 16  # the default
    assert threaded["worker_connections"] == 16  # the rest wait for whichever worker is free
    assert four["threads"] == 4 and four["worker_connections"] == 4
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
