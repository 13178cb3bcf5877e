"""The search page (/), the embedding demo (/embed) and the search box script."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Response, render_template, request, url_for

from index.store import IndexMissing
from search.fields import FACET_TITLES

from .services import services

bp = Blueprint("pages", __name__)
STATIC = Path(__file__).with_name("static")
WIDGET_MAX_AGE = 3600


def _lang() -> str:
    asked = request.args.get("lang")
    if asked in ("vi", "en"):
        return asked
    return request.accept_languages.best_match(["en", "vi"], default="en")


@bp.get("/")
def home():
    try:
        documents = services().engine.snapshot().searcher.doc_count()
    except IndexMissing:
        documents = 0
    response = render_template("index.html", lang=_lang(), documents=documents)
    return response, 200, {"Cache-Control": "no-cache", "Vary": "Accept-Language"}


@bp.get("/embed")
def embed():
    endpoint = request.host_url.rstrip("/")
    widget_url = url_for("pages.widget", _external=True)
    snippet = (f'<script src="{widget_url}" defer></script>\n'
               f'<tracuu-search endpoint="{endpoint}"></tracuu-search>')
    return render_template("embed.html", endpoint=endpoint, widget_url=widget_url, snippet=snippet)


@lru_cache(maxsize=1)
def _widget_source() -> tuple[bytes, str]:
    """The search box script with the facet names and titles written in,
    and its ETag."""
    text = (STATIC / "widget.js").read_text(encoding="utf-8")
    facets = json.dumps({name: list(titles) for name, titles in FACET_TITLES.items()}, ensure_ascii=False)
    body = text.replace("__TRACUU_FACETS__", facets, 1).encode("utf-8")
    return body, hashlib.sha256(body).hexdigest()[:32]


@bp.get("/widget.js")
def widget():
    body, etag = _widget_source()
    response = Response(body, mimetype="text/javascript")
    response.set_etag(etag)
    response.headers["Cache-Control"] = f"public, max-age={WIDGET_MAX_AGE}"
    return response.make_conditional(request)
