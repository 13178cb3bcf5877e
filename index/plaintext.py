"""Plain-text articles in the seeds' conventions.

* An optional first line ``date YYYY-MM-DD <headline or lede>``. What follows
  the date is the headline when it reads like one (short, no closing full
  stop, no dateline), otherwise the first paragraph of the story.
* Otherwise, a first paragraph of one short line followed by more text is the
  headline.

Everything else (date lines, datelines, captions, credits, sign-offs) is in
the text and is read by :mod:`index.layout`, whatever format it came in.
"""

from __future__ import annotations

import regex

from .dates import parse_iso_date
from .published import is_date_line
from .document import Origin, Record
from .layout import paragraphs
from .normalize import repair

__all__ = ["read_plaintext", "looks_like_headline"]

_HEADER = regex.compile(r"^\s*date[ \t]+(\d{4}-\d{1,2}-\d{1,2})(?:[ \t]+(.*))?$", regex.IGNORECASE)
_DATELINE_START = regex.compile(r"^\p{Lu}[\p{Lu}\p{M} .'’-]*\p{Lu}\s*(?:,[^\n]{0,25}?)?(?:\([^)]*\))?\s*(?:--|—|–|-)\s")
_WORDS = regex.compile(r"[\p{L}\p{N}]+")


def looks_like_headline(line: str) -> bool:
    """A headline is one short line that does not end like a sentence and
    does not open with a dateline."""
    line = line.strip()
    words = _WORDS.findall(line)
    return (
        "\n" not in line
        and 2 <= len(words) <= 30
        and len(line) <= 220
        and not line.endswith((".", ",", ";", ":", "…"))
        and not _DATELINE_START.match(line)
        and not is_date_line(line)
    )


def read_plaintext(raw: str, origin: Origin, doc_id: str) -> Record:
    """Read one plain-text article. Raises ValueError for a bad header date."""
    text = repair(raw.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff"))
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    title = date = None
    header_lede = False
    header = _HEADER.match(lines[first]) if first is not None else None
    if header:
        date = parse_iso_date(header.group(1))
        rest = (header.group(2) or "").strip()
        lines = lines[first + 1:]
        if rest and looks_like_headline(rest):
            title = rest
        elif rest:
            lines.insert(0, rest)
            header_lede = True
    paras = paragraphs("\n".join(lines))
    if title is None and not header_lede and len(paras) > 1 and looks_like_headline(paras[0]):
        title, paras = paras[0], paras[1:]
    return Record(origin=origin, id=doc_id, title=title, text="\n\n".join(paras), date=date)
