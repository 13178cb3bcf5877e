"""The OpenAPI 3.1 description of the HTTP API: the contract clients build on.

Tests validate real responses against these schemas, so the description
cannot drift from what the server answers.
"""

from __future__ import annotations

from functools import lru_cache

from search.facets import FACETS
from search.suggest import KINDS

from .errors import PROBLEM_TYPES

__all__ = ["openapi_document"]


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: dict) -> dict:
    return {"oneOf": [schema, {"type": "null"}]}


def _obj(properties: dict, required=None, extra: bool = False) -> dict:
    return {"type": "object", "properties": properties,
            "required": list(properties) if required is None else required,
            "additionalProperties": extra}


def _problems(*statuses: int) -> dict:
    texts = {400: "Invalid parameter or document", 401: "Missing or wrong bearer key",
             403: "Writes disabled (no key configured)", 404: "Not found", 405: "Method not allowed",
             413: "Body too large", 415: "Body is not JSON", 429: "Too many requests",
             500: "Unexpected error", 503: "No index yet, or a writer holds it"}
    return {str(s): {"description": texts[s],
                     "content": {"application/problem+json": {"schema": _ref("Problem")}}}
            for s in statuses}


def _ok(schema: str, description: str = "OK", cached: bool = True) -> dict:
    response = {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}
    if cached:
        response["headers"] = {"ETag": {"schema": {"type": "string"},
                                        "description": "Changes with the index generation"}}
    return response


_READ_ERRORS = (400, 405, 429, 500, 503)
_WRITE_ERRORS = (400, 401, 403, 405, 413, 415, 429, 500, 503)
_NOT_MODIFIED = {"304": {"description": "Not modified (If-None-Match matched the ETag)"}}


def _param(name, where="query", schema=None, description="", required=False, explode=None) -> dict:
    p = {"name": name, "in": where, "required": required, "description": description,
         "schema": schema or {"type": "string"}}
    if explode is not None:
        p["explode"] = explode
    return p


@lru_cache(maxsize=1)
def openapi_document() -> dict:
    person_ref = _obj({"key": {"type": "string"}, "label": {"type": "string"}})
    topic_ref = _obj({"id": {"type": "string"}, "label": {"type": "string"}})
    date = {"type": "string", "format": "date"}
    warnings = {"type": "array", "items": {"type": "string"},
                "description": "What was dropped from a document that was still indexed "
                               "(a url that is not absolute http or https)"}
    schemas = {
        "Problem": _obj({
            "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
            "detail": {"type": "string"},
            "param": {"type": "string", "description": "The request parameter at fault"},
        }, required=["type", "title", "status", "detail"]),
        "PersonRef": person_ref,
        "TopicRef": topic_ref,
        "Hit": _obj({
            "id": {"type": "string"}, "title": _nullable({"type": "string"}), "date": _nullable(date),
            "lang": {"type": "string"}, "source": _nullable({"type": "string"}),
            "url": _nullable({"type": "string"}),
            "persons": {"type": "array", "items": _ref("PersonRef")},
            "topics": {"type": "array", "items": _ref("TopicRef")},
            "score": _nullable({"type": "number"}),
            "snippet": {"type": "string", "description": "HTML: escaped text with <mark> around matches"},
        }),
        "FacetValue": _obj({"value": {"type": "string"}, "label": {"type": "string"},
                            "count": {"type": "integer", "minimum": 0}, "selected": {"type": "boolean"}}),
        "SearchResponse": _obj({
            "query": {"type": "string"}, "total": {"type": "integer", "minimum": 0},
            "took_ms": {"type": "number"},
            "relaxed": {"type": "boolean", "description": "No document matched every word; any word was enough"},
            "partial": {"type": "boolean", "description": "The time limit fired: results may be incomplete"},
            "hits": {"type": "array", "items": _ref("Hit")},
            "facets": _obj({name: {"type": "array", "items": _ref("FacetValue")} for name in FACETS},
                           required=[]),
            "did_you_mean": _nullable(_obj({"q": {"type": "string"}, "total": {"type": "integer"}})),
        }),
        "SuggestResponse": _obj({
            "q": {"type": "string"},
            "suggestions": {"type": "array", "items": _obj({
                "text": {"type": "string"}, "kind": {"enum": list(KINDS)}, "value": {"type": "string"}})},
        }),
        "FacetValuesResponse": _obj({
            "facet": {"enum": list(FACETS)}, "q": {"type": "string"},
            "values": {"type": "array", "items": _obj({
                "value": {"type": "string"}, "label": {"type": "string"}, "count": {"type": "integer"}})},
        }),
        "Document": _obj({
            "id": {"type": "string"}, "title": _nullable({"type": "string"}), "text": {"type": "string"},
            "date": _nullable(date), "lang": _nullable({"type": "string"}),
            "source": _nullable({"type": "string"}), "url": _nullable({"type": "string"}),
            "dateline": _nullable({"type": "string"}),
            "persons": {"type": "array", "items": _obj({
                "key": {"type": "string"}, "label": {"type": "string"},
                "spellings": {"type": "array", "items": {"type": "string"}}})},
            "topics": {"type": "array", "items": _ref("TopicRef")},
            "credits": {"type": "array", "items": {"type": "string"}},
        }),
        "DocumentInput": _obj({
            "id": {"type": ["string", "integer"]}, "title": _nullable({"type": "string"}),
            "text": {"type": "string", "minLength": 1}, "date": _nullable(date),
            "url": _nullable({"type": "string", "description": "Kept only when an absolute http(s) URL; "
                                                             "anything else is dropped with a warning"}),
            "source": _nullable({"type": "string"}), "lang": _nullable({"type": "string"}),
            "persons": {"type": "array", "items": {"oneOf": [_obj({
                "key": {"type": "string"}, "label": {"type": "string"},
                "spellings": {"type": "array", "items": {"type": "string"}}}, required=[]),
                {"type": "string"}]}},
            "topics": {"type": "array", "items": {"oneOf": [_ref("TopicRef"), {"type": "string"}]}},
            "credits": {"type": "array", "items": {"type": "string"}},
        }, required=["text"], extra=True),
        "WriteResult": _obj({"id": {"type": "string"}, "status": {"enum": ["created", "replaced", "deleted"]},
                             "generation": _nullable({"type": "string"}), "warnings": warnings},
                            required=["id", "status", "generation"]),
        "BatchResult": _obj({
            "indexed": {"type": "integer"}, "rejected": {"type": "integer"},
            "generation": _nullable({"type": "string"}),
            "results": {"type": "array", "items": _obj({
                "index": {"type": "integer"}, "id": _nullable({"type": "string"}),
                "status": {"enum": ["created", "replaced", "rejected"]}, "reason": {"type": "string"},
                "warnings": warnings,
            }, required=["index", "id", "status"])},
        }),
        "Health": _obj({"status": {"const": "ok"}, "documents": {"type": "integer"},
                        "generation": {"type": "string"}, "built_at": _nullable({"type": "string"}),
                        "updated_at": _nullable({"type": "string"})}),
    }
    facet_params = [
        _param(name, schema={"type": "array", "items": {"type": "string"}}, explode=True,
               description=f"Filter on {name} (repeatable; values of one facet combine with OR)"
               + (": a person key or any spelling of the name" if name == "person" else ""))
        for name in ("person", "topic", "lang", "source", "year")
    ]
    hl = _param("hl", schema={"enum": ["en", "vi"], "default": "en"}, description="Language of labels")
    search_params = [
        _param("q", description='Keywords, "phrases", -exclusions, OR, prefix*, and field filters '
                                '(person:"to lam", topic:economy-trade, year:2023)'),
        *facet_params,
        _param("from", schema={"type": "string", "pattern": r"^\d{4}(-\d{1,2}(-\d{1,2})?)?$"},
               description="Earliest publication date: 2023, 2023-09 or 2023-09-14"),
        _param("to", schema={"type": "string", "pattern": r"^\d{4}(-\d{1,2}(-\d{1,2})?)?$"},
               description="Latest publication date"),
        _param("sort", schema={"enum": ["relevance", "newest", "oldest"]},
               description="Default: relevance with q, newest without"),
        _param("page", schema={"type": "integer", "minimum": 1, "default": 1}),
        _param("per_page", schema={"type": "integer", "minimum": 1, "maximum": 100, "default": 10}),
        _param("facets", schema={"type": "array", "items": {"enum": list(FACETS)}}, explode=False,
               description="Facets to count (comma-separated); default: all"),
        hl,
    ]
    doc_id = _param("id", where="path", required=True, description="Document id")
    auth = [{"bearer": []}]
    problems = "; ".join(f"{t} ({title})" for t, title in PROBLEM_TYPES.items())
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "tracuu",
            "version": "1.0.0",
            "description": "Full-text search over bilingual Vietnamese/English news. Every error is "
                           "application/problem+json with type, title, status, detail and, where one "
                           f"parameter is at fault, param. Problem types: {problems}.",
        },
        "paths": {
            "/api/search": {"get": {
                "summary": "Ranked, faceted, highlighted search",
                "parameters": search_params,
                "responses": {"200": _ok("SearchResponse"), **_NOT_MODIFIED, **_problems(*_READ_ERRORS)},
            }},
            "/api/suggest": {"get": {
                "summary": "Suggestions as you type (diacritics ignored)",
                "parameters": [_param("q", required=True),
                               _param("limit", schema={"type": "integer", "minimum": 1, "maximum": 20}),
                               _param("kind", schema={"type": "array", "items": {"enum": list(KINDS)}},
                                      explode=False)],
                "responses": {"200": _ok("SuggestResponse"), **_NOT_MODIFIED, **_problems(*_READ_ERRORS)},
            }},
            "/api/facets/{name}": {"get": {
                "summary": "Search the values of one facet (a person picker)",
                "parameters": [_param("name", where="path", required=True, schema={"enum": list(FACETS)}),
                               _param("q"), _param("limit", schema={"type": "integer", "minimum": 1,
                                                                     "maximum": 100}), hl],
                "responses": {"200": _ok("FacetValuesResponse"), **_NOT_MODIFIED,
                              **_problems(404, *_READ_ERRORS)},
            }},
            "/api/documents": {"post": {
                "summary": "Index a batch: a JSON array, or JSON Lines",
                "security": auth,
                "requestBody": {"required": True, "content": {
                    "application/json": {"schema": {"type": "array", "items": _ref("DocumentInput")}},
                    "application/x-ndjson": {"schema": {"type": "string"}}}},
                "responses": {"200": _ok("BatchResult", "A result for each item", cached=False),
                              **_problems(*_WRITE_ERRORS)},
            }},
            "/api/documents/{id}": {
                "get": {"summary": "One document with its extracted fields", "parameters": [doc_id, hl],
                        "responses": {"200": _ok("Document"), **_NOT_MODIFIED,
                                      **_problems(404, *_READ_ERRORS)}},
                "put": {"summary": "Index or replace one document", "parameters": [doc_id],
                        "security": auth,
                        "requestBody": {"required": True, "content": {
                            "application/json": {"schema": _ref("DocumentInput")}}},
                        "responses": {"200": _ok("WriteResult", "Replaced", cached=False),
                                      "201": _ok("WriteResult", "Created", cached=False),
                                      **_problems(*_WRITE_ERRORS)}},
                "delete": {"summary": "Remove one document", "parameters": [doc_id], "security": auth,
                           "responses": {"200": _ok("WriteResult", "Deleted", cached=False),
                                         **_problems(404, 401, 403, 405, 429, 500, 503)}},
            },
            "/api/health": {"get": {
                "summary": "Status, document count, index generation and build time",
                "responses": {"200": _ok("Health"), **_problems(405, 429, 500, 503)},
            }},
            "/api/openapi.json": {"get": {
                "summary": "This description",
                "responses": {"200": {"description": "OpenAPI 3.1",
                                      "content": {"application/json": {"schema": {"type": "object"}}}}},
            }},
        },
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "The key set in TRACUU_WRITE_KEY"}},
        },
    }
