"""What the OpenAPI description says about parameters and bodies, and that
the server does the same (the cases review found; schemathesis covers the
rest in test_api_contract.py)."""

from .conftest import auth, conforms


def params(spec, path, method="get") -> dict:
    return {p["name"]: p for p in spec["paths"][path][method]["parameters"]}


def test_the_description_follows_the_settings_and_the_code(make_app):
    app = make_app(max_per_page=250)
    client = app.test_client()
    spec = client.get("/api/openapi.json").get_json()
    search = params(spec, "/api/search")
    assert search["per_page"]["schema"]["maximum"] == 250
    assert client.get("/api/search?per_page=250").status_code == 200
    assert client.get("/api/search?per_page=251").status_code == 400
    assert set(search) >= {"q", "person", "topic", "year", "month", "lang", "source", "from", "to",
                           "sort", "page", "per_page", "facets", "hl"}
    suggest = params(spec, "/api/suggest")
    assert suggest["q"]["required"] is False
    assert client.get("/api/suggest").status_code == 200


def test_month_filters_the_search(client):
    body = conforms(client.get("/api/search?month=2021-09&month=2021-2"), "/api/search")
    assert sorted(h["id"][:3] for h in body["hits"]) == ["002", "004"]
    assert client.get("/api/search?month=2021-09").get_json()["total"] == 1


def test_null_entities_mean_not_stated(client):
    put = client.put("/api/documents/n", json={"text": "Fishermen from Lý Sơn met officials.",
                                               "credits": None, "persons": None, "topics": None},
                     headers=auth())
    assert put.status_code == 201, put.get_json()
    assert client.get("/api/documents/n").get_json()["credits"] == []


def test_a_batch_item_without_text_is_reported_not_refused(client):
    response = client.post("/api/documents", json=[{"id": "t1", "title": "No text"},
                                                   {"id": "t2", "text": "Rice prices rose."}], headers=auth())
    body = conforms(response, "/api/documents", "post")
    assert [(r["id"], r["status"]) for r in body["results"]] == [(None, "rejected"), ("t2", "created")]
    assert body["results"][0]["reason"] == "empty text"


def test_an_empty_filter_value_is_refused_as_described(client):
    spec = client.get("/api/openapi.json").get_json()
    assert params(spec, "/api/search")["person"]["schema"]["items"]["pattern"] == r"\S"
    response = client.get("/api/search?person=")
    assert response.status_code == 400 and response.get_json()["param"] == "person"


def test_a_body_id_must_equal_the_urls(client):
    spec = client.get("/api/openapi.json").get_json()
    assert "must equal it" in spec["paths"]["/api/documents/{id}"]["put"]["description"]
    other = client.put("/api/documents/x", json={"id": "y", "text": "Some text."}, headers=auth())
    assert other.status_code == 400 and "differs" in other.get_json()["detail"]
    same = client.put("/api/documents/x", json={"id": "x", "text": "Some text."}, headers=auth())
    assert same.status_code == 201


def test_a_duplicate_text_is_a_conflict(client):
    text = "Coffee exports from Đắk Lắk rose in May."
    assert client.put("/api/documents/c1", json={"text": text}, headers=auth()).status_code == 201
    dup = client.put("/api/documents/c2", json={"text": text}, headers=auth())
    assert dup.status_code == 409
    assert conforms(dup, "/api/documents/{id}", "put")["detail"] == "duplicate of 'c1' (same text, already indexed)"


def test_the_facet_list_comes_from_one_place(client, seed_engine):
    import json
    import re

    from search.fields import FACET_TITLES, FACETS
    from search.query import Filter, parse_query

    assert tuple(seed_engine.snapshot().all_facets) == FACETS
    assert parse_query(" ".join(f"{name}:x" for name in FACETS)).filters == [Filter(n, "x") for n in FACETS]
    spec = client.get("/api/openapi.json").get_json()
    assert set(params(spec, "/api/search")) >= set(FACETS)
    widget = client.get("/widget.js")
    source = widget.get_data(as_text=True)
    assert "__TRACUU_FACETS__" not in source
    served = json.loads(re.search(r"const FACETS = (\{.*?\});", source).group(1))
    assert served == {name: list(titles) for name, titles in FACET_TITLES.items()}
    assert client.get("/widget.js", headers={"If-None-Match": widget.headers["ETag"]}).status_code == 304
