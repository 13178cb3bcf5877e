"""The publication date an article states: which lines of its head are date
lines, what each date on them is, and which one is the publication date.

News sites print the date in many shapes: ``Thứ Sáu, 17/09/2021, 20:23``,
``Xinhua) 13:34, September 14, 2023``, ``Published: 14:32 GMT, March 3, 2023
| Updated: 00:00 GMT, Jan 1, 1970``, ``By Jane Doe  March 4, 2024 | 10:15 am
PT``, ``Source: Xinhua | 2023-09-14 13:34:11 | Editor: Huaxia``,
``Mới nhất:2023-09-14 13:34:00``. :func:`read_date_line` decides whether a
paragraph is such a line: once its dates, times, time zones, weekdays,
labels and a byline's or credit's names are taken away, at most two words
(a source) or a few capitalised ones (a name) are left. Dates inside the
story (``Sept. 13``, ``held on September 14, 2023 in Beijing``) are not.

Each date on the line is labelled by the words before it: *published*
(``Published``, ``Posted``, ``Ngày đăng``), *updated* (``Updated``, ``Cập
nhật``, ``Mới nhất``, ``updatetime``), a *crawl* marker (``Retrieved``,
``Truy cập``: when a copy was taken, never a publication date), or nothing.
:func:`publication_date` prefers a published date, then an unlabelled one,
then an updated one, the earliest line first; it never believes a
placeholder (1970-01-01) or a date after the day of ingest.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import regex

from .dates import DATE_IN_LINE, MONTH_NAME, parse_date

__all__ = ["Stated", "DateLine", "Found", "read_date_line", "is_date_line", "publication_date",
           "is_placeholder", "RULES"]

PUBLISHED, PLAIN, UPDATED, CRAWLED = "published", "date line", "updated", "crawled"
# What ``Found.rule`` says, best first; "given" is a date the document came with.
RULES = ("given", "published", "byline", "date line", "updated")
_RANK = {PUBLISHED: 0, PLAIN: 1, UPDATED: 2}
# Dates no article was published on: what an empty timestamp prints as.
_PLACEHOLDERS = frozenset({dt.date(1970, 1, 1), dt.date(1969, 12, 31), dt.date(1900, 1, 1), dt.date(1, 1, 1)})

_NOT_LETTER = r"(?<![\p{L}])"
_LABELS = regex.compile(
    _NOT_LETTER + r"(?:"
    r"(?P<crawled>crawled|crawl(?:ed)?\s+(?:at|on)|retrieved|fetched|scraped|accessed|downloaded|archived"
    r"|truy\s+cập|thu\s+thập|lấy\s+về|lưu\s+trữ)"
    r"|(?P<updated>last\s+updated|last\s+modified|updated?(?:time|_at)?|modified|edited"
    r"|cập\s+nhật|mới\s+nhất|sửa\s+lần\s+cuối)"
    r"|(?P<published>first\s+published|published|publish(?:ed)?_?(?:time|date|at)|pubdate|posted|released"
    r"|ngày\s+đăng|đăng\s+(?:lúc|ngày|tải)|đăng|xuất\s+bản|phát\s+hành)"
    r")(?![\p{L}])",
    regex.IGNORECASE,
)
# Words a date line may hold besides its dates: times, zones, weekdays,
# prepositions and the labels of other furniture (source, editor).
_TIME = regex.compile(
    r"(?<!\d)\d{1,2}[:h.]\d{2}(?:[:.]\d{2})?(?:\.\d+)?\s*(?:[AaPp]\.?\s?[Mm]\b\.?|SA\b|CH\b)?",
)
_ZONE = regex.compile(
    r"\(?\b(?:GMT|UTC)\s*(?:[+-]\s*\d{1,2}(?::?\d{2})?)?\)?"
    r"|\b(?:ICT|BST|CET|CEST|EST|EDT|ET|PT|PST|PDT|CST|CDT|HKT|SGT|JST|KST|IST|AEST|AEDT|Z)\b"
    r"|\bBeijing\s+[Tt]ime\b|\b[Gg]iờ\s+Hà\s+Nội\b",
)
_DAY = r"(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?"
_WEEKDAY = regex.compile(
    rf"\b{_DAY}\b\.?|\b(?:Thứ\s+(?:Hai|Ba|Tư|Năm|Sáu|Bảy|2|3|4|5|6|7)|Chủ\s+[Nn]hật|CN|T[2-7])\b",
    regex.IGNORECASE,
)
_AGO = regex.compile(r"\b\d+\s+(?:hours?|hrs?|minutes?|mins?|days?|giờ|phút|ngày)\s+(?:ago|trước)\b", regex.IGNORECASE)
_FILLER = regex.compile(
    r"\b(?:at|on|date|time|lúc|ngày|vào|source|nguồn|editor|editors|biên\s+tập|theo)\b", regex.IGNORECASE,
)
# "By Jane Doe and Tom Lee" at the start of the line.
_NAME_WORD = rf"(?!(?:{MONTH_NAME}|{_DAY})\b)\p{{Lu}}[\p{{L}}.'’-]*"
_BYLINE = regex.compile(rf"^\s*By\s+(?P<names>{_NAME_WORD}(?:\s+(?:and\s+)?{_NAME_WORD}){{0,5}})")
_WORDS = regex.compile(r"[\p{L}\p{N}]+")
_MAX_LENGTH = 200


@dataclass(frozen=True)
class Stated:
    """One date a date line states, and what its label says it is."""

    date: dt.date | None  # None: the text is no real date
    kind: str  # PUBLISHED, PLAIN, UPDATED or CRAWLED


@dataclass(frozen=True)
class DateLine:
    text: str
    dates: tuple[Stated, ...]
    byline: str | None  # the names after "By", when the line opens with them
    residue: tuple[str, ...]  # the words left: a source, a name


@dataclass(frozen=True)
class Found:
    """The publication date and the rule that found it (one of RULES)."""

    date: dt.date
    rule: str
    line: str


def is_placeholder(date: dt.date) -> bool:
    """A date an empty timestamp prints as (1970-01-01), never a real one."""
    return date in _PLACEHOLDERS


def _residue(text: str) -> list[str]:
    for pattern in (DATE_IN_LINE, _AGO, _TIME, _ZONE, _WEEKDAY, _LABELS, _FILLER):
        text = pattern.sub(" ", text)
    return _WORDS.findall(text)


def read_date_line(para: str) -> DateLine | None:
    """``para`` read as a date line, or ``None`` when it is not one: a short
    paragraph holding a full date and, besides, at most two words or up to
    four capitalised ones (a source, an author)."""
    if len(para) > _MAX_LENGTH:
        return None
    matches = list(DATE_IN_LINE.finditer(para))
    if not matches:
        return None
    text = para
    byline = _BYLINE.match(para)
    if byline:
        text = para[byline.end():]
    residue = _residue(text)
    capitalised = all(w[:1].isupper() for w in residue)
    if len(residue) > 2 and not (capitalised and len(residue) <= 4 and len(para) <= 100):
        return None
    dates, start = [], 0
    for match in matches:
        labels = list(_LABELS.finditer(para, start, match.start()))
        kind = PLAIN
        if labels:
            last = labels[-1]
            kind = next(k for k in (PUBLISHED, UPDATED, CRAWLED) if last.group(k))
        dates.append(Stated(parse_date(match.group()), kind))
        start = match.end()
    return DateLine(para, tuple(dates), byline.group("names") if byline else None, tuple(residue))


def is_date_line(para: str) -> bool:
    """True for a short paragraph that states a date and little else."""
    return read_date_line(para) is not None


def publication_date(lines: list[str], today: dt.date) -> Found | None:
    """The publication date stated by the article's date lines (in order),
    or ``None``: a published date first, then an unlabelled one, then an
    updated one, never a crawl date, a placeholder or a date after
    ``today``."""
    best: tuple[int, int, Found] | None = None
    for order, para in enumerate(lines):
        line = read_date_line(para)
        if line is None:
            continue
        for stated in line.dates:
            date = stated.date
            if stated.kind == CRAWLED or date is None or is_placeholder(date) or date > today:
                continue
            rank = _RANK[stated.kind]
            rule = stated.kind if stated.kind != PLAIN else ("byline" if line.byline else PLAIN)
            if best is None or (rank, order) < best[:2]:
                best = (rank, order, Found(date, rule, para))
    return best[2] if best else None
