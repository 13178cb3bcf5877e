"""Snippets: the paragraphs skipped without analysis are exactly those that
hold no match, so every snippet is the one full analysis would give."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.analysis import index_words
from search import highlight
from search.highlight import snippet

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
TEXTS = [(p.read_text(encoding="utf-8"), "vi" if "Tô Lâm" in p.read_text(encoding="utf-8") else "en")
         for p in sorted(SEEDS.glob("*.txt"))]


def terms_of(text: str, lang: str) -> list[str]:
    return sorted({t for t, _, _ in index_words(text, lang)})


def full_analysis(monkeypatch, *args, **kwargs) -> str:
    with monkeypatch.context() as m:
        m.setattr(highlight, "_squeezed", lambda text: None)  # analyse every paragraph
        return snippet(*args, **kwargs)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_skipping_paragraphs_changes_no_snippet_on_the_seeds(monkeypatch, lang):
    for text, _ in TEXTS:
        vocabulary = terms_of(text, lang)
        # every term of the story, one at a time and in pairs far apart
        for i, term in enumerate(vocabulary):
            for terms in ({term}, {term, vocabulary[(i * 7 + 3) % len(vocabulary)]}):
                assert snippet(text, lang, terms) == full_analysis(monkeypatch, text, lang, terms), terms


@given(st.lists(st.sampled_from(["Việt Nam", "Hà Nội", "ĐÀ NẴNG", "hoà", "Cooperation", "happy", "3.5", "10,000",
                                 "Xiong'an", "studies", "e\u0301", "ß", "Ðà", "\n\n", ". ", " "]), max_size=40).map(" ".join),
       st.sampled_from(["vi", "en"]))
@settings(max_examples=200, deadline=None)
def test_skipping_paragraphs_changes_no_snippet_on_any_text(text, lang):
    vocabulary = terms_of(text, lang)
    for term in vocabulary:
        with_skipping = snippet(text, lang, {term})
        original = highlight._squeezed
        highlight._squeezed = lambda text: None
        try:
            assert with_skipping == snippet(text, lang, {term}), term
        finally:
            highlight._squeezed = original
