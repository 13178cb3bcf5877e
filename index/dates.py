"""Publication dates: find the line that states one, then parse it with dateparser.

News text is full of dates. The publication date is the one on a line of its
own near the top (``Thứ Sáu, 17/09/2021, 20:23``, ``Xinhua) 13:34, September
14, 2023``); dates inside the story (``Sept. 13``, ``Feb 19``) lack a year or
sit in running text, and are not publication dates. :data:`DATE_IN_LINE`
finds full dates (day, month and year); :func:`is_date_line` decides whether
a paragraph is such a line; :func:`parse_date` turns the date into a
``datetime.date`` with dateparser, day first as both languages write it.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import regex

__all__ = ["DATE_IN_LINE", "is_date_line", "date_line_residue", "parse_date", "parse_iso_date",
           "parse_period", "DATE_PATTERN", "PERIOD_PATTERN"]

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
DATE_IN_LINE = regex.compile(
    r"(?<!\d)(?:"
    r"\d{4}-\d{1,2}-\d{1,2}"                                  # 2023-09-14
    r"|\d{1,2}[/.-]\d{1,2}[/.-]\d{4}"                         # 17/09/2021
    rf"|{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"   # September 14, 2023
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\.?,?\s+\d{{4}}"   # 14 September 2023
    r"|ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}"        # ngày 17 tháng 9 năm 2021
    r")(?!\d)",
    regex.IGNORECASE,
)
_TIME = regex.compile(r"(?<!\d)\d{1,2}[:h]\d{2}(?::\d{2})?\s*(?:AM|PM|SA|CH)?(?:\s*\(?(?:GMT|UTC)\s*[+-]\s*\d{1,2}\)?)?", regex.IGNORECASE)
_WEEKDAY = regex.compile(
    r"\b(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\b\.?"
    r"|\b(?:Thứ\s+(?:Hai|Ba|Tư|Năm|Sáu|Bảy|2|3|4|5|6|7)|Chủ\s+[Nn]hật|CN|T[2-7])\b",
    regex.IGNORECASE,
)
_LABEL = regex.compile(r"\b(?:Updated|Published|Posted|Cập nhật|Đăng|Ngày đăng)\b", regex.IGNORECASE)
_WORDS = regex.compile(r"[\p{L}\p{N}]+")


def date_line_residue(para: str) -> list[str]:
    """The words of ``para`` that are not its date, time, weekday or label."""
    rest = DATE_IN_LINE.sub(" ", para)
    rest = _TIME.sub(" ", rest)
    rest = _WEEKDAY.sub(" ", rest)
    rest = _LABEL.sub(" ", rest)
    return _WORDS.findall(rest)


def is_date_line(para: str) -> bool:
    """True for a short paragraph that is a full date plus at most a source,
    a time, a weekday and a label, such as a publication line."""
    if len(para) > 100 or not DATE_IN_LINE.search(para):
        return False
    return len(date_line_residue(para)) <= 2


@lru_cache(maxsize=4096)
def parse_date(text: str) -> dt.date | None:
    """Parse the first full date in ``text`` (day first), or None."""
    match = DATE_IN_LINE.search(text)
    if not match:
        return None
    found = match.group()
    if regex.match(r"\d{4}-", found):
        try:
            return parse_iso_date(found)
        except ValueError:
            return None
    import dateparser  # slow to import; only lines that hold a date need it

    parsed = dateparser.parse(
        found,
        languages=["en", "vi"],
        settings={"DATE_ORDER": "DMY", "REQUIRE_PARTS": ["day", "month", "year"]},
    )
    return parsed.date() if parsed else None


# What parse_period and parse_iso_date accept, as regular expressions for
# the API description (every real date from year 1 to 9999, leap days
# included, and nothing else).
_YEAR_RE = r"(\d{3}[1-9]|\d{2}[1-9]0|\d[1-9]00|[1-9]000)"
_LEAP_RE = r"(\d{2}(0[48]|[2468][048]|[13579][26])|([2468][048]|[13579][26]|0[48])00)"
_MONTH_DAY_RE = (r"((0?[13578]|1[02])-(0?[1-9]|[12]\d|3[01])|(0?[469]|11)-(0?[1-9]|[12]\d|30)"
                 r"|0?2-(0?[1-9]|1\d|2[0-8]))")
_DATE_RE = rf"({_YEAR_RE}-{_MONTH_DAY_RE}|{_LEAP_RE}-0?2-29)"
# a date as a JSON document gives it: blank (no date), or a date and maybe a time
DATE_PATTERN = rf"^[ \t\r\n]*({_DATE_RE}([Tt ].*)?)?$"
PERIOD_PATTERN = rf"^({_YEAR_RE}(-(0?[1-9]|1[0-2]))?|{_DATE_RE})$"

# Year, month, day; month and day in one or two digits (2023-9-4 is as
# unambiguous as 2023-09-04). A time may follow after "T" or a space.
_ISO_DAY = regex.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?=$|[Tt ])")
_PERIOD = regex.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


def parse_iso_date(value: str) -> dt.date:
    """Parse an explicit ISO-like date: ``YYYY-MM-DD``, ``YYYY-M-D``, or
    either followed by a time (``2023-09-14T10:00:00Z``).

    Raises ``ValueError`` with the offending value when it is not one.
    """
    stripped = value.strip(" \t\r\n")
    m = _ISO_DAY.match(stripped)
    if not m:
        raise ValueError(f"date {stripped!r} is not YYYY-MM-DD")
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise ValueError(f"date {stripped!r} is not a real date") from None


def parse_period(value: str) -> tuple[int, int | None, int | None]:
    """``2023``, ``2023-09`` (or ``2023-9``) or ``2023-09-14`` (or
    ``2023-9-4``) as (year, month or None, day or None).

    Raises ``ValueError`` for anything else, or for a month or day that does
    not exist."""
    m = _PERIOD.fullmatch(value.strip())
    if not m:
        raise ValueError(f"{value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    year = int(m.group(1))
    month = int(m.group(2)) if m.group(2) else None
    day = int(m.group(3)) if m.group(3) else None
    try:
        dt.date(year, 1 if month is None else month, 1 if day is None else day)
    except ValueError:
        raise ValueError(f"{value!r} is not a real date") from None
    return year, month, day
