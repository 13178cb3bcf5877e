"""Cross-cutting HTTP behaviour: CORS, caching headers and a rate limit.

* CORS: GET endpoints under /api answer browsers from the origins listed in
  ``TRACUU_CORS_ORIGINS`` (preflights included); writes are never
  cross-origin.
* Caching: GET answers carry an ``ETag`` tied to the index generation and
  the request, and ``Cache-Control: public, max-age=...``; a matching
  ``If-None-Match`` gets 304. A rebuild or a write changes the generation,
  so caches never serve stale results for long.
* Rate limit: at most ``TRACUU_RATE_LIMIT`` requests per minute per client
  address, per worker process; more get 429 with ``Retry-After``.
"""

from __future__ import annotations

import hashlib
import threading
import time

from flask import Flask, current_app, g, request

from .errors import RateLimited

__all__ = ["init_app", "RateLimiter"]


class RateLimiter:
    """Fixed one-minute windows per client address."""

    def __init__(self, per_minute: int):
        self.per_minute = per_minute
        self._lock = threading.Lock()
        self._window = 0
        self._counts: dict[str, int] = {}

    def check(self, client: str) -> int | None:
        """None if allowed, else the seconds until the next window."""
        if not self.per_minute:
            return None
        now = time.time()
        window = int(now // 60)
        with self._lock:
            if window != self._window:
                self._window, self._counts = window, {}
            count = self._counts.get(client, 0) + 1
            self._counts[client] = count
        if count > self.per_minute:
            return int(60 - now % 60) + 1
        return None


def _cors_origin(origins: tuple[str, ...]) -> str | None:
    origin = request.headers.get("Origin")
    if not origin or not origins:
        return None
    if "*" in origins:
        return "*"
    return origin if origin.rstrip("/") in origins else None


def init_app(app: Flask) -> None:
    settings = app.config["TRACUU"]
    limiter = RateLimiter(settings.rate_limit)

    @app.before_request
    def _limit():
        if not request.path.startswith("/api/"):
            return None
        wait = limiter.check(request.remote_addr or "-")
        if wait is not None:
            raise RateLimited(f"more than {limiter.per_minute} requests in a minute from this client",
                              headers={"Retry-After": str(wait)})
        if request.method == "OPTIONS":
            return current_app.make_default_options_response()
        return None

    @app.after_request
    def _headers(response):
        if not request.path.startswith("/api/"):
            return response
        reading = request.method in ("GET", "HEAD", "OPTIONS")
        if reading:
            origin = _cors_origin(settings.cors_origins)
            if origin:
                response.headers["Access-Control-Allow-Origin"] = origin
                response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
                response.headers["Access-Control-Allow-Headers"] = "Content-Type, If-None-Match"
                response.headers["Access-Control-Expose-Headers"] = "ETag"
                response.headers["Access-Control-Max-Age"] = "600"
                if origin != "*":
                    response.vary.add("Origin")
        generation = g.get("generation")
        if request.method in ("GET", "HEAD") and response.status_code == 200 and generation:
            tag = hashlib.sha1(f"{generation} {request.full_path}".encode()).hexdigest()[:20]
            response.set_etag(tag)
            response.headers.setdefault("Cache-Control", f"public, max-age={settings.cache_max_age}")
            response.make_conditional(request)
        elif "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-store"
        return response
