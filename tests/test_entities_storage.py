"""People, topics and dates are stored as facet fields, shown, and exported
in a form that rebuild reads back without loss."""

import json

from whoosh.query import Term

from api.cli import main
from index.ingest import Extractor
from index.store import IndexStore
from index.writer import rebuild

from .conftest import seed_labels


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


def test_export_is_a_lossless_backup(seed_store, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("TRACUU_INDEX", str(seed_store.root))
    first = tmp_path / "export.jsonl"
    assert main(["export", "-o", str(first)]) == 0
    records = [json.loads(line) for line in first.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 5
    assert set(records[0]) == {"id", "title", "text", "date", "lang", "source", "url", "persons",
                               "topics", "credits"}

    restored = tmp_path / "restored"
    assert main(["--index", str(restored), "rebuild", str(first)]) == 0
    second = tmp_path / "export2.jsonl"
    assert main(["--index", str(restored), "export", "-o", str(second)]) == 0
    again = {r["id"]: r for r in map(json.loads, second.read_text(encoding="utf-8").splitlines())}
    assert again == {r["id"]: r for r in records}


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
