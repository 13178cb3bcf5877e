"""People: one key per person across spellings, scripts and short forms;
credits, places and things named after people are not people."""

import pytest

from index.ingest import Extractor
from index.people import NameShapes, PeopleRegistry, PersonExtractor


@pytest.fixture(scope="module")
def people():
    return PersonExtractor(PeopleRegistry.load(), NameShapes.load())


def keys(people, *segments, credits=()):
    return [p.key for p in people.extract(list(segments), list(credits)).persons]


def test_every_spelling_of_to_lam_is_one_person(people):
    english = people.extract(["General To Lam met the delegation. TO LAM ATTENDED. "
                              "Minister Lam thanked them. Lam added that more would follow."])
    assert [(p.key, p.label) for p in english.persons] == [("to-lam", "Tô Lâm")]
    assert english.spellings["to-lam"] == ["To Lam", "TO LAM", "Minister Lam", "Lam"]
    vietnamese = people.extract(["Tổng Bí thư Tô Lâm tiếp đoàn đại biểu. Ông Lâm nhấn mạnh quan hệ hai nước.",
                                 "Lâm cho biết thêm."])
    assert [(p.key, p.label) for p in vietnamese.persons] == [("to-lam", "Tô Lâm")]
    assert vietnamese.spellings["to-lam"] == ["Tô Lâm", "Ông Lâm", "Lâm"]


def test_a_different_word_is_not_a_short_form(people):
    found = people.extract(["Ông Nguyễn Văn Thắng phát biểu. Tháng trước, ông Thắng đã đến Hà Nội."])
    assert found.spellings == {"nguyen-van-thang": ["Nguyễn Văn Thắng", "Thắng"]}


def test_trong_in_three_spellings(people):
    found = people.extract(["Nguyen Phu Trong spoke first.", "Later Nguyễn Phú Trọng met them. Trọng smiled."])
    assert [p.key for p in found.persons] == ["nguyen-phu-trong"]
    assert found.spellings["nguyen-phu-trong"] == ["Nguyen Phu Trong", "Nguyễn Phú Trọng", "Trọng"]


@pytest.mark.parametrize("reading, key, label", [
    ("Tập Cận Bình", "xi-jinping", "Xi Jinping"),
    ("Thái Kỳ", "cai-qi", "Cai Qi"),
    ("Vương Nghị", "wang-yi", "Wang Yi"),
    ("Triệu Khắc Chí", "zhao-kezhi", "Zhao Kezhi"),
])
def test_sino_vietnamese_readings(people, reading, key, label):
    found = people.extract([f"Hôm qua, ông {reading} đã tiếp đoàn đại biểu Việt Nam."])
    assert [(p.key, p.label) for p in found.persons] == [(key, label)]


def test_short_forms_remember_name_order(people):
    assert keys(people, "Cai Qi met Truong Thi Mai in Hanoi.", "Mai said ties were strong. Cai agreed.") == [
        "cai-qi", "truong-thi-mai"]
    found = people.extract(["Zhao Kezhi met Nguyen Xuan Phuc.", "Zhao said both sides would cooperate."])
    assert found.spellings["zhao-kezhi"] == ["Zhao Kezhi", "Zhao"]


def test_short_form_needs_a_full_mention(people):
    assert keys(people, "Minister Lam spoke. Cai said nothing.") == []


def test_discovered_vietnamese_names(people):
    found = people.extract(["Bộ trưởng Nguyễn Văn Thắng và ông Đặng Quốc Khánh dự họp. Ông Thắng cho biết."])
    assert [(p.key, p.label) for p in found.persons] == [
        ("nguyen-van-thang", "Nguyễn Văn Thắng"), ("dang-quoc-khanh", "Đặng Quốc Khánh")]
    assert found.spellings["nguyen-van-thang"] == ["Nguyễn Văn Thắng", "Ông Thắng"]


def test_discovered_vietnamese_name_keeps_the_diacritics_it_was_given(people):
    found = people.extract(["Deputy Minister Tran Quoc Phuong spoke.", "Ông Trần Quốc Phương nói thêm."])
    assert [(p.key, p.label) for p in found.persons] == [("tran-quoc-phuong", "Trần Quốc Phương")]


def test_discovered_chinese_names_take_pinyin_form(people):
    found = people.extract(["Vice Minister Sun Weidong met Xie Chun Tao and Chen Yiqin. Sun said."])
    labels = {p.key: p.label for p in found.persons}
    assert labels["sun-weidong"] == "Sun Weidong"
    assert labels["xie-chuntao"] == "Xie Chuntao"
    assert labels["chen-yiqin"] == "Chen Yiqin"
    assert found.spellings["sun-weidong"] == ["Sun Weidong", "Sun"]


def test_names_after_a_title_cue(people):
    assert keys(people, "Prime Minister Anthony Albanese welcomed the guests.") == ["anthony-albanese"]
    assert keys(people, "The Prime Minister welcomed Anthony Albanese.") == []


def test_credits_are_not_people(people):
    caption = "Cai Qi meets To Lam in Beijing, Sept. 13, 2023."
    assert keys(people, caption, credits=["Li Tao (photo)"]) == ["cai-qi", "to-lam"]
    assert keys(people, "Reporting by Zhang Wei.", credits=["Zhang Wei (reporter)"]) == []


def test_credits_never_reach_extraction_through_the_layout():
    extractor = Extractor()
    from index.document import Origin, Record

    text = ("Cai Qi meets To Lam in Beijing. (Xinhua/Li Tao)\n\n"
            "BEIJING (Xinhua) -- Cai Qi met To Lam on Wednesday.\n\n"
            "(Web editor: Zhang Kaiwei, Liang Jun)")
    article = extractor.article(Record(Origin("x"), "x", text, title="Talks"))
    assert [p.key for p in article.persons] == ["cai-qi", "to-lam"]
    assert article.credits == ["Li Tao (photo)", "Zhang Kaiwei (web editor)", "Liang Jun (web editor)"]


@pytest.mark.parametrize("text", [
    "Tourists flocked to Ho Chi Minh City for the holiday.",
    "Visitors came to the Hồ Chí Minh Relic Site in the morning.",
    "Traffic was heavy on Le Duan Street and on đường Lê Duẩn.",
    "Hàng nghìn người đổ về TP Hồ Chí Minh dịp lễ.",
])
def test_places_and_things_named_after_people(people, text):
    assert keys(people, text) == []


def test_places_sharing_a_syllable_with_a_person(people):
    text = ("Cai Qi met Lương Tam Quang and Lê Hoài Trung. "
            "They later visited Lào Cai, Quảng Ninh and Trung Quốc, and Lao Cai again.")
    found = people.extract([text])
    assert [p.key for p in found.persons] == ["cai-qi", "luong-tam-quang", "le-hoai-trung"]
    assert found.spellings == {"cai-qi": ["Cai Qi"], "luong-tam-quang": ["Lương Tam Quang"],
                               "le-hoai-trung": ["Lê Hoài Trung"]}


def test_organisations_and_headline_case_are_not_people(people):
    assert keys(people, "The Communist Party of Vietnam and the Belt and Road Initiative in Hebei Province.") == []
    assert keys(people, "Vietnam And China Sign Trade Deal In Ha Long") == []


def test_registry_can_be_extended_without_code(tmp_path):
    extra = tmp_path / "more.toml"
    extra.write_text('[[person]]\nkey = "nguyen-thi-a"\nname = "Nguyễn Thị A"\ncountry = "VN"\n'
                     'short = ["A"]\naliases = ["Annie Nguyen"]\n', encoding="utf-8")
    people = PersonExtractor(PeopleRegistry.load(extra), NameShapes.load())
    found = people.extract(["Ms Annie Nguyen attended."])
    assert [(p.key, p.label) for p in found.persons] == [("nguyen-thi-a", "Nguyễn Thị A")]


def test_registry_covers_the_seed_people():
    registry = PeopleRegistry.load()
    for name in ("Tô Lâm", "Cai Qi", "Trương Thị Mai", "Wang Yi", "Guo Shengkun", "Lương Tam Quang",
                 "Nguyễn Duy Ngọc", "Zhao Kezhi", "Lê Hoài Trung", "Nguyễn Phú Trọng", "Xi Jinping",
                 "Xie Chuntao", "Nguyễn Xuân Phúc"):
        assert registry.find(name) is not None, name
    assert 80 <= len(registry.people) <= 200
