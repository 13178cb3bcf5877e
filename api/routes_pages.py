"""The search page (/), the embedding demo (/embed) and the search box script."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, render_template, request, send_from_directory, url_for

from index.store import IndexMissing

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


@bp.get("/widget.js")
def widget():
    response = send_from_directory(STATIC, "widget.js", mimetype="text/javascript", max_age=WIDGET_MAX_AGE)
    response.headers["Cache-Control"] = f"public, max-age={WIDGET_MAX_AGE}"
    return response
