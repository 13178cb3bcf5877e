"""/api/documents: reads, keyed writes, batches and deletes."""

import json
import time

from .conftest import WRITE_KEY, auth, conforms


def test_read_one_document(client):
    response = client.get("/api/documents/002_a4934a66a2df4270.txt")
    doc = conforms(response, "/api/documents/{id}")
    assert doc["title"] == "Vietnam, China boost cooperation in crime combat"
    assert doc["persons"][0] == {"key": "to-lam", "label": "Tô Lâm", "spellings": ["To Lam", "Minister Lam"]}
    assert client.get("/api/documents/002_a4934a66a2df4270.txt?hl=vi").get_json()["topics"][0]["label"] != \
        doc["topics"][0]["label"]
    missing = client.get("/api/documents/nope")
    assert missing.status_code == 404 and conforms(missing, "/api/documents/{id}")["title"] == "Not Found"


def test_put_creates_then_replaces_and_is_searchable_at_once(client):
    doc = {"title": "Fishing season opens", "text": "Fishermen in Quảng Ngãi set out for the Paracels.",
           "lang": "en", "date": "2024-05-01", "source": "VnExpress"}
    created = client.put("/api/documents/fish-1", json=doc, headers=auth())
    assert created.status_code == 201
    assert conforms(created, "/api/documents/{id}", "put")["status"] == "created"
    hits = client.get("/api/search?q=fishermen").get_json()["hits"]
    assert [h["id"] for h in hits] == ["fish-1"] and hits[0]["date"] == "2024-05-01"
    replaced = client.put("/api/documents/fish-1", json={**doc, "text": "Boats returned to port."}, headers=auth())
    assert replaced.status_code == 200 and replaced.get_json()["status"] == "replaced"
    assert client.get("/api/search?q=fishermen").get_json()["total"] == 0
    assert client.get("/api/search?q=boats").get_json()["total"] == 1


def test_put_rejects_bad_documents(client):
    bad = client.put("/api/documents/x", json={"title": "No text"}, headers=auth())
    assert bad.status_code == 400 and conforms(bad, "/api/documents/{id}", "put")["detail"] == "empty text"
    other = client.put("/api/documents/x", json={"id": "y", "text": "Some text."}, headers=auth())
    assert other.status_code == 400 and "differs" in other.get_json()["detail"]
    date = client.put("/api/documents/x", json={"text": "Some text.", "date": "yesterday"}, headers=auth())
    assert date.status_code == 400 and "YYYY-MM-DD" in date.get_json()["detail"]
    broken = client.put("/api/documents/x", data='{"text": "a",\n oops}', content_type="application/json",
                        headers=auth())
    assert broken.status_code == 400 and broken.mimetype == "application/problem+json"
    assert broken.get_json()["detail"] == "the body is not valid JSON: Expecting property name enclosed in " \
        "double quotes (line 2, column 2)"
    array = client.put("/api/documents/x", json=[{"text": "a"}], headers=auth())
    assert array.status_code == 400
    assert client.get("/api/documents/x").status_code == 404


def test_post_a_batch_with_a_result_for_each_item(client):
    lines = "\n".join([
        json.dumps({"id": "b1", "text": "First batch story about rice exports.", "lang": "en"}),
        "",  # a blank line is skipped, but counted in the line numbers
        "{not json",
        json.dumps({"id": "b2", "text": ""}),
        json.dumps({"id": "b1", "text": "Same id again, different words.", "lang": "en"}),
        json.dumps({"id": "b3", "text": "Third story about coffee prices.", "lang": "en"}),
    ])
    response = client.post("/api/documents", data=lines, content_type="application/x-ndjson", headers=auth())
    body = conforms(response, "/api/documents", "post")
    assert (body["indexed"], body["rejected"]) == (2, 3)
    assert [(r["index"], r["id"], r["status"]) for r in body["results"]] == [
        (0, "b1", "created"), (1, None, "rejected"), (2, None, "rejected"), (3, "b1", "rejected"),
        (4, "b3", "created")]
    assert body["results"][1]["reason"] == "invalid JSON on line 3: Expecting property name enclosed in double " \
        "quotes (column 2)"
    assert body["results"][2]["reason"] == "empty text"
    assert body["results"][3]["reason"].startswith("duplicate id 'b1'")
    array = client.post("/api/documents", json=[{"id": "b4", "text": "Tea harvest begins early."}], headers=auth())
    assert conforms(array, "/api/documents", "post")["results"] == [{"index": 0, "id": "b4", "status": "created"}]
    assert client.get("/api/search?q=coffee+OR+tea").get_json()["total"] == 2


def test_delete(client):
    response = client.delete("/api/documents/004_9a6f878e0e3d0c32.txt", headers=auth())
    assert conforms(response, "/api/documents/{id}", "delete")["status"] == "deleted"
    assert client.get("/api/documents/004_9a6f878e0e3d0c32.txt").status_code == 404
    assert client.get("/api/search?q=nguyen+phu+trong").get_json()["total"] == 1
    again = client.delete("/api/documents/004_9a6f878e0e3d0c32.txt", headers=auth())
    assert again.status_code == 404


def test_writes_need_the_key(client):
    doc = {"text": "Some text."}
    for headers in ({}, {"Authorization": "Bearer wrong-key-wrong-key"}, {"Authorization": f"Basic {WRITE_KEY}"}):
        response = client.put("/api/documents/k", json=doc, headers=headers)
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert conforms(response, "/api/documents/{id}", "put")["status"] == 401
    assert client.delete("/api/documents/000_f5870c88c11e6e62.txt").status_code == 401
    assert client.post("/api/documents", json=[doc]).status_code == 401


def test_without_a_configured_key_writes_are_refused(make_app):
    client = make_app(write_key=None).test_client()
    response = client.put("/api/documents/k", json={"text": "Some text."}, headers=auth())
    assert response.status_code == 403
    assert "TRACUU_WRITE_KEY" in conforms(response, "/api/documents/{id}", "put")["detail"]


def test_body_type_and_size(make_app):
    client = make_app(max_body_bytes=200).test_client()
    text = client.put("/api/documents/k", data="just text", content_type="text/plain", headers=auth())
    assert text.status_code == 415 and conforms(text, "/api/documents/{id}", "put")["status"] == 415
    big = client.put("/api/documents/k", json={"text": "x" * 500}, headers=auth())
    assert big.status_code == 413 and conforms(big, "/api/documents/{id}", "put")["status"] == 413
