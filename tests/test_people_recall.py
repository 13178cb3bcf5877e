"""People, recall: names the registry does not know are found from their
shape and what stands around them: a title or role before them (in either
language, past a demonym or a country), words of speech or a description
beside them, or a second mention by the family name. A Western-shaped name
with none of these is not taken for a person."""

import pytest

from index.document import Origin, Record
from index.ingest import Extractor, IngestConfig

# (language, text, the people it names)
SHAPES = [
 ("en", "Analyst Carl Thayer said the move was significant.", ["carl-thayer"]),
 ("en", "Carl Thayer, an emeritus professor at the University of New South Wales, said the move was significant.", ["carl-thayer"]),
 ("en", "\"This is a signal,\" said Gregory Poling, director of the Asia Maritime Transparency Initiative.", ["gregory-poling"]),
 ("en", "Gregory Poling told reporters that the buildup continued. Poling added that more was coming.", ["gregory-poling"]),
 ("en", "Philippine President Ferdinand Marcos Jr. met Prime Minister Anthony Albanese on Monday.", ["ferdinand-marcos-jr", "anthony-albanese"]),
 ("en", "Indonesian President Prabowo Subianto arrived in Hanoi.", ["prabowo-subianto"]),
 ("en", "Secretary of State Marco Rubio spoke with his counterpart.", ["marco-rubio"]),
 ("en", "Bonnie Glaser of the German Marshall Fund said Beijing would respond.", ["bonnie-glaser"]),
 ("en", "Ian Storey, a senior fellow at the ISEAS-Yusof Ishak Institute, wrote in a commentary.", ["ian-storey"]),
 ("en", "Malaysian Prime Minister Anwar Ibrahim said ASEAN must stay united.", ["anwar-ibrahim"]),
 ("en", "Chinese Foreign Ministry spokesperson Mao Ning told a news briefing on Monday that China opposed it. Mao said the issue was clear.", ["mao-ning"]),
 ("vi", "Người phát ngôn Bộ Ngoại giao Phạm Thu Hằng cho biết Việt Nam phản đối. Bà Hằng nhấn mạnh lập trường nhất quán.", ["pham-thu-hang"]),
 ("vi", "Theo chuyên gia Carl Thayer, động thái này rất đáng chú ý.", ["carl-thayer"]),
 ("vi", "Giáo sư Carl Thayer nhận định Trung Quốc sẽ tiếp tục gây sức ép.", ["carl-thayer"]),
 ("vi", "Tổng thống Philippines Ferdinand Marcos Jr. đã tiếp đoàn.", ["ferdinand-marcos-jr"]),
 ("vi", "Thứ trưởng Ngoại giao Lê Hoài Trung dẫn đầu đoàn Việt Nam.", ["le-hoai-trung"]),
 ("en", "Deputy Foreign Minister Le Hoai Trung led the Vietnamese delegation.", ["le-hoai-trung"]),
 ("en", "The visit was confirmed by Wang Wenbin, then a ministry spokesman.", ["wang-wenbin"]),
 ("en", "Japanese Prime Minister Shigeru Ishiba held talks with President Luong Cuong.", ["shigeru-ishiba", "luong-cuong"]),
 ("en", "Derek Grossman, an analyst at the RAND Corporation, said the drills were routine.", ["derek-grossman"]),
 ("en", "\"We will not back down,\" Teodoro said, referring to Defense Secretary Gilberto Teodoro.", ["gilberto-teodoro"]),
 ("en", "South China Sea tensions rose, Reuters reported, citing New York Times sources.", []),
 ("en", "Hanoi Ministry officials said Monday that Ho Chi Minh City Hall would host it.", []),
 ("en", "The Asia Maritime Transparency Initiative said satellite images showed new buildings.", []),
 ("en", "Speaking at Harvard University, he said the Silk Road Fund would grow.", []),
    # a Western-shaped name said once, with nothing around it, is no one ...
    ("en", "Visitors crowded the Grace Kelly exhibition downtown.", []),
    # ... but is someone when named again
    ("en", "Visitors met Grace Kelly at the exhibition. Kelly smiled.", ["grace-kelly"]),
    # an office or a country before a Western name is not part of it
    ("en", "Chancellor of the Exchequer Gordon Brown presented the budget.", ["gordon-brown"]),
    ("vi", "Thủ tướng Anh Tony Blair đã đến Hà Nội.", ["tony-blair"]),
    ("vi", "Thủ tướng Thái Lan Thaksin Shinawatra đã đến Hà Nội.", ["thaksin-shinawatra"]),
    # "Theo" opens a Vietnamese sentence ("according to"), it is no given name
    ("vi", "Theo Toyota Việt Nam, doanh số tăng mạnh.", []),
]


@pytest.fixture(scope="module")
def extractor():
    return Extractor(IngestConfig())


@pytest.mark.parametrize("lang,text,expected", SHAPES, ids=[s[1][:40] for s in SHAPES])
def test_each_shape_names_its_people(extractor, lang, text, expected):
    record = Record(origin=Origin("fixture"), id="x", title="News" if lang == "en" else "Tin tức",
                    text=text, lang=lang)
    assert [p.key for p in extractor.article(record).persons] == expected
