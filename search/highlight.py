"""Snippets: a short window of the story with ``<mark>`` around matched words.

The story is analysed as it was indexed (:func:`index.analysis.index_words`
gives the indexing chain's terms in one pass), so every form
that matched is marked: ``to lam`` marks ``Tô Lâm``, ``vietnam`` marks
``Việt Nam``, ``cooperative`` marks ``cooperation``. All text is HTML-escaped;
the only markup in a snippet is ``<mark>``.

Analysis is the costly part, so a paragraph is analysed only when it can
hold a match: when one of the terms, less its last letter for an English
stem (a Porter stem differs from its word in its last letter at most:
``happi~`` from ``happy``; so for each of the corpus's 36,000 English
words), occurs in the paragraph folded and squeezed to its letters and
digits. That test never says no to a paragraph that holds a match.
"""

from __future__ import annotations

import html
import re
import unicodedata

from index.analysis import STEM_MARK, index_words

__all__ = ["snippet", "marked_spans"]

# Paragraphs are analysed from the top until every query word has turned up
# or _MAX_SCAN characters were read: a snippet from the top reads best, and
# this bounds the work per hit.
_MAX_SCAN = 4000
_CONTEXT = 60


def marked_spans(text: str, lang: str | None, terms: set[str]) -> list[tuple[int, int, frozenset]]:
    """(start, end, terms) of every word of ``text`` whose indexed form is in
    ``terms``; overlapping spans (a compound and its syllables) are merged."""
    spans: list[tuple[int, int, frozenset]] = []
    if not terms:
        return spans
    for term, startchar, endchar in index_words(text, lang):
        if term in terms:
            if spans and startchar < spans[-1][1]:
                start, end, found = spans[-1]
                spans[-1] = (start, max(end, endchar), found | {term})
            else:
                spans.append((startchar, endchar, frozenset([term])))
    return spans


def _cut(text: str, start: int, end: int) -> tuple[int, int]:
    """Move a window's edges outwards/inwards to whitespace."""
    if start > 0:
        space = text.rfind(" ", max(0, start - 20), start)
        start = space + 1 if space >= 0 else start
    if end < len(text):
        space = text.find(" ", end, end + 20)
        end = space if space >= 0 else end
    return start, end


_NOT_ALNUM = re.compile(r"[\W_]+")  # also the combining marks NFD leaves


def _squeezed(text: str) -> str | None:
    """``text`` lowercased, without diacritics, with everything but letters
    and digits removed; None when that is not exactly how the index folds it
    (letters other than Latin ones with diacritics and đ)."""
    squeezed = _NOT_ALNUM.sub("", unicodedata.normalize("NFD", text.lower()).replace("đ", "d"))
    return squeezed if squeezed.isascii() else None


def _needles(terms: set[str]) -> set[str]:
    """What each term leaves in squeezed text (see :func:`_squeezed`)."""
    return {_NOT_ALNUM.sub("", t[:-len(STEM_MARK) - 1] if t.endswith(STEM_MARK) else t) for t in terms}


def _covered(spans, groups) -> set[int]:
    found = frozenset().union(*(t for _, _, t in spans))
    return {i for i, group in enumerate(groups) if group & found}


def _scan(text: str, lang: str | None, terms: set[str], groups) -> tuple[str, list]:
    """The text read (whitespace collapsed) and its marked spans."""
    parts: list[str] = []
    spans: list[tuple[int, int, str]] = []
    offset = 0
    needles = _needles(terms)
    for para in text.split("\n\n"):
        para = " ".join(para.split())
        if not para:
            continue
        if parts:
            offset += 1  # the joining space
        squeezed = _squeezed(para)
        if squeezed is None or any(n in squeezed for n in needles):
            spans.extend((s + offset, e + offset, t) for s, e, t in marked_spans(para, lang, terms))
        parts.append(para)
        offset += len(para)
        if offset >= _MAX_SCAN or (spans and len(_covered(spans, groups)) == len(groups)):
            break
    return " ".join(parts), spans


def _drop_lone_weak(spans: list, weak: set[str]) -> list:
    """Spans of very common words ("to", "của") that stand alone are not
    worth marking: keep them only next to another marked word ("To Lam")."""
    kept = []
    for i, (s, e, t) in enumerate(spans):
        if t <= weak:
            before = i > 0 and s - spans[i - 1][1] <= 1
            after = i + 1 < len(spans) and spans[i + 1][0] - e <= 1
            if not (before or after):
                continue
        kept.append((s, e, t))
    return kept


def snippet(text: str, lang: str | None, terms: set[str], size: int = 220,
            groups: list[frozenset] | None = None, weak: set[str] = frozenset()) -> str:
    """An HTML snippet of about ``size`` characters around the best matches.

    ``groups`` are the terms of each query word: the window that shows the
    most query words wins (any term counts as its own word if not given).
    ``weak`` terms are marked only next to another match.
    """
    groups = groups or [frozenset([t]) for t in terms]
    text, spans = _scan(text, lang, terms, groups)
    if weak and len(groups) > 1:
        spans = _drop_lone_weak(spans, weak)
    if not spans:
        start, end = _cut(text, 0, min(len(text), size))
        return html.escape(text[start:end]) + ("…" if end < len(text) else "")
    # The window (starting at a match) that shows the most query words.
    best, best_key = 0, None
    for i, (s, _, _) in enumerate(spans):
        inside = [sp for sp in spans[i:] if sp[1] <= s + size]
        key = (len(_covered(inside, groups)), len(inside), -s)
        if best_key is None or key > best_key:
            best, best_key = i, key
    first = spans[best][0]
    start = max(0, first - _CONTEXT) if first > _CONTEXT else 0
    start, end = _cut(text, start, min(len(text), start + size))
    out = ["…"] if start > 0 else []
    pos = start
    for s, e, _ in spans:
        if s < start or e > end:
            continue
        out.append(html.escape(text[pos:s]))
        out.append("<mark>" + html.escape(text[s:e]) + "</mark>")
        pos = e
    out.append(html.escape(text[pos:end]))
    if end < len(text):
        out.append("…")
    return "".join(out)
