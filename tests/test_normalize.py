import unicodedata

import pytest

from index.normalize import canonical_tone, fold, has_diacritics, is_syllable, repair


def test_repair_composes_nfd_into_nfc():
    nfd = unicodedata.normalize("NFD", "Nguyễn Phú Trọng")
    assert nfd != "Nguyễn Phú Trọng"
    assert repair(nfd) == "Nguyễn Phú Trọng"


def test_repair_maps_latin_eth_to_d_with_stroke():
    assert repair("\u00d0à Nẵng") == "Đà Nẵng"
    assert repair("\u00f0ường") == "đường"


@pytest.mark.parametrize("old, new", [
    ("hoà", "hòa"), ("thuỵ", "thụy"), ("Khoá", "Khóa"), ("HOÀ", "HÒA"),
    ("xoè", "xòe"), ("Thuỷ", "Thủy"), ("baỏ", "bảo"),
])
def test_tone_placements_are_made_equal(old, new):
    assert canonical_tone(old) == canonical_tone(new)


@pytest.mark.parametrize("word", [
    "hoàng", "ngoài", "thuyền", "người", "Quý", "gì", "giá", "quả", "của", "khuỷu", "Nguyễn",
])
def test_correct_words_keep_their_tone(word):
    assert canonical_tone(word) == word


def test_tone_on_nfd_input():
    assert canonical_tone(unicodedata.normalize("NFD", "hoà")) == canonical_tone("hòa")


def test_non_vietnamese_words_are_left_alone():
    assert canonical_tone("café") == "café"
    assert canonical_tone("naïve") == "naïve"


def test_fold_removes_diacritics_and_d_with_stroke():
    assert fold("Đà Nẵng") == "da nang"
    assert fold("Tô Lâm") == "to lam"
    # unicodedata stripping keeps đ, which is why fold does more than that
    stripped = "".join(c for c in unicodedata.normalize("NFD", "đ") if not unicodedata.combining(c))
    assert stripped == "đ" and fold("đ") == "d"


def test_fold_leaves_other_scripts():
    assert fold("习近平") == "习近平"


def test_has_diacritics():
    assert has_diacritics("Lâm") and has_diacritics("đi")
    assert not has_diacritics("Lam") and not has_diacritics("习近平")


@pytest.mark.parametrize("word, expected", [
    ("Viet", True), ("Nam", True), ("Nẵng", True), ("Kong", True), ("nghiêng", True),
    ("Communist", False), ("hanoi", False), ("cpc", False),
])
def test_syllable_shape(word, expected):
    assert is_syllable(word) is expected
