"""The publication date from the byline and meta lines of an article's head,
in the shapes news sites print them, in both languages: each shape with the
date it states, or none. Every article goes through ingest whole (headline,
head lines, then a story paragraph that holds dates of its own)."""

import datetime as dt

import pytest

from index.document import Origin, Record
from index.ingest import Extractor, IngestConfig
from index.published import is_date_line, publication_date

TODAY = dt.date(2026, 12, 7)
STORY = ("The two sides met in the capital on September 3, 2019 and agreed to meet again "
         "before the end of the year, officials said on Monday.")
STORY_VI = "Hai bên đã gặp nhau tại Hà Nội ngày 3/9/2019 và thống nhất sẽ gặp lại trước cuối năm."

# (head lines, the date they state or None, the rule that finds it)
SHAPES = [
    # English: labels, placeholders, bylines, zones
    ("Published: 14:32 GMT, March 3, 2023\nUpdated: 00:00 GMT, Jan 1, 1970", "2023-03-03", "published"),
    ("Published: 14:32 GMT, March 3, 2023 | Updated: 00:00 GMT, Jan 1, 1970", "2023-03-03", "published"),
    ("Updated: 00:00 GMT, Jan 1, 1970", None, None),
    ("updatetime:2023-05-06 10:22:01", "2023-05-06", "updated"),
    ("10:05 UTC+8, 2023-11-02", "2023-11-02", "date line"),
    ("By John Smith   March 4, 2024 | 10:15 am PT", "2024-03-04", "byline"),
    ("By Jane Doe and Tom Lee   March 4, 2024 10:15 a.m. ET", "2024-03-04", "byline"),
    ("Xinhua) 13:34, September 14, 2023", "2023-09-14", "date line"),
    ("(Xinhua) 10:06, December 13, 2023", "2023-12-13", "date line"),
    ("Published on 14 September 2023", "2023-09-14", "published"),
    ("Posted: Sep 14, 2023 / 08:12 PM", "2023-09-14", "published"),
    ("Last updated: 15 Sept 2023; Published: 14 Sept 2023", "2023-09-14", "published"),
    ("Updated: 2023-09-15\n\nPublished: 2023-09-14", "2023-09-14", "published"),
    ("Mon 14 Aug 2023 06.00 BST", "2023-08-14", "date line"),
    ("First published on Tue 14 Feb 2023 10.00 GMT", "2023-02-14", "published"),
    ("Updated 2:15 PM ET, Tue March 5, 2024", "2024-03-05", "updated"),
    ("Source: Xinhua | 2023-09-14 13:34:11 | Editor: Huaxia", "2023-09-14", "date line"),
    ("2023-09-14 13:34:11 Source: Xinhua", "2023-09-14", "date line"),
    ("Source: Global Times Published: 2023/12/13 22:58:40", "2023-12-13", "published"),
    ("September 14, 20231:34 PM GMT+7Updated 2 hours ago", "2023-09-14", "date line"),
    ("Sept. 14, 2023", "2023-09-14", "date line"),
    ("14.09.2023", "2023-09-14", "date line"),
    ("Thursday, 14 September 2023, 13:34", "2023-09-14", "date line"),
    ("Dec 12, 2023 at 10:06 pm", "2023-12-12", "date line"),
    ("Time: 2023-12-13 10:06:00", "2023-12-13", "date line"),
    ("2023-09-14T13:34:00+08:00", "2023-09-14", "date line"),
    ("By Nguyen Van An, VNA | October 5, 2022", "2022-10-05", "byline"),
    ("Retrieved 2024-01-05", None, None),
    ("Crawled at: 2024-01-05 03:00:00\n\nPublished: 2023-12-30", "2023-12-30", "published"),
    ("Published: 2099-01-01", None, None),
    ("Reporting from Hanoi", None, None),
    # Vietnamese
    ("Thứ Năm, 14/09/2023", "2023-09-14", "date line"),
    ("Thứ Sáu, 17/09/2021, 20:23", "2021-09-17", "date line"),
    ("14/09/2023 13:34", "2023-09-14", "date line"),
    ("Mới nhất:2023-09-14 13:34:00", "2023-09-14", "updated"),
    ("Cập nhật: 14/09/2023 13:34 (GMT+7)", "2023-09-14", "updated"),
    ("Thứ năm, 14/9/2023 | 13:34 GMT+7", "2023-09-14", "date line"),
    ("Ngày đăng: 14/09/2023", "2023-09-14", "published"),
    ("Đăng lúc 13:34 ngày 14/09/2023", "2023-09-14", "published"),
    ("ngày 14 tháng 9 năm 2023", "2023-09-14", "date line"),
    ("Chủ nhật, 05/11/2023 - 08:00", "2023-11-05", "date line"),
    ("Cập nhật lúc 01/01/1970 00:00", None, None),
    ("T5, 14/09/2023 13:34", "2023-09-14", "date line"),
    ("13h34 | 14/09/2023", "2023-09-14", "date line"),
    ("Nguyễn Văn An | 14/09/2023 13:34", "2023-09-14", "date line"),
    ("Thứ Hai, 01/01/2024 00:00 (GMT+7)", "2024-01-01", "date line"),
    ("Cập nhật: 15/09/2023 08:00\n\nĐăng: 14/09/2023 13:34", "2023-09-14", "published"),
    ("Truy cập ngày 20/10/2024", None, None),
    ("0000-00-00 00:00:00", None, None),
]


def _article(head: str, vietnamese: bool):
    story = STORY_VI if vietnamese else STORY
    record = Record(origin=Origin("fixture"), id="a", title="Two sides agree to meet again",
                    text=f"{head}\n\n{story}")
    return Extractor(IngestConfig(today=TODAY)).article(record)


@pytest.mark.parametrize("head, expected, rule", SHAPES, ids=[s[0][:40] for s in SHAPES])
def test_each_shape_states_its_date_or_none(head, expected, rule):
    vietnamese = any(ch in head for ch in "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")
    article = _article(head, vietnamese)
    assert (article.date.isoformat() if article.date else None) == expected
    assert article.date_rule == rule
    # the head is furniture, never story text
    if expected:
        assert not any(line in article.lead + article.body for line in head.split("\n\n"))


def test_there_are_forty_shapes_in_both_languages():
    assert len(SHAPES) >= 40


def test_a_story_sentence_with_a_date_is_not_a_date_line():
    assert not is_date_line(STORY)
    assert not is_date_line(STORY_VI)
    assert not is_date_line("By March 4, 2024 the new terminal will be open to all passengers.")


def test_a_date_the_document_gives_is_kept_unless_it_is_a_placeholder():
    extractor = Extractor(IngestConfig(today=TODAY))
    given = Record(origin=Origin("fixture"), id="a", title="Talks", text=f"Published: 2023-09-14\n\n{STORY}",
                   date=dt.date(2023, 9, 15))
    assert (extractor.article(given).date, extractor.article(given).date_rule) == (dt.date(2023, 9, 15), "given")
    epoch = Record(origin=Origin("fixture"), id="b", title="Talks", text=f"Published: 2023-09-14\n\n{STORY}",
                   date=dt.date(1970, 1, 1))
    article = extractor.article(epoch)
    assert (article.date, article.date_rule) == (dt.date(2023, 9, 14), "published")
    assert any("placeholder" in w for w in article.warnings)


def test_an_undated_article_stays_undated():
    assert _article("Reporting by our correspondent", False).date is None
    assert publication_date([], TODAY) is None


def test_a_byline_with_a_date_credits_its_author():
    article = _article("By John Smith   March 4, 2024 | 10:15 am PT", False)
    assert "John Smith (byline)" in article.credits
    assert all(p.label != "John Smith" for p in article.persons)


def test_an_index_built_before_the_rule_was_stored_still_takes_documents():
    from index.schema import document_fields, make_schema

    article = _article("Published: 2023-09-14", False)
    older = make_schema()
    older.remove("date_rule")
    assert document_fields(article)["date_rule"] == "published"
    fields = document_fields(article, older)
    assert "date_rule" not in fields and fields["date"] == "2023-09-14"


def test_an_exported_rule_comes_back_with_its_date_and_a_wrong_one_is_refused():
    from index.parse import record_from_mapping

    exported = {"id": "a", "text": STORY, "date": "2023-09-14", "date_rule": "byline"}
    record = record_from_mapping(exported, Origin("backup.jsonl"), "x")
    assert Extractor(IngestConfig(today=TODAY)).article(record).date_rule == "byline"
    # a rule without a date says nothing
    assert record_from_mapping({"id": "b", "text": STORY, "date_rule": "byline"}, Origin("f"), "x").date_rule is None
    with pytest.raises(ValueError, match="'date_rule' 'guessed' is not one of given, published"):
        record_from_mapping({**exported, "date_rule": "guessed"}, Origin("f"), "x")
