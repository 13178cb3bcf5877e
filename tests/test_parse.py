"""Reading files: every format, stable ids, and bad input reported, not fatal."""

import json

from index.document import Record, Rejection
from index.ingest import Extractor, process_job
from index.parse import plan_jobs, read_job

from .conftest import FIXTURES


def read_all(*paths):
    out = []
    for item in plan_jobs(list(paths)):
        out.extend([item] if isinstance(item, Rejection) else read_job(item))
    return out


def records(items):
    return [i for i in items if isinstance(i, Record)]


def rejections(items):
    return [str(i) for i in items if isinstance(i, Rejection)]


def test_jsonl_bad_lines_are_reported_and_the_rest_is_read(tmp_path):
    path = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"id": "a", "title": "A", "text": "Alpha text.", "lang": "en", "date": "2023-01-02"}),
        "{not json",
        json.dumps({"id": "b", "text": "   "}),
        "",
        json.dumps({"id": "c", "text": "Gamma", "date": "2023-13-01"}),
        json.dumps(["a", "list"]),
        json.dumps({"id": "d", "text": "Delta text.", "lang": "english!"}),
        json.dumps({"id": "e", "text": 42}),
        json.dumps({"text": "No id here."}),
    ]
    data = "\n".join(lines).encode() + b"\n" + b'{"id": "f", "text": "bad \xff byte"}\n'
    path.write_bytes(data)
    items = read_all(path)
    assert [r.id for r in records(items)] == ["a", "batch.jsonl#9"]
    assert rejections(items) == [
        f"{path}:2: invalid JSON: Expecting property name enclosed in double quotes (column 2)",
        f"{path}:3: empty text",
        f"{path}:5: date '2023-13-01' is not a real date",
        f"{path}:6: expected a JSON object, got list",
        f"{path}:7: 'lang' 'english!' is not a language code such as 'vi' or 'en'",
        f"{path}:8: 'text' must be a string, not int",
        f"{path}:10: not valid UTF-8: byte 0xff at offset 25",
    ]
    a = records(items)[0]
    assert (a.title, a.lang, a.date.isoformat()) == ("A", "en", "2023-01-02")


def test_json_object_and_array(tmp_path):
    (tmp_path / "one.json").write_text(json.dumps({"title": "One", "text": "Only one."}), encoding="utf-8")
    (tmp_path / "many.json").write_text(json.dumps([
        {"id": "x1", "text": "First."}, {"text": "Second."}, {"id": "x3"}]), encoding="utf-8")
    items = read_all(tmp_path)
    assert sorted(r.id for r in records(items)) == ["many.json#1", "one.json", "x1"]
    assert rejections(items) == [f"{tmp_path / 'many.json'}[2]: empty text"]


def test_text_file_ids_are_paths_relative_to_the_root(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "story.txt").write_text("Headline of it\n\nBody text.", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("skip me", encoding="utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    items = read_all(tmp_path)
    assert [r.id for r in records(items)] == ["sub/story.txt"]
    assert rejections(items) == []
    assert [r.id for r in records(read_all(tmp_path / "sub" / "story.txt"))] == ["story.txt"]


def test_bad_files_are_rejected_with_reasons(tmp_path):
    (tmp_path / "latin1.txt").write_bytes("Café crème".encode("latin-1"))
    (tmp_path / "empty.txt").write_text("  \n\n ", encoding="utf-8")
    (tmp_path / "bad-date.txt").write_text("date 2023-02-30 Headline here\n\nBody.", encoding="utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    items = read_all(tmp_path, tmp_path / "notes.pdf", tmp_path / "missing.txt")
    assert records(items) == []
    assert sorted(rejections(items)) == sorted([
        f"{tmp_path / 'bad-date.txt'}: date '2023-02-30' is not a real date",
        f"{tmp_path / 'empty.txt'}: empty text",
        f"{tmp_path / 'latin1.txt'}: not valid UTF-8: byte 0xe9 at offset 3",
        f"{tmp_path / 'notes.pdf'}: unsupported file type '.pdf'; expected one of "
        ".htm, .html, .json, .jsonl, .md, .ndjson, .text, .txt, .xhtml",
        f"{tmp_path / 'missing.txt'}: no such file or directory",
    ])


def test_saved_html_page_is_extracted_with_its_metadata():
    [job] = list(plan_jobs([FIXTURES / "psnews_article.html"]))
    [article] = process_job(job, Extractor())
    assert article.id == "psnews_article.html"
    assert article.title == "Vietnam, China boost cooperation in crime combat"
    assert article.date.isoformat() == "2021-09-17"
    assert article.url == "https://en.cand.com.vn/news/vietnam-china-boost-cooperation-i623.html"
    assert article.source == "Public Security News (PSNews / CAND, English)"
    assert article.lang == "en"
    assert article.lead.startswith("Vietnamese Minister of Public Security General To Lam")
    assert "Copyright" not in article.text and "Home" not in article.text


def test_explicit_values_win_over_extraction(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps({
        "id": "x", "title": "T", "lang": "vi", "date": "2020-01-01", "source": "My Archive",
        "text": "Thứ Sáu, 17/09/2021, 20:23\n\nThe minister met his counterpart in Hanoi.\n\nPSNews",
    }), encoding="utf-8")
    [job] = list(plan_jobs([path]))
    [article] = process_job(job, Extractor())
    assert (article.lang, article.date.isoformat(), article.source) == ("vi", "2020-01-01", "My Archive")


def test_extraction_fills_what_is_not_stated(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps({
        "id": "x", "date": None,
        "text": "Thứ Sáu, 17/09/2021, 20:23\n\nThe minister met his counterpart in Hanoi to discuss cooperation.\n\nPSNews",
    }), encoding="utf-8")
    [job] = list(plan_jobs([path]))
    [article] = process_job(job, Extractor())
    assert (article.lang, article.date.isoformat()) == ("en", "2021-09-17")
    assert article.source == "Public Security News (PSNews / CAND, English)"
