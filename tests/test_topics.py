"""Topics: a bilingual taxonomy with IPTC parents, assigned to main subjects only."""

import pytest

from index.topics import Taxonomy, TopicClassifier

NINE = ("diplomacy", "party-relations", "security-law-enforcement", "economy-trade",
        "maritime-territorial", "health", "defence-military", "culture-people-exchange",
        "domestic-politics")


@pytest.fixture(scope="module")
def taxonomy():
    return Taxonomy.load()


@pytest.fixture(scope="module")
def classifier(taxonomy):
    return TopicClassifier(taxonomy)


def test_the_nine_topics_have_labels_and_iptc_parents(taxonomy):
    for topic_id in NINE:
        topic = taxonomy.topics[topic_id]
        assert topic.label("en") and topic.label("vi") and topic.label("vi") != topic.label("en")
        top = taxonomy.top_level(topic_id)
        assert taxonomy.topics[top].iptc, topic_id
    assert taxonomy.top_level("diplomacy") == "politics"
    assert taxonomy.with_parents(["diplomacy", "health"]) == ["diplomacy", "politics", "health"]
    iptc = [t for t in taxonomy.topics.values() if t.iptc]
    assert len(iptc) == 17


def test_main_subjects_are_multi_label(classifier):
    text = ("The two ministers held talks on border security and transnational crime, agreeing to "
            "jointly pursue fugitives and drug traffickers. Police of both countries will share "
            "information on cybersecurity threats and illegal border crossings. "
            "They also agreed to boost trade and investment, expand exports of farm produce and "
            "speed up infrastructure connectivity projects along the economic corridor.")
    topics = classifier.classify("Ministers agree on border security and trade", text, "", "en")
    assert set(topics[:2]) == {"security-law-enforcement", "economy-trade"}


def test_a_one_sentence_aside_adds_no_topic(classifier):
    body = " ".join([
        "The national football team beat Thailand 2-1 in the AFF Cup semi-final on Sunday.",
        "The striker scored twice and the goalkeeper saved a penalty kick late in the match.",
        "The head coach praised the midfielders and said the squad would rest before the final.",
        "Fans filled the stadium and the tournament organisers reported record attendance.",
        "Players wore masks on the bus because of the COVID-19 pandemic.",
    ])
    assert classifier.classify("Vietnam beat Thailand to reach AFF Cup final", body, "", "en") == ["sport"]


def test_vietnamese_articles_get_topics(classifier):
    text = ("Chiều 12/3, Bộ trưởng Bộ Công an tiếp Bộ trưởng Bộ Công an Lào. Hai bên nhất trí tăng "
            "cường hợp tác phòng chống tội phạm xuyên quốc gia, truy nã tội phạm bỏ trốn và "
            "phòng chống ma túy, buôn lậu qua biên giới.")
    assert classifier.classify("Tăng cường hợp tác phòng chống tội phạm", text, "", "vi")[0] == \
        "security-law-enforcement"


def test_vietnamese_tone_matters_but_folded_text_still_works(classifier):
    storm = "Cơn bão số 3 đổ bộ vào Quảng Ninh, gió giật mạnh, mưa lớn gây ngập lụt và lở đất."
    assert classifier.classify("Bão số 3 đổ bộ", storm, "", "vi")[0] in ("weather", "disaster-accident-emergency")
    folded = "Con bao so 3 do bo vao Quang Ninh, gio giat manh, mua lon gay ngap lut va lo dat."
    assert classifier.classify("Bao so 3 do bo", folded, "", "vi")[0] in ("weather", "disaster-accident-emergency")


def test_no_topic_without_evidence(classifier):
    assert classifier.classify(None, "The meeting ended late and everyone went home.", "", "en") == []
    assert classifier.classify(None, "Hello there.", "", "en") == []


def test_a_replacement_taxonomy(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(
        '[topic.birds]\nlabel = { en = "Birds", vi = "Chim" }\niptc = "X"\n'
        '[topic.birds.terms.en]\n"bird" = 3\n"nest" = 2\n'
        '[topic.birds.terms.vi]\n"chim" = 3\n', encoding="utf-8")
    classifier = TopicClassifier(Taxonomy.load(path))
    assert classifier.classify("Birds return", "Birds built a nest; the bird sang; more birds came.", "", "en") == ["birds"]
    assert classifier.classify(None, "Đàn chim bay về tổ, chim non cất tiếng hót, chim mẹ đi kiếm ăn.", "", "vi") == ["birds"]


def test_a_broken_taxonomy_is_reported(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('[topic.a]\nlabel = { en = "A" }\nparent = "nowhere"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="unknown parent 'nowhere'"):
        Taxonomy.load(path)
