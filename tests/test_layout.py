from index.layout import paragraphs, read_layout
from index.plaintext import looks_like_headline, read_plaintext
from index.document import Origin


def test_paragraphs_split_on_blank_lines():
    assert paragraphs("a\nb\n\n\n c \n\t\nd") == ["a\nb", "c", "d"]


def test_reuters_style_credits_and_byline():
    text = "By Jane Smith\n\nHANOI (Reuters) - Trade rose 5% in May.\n\nExports led the rise.\n\nReporting by Jane Smith; Editing by John Doe"
    layout = read_layout("Trade rises", text)
    assert layout.lead.startswith("HANOI (Reuters)")
    assert layout.dateline == "HANOI"
    assert "Reuters" in layout.markers
    assert layout.credits == ["Jane Smith (byline)", "Jane Smith (reporter)", "John Doe (editor)"]
    assert layout.body == ["Exports led the rise."]


def test_vietnamese_photo_caption_and_author_sign_off():
    text = ("Chiều 5/3, Bộ Công an tổ chức hội nghị.\n\n"
            "Ảnh: Bộ trưởng phát biểu tại hội nghị.\n\n"
            "Hội nghị đánh giá kết quả công tác năm qua.\n\n"
            "Minh Anh")
    layout = read_layout(None, text)
    assert layout.captions == ["Ảnh: Bộ trưởng phát biểu tại hội nghị."]
    assert layout.signoff == "Minh Anh"
    assert layout.story == ["Chiều 5/3, Bộ Công an tổ chức hội nghị.", "Hội nghị đánh giá kết quả công tác năm qua."]


def test_image_placeholder_repeating_the_headline_is_dropped_with_its_caption():
    text = "First paragraph of the story.\n\nBig news today -1\n\nThe minister at the podium.\n\nLast paragraph."
    layout = read_layout("Big news today", text)
    assert layout.captions == ["The minister at the podium."]
    assert layout.story == ["First paragraph of the story.", "Last paragraph."]


def test_headline_or_lede():
    assert looks_like_headline("Vietnam, China boost cooperation in crime combat")
    assert not looks_like_headline("HANOI - Vietnam is willing to enhance cooperation.")
    assert not looks_like_headline("The minister said the talks went well.")
    assert not looks_like_headline("Thứ Sáu, 17/09/2021, 20:23")


def test_plaintext_without_headline_or_header():
    record = read_plaintext("The whole article is one paragraph.", Origin("a.txt"), "a.txt")
    assert record.title is None and record.text == "The whole article is one paragraph."


def test_plaintext_header_with_headline():
    record = read_plaintext(" date 2024-01-02 Big talks in Hanoi\n\nBody text here.", Origin("a.txt"), "a.txt")
    assert (record.title, record.date.isoformat(), record.text) == ("Big talks in Hanoi", "2024-01-02", "Body text here.")


def test_crlf_and_bom():
    record = read_plaintext("\ufeffHeadline here now\r\n\r\nBody.\r\n", Origin("a.txt"), "a.txt")
    assert (record.title, record.text) == ("Headline here now", "Body.")
