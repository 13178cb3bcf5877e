"""Dates typed in a query rank what was published then first, without
excluding the rest; from/to and year: still filter."""

import pytest

from search.engine import SearchRequest
from search.when import find_period

from .conftest import engine_over

DOCS = [
    ("flood-2020-10", "vi", "2020-10-12", "Lũ lụt nghiêm trọng ở miền Trung, hàng nghìn hộ dân phải sơ tán."),
    ("flood-2021-04", "vi", "2021-04-03", "Lũ lụt bất thường ở miền Trung giữa mùa khô."),
    ("flood-2021-09", "vi", "2021-09-20", "Lũ lụt tại miền Trung gây thiệt hại lớn cho nông dân."),
    ("flood-undated", "vi", None, "Năm 2021, lũ lụt ở miền Trung kéo dài nhiều tuần."),
    ("flood-1999", "en", "1999-11-05", "Floods in central Vietnam killed hundreds of people."),
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    with engine_over(tmp_path_factory.mktemp("dates"), [{"id": i, "lang": lang, "date": d, "text": t} for i, lang, d, t in DOCS]) as engine:
        yield engine


def ids(engine, q, **kw):
    return [h.id for h in engine.search(SearchRequest(q=q, **kw)).hits]


def test_periods_typed_every_way():
    assert find_period("tháng 9/2023").label == find_period("September 2023").label == "2023-09"
    assert find_period("năm 2021").label == find_period("2021").label == "2021"
    assert find_period("12/2024").label == "2024-12" and find_period("14/9/2023").label == "2023-09-14"
    assert find_period("30/4") is None and find_period("13/2024") is None


def test_a_year_boosts_without_excluding(engine):
    found = ids(engine, "lũ lụt miền Trung năm 2021")
    assert set(found[:3]) == {"flood-2021-04", "flood-2021-09", "flood-undated"}
    assert "flood-2020-10" in found  # another year still found, below
    response = engine.search(SearchRequest(q="lũ lụt miền Trung năm 2021"))
    assert {"text": "năm 2021", "kind": "date", "value": "2021"} in response.understood


def test_a_month_ranks_that_month_first_then_its_year(engine):
    found = ids(engine, "lũ lụt miền Trung tháng 4/2021")
    assert found[0] == "flood-2021-04"
    assert found.index("flood-2021-09") < found.index("flood-2020-10")


def test_filters_still_filter(engine):
    assert set(ids(engine, "lũ lụt", date_from="2021", date_to="2021")) == {"flood-2021-04", "flood-2021-09"}
    assert set(ids(engine, "lũ lụt year:2020")) == {"flood-2020-10"}


def test_a_date_alone_finds_what_was_published_then(engine):
    assert set(ids(engine, "2021")) == {"flood-2021-04", "flood-2021-09", "flood-undated"}
