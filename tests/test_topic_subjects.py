"""Topics are the article's main subjects: short articles written for the
purpose, in both languages, each with its main topic and the topics whose
words it uses only in passing (a person's title, one aside in the body)."""

import json
from pathlib import Path

import pytest

from index.document import Origin, Record
from index.ingest import Extractor, IngestConfig

FIXTURES = Path(__file__).parent / "fixtures"
ARTICLES = [json.loads(line) for name in ("topics_en.jsonl", "topics_vi.jsonl")
            for line in (FIXTURES / name).read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def extractor():
    return Extractor(IngestConfig())


@pytest.mark.parametrize("item", ARTICLES, ids=[a["title"][:40] for a in ARTICLES])
def test_the_main_subject_is_a_topic_and_an_aside_is_not(extractor, item):
    record = Record(origin=Origin("fixture"), id="x", title=item["title"], text=item["text"], lang=item["lang"])
    topics = extractor.article(record).topics
    assert item["main"] in topics
    assert not set(item["not"]) & set(topics)


def test_forty_articles_in_both_languages():
    assert len(ARTICLES) >= 40
    assert {a["lang"] for a in ARTICLES} == {"en", "vi"}
    assert sum(bool(a["not"]) for a in ARTICLES) >= 20  # words in passing, not only main subjects


def test_a_title_counts_half_and_an_aside_not_at_all(extractor):
    classifier = extractor.topics
    lead = "Party General Secretary To Lam held talks with the visiting president on trade."
    with_names = classifier.evidence("Talks", lead, "", "en", names=frozenset({"to", "lam"}))
    without = classifier.evidence("Talks", lead, "", "en")
    assert 0 < with_names[0]["party-relations"] < without[0]["party-relations"]
    assert "party-relations" not in with_names[1]  # only a title: no evidence of the subject
    assert without[1]["party-relations"] == [0, 1, 0]
    assert not classifier._main_subject((0, 0, 1))
    assert classifier._main_subject((0, 0, 2)) and classifier._main_subject((0, 1, 0))
