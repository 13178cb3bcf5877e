"""HTTP errors, all answered as ``application/problem+json`` (RFC 9457).

    ApiError                    status, title and a problem type
    ├── InvalidParameter   400  a parameter of the wrong shape (names it)
    ├── InvalidDocument    400  a document that cannot be indexed
    ├── Unauthorized       401  a write without the right bearer key
    ├── WritesDisabled     403  a write while no key is configured
    ├── NotFound           404  no such document, facet or page
    ├── Conflict           409  a document whose text another document has
    ├── UnsupportedMedia   415  a body that is not JSON
    ├── RateLimited        429  too many requests from one client
    └── Unavailable        503  no index yet, or a writer holds it

Werkzeug's own errors (405, 413, ...) and anything unexpected (500) get the
same shape; a stack trace never reaches a client.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, json
from werkzeug.exceptions import HTTPException

from index.store import IndexBusy, IndexMissing
from search.errors import SearchError

__all__ = [
    "ApiError", "InvalidParameter", "InvalidDocument", "Unauthorized", "WritesDisabled", "NotFound", "Conflict",
    "UnsupportedMedia", "RateLimited", "Unavailable", "problem", "init_app", "PROBLEM_TYPES",
]

log = logging.getLogger(__name__)
PROBLEM = "application/problem+json"
PROBLEM_BASE = "https://tracuu.example/problems/"  # documented in the OpenAPI description


class ApiError(Exception):
    status = 500
    title = "Internal Server Error"
    type = "about:blank"

    def __init__(self, detail: str, param: str | None = None, headers: dict | None = None):
        super().__init__(detail)
        self.detail = detail
        self.param = param
        self.headers = headers or {}


class InvalidParameter(ApiError):
    status, title, type = 400, "Invalid parameter", PROBLEM_BASE + "invalid-parameter"


class InvalidDocument(ApiError):
    status, title, type = 400, "Invalid document", PROBLEM_BASE + "invalid-document"


class Unauthorized(ApiError):
    status, title, type = 401, "Unauthorized", PROBLEM_BASE + "unauthorized"


class WritesDisabled(ApiError):
    status, title, type = 403, "Writes disabled", PROBLEM_BASE + "writes-disabled"


class NotFound(ApiError):
    status, title, type = 404, "Not Found", PROBLEM_BASE + "not-found"


class Conflict(ApiError):
    status, title, type = 409, "Conflict", PROBLEM_BASE + "duplicate"


class UnsupportedMedia(ApiError):
    status, title, type = 415, "Unsupported Media Type", PROBLEM_BASE + "unsupported-media-type"


class RateLimited(ApiError):
    status, title, type = 429, "Too Many Requests", PROBLEM_BASE + "rate-limited"


class Unavailable(ApiError):
    status, title, type = 503, "Service Unavailable", PROBLEM_BASE + "unavailable"


PROBLEM_TYPES = {cls.type: cls.title for cls in (
    InvalidParameter, InvalidDocument, Unauthorized, WritesDisabled, NotFound, Conflict,
    UnsupportedMedia, RateLimited, Unavailable)}


# Seconds a client should wait before retrying, for the answers that say
# "later" but did not say when (the rate limiter and an index being written say).
RETRY_AFTER = {429: "60", 503: "5"}


def problem(status: int, title: str, detail: str, type_: str = "about:blank",
            param: str | None = None, headers: dict | None = None) -> Response:
    body = {"type": type_, "title": title, "status": status, "detail": detail}
    if param is not None:
        body["param"] = param
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    if status in RETRY_AFTER and "Retry-After" not in response.headers:
        response.headers["Retry-After"] = RETRY_AFTER[status]  # every 429 and 503 says when to retry
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError):
        return problem(exc.status, exc.title, exc.detail, exc.type, exc.param, exc.headers)

    @app.errorhandler(SearchError)
    def _search_error(exc: SearchError):
        return problem(400, InvalidParameter.title, exc.message, InvalidParameter.type, exc.param)

    @app.errorhandler(IndexMissing)
    def _missing(exc: IndexMissing):
        return problem(503, Unavailable.title, f"{exc}: build one with `tracuu rebuild`",
                       Unavailable.type, headers={"Retry-After": "30"})

    @app.errorhandler(IndexBusy)
    def _busy(exc: IndexBusy):
        return problem(503, Unavailable.title, f"{exc}; try again shortly", Unavailable.type)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        headers = {}
        if exc.code == 405 and exc.valid_methods:
            headers["Allow"] = ", ".join(exc.valid_methods)
        return problem(exc.code or 500, exc.name, exc.description or exc.name, headers=headers)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("unexpected error")
        return problem(500, "Internal Server Error",
                       "the server could not answer this request; the error has been logged")
