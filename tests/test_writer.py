"""Rebuilds swap atomically; additions, deletions and bad input behave."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from index.store import IndexStore
from index.writer import add, delete, rebuild
from search.engine import SearchEngine, SearchRequest

from .conftest import ROOT, SEEDS


def write_jsonl(path, docs):
    path.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in docs) + "\n", encoding="utf-8")
    return path


def doc(i, text=None, **extra):
    return {"id": f"d{i}", "lang": "en", "title": f"Story {i}",
            "text": text or f"Report number {i} about trade between Vietnam and China.", **extra}


def ids(engine, q="", **kw):
    return sorted(h.id for h in engine.search(SearchRequest(q=q, per_page=100, **kw)).hits)


def test_rebuild_swaps_generations_and_searchers_keep_the_old_one(tmp_path):
    store = IndexStore(tmp_path / "ix")
    first = rebuild(store, [write_jsonl(tmp_path / "a.jsonl", [doc(1), doc(2)])], procs=1)
    engine = SearchEngine(store)
    old_searcher = engine.searcher()
    assert ids(engine, "trade") == ["d1", "d2"]

    second = rebuild(store, [write_jsonl(tmp_path / "b.jsonl", [doc(3)])], procs=1)
    assert second.generation != first.generation
    assert store.current_name() == second.generation
    # A searcher opened before the swap still answers from the old index ...
    assert sorted(h["id"] for h in old_searcher.documents()) == ["d1", "d2"]
    # ... and the engine moves to the new one on its next search.
    assert ids(engine, "trade") == ["d3"]
    engine.close()


def test_old_generations_are_pruned_but_the_previous_one_is_kept(tmp_path):
    store = IndexStore(tmp_path / "ix")
    src = write_jsonl(tmp_path / "a.jsonl", [doc(1)])
    names = [rebuild(store, [src], procs=1).generation for _ in range(3)]
    kept = sorted(p.name for p in (tmp_path / "ix").iterdir() if p.is_dir())
    assert kept == sorted(names[1:])


class Interrupt:
    def reset(self, total=None):
        pass

    def update(self, n=1):
        raise KeyboardInterrupt


def test_interrupted_rebuild_leaves_the_old_index(tmp_path):
    store = IndexStore(tmp_path / "ix")
    good = rebuild(store, [write_jsonl(tmp_path / "a.jsonl", [doc(1)])], procs=1)
    with pytest.raises(KeyboardInterrupt):
        rebuild(store, [write_jsonl(tmp_path / "b.jsonl", [doc(2)])], procs=1, progress=Interrupt())
    assert store.current_name() == good.generation
    assert not list((tmp_path / "ix").glob(".building-*"))
    engine = SearchEngine(store)
    assert ids(engine) == ["d1"]
    engine.close()


HANG = """
import sys, time
from index.store import IndexStore
from index.writer import rebuild

class Hang:
    def reset(self, total=None):
        pass
    def update(self, n=1):
        open(sys.argv[3], "w").close()
        time.sleep(120)

if __name__ == "__main__":
    rebuild(IndexStore(sys.argv[1]), [sys.argv[2]], procs=1, progress=Hang())
"""


def test_killed_rebuild_leaves_the_old_index_and_the_next_one_cleans_up(tmp_path):
    store = IndexStore(tmp_path / "ix")
    good = rebuild(store, [write_jsonl(tmp_path / "a.jsonl", [doc(1)])], procs=1)
    script = tmp_path / "hang.py"
    script.write_text(HANG, encoding="utf-8")
    marker = tmp_path / "started"
    proc = subprocess.Popen([sys.executable, str(script), str(tmp_path / "ix"),
                             str(write_jsonl(tmp_path / "b.jsonl", [doc(2)])), str(marker)], cwd=ROOT)
    try:
        for _ in range(600):
            if marker.exists() or proc.poll() is not None:
                break
            time.sleep(0.05)
        assert marker.exists(), "the rebuild never started"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert list((tmp_path / "ix").glob(".building-*")), "the killed rebuild left its work"
    assert store.current_name() == good.generation
    engine = SearchEngine(store)
    assert ids(engine) == ["d1"]
    third = rebuild(store, [write_jsonl(tmp_path / "c.jsonl", [doc(3)])], procs=1)
    assert not list((tmp_path / "ix").glob(".building-*"))
    assert ids(engine) == ["d3"] and store.current_name() == third.generation
    engine.close()


def test_bad_input_is_reported_and_the_rest_is_indexed(tmp_path):
    store = IndexStore(tmp_path / "ix")
    src = tmp_path / "mixed.jsonl"
    src.write_text(json.dumps(doc(1)) + "\n{oops\n" + json.dumps(doc(2)) + "\n", encoding="utf-8")
    report = rebuild(store, [src], procs=1)
    assert report.indexed == 2 and not report.ok
    assert [str(r) for r in report.rejected] == [
        f"{src}:2: invalid JSON: Expecting property name enclosed in double quotes (column 2)"]


def test_duplicates_are_detected(tmp_path):
    store = IndexStore(tmp_path / "ix")
    src = write_jsonl(tmp_path / "dups.jsonl", [
        doc(1, "Same words here."), doc(2, "SAME   words here."), doc(1, "Another text."), doc(3)])
    report = rebuild(store, [src], procs=1)
    assert report.indexed == 2
    assert [str(r) for r in report.rejected] == [
        f"{src}:2: duplicate of 'd1' (same text)",
        f"{src}:3: duplicate id 'd1' (already read from {src}:1)",
    ]


def test_add_replaces_by_id_and_delete_removes(tmp_path):
    store = IndexStore(tmp_path / "ix")
    rebuild(store, [write_jsonl(tmp_path / "a.jsonl", [doc(1), doc(2)])], procs=1)
    engine = SearchEngine(store)
    report = add(store, [write_jsonl(tmp_path / "b.jsonl", [
        doc(2, "Fishing boats returned to Da Nang."), doc(4, "Fishing season opens."),
        doc(5, "Report number 1 about trade between Vietnam and China.")])])
    assert (report.indexed, report.replaced) == (2, 1)
    assert [str(r) for r in report.rejected] == [
        f"{tmp_path / 'b.jsonl'}:3: duplicate of 'd1' (same text, already indexed)"]
    assert ids(engine, "fishing") == ["d2", "d4"]
    assert ids(engine, "trade") == ["d1"]
    assert store.meta()["documents"] == 3

    report = delete(store, ["d1", "nope"])
    assert report.deleted == 1
    assert [str(r) for r in report.rejected] == ["nope: no document with this id"]
    assert ids(engine) == ["d2", "d4"]
    engine.close()


def test_a_text_freed_by_a_replace_in_the_same_batch_can_be_taken_by_another_id(tmp_path):
    store = IndexStore(tmp_path / "ix")
    rebuild(store, [write_jsonl(tmp_path / "a.jsonl", [doc(1, "Lanterns glowed over Hoi An."), doc(2)])],
            procs=1)
    # d1 gets new words; d3 then brings d1's old words, which no document holds any more
    report = add(store, [write_jsonl(tmp_path / "b.jsonl", [
        doc(1, "Fishing boats returned to Da Nang."), doc(3, "Lanterns glowed over Hoi An.")])])
    assert (report.indexed, report.replaced, report.rejected) == (2, 1, [])
    engine = SearchEngine(store)
    assert ids(engine, "fishing") == ["d1"]
    assert ids(engine, "lanterns") == ["d3"]
    engine.close()


def test_add_to_an_empty_directory_creates_the_index(tmp_path):
    store = IndexStore(tmp_path / "ix")
    report = add(store, [SEEDS / "000_f5870c88c11e6e62.txt"])
    assert report.indexed == 1 and store.current_name() == report.generation


def test_parallel_and_serial_rebuilds_index_the_same(tmp_path):
    docs = [doc(i, f"Article {i}: Việt Nam and China discuss trade, fishing and tourism in Hà Nội.")
            for i in range(60)]
    src = write_jsonl(tmp_path / "many.jsonl", docs)
    results = {}
    for procs in (1, 2):
        store = IndexStore(tmp_path / f"ix{procs}")
        report = rebuild(store, [src], procs=procs)
        assert report.indexed == 60 and report.ok
        engine = SearchEngine(store)
        results[procs] = [(h.id, h.score) for h in engine.search(SearchRequest(q="hanoi fishing", per_page=100)).hits]
        engine.close()
    assert len(results[1]) == 60
    assert sorted(results[1]) == sorted(results[2])


def test_a_rebuild_that_spills_to_disk_indexes_the_same(tmp_path):
    """With too little memory for its postings, a rebuild sorts them in runs
    on disk and merges them: the index must not change."""
    docs = [doc(i, f"Bài {i}: Việt Nam và Trung Quốc bàn về thương mại, nghề cá và du lịch tại Hà Nội. "
                   + f"Trade {i} and fishing talks in Hanoi, said Minister Tô Lâm. " * 20)
            for i in range(300)]
    src = write_jsonl(tmp_path / "many.jsonl", docs)
    results = {}
    for memory_mb in (1, None):
        store = IndexStore(tmp_path / f"ix{memory_mb}")
        assert rebuild(store, [src], procs=1, memory_mb=memory_mb).indexed == 300
        engine = SearchEngine(store)
        results[memory_mb] = [
            [(h.id, round(h.score, 9), h.snippet) for h in engine.search(SearchRequest(q=q, per_page=100)).hits]
            for q in ("hanoi fishing", '"tô lâm"', "thương mại", "trade")]
        engine.close()
    assert results[1] == results[None] and all(len(r) >= 100 for r in results[1][:3])


def test_a_seeded_random_module_cannot_make_two_writes_share_a_segment(tmp_path):
    """Whoosh names segments with the global random module; something that
    seeds it (Hypothesis does, before each example) made the second write
    truncate the first one's files."""
    import random

    store = IndexStore(tmp_path / "ix")
    src = tmp_path / "a.jsonl"
    for text in ("First story about rice.", "Second story about coffee.", "Third story about tea."):
        src.write_text(json.dumps({"id": "x", "text": text}) + "\n", encoding="utf-8")
        random.seed(1234)
        assert add(store, [src], procs=1).ok
    with store.open().searcher() as s:
        assert s.doc_count() == 1 and s.document(id="x")["text"] == "Third story about tea."
