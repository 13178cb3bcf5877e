"""Each seed parses to the labelled title, publication date, language and
source (../shared/eval/seeds.jsonl, copied to tests/fixtures)."""

import datetime as dt

import pytest

from index.ingest import Extractor, process_job
from index.parse import plan_jobs

from .conftest import SEEDS, seed_labels

LABELS = seed_labels()


@pytest.fixture(scope="module")
def articles():
    extractor = Extractor()
    out = {}
    for job in plan_jobs([SEEDS]):
        for article in process_job(job, extractor):
            out[article.id] = article
    return out


def test_every_seed_parses(articles):
    assert sorted(articles) == sorted(LABELS)


@pytest.mark.parametrize("name", sorted(LABELS))
def test_title_date_and_language(articles, name):
    article, label = articles[name], LABELS[name]
    assert article.title == label["title"]
    assert article.date == dt.date.fromisoformat(label["published"])
    assert article.lang == label["lang"]


@pytest.mark.parametrize("name", [n for n in sorted(LABELS) if not n.startswith("004")])
def test_source_named_in_the_text(articles, name):
    assert articles[name].source == LABELS[name]["source"]


def test_source_is_not_invented_when_the_text_does_not_name_it(articles):
    # Seed 004 is labelled "China Daily", but nothing in its text says so.
    assert "China Daily" not in (SEEDS / "004_9a6f878e0e3d0c32.txt").read_text(encoding="utf-8")
    assert articles["004_9a6f878e0e3d0c32.txt"].source is None


def test_furniture_never_counts_as_story(articles):
    for article in articles.values():
        story = article.lead + "\n" + article.body
        assert "Web editor" not in story
        assert "(Xinhua/" not in story
        assert not story.rstrip().endswith(("PSNews", "VNS"))
        assert "-0\n" not in story and "crime combat -0" not in story
    psnews = articles["002_a4934a66a2df4270.txt"]
    assert "Minister To Lam speaks at the event." not in psnews.body
    assert "Thứ Sáu" not in psnews.lead + psnews.body


def test_credits_are_collected(articles):
    for name, label in LABELS.items():
        assert articles[name].credits == label["credits"], name


def test_datelines(articles):
    assert articles["000_f5870c88c11e6e62.txt"].dateline == "BEIJING"
    assert articles["003_fb207dc14ab148fa.txt"].dateline == "BEIJING"
    assert articles["004_9a6f878e0e3d0c32.txt"].dateline == "HANOI"
    assert articles["002_a4934a66a2df4270.txt"].dateline is None


def test_lede_on_the_date_line_is_the_lead_not_the_headline(articles):
    article = articles["003_fb207dc14ab148fa.txt"]
    assert article.title is None
    assert article.lead.startswith("BEIJING — Secretary of the Communist Party")
