"""The OpenAPI description and the server agree, checked from both sides by
schemathesis: it generates requests from /api/openapi.json, valid ones and
(negative testing) ones the description forbids, and checks that the server
accepts what the description allows and refuses what it forbids, never
fails with a 500, and answers with the declared status, type and shape."""

import pytest
import schemathesis
from hypothesis import HealthCheck, assume, given, settings
from schemathesis.generation import GenerationMode

from search.filters import date_bound

from .conftest import auth

OPERATIONS = [
    ("/api/search", "GET"), ("/api/suggest", "GET"), ("/api/facets/{name}", "GET"),
    ("/api/documents", "POST"), ("/api/documents/{id}", "GET"), ("/api/documents/{id}", "PUT"),
    ("/api/documents/{id}", "DELETE"), ("/api/health", "GET"), ("/api/openapi.json", "GET"),
]


@pytest.fixture
def api_schema(make_app):
    return schemathesis.openapi.from_wsgi("/api/openapi.json", make_app())


def test_every_operation_is_covered(client):
    paths = client.get("/api/openapi.json").get_json()["paths"]
    assert {(path, method.upper()) for path, methods in paths.items() for method in methods} == set(OPERATIONS)


# Operations without parameters or a body have nothing to get wrong.
CASES = [(path, method, mode) for path, method in OPERATIONS
         for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
         if mode is GenerationMode.POSITIVE or path not in ("/api/health", "/api/openapi.json")]


@pytest.mark.parametrize("path, method, mode", CASES)
def test_the_server_does_what_its_description_says(api_schema, path, method, mode):
    operation = api_schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=25, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case):
        if mode is GenerationMode.POSITIVE:
            # Rules across parameters, which the description states in words
            # (JSON Schema cannot): the paging window, and a PUT body's id.
            query = case.query or {}
            if path == "/api/search":
                assume(_int(query.get("page"), 1) * _int(query.get("per_page"), 10) <= 1000)
                if query.get("from") and query.get("to"):
                    assume(date_bound(query["from"], "from", end=False) <= date_bound(query["to"], "to", end=True))
            if method == "PUT" and isinstance(case.body, dict):
                body_id = case.body.get("id")
                assume(body_id is None or str(body_id) == case.path_parameters["id"])
        case.call_and_validate(headers=auth())

    check()


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
