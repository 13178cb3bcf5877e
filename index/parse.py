"""Reading input files into records, one job at a time.

:func:`plan_jobs` walks the paths a user gave and cuts them into jobs: one
per article file, and chunks of lines for JSON Lines, so that work spreads
over processes. :func:`read_job` turns a job into records, or rejections that
say ``file:line: reason``; one bad line or file never stops the others.

Formats, chosen by file extension:

* ``.txt`` (and ``.text``, ``.md``): plain-text articles (:mod:`index.plaintext`);
* ``.jsonl``/``.ndjson``: one JSON object per line; ``.json``: an object or an
  array of objects. Objects carry ``id``, ``title``, ``text``, ``date``, ``url``,
  ``source``, ``lang`` (and, from an export, ``persons``, ``topics``, ``credits``,
  ``date_rule``);
* ``.html``/``.htm``: saved web pages (:mod:`index.webpage`).

A document's id is its JSON ``id``, otherwise its path relative to the
directory given (``a/b.txt``), with ``#N`` for the Nth object of a JSON file
that has no ids.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import regex

from .dates import parse_iso_date
from .document import Origin, Record, Rejection
from .normalize import repair
from .published import RULES as DATE_RULES
from .plaintext import read_plaintext
from .webpage import read_webpage

__all__ = ["Job", "plan_jobs", "read_job", "record_from_mapping", "SUPPORTED", "CHUNK_LINES", "FIELD_NAMES",
           "ID_PATTERN"]

TEXT_EXT = {".txt", ".text", ".md"}
JSONL_EXT = {".jsonl", ".ndjson"}
JSON_EXT = {".json"}
HTML_EXT = {".html", ".htm", ".xhtml"}
SUPPORTED = TEXT_EXT | JSONL_EXT | JSON_EXT | HTML_EXT
CHUNK_LINES = 200
_LANG = regex.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$")
# A document id: no control characters, no space at either end (it is part
# of a URL: /api/documents/<id>). The API description states the same.
ID_PATTERN = r"^[^\s\x00-\x1f\x7f]([^\x00-\x1f\x7f]*[^\s\x00-\x1f\x7f])?$"
_ID = regex.compile(ID_PATTERN)


# Each field's accepted names, in order of preference (the first is the
# canonical one; the others are common in exported news data).
FIELD_NAMES = _KEYS = {
    "id": ("id", "_id", "doc_id"),
    "title": ("title", "headline"),
    "text": ("text", "body", "content"),
    "date": ("date", "published", "published_at", "pubdate"),
    "url": ("url", "link"),
    "source": ("source", "publisher", "source_dataset"),
    "lang": ("lang", "language"),
}


@dataclass(frozen=True)
class Job:
    """A unit of parsing work: a whole file, or some lines of a JSON Lines file."""

    path: str      # the file on disk
    name: str      # its path relative to the root, used for ids and reports
    kind: str      # "text", "jsonl", "json" or "html"
    first_line: int = 1
    lines: tuple[bytes, ...] = ()


def _kind(path: Path) -> str | None:
    ext = path.suffix.lower()
    for kind, exts in (("text", TEXT_EXT), ("jsonl", JSONL_EXT), ("json", JSON_EXT), ("html", HTML_EXT)):
        if ext in exts:
            return kind
    return None


def _files(path: Path) -> Iterator[tuple[Path, Path]]:
    """(file, root) pairs under ``path``, sorted; hidden and unsupported
    files inside directories are skipped."""
    if path.is_dir():
        for dirpath, dirnames, filenames in os.walk(path):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                file = Path(dirpath, name)
                if not name.startswith(".") and _kind(file):
                    yield file, path
    else:
        yield path, path.parent


def plan_jobs(paths: list[str | Path]) -> Iterator[Job | Rejection]:
    """Cut the given files and directories into jobs."""
    for given in paths:
        given = Path(given)
        if not given.exists():
            yield Rejection(Origin(str(given)), "no such file or directory")
            continue
        for file, root in _files(given):
            name = file.relative_to(root).as_posix()
            kind = _kind(file)
            if kind is None:
                yield Rejection(Origin(str(file)), f"unsupported file type {file.suffix or '(none)'!r}; "
                                f"expected one of {', '.join(sorted(SUPPORTED))}")
            elif kind == "jsonl":
                try:
                    with open(file, "rb") as f:
                        lines = f.read().split(b"\n")
                except OSError as exc:
                    yield Rejection(Origin(str(file)), f"cannot read: {exc.strerror}")
                    continue
                for start in range(0, len(lines), CHUNK_LINES):
                    yield Job(str(file), name, kind, start + 1, tuple(lines[start:start + CHUNK_LINES]))
            else:
                yield Job(str(file), name, kind)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not valid UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start}") from None


def _pick(obj: dict, field: str):
    for key in _KEYS[field]:
        if obj.get(key) is not None:
            return obj[key]
    return None


def _string(obj: dict, field: str) -> str | None:
    for key in _KEYS[field]:  # every name given is checked, not only the one used
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            raise ValueError(f"{key!r} must be a string, not {type(value).__name__}")
    value = _pick(obj, field)
    if value is None:
        return None
    value = repair(value).strip()
    return value or None


def _id(obj: dict) -> str | None:
    """The id given, as a string: a string, or a whole number."""
    for key in _KEYS["id"]:
        value = obj.get(key)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (str, int))):
            raise ValueError(f"{key!r} must be a string, not {type(value).__name__}")
    value = _pick(obj, "id")
    if isinstance(value, float):
        value = int(value)
    return None if value is None else str(value)


def _date(obj: dict) -> str | None:
    """The date given, unparsed: an empty or blank value is no date."""
    _string(obj, "date")  # type checks
    value = _pick(obj, "date")
    if value is None or not value.strip(" \t\r\n"):
        return None
    return value


def _list(obj: dict, key: str) -> list | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, list):
        raise ValueError(f"{key!r} must be a list, not {type(value).__name__}")
    return value


def record_from_mapping(obj, origin: Origin, default_id: str) -> Record:
    """Validate one JSON object into a record. Raises ValueError, saying which
    field is wrong and why."""
    if not isinstance(obj, dict):
        raise ValueError(f"expected a JSON object, got {type(obj).__name__}")
    doc_id = _id(obj)
    doc_id = doc_id.strip() if doc_id is not None else default_id
    if not doc_id:
        raise ValueError("'id' is empty")
    if not _ID.fullmatch(doc_id):
        raise ValueError(f"'id' {doc_id!r} holds control characters")
    text = _string(obj, "text")
    if text is None:
        raise ValueError("empty text")
    date = _date(obj)
    lang = _string(obj, "lang")
    if lang is not None:
        lang = lang.lower()
        if not _LANG.match(lang):
            raise ValueError(f"'lang' {lang!r} is not a language code such as 'vi' or 'en'")
    persons = _list(obj, "persons")
    if persons is not None:
        persons = [p if isinstance(p, dict) else {"label": p} for p in persons]
        if not all(any(k in p for k in ("key", "label"))
                   and all(isinstance(p[k], str) and p[k].strip() for k in ("key", "label") if k in p)
                   for p in persons):
            raise ValueError("'persons' must hold {key, label} objects or names")
        for p in persons:
            spelled = p.get("spellings")
            if spelled is not None and not (isinstance(spelled, list)
                                            and all(isinstance(x, str) for x in spelled)):
                raise ValueError("a person's 'spellings' must be a list of strings")
    topics = _list(obj, "topics")
    if topics is not None:
        if not all(isinstance(t.get("label", ""), str) for t in topics if isinstance(t, dict)):
            raise ValueError("a topic's 'label' must be a string")
        topics = [t.get("id") if isinstance(t, dict) else t for t in topics]
        if not all(isinstance(t, str) and t.strip() for t in topics):
            raise ValueError("'topics' must hold topic ids or {id, label} objects")
    credits = _list(obj, "credits")
    if credits is not None and not all(isinstance(c, str) for c in credits):
        raise ValueError("'credits' must hold strings")
    date_rule = obj.get("date_rule")
    if date_rule is not None and date_rule not in DATE_RULES:
        raise ValueError(f"'date_rule' {date_rule!r} is not one of {', '.join(DATE_RULES)}")
    return Record(
        origin=origin,
        id=doc_id,
        text=text,
        title=_string(obj, "title"),
        date=parse_iso_date(date) if date else None,
        url=_string(obj, "url"),
        source=_string(obj, "source"),
        lang=lang,
        persons=persons,
        topics=topics,
        credits=credits,
        date_rule=date_rule if date else None,
    )


def read_job(job: Job) -> list[Record | Rejection]:
    """Parse one job. Errors become rejections; nothing is raised for bad input."""
    if job.kind == "jsonl":
        return list(_read_jsonl(job))
    origin = Origin(job.path)
    try:
        with open(job.path, "rb") as f:
            data = f.read()
    except OSError as exc:
        return [Rejection(origin, f"cannot read: {exc.strerror}")]
    try:
        if job.kind == "html":
            return [read_webpage(data, origin, job.name)]
        text = _decode(data)
        if job.kind == "text":
            record = read_plaintext(text, origin, job.name)
            if not record.text and not record.title:
                return [Rejection(origin, "empty text")]
            if not record.text:
                return [Rejection(origin, "empty text (only a headline)")]
            return [record]
        return list(_read_json(text, job))
    except ValueError as exc:
        return [Rejection(origin, str(exc))]


def _read_jsonl(job: Job) -> Iterator[Record | Rejection]:
    for offset, raw in enumerate(job.lines):
        lineno = job.first_line + offset
        origin = Origin(job.path, line=lineno)
        if not raw.strip():
            continue
        try:
            obj = json.loads(_decode(raw))
        except json.JSONDecodeError as exc:
            yield Rejection(origin, f"invalid JSON: {exc.msg} (column {exc.colno})")
            continue
        except ValueError as exc:
            yield Rejection(origin, str(exc))
            continue
        try:
            yield record_from_mapping(obj, origin, f"{job.name}#{lineno}")
        except ValueError as exc:
            yield Rejection(origin, str(exc))


def _read_json(text: str, job: Job) -> Iterator[Record | Rejection]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield Rejection(Origin(job.path, line=exc.lineno), f"invalid JSON: {exc.msg} (column {exc.colno})")
        return
    if isinstance(data, dict):
        data, single = [data], True
    elif isinstance(data, list):
        single = False
    else:
        yield Rejection(Origin(job.path), "expected a JSON object or an array of objects")
        return
    for i, obj in enumerate(data):
        origin = Origin(job.path) if single else Origin(job.path, item=i)
        try:
            yield record_from_mapping(obj, origin, job.name if single else f"{job.name}#{i}")
        except ValueError as exc:
            yield Rejection(origin, str(exc))
