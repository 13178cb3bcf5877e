"""The tracuu command: exit statuses, reports and output formats."""

import json

import pytest

from api.cli import main

from .conftest import SEEDS


@pytest.fixture
def index_dir(tmp_path, monkeypatch):
    path = tmp_path / "ix"
    monkeypatch.setenv("TRACUU_INDEX", str(path))
    return path


def test_rebuild_default_is_the_seeds_and_exits_zero(index_dir, capsys, monkeypatch):
    monkeypatch.chdir(SEEDS.parent)
    assert main(["rebuild"]) == 0
    err = capsys.readouterr().err
    assert err.startswith("indexed 5 documents, 0 rejected in ")
    assert (index_dir / "CURRENT").exists()


def test_rejections_are_reported_and_exit_one(index_dir, tmp_path, capsys):
    bad = tmp_path / "in.jsonl"
    bad.write_text('{"id": "ok", "text": "Fine text about trade."}\n{"id": "x"}\n', encoding="utf-8")
    assert main(["rebuild", str(bad)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"{bad}:2: empty text"
    assert err[1].startswith("indexed 1 document, 1 rejected")


def test_usage_errors_exit_two(index_dir, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["rebuild", "--procs", "many"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["frobnicate"])
    assert exc.value.code == 2
    assert main(["search", "anything"]) == 2
    assert "run `tracuu rebuild` first" in capsys.readouterr().err


def test_bad_query_exits_two(index_dir, capsys):
    assert main(["rebuild", str(SEEDS)]) == 0
    assert main(["search", '"unclosed']) == 2
    assert "bad query: unclosed quotation mark (at character 1)" in capsys.readouterr().err


def test_search_json_has_the_api_field_names(index_dir, capsys):
    assert main(["rebuild", str(SEEDS)]) == 0
    capsys.readouterr()
    assert main(["search", "to", "lam", "--json", "--limit", "1"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["total"] == 2 and len(out["hits"]) == 1
    hit = out["hits"][0]
    assert set(hit) == {"id", "title", "date", "lang", "score", "snippet"}
    assert hit["id"] == "000_f5870c88c11e6e62.txt"
    assert hit["date"] == "2023-09-14" and hit["lang"] == "en"
    assert "<mark>To Lam</mark>" in hit["snippet"]


def test_search_text_output(index_dir, capsys):
    assert main(["rebuild", str(SEEDS)]) == 0
    capsys.readouterr()
    assert main(["search", "nguyen phu trong"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("2 results\n")
    assert "(no headline) \n" not in out and "[Nguyen Phu]" in out and "2021-02-20 · en · score" in out


def test_index_option_wins_over_the_environment(index_dir, tmp_path, capsys):
    other = tmp_path / "other"
    assert main(["--index", str(other), "rebuild", str(SEEDS)]) == 0
    assert (other / "CURRENT").exists() and not index_dir.exists()


def test_add_delete_and_stats(index_dir, tmp_path, capsys):
    assert main(["rebuild", str(SEEDS)]) == 0
    extra = tmp_path / "extra.jsonl"
    extra.write_text(json.dumps({"id": "vi-1", "lang": "vi", "date": "2024-05-01", "source": "Nhân Dân",
                                 "text": "Thủ tướng thăm Đà Nẵng và làm việc với lãnh đạo thành phố."},
                                ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["add", str(extra)]) == 0
    assert main(["delete", "003_fb207dc14ab148fa.txt", "missing-id"]) == 1
    capsys.readouterr()
    assert main(["stats"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("5 documents")
    assert "by language:\n        4  en\n        1  vi\n" in out
    assert "      1  2024\n" in out  # the added document, not the deleted 2024 seed
    assert "      1  Nhân Dân\n" in out
