"""Did you mean: bounded lookups, text words only, inside the time budget."""

import random
import string

import pytest

from search.deadline import Deadline
from search.engine import EngineConfig, SearchEngine, SearchRequest
from search.spelling import Speller

from .conftest import articles, engine_over


@pytest.fixture
def speller(seed_engine):
    return seed_engine.snapshot().speller


def test_corrects_text_words(speller):
    assert speller.correct("cooporation") == "cooperation"
    assert speller.correct("nguyen phu trog") == "nguyen phu trong"
    assert speller.correct("Cooporation") == "Cooperation"
    assert speller.correct("cooperation") is None


def test_leaves_filters_exclusions_and_prefixes_alone(speller):
    q = 'cooporation lang:vi source:Xinhau person:"to lamm" -securty coopor* OR "bejing talks"'
    assert speller.correct(q) == \
        'cooperation lang:vi source:Xinhau person:"to lamm" -securty coopor* OR "beijing talks"'
    assert speller.correct("year:2021 source:Xinhau") is None


class SteppingClock:
    """A clock that stands still until a spelling lookup moves it on, as a
    slow lookup would."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_long_made_up_query_stays_inside_the_budget(seed_store, monkeypatch):
    clock = SteppingClock()
    lookups = []
    real = Speller.correct_word

    def slow(self, word, vietnamese):
        lookups.append(word)
        clock.now += 0.1  # each lookup "takes" 100 ms
        return real(self, word, vietnamese)

    monkeypatch.setattr(Speller, "correct_word", slow)
    random.seed(7)
    q = " ".join("".join(random.choice(string.ascii_lowercase) for _ in range(random.randint(8, 14)))
                 for _ in range(60))[:500]
    engine = SearchEngine(seed_store, EngineConfig(timeout=0.35), clock=clock)
    try:
        response = engine.search(SearchRequest(q=q))
    finally:
        engine.close()
    assert response.total == 0 and response.did_you_mean is None
    assert response.partial  # the budget ran out and the answer says so
    assert 1 <= len(lookups) <= 4  # not the ~45 words of the query
    assert clock.now - 1000.0 <= 0.35 + 0.1  # one lookup past the budget at most


def test_the_speller_stops_when_the_deadline_has_passed(speller):
    clock = SteppingClock()
    deadline = Deadline(0.0, clock)
    assert speller.correct("cooporation", deadline) is None
    assert speller.correct("cooporation", Deadline(1.0, clock)) == "cooperation"


def test_in_a_large_collection_a_word_seen_once_is_still_corrected_and_never_offered():
    from collections import Counter

    from index.vocabulary import Vocabulary

    vocabulary = Vocabulary(words=Counter({"nguyen": 40, "phu": 30, "trong": 50, "trog": 1, "tron": 1}),
                            documents=1200)
    speller = Speller(vocabulary)
    assert speller.correct("nguyen phu trog") == "nguyen phu trong"
    assert speller.correct("nguyen phu tronn") == "nguyen phu trong"  # not the rarer "tron"
    small = Speller(Vocabulary(words=vocabulary.words, documents=12))
    assert small.correct("nguyen phu trog") is None  # in a small one, once is known


def test_a_misspelled_word_matches_its_correction_lower(tmp_path):
    docs = [("right", "Fishermen from Quảng Ngãi returned to port."),
            ("typo", "Fishermn from the north stayed home."),
            ("other", "Farmers harvested rice in the delta.")]
    docs += [(f"f{i}", f"Fishermen and farmers met officials, number {i}.") for i in range(4)]
    with engine_over(tmp_path, articles(docs, "en")) as engine:
        found = [h.id for h in engine.search(SearchRequest(q="fishermn quang ngai")).hits]
        assert found[0] == "right"   # the correction, with the other words
        assert "typo" in found       # the word as typed still matches
        exact = [h.id for h in engine.search(SearchRequest(q="fishermen")).hits]
        assert "typo" not in exact   # a known word is not "corrected"
