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


def test_search_uses_the_settings(index_dir, tmp_path, capsys, monkeypatch):
    """One engine factory for the command and the API: page limits and
    extra people registries apply to `tracuu search` too."""
    assert main(["rebuild", str(SEEDS)]) == 0
    capsys.readouterr()
    assert main(["search", "--limit", "101", "cooperation"]) == 2
    assert "--limit must be between 1 and 100 (TRACUU_MAX_PER_PAGE" in capsys.readouterr().err
    monkeypatch.setenv("TRACUU_MAX_PER_PAGE", "200")
    assert main(["search", "--limit", "101", "--json", "cooperation"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 5

    people = tmp_path / "people.toml"
    people.write_text('[[person]]\nkey = "to-lam"\nname = "Tô Lâm"\ncountry = "VN"\n'
                      'aliases = ["Comrade Lamster"]\n', encoding="utf-8")
    assert main(["search", "--json", 'person:"Comrade Lamster"']) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 0
    monkeypatch.setenv("TRACUU_PEOPLE", str(people))
    assert main(["search", "--json", 'person:"Comrade Lamster"']) == 0
    hits = json.loads(capsys.readouterr().out)["hits"]
    assert sorted(h["id"][:3] for h in hits) == ["000", "002"]


def test_the_engine_factory_passes_every_engine_setting(tmp_path):
    from api.components import make_engine
    from api.settings import load_settings

    settings = load_settings({"TRACUU_INDEX": str(tmp_path), "TRACUU_QUERY_TIMEOUT": "0.25",
                              "TRACUU_MAX_PER_PAGE": "7", "TRACUU_MAX_WINDOW": "70",
                              "TRACUU_MAX_QUERY_LENGTH": "40"})
    config = make_engine(settings).config
    assert (config.timeout, config.max_per_page, config.max_window, config.max_query_length) == \
        (0.25, 7, 70, 40)
