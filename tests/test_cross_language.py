"""Concepts across languages: a Vietnamese query finds English articles
and the reverse, through the lexicon in index/data/lexicon.toml, ranked
below articles in the query's own language."""

import pytest

from index.concepts import ConceptLexicon
from index.equivalents import Equivalents
from search import matching
from search.engine import SearchRequest

from .conftest import articles, engine_over

DOCS = [
    ("en-election", "en", "Voters went to the polls on Sunday in a closely fought election."),
    ("vi-election", "vi", "Cử tri cả nước đi bỏ phiếu trong cuộc bầu cử đại biểu Quốc hội."),
    ("en-smuggling", "en", "Customs officers seized smuggled cigarettes at the port."),
    ("vi-smuggling", "vi", "Lực lượng hải quan bắt giữ lô thuốc lá buôn lậu tại cảng."),
    ("vi-start", "vi", "Mùa mưa bắt đầu sớm ở các tỉnh phía Nam."),
    ("en-other", "en", "The football season opened with a draw in London."),
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    with engine_over(tmp_path_factory.mktemp("cross"), articles(DOCS)) as engine:
        yield engine


def ids(engine, q):
    return [h.id for h in engine.search(SearchRequest(q=q)).hits]


def test_a_vietnamese_concept_finds_an_english_article_below_vietnamese_ones(engine):
    assert ids(engine, "bầu cử") == ["vi-election", "en-election"]
    assert ids(engine, "bau cu") == ["vi-election", "en-election"]
    assert ids(engine, "buôn lậu") == ["vi-smuggling", "en-smuggling"]


def test_an_english_concept_finds_a_vietnamese_article(engine):
    assert ids(engine, "election") == ["en-election", "vi-election"]
    assert ids(engine, "smuggling") == ["en-smuggling", "vi-smuggling"]
    response = engine.search(SearchRequest(q="election"))
    assert response.understood == [{"text": "election", "kind": "concept", "value": "election"}]


def test_one_syllable_is_not_a_concept(engine):
    # "bắt" (arrest) is also the first syllable of "bắt đầu" (begin)
    assert ids(engine, "bắt đầu") == ["vi-start"]


def test_every_entry_reads(tmp_path):
    lexicon = ConceptLexicon.load()
    assert len(lexicon.concepts) >= 800
    assert all(c.en and c.vi for c in lexicon.concepts)
    bad = tmp_path / "bad.toml"
    bad.write_text('law = ["court without a translation"]\n', encoding="utf-8")
    with pytest.raises(ValueError, match="is not 'english"):
        ConceptLexicon.load(bad)


def test_english_forms_match_their_inflections_not_words_that_share_a_stem(tmp_path):
    lexicon_file = tmp_path / "lexicon.toml"
    lexicon_file.write_text('trade = ["imports, import = nhập khẩu", "customs = hải quan"]\n'
                            'health = ["vaccination, vaccinate = tiêm chủng", "prepare = chuẩn bị"]\n',
                            encoding="utf-8")
    lexicon = ConceptLexicon.load(lexicon_file)

    def english(word):
        found = lexicon.find(word)
        return found[0].en[0] if found else None

    assert english("vaccinations") == english("vaccinated") == "vaccination"
    assert english("prepared") == english("preparing") == english("prepares") == "prepare"
    assert english("imported") == english("importing") == "imports"
    # a stemmer makes these "import" and "custom": other words
    assert english("important") is None
    assert english("customer") is None and english("customers") is None


def test_a_one_syllable_country_name_is_found_with_its_diacritics(tmp_path):
    docs = [("vi-us", "vi", "Mỹ tăng thuế nhập khẩu thép từ nhiều nước."),
            ("en-my", "en", "My family visited the museum on Sunday."),
            ("vi-other", "vi", "Mỹ Tho là thành phố của tỉnh Tiền Giang.")]
    with engine_over(tmp_path, articles(docs)) as engine:
        found = [h.id for h in engine.search(SearchRequest(q="american steel tariffs")).hits]
        assert found[0] == "vi-us" and "en-my" not in found
        understood = engine.search(SearchRequest(q="Vietnamese shrimp")).understood
        assert {"text": "Vietnamese", "kind": "country", "value": "Vietnam"} in understood


def test_a_misspelt_concept_still_crosses_languages(engine):
    response = engine.search(SearchRequest(q="electon"))
    assert [h.id for h in response.hits] == ["en-election", "vi-election"]
    assert response.understood == [{"text": "electon", "kind": "concept", "value": "election"}]


def test_a_hyphenated_word_can_be_a_concept(tmp_path):
    docs = [("vi", "vi", "Mỹ áp thuế chống bán phá giá đối với cá tra nhập khẩu."),
            ("en", "en", "The commission opened an anti-dumping inquiry into steel imports."),
            ("other", "en", "Dumping of waste in the river angered residents.")]
    with engine_over(tmp_path, articles(docs)) as engine:
        response = engine.search(SearchRequest(q="anti-dumping"))
        assert [h.id for h in response.hits][:2] == ["en", "vi"]
        assert response.understood[0]["kind"] == "concept"


HOME = [
    ("vi-rice", "vi", "Xuất khẩu gạo tháng này tăng mạnh. Giá gạo xuất khẩu cao nhất trong năm ở châu Phi."),
    ("th-rice", "en", "Thailand's rice exports rose this month on strong prices in African markets."),
    ("vn-football", "en", "Vietnam hosted a football tournament for young players this month."),
] + [(f"filler-{i}", "en", f"Match report {i}: the home side won after a late goal in the rain.") for i in range(40)]


def test_an_article_in_a_countrys_own_language_is_taken_to_be_set_there(tmp_path, monkeypatch):
    with engine_over(tmp_path, articles(HOME)) as engine:
        response = engine.search(SearchRequest(q="Vietnam rice exports", per_page=5))
        hits = {h.id: h for h in response.hits}
        assert [h.id for h in response.hits][:2] == ["vi-rice", "th-rice"]
        assert hits["vi-rice"].matched == 1  # credit, not a match: it never names Vietnam
        monkeypatch.setattr(matching, "HOME_SHARE", 0.0)
        engine.snapshot().cache.clear()
        assert [h.id for h in engine.search(SearchRequest(q="Vietnam rice exports", per_page=5)).hits][:2] == [
            "th-rice", "vi-rice"]


def test_a_home_language_belongs_to_a_group(tmp_path):
    good = tmp_path / "good.toml"
    good.write_text('countries = [["Vietnam", "Việt Nam"]]\n[home]\nVietnam = "vi"\n', encoding="utf-8")
    assert Equivalents.load(good).home("Vietnam") == "vi"
    bad = tmp_path / "bad.toml"
    bad.write_text('countries = [["Vietnam", "Việt Nam"]]\n[home]\nAtlantis = "xx"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="usual name of a group"):
        Equivalents.load(bad)


def test_an_english_word_finds_its_two_syllable_translation_written_apart(tmp_path):
    # "xuất, nhập khẩu" is how Vietnamese writes "exports and imports"
    docs = [("apart", "vi", "Kim ngạch xuất, nhập khẩu của tỉnh tăng mạnh trong quý đầu năm."),
            ("together", "vi", "Xuất khẩu cà phê giảm vì giá thấp."),
            ("unrelated", "vi", "Nhập học đầu năm diễn ra đúng kế hoạch.")]
    with engine_over(tmp_path, articles(docs)) as engine:
        assert set(ids(engine, "exports")) == {"apart", "together"}


def test_a_syllable_between_two_recognised_words_is_looked_up(tmp_path):
    # "hiệp định | thiếc | quốc tế": nothing is left for "thiếc" (tin) to be
    # part of, so it stands alone and finds English articles about tin
    docs = [("en-tin", "en", "Producers agreed to extend the international tin agreement by two years."),
            ("en-cocoa", "en", "The international cocoa agreement was signed by producers."),
            ("vi-news", "vi", "Tin vắn: hiệp định thương mại quốc tế được ký kết hôm qua.")]
    with engine_over(tmp_path, articles(docs)) as engine:
        response = engine.search(SearchRequest(q="hiệp định thiếc quốc tế"))
        assert [h.id for h in response.hits][0] == "en-tin"
        assert {"text": "thiếc", "kind": "concept", "value": "tin"} in response.understood
        # the English word "tin" is not looked for in Vietnamese ("tin": news)
        assert ids(engine, "thiếc") == ["en-tin"]


def test_a_syllable_two_concepts_list_is_never_looked_up():
    lexicon = ConceptLexicon.load()
    assert lexicon.find_syllable("thiếc")[0].en[0] == "tin"
    assert lexicon.find_syllable("đường") is None  # sugar or road
    assert lexicon.find_syllable("thiec") is None  # folded, it could be many syllables
    assert lexicon.find("thiếc") is None  # not a concept wherever it stands
