"""Chinese names across scripts: a Chinese official written only in the
Sino-Vietnamese reading (Lý Cán Kiệt) is the person the English articles
name in pinyin (Li Ganjie) when the archive holds exactly one such name, and
stays apart when it holds none or several."""

import json

import pytest

from index.document import Article, Person
from index.hanviet import ArchiveNames, HanViet
from index.people import PeopleRegistry, _compact
from index.store import IndexStore
from index.writer import add, rebuild

ENGLISH = {"id": "en1", "lang": "en", "title": "China names new environment minister",
           "text": "BEIJING -- China appointed Li Ganjie as minister of ecology and environment on Monday. "
                   "Li said pollution control would stay a priority."}
VIETNAMESE = {"id": "vi1", "lang": "vi", "title": "Trung Quốc bổ nhiệm bộ trưởng mới",
              "text": "Bắc Kinh hôm qua bổ nhiệm ông Lý Cán Kiệt làm Bộ trưởng Sinh thái và Môi trường "
                      "Trung Quốc. Ông cho biết sẽ ưu tiên kiểm soát ô nhiễm."}
# A Vietnamese businessman in an article about China: no pinyin name of the
# archive reads so, so he keeps his own key.
BUSINESSMAN = {"id": "vi2", "lang": "vi", "title": "Doanh nghiệp Việt sang Trung Quốc",
               "text": "Ông Lý Văn Hùng, giám đốc công ty, dẫn đoàn doanh nghiệp sang Trung Quốc tìm hiểu thị trường."}


@pytest.fixture(scope="module")
def hanviet():
    return HanViet()


def test_the_registrys_sino_vietnamese_names_read_back_as_their_pinyin(hanviet):
    registry = PeopleRegistry.load()
    pairs = [(p, alias) for p in registry.people.values() if p.country == "CN" for alias in p.aliases
             if not alias.isascii() and all(c.isalpha() or c == " " for c in alias)
             and not any("\u4e00" <= c <= "\u9fff" for c in alias)]
    found = [alias for p, alias in pairs if _compact(p.name.split()) in hanviet.pinyin_names(alias.split())]
    assert len(pairs) >= 60
    assert len(found) >= 0.95 * len(pairs)


def test_readings_of_a_name(hanviet):
    assert "liganjie" in hanviet.pinyin_names(["Lý", "Cán", "Kiệt"])
    assert "xijinping" in hanviet.pinyin_names(["Tập", "Cận", "Bình"])
    assert "lixi" in hanviet.pinyin_names(["Lý", "Hy"])  # Hy is written Hi too
    assert hanviet.pinyin_names(["Li", "Ganjie"]) == []  # not Vietnamese


def _write(path, docs):
    path.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in docs), encoding="utf-8")
    return path


def _people(store):
    ix = store.open()
    with ix.searcher() as searcher:
        return {f["id"]: (f.get("persons"), f.get("spellings")) for f in searcher.all_stored_fields()}


def test_a_rebuild_links_the_reading_to_the_pinyin_name_of_the_archive(tmp_path):
    store = IndexStore(tmp_path / "ix")
    report = rebuild(store, [_write(tmp_path / "a.jsonl", [VIETNAMESE, ENGLISH, BUSINESSMAN])], procs=1)
    assert report.ok and report.indexed == 3 and report.linked_names == 1
    people = _people(store)
    assert people["vi1"] == ([["li-ganjie", "Li Ganjie"]], {"li-ganjie": ["Lý Cán Kiệt"]})
    assert people["vi2"][0] == [["ly-van-hung", "Lý Văn Hùng"]]


def test_an_addition_links_to_a_name_already_indexed(tmp_path):
    store = IndexStore(tmp_path / "ix")
    assert rebuild(store, [_write(tmp_path / "en.jsonl", [ENGLISH])], procs=1).ok
    report = add(store, [_write(tmp_path / "vi.jsonl", [VIETNAMESE])], procs=1)
    assert report.linked_names == 1
    assert _people(store)["vi1"][0] == [["li-ganjie", "Li Ganjie"]]


def test_without_the_pinyin_name_the_reading_stays_apart(tmp_path):
    store = IndexStore(tmp_path / "ix")
    report = rebuild(store, [_write(tmp_path / "vi.jsonl", [VIETNAMESE])], procs=1)
    assert report.linked_names == 0
    assert _people(store)["vi1"][0] == [["ly-can-kiet", "Lý Cán Kiệt"]]


def test_two_pinyin_names_that_both_read_so_leave_it_apart():
    names = ArchiveNames()
    names.learn_keys(["li-ganjie", "li-hanjie"])  # Cán reads gan and han
    article = Article(id="x", title=None, text="", lang="vi", persons=[Person("ly-can-kiet", "Lý Cán Kiệt")],
                      spellings={"ly-can-kiet": ["Lý Cán Kiệt"]},
                      chinese_readings={"ly-can-kiet": tuple(HanViet().pinyin_names(["Lý", "Cán", "Kiệt"]))})
    assert names.link(article) == 0
    assert article.persons == [Person("ly-can-kiet", "Lý Cán Kiệt")]
