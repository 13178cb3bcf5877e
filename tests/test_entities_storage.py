"""People, topics and dates are stored as facet fields, shown, and exported
in a form that rebuild reads back without loss."""

import json

from whoosh.query import Term

from api.cli import main
from index.ingest import Extractor
from index.store import IndexStore
from index.writer import rebuild

from .conftest import SEEDS, seed_labels


def ids_for(store, field, value):
    ix = store.open()
    with ix.searcher() as s:
        return sorted(hit["id"][:3] for hit in s.search(Term(field, value), limit=None))


def test_facet_fields_are_indexed(seed_store):
    assert ids_for(seed_store, "person", "to-lam") == ["000", "002"]
    assert ids_for(seed_store, "person", "cai-qi") == ["000", "001", "003"]
    assert ids_for(seed_store, "topic", "security-law-enforcement") == ["000", "002", "004"]
    assert ids_for(seed_store, "topic", "politics") == ["000", "001", "002", "003", "004"]  # a parent
    assert ids_for(seed_store, "year", "2021") == ["002", "004"]
    assert ids_for(seed_store, "month", "2023-09") == ["000"]
    assert ids_for(seed_store, "lang", "en") == ["000", "001", "002", "003", "004"]
    assert ids_for(seed_store, "source", "Viet Nam News (VNS)") == ["003"]


def test_stored_fields_carry_labels(seed_store):
    ix = seed_store.open()
    with ix.searcher() as s:
        doc = s.document(id="002_a4934a66a2df4270.txt")
    assert doc["persons"][0] == ["to-lam", "Tô Lâm"]
    assert doc["spellings"]["to-lam"] == ["To Lam", "Minister Lam"]
    assert set(seed_labels()["002_a4934a66a2df4270.txt"]["topics"]) <= set(doc["topics"])
    assert doc["date"] == "2021-09-17"


def test_undated_documents_go_to_an_explicit_bucket(tmp_path):
    src = tmp_path / "undated.jsonl"
    src.write_text(json.dumps({"id": "u1", "lang": "en", "text": "A story with no date at all, about fishing."}) + "\n",
                   encoding="utf-8")
    store = IndexStore(tmp_path / "ix")
    assert rebuild(store, [src], procs=1).ok
    assert ids_for(store, "year", "undated") == ["u1"]
    assert ids_for(store, "month", "undated") == ["u1"]
    with store.open().searcher() as s:
        assert "date" not in s.document(id="u1")


def test_extraction_data_loads_lazily():
    extractor = Extractor()
    assert not {"people", "taxonomy", "topics", "sources"} & set(vars(extractor))
    assert extractor.taxonomy.topics
    assert "taxonomy" in vars(extractor) and "people" not in vars(extractor)


def test_stats_people_lists_spellings(seed_store, capsys, monkeypatch):
    monkeypatch.setenv("TRACUU_INDEX", str(seed_store.root))
    assert main(["stats", "--people"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "      3  Cai Qi [cai-qi]: Cai Qi, Cai" in lines
    assert "      2  Tô Lâm [to-lam]: To Lam, Minister Lam" in lines


def test_show_prints_one_document(seed_store, capsys, monkeypatch):
    monkeypatch.setenv("TRACUU_INDEX", str(seed_store.root))
    assert main(["show", "000_f5870c88c11e6e62.txt", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["persons"] == [
        {"key": "cai-qi", "label": "Cai Qi", "spellings": ["Cai Qi", "Cai"]},
        {"key": "to-lam", "label": "Tô Lâm", "spellings": ["To Lam"]},
    ]
    assert {t["id"]: t["label"] for t in doc["topics"]}["diplomacy"] == "Diplomacy"
    assert doc["credits"] == ["Li Tao (photo)", "Zhang Kaiwei (web editor)", "Liang Jun (web editor)"]
    assert (doc["dateline"], doc["source"]) == ("BEIJING", "People's Daily Online (Xinhua)")
    assert main(["show", "000_f5870c88c11e6e62.txt"]) == 0
    assert "persons:  Cai Qi [cai-qi] as Cai Qi, Cai; Tô Lâm [to-lam] as To Lam" in capsys.readouterr().out
    assert main(["show", "nope"]) == 1


ROUND_TRIP_EXTRA = [
    {"id": "vi-1", "lang": "vi", "date": "2024-03-05", "source": "VnExpress",
     "url": "https://vnexpress.net/tong-bi-thu-to-lam-4700000.html",
     "title": "Tổng Bí thư Tô Lâm tiếp Bộ trưởng Vương Nghị",
     "text": "HÀ NỘI - Chiều 5/3, Tổng Bí thư Tô Lâm tiếp Bộ trưởng Ngoại giao Trung Quốc Vương Nghị. "
             "Ông Lâm nhấn mạnh quan hệ hợp tác thương mại giữa hai nước.\n\nNguyễn Văn A"},
    {"id": "en-undated", "lang": "en", "credits": ["Jane Roe (photo)"],
     "text": "Trade talks between Vietnam and China resumed, officials said, without naming a date."},
]


def _stored(store) -> dict:
    with store.open().searcher() as s:
        reader = s.reader()
        return {f["id"]: f for f in map(reader.stored_fields, reader.all_doc_ids())}


def test_export_rebuild_export_is_byte_identical(tmp_path, capsys):
    extra = tmp_path / "extra.jsonl"
    extra.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in ROUND_TRIP_EXTRA), encoding="utf-8")
    original = IndexStore(tmp_path / "original")
    assert rebuild(original, [SEEDS, extra], procs=1).ok
    first = tmp_path / "export.jsonl"
    assert main(["--index", str(original.root), "export", "-o", str(first)]) == 0
    records = [json.loads(line) for line in first.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == sorted(r["id"] for r in records) and len(records) == 7
    assert set(records[0]) == {"id", "title", "text", "date", "date_rule", "lang", "source", "url",
                               "persons", "topics", "credits"}
    # the fixtures carry every stored field
    stored = _stored(original)
    assert {name for doc in stored.values() for name in doc} == {
        "id", "title", "text", "date", "date_rule", "lang", "source", "url", "dateline", "credits",
        "persons", "spellings", "topics", "sha"}

    restored = IndexStore(tmp_path / "restored")
    assert main(["--index", str(restored.root), "rebuild", "--procs", "2", str(first)]) == 0
    second = tmp_path / "export2.jsonl"
    assert main(["--index", str(restored.root), "export", "-o", str(second)]) == 0
    assert second.read_bytes() == first.read_bytes()
    # and so is everything the index stores, spellings and datelines included
    assert _stored(restored) == stored
    capsys.readouterr()
    assert main(["--index", str(restored.root), "stats", "--people"]) == 0
    assert "Tô Lâm [to-lam]: To Lam, Minister Lam" in capsys.readouterr().out


def test_explicit_persons_keep_stated_spellings_else_find_them(tmp_path):
    src = tmp_path / "x.jsonl"
    src.write_text(json.dumps({
        "id": "x", "lang": "en", "text": "To Lam met Cai Qi in Beijing. Minister Lam spoke first.",
        "persons": [{"key": "cai-qi", "label": "Cai Qi", "spellings": ["Mr Cai"]},
                    {"key": "to-lam", "label": "Tô Lâm"}],
    }, ensure_ascii=False) + "\n", encoding="utf-8")
    store = IndexStore(tmp_path / "ix")
    assert rebuild(store, [src], procs=1).ok
    doc = _stored(store)["x"]
    assert doc["spellings"] == {"cai-qi": ["Mr Cai"], "to-lam": ["To Lam", "Minister Lam"]}


def test_a_bad_spellings_list_is_rejected(tmp_path):
    src = tmp_path / "x.jsonl"
    src.write_text(json.dumps({"id": "x", "text": "Cai Qi spoke.",
                               "persons": [{"key": "cai-qi", "spellings": "Cai"}]}) + "\n", encoding="utf-8")
    report = rebuild(IndexStore(tmp_path / "ix"), [src], procs=1)
    assert [str(r) for r in report.rejected] == [f"{src}:1: a person's 'spellings' must be a list of strings"]


def test_explicit_entities_win_over_extraction(tmp_path):
    src = tmp_path / "x.jsonl"
    src.write_text(json.dumps({
        "id": "x", "lang": "en", "text": "To Lam met Cai Qi in Beijing to discuss trade and investment.",
        "persons": [{"key": "cai-qi", "label": "Cai Qi"}, "Nguyễn Văn Mới"],
        "topics": ["economy-trade"],
    }, ensure_ascii=False) + "\n", encoding="utf-8")
    store = IndexStore(tmp_path / "ix")
    assert rebuild(store, [src], procs=1).ok
    with store.open().searcher() as s:
        doc = s.document(id="x")
    assert doc["persons"] == [["cai-qi", "Cai Qi"], ["nguyen-van-moi", "Nguyễn Văn Mới"]]
    assert doc["topics"] == ["economy-trade"]
    assert ids_for(store, "topic", "economy-business-finance") == ["x"]
