"""GET /api/search, /api/suggest and /api/facets/<name>."""

from __future__ import annotations

from flask import Blueprint, g, jsonify, request

from search.engine import SearchRequest
from search.facets import FACETS
from search.suggest import KINDS

from .errors import InvalidParameter, NotFound
from .services import services

bp = Blueprint("search", __name__, url_prefix="/api")


def _int(name: str, default: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise InvalidParameter(f"{name} must be a whole number, not {raw!r}", name) from None


def _list(name: str) -> list[str]:
    """A repeatable parameter; commas also separate values (facets=person,topic)."""
    return [v.strip() for raw in request.args.getlist(name) for v in raw.split(",") if v.strip()]


def _hl() -> str:
    hl = request.args.get("hl", "en")
    if hl not in ("en", "vi"):
        raise InvalidParameter(f"hl must be 'en' or 'vi', not {hl!r}", "hl")
    return hl


def _generation() -> None:
    g.generation = services().engine.snapshot().generation


@bp.get("/search")
def search():
    facets = _list("facets") if "facets" in request.args else None
    filters = {name: request.args.getlist(name) for name in FACETS if name in request.args}
    for name, values in filters.items():
        if any(not v.strip() for v in values):
            raise InvalidParameter(f"{name} needs a value", name)
    req = SearchRequest(
        q=request.args.get("q", ""),
        filters=filters,
        date_from=request.args.get("from") or None,
        date_to=request.args.get("to") or None,
        sort=request.args.get("sort") or None,
        page=_int("page", 1),
        per_page=_int("per_page", 10),
        facets=tuple(facets) if facets is not None else None,
        hl=_hl(),
    )
    _generation()
    return jsonify(services().engine.search(req).as_dict())


@bp.get("/suggest")
def suggest():
    q = request.args.get("q", "")
    limit = _int("limit", 8)
    if not 1 <= limit <= 20:
        raise InvalidParameter("limit must be between 1 and 20", "limit")
    kinds = _list("kind") or list(KINDS)
    for kind in kinds:
        if kind not in KINDS:
            raise InvalidParameter(f"kind must be one of {', '.join(KINDS)}, not {kind!r}", "kind")
    _generation()
    found = services().engine.suggest(q, limit, tuple(kinds))
    return jsonify({"q": q, "suggestions": [s.as_dict() for s in found]})


@bp.get("/facets/<name>")
def facet_values(name: str):
    if name not in FACETS:
        raise NotFound(f"no facet {name!r}; facets are {', '.join(FACETS)}")
    limit = _int("limit", 10)
    if not 1 <= limit <= 100:
        raise InvalidParameter("limit must be between 1 and 100", "limit")
    q = request.args.get("q", "")
    if len(q) > services().settings.max_query_length:
        raise InvalidParameter("q is too long", "q")
    _generation()
    values = services().engine.facet_values(name, q, limit, _hl())
    return jsonify({"facet": name, "q": q,
                    "values": [{"value": v.value, "label": v.label, "count": v.count} for v in values]})
