"""The vocabulary behind did-you-mean and suggestions counts exactly the
live documents, across batches, replacements and deletions."""

import json

from index.store import IndexStore
from index.vocabulary import VOCAB_FILE, ArticleTerms, Vocabulary
from index.writer import add, delete, rebuild

from .conftest import SEEDS, auth


def vocab(store) -> Vocabulary:
    return Vocabulary.load(store.current_path() / VOCAB_FILE)


def as_dict(v: Vocabulary) -> dict:
    return {"words": dict(v.words), "exact": dict(v.exact), "phrases": dict(v.phrases),
            "titles": v.titles, "documents": v.documents}


def write(path, *docs):
    path.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in docs) + "\n", encoding="utf-8")
    return path


def test_words_seen_once_survive_a_large_vocabulary(tmp_path):
    v = Vocabulary()
    for i in range(1200):
        v.add(f"d{i}", None, ArticleTerms(frozenset({f"word{i}", "common"}), frozenset(), frozenset()))
    v.save(tmp_path / VOCAB_FILE)
    loaded = Vocabulary.load(tmp_path / VOCAB_FILE)
    assert loaded.words["word7"] == 1 and loaded.words["common"] == 1200 and loaded.documents == 1200


def test_counts_stay_exact_across_batches_replaces_and_deletes(tmp_path):
    store = IndexStore(tmp_path / "ix")
    assert rebuild(store, [SEEDS], procs=1).ok
    a = {"id": "a", "lang": "vi", "title": "Mùa lúa Đồng Tháp",
         "text": "Nông dân Đồng Tháp thu hoạch lúa xylograph sớm."}
    b = {"id": "b", "lang": "en", "text": "Farmers harvest the xylograph rice in Đồng Tháp."}
    assert add(store, [write(tmp_path / "1.jsonl", a)], procs=1).ok
    assert add(store, [write(tmp_path / "2.jsonl", b)], procs=1).ok
    assert vocab(store).words["xylograph"] == 2
    # replacing a document counts it once, with its new words
    assert add(store, [write(tmp_path / "3.jsonl", {**a, "text": "Nông dân gặt lúa muộn."})], procs=1).ok
    v = vocab(store)
    assert v.words["xylograph"] == 1 and v.exact["gặt"] == 1 and v.documents == 7
    assert delete(store, ["b", "001_f7a2648440f22fec.txt"]).ok
    v = vocab(store)
    assert "xylograph" not in v.words and v.documents == 5

    # the same as counting the live documents afresh
    live = tmp_path / "live"
    live.mkdir()
    with store.open().searcher() as s:
        docs = [s.stored_fields(n) for n in s.reader().all_doc_ids()]
    fresh = IndexStore(tmp_path / "fresh")
    exported = write(tmp_path / "live.jsonl", *[
        {k: d.get(k) for k in ("id", "title", "text", "lang", "date")} for d in docs])
    assert rebuild(fresh, [exported], procs=1).ok
    assert as_dict(vocab(store)) == as_dict(vocab(fresh))


def test_suggest_and_facet_values_after_every_original_document_is_deleted(make_app):
    app = make_app(suggest_refresh=0)
    client = app.test_client()

    def settled():  # suggestions caught up with the writes (asking starts their refresh)
        client.get("/api/suggest?q=a")
        app.extensions["tracuu"].engine.derived.settle()

    created = client.put("/api/documents/zero", json={
        "lang": "vi", "title": "Hợp tác nông nghiệp", "text": "Bộ trưởng Lê Minh Hoan thăm Cần Thơ."},
        headers=auth())
    assert created.status_code == 201
    originals = [h["id"] for h in client.get("/api/search?per_page=50").get_json()["hits"] if h["id"] != "zero"]
    assert len(originals) == 5
    for doc_id in originals:
        assert client.delete(f"/api/documents/{doc_id}", headers=auth()).status_code == 200
    settled()

    suggestions = client.get("/api/suggest?q=co").get_json()["suggestions"]
    assert client.get("/api/suggest?q=co").status_code == 200
    assert not any("cooperation" in s["text"].lower() for s in suggestions)
    assert client.get("/api/suggest?q=to").get_json()["suggestions"] == []  # Tô Lâm is gone
    texts = [s["text"] for s in client.get("/api/suggest?q=hop").get_json()["suggestions"]]
    assert "Hợp tác nông nghiệp" in texts
    for name in ("person", "topic", "year", "month", "lang", "source"):
        response = client.get(f"/api/facets/{name}?q=")
        assert response.status_code == 200, (name, response.get_json())
    assert client.get("/api/facets/person?q=to").get_json()["values"] == []
    assert [v["value"] for v in client.get("/api/facets/lang?q=").get_json()["values"]] == ["vi"]

    # and when no document is left at all
    assert client.delete("/api/documents/zero", headers=auth()).status_code == 200
    settled()
    assert client.get("/api/suggest?q=h").get_json()["suggestions"] == []
    assert client.get("/api/facets/person?q=").get_json()["values"] == []
    assert client.get("/api/search?q=nong").get_json()["total"] == 0


def test_a_write_appends_its_changes_and_a_torn_line_is_left_out(tmp_path, monkeypatch):
    import index.vocabulary as vocabulary

    store = IndexStore(tmp_path / "ix")
    assert rebuild(store, [SEEDS], procs=1).ok
    path = store.current_path() / VOCAB_FILE
    whole = path.read_bytes()
    log = path.with_name(path.name + vocabulary.LOG_SUFFIX)
    assert not log.exists()
    doc = {"id": "a", "lang": "en", "text": "Farmers harvest the xylograph rice."}
    assert add(store, [write(tmp_path / "1.jsonl", doc)], procs=1).ok
    assert path.read_bytes() == whole and log.exists()  # only the change was written
    assert vocab(store).words["xylograph"] == 1
    with open(log, "ab") as f:  # a write cut short by a crash
        f.write(b'["+","b",null,["torn')
    assert vocab(store).words["xylograph"] == 1 and "torn" not in vocab(store).words
    # and the next write starts a clean line
    assert add(store, [write(tmp_path / "2.jsonl", {**doc, "id": "c", "text": "More xylograph rice."})], procs=1).ok
    assert vocab(store).words["xylograph"] == 2
    assert delete(store, ["c"]).ok
    # past its share of the file, the log is folded in
    monkeypatch.setattr(vocabulary, "FOLD_MIN", 0)
    monkeypatch.setattr(vocabulary, "FOLD_SHARE", 0.0)
    assert delete(store, ["a"]).ok
    assert not log.exists() and "xylograph" not in vocab(store).words
