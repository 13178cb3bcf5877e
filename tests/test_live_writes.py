"""Live writes through the journal: acknowledged once durable, committed in
groups (one commit for many writes), exact after a commit, safe to apply
twice, and never lost to a torn append or a command-line write."""

import json
import os
import time

import pytest

from whoosh import index as whoosh_index

from index.document import Origin
from index.ingest import Extractor
from index.journal import Delete, Journal, Put, latest
from index.live import Committer, queue_deletes, queue_records
from index.parse import record_from_mapping
from index.store import IndexStore
from index.vocabulary import VOCAB_FILE, Vocabulary
from index.writer import add, apply_journal, rebuild

from .conftest import SEEDS, auth, conforms

EXTRACTOR = Extractor()
DOCS = {
    "a": {"lang": "en", "title": "Typhoon hits the coast",
          "text": "A typhoon hit the central coast, and rescue teams evacuated thousands of residents."},
    "b": {"lang": "vi", "title": "Nông dân Cần Thơ gặt lúa",
          "text": "Nông dân Cần Thơ gặt lúa sớm để tránh mưa lớn đầu mùa."},
    "c": {"lang": "en", "title": "Rice exports rise",
          "text": "Rice exports to China rose sharply this quarter, traders in Can Tho said."},
}


def _records(*pairs):
    return [record_from_mapping({**doc, "id": doc_id}, Origin("request", item=i), doc_id)
            for i, (doc_id, doc) in enumerate(pairs)]


def _seeds(tmp_path) -> IndexStore:
    store = IndexStore(tmp_path / "ix")
    assert rebuild(store, [SEEDS], procs=1).ok
    return store


def _ids(store: IndexStore) -> set[str]:
    ix = store.open()
    try:
        with ix.searcher() as searcher:
            return {fields["id"] for fields in searcher.all_stored_fields()}
    finally:
        ix.close()


def _version(store: IndexStore) -> int:
    return whoosh_index.open_dir(str(store.current_path())).latest_generation()


def _vocabulary(store: IndexStore) -> Vocabulary:
    return Vocabulary.load(store.current_path() / VOCAB_FILE)


# -- the journal file ---------------------------------------------------------


def test_a_torn_append_is_skipped_and_later_appends_are_read(tmp_path):
    journal = Journal(tmp_path)
    assert not journal.pending() and journal.seal() is None
    number = journal.append([Delete("x1"), Delete("x2")])
    path = journal.dir / f"{number:012d}.log"
    before = path.stat().st_size
    journal.append([Delete("torn1"), Delete("torn2"), Delete("torn3")])
    # an append killed half-way (never acknowledged), its first entries written whole
    os.truncate(path, before + (path.stat().st_size - before) * 2 // 3)
    journal.append([Delete("x3")])
    assert [e.id for e in journal.sealed(number)] == ["x1", "x2", "x3"]


def test_a_journal_framed_entry_by_entry_is_still_read(tmp_path):
    import pickle
    import struct
    import zlib

    journal = Journal(tmp_path)
    number = journal.append([Delete("x1")])
    payload = pickle.dumps(Delete("old"))  # as journals were written before batches were framed whole
    with open(journal.dir / f"{number:012d}.log", "ab") as f:
        f.write(struct.pack(">4sII", b"TqJ1", len(payload), zlib.crc32(payload)) + payload)
    assert [e.id for e in journal.entries()] == ["x1", "old"]


def test_sealing_moves_appends_to_a_new_file_until_the_old_is_discarded(tmp_path):
    journal = Journal(tmp_path)
    first = journal.append([Delete("x1")])
    assert journal.pending() and not journal.applied(first)
    sealed = journal.seal()
    assert sealed == first
    second = journal.append([Delete("x2")])
    assert second > first and [e.id for e in journal.sealed(sealed)] == ["x1"]
    journal.discard(sealed)
    assert journal.applied(first) and not journal.applied(second) and journal.pending()


def test_the_last_entry_per_id_wins():
    a, b = _articles("a", "b")
    assert latest([Put(a), Delete("a"), Put(b)]) == [Delete("a"), Put(b)]
    assert latest([Delete("a"), Put(a)]) == [Put(a)]


def _articles(*ids):
    return [EXTRACTOR.article(r) for r in _records(*[(i, DOCS[i]) for i in ids])]


# -- queueing and committing ------------------------------------------------------


def test_writes_wait_in_the_journal_then_commit_together(tmp_path):
    store = _seeds(tmp_path)
    seeds = _ids(store)
    version = _version(store)
    gone = sorted(seeds)[0]
    for doc_id in DOCS:  # three writes, three acknowledgements, nothing committed yet
        report = queue_records(store, _records((doc_id, DOCS[doc_id])), EXTRACTOR)
        assert report.ok and report.items[0].status == "created" and report.journal is not None
    assert queue_records(store, _records(("a", {**DOCS["a"], "text": DOCS["a"]["text"] + " Schools closed."})),
                         EXTRACTOR).items[0].status == "replaced"  # the waiting "a" counts
    assert queue_deletes(store, [gone, "c", "nope"]).items[-1].status == "rejected"
    assert _ids(store) == seeds and _version(store) == version

    report = apply_journal(store)
    assert _version(store) == version + 1  # one commit for all of them
    assert _ids(store) == seeds - {gone} | {"a", "b"}
    assert report.indexed == 2 and report.deleted == 1 and not report.rejected  # c was never committed
    assert apply_journal(store) is None and not Journal(store.root).pending()
    vocabulary = _vocabulary(store)
    assert vocabulary.words["schools"] == 1 and vocabulary.words["rice"] == _fresh_count(tmp_path, store, "rice")


def _fresh_count(tmp_path, store: IndexStore, word: str) -> int:
    """How often ``word`` counts in the vocabulary of a fresh rebuild of what ``store`` holds."""
    from search.documents import export_records
    from search.engine import SearchEngine

    engine = SearchEngine(store)
    try:
        with store.open().searcher() as searcher:
            records = list(export_records(searcher, engine.taxonomy))
    finally:
        engine.close()
    src = tmp_path / "export.jsonl"
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    fresh = IndexStore(tmp_path / "fresh")
    assert rebuild(fresh, [src], procs=1).ok
    return _vocabulary(fresh).words[word]


def test_the_same_text_under_two_ids_is_refused_while_the_first_waits(tmp_path):
    store = _seeds(tmp_path)
    assert queue_records(store, _records(("a", DOCS["a"])), EXTRACTOR).ok
    second = queue_records(store, _records(("a2", DOCS["a"])), EXTRACTOR)
    assert second.items[0].status == "rejected" and second.items[0].conflict and second.journal is None


def test_applying_a_group_twice_changes_nothing(tmp_path):
    """A committer killed after its commit but before removing the journal
    applies the same group again on the next turn."""
    store = _seeds(tmp_path)
    queue_records(store, _records(("a", DOCS["a"]), ("b", DOCS["b"])), EXTRACTOR)
    queue_deletes(store, [sorted(_ids(store))[0]])
    entries = Journal(store.root).entries()
    apply_journal(store)
    once = (_ids(store), _vocabulary(store))
    Journal(store.root).append(entries)  # as if never discarded
    apply_journal(store)
    assert (_ids(store), _vocabulary(store)) == once


def test_a_command_line_write_comes_after_the_waiting_ones(tmp_path):
    store = _seeds(tmp_path)
    queue_records(store, _records(("a", DOCS["a"])), EXTRACTOR)
    src = tmp_path / "later.jsonl"
    src.write_text(json.dumps({"id": "a", **DOCS["c"]}, ensure_ascii=False), encoding="utf-8")
    assert add(store, [src], procs=1).ok
    ix = store.open()
    try:
        with ix.searcher() as searcher:
            assert searcher.document(id="a")["title"] == DOCS["c"]["title"]
    finally:
        ix.close()
    assert not Journal(store.root).pending()


def test_the_committer_commits_what_waits(tmp_path):
    store = _seeds(tmp_path)
    commits = []
    committer = Committer(store, 0.05, on_commit=commits.append).start()
    try:
        number = queue_records(store, _records(("a", DOCS["a"])), EXTRACTOR).journal
        assert Journal(store.root).wait_applied(number, timeout=30)
    finally:
        committer.stop(timeout=30)
    assert "a" in _ids(store) and [r.indexed for r in commits] == [1]


def test_a_write_after_a_quiet_spell_is_committed_at_once_the_next_after_the_interval(tmp_path):
    store = _seeds(tmp_path)
    committer = Committer(store, 3600, on_commit=lambda report: None).start()
    try:
        first = queue_records(store, _records(("a", DOCS["a"])), EXTRACTOR).journal
        assert Journal(store.root).wait_applied(first, timeout=30)  # not an hour later
        second = queue_records(store, _records(("b", DOCS["b"])), EXTRACTOR).journal
        time.sleep(3 * Committer.POLL)
        assert not Journal(store.root).applied(second)  # at most one commit per interval
    finally:
        committer.stop(timeout=30)
    assert "a" in _ids(store) and "b" not in _ids(store)


def _until(condition, timeout: float = 30.0) -> bool:
    """Whether ``condition()`` came true within ``timeout`` seconds (a
    committer reports its commit just after the journal says it is applied)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_one_committer_is_on_duty_and_another_takes_over(tmp_path):
    """Of several committers of one index (a server's workers), one
    commits; when it stops, another takes over."""
    store = _seeds(tmp_path)
    first, second = [], []
    one = Committer(store, 0.05, on_commit=first.append).start()
    assert one.on_duty
    two = Committer(store, 0.05, on_commit=second.append).start()
    try:
        assert not two.on_duty
        number = queue_records(store, _records(("a", DOCS["a"])), EXTRACTOR).journal
        assert Journal(store.root).wait_applied(number, timeout=30)
        assert _until(lambda: first) and [r.indexed for r in first] == [1] and second == []
        one.stop(timeout=30)
        assert not one.on_duty  # a stopped committer takes no duty
        number = queue_records(store, _records(("b", DOCS["b"])), EXTRACTOR).journal
        assert Journal(store.root).wait_applied(number, timeout=30)
        assert _until(lambda: second) and [r.indexed for r in second] == [1] and two.on_duty
    finally:
        one.stop(timeout=30)
        two.stop(timeout=30)
    assert {"a", "b"} <= _ids(store)


# -- over HTTP ----------------------------------------------------------------------


def test_refresh_says_when_the_answer_comes(make_app):
    app = make_app(refresh_interval=3600)  # the committer commits once at most in this test
    client = app.test_client()
    doc = {"text": "Fishermen in Quảng Ngãi set out for the Paracels.", "lang": "en"}
    bad = client.put("/api/documents/r0?refresh=later", json=doc, headers=auth())
    assert bad.status_code == 400 and client.get("/api/documents/r0").status_code == 404  # nothing written
    typo = client.put("/api/documents/r0?refesh=false", json=doc, headers=auth())
    assert typo.status_code == 400 and typo.get_json()["param"] == "refesh"

    # false (the default): saved, acknowledged, not yet searchable (the
    # committer would commit it within a look, after a quiet spell: a
    # command-line write holding the lock keeps it from doing so here)
    with app.extensions["tracuu"].store.write_lock(purpose="adding files"):
        quick = client.put("/api/documents/r1", json=doc, headers=auth())
        assert quick.status_code == 201
        assert conforms(quick, "/api/documents/{id}", "put")["searchable"] is False
        assert quick.get_json()["generation"] is None
        assert client.get("/api/search?q=fishermen").get_json()["total"] == 0

    # true: committed in the request, with what waited
    other = {"text": "Fishermen in Bình Định sold their catch early.", "lang": "en"}
    now = client.put("/api/documents/r2?refresh=true", json=other, headers=auth())
    body = conforms(now, "/api/documents/{id}", "put")
    assert body["searchable"] is True and body["generation"] == app.extensions["tracuu"].engine.snapshot().generation
    assert sorted(h["id"] for h in client.get("/api/search?q=fishermen").get_json()["hits"]) == ["r1", "r2"]


def test_wait_for_answers_once_the_committer_has_committed(make_app):
    app = make_app(refresh_interval=0.2)
    client = app.test_client()
    doc = {"text": "Fishermen in Quảng Ngãi set out for the Paracels.", "lang": "en"}
    waited = client.put("/api/documents/r1?refresh=wait_for", json=doc, headers=auth())
    assert conforms(waited, "/api/documents/{id}", "put")["searchable"] is True
    assert [h["id"] for h in client.get("/api/search?q=fishermen").get_json()["hits"]] == ["r1"]
    deleted = client.delete("/api/documents/r1?refresh=wait_for", headers=auth())
    assert deleted.status_code == 200 and deleted.get_json()["searchable"] is True
    assert client.get("/api/search?q=fishermen").get_json()["total"] == 0

    # false: the committer makes it searchable on its own
    client.put("/api/documents/r3", json=doc, headers=auth())
    for _ in range(300):
        if client.get("/api/search?q=fishermen").get_json()["total"] == 1:
            break
        time.sleep(0.05)
    assert [h["id"] for h in client.get("/api/search?q=fishermen").get_json()["hits"]] == ["r3"]


def test_a_snapshot_being_read_is_closed_only_after_its_reader(tmp_path):
    """A commit seen by another thread (the committer's, a second request
    thread) does not close the index files under a search in progress."""
    import threading

    from search.engine import SearchEngine, SearchRequest

    store = _seeds(tmp_path)
    engine = SearchEngine(store)
    try:
        with engine._use() as snap:
            queue_records(store, _records(("a", DOCS["a"])), EXTRACTOR)
            apply_journal(store)
            other = threading.Thread(target=engine.refresh)
            other.start()
            other.join(0.2)
            assert not snap.closed and snap.searcher.stored_fields(0)["id"]  # still readable
        other.join()
        assert snap.closed and engine.search(SearchRequest(q="typhoon")).total == 1
    finally:
        engine.close()


class _Segment:
    def __init__(self, live: int):
        self.live = live

    def doc_count(self) -> int:
        return self.live


def test_segments_merge_by_tiers_of_size():
    from index.merging import plan_merge

    ones = [_Segment(1) for _ in range(7)]
    big = [_Segment(5000), _Segment(7000)]
    assert plan_merge(ones + big, factor=8) == []  # seven small ones wait for an eighth
    three = _Segment(3)
    assert plan_merge(ones + big + [three], factor=8) == ones + [three]
    mid = [_Segment(20) for _ in range(8)]
    assert plan_merge(mid + ones + big, factor=8) == mid  # one tier at a time
    assert plan_merge([_Segment(9) for _ in range(8)] + [_Segment(60)], factor=8) != []  # 8 to 63: one tier
    # a large segment whose documents were mostly replaced merges with smaller ones
    assert plan_merge([_Segment(12) for _ in range(7)] + [_Segment(40)] + big, factor=8)[-1].live == 40
    assert plan_merge([_Segment(1) for _ in range(15)]) == [] and plan_merge([_Segment(1) for _ in range(16)])


def test_live_commits_keep_the_segment_count_bounded(tmp_path):
    store = _seeds(tmp_path)
    for i in range(20):
        queue_records(store, _records((f"t{i}", {**DOCS["a"], "text": f"{DOCS['a']['text']} Report {i}."})), EXTRACTOR)
        apply_journal(store)
    ix = store.open()
    try:
        counts = sorted(s.doc_count() for s in ix._segments())
    finally:
        ix.close()
    assert sum(counts) == len(_ids(store)) and len(counts) <= 8


def test_journal_writes_are_published_before_the_merge_they_make_due(tmp_path, monkeypatch):
    import index.writer

    store = _seeds(tmp_path)
    real, seen = index.writer._merge_due, []

    def merge_due(store):  # what a reader sees while the merge runs
        ix = store.open()
        try:
            seen.append((len(ix._segments()), ix.doc_count()))
        finally:
            ix.close()
        return real(store)

    monkeypatch.setattr(index.writer, "_merge_due", merge_due)
    before = len(_ids(store))
    for i in range(16):
        queue_records(store, _records((f"t{i}", {**DOCS["a"], "text": f"{DOCS['a']['text']} Report {i}."})), EXTRACTOR)
        apply_journal(store)
    ix = store.open()
    try:
        after = len(ix._segments())
    finally:
        ix.close()
    # each commit's article was committed (and its segment added) before any merge
    assert [n for _, n in seen] == [before + i + 1 for i in range(16)]
    assert max(segments for segments, _ in seen) > after  # and a merge came after the last


def test_a_merge_that_fails_after_a_commit_loses_no_write(tmp_path, monkeypatch, caplog):
    import index.writer

    store = _seeds(tmp_path)

    def full_disk(store):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(index.writer, "_merge_due", full_disk)
    queue_records(store, _records(("m1", DOCS["a"])), EXTRACTOR)
    report = apply_journal(store)
    assert report.indexed == 1 and "m1" in _ids(store)  # committed, and reported as such
    assert "merging segments after a commit failed" in caplog.text
    assert not Journal(store.root).pending()


def _sixteen_commits(store: IndexStore) -> None:
    """Sixteen one-article commits, with replaces and deletes: the
    sixteenth small segment makes a tier, and they merge."""
    for i in range(16):
        doc = DOCS["abc"[i % 3]]
        queue_records(store, _records((f"t{i % 12}", {**doc, "text": f"{doc['text']} Report {i}."})), EXTRACTOR)
        if i % 5 == 4:
            queue_deletes(store, [f"t{i - 2}"])
        apply_journal(store)
    ix = store.open()
    try:
        assert len(ix._segments()) <= 3  # merged (with their deletions dropped)
    finally:
        ix.close()


def _answers(store: IndexStore, scores: bool = True) -> dict:
    from search.engine import SearchEngine, SearchRequest

    engine = SearchEngine(store)
    try:
        out = {}
        for q in ("", "typhoon", '"rescue teams"', "report 7", "cần thơ", '"lúa sớm"', "rice exports"):
            r = engine.search(SearchRequest(q=q, per_page=100))
            out[q] = (r.total, sorted((h.id, h.score if scores else 0, h.snippet) for h in r.hits),
                      {name: sorted((v.value, v.count) for v in values) for name, values in r.facets.items()})
        return out
    finally:
        engine.close()


def test_a_merge_writes_what_whoosh_s_own_merge_writes(tmp_path, monkeypatch):
    import index.merging
    from whoosh.reading import SegmentReader

    ours = _seeds(tmp_path / "ours")
    _sixteen_commits(ours)
    monkeypatch.setattr(index.merging, "_MergeReader", SegmentReader)  # Whoosh's reading of a segment
    whooshs = _seeds(tmp_path / "whoosh")
    _sixteen_commits(whooshs)
    merged = _answers(ours)
    assert merged == _answers(whooshs)
    assert merged['"rescue teams"'][0] > 0 and merged["report 7"][0] > 0


def test_a_merged_segment_finds_what_a_fresh_rebuild_of_its_documents_does(tmp_path):
    from search.documents import export_records
    from index.topics import Taxonomy

    store = _seeds(tmp_path)
    _sixteen_commits(store)
    with store.open().searcher() as searcher:
        records = list(export_records(searcher, Taxonomy.load()))
    fresh = IndexStore(tmp_path / "fresh")
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    assert rebuild(fresh, [path], procs=1).ok
    # scores aside: deleted documents still count in a live index's statistics
    assert _answers(store, scores=False) == _answers(fresh, scores=False)


def test_what_a_snapshot_carries_from_the_last_answers_as_a_fresh_engine(tmp_path):
    """Commits that only add small segments let a snapshot keep the last
    one's postings and document counts, less the new segments' terms:
    answers (totals, order, scores, snippets, facets, phrases, feedback)
    stay those of an engine that never saw the earlier snapshots."""
    from search.engine import EngineConfig, SearchEngine, SearchRequest

    store = _seeds(tmp_path)
    queries = ("typhoon coast", '"rescue teams"', "rice exports china", "cần thơ", "lúa", "report")

    def answers(engine):
        return [(r.total, [(h.id, h.score, h.snippet) for h in r.hits],
                 {name: [(v.value, v.count) for v in values] for name, values in r.facets.items()})
                for r in (engine.search(SearchRequest(q=q, per_page=20)) for q in queries)]

    live = SearchEngine(store, EngineConfig(derived_refresh=0))
    try:
        answers(live)  # caches filled on the first generation
        for i, doc_id in enumerate(("a", "b", "c", "a")):  # the last one replaces
            doc = DOCS[doc_id]
            if i % 2:  # facet values no document had yet (their numbering changes)
                doc = {**doc, "date": f"199{i}-0{i}-0{i}", "source": f"Source {i}"}
            queue_records(store, _records((f"k{doc_id}", {**doc, "text": f"{doc['text']} Report {i}."})), EXTRACTOR)
            apply_journal(store)
            live.expire()
            live.search(SearchRequest(q="typhon", per_page=1))  # the speller catches up (it lags by design)
            live.derived.settle()
            carried = answers(live)
            fresh = SearchEngine(store)
            try:
                assert carried == answers(fresh)
            finally:
                fresh.close()
        assert carried[1][0] > 0 and carried[5][0] > 0
    finally:
        live.close()


def test_a_snapshot_reads_the_toc_again_when_a_commit_removed_it_meanwhile(tmp_path):
    from index.readers import ReaderPool

    store = _seeds(tmp_path)
    ix = store.open()
    real, calls = ix._read_toc, []

    def removed_once():  # the TOC listed was deleted by a commit before it was opened
        calls.append(1)
        if len(calls) == 1:
            raise FileNotFoundError(2, "No such file or directory", "_MAIN_1.toc")
        return real()

    ix._read_toc = removed_once
    try:
        reader = ReaderPool().reader(ix)
        assert reader.doc_count() == len(_ids(store)) > 0 and len(calls) == 2
        reader.close()
    finally:
        ix.close()


def test_opening_the_index_reads_the_toc_again_when_a_commit_removed_it_meanwhile(tmp_path, monkeypatch):
    import index.store

    store = _seeds(tmp_path)
    real, calls = index.store.whoosh_index.open_dir, []

    def removed_once(path):
        calls.append(path)
        if len(calls) == 1:
            raise FileNotFoundError(2, "No such file or directory", "_MAIN_1.toc")
        return real(path)

    monkeypatch.setattr(index.store.whoosh_index, "open_dir", removed_once)
    ix = store.open()
    try:
        assert ix.doc_count() > 0 and len(calls) == 2
    finally:
        ix.close()


def test_a_text_freed_by_a_delete_in_the_same_group_is_indexed_under_its_new_id(tmp_path):
    store = _seeds(tmp_path)
    queue_records(store, _records(("moved", DOCS["a"])), EXTRACTOR)
    apply_journal(store)
    # acknowledged as created: the delete waiting before it frees the text
    assert queue_deletes(store, ["moved"]).deleted == 1
    report = queue_records(store, _records(("moved-again", DOCS["a"])), EXTRACTOR)
    assert [item.status for item in report.items] == ["created"]
    committed = apply_journal(store)
    assert committed.rejected == [] and committed.deleted == 1
    ids = _ids(store)
    assert "moved-again" in ids and "moved" not in ids


def test_a_text_freed_by_a_replace_in_the_same_group_is_indexed_under_its_new_id(tmp_path):
    store = _seeds(tmp_path)
    queue_records(store, _records(("first", DOCS["a"])), EXTRACTOR)
    apply_journal(store)
    queue_records(store, _records(("first", DOCS["b"])), EXTRACTOR)  # replaced with other text
    report = queue_records(store, _records(("second", DOCS["a"])), EXTRACTOR)
    assert [item.status for item in report.items] == ["created"]
    committed = apply_journal(store)
    assert committed.rejected == []
    assert {"first", "second"} <= _ids(store)
    held = queue_records(store, _records(("third", DOCS["a"])), EXTRACTOR).items[0]
    assert held.status == "rejected" and "'second'" in str(held.reason)  # held again, by "second"


def test_snapshots_share_the_readers_of_unchanged_segments(tmp_path):
    from search.engine import SearchEngine, SearchRequest

    store = _seeds(tmp_path)
    engine = SearchEngine(store)
    try:
        first = engine.snapshot()
        (seeds_reader, _), = first.searcher.reader().leaf_readers()
        queue_records(store, _records(("a", DOCS["a"])), EXTRACTOR)
        apply_journal(store)
        second = engine.refresh()
        readers = [r for r, _ in second.searcher.reader().leaf_readers()]
        assert len(readers) == 2 and readers[0] is seeds_reader  # not opened again
        assert first.closed and not seeds_reader.is_closed and len(engine.readers) == 2

        queue_deletes(store, [sorted(_ids(store) - {"a"})[0]])  # the seeds' segment changes
        apply_journal(store)
        third = engine.refresh()
        readers = [r for r, _ in third.searcher.reader().leaf_readers()]
        assert readers[0] is not seeds_reader and seeds_reader.is_closed and len(engine.readers) == 2
        assert engine.search(SearchRequest(q="typhoon")).total == 1
        assert engine.search(SearchRequest(q="")).total == 5
    finally:
        engine.close()
    assert len(engine.readers) == 0


def test_reading_the_journal_while_a_commit_discards_a_file(tmp_path):
    """A write reads what waits without the write lock: a file the committer
    removes between the listing and the reading was committed, and is skipped."""
    journal = Journal(tmp_path)
    journal.append([Delete("x1")])
    journal.discard(journal.seal())
    journal.append([Delete("x2")])
    listed = journal._numbers() + [0]  # as listed before the discard: a file now gone
    journal._numbers = lambda: sorted(listed)
    assert [e.id for e in journal.entries()] == ["x2"]


def test_a_write_checks_the_index_through_the_server_s_segment_readers(tmp_path, monkeypatch):
    from whoosh.reading import SegmentReader

    from index.readers import ReaderPool

    store = _seeds(tmp_path)
    queue_records(store, _records(("a", DOCS["a"])), EXTRACTOR)
    apply_journal(store)  # two segments
    pool = ReaderPool()
    ix = store.open()
    held = pool.reader(ix)  # what a server's snapshot holds
    opened = []
    real = SegmentReader.__init__

    def counting(self, *args, **kwargs):
        opened.append(self)
        real(self, *args, **kwargs)

    monkeypatch.setattr(SegmentReader, "__init__", counting)
    try:
        replaced = queue_records(store, _records(("a", DOCS["b"])), EXTRACTOR, pool)
        duplicate = queue_records(store, _records(("c", DOCS["b"])), EXTRACTOR, pool)
        deleted = queue_deletes(store, ["a", "nothing"], pool)
        assert opened == []
        assert [i.status for i in replaced.items] == ["replaced"]
        assert [i.status for i in duplicate.items] == ["rejected"]  # "a" waits with that text
        assert deleted.deleted == 1 and len(deleted.rejected) == 1
        assert len(pool) == 2 and not any(r.is_closed for r, _ in held.leaf_readers())
    finally:
        held.close()
        ix.close()
    assert len(pool) == 0


def _speller_state(speller):
    sym = speller.symspell
    return (+speller.words, dict(sym.words), dict(sym.below_threshold_words), speller.marked,
            {k: set(v) for k, v in sym._deletes.items() if v}, speller.threshold)


def _fresh_speller(store):
    from search.spelling import Speller

    return Speller(Vocabulary.load(store.current_path() / VOCAB_FILE))


@pytest.mark.parametrize("fold", [False, True], ids=["log-followed", "log-folded"])
def test_the_speller_follows_writes_as_one_built_afresh(tmp_path, monkeypatch, fold):
    import index.vocabulary
    import search.spelling
    from search.engine import SearchEngine

    if fold:  # every write rewrites the vocabulary whole: the speller takes the differences
        monkeypatch.setattr(index.vocabulary, "FOLD_MIN", 0)
        monkeypatch.setattr(index.vocabulary, "FOLD_SHARE", 0.0)
    monkeypatch.setattr(search.spelling, "RARE_AFTER", 3)  # one-document words are not offered
    store = _seeds(tmp_path)
    engine = SearchEngine(store)
    try:
        first = engine.snapshot().speller
        assert "evacuated" not in first.symspell.words
        steps = [
            lambda: queue_records(store, _records(("a", DOCS["a"]), ("a2", {**DOCS["a"], "text": DOCS["a"]["text"]
                                                                     + " Again."})), EXTRACTOR),
            lambda: queue_records(store, _records(("b", DOCS["b"])), EXTRACTOR),
            lambda: queue_records(store, _records(("a", DOCS["c"])), EXTRACTOR),  # replaced: words taken away
            lambda: queue_deletes(store, ["b", sorted(_ids(store))[0]]),
        ]
        for step in steps:
            step()
            apply_journal(store)
            speller = engine.refresh().speller
            assert speller is first  # changed in place, not built again
            assert _speller_state(speller) == _speller_state(_fresh_speller(store))
        # "evacuated" is left in one document ("a2"): below the threshold, not offered
        assert "evacuated" not in first.symspell.words and first.symspell.below_threshold_words["evacuated"] == 1
        assert first.correct_word("evacuatd", False) is None
    finally:
        engine.close()


def test_the_speller_is_built_again_when_one_document_words_stop_being_offered(tmp_path, monkeypatch):
    import search.spelling
    from search.engine import SearchEngine

    store = _seeds(tmp_path)
    monkeypatch.setattr(search.spelling, "RARE_AFTER", len(_ids(store)) + 2)
    engine = SearchEngine(store)
    try:
        first = engine.snapshot().speller
        assert first.threshold == 1
        queue_records(store, _records(("a", DOCS["a"]), ("c", DOCS["c"])), EXTRACTOR)
        apply_journal(store)
        speller = engine.refresh().speller
        assert speller is not first and speller.threshold == 2
        assert _speller_state(speller) == _speller_state(_fresh_speller(store))
    finally:
        engine.close()


def test_a_segment_s_term_counts_read_from_its_table_are_whoosh_s(tmp_path):
    from search.segments import _term_counts

    store = _seeds(tmp_path)
    queue_records(store, _records(("a", DOCS["a"]), ("b", DOCS["b"]), ("c", DOCS["c"])), EXTRACTOR)
    apply_journal(store)
    queue_deletes(store, ["b"])  # deleted documents still count, as in Whoosh
    apply_journal(store)
    ix = store.open()
    reader = ix.reader()
    try:
        leaves = [leaf for leaf, _ in reader.leaf_readers()]
        assert len(leaves) == 2 and leaves[1].has_deletions()
        for leaf in leaves:
            counts = _term_counts(leaf)
            assert counts == {(f, t): leaf.doc_frequency(f, t) for f, t in leaf.all_terms()}
            assert max(counts.values()) > 1
        assert _term_counts(leaves[1])[("body", b"cantho")] == 2  # "b" (deleted) and "c"
    finally:
        reader.close()
        ix.close()


def test_postings_carried_over_a_commit_are_those_read_afresh(tmp_path):
    """Arrays of words a commit adds documents to grow by the new segment's;
    the others are kept; either way they equal a read of every segment."""
    from search.postings import PostingsCache, read_positions, read_postings
    from search.segments import SegmentCache

    store = _seeds(tmp_path)
    queue_records(store, _records(("a", DOCS["a"]), ("b", DOCS["b"])), EXTRACTOR)
    apply_journal(store)
    segments = SegmentCache()
    ix, ix2 = store.open(), None
    first = PostingsCache(ix.reader(), segments=segments)
    words = [(f, t.decode("utf-8")) for f, t in first.reader.all_terms() if f in ("title", "body")]
    for field, text in words:  # all cached in the first snapshot
        first.get(field, text), first.positions(field, text)
    queue_records(store, _records(("c", DOCS["c"])), EXTRACTOR)
    apply_journal(store)
    ix2 = store.open()
    second = PostingsCache(ix2.reader(), segments=segments, previous=first)
    fresh = ix2.reader()
    try:
        grown = 0
        for field, text in words:
            ids, weights = second.get(field, text)
            fresh_ids, fresh_weights = read_postings(fresh, field, text)
            assert ids.tolist() == fresh_ids.tolist() and weights.tolist() == fresh_weights.tolist()
            assert second.positions(field, text).tolist() == read_positions(fresh, field, text).tolist()
            grown += len(ids) > len(first.get(field, text)[0])
        assert 5 < grown < len(words) // 2  # words "c" shares with what was there; most are not
    finally:
        for reader in (first.reader, second.reader, fresh):
            reader.close()
        ix.close()
        ix2.close()


def test_what_a_snapshot_did_not_extend_is_extended_by_a_later_one(tmp_path):
    """Arrays and counts carried over two commits, the middle snapshot
    asking for none of them, equal a fresh read of every segment."""
    from search.postings import PostingsCache, read_positions, read_postings
    from search.segments import SegmentCache, leaves

    store = _seeds(tmp_path)
    queue_records(store, _records(("a", DOCS["a"])), EXTRACTOR)
    apply_journal(store)
    segments = SegmentCache()
    opened = [store.open()]
    caches = [PostingsCache(opened[0].reader(), segments=segments)]
    words = [(f, t.decode("utf-8")) for f, t in caches[0].reader.all_terms() if f in ("title", "body")]
    for field, text in words:
        caches[0].get(field, text), caches[0].positions(field, text)
        segments.doc_frequency(caches[0].parts, field, text)
    for doc_id in ("c", "b"):  # two commits; the second snapshot is asked nothing
        queue_records(store, _records((doc_id, DOCS[doc_id])), EXTRACTOR)
        apply_journal(store)
        opened.append(store.open())
        caches.append(PostingsCache(opened[-1].reader(), segments=segments, previous=caches[-1]))
        segments.doc_frequency(caches[-1].parts, "body", "nothing-asked")  # (a view for it)
    last, fresh = caches[-1], opened[-1].reader()
    try:
        assert len(last._grow) > 5 and any(covered == 2 for _, covered in last._grow.values())
        for field, text in words:
            ids, weights = last.get(field, text)
            fresh_ids, fresh_weights = read_postings(fresh, field, text)
            assert ids.tolist() == fresh_ids.tolist() and weights.tolist() == fresh_weights.tolist()
            assert last.positions(field, text).tolist() == read_positions(fresh, field, text).tolist()
            assert segments.doc_frequency(last.parts, field, text) == fresh.doc_frequency(field, text)
        assert len(leaves(fresh)) == 4
    finally:
        fresh.close()
        for cache in caches:
            cache.reader.close()
        for ix in opened:
            ix.close()


def test_a_warmed_worker_keeps_what_warming_built_out_of_full_collections(make_app):
    import gc
    import logging
    from types import SimpleNamespace

    from api.serve import _warm

    app = make_app(write_key=None)
    worker = SimpleNamespace(wsgi=app, log=logging.getLogger("test"))
    assert gc.get_freeze_count() == 0
    try:
        _warm(worker)
        assert "engine" in vars(app.extensions["tracuu"])  # warmed
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
