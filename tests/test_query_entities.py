"""Query understanding: people by a role and a short name, places and
organisations in either language, each one concept, and said back in
``understood``."""

import pytest

from search.engine import SearchRequest

from .conftest import articles, engine_over

DOCS = [
    ("trong", "vi", "Tổng Bí thư Nguyễn Phú Trọng tiếp đoàn đại biểu Quốc hội tại Hà Nội."),
    ("trong-singer", "vi", "Ca sĩ Trọng Tấn biểu diễn tại Nhà hát Lớn."),
    ("keqiang", "en", "Premier Li Keqiang visited Hanoi and met Vietnamese leaders on trade."),
    ("liqiang", "en", "Chinese Premier Li Qiang chaired a State Council meeting in Beijing."),
    ("putin", "vi", "Tổng thống Nga Vladimir Putin phát biểu tại Moskva về kinh tế."),
    ("beijing", "en", "Beijing hosted the trade fair for the first time since the pandemic."),
    ("soviet", "en", "Traders said the Soviet Union bought white sugar for March shipment."),
    ("lien-xo", "vi", "Liên Xô mua thêm lúa mì của Canada trong tháng Ba."),
    ("burma", "en", "Floods in Burma left thousands homeless, the Red Cross said."),
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    with engine_over(tmp_path_factory.mktemp("entities"), articles(DOCS)) as engine:
        yield engine


def search(engine, q):
    response = engine.search(SearchRequest(q=q))
    return [h.id for h in response.hits], response.understood


def test_a_form_of_address_and_a_given_name(engine):
    ids, understood = search(engine, "ông Trọng")
    assert ids == ["trong"]
    assert understood == [{"text": "ông Trọng", "kind": "person", "value": "nguyen-phu-trong"}]
    assert search(engine, "ong trong")[0] == ["trong"]


def test_a_role_and_a_family_name_that_two_people_share(engine):
    ids, understood = search(engine, "Premier Li")
    assert set(ids) == {"keqiang", "liqiang"}
    assert {u["value"] for u in understood} == {"li-keqiang", "li-qiang"}


def test_a_vietnamese_title_and_a_foreign_name(engine):
    ids, understood = search(engine, "Tổng thống Putin")
    assert ids == ["putin"] and understood[0]["value"] == "vladimir-putin"


def test_a_place_in_the_other_language(engine):
    ids, understood = search(engine, "Bắc Kinh")
    assert set(ids) == {"beijing", "liqiang"}
    assert understood == [{"text": "Bắc Kinh", "kind": "place", "value": "Beijing"}]


def test_a_role_alone_is_not_a_person(engine):
    ids, understood = search(engine, "premier")
    assert all(u["kind"] != "person" for u in understood) and set(ids) == {"keqiang", "liqiang"}


def test_a_country_by_its_older_name_in_either_language(engine):
    ids, understood = search(engine, "Russia")
    assert {"soviet", "lien-xo", "putin"} <= set(ids)
    assert understood[0]["kind"] == "country" and understood[0]["value"] == "Russia"
    assert search(engine, "Myanmar")[0] == ["burma"]
