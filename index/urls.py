"""Which document URLs are kept: absolute ``http``/``https`` links only.

A stored URL becomes a link in the search box and on the search page, so a
``javascript:`` or ``data:`` URL would run script for whoever clicks it. Ingest
drops every other kind and says why; the document itself is still indexed.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import regex

__all__ = ["checked_url"]

_SCHEMES = ("http", "https")
# Whitespace or control characters anywhere: browsers strip or ignore them
# in ways that differ, so such a URL is not kept.
_UNSAFE = regex.compile(r"[\p{Cc}\p{Cf}\s]")


def checked_url(url: str | None) -> tuple[str | None, str | None]:
    """``(url, None)`` when ``url`` is an absolute http(s) URL, else
    ``(None, warning)``; ``(None, None)`` when there is no URL."""
    if url is None:
        return None, None
    url = url.strip()
    if not url:
        return None, None
    shown = url if len(url) <= 80 else url[:77] + "..."
    if _UNSAFE.search(url):
        return None, f"url {shown!r} dropped: it contains spaces or control characters"
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        return None, f"url {shown!r} dropped: {exc}"
    if parts.scheme.lower() not in _SCHEMES or not parts.netloc or not parts.hostname:
        return None, f"url {shown!r} dropped: only absolute http:// or https:// URLs are kept"
    return url, None
