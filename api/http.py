"""Cross-cutting HTTP behaviour: CORS, caching headers and a rate limit.

* CORS: GET endpoints under /api answer browsers from the origins listed in
  ``TRACUU_CORS_ORIGINS`` (preflights included); writes are never
  cross-origin.
* Caching: GET answers carry an ``ETag`` tied to the index generation and
  the request, and ``Cache-Control: public, max-age=...``; a matching
  ``If-None-Match`` gets 304. A rebuild or a write changes the generation,
  so caches never serve stale results for long.
* Security headers: ``nosniff``, a referrer policy that sends other sites
  the origin only (a search's URL holds the query), and a content security
  policy: the pages run the widget's script alone, allow their own <style>
  elements by hash and no other inline style, and may be framed by this
  server only; API answers load nothing.
* Rate limit: at most ``TRACUU_RATE_LIMIT`` requests per minute per client
  address, per worker process (a token bucket: a burst of that many, then
  one every 60/limit seconds); more get 429 with ``Retry-After``. The
  client address is the peer's, or, behind a proxy listed in
  ``TRACUU_TRUSTED_PROXIES``, the one its ``X-Forwarded-For`` names.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import math
import re
import threading
import time

from flask import Flask, current_app, g, request

from .errors import RateLimited

__all__ = ["init_app", "RateLimiter"]


class RateLimiter:
    """A token bucket per client address: ``per_minute`` requests at once
    at most, refilled at ``per_minute`` a minute. (Fixed one-minute windows
    let a client make twice the limit across a window's edge, and a test
    that made three requests with a limit of two flaked when they fell on
    both sides of one.)"""

    MAX_CLIENTS = 100_000  # addresses tracked before the idle ones (full buckets) are forgotten

    def __init__(self, per_minute: int, clock=time.monotonic):
        self.per_minute = per_minute
        self.clock = clock
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = {}  # client -> (tokens, when counted)

    def check(self, client: str) -> int | None:
        """None if allowed (a token taken), else the whole seconds until
        the client's next token."""
        if not self.per_minute:
            return None
        rate = self.per_minute / 60.0  # tokens per second
        now = self.clock()
        with self._lock:
            tokens, then = self._buckets.get(client, (float(self.per_minute), now))
            tokens = min(float(self.per_minute), tokens + (now - then) * rate)
            if tokens >= 1.0:
                self._buckets[client] = (tokens - 1.0, now)
                if len(self._buckets) > self.MAX_CLIENTS:
                    self._forget_idle(now, rate)
                return None
            self._buckets[client] = (tokens, now)
        return max(1, math.ceil((1.0 - tokens) / rate))

    def _forget_idle(self, now: float, rate: float) -> None:
        """Drop the clients whose bucket has refilled: they start full anyway."""
        full = float(self.per_minute)
        self._buckets = {c: (t, w) for c, (t, w) in self._buckets.items() if t + (now - w) * rate < full}
        if len(self._buckets) > self.MAX_CLIENTS // 2:  # that many busy at once: start over (all full)
            self._buckets = {}


# The pages run only the widget's script, from this server (no inline
# script); their own <style> elements are allowed by their hashes, nothing
# else inline (the widget's styles are a constructed stylesheet). They may
# be framed by this server only. API answers are data.
PAGE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'{styles}; "
               "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
               "form-action 'self'; frame-ancestors 'self'")
API_POLICY = "default-src 'none'; frame-ancestors 'none'"
_STYLE = re.compile(r"<style>(.*?)</style>", re.S)


def page_policy(html: str) -> str:
    """The policy of a page: ``PAGE_POLICY`` allowing its <style> elements."""
    hashes = (base64.b64encode(hashlib.sha256(m.group(1).encode()).digest()).decode()
              for m in _STYLE.finditer(html))
    return PAGE_POLICY.format(styles="".join(f" 'sha256-{h}'" for h in dict.fromkeys(hashes)))


def _cors_origin(origins: tuple[str, ...]) -> str | None:
    origin = request.headers.get("Origin")
    if not origin or not origins:
        return None
    if "*" in origins:
        return "*"
    return origin if origin.rstrip("/") in origins else None


def client_address(peer: str | None, forwarded_for: str | None, trusted: tuple) -> str:
    """The address a request is counted against: its peer's, unless the peer
    is a trusted proxy; then the last address in ``X-Forwarded-For`` that is
    not one (each proxy appends the address it got the request from, so the
    ones to the left of it are the client's to write, and may be forged)."""
    if not peer or not trusted or not _trusted(peer, trusted):
        return peer or "-"
    client = peer
    for hop in reversed([h.strip() for h in (forwarded_for or "").split(",") if h.strip()]):
        client = hop
        if not _trusted(hop, trusted):
            break
    return client


def _trusted(address: str, trusted: tuple) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:  # not an address (a forged or garbled header): not a proxy of ours
        return False
    return any(ip in network for network in trusted)


def init_app(app: Flask) -> None:
    settings = app.config["TRACUU"]
    limiter = RateLimiter(settings.rate_limit)
    trusted = settings.trusted_proxies

    @app.before_request
    def _limit():
        if not request.path.startswith("/api/"):
            return None
        wait = limiter.check(client_address(request.remote_addr, request.headers.get("X-Forwarded-For"), trusted))
        if wait is not None:
            raise RateLimited(f"more than {limiter.per_minute} requests in a minute from this client",
                              headers={"Retry-After": str(wait)})
        if request.method == "OPTIONS":
            return current_app.make_default_options_response()
        return None

    @app.after_request
    def _security(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        # a search's URL holds what was searched: other sites get the origin only
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        if "Content-Security-Policy" not in response.headers:
            if request.path.startswith("/api/"):
                policy = API_POLICY
            elif response.mimetype == "text/html" and not response.is_streamed:
                policy = page_policy(response.get_data(as_text=True))
            else:
                policy = page_policy("")
            response.headers["Content-Security-Policy"] = policy
        return response

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
