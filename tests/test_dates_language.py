import datetime as dt

import pytest

from index.dates import parse_date
from index.language import UNDETERMINED, detect_language
from index.published import is_date_line


@pytest.mark.parametrize("line, expected", [
    ("Thứ Sáu, 17/09/2021, 20:23", dt.date(2021, 9, 17)),
    ("Xinhua) 13:34, September 14, 2023", dt.date(2023, 9, 14)),
    ("Updated: 14 March 2022 09:00 GMT+7", dt.date(2022, 3, 14)),
    ("Cập nhật ngày 5 tháng 3 năm 2020", dt.date(2020, 3, 5)),
    ("2024-03-22", dt.date(2024, 3, 22)),
])
def test_publication_lines(line, expected):
    assert is_date_line(line)
    assert parse_date(line) == expected


@pytest.mark.parametrize("text", [
    "BEIJING, Sept. 13 (Xinhua) -- Senior official met the minister.",
    "Zhao met Vietnamese Prime Minister Nguyen Xuan Phuc on Feb 19.",
    "The 7th conference was held in February 2021 and agreed on many points of cooperation.",
])
def test_story_dates_are_not_publication_lines(text):
    assert not is_date_line(text)


def test_dates_without_a_year_are_not_parsed():
    assert parse_date("Feb 19") is None
    assert parse_date("Sept. 13") is None


def test_language_of_each_script():
    assert detect_language("Tổng Bí thư Nguyễn Phú Trọng tiếp Bộ trưởng Công an Trung Quốc tại Hà Nội") == "vi"
    assert detect_language("The minister said both sides will deepen cooperation in law enforcement.") == "en"


def test_language_is_deterministic():
    text = "Hanoi Beijing Vietnam China cooperation hợp tác"
    assert len({detect_language(text) for _ in range(10)}) == 1


def test_too_short_is_undetermined():
    assert detect_language("Hà Nội") == UNDETERMINED
    assert detect_language("12 34 56") == UNDETERMINED
