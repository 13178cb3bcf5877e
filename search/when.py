"""Dates typed in a query: ``2023``, ``năm 2021``, ``September 2023``,
``tháng 9/2023``, ``12/2024``, ``14/9/2023``, ``2023-09``.

A date in a query says when the articles wanted were published: it ranks
the articles of that period first (see :mod:`search.engine`), without
excluding the others; ``from``, ``to`` and ``year:`` still filter. A day and
month without a year (``30/4``) is a holiday or an event, not a period, and
stays a word.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

__all__ = ["Period", "find_period"]

_MONTHS = {name: i for i, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
    ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
    ("october", "oct"), ("november", "nov"), ("december", "dec")), 1) for name in names}
_YEAR = r"(1[89]\d\d|20\d\d)"
_MONTH_NAME = "|".join(sorted(_MONTHS, key=len, reverse=True))
_PATTERNS = [
    # 2023, năm 2021, in 2005
    (re.compile(rf"(?:năm |nam |in )?{_YEAR}", re.I), ("year",)),
    # September 2023, Sept. 2023, September of 2023
    (re.compile(rf"({_MONTH_NAME})\.?,? (?:of )?{_YEAR}", re.I), ("month_name", "year")),
    # tháng 9/2023, tháng 9 năm 2023, 9/2023, 09-2023
    (re.compile(rf"(?:tháng |thang )?(\d{{1,2}})(?:/| năm | nam |-){_YEAR}", re.I), ("month", "year")),
    # 14/9/2023, ngày 14/9/2023, 14 tháng 9 năm 2023
    (re.compile(rf"(?:ngày |ngay )?(\d{{1,2}})(?:/|-| tháng | thang )(\d{{1,2}})(?:/|-| năm | nam ){_YEAR}", re.I),
     ("day", "month", "year")),
    # September 14, 2023 / 14 September 2023
    (re.compile(rf"({_MONTH_NAME})\.? (\d{{1,2}}),? {_YEAR}", re.I), ("month_name", "day", "year")),
    (re.compile(rf"(\d{{1,2}}) ({_MONTH_NAME})\.?,? {_YEAR}", re.I), ("day", "month_name", "year")),
    # 2023-09, 2023-09-14
    (re.compile(rf"{_YEAR}-(\d{{1,2}})(?:-(\d{{1,2}}))?"), ("year", "month", "day")),
]


@dataclass(frozen=True)
class Period:
    start: int  # YYYYMMDD
    end: int
    year: int
    label: str  # 2023, 2023-09 or 2023-09-14

    @property
    def whole_year(self) -> bool:
        return len(self.label) == 4


def find_period(text: str) -> Period | None:
    """The period ``text`` names, when all of it is a date (else None)."""
    text = " ".join(text.split())
    for pattern, parts in _PATTERNS:
        m = pattern.fullmatch(text)
        if not m:
            continue
        values = dict(zip(parts, m.groups()))
        year = int(values["year"])
        month = _MONTHS[values["month_name"].lower()] if values.get("month_name") else (
            int(values["month"]) if values.get("month") else None)
        day = int(values["day"]) if values.get("day") else None
        if month is not None and not 1 <= month <= 12:
            return None
        if month is None:
            return Period(year * 10000 + 101, year * 10000 + 1231, year, str(year))
        last = calendar.monthrange(year, month)[1]
        if day is None:
            return Period(year * 10000 + month * 100 + 1, year * 10000 + month * 100 + last, year,
                          f"{year}-{month:02d}")
        if not 1 <= day <= last:
            return None
        value = year * 10000 + month * 100 + day
        return Period(value, value, year, f"{year}-{month:02d}-{day:02d}")
    return None
