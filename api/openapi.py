"""The OpenAPI 3.1 description of the HTTP API: the contract clients build on.

The query parameters come from the same declarations the routes read them
with (:mod:`api.params`), with the bounds the app's settings give; the
document bodies are described from the field names ingest accepts. Tests
validate real requests and responses against it (``openapi-core``), so the
description cannot drift from what the server does.
"""

from __future__ import annotations

from index.dates import DATE_PATTERN
from index.parse import FIELD_NAMES, ID_PATTERN
from index.published import RULES as DATE_RULES
from search.facets import FACETS
from search.suggest import KINDS

from . import params
from .errors import PROBLEM_TYPES

__all__ = ["openapi_document"]


GENERATION = {"type": "string", "description": "The index generation that holds the write "
              "(null until it is committed: refresh=false)"}
SEARCHABLE = {"type": "boolean", "description": "Whether a search finds the write when this answer "
              "comes; if not, it is saved (durable) and searchable within TRACUU_REFRESH_INTERVAL"}

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
             409: "Another document has the same text",
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


def _path_param(name, schema=None, description="") -> dict:
    return {"name": name, "in": "path", "required": True, "description": description,
            "schema": schema or {"type": "string"}}


def _document_input() -> dict:
    """A document to index, as :func:`index.parse.record_from_mapping` reads it."""
    text = {"type": "string", "pattern": r"\S", "description": "The article text (not only spaces)"}
    nullable_string = _nullable({"type": "string"})
    date = {"type": "string", "pattern": DATE_PATTERN,
            "description": "Publication date: YYYY-MM-DD (month and day may have one digit), "
                           "optionally followed by a time; it must exist in the calendar"}
    fields = {
        "id": {"oneOf": [{"type": "string", "pattern": ID_PATTERN}, {"type": "integer"}],
               "description": "Default: the file name and line (files) or request-N (POST)"},
        "title": nullable_string, "text": text, "date": _nullable(date),
        "url": _nullable({"type": "string", "description": "Kept only when an absolute http(s) URL; "
                                                           "anything else is dropped with a warning"}),
        "source": nullable_string,
        "lang": _nullable({"type": "string", "pattern": r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
                           "description": "Language code; default: detected"}),
    }
    properties = {}
    for field, schema in fields.items():
        for name in FIELD_NAMES[field]:
            properties[name] = schema if name == field else {**schema, "description": f"Same as {field}"}
    non_empty = {"type": "string", "pattern": r"\S"}
    properties.update({
        "persons": _nullable({"type": "array", "items": {"oneOf": [
            {"type": "object", "properties": {
                "key": non_empty, "label": non_empty,
                "spellings": {"type": "array", "items": {"type": "string"}}},
             "anyOf": [{"required": ["key"]}, {"required": ["label"]}]},
            non_empty]}, "description": "People the article is about; null or absent: extracted"}),
        "topics": _nullable({"type": "array", "items": {"oneOf": [
            {"type": "object", "properties": {"id": non_empty, "label": {"type": "string"}},
             "required": ["id"]},
            non_empty]}, "description": "Topic ids; null or absent: classified"}),
        "credits": _nullable({"type": "array", "items": {"type": "string"},
                              "description": "Bylines and photo credits; null or absent: extracted"}),
        "date_rule": _nullable({"enum": list(DATE_RULES),
                                "description": "How an exported date was first found; kept with the date"}),
    })
    return {"type": "object", "properties": properties,
            "anyOf": [{"required": [name]} for name in FIELD_NAMES["text"]],
            "additionalProperties": True,
            "description": "Unknown fields are ignored. Values given win over extraction."}


def openapi_document(settings) -> dict:
    """The description for an app with these settings."""
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
            "matched": _nullable({"type": "integer", "minimum": 0,
                                  "description": "How many of the query's concepts it matches"}),
            "snippet": {"type": "string", "description": "HTML: escaped text with <mark> around matches"},
        }),
        "FacetValue": _obj({"value": {"type": "string"}, "label": {"type": "string"},
                            "count": {"type": "integer", "minimum": 0}, "selected": {"type": "boolean"}}),
        "SearchResponse": _obj({
            "query": {"type": "string"}, "total": {"type": "integer", "minimum": 0},
            "took_ms": {"type": "number"},
            "relaxed": {"type": "boolean",
                        "description": "No document matches every concept of the query: the hits match "
                                       "some (each hit's matched says how many)"},
            "concepts": {"type": "integer", "minimum": 0,
                         "description": "Concepts of the query that count towards matching (words, "
                                        "names and phrases, less roles and other words that carry little)"},
            "partial": {"type": "boolean", "description": "The time limit fired: results may be incomplete"},
            "hits": {"type": "array", "items": _ref("Hit")},
            "facets": _obj({name: {"type": "array", "items": _ref("FacetValue")} for name in FACETS},
                           required=[]),
            "did_you_mean": _nullable(_obj({"q": {"type": "string"}, "total": {"type": "integer"}})),
            "understood": {"type": "array", "description": "What the query names, and how it was read",
                           "items": _obj({
                               "text": {"type": "string", "description": "As typed"},
                               "kind": {"enum": ["person", "country", "place", "sea", "organisation",
                                                 "thing", "name", "concept", "date"]},
                               "value": {"type": "string",
                                         "description": "A person key, the usual name, or a date"}})},
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
            "date_rule": _nullable({"enum": list(DATE_RULES),
                                    "description": "how the date was found: given with the document, "
                                                   "or from a published, byline, date or updated line"}),
            "persons": {"type": "array", "items": _obj({
                "key": {"type": "string"}, "label": {"type": "string"},
                "spellings": {"type": "array", "items": {"type": "string"}}})},
            "topics": {"type": "array", "items": _ref("TopicRef")},
            "credits": {"type": "array", "items": {"type": "string"}},
        }),
        "DocumentInput": _document_input(),
        "WriteResult": _obj({"id": {"type": "string"}, "status": {"enum": ["created", "replaced", "deleted"]},
                             "generation": _nullable(GENERATION), "searchable": SEARCHABLE,
                             "warnings": warnings},
                            required=["id", "status", "generation", "searchable"]),
        "BatchResult": _obj({
            "indexed": {"type": "integer"}, "rejected": {"type": "integer"},
            "generation": _nullable(GENERATION), "searchable": SEARCHABLE,
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
    def query(declared) -> list[dict]:
        return [p.openapi(settings) for p in declared]

    doc_id = _path_param("id", {"type": "string", "pattern": ID_PATTERN},
                         description="Document id: no control characters, no space at either end")
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
                "parameters": query(params.SEARCH),
                "responses": {"200": _ok("SearchResponse"), **_NOT_MODIFIED, **_problems(*_READ_ERRORS)},
            }},
            "/api/suggest": {"get": {
                "summary": "Suggestions as you type (diacritics ignored)",
                "parameters": query(params.SUGGEST),
                "responses": {"200": _ok("SuggestResponse"), **_NOT_MODIFIED, **_problems(*_READ_ERRORS)},
            }},
            "/api/facets/{name}": {"get": {
                "summary": "Search the values of one facet (a person picker)",
                "parameters": [_path_param("name", {"enum": list(FACETS)}), *query(params.FACET_VALUES)],
                "responses": {"200": _ok("FacetValuesResponse"), **_NOT_MODIFIED,
                              **_problems(404, *_READ_ERRORS)},
            }},
            "/api/documents": {"post": {
                "summary": "Index a batch: a JSON array (or one object), or JSON Lines",
                "description": "Each item is checked on its own against DocumentInput: one that "
                               "fails (not an object, no text, a bad date) is reported in results "
                               "with status rejected and the reason, and the rest is indexed.",
                "security": auth, "parameters": query(params.WRITE),
                "requestBody": {"required": True, "content": {
                    "application/json": {"schema": {"oneOf": [
                        {"type": "array", "items": {"description": "A DocumentInput"}},
                        {"type": "object"}]}},
                    **{t: {"schema": {"type": "string", "description": "One DocumentInput per line"}}
                       for t in ("application/x-ndjson", "application/jsonl", "application/x-jsonlines")}}},
                "responses": {"200": _ok("BatchResult", "A result for each item", cached=False),
                              **_problems(*_WRITE_ERRORS)},
            }},
            "/api/documents/{id}": {
                "get": {"summary": "One document with its extracted fields",
                        "parameters": [doc_id, *query(params.DOCUMENT)],
                        "responses": {"200": _ok("Document"), **_NOT_MODIFIED,
                                      **_problems(404, *_READ_ERRORS)}},
                "put": {"summary": "Index or replace one document", "parameters": [doc_id, *query(params.WRITE)],
                        "description": "The URL gives the id: a body id, if any, must equal it "
                                       "(else 400). A document that cannot be indexed is refused "
                                       "with 400 and the reason.",
                        "security": auth,
                        "requestBody": {"required": True, "content": {
                            "application/json": {"schema": _ref("DocumentInput")}}},
                        "responses": {"200": _ok("WriteResult", "Replaced", cached=False),
                                      "201": _ok("WriteResult", "Created", cached=False),
                                      **_problems(404, 409, *_WRITE_ERRORS)}},
                "delete": {"summary": "Remove one document", "parameters": [doc_id, *query(params.WRITE)],
                           "security": auth,
                           "responses": {"200": _ok("WriteResult", "Deleted", cached=False),
                                         **_problems(400, 404, 401, 403, 405, 429, 500, 503)}},
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
