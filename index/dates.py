"""Dates as articles and users write them.

:data:`DATE_IN_LINE` finds full dates (day, month and year) in a line of
text; :func:`parse_date` turns one into a ``datetime.date`` with dateparser,
day first as both languages write it (which line states the publication
date is :mod:`index.published`'s work). :func:`parse_iso_date` and
:func:`parse_period` read the explicit dates of documents and filters.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import regex

__all__ = ["DATE_IN_LINE", "MONTH_NAME", "parse_date", "parse_iso_date",
           "parse_period", "DATE_PATTERN", "PERIOD_PATTERN"]

MONTH_NAME = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
DATE_IN_LINE = regex.compile(
    r"(?<!\d)(?:"
    r"\d{4}-\d{1,2}-\d{1,2}|\d{4}/\d{1,2}/\d{1,2}"              # 2023-09-14, 2023/09/14
    r"|\d{1,2}[/.-]\d{1,2}[/.-]\d{4}"                         # 17/09/2021
    rf"|{MONTH_NAME}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"   # September 14, 2023
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH_NAME}\.?,?\s+\d{{4}}"   # 14 September 2023
    r"|ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}"        # ngày 17 tháng 9 năm 2021
    r")(?:(?!\d)|(?=\d{1,2}:\d{2}))",                         # a time may follow unspaced
    regex.IGNORECASE,
)


@lru_cache(maxsize=4096)
def parse_date(text: str) -> dt.date | None:
    """Parse the first full date in ``text`` (day first), or None."""
    match = DATE_IN_LINE.search(text)
    if not match:
        return None
    found = match.group()
    if regex.match(r"\d{4}[-/]", found):
        try:
            return parse_iso_date(found.replace("/", "-"))
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
