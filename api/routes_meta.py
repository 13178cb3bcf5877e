"""/api/health, /api/openapi.json, and / (a pointer to the API)."""

from __future__ import annotations

from flask import Blueprint, g, jsonify, url_for

from .openapi import openapi_document
from .services import services

bp = Blueprint("meta", __name__)


@bp.get("/api/health")
def health():
    engine = services().engine
    snap = engine.snapshot()  # a missing index answers 503 (see errors)
    g.generation = snap.generation
    meta = snap.meta
    response = jsonify({
        "status": "ok",
        "documents": snap.searcher.doc_count(),
        "generation": snap.generation,
        "built_at": meta.get("built_at"),
        "updated_at": meta.get("updated_at"),
    })
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/api/openapi.json")
def openapi():
    return jsonify(openapi_document())


@bp.get("/")
def home():
    return jsonify({
        "name": "tracuu",
        "description": "Search bilingual Vietnamese/English news.",
        "api": {"search": url_for("search.search"), "suggest": url_for("search.suggest"),
                "openapi": url_for("meta.openapi"), "health": url_for("meta.health")},
    })
