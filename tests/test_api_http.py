"""The HTTP layer: one error shape for every status, CORS, caching, health,
settings and the OpenAPI description."""

import re
import time

import pytest
from jsonschema import Draft202012Validator

from api.app import create_app
from api.openapi import openapi_document
from api.settings import SettingsError, settings_table

from .conftest import ROOT, auth, conforms

PROBLEM_KEYS = {"type", "title", "status", "detail"}


def assert_problem(response, status):
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert PROBLEM_KEYS <= set(body) and body["status"] == status
    assert "Traceback" not in response.get_data(as_text=True) and "<html" not in response.get_data(as_text=True)
    return body


def test_every_error_status_is_problem_json(make_app, tmp_path, monkeypatch):
    client = make_app().test_client()
    assert assert_problem(client.get("/api/search?per_page=x"), 400)["param"] == "per_page"
    assert_problem(client.put("/api/documents/a", json={"text": "t"}), 401)
    assert_problem(make_app(write_key=None).test_client().delete("/api/documents/a", headers=auth()), 403)
    assert_problem(client.get("/api/nowhere"), 404)
    not_allowed = client.post("/api/search")
    assert_problem(not_allowed, 405)
    assert "GET" in not_allowed.headers["Allow"]
    small = make_app(max_body_bytes=10).test_client()
    assert_problem(small.put("/api/documents/a", json={"text": "far too long"}, headers=auth()), 413)
    assert_problem(client.put("/api/documents/a", data="x", content_type="text/csv", headers=auth()), 415)
    limited = make_app(rate_limit=2).test_client()
    limited.get("/api/health"), limited.get("/api/health")
    too_many = limited.get("/api/health")
    assert_problem(too_many, 429)
    assert int(too_many.headers["Retry-After"]) >= 1
    empty = create_app({"index": str(tmp_path / "empty"), "rate_limit": 0}).test_client()
    missing = assert_problem(empty.get("/api/search?q=x"), 503)
    assert "tracuu rebuild" in missing["detail"]

    def boom(*args, **kwargs):
        raise RuntimeError("secret internals")

    app = make_app()
    monkeypatch.setattr(app.extensions["tracuu"].engine, "search", boom)
    crashed = assert_problem(app.test_client().get("/api/search?q=x"), 500)
    assert "secret internals" not in crashed["detail"]


def test_cors_for_listed_origins_only(make_app):
    client = make_app(cors_origins="https://news.example, http://localhost:9000").test_client()
    allowed = client.get("/api/search?q=x", headers={"Origin": "https://news.example"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://news.example"
    assert "Origin" in allowed.headers["Vary"]
    refused = client.get("/api/search?q=x", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in refused.headers
    preflight = client.options("/api/suggest?q=x", headers={
        "Origin": "http://localhost:9000", "Access-Control-Request-Method": "GET"})
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "http://localhost:9000"
    write = client.put("/api/documents/a", json={"text": "t"},
                       headers={"Origin": "https://news.example", **auth()})
    assert "Access-Control-Allow-Origin" not in write.headers


def test_etag_follows_the_index_generation(client):
    first = client.get("/api/search?q=cooperation")
    tag = first.headers["ETag"]
    assert first.headers["Cache-Control"].startswith("public, max-age=")
    again = client.get("/api/search?q=cooperation", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.get_data() == b""
    client.put("/api/documents/new", json={"text": "A new story about cooperation."}, headers=auth())
    after = client.get("/api/search?q=cooperation", headers={"If-None-Match": tag})
    assert after.status_code == 200 and after.headers["ETag"] != tag
    assert after.get_json()["total"] == 6


def test_health(client):
    body = conforms(client.get("/api/health"), "/api/health")
    assert body["status"] == "ok" and body["documents"] == 5
    assert re.match(r"^g\d{8}T\d{6}-[0-9a-f]{4}\.\d+$", body["generation"]) and body["built_at"]


def test_a_rebuild_is_picked_up_without_a_restart(make_app, tmp_path):
    from index.store import IndexStore
    from index.writer import rebuild

    app = make_app(refresh_interval=0.3)
    client = app.test_client()
    before = client.get("/api/health").get_json()
    src = tmp_path / "one.jsonl"
    src.write_text('{"id": "only", "text": "The only story left.", "lang": "en"}\n', encoding="utf-8")
    rebuild(IndexStore(app.config["TRACUU"].index), [src], procs=1)
    time.sleep(0.35)  # within the refresh interval
    after = client.get("/api/health").get_json()
    assert after["documents"] == 1 and after["generation"] != before["generation"]
    assert client.get("/api/search?q=story").get_json()["hits"][0]["id"] == "only"


def test_openapi_describes_the_api(app, client):
    spec = client.get("/api/openapi.json").get_json()
    assert spec == openapi_document(app.extensions["tracuu"].settings)
    assert spec["openapi"].startswith("3.1")
    for schema in spec["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    for path in ("/api/search", "/api/suggest", "/api/facets/{name}", "/api/documents",
                 "/api/documents/{id}", "/api/health", "/api/openapi.json"):
        assert path in spec["paths"]


def test_every_setting_is_documented_and_validated(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for row in settings_table().splitlines():
        assert row in readme, f"README lacks or differs on: {row}"
    with pytest.raises(SettingsError, match="TRACUU_QUERY_TIMEOUT"):
        from api.settings import load_settings
        load_settings({"TRACUU_QUERY_TIMEOUT": "soon"})
    with pytest.raises(SettingsError, match="cors_origins"):
        create_app({"index": str(tmp_path), "cors_origins": "news.example"})
    with pytest.raises(SettingsError) as exc:
        create_app({"index": str(tmp_path), "write_key": "short"})
    assert "short" not in str(exc.value)


def test_the_rate_limit_is_a_bucket_per_client_with_no_window_edge():
    from api.http import RateLimiter

    now = [59.9]  # just before where a fixed minute window would end
    limiter = RateLimiter(120, clock=lambda: now[0])  # two a second, refilled
    assert all(limiter.check("a") is None for _ in range(120))  # a burst of the limit
    assert limiter.check("a") == 1  # the next waits for a token: half a second, said as 1
    assert limiter.check("b") is None  # another address has its own bucket
    now[0] += 0.2  # past the edge: no fresh minute of tokens
    assert limiter.check("a") is not None
    now[0] += 0.31
    assert limiter.check("a") is None and limiter.check("a") is not None  # one token came back
    now[0] += 60
    assert sum(limiter.check("a") is None for _ in range(200)) == 120  # full again, never more
    assert RateLimiter(0).check("a") is None  # 0: no limit


def test_the_rate_limit_counts_the_client_a_trusted_proxy_names_and_no_other(make_app):
    app = make_app(rate_limit=2, trusted_proxies="10.0.0.0/8, 192.168.1.5")
    client = app.test_client()

    def status(peer, forwarded=None):
        headers = {"X-Forwarded-For": forwarded} if forwarded else {}
        return client.get("/api/health", headers=headers, environ_base={"REMOTE_ADDR": peer}).status_code

    # behind the proxy, each client has its own bucket
    assert [status("10.0.0.7", "203.0.113.1") for _ in range(3)] == [200, 200, 429]
    assert status("10.0.0.7", "203.0.113.2") == 200
    # proxies in a chain are skipped; what the client wrote to their left is not believed
    assert status("192.168.1.5", "198.51.100.9, 203.0.113.1, 10.0.0.9") == 429
    assert status("10.0.0.7", "garbage, 203.0.113.3") == 200
    # a peer that is no trusted proxy is counted itself, whatever it claims
    assert [status("198.51.100.4", f"203.0.113.{i + 10}") for i in range(3)] == [200, 200, 429]


def test_without_trusted_proxies_forwarded_for_is_ignored(make_app):
    client = make_app(rate_limit=2).test_client()
    codes = [client.get("/api/health", headers={"X-Forwarded-For": f"203.0.113.{i}"},
                        environ_base={"REMOTE_ADDR": "10.0.0.7"}).status_code for i in range(3)]
    assert codes == [200, 200, 429]


def test_pages_and_answers_carry_security_headers(make_app):
    client = make_app().test_client()
    page, answer, widget = client.get("/"), client.get("/api/search?q=Vietnam"), client.get("/widget.js")
    for response in (page, answer, widget):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    policy = dict(part.strip().split(" ", 1) for part in page.headers["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == "'self'" and "'unsafe-inline'" not in policy["script-src"]
    assert policy["frame-ancestors"] == "'self'" and policy["object-src"] == "'none'"
    for path in ("/", "/embed"):  # inline styles: the page's own <style>s, by hash, and no other
        styles = client.get(path).headers["Content-Security-Policy"].split("style-src ")[1].split(";")[0]
        assert "'unsafe-inline'" not in styles and styles.count("'sha256-") >= 1, styles
    assert not re.search(r"<script(?![^>]*\bsrc=)", page.get_data(as_text=True))  # no inline script to allow
    assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]


def test_every_429_and_503_says_when_to_retry():
    from api.errors import problem

    assert problem(503, "Service Unavailable", "down for a moment").headers["Retry-After"] == "5"
    assert problem(429, "Too Many Requests", "slow down").headers["Retry-After"] == "60"
    assert problem(503, "Service Unavailable", "no index", headers={"Retry-After": "30"}).headers["Retry-After"] == "30"
    assert "Retry-After" not in problem(400, "Invalid parameter", "bad").headers
