"""/api/documents: read one document; write, replace and delete (with a key)."""

from __future__ import annotations

import hmac
import json
import re
import time

from flask import Blueprint, g, jsonify, request

from index.document import Origin, Rejection
from index.parse import ID_PATTERN, record_from_mapping
from index.journal import Journal
from index.live import queue_deletes, queue_records
from index.store import IndexBusy
from index.writer import apply_journal

from .components import LOOK_SHARE
from .errors import (Conflict, InvalidDocument, InvalidParameter, NotFound, Unauthorized, Unavailable,
                     UnsupportedMedia, WritesDisabled)
from .params import DOCUMENT, WRITE, read_params
from .services import services

bp = Blueprint("documents", __name__, url_prefix="/api/documents")

ID = re.compile(ID_PATTERN)
JSON_TYPES = ("application/json",)
LINES_TYPES = ("application/x-ndjson", "application/jsonl", "application/x-jsonlines")
# how long a write that asked to wait for its commit waits (a rebuild holds it up)
WAIT_FOR_LIMIT = 30.0


def _require_write_key() -> None:
    key = services().settings.write_key
    if key is None:
        raise WritesDisabled("writes are disabled on this server: set TRACUU_WRITE_KEY to enable them")
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), key.encode()):
        raise Unauthorized("writing needs the header Authorization: Bearer <key>",
                           headers={"WWW-Authenticate": 'Bearer realm="tracuu"'})


def _body_text(allowed: tuple[str, ...]) -> tuple[str, str]:
    mimetype = request.mimetype
    if mimetype not in allowed:
        raise UnsupportedMedia(f"send the document as {' or '.join(allowed)}, not {mimetype or 'no content type'}")
    data = request.get_data(cache=False)
    try:
        return mimetype, data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidDocument(f"the body is not valid UTF-8 (byte {exc.start})") from None


def _load_json(text: str, what: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidDocument(f"{what} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None


def _refresh() -> str:
    """The ``refresh`` asked for (checked before anything is written; a
    parameter writes do not take is refused, not ignored: a mistyped
    ``refresh`` must not pass for the default)."""
    known = {p.name for p in WRITE}
    for name in request.args:
        if name not in known:
            raise InvalidParameter(f"writes take no parameter {name!r}; they take: {', '.join(sorted(known))}",
                                   name)
    return read_params(WRITE, request.args, services().settings)["refresh"]


def _written(report, refresh: str) -> dict:
    """Once the ``refresh`` asked for is done (see params.WRITE): whether
    a search now finds the write, and the generation that holds it (None
    until it is committed). The write is in the journal, durable, already."""
    svc = services()
    interval = svc.settings.refresh_interval
    if report.journal is not None and interval > 0:
        svc.committer  # noqa: B018 - started on this process's first write
        if refresh == "false":
            return {"generation": None, "searchable": False}
        if refresh == "wait_for":
            if not Journal(svc.store.root).wait_applied(report.journal, timeout=WAIT_FOR_LIMIT):
                raise Unavailable(f"the write is saved but was not committed within {WAIT_FOR_LIMIT:g} s "
                                  "(a rebuild holds the index?); it will be searchable once it is")
            time.sleep(interval * LOOK_SHARE)  # every process looks again within this
            return {"generation": svc.engine.refresh().generation, "searchable": True}
    if report.journal is not None:  # true, or no interval: committed in this request
        try:
            apply_journal(svc.store, wait=WAIT_FOR_LIMIT)
        except IndexBusy as exc:  # a rebuild, an add from the command line: the write waits its turn
            raise Unavailable(f"the write is saved but not yet committed: {exc} (waited {WAIT_FOR_LIMIT:g} s); "
                              "it is committed once that has finished, and need not be sent again") from None
    return {"generation": svc.engine.refresh().generation, "searchable": True}


@bp.get("/<path:doc_id>")
def read(doc_id: str):
    hl = read_params(DOCUMENT, request.args, services().settings)["hl"]
    engine = services().engine
    g.generation = engine.snapshot().generation
    document = engine.document(doc_id, hl)
    if document is None:
        raise NotFound(f"no document with id {doc_id!r}")
    return jsonify(document)


@bp.put("/<path:doc_id>")
def put(doc_id: str):
    _require_write_key()
    refresh = _refresh()
    if not ID.fullmatch(doc_id):
        raise InvalidParameter(f"the id {doc_id!r} has control characters or spaces at an end", "id")
    _, text = _body_text(JSON_TYPES)
    obj = _load_json(text, "the body")
    if not isinstance(obj, dict):
        raise InvalidDocument("the body must be one JSON object")
    if obj.get("id") is not None and str(obj["id"]) != doc_id:
        raise InvalidDocument(f"the body's id {obj['id']!r} differs from the URL's {doc_id!r}")
    try:
        record = record_from_mapping({**obj, "id": doc_id}, Origin(doc_id), doc_id)
    except ValueError as exc:
        raise InvalidDocument(str(exc)) from None
    svc = services()
    with svc.turns.first():  # next, before the searches waiting (api/turns.py)
        report = queue_records(svc.store, [record], svc.extractor, svc.engine.readers)
    item = report.items[0]
    if item.status == "rejected":
        raise (Conflict if item.conflict else InvalidDocument)(item.reason or "rejected")
    status = 201 if item.status == "created" else 200
    body = {"id": doc_id, "status": item.status, **_written(report, refresh)}
    if item.warnings:
        body["warnings"] = list(item.warnings)
    return jsonify(body), status


@bp.post("")
def post():
    _require_write_key()
    refresh = _refresh()
    mimetype, text = _body_text(JSON_TYPES + LINES_TYPES)
    items: list = []
    if mimetype in JSON_TYPES:
        data = _load_json(text, "the body")
        if isinstance(data, dict):
            data = [data]
        if not isinstance(data, list):
            raise InvalidDocument("the body must be a JSON array of documents (or JSON Lines)")
        entries = [(i, obj, None) for i, obj in enumerate(data)]
    else:
        entries = []
        lines = [(number, line) for number, line in enumerate(text.splitlines(), 1) if line.strip()]
        for i, (number, line) in enumerate(lines):
            try:
                entries.append((i, json.loads(line), None))
            except json.JSONDecodeError as exc:
                entries.append((i, None, f"invalid JSON on line {number}: {exc.msg} (column {exc.colno})"))
    for i, obj, error in entries:
        origin = Origin("request", item=i)
        if error is not None:
            items.append(Rejection(origin, error))
            continue
        try:
            items.append(record_from_mapping(obj, origin, f"request-{i}"))
        except ValueError as exc:
            items.append(Rejection(origin, str(exc)))
    svc = services()
    with svc.turns.first():
        report = queue_records(svc.store, items, svc.extractor, svc.engine.readers)
    by_origin = {r.origin: r for r in report.items}
    results = []
    for i, *_ in entries:
        r = by_origin[str(Origin("request", item=i))]
        entry = {"index": i, "id": r.id, "status": r.status}
        if r.reason:
            entry["reason"] = r.reason
        if r.warnings:
            entry["warnings"] = list(r.warnings)
        results.append(entry)
    return jsonify({"indexed": report.indexed, "rejected": len(report.rejected),
                    "results": results, **_written(report, refresh)})


@bp.delete("/<path:doc_id>")
def remove(doc_id: str):
    _require_write_key()
    refresh = _refresh()
    svc = services()
    with svc.turns.first():
        report = queue_deletes(svc.store, [doc_id], svc.engine.readers)
    if report.rejected:
        raise NotFound(f"no document with id {doc_id!r}")
    return jsonify({"id": doc_id, "status": "deleted", **_written(report, refresh)})
