"""The six cases the analysis must handle, each against real analysis chains
and, where ranking is the point, a small index searched through the compiler."""

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.analysis import (
    STEM_MARK, exact_analyzer, folded_analyzer, index_words, joinable, query_forms,
)

from .conftest import MiniIndex

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def tokens(analyzer, text):
    return [t.text for t in analyzer(text, positions=True, mode="index")]


def positions(analyzer, text):
    return [(t.text, t.pos) for t in analyzer(text, positions=True, mode="index")]


# 1. Unicode repair before anything else --------------------------------------

def test_nfd_and_nfc_index_the_same():
    nfc = "Tổng Bí thư Nguyễn Phú Trọng thăm Đà Nẵng"
    nfd = unicodedata.normalize("NFD", nfc)
    for analyzer in (folded_analyzer("vi"), exact_analyzer()):
        assert positions(analyzer, nfd) == positions(analyzer, nfc)


def test_latin_eth_is_repaired_in_both_forms():
    for analyzer in (folded_analyzer("vi"), exact_analyzer()):
        assert tokens(analyzer, "\u00d0à Nẵng") == tokens(analyzer, "Đà Nẵng")
    assert tokens(exact_analyzer(), "\u00d0à") == ["đà"]


def test_tone_placement_is_equal_in_the_diacritic_preserving_form():
    exact = exact_analyzer()
    assert tokens(exact, "hoà thuỵ Khoá") == tokens(exact, "hòa thụy Khóa")
    assert tokens(folded_analyzer("vi"), "hoà thuỵ Khoá") == ["hoa", "thuy", "khoa"]


# 2. A folded form -------------------------------------------------------------

def test_folded_form_matches_both_ways():
    ix = MiniIndex([("marked", "vi", "Đà Nẵng đón khách"), ("plain", "vi", "Da Nang don khach")])
    assert set(ix.scores("da nang")) == {"marked", "plain"}
    assert set(ix.scores("Đà Nẵng")) == {"marked", "plain"}
    assert tokens(folded_analyzer("vi"), "Đường") == ["duong"]


# 3. A diacritic-preserving form ranks exact matches first ---------------------

def test_query_with_diacritics_ranks_exact_matches_first():
    ix = MiniIndex([
        ("plain", "vi", "Ông Lam phát biểu tại hội nghị."),
        ("exact", "vi", "Ông Lâm phát biểu tại hội nghị."),
    ])
    scores = ix.scores("Lâm")
    assert scores["exact"] > scores["plain"] > 0


def test_query_without_diacritics_treats_both_alike():
    ix = MiniIndex([
        ("plain", "vi", "Ông Lam phát biểu tại hội nghị."),
        ("exact", "vi", "Ông Lâm phát biểu tại hội nghị."),
    ])
    scores = ix.scores("lam")
    assert scores["exact"] == scores["plain"] > 0


def test_exact_form_keeps_only_words_with_diacritics():
    assert tokens(exact_analyzer(), "Tô Lâm met To Lam") == ["tô", "lâm"]


# 4. No stop-word loss -----------------------------------------------------------

def test_name_syllables_are_not_stop_words():
    names = ["to", "le", "do", "ho", "ha", "an", "mai"]
    vi = tokens(folded_analyzer("vi"), "Ông Tô, bà Lê, ông Đỗ, ông Hồ, bà Hà, ông An và bà Mai")
    assert [w for w in vi if w in names] == names
    en = tokens(folded_analyzer("en"), "The delegation included Mr To, Ms Le, Mr Do, Ms Ho, "
                                       "Mr Ha and Ms An, who met Ms Mai.")
    assert [w for w in en if w in names] == names


def test_phrase_matches_only_adjacent_words():
    ix = MiniIndex([
        ("adjacent", "en", "General To Lam met the delegation in Hanoi."),
        ("apart", "en", "Lam Dong officials spoke to the press about tea."),
    ])
    assert list(ix.scores('"To Lam"')) == ["adjacent"]
    assert set(ix.scores("to lam")) == {"adjacent", "apart"}


def test_to_lam_ranks_the_to_lam_article_first():
    ix = MiniIndex([
        ("apart", "en", "Lam Dong officials went to the market to talk to farmers."),
        ("name", "en", "Officials met To Lam, the minister, at the talks."),
        ("other", "en", "Delegates went to the capital to sign deals."),
    ])
    assert ix.ids("to lam")[0] == "name"


# 5. Compound forms ----------------------------------------------------------------

def test_adjacent_capitalised_syllables_also_index_their_joined_form():
    assert positions(folded_analyzer("vi"), "tại Việt Nam") == [
        ("tai", 0), ("viet", 1), ("vietnam", 1), ("nam", 2)]
    assert "communistparty" not in tokens(folded_analyzer("en"), "the Communist Party")
    assert "taiviet" not in tokens(folded_analyzer("vi"), "tại Việt")  # lower-case does not join


def test_vietnam_spellings_retrieve_the_same_documents():
    ix = MiniIndex([
        ("vi", "vi", "Hợp tác giữa Việt Nam và Lào"),
        ("joined", "en", "Cooperation between Vietnam and Laos"),
        ("spaced", "en", "Cooperation between Viet Nam and Laos"),
        ("other", "en", "Cooperation between Thailand and Laos"),
    ])
    expected = {"vi", "joined", "spaced"}
    for q in ("vietnam", "viet nam", "Việt Nam", "Viet Nam", "VIETNAM"):
        assert set(ix.scores(q)) == expected, q


def test_city_spellings_retrieve_the_same_documents():
    ix = MiniIndex([
        ("hn-vi", "vi", "Hội nghị diễn ra tại Hà Nội"),
        ("hn-en", "en", "The meeting was held in Hanoi"),
        ("dn-vi", "vi", "Du khách đến Đà Nẵng"),
        ("dn-en", "en", "Tourists arrive in Danang"),
    ])
    for q in ("hanoi", "ha noi", "Hà Nội"):
        assert set(ix.scores(q)) == {"hn-vi", "hn-en"}, q
    for q in ("danang", "da nang", "Đà Nẵng"):
        assert set(ix.scores(q)) == {"dn-vi", "dn-en"}, q


def test_query_side_joining():
    assert joinable("viet", "nam") and not joinable("communist", "party")


# 6. English stemming for English text only ---------------------------------------

def test_english_text_is_stemmed_and_matches_other_forms():
    ix = MiniIndex([("en", "en", "The two sides agreed to deepen cooperation.")])
    for q in ("cooperative", "cooperate", "cooperation"):
        assert set(ix.scores(q)) == {"en"}, q


def test_vietnamese_text_is_never_stemmed():
    assert not any(t.endswith(STEM_MARK) for t in tokens(folded_analyzer("vi"), "hợp tác cooperation agreements"))
    ix = MiniIndex([("vi", "vi", "Hai bên ký các agreements về hợp tác")])
    assert set(ix.scores("agreements")) == {"vi"}
    assert ix.scores("agreement") == {}


def test_names_are_never_stemmed_into_each_other():
    en = folded_analyzer("en")
    assert tokens(en, "They met President Huy and Mr Hui.")[3:] == ["huy", "and~", "mr", "hui"]
    ix = MiniIndex([("huy", "en", "They met President Huy yesterday.")])
    assert ix.scores("Hui") == {}
    assert set(ix.scores("Huy")) == {"huy"}


def test_sentence_start_and_headline_case_are_stemmed():
    en = folded_analyzer("en")
    assert tokens(en, "Cooperation grew.")[0] == "cooper" + STEM_MARK
    assert "cooper" + STEM_MARK in tokens(en, "Vietnam And China Deepen Cooperation")


def test_query_forms():
    forms = query_forms("Lâm")
    assert (forms.folded, forms.exact) == ("lam", "lâm")
    assert query_forms("lam").exact is None
    assert query_forms("cooperative").terms == ("cooperative", "cooper" + STEM_MARK)


def test_lead_words_weigh_more_in_the_body_field():
    from index.schema import LEAD_BOOST, LangText, make_schema

    body = make_schema()["body"]
    value = LangText("Trade talks opened.\n\nThe talks ended.", "en", boost_until=len("Trade talks opened."),
                     boost=LEAD_BOOST)
    weights = {term.decode(): weight for term, _, weight, _ in body.index(value)}
    assert weights["trade~"] == LEAD_BOOST
    assert weights["talk~"] == LEAD_BOOST + 1.0
    assert weights["end~"] == 1.0


def _chain(text: str, lang: str | None) -> list[tuple[str, int, int]]:
    return [(t.text, t.startchar, t.endchar) for t in folded_analyzer(lang)(text, chars=True, mode="index")]


@pytest.mark.parametrize("lang", ["vi", "en", None])
def test_one_pass_index_words_equal_the_analysis_chain_on_the_seeds(lang):
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert index_words(text, lang) == _chain(text, lang), path.name


_PIECES = st.sampled_from(["Việt Nam", "Viet Nam", "Hà Nội", "Tô Lâm", "hoà", "HOÀ", "Hòa", "the", "The", "CPC",
                           "Cooperation", "cooperation", "3.5", "10,000", "Xiong'an", ". ", ", ", "\n", "\n\n",
                           "  ", "(", "“", "Đà Nẵng", "ĐÀ NẴNG", "Ngài", "ông Trọng", "Premier Li", "e\u0301",
                           "Hong Kong", "Communist Party", "phở", "–"])


@given(st.lists(st.one_of(_PIECES, st.text(max_size=8)), max_size=30).map(" ".join), st.sampled_from(["vi", "en", None]))
@settings(max_examples=300, deadline=None)
def test_one_pass_index_words_equal_the_analysis_chain_on_any_text(text, lang):
    assert index_words(text, lang) == _chain(text, lang)
