"""/api/health and /api/openapi.json."""

from __future__ import annotations

from flask import Blueprint, g, jsonify

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
    return jsonify(services().openapi)
