"""The vectorised BM25F scorer gives Whoosh's own scores."""

import json

import numpy as np
import pytest

from index.store import IndexStore
from index.writer import delete, rebuild
from search.engine import SearchEngine
from search.query import parse_query

QUERIES = ["to lam", "Tô Lâm", "cooperation", "viet nam", "nguyen phu trong", "cooperation crime combat",
           '"Belt and Road"', "coop*", "china OR vietnam trade", "hà nội", "fishing -boats"]


def assert_term_at_equals_term(snap, terms):
    docs = np.arange(snap.sets.size)
    sample = np.concatenate([docs[::3], docs[1::7]])  # unsorted, some twice
    for field, text in terms:
        assert snap.scorer.term_at(field, text, sample) == pytest.approx(snap.scorer.term(field, text)[sample])


def assert_same_scores(engine):
    snap = engine.snapshot()
    assert_term_at_equals_term(snap, [("body", "fish~"), ("body", "vietnam"), ("title", "hanoi"), ("body", "nowhere")])
    for q in QUERIES:
        compiled = engine.compile(snap, parse_query(q))
        if compiled.scored is None:
            continue
        mask = snap.sets.matches(compiled.scored)
        ours = snap.scorer.scores(compiled.scored, mask)
        theirs = {hit.docnum: hit.score for hit in snap.searcher.search(compiled.scored, limit=None)}
        assert set(np.flatnonzero(mask).tolist()) == set(theirs), q
        for docnum, score in theirs.items():
            assert ours[docnum] == pytest.approx(score, rel=1e-9), q


def test_scores_equal_whoosh_on_the_seeds(seed_store):
    engine = SearchEngine(seed_store)
    assert_same_scores(engine)
    engine.close()


def test_scores_equal_whoosh_across_segments_and_deletions(tmp_path):
    docs = [{"id": f"d{i}", "lang": "en" if i % 2 else "vi",
             "text": ("Fishing boats from Hà Nội and China cooperation on trade number %d. " % i) * (1 + i % 3)
             + ("Việt Nam hợp tác với Trung Quốc." if i % 5 == 0 else "Belt and Road projects grow.")}
            for i in range(250)]
    src = tmp_path / "docs.jsonl"
    src.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in docs), encoding="utf-8")
    store = IndexStore(tmp_path / "ix")
    rebuild(store, [src], procs=2)  # two writer processes: two segments
    engine = SearchEngine(store)
    assert len(engine.snapshot().searcher.reader().leaf_readers()) == 2
    assert_same_scores(engine)
    delete(store, ["d3", "d40"])
    assert engine.snapshot().searcher.doc_count() == 248
    assert_same_scores(engine)
    engine.close()


def test_phrases_match_as_whoosh_matches_them(seed_store):
    """Positional matching from position postings agrees with Whoosh's spans."""
    from whoosh import query as wq

    engine = SearchEngine(seed_store)
    snap = engine.snapshot()
    cases = [
        ([("belt", "belt~"), ("and", "and~"), ("road", "road~")], 1),
        ([("cooper~", "cooperation"), ("partnership", "partnership~")], 1),
        ([("cooper~",), ("partnership~",)], 3), ([("to",), ("lam",)], 1),
        ([("lam",), ("to",)], 2), ([("communist",), ("parti~", "party"), ("of",)], 2),
    ]
    for words, slop in cases:
        for field in ("title", "body"):
            q = wq.Sequence([wq.Or([wq.Term(field, t) for t in alts]) for alts in words], slop=slop)
            ours = set(np.flatnonzero(snap.sets.matches(q)).tolist())
            theirs = set(snap.searcher.docs_for_query(q))
            assert ours == theirs, (words, slop, field)
    engine.close()


def test_position_postings_equal_whoosh_decoding(tmp_path):
    """read_positions gives every (document, position) Whoosh itself decodes,
    sorted, across segments, and only the chosen documents with ``within``."""
    from search.postings import POSITION_BITS, read_positions

    docs = [{"id": f"d{i}", "lang": "en" if i % 2 else "vi",
             "text": f"Report {i}. " + "Việt Nam and China. " * (1 + i % 4) + ("Trade talks in Hà Nội. " if i % 3 else "")}
            for i in range(300)]
    src = tmp_path / "docs.jsonl"
    src.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in docs), encoding="utf-8")
    store = IndexStore(tmp_path / "ix")
    rebuild(store, [src], procs=2)
    engine = SearchEngine(store)
    reader = engine.snapshot().searcher.reader()
    assert len(reader.leaf_readers()) == 2
    rng = np.random.default_rng(7)
    for term in ("vietnam", "viet", "china", "hanoi", "trade~", "and~"):
        expected = []
        for leaf, offset in reader.leaf_readers():
            if ("body", term) not in leaf:
                continue
            m = leaf.postings("body", term)
            while m.is_active():
                expected += [((m.id() + offset) << POSITION_BITS) | p for p in m.value_as("positions")]
                m.next()
        keys = read_positions(reader, "body", term)
        assert keys.tolist() == sorted(expected) and len(expected), term
        within = rng.random(reader.doc_count_all()) < 0.3
        some = read_positions(reader, "body", term, within)
        assert some.tolist() == [k for k in sorted(expected) if within[k >> POSITION_BITS]], term
    engine.close()


def test_whoosh_top_k_unchanged_without_block_length_statistics(tmp_path):
    """The index codec records no per-block lengths; Whoosh's block-skipping
    top-k search must still find exactly the best documents."""
    from whoosh import query as wq

    docs = [{"id": f"d{i}", "lang": "en",
             "text": f"Story {i}. " + "Trade grows. " * (1 + i % 7) + "Filler words here. " * (i % 11)}
            for i in range(600)]
    src = tmp_path / "docs.jsonl"
    src.write_text("\n".join(json.dumps(d) for d in docs), encoding="utf-8")
    store = IndexStore(tmp_path / "ix")
    rebuild(store, [src], procs=2)
    engine = SearchEngine(store)
    searcher = engine.snapshot().searcher
    for q in (wq.Term("body", "trade~"), wq.Or([wq.Term("body", "grow~"), wq.Term("body", "filler~")])):
        top = [(hit.docnum, hit.score) for hit in searcher.search(q, limit=10)]
        full = [(hit.docnum, hit.score) for hit in searcher.search(q, limit=None)][:10]
        assert [d for d, _ in top] == [d for d, _ in full] and len(top) == 10
    engine.close()


def test_postings_cache_is_bounded_in_terms_and_bytes(seed_engine):
    from search.postings import PostingsCache, read_positions, read_postings

    reader = seed_engine.snapshot().searcher.reader()
    terms = [t.decode() if isinstance(t, bytes) else t for t, _ in zip(reader.lexicon("body"), range(200))]
    cache = PostingsCache(reader, size=50, max_bytes=4000)
    for term in terms:
        ids, weights = cache.get("body", term)
        expected = read_postings(reader, "body", term)
        assert ids.tolist() == expected[0].tolist() and weights.tolist() == expected[1].tolist()
        assert cache.positions("body", term).tolist() == read_positions(reader, "body", term).tolist()
        assert len(cache._cache) <= 50 and cache.nbytes <= 4000
    assert len(cache._cache) > 1
    assert cache.nbytes == sum(sum(a.nbytes for a in v) if isinstance(v, tuple) else v.nbytes
                               for v in cache._cache.values())
