"""Dates with a one-digit month or day (2023-9-14, 2023-9-4) are read
everywhere a date is read: headers, date lines, JSON values, API bounds."""

import datetime as dt
import json

import pytest

from index.dates import parse_date, parse_iso_date, parse_period
from index.store import IndexStore
from index.writer import rebuild


@pytest.mark.parametrize("value, expected", [
    ("2023-9-14", dt.date(2023, 9, 14)), ("2023-9-4", dt.date(2023, 9, 4)),
    ("2023-09-04", dt.date(2023, 9, 4)), ("2023-12-4T08:30:00+07:00", dt.date(2023, 12, 4)),
    (" 2024-1-31 10:00", dt.date(2024, 1, 31)),
])
def test_iso_like_dates(value, expected):
    assert parse_iso_date(value) == expected


@pytest.mark.parametrize("value, message", [
    ("2023-9-31", "not a real date"), ("2023-13-1", "not a real date"),
    ("14-9-2023", "not YYYY-MM-DD"), ("2023-9-14x", "not YYYY-MM-DD"), ("2023-914", "not YYYY-MM-DD"),
])
def test_bad_dates_say_why(value, message):
    with pytest.raises(ValueError, match=message):
        parse_iso_date(value)


def test_periods():
    assert parse_period("2023") == (2023, None, None)
    assert parse_period("2023-9") == (2023, 9, None)
    assert parse_period("2023-9-4") == (2023, 9, 4)
    with pytest.raises(ValueError):
        parse_period("2023-0")


def test_a_date_line_with_one_digit_parts():
    assert parse_date("2023-9-4 10:15") == dt.date(2023, 9, 4)


def test_files_with_one_digit_dates_are_indexed(tmp_path):
    (tmp_path / "a.txt").write_text("date 2023-9-14 Ministers meet in Hanoi\n\n"
                                    "HANOI - The ministers met on Thursday to discuss trade.\n",
                                    encoding="utf-8")
    (tmp_path / "b.txt").write_text("Rice exports rise\n\n2023-9-4 10:15\n\n"
                                    "Rice exports rose sharply this month, traders said.\n", encoding="utf-8")
    (tmp_path / "c.jsonl").write_text(json.dumps({"id": "c", "text": "Coffee prices fell.",
                                                  "date": "2024-1-5"}) + "\n", encoding="utf-8")
    store = IndexStore(tmp_path / "ix")
    report = rebuild(store, [tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "c.jsonl"], procs=1)
    assert report.ok, [str(r) for r in report.rejected]
    with store.open().searcher() as s:
        dates = {s.stored_fields(n)["id"]: s.stored_fields(n).get("date") for n in s.reader().all_doc_ids()}
    assert dates == {"a.txt": "2023-09-14", "b.txt": "2023-09-04", "c": "2024-01-05"}


def test_search_bounds_and_month_filter_take_one_digit_parts(client):
    def total(**params):
        response = client.get("/api/search", query_string=params)
        assert response.status_code == 200, response.get_json()
        return response.get_json()["total"]

    assert total(**{"from": "2023-9", "to": "2023-9-30"}) == total(**{"from": "2023-09", "to": "2023-09-30"}) == 1
    assert total(month="2023-9") == total(month="2023-09") == 1
    assert total(q="month:2023-9") == 1
    bad = client.get("/api/search?from=2023-9-31")
    assert bad.status_code == 400 and "not a real date" in bad.get_json()["detail"]


def test_the_described_patterns_match_exactly_the_dates_accepted():
    import re

    from index.dates import DATE_PATTERN, PERIOD_PATTERN

    date_re, period_re = re.compile(DATE_PATTERN), re.compile(PERIOD_PATTERN)
    for year in (1, 4, 100, 400, 1900, 1999, 2000, 2023, 2024, 2100, 9999):
        for month in range(0, 14):
            for day in range(0, 33):
                for text in (f"{year:04d}-{month}-{day}", f"{year:04d}-{month:02d}-{day:02d}"):
                    try:
                        dt.date(year, month, day)
                        real = True
                    except ValueError:
                        real = False
                    assert bool(date_re.match(text)) == real, text
                    assert bool(period_re.match(text)) == real, text
                    if real:
                        assert parse_iso_date(text) == dt.date(year, month, day)
                        assert parse_period(text) == (year, month, day)
            assert bool(period_re.match(f"{year:04d}-{month}")) == (1 <= month <= 12)
    assert not period_re.match("0000") and not date_re.match("0000-01-01")
    assert date_re.match("2023-09-14T10:00:00Z") and not date_re.match("2023-09-14x")
