"""People, precision: outlets, credits, places and things named after people,
slogans and policy names are no one, in both languages; the same names stay
people when a title or an honorific says so. Every text goes through ingest
whole (layout, credits, extraction) with a story paragraph after it."""

import pytest

from index.document import Origin, Record
from index.ingest import Extractor, IngestConfig

STORY_EN = "The two sides agreed to expand trade and cooperation, officials said."
STORY_VI = "Hai bên nhất trí mở rộng hợp tác thương mại, các quan chức cho biết."

# (language, text, the people it names)
SHAPES = [
 # outlets
 ("en", "HANOI (VNA) – Deputy Prime Minister Tran Hong Ha met the delegation on Monday.", ["tran-hong-ha"]),
 ("en", "BEIJING, Jan 3 (Xinhua) -- Chinese Foreign Minister Wang Yi said on Tuesday that talks went well.", ["wang-yi"]),
 ("vi", "Theo báo Thanh Niên, đoàn công tác đã đến Hà Nội vào sáng nay.", []),
 ("vi", "Báo Tuổi Trẻ đưa tin hai bên đã ký kết thỏa thuận hợp tác.", []),
 ("vi", "Báo Hà Nội Mới cho biết lễ hội sẽ diễn ra vào tháng tới.", []),
 ("en", "According to Lianhe Zaobao, the talks were postponed.", []),
 ("en", "Hong Kong's Ming Pao reported that the ferry service resumed.", []),
 ("en", "The report first appeared in Nhan Dan, the party newspaper.", []),
 ("vi", "Nguồn: Lao Động", []),
 ("en", "Caixin reported that the bank raised rates. Sing Tao Daily said the same.", []),
 ("vi", "Theo Dân Trí, nhiều người dân đã đến xem.", []),
 ("en", "Vietnam's state broadcaster VTV and Quan Doi Nhan Dan newspaper carried the speech.", []),
 # credits
 ("vi", "Thủ tướng phát biểu tại hội nghị. (Ảnh: Dương Giang/TTXVN)", []),
 ("vi", "Ảnh: Nguyễn Khang", []),
 ("en", "The ship arrives at the port. (Xinhua/Li Tao)", []),
 ("en", "Photo: Reuters/Kham", []),
 ("en", "Photo by Hoang Ha", []),
 ("vi", "Video: Hoàng Phương", []),
 ("en", "(Photo: VNA/Tran Viet)", []),
 ("vi", "Nhóm phóng viên Lê Minh - Trần Hòa thực hiện.", []),
 ("en", "Editing by Nguyen Hoang Son and Kate Mayberry", []),
 ("vi", "Thủ tướng Phạm Minh Chính phát biểu. Ảnh: VGP/Nhật Bắc", ["pham-minh-chinh"]),
 # places named like people
 ("vi", "Mưa lớn gây ngập tại quận Hoàng Mai và huyện Thanh Trì.", []),
 ("vi", "Tàu cá của ngư dân Lý Sơn bị tấn công gần quần đảo Hoàng Sa.", []),
 ("en", "Flooding hit Tran Van Thoi district in Ca Mau province.", []),
 ("vi", "Người dân xã Lê Lợi, huyện Chí Linh đã được sơ tán.", []),
 ("vi", "Lũ quét ở Mai Châu khiến ba người thiệt mạng.", []),
 ("en", "Residents of Phan Thiet and Cao Lanh were evacuated.", []),
 ("vi", "Đoàn đã đến thăm Lạc Sơn và Kim Bôi.", []),
 # things named after people
 ("en", "The ceremony was held at Ba Dinh Square near the Ho Chi Minh Mausoleum.", []),
 ("vi", "Buổi lễ diễn ra tại Quảng trường Ba Đình.", []),
 ("vi", "Học sinh trường THPT Chu Văn An đạt giải nhất.", []),
 ("en", "Students at Chu Van An High School won the prize.", []),
 ("vi", "Một vụ tai nạn xảy ra trên đường Nguyễn Trãi chiều qua.", []),
 ("en", "A crash happened on Nguyen Trai Street on Monday.", []),
 ("en", "Traffic on Vo Nguyen Giap Road was blocked for hours.", []),
 ("vi", "Khu di tích Kim Liên ở Nghệ An đón nhiều du khách.", []),
 ("en", "Tan Son Nhat International Airport and Noi Bai airport reopened.", []),
 ("vi", "Bệnh viện Bạch Mai tiếp nhận nhiều bệnh nhân.", []),
 ("en", "Patients were taken to Bach Mai Hospital and Viet Duc Hospital.", []),
 ("vi", "Trường Đại học Tôn Đức Thắng xếp hạng cao.", []),
 ("en", "Ton Duc Thang University climbed in the rankings.", []),
 ("en", "She studied at the Ho Chi Minh National Academy of Politics.", []),
 ("vi", "Cầu Trần Thị Lý ở Đà Nẵng được chiếu sáng.", []),
 ("en", "The Tran Thi Ly Bridge in Da Nang was lit up.", []),
 ("en", "Flights from Sun Yat-sen University were cancelled.", []),
 ("en", "The Zhongshan Road shops reopened.", []),
 ("en", "He spoke at the Le Duan Street headquarters.", []),
 # slogans and policy names
 ("vi", "Công cuộc Đổi Mới đã mang lại nhiều thành tựu.", []),
 ("en", "Since Doi Moi reforms began in 1986, the economy has grown.", []),
 ("en", "The Belt and Road Initiative and Made in China 2025 were discussed.", []),
 ("vi", "Chương trình Tam Nông được triển khai rộng rãi.", []),
 ("en", "Xi Jinping Thought on Socialism with Chinese Characteristics was studied.", []),
 ("vi", "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.", []),
 ("en", "The Ho Chi Minh Trail was a supply route.", []),
 ("vi", "Chiến dịch Hồ Chí Minh kết thúc thắng lợi.", []),
 # real people stay
 ("vi", "Ông Nguyễn Văn An, Chủ tịch UBND xã, cho biết người dân đã được hỗ trợ.", ["nguyen-van-an"]),
 ("vi", "Bà Hoàng Mai, một người dân, cho biết nước dâng rất nhanh.", ["hoang-mai"]),
    # a title or an honorific makes a place-shaped name a person
    ("vi", "Ông Hồng Hà, Tổng thư ký Hội đồng Lý luận Trung ương, phát biểu.", ["hong-ha"]),
    ("vi", "Chị Thái Hòa cho biết gia đình đã chuyển đi từ năm ngoái.", ["thai-hoa"]),
    # ... but "đàn ông" is a man, not a title
    ("vi", "Một người đàn ông Trung Quốc đã sáng chế ra chiếc xe đạp.", []),
    # with diacritics a name is not the place it folds to
    ("vi", "Kế toán Nguyễn Tấn Hùng bị truy cứu trách nhiệm hình sự.", ["nguyen-tan-hung"]),
    ("vi", "Nữ diễn viên Hà Tình thể hiện vai chính.", ["ha-tinh"]),
    ("vi", "Mưa lớn ở Hà Tĩnh và huyện Tân Hưng.", []),
]


@pytest.fixture(scope="module")
def extractor():
    return Extractor(IngestConfig())


def _persons(extractor, lang, text):
    story = STORY_EN if lang == "en" else STORY_VI
    record = Record(origin=Origin("fixture"), id="x", title="News" if lang == "en" else "Tin tức",
                    text=f"{text}\n\n{story}", lang=lang)
    return extractor.article(record)


@pytest.mark.parametrize("lang,text,expected", SHAPES, ids=[s[1][:40] for s in SHAPES])
def test_each_shape_names_its_people_and_no_one_else(extractor, lang, text, expected):
    assert [p.key for p in _persons(extractor, lang, text).persons] == expected


def test_there_are_forty_shapes_in_both_languages():
    assert len(SHAPES) >= 40
    assert {lang for lang, _, _ in SHAPES} == {"en", "vi"}


def test_a_reporters_line_is_credits():
    article = _persons(Extractor(IngestConfig()), "vi", "Nhóm phóng viên Lê Minh - Trần Hòa thực hiện.")
    assert article.credits == ["Lê Minh (reporter)", "Trần Hòa (reporter)"]
