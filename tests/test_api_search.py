"""GET /api/search, /api/suggest and /api/facets: behaviour and contract."""

from collections import Counter

import pytest

from .conftest import auth, conforms, seed_labels


def search(client, **params):
    response = client.get("/api/search", query_string=params)
    assert response.status_code == 200, response.get_json()
    return conforms(response, "/api/search")


def ids(body):
    return [h["id"][:3] for h in body["hits"]]


def test_search_answers_the_contract(client):
    body = search(client, q="to lam")
    assert set(body) == {"query", "total", "took_ms", "relaxed", "concepts", "partial", "hits", "facets",
                         "did_you_mean", "understood"}
    assert body["understood"] == [{"text": "to lam", "kind": "person", "value": "to-lam"}]
    assert body["query"] == "to lam" and body["total"] == 2 and not body["relaxed"] and not body["partial"]
    assert body["concepts"] == 1 and body["hits"][0]["matched"] == 1  # one concept: the person
    assert ids(body) == ["000", "002"]
    hit = body["hits"][0]
    assert hit["persons"] == [{"key": "cai-qi", "label": "Cai Qi"}, {"key": "to-lam", "label": "Tô Lâm"}]
    assert hit["score"] > 0 and "<mark>To Lam</mark>" in hit["snippet"]
    assert set(body["facets"]) == {"person", "topic", "year", "month", "lang", "source"}


def test_person_facet_for_cooperation_matches_the_labels(client):
    body = search(client, q="cooperation", facets="person")
    assert body["total"] == 5  # every seed says "cooperation"
    by_hand = Counter(name for label in seed_labels().values() for name in label["persons"])
    counts = {v["label"]: v["count"] for v in body["facets"]["person"]}
    assert len(counts) == 10  # the ten most frequent of thirteen people
    for name, count in counts.items():
        assert by_hand[name] == count, name
    assert max(by_hand.values()) == counts["Cai Qi"] == 3
    assert list(body["facets"]) == ["person"]


def test_facet_counts_are_disjunctive(client):
    body = search(client, q="cooperation", person="to-lam", facets="person,topic")
    assert body["total"] == 2 and set(ids(body)) == {"000", "002"}
    people = {v["value"]: v for v in body["facets"]["person"]}
    # the person facet ignores its own selection: alternatives keep their counts
    assert people["cai-qi"]["count"] == 3 and not people["cai-qi"]["selected"]
    assert people["to-lam"]["count"] == 2 and people["to-lam"]["selected"]
    # other facets count only the selected person's documents
    topics = {v["value"]: v["count"] for v in body["facets"]["topic"]}
    assert max(topics.values()) == 2


def test_values_of_one_facet_or_and_facets_and(client):
    assert search(client, person=["to-lam", "zhao-kezhi"])["total"] == 3      # 000, 002 | 002, 004
    assert search(client, person=["to-lam", "zhao-kezhi"], year="2021")["total"] == 2  # 002, 004
    assert search(client, person=["to-lam"], year=["2023", "2021"])["total"] == 2


@pytest.mark.parametrize("spelling", ["to-lam", "to lam", "Tô Lâm", "TO LAM", "To Lam"])
def test_person_filter_takes_any_spelling(client, spelling):
    assert set(ids(search(client, person=spelling))) == {"000", "002"}


def test_unknown_values_find_nothing(client):
    body = search(client, person="Nobody Atall", topic="no-such-topic", year="1850")
    assert body["total"] == 0 and body["hits"] == []
    assert {v["value"] for v in body["facets"]["person"] if v["selected"]} == {"nobody-atall"}


def test_filters_in_the_query(client):
    assert set(ids(search(client, q='person:"to lam" year:2021'))) == {"002"}
    assert set(ids(search(client, q="topic:economy-trade"))) == {"004"}
    assert set(ids(search(client, q="cooperation -year:2021 lang:en"))) == {"000", "001", "003"}


def test_dates(client):
    assert set(ids(search(client, **{"from": "2023"}))) == {"000", "001", "003"}
    assert set(ids(search(client, **{"from": "2023-09", "to": "2023-09-30"}))) == {"000"}
    assert set(ids(search(client, to="2021-02-20"))) == {"004"}


@pytest.mark.parametrize("params, param", [
    ({"year": "20x1"}, "year"), ({"from": "2023-13"}, "from"), ({"to": "2021-02-30"}, "to"),
    ({"sort": "random"}, "sort"), ({"per_page": "0"}, "per_page"), ({"per_page": "101"}, "per_page"),
    ({"page": "zero"}, "page"), ({"page": "0"}, "page"), ({"facets": "colour"}, "facets"),
    ({"q": '"unclosed'}, "q"), ({"q": "x" * 501}, "q"), ({"lang": "english!"}, "lang"),
    ({"hl": "fr"}, "hl"),
])
def test_malformed_values_are_400_naming_the_parameter(client, params, param):
    response = client.get("/api/search", query_string=params)
    assert response.status_code == 400
    body = conforms(response, "/api/search")
    assert body["param"] == param and body["status"] == 400 and body["detail"]


def test_deep_paging_is_capped(client):
    response = client.get("/api/search", query_string={"page": 11, "per_page": 100})
    assert response.status_code == 400 and response.get_json()["param"] == "page"
    assert "1000" in response.get_json()["detail"]
    assert search(client, page=10, per_page=100)["hits"] == []


def test_sorting_and_browsing(client):
    assert ids(search(client)) == ["003", "001", "000", "002", "004"]            # newest when q is empty
    assert ids(search(client, sort="oldest")) == ["004", "002", "000", "001", "003"]
    assert ids(search(client, q="cooperation", sort="newest"))[0] == "003"
    assert search(client)["hits"][0]["score"] is None


def test_paging(client):
    first = ids(search(client, per_page=2))
    second = ids(search(client, per_page=2, page=2))
    assert first == ["003", "001"] and second == ["000", "002"]


def test_relaxed_matching_says_so(client):
    body = search(client, q="fugitive xylophone")
    assert body["relaxed"] and ids(body) == ["002"]


def test_did_you_mean(client):
    body = search(client, q="cooporation")
    assert body["total"] == 5  # the misspelling also matches its correction, lower
    assert body["did_you_mean"] == {"q": "cooperation", "total": 5}
    body = search(client, q="nguyen phu trog")
    assert body["did_you_mean"] == {"q": "nguyen phu trong", "total": 2}
    assert search(client, q="cooperation")["did_you_mean"] is None


def put(client, doc_id, **doc):
    response = client.put(f"/api/documents/{doc_id}", json=doc, headers=auth())
    assert response.status_code in (200, 201), response.get_json()


def test_snippets_mark_folded_matches_and_escape_markup(client):
    put(client, "vi-1", lang="vi", title="Tổng Bí thư Tô Lâm thăm Bắc Kinh",
        text="Tổng Bí thư Tô Lâm đã hội đàm với lãnh đạo Trung Quốc tại Bắc Kinh.")
    put(client, "xss", lang="en", title="<img src=x onerror=alert(1)>",
        text="A <script>alert('xylophone')</script> tag in the text, and a xylophone.")
    hit = next(h for h in search(client, q="to lam")["hits"] if h["id"] == "vi-1")
    assert "<mark>Tô Lâm</mark>" in hit["snippet"]
    hit = search(client, q="xylophone")["hits"][0]
    assert hit["id"] == "xss"
    assert "&lt;script&gt;" in hit["snippet"] and "<script>" not in hit["snippet"]
    assert hit["snippet"].count("<mark>") == hit["snippet"].count("</mark>") == 2
    assert hit["title"] == "<img src=x onerror=alert(1)>"  # JSON carries it as text


def test_exact_diacritics_rank_first(client):
    put(client, "plain", lang="vi", text="Ong To Lam phat bieu tai hoi nghi ve an ninh.")
    put(client, "marked", lang="vi", text="Ông Tô Lâm phát biểu tại hội nghị về an ninh.")
    body = search(client, q="Tô Lâm", lang="vi")
    assert ids(body)[:2] == ["mar", "pla"]
    plain = search(client, q="to lam", lang="vi")
    assert plain["hits"][0]["score"] == plain["hits"][1]["score"]


def suggest(client, q, **params):
    response = client.get("/api/suggest", query_string={"q": q, **params})
    assert response.status_code == 200
    return conforms(response, "/api/suggest")["suggestions"]


def test_suggestions_as_you_type(client):
    put(client, "vi-2", lang="vi", text="Phái đoàn đến Bắc Kinh hôm qua. Tại Bắc Kinh, hai bên hội đàm.")
    assert suggest(client, "ng")[0] == {"text": "Nguyễn Phú Trọng", "kind": "person", "value": "nguyen-phu-trong"}
    assert suggest(client, "to l")[0] == {"text": "Tô Lâm", "kind": "person", "value": "to-lam"}
    assert {"text": "Bắc Kinh", "kind": "term", "value": "Bắc Kinh"} in suggest(client, "bac k")
    assert all(s["kind"] == "topic" for s in suggest(client, "ngoai", kind="topic"))
    assert suggest(client, "zzzz") == []


def test_facet_value_search(client):
    response = client.get("/api/facets/person", query_string={"q": "ng"})
    body = conforms(response, "/api/facets/{name}")
    assert [v["label"] for v in body["values"]] == ["Nguyễn Phú Trọng", "Nguyễn Duy Ngọc", "Nguyễn Xuân Phúc"]
    response = client.get("/api/facets/topic", query_string={"q": "ngoai", "hl": "vi"})
    assert conforms(response, "/api/facets/{name}")["values"][0]["label"] == "Ngoại giao"
    assert client.get("/api/facets/colour").status_code == 404


def test_a_query_over_its_time_limit_answers_partially(make_app):
    """With no time at all, the phrase (which only Whoosh can check) is
    skipped: the answer comes back at once, flagged partial."""
    client = make_app(query_timeout=1e-9).test_client()
    body = search(client, q='"Belt and Road"')
    assert body["partial"] and body["total"] == 0
    assert not search(make_app().test_client(), q='"Belt and Road"')["partial"]


def test_prefix_expansion_is_capped(app):
    from search.filters import MAX_PREFIX_TERMS

    engine = app.extensions["tracuu"].engine
    expanded = engine.snapshot().resolver.expand_prefix("c")
    assert 1 < len(expanded) <= MAX_PREFIX_TERMS
    assert search(app.test_client(), q="coop*")["total"] == 5
