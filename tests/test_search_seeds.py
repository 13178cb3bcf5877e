"""The write path's promise, checked end to end on the seed index."""

from search.engine import SearchEngine, SearchRequest

from .conftest import search_ids


def test_to_lam_in_every_spelling(seed_engine):
    results = [search_ids(seed_engine, q) for q in ("Tô Lâm", "to lam", "TO LAM")]
    assert results[0] == results[1] == results[2]
    assert results[0][:2] == ["000", "002"]


def test_nguyen_phu_trong(seed_engine):
    assert set(search_ids(seed_engine, "nguyen phu trong")) == {"003", "004"}
    assert set(search_ids(seed_engine, '"Nguyễn Phú Trọng"')) == {"003", "004"}


def test_viet_nam(seed_engine):
    # 003 writes "Việt Nam"; the other four write "Vietnam".
    for q in ("viet nam", "vietnam", "Việt Nam"):
        assert set(search_ids(seed_engine, q)) == {"000", "001", "002", "003", "004"}, q


def test_hanoi(seed_engine):
    for q in ("hanoi", "Hà Nội", "ha noi"):
        assert set(search_ids(seed_engine, q)) == {"001", "004"}, q


def test_cooperative_finds_cooperation(seed_engine):
    found = set(search_ids(seed_engine, "cooperative"))
    assert {"000", "001", "002", "003", "004"} == found  # every seed says "cooperation"


def test_phrase_adjacency(seed_engine):
    assert set(search_ids(seed_engine, '"Belt and Road"')) == {"004"}
    assert search_ids(seed_engine, '"Lam To"') == []


def test_no_match_on_every_word_falls_back_to_any_word(seed_engine):
    from search.engine import SearchRequest

    response = seed_engine.search(SearchRequest(q="fugitive xylophone"))
    assert response.relaxed and [h.id[:3] for h in response.hits] == ["002"]
    assert not seed_engine.search(SearchRequest(q="fugitive")).relaxed


def test_exclusion_and_or(seed_engine):
    assert set(search_ids(seed_engine, "cooperation -covid")) == {"000", "001", "003", "004"}
    assert set(search_ids(seed_engine, "fugitive OR Xiong'an")) == {"002", "003"}


def test_snippets_mark_folded_matches_and_escape_text(seed_engine):
    from search.engine import SearchRequest

    hit = seed_engine.search(SearchRequest(q="to lam")).hits[0]
    assert "<mark>To Lam</mark>" in hit.snippet
    hit = seed_engine.search(SearchRequest(q="Xiong'an")).hits[0]
    assert "<mark>Xiong</mark>&#x27;<mark>an</mark> new area" in hit.snippet
    assert "'" not in hit.snippet


def test_names_find_each_other_across_languages(seed_engine):
    # 000 and 003 write "Beijing"; 003 is about Xi Jinping (the person facet)
    assert set(search_ids(seed_engine, "Bắc Kinh")) >= {"000", "003"}
    assert search_ids(seed_engine, "Tập Cận Bình") == ["003"]
    assert set(search_ids(seed_engine, "Vương Nghị")) == {"001", "003"}


def test_a_year_typed_means_published_that_year(seed_engine):
    assert set(search_ids(seed_engine, "2021 public security")[:2]) == {"002", "004"}
    assert set(search_ids(seed_engine, "2021")) == {"002", "004"}


def test_words_that_fold_alike(seed_engine):
    # two words with one folded form ("lam lâm") once raised in highlighting
    assert set(search_ids(seed_engine, "lam lâm")) == {"000", "002"}
    assert search_ids(seed_engine, "tin tín") == []


def test_common_words_are_marked_only_next_to_another_match():
    from search.highlight import snippet

    text = "He went to the market. Later To Lam spoke to reporters."
    terms = {"to", "to~", "lam", "lam~", "tolam"}
    groups = [frozenset({"to", "to~"}), frozenset({"lam", "lam~", "tolam"})]
    marked = snippet(text, "en", terms, groups=groups, weak={"to", "to~"})
    assert marked.count("<mark>") == 1 and "<mark>To Lam</mark>" in marked
    assert snippet(text, "en", terms, groups=groups).count("<mark>") == 3


def test_warming_reads_the_lengths_of_every_field_a_search_scores(seed_store):
    engine = SearchEngine(seed_store)
    try:
        engine.warm()
        snap = engine.snapshot()
        # title, body and exact (the diacritic forms): none left for the first search
        assert set(snap.scorer._lengths) == set(snap.searcher.schema.scorable_names()) >= {"title", "body", "exact"}
    finally:
        engine.close()
