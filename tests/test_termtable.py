"""The bulk term table writer writes what Whoosh's own writer writes."""

from pathlib import Path

import pytest
from whoosh.codec.whoosh3 import W3FieldWriter

import index.schema
from index.store import IndexStore
from index.termtable import BulkFieldWriter
from index.writer import add, rebuild

from .conftest import SEEDS

FIXTURES = Path(__file__).parent / "fixtures"
# the seeds and 40 short articles: terms with one posting and with dozens
SOURCES = [SEEDS, FIXTURES / "topics_en.jsonl", FIXTURES / "topics_vi.jsonl"]


def _segment_files(store: IndexStore) -> dict[str, list[bytes]]:
    """Each kind of segment file (terms, postings), in segment order."""
    ix = store.open()
    try:
        out: dict[str, list[bytes]] = {}
        for segment in ix._segments():
            for ext in ("trm", "pst"):
                name = f"{segment.segment_id()}.{ext}"
                out.setdefault(ext, []).append(Path(ix.storage.folder, name).read_bytes())
        return out
    finally:
        ix.close()


def _build(root: Path, sources: list[Path], extra: Path) -> IndexStore:
    store = IndexStore(root)
    rebuild(store, sources, procs=1)
    add(store, [extra])  # a small segment of its own, as a live write makes
    return store


@pytest.fixture()
def extra(tmp_path):
    path = tmp_path / "extra.jsonl"
    path.write_text(
        '{"id": "x1", "lang": "vi", "title": "Hà Nội và Bắc Kinh", "text": "Hà Nội, ngày 3/5: hai bên '
        'bàn về thương mại, thương mại và biển Đông."}\n'
        '{"id": "x2", "lang": "en", "title": "Trade talks", "text": "Trade, trade and more trade '
        'between Vietnam and China, said the minister."}\n', encoding="utf-8")
    return path


def test_the_bulk_writer_writes_the_bytes_whoosh_writes(tmp_path, monkeypatch, extra):
    bulk = _segment_files(_build(tmp_path / "bulk", SOURCES, extra))

    monkeypatch.setattr(index.schema.Codec, "field_writer",
                        lambda codec, storage, segment: W3FieldWriter(codec, storage, segment))
    whoosh = _segment_files(_build(tmp_path / "whoosh", SOURCES, extra))

    assert len(bulk["trm"]) == len(whoosh["trm"]) >= 2
    assert bulk == whoosh


def test_terms_with_many_postings_take_whoosh_s_path(tmp_path, monkeypatch, extra):
    """Rows of long posting lists are Whoosh's; the test above would not
    notice if none were written (every term inline): here some are."""
    long_lists = []
    real = BulkFieldWriter.finish_term

    def counted(self):
        long_lists.append(self._btext)
        return real(self)

    monkeypatch.setattr(BulkFieldWriter, "finish_term", counted)
    _build(tmp_path / "ix", SOURCES, extra)
    assert len(long_lists) > 10
