"""Saved HTML news pages, read with trafilatura.

trafilatura finds the article in the page (dropping navigation, footers and
comments) and its metadata: headline, publication date, canonical URL and
site name. Headline, date and URL are explicit values, as a JSON document's
are; the site name is a hint for :mod:`index.sources`.
"""

from __future__ import annotations

from .dates import parse_iso_date
from .document import Origin, Record
from .normalize import repair

__all__ = ["read_webpage"]


def read_webpage(data: bytes, origin: Origin, doc_id: str) -> Record:
    """Extract the article of a saved page. Raises ValueError if there is none."""
    import trafilatura  # heavy; only pages need it

    doc = trafilatura.bare_extraction(
        data, with_metadata=True, include_comments=False, include_tables=False
    )
    if doc is None or not (doc.text or "").strip():
        raise ValueError("no article text found in the page")
    title = repair(doc.title.strip()) if doc.title else None
    lines = [repair(line.strip()) for line in doc.text.splitlines() if line.strip()]
    if title and lines and lines[0] == title:
        lines = lines[1:]
    date = None
    if doc.date:
        try:
            date = parse_iso_date(doc.date)
        except ValueError:
            date = None  # trafilatura's guess was not a date; extraction may find one
    return Record(
        origin=origin,
        id=doc_id,
        title=title,
        text="\n\n".join(lines),
        date=date,
        url=doc.url or None,
        site=doc.sitename or None,
        lang=doc.language or None,
    )
