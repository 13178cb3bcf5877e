"""GET /api/search, /api/suggest and /api/facets/<name>."""

from __future__ import annotations

from flask import Blueprint, g, jsonify, request

from search.engine import SearchRequest
from search.facets import FACETS
from search.suggest import KINDS

from .errors import NotFound
from .params import FACET_VALUES, SEARCH, SUGGEST, read_params
from .services import services

bp = Blueprint("search", __name__, url_prefix="/api")


def _args(params) -> dict:
    return read_params(params, request.args, services().settings)


def _generation() -> None:
    g.generation = services().engine.snapshot().generation


@bp.get("/search")
def search():
    a = _args(SEARCH)
    req = SearchRequest(
        q=a["q"],
        filters={name: a[name] for name in FACETS if a[name]},
        date_from=a["from"],
        date_to=a["to"],
        sort=a["sort"],
        match=a["match"],
        page=a["page"],
        per_page=a["per_page"],
        facets=tuple(a["facets"]) if a["facets"] is not None else None,
        hl=a["hl"],
    )
    with services().turns:
        _generation()
        return jsonify(services().engine.search(req).as_dict())


@bp.get("/suggest")
def suggest():
    a = _args(SUGGEST)
    _generation()
    found = services().engine.suggest(a["q"], a["limit"], tuple(a["kind"] if a["kind"] is not None else KINDS))
    return jsonify({"q": a["q"], "suggestions": [s.as_dict() for s in found]})


@bp.get("/facets/<name>")
def facet_values(name: str):
    if name not in FACETS:
        raise NotFound(f"no facet {name!r}; facets are {', '.join(FACETS)}")
    a = _args(FACET_VALUES)
    _generation()
    values = services().engine.facet_values(name, a["q"], a["limit"], a["hl"])
    return jsonify({"facet": name, "q": a["q"],
                    "values": [{"value": v.value, "label": v.label, "count": v.count} for v in values]})
