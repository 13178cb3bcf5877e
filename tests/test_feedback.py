"""Pseudo-relevance feedback (search.feedback): the words the first answers
share reorder the rest, and never change what a query selects."""

from __future__ import annotations

import numpy as np
import pytest

from search.engine import EngineConfig, SearchEngine, SearchRequest
from search.feedback import Feedback, feedback_terms, lead_terms, rerank

from .conftest import engine_over


def test_words_the_first_answers_share_weigh_most():
    texts = [("mekong rice harvest farmers".split(), 1.0),
             ("mekong rice harvest exports".split(), 0.5),
             ("rice pudding".split(), 0.1)]
    df = {"mekong": 40, "rice": 60, "harvest": 30, "farmers": 200, "exports": 90, "pudding": 2, "the": 9000}
    terms = dict(feedback_terms(texts, df.__getitem__, 10_000, Feedback(terms=4)))
    assert len(terms) == 4 and sum(terms.values()) == pytest.approx(1.0)
    # shared by the two best answers, and rare: first
    assert max(terms, key=terms.get) in {"mekong", "harvest"}
    assert "pudding" not in terms  # in one weak answer only


def test_common_words_and_words_of_one_document_say_nothing():
    texts = [("the the the rice unique".split(), 1.0), ("the rice".split(), 1.0)]
    df = {"the": 9000, "rice": 60, "unique": 1}
    terms = dict(feedback_terms(texts, df.__getitem__, 10_000, Feedback()))
    assert terms == {"rice": pytest.approx(1.0)}


def test_a_lead_is_read_as_the_index_reads_it():
    config = Feedback(chars=40)
    text = "Việt Nam xuất khẩu gạo sang Philippines. " + "Đoạn sau không được đọc. " * 5
    assert lead_terms("Giá gạo tăng", text, "vi", config) == [
        "gia", "gao", "tang", "viet", "vietnam", "nam", "xuat", "khau", "gao", "sang", "philippines"]  # the rest unread
    assert "cooper~" in lead_terms(None, "Trade cooperation grew.", "en", config)


def test_rerank_moves_the_documents_that_share_the_feedback_words():
    ranked = [(0, 10.0), (1, 9.0), (2, 8.0), (3, 8.0), (4, 1.0)]
    boost = np.array([0.0, 0.0, 0.0, 5.0, 0.0])
    out = rerank(ranked, [("mekong", 1.0)], lambda t, docs: boost[docs], Feedback(share=0.5, depth=4))
    order = [d for d, _ in out]
    assert order[0] == 3                      # it alone holds the feedback word
    assert order[-1] == 4                     # past the depth: stays behind
    assert sorted(order) == [0, 1, 2, 3, 4]   # nothing added, nothing lost
    scores = [s for _, s in out]
    assert scores == sorted(scores, reverse=True)


def test_without_feedback_words_the_order_stands():
    ranked = [(5, 3.0), (2, 2.0), (9, 1.0)]
    assert rerank(ranked, [], lambda t, docs: np.zeros(len(docs)), Feedback()) == ranked


STORIES = [
    # two answers about the Mekong rice harvest...
    {"id": "harvest-1", "lang": "en", "title": "Rice harvest in the Mekong Delta",
     "text": "Farmers in the Mekong Delta began the rice harvest, and paddy prices rose as traders bought rice for export."},
    {"id": "harvest-2", "lang": "en", "title": "Mekong Delta farmers sell rice to traders",
     "text": "Paddy prices in the Mekong Delta rose this week as traders bought the rice harvest for export to the Philippines."},
    # ...and two that mention rice and traders once each: one about the same
    # harvest, one about a dessert (a little shorter, so it scores higher)
    {"id": "pudding", "lang": "en", "title": "A dessert for the weekend",
     "text": "A pudding of rice, coconut milk and palm sugar, sold by street traders with mango slices."},
    {"id": "delta", "lang": "en", "title": "Delta farmers expect better prices",
     "text": "Traders in the Mekong Delta expect paddy prices to hold as farmers bring in the rice harvest for export."},
] + [
    {"id": f"other-{i}", "lang": "en", "title": f"Unrelated story {i}",
     "text": f"A football match number {i} ended in a draw after a long evening in the stadium."}
    for i in range(50)  # feedback needs a collection of some size
]


@pytest.fixture(scope="module")
def stories(tmp_path_factory):
    with engine_over(tmp_path_factory.mktemp("feedback"), STORIES) as engine:
        yield engine


def ranked_ids(engine: SearchEngine, q: str, feedback: Feedback, **kwargs) -> list[str]:
    other = SearchEngine(engine.store, EngineConfig(feedback=feedback))
    try:
        return [h.id for h in other.search(SearchRequest(q=q, per_page=20, **kwargs)).hits]
    finally:
        other.close()


def test_feedback_lifts_the_answer_that_shares_the_best_answers_words(stories):
    off = ranked_ids(stories, "rice traders", Feedback(share=1.0))
    on = ranked_ids(stories, "rice traders", Feedback())
    assert set(off) == set(on) == {"harvest-1", "harvest-2", "pudding", "delta"}
    assert off.index("pudding") < off.index("delta")  # the words typed alone cannot tell
    assert on.index("delta") < on.index("pudding")


def test_feedback_never_widens_a_strict_query(stories):
    on = ranked_ids(stories, '"rice harvest" traders', Feedback())
    assert set(on) == {"harvest-1", "harvest-2", "delta"}
    assert set(ranked_ids(stories, "rice traders", Feedback(), match="all")) == set(ranked_ids(stories, "rice traders", Feedback()))


def test_a_query_of_one_concept_is_left_in_its_order(stories):
    assert ranked_ids(stories, "rice", Feedback()) == ranked_ids(stories, "rice", Feedback(share=1.0))
    assert ranked_ids(stories, "rice", Feedback(concepts=1)) != ranked_ids(stories, "rice", Feedback(share=1.0))


def test_feedback_learns_from_at_most_half_the_results_and_not_in_a_tiny_collection():
    config = Feedback(docs=5)
    assert config.sources(100, 10_000) == 5
    assert config.sources(4, 10_000) == 2
    assert config.sources(100, 20) == 0
    assert not Feedback(share=1.0).on
