"""Only absolute http(s) URLs are stored: anything else would become a
clickable script link in the search box."""

import json

import pytest

from api.cli import main
from index.document import Origin, Record
from index.ingest import Extractor
from index.urls import checked_url

from .conftest import auth, conforms


@pytest.mark.parametrize("url", [
    "https://vnexpress.net/a-1.html", "http://example.com", "HTTPS://Example.com/x?q=1#f",
])
def test_absolute_http_urls_are_kept(url):
    assert checked_url(url) == (url, None)


@pytest.mark.parametrize("url", [
    "javascript:alert(document.domain)", "JavaScript:alert(1)", " javascript:alert(1)",
    "java\tscript:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:msgbox",
    "/relative/path", "//example.com/no-scheme", "example.com", "ftp://example.com/f",
    "http://", "https:///path", "http://exa mple.com",
])
def test_other_urls_are_dropped_with_a_reason(url):
    kept, warning = checked_url(url)
    assert kept is None
    assert warning and warning.startswith("url ") and "dropped" in warning


def test_no_url_is_no_warning():
    assert checked_url(None) == (None, None)
    assert checked_url("  ") == (None, None)


def test_ingest_drops_the_url_and_keeps_the_document():
    article = Extractor().article(Record(Origin("x.jsonl", 1), "x", "Hanoi news about rice exports.",
                                         url="javascript:alert(document.domain)"))
    assert article.url is None
    assert article.text == "Hanoi news about rice exports."
    assert len(article.warnings) == 1 and "javascript:" in article.warnings[0]


def test_put_with_a_script_url_stores_no_url_and_warns(client):
    response = client.put("/api/documents/js", json={
        "text": "Rice exports rose in the Mekong delta.", "lang": "en",
        "url": "javascript:alert(document.domain)"}, headers=auth())
    body = conforms(response, "/api/documents/{id}", "put")
    assert response.status_code == 201 and "javascript:" in body["warnings"][0]
    stored = client.get("/api/documents/js").get_json()
    assert stored["url"] is None
    hit = client.get("/api/search?q=mekong").get_json()["hits"][0]
    assert hit["id"] == "js" and hit["url"] is None


def test_a_batch_reports_the_warning_for_its_item(client):
    batch = [{"id": "ok", "text": "Coffee prices in Đắk Lắk.", "url": "https://example.com/c"},
             {"id": "bad", "text": "Pepper prices in Gia Lai.", "url": "data:text/html,hi"}]
    body = conforms(client.post("/api/documents", json=batch, headers=auth()), "/api/documents", "post")
    assert body["indexed"] == 2
    assert "warnings" not in body["results"][0]
    assert "data:" in body["results"][1]["warnings"][0]
    assert client.get("/api/documents/ok").get_json()["url"] == "https://example.com/c"
    assert client.get("/api/documents/bad").get_json()["url"] is None


def test_rebuild_reports_the_warning_and_indexes_the_file(tmp_path, capsys):
    src = tmp_path / "docs.jsonl"
    src.write_text(json.dumps({"id": "a", "text": "Tea from Thái Nguyên.",
                               "url": "javascript:alert(1)"}) + "\n", encoding="utf-8")
    assert main(["--index", str(tmp_path / "ix"), "rebuild", str(src)]) == 0
    err = capsys.readouterr().err
    assert f"{src}:1: warning: url 'javascript:alert(1)' dropped" in err
    assert "indexed 1 document" in err and "1 warning" in err
    assert main(["--index", str(tmp_path / "ix"), "show", "a", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["url"] is None
