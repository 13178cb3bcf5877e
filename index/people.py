"""People named in an article: one key per real person, across every spelling.

Three sources, combined:

1. **The registry** (``data/people.toml``): canonical names, short forms and
   aliases, Sino-Vietnamese readings included (``Tập Cận Bình`` is Xi Jinping).
   Matching ignores case, diacritics and spacing (``TO LAM``, ``Xie Chun Tao``).
2. **Discovery** of people not in the registry, from name shapes: a
   Vietnamese family name followed by Vietnamese syllables (``Luong Tam
   Quang``), a Chinese family name followed by a pinyin given name (``Guo
   Shengkun``), any two or three capitalised words after a title or role,
   maybe past demonyms, countries and other title words (``Indonesian
   President Prabowo Subianto``, ``Thủ tướng Nhật Bản Shigeru Ishiba``,
   ``ông Nguyễn Văn An``), or a Western name (a common given name, then a
   family name) beside words of speech or a description (``said Gregory
   Poling``, ``Carl Thayer, a professor``) or named again by family name.
   A Vietnamese-shaped name may be a Chinese name in its Sino-Vietnamese
   reading (``Lý Cán Kiệt``): see :mod:`index.hanviet`.
3. **Short forms** resolved to the full name mentioned earlier in the same
   article, remembering name order: a Vietnamese given name comes last
   (``Minister Lam`` → Tô Lâm), a Chinese family name first (``Cai said`` →
   Cai Qi).

Not people: credits (bylines, photo credits, web editors: never scanned),
news outlets (``sources.toml``), policies and slogans (``data/things.toml``:
``Đổi Mới``), places and things named after people (``Ho Chi Minh City``,
``đường Lê Duẩn``, ``Chu Van An High School``, ``Tran Van Thoi district``),
and places shaped like a person's name (``Lào Cai``, ``Mai Châu``), from
``data/places.toml``, matched with diacritics when the text has them (the
district Tân Hưng is not Nguyễn Tấn Hùng) and yielding to an honorific
(``bà Hoàng Mai`` is a person).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import regex

from .analysis import headline_case
from .datafiles import read_toml
from .document import Person
from .hanviet import HanViet
from .normalize import canonical_tone, fold, has_diacritics, is_syllable, repair

__all__ = ["RegistryPerson", "PeopleRegistry", "NameShapes", "PersonExtractor", "Mentions",
           "person_key", "DEFAULT_PEOPLE"]

DATA = Path(__file__).with_name("data")
DEFAULT_PEOPLE = DATA / "people.toml"

_TOKEN = regex.compile(r"\p{L}[\p{L}\p{M}]*(?:['’-]\p{L}[\p{L}\p{M}]*)*")
_CAP = r"\p{Lu}[\p{L}\p{M}]*(?:['’-]\p{L}[\p{L}\p{M}]*)*"
# A run of capitalised words separated only by spaces.
_RUN = regex.compile(rf"(?<![\p{{L}}\p{{M}}'’-]){_CAP}(?:[ \u00a0]+{_CAP})*")
_CJK = regex.compile(r"[\p{Han}]")
_POSSESSIVE = regex.compile(r"['’]s$")

# Titles and honorifics that announce a person (folded).
PERSON_CUES = frozenset("""
mr mrs ms madam madame dr sir comrade minister premier president chairman chairwoman chair
general secretary councilor councillor ambassador governor mayor chancellor spokesperson
spokesman spokeswoman colonel admiral king queen prince princess ong ba ngai
analyst professor prof researcher scholar economist expert historian lawyer senator envoy
""".split())
# Words of titles that may stand between a cue and a name (folded).
TITLE_WORDS = PERSON_CUES | frozenset("""
prime vice deputy state foreign defence defense public security lieutenant major senior
standing permanent executive former acting first party politburo member head chief director
vietnamese chinese communist central committee national assembly the his her external
relations international affairs liaison political legal general pm us uk
""".split())
# Vietnamese honorifics: the titles after which any capitalised name is a person.
VI_HONORIFICS = ("ông", "bà", "ngài", "anh", "chị")
# Vietnamese titles and roles of several words, written before a name (and
# often a country: "Thủ tướng Nhật Bản Shigeru Ishiba").
VI_TITLES = VI_HONORIFICS + (
    "tổng thống", "thủ tướng", "chủ tịch", "bộ trưởng", "thứ trưởng", "ngoại trưởng", "đại sứ",
    "tổng bí thư", "người phát ngôn", "phát ngôn viên", "thống đốc", "thị trưởng", "tướng",
    "đô đốc", "nhà vua", "quốc vương", "hoàng tử", "nữ hoàng", "chuyên gia", "giáo sư",
    "tiến sĩ", "nhà nghiên cứu", "học giả", "nhà báo", "luật sư", "nhà kinh tế", "nhà sử học",
    "nhà phân tích", "nghị sĩ", "thượng nghị sĩ",
)
# English honorifics (and Vietnamese ones typed without diacritics): after
# them a place-shaped name is a person ("Mr Long An"); after a title it is not.
HONORIFICS = frozenset(("mr", "mrs", "ms", "madam", "madame", "dr", "sir", "ong", "ba"))
# ... unless they are part of another word: "đàn ông" (a man), "ông bà" (grandparents).
NOT_HONORIFICS = ("đàn ông", "đàn bà", "ông bà", "anh chị")
# Words right before a name that make it a place or a thing.
PLACE_PREFIXES = (
    "tp", "tp.", "thành phố", "đường", "phố", "lăng", "khu di tích", "bảo tàng", "tư tưởng",
    "đại lộ", "sân bay", "trường", "quảng trường", "cầu", "tỉnh", "huyện", "xã", "phường",
    "quận", "giải thưởng", "giải", "chiến dịch", "cảng", "đảo", "sông", "núi", "vịnh", "hồ",
    "bệnh viện", "chợ", "công viên", "sân vận động", "học viện", "đại học", "viện", "ga",
    "bến xe", "ngõ", "hẻm", "làng", "thôn", "chùa", "đền", "đình", "nhà thờ", "khách sạn",
    "tàu", "tập đoàn", "công ty", "nhà hát", "rạp", "thpt", "thcs", "ptth", "ptcs",
    # the fixed wording of a national campaign: "... tư tưởng, đạo đức, phong cách Hồ Chí Minh"
    "phong cách",
)
PLACE_SUFFIXES = frozenset("""
city relic site mausoleum museum street road avenue boulevard square trail thought airport
bridge university school prize award campaign memorial temple park hall station province
district ward commune port bay lake river island islands mountain pass highway expressway
stadium theatre theater hospital institute academy village town
""".split())
# Lower-case nouns that, right after a name, make it a place or a building
# ("Tran Van Thoi district", "Nguyen Hue street"); not "thought" or "award",
# which may be a verb or an object after a person.
PLACE_NOUNS_AFTER = frozenset("""
city district province commune ward street road avenue boulevard square bridge airport
university school hospital museum stadium station port bay lake river island islands
mountain highway expressway village town temple pagoda park mausoleum memorial
""".split())
# Words right before or after a name that make it someone speaking or described
# ("said Gregory Poling", "Bonnie Glaser of the ...", "Carl Thayer, an emeritus ...").
_SPEECH_BEFORE = ("said", "says", "told", "wrote", "added", "asked", "according to", "theo")
_SPEECH_AFTER = regex.compile(
    r"(?:,\s*(?:an?|the|who|whose|then|now|former|currently)\s"
    r"|,\s*\p{Ll}+(?:\s+\p{Ll}+)?\s+(?:of|at|for|with)\s"
    r"|\s+(?:of|from)\s+the\s"
    r"|\s+(?:said|says|told|added|noted|wrote|argued|stressed|warned|explained|believes|thinks"
    r"|cho biết|nói|nhận định|khẳng định|nhấn mạnh|nhận xét|bình luận)\b)")
# Capitalised heads of things named after people, besides PLACE_SUFFIXES
# ("Ho Chi Minh Communist Youth Union", "Ho Chi Minh Medal").
THING_HEADS = frozenset("""
college foundation union league centre center library order medal fund scholarship festival
cup trophy church cathedral harbour harbor
""".split())
# Words that may stand between a name and the noun that makes it a thing
# ("Chu Van An High School", "Ho Chi Minh National Academy of Politics").
INSTITUTION_WORDS = frozenset("""
national international high secondary primary junior senior general central military
medical technical communist youth pioneer memorial people's peoples open normal
pedagogical political special historical cultural relic heritage
""".split())
# Capitalised words that make a run an organisation, never a person (folded).
ORG_WORDS = frozenset("""
ministry committee party bureau department commission council association union company group
bank university army academy institute agency office government assembly court police force
front federation corporation news daily times post press club team league corp inc ltd plc
co motors airlines holdings fc united industries energy petroleum economics associates
investors research hotels communications federal fed capital partners securities airways
systems technologies pharmaceuticals foods insurance trust utd
""".split())


def person_key(name: str) -> str:
    """A stable ASCII key: the folded name, words joined by hyphens."""
    return "-".join(fold(w) for w in _TOKEN.findall(repair(name)))


def _compact(words) -> str:
    """Words as one folded key (``Tô Lâm's`` → ``tolam``), for registry and
    place lookups."""
    return "".join(map(_compact_word, words))


def _exact(words) -> str:
    """Words as one key that keeps diacritics (``Tân Hưng`` → ``tânhưng``)."""
    return "".join(_lower(_POSSESSIVE.sub("", w)).replace("'", "").replace("’", "").replace("-", "")
                   for w in words)


@lru_cache(maxsize=131072)
def _compact_word(word: str) -> str:
    return fold(_POSSESSIVE.sub("", word)).replace("'", "").replace("’", "").replace("-", "")


@dataclass(frozen=True)
class RegistryPerson:
    key: str
    name: str
    country: str
    short: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()


class PeopleRegistry:
    """Canonical people, looked up by any spelling of their full name."""

    def __init__(self, people: list[RegistryPerson]):
        self.people = {p.key: p for p in people}
        self.by_form: dict[str, RegistryPerson] = {}
        self.cjk_aliases: dict[str, RegistryPerson] = {}
        self.max_words = 2
        for p in people:
            for form in (p.name, *p.aliases):
                if _CJK.search(form):
                    self.cjk_aliases[form] = p
                    continue
                words = _TOKEN.findall(repair(form))
                if len(words) < 2:
                    continue
                self.by_form.setdefault(_compact(words), p)
                self.max_words = max(self.max_words, len(words))
        # The family names of registered Chinese people, in pinyin ("xi", "wang").
        self.cn_families = frozenset(fold(p.name.split()[0]) for p in people if p.country == "CN")

    def find(self, name: str) -> RegistryPerson | None:
        """The registered person with this full name, in any spelling."""
        return self.by_form.get(_compact(_TOKEN.findall(repair(name))))

    @classmethod
    def load(cls, *extra: Path) -> "PeopleRegistry":
        people: list[RegistryPerson] = []
        keys: set[str] = set()
        for path in (DEFAULT_PEOPLE, *extra):
            data = read_toml(path)
            for i, item in enumerate(data.get("person", []), 1):
                if not isinstance(item, dict) or not isinstance(item.get("name"), str):
                    raise ValueError(f"{path}: person #{i} needs a name")
                key = item.get("key") or person_key(item["name"])
                if key in keys:
                    # a later file overrides an earlier entry with the same key
                    people = [p for p in people if p.key != key]
                keys.add(key)
                people.append(RegistryPerson(
                    key=key, name=repair(item["name"]), country=item.get("country", ""),
                    short=tuple(repair(s) for s in item.get("short", ())),
                    aliases=tuple(repair(a) for a in item.get("aliases", ())),
                    roles=tuple(item.get("roles", ())),
                ))
        return cls(people)


class NameShapes:
    """Reference data for name shapes: family names, pinyin, places."""

    def __init__(self, vn_family, cn_family, pinyin, places, things=(), given=()):
        # With diacritics a family name must match exactly (Tống is one,
        # Tổng is not); text written without them can only match folded.
        self.vn_family = frozenset(canonical_tone(n).lower() for n in vn_family)
        self.vn_family_folded = frozenset(fold(n) for n in vn_family)
        self.cn_family = frozenset(fold(n) for n in cn_family)
        self.pinyin = frozenset(p.lower() for p in pinyin)
        # Places and things are matched with diacritics when the words have
        # them ("Tấn Hùng" is not the district Tân Hưng), folded when not.
        self.places = _NameSet(places)
        # Names of outlets, policies and slogans: never a person, whatever the context.
        self.things = _NameSet(things)
        self.given = frozenset(g.lower() for g in given)

    @classmethod
    def load(cls, *extra_places: Path, outlets: Iterable[str] = ()) -> "NameShapes":
        """The data files, with the names of news outlets (several words:
        ``Nhân Dân``, ``Lianhe Zaobao``) as things that are no person."""
        names = read_toml(DATA / "names.toml")
        places: list[str] = []
        for path in (DATA / "places.toml", *extra_places):
            for value in read_toml(path).values():
                places.extend(value)
        things = [*read_toml(DATA / "things.toml")["things"], *(o for o in outlets if len(o.split()) > 1)]
        return cls(names["vietnamese_family"], names["chinese_family"], names["pinyin_syllables"], places,
                   things, read_toml(DATA / "given_names.toml")["given"])

    def pinyin_split(self, word: str, max_syllables: int = 2) -> list[str] | None:
        """Split a folded word into at most ``max_syllables`` pinyin syllables."""
        word = word.replace("'", "").replace("’", "").replace("-", "")
        if not word:
            return []
        if max_syllables == 0:
            return None
        for i in range(min(6, len(word)), 0, -1):
            if word[:i] in self.pinyin:
                rest = self.pinyin_split(word[i:], max_syllables - 1)
                if rest is not None:
                    return [word[:i], *rest]
        return None

    def vietnamese_family(self, word: str, marked: bool = False) -> bool:
        """A Vietnamese family name: exactly, in text written with diacritics
        (Tống is one, Tổng is not; Bàn is one, Ban is not), folded otherwise."""
        if fold(word) in PERSON_CUES:
            return False
        if marked or has_diacritics(word):
            return canonical_tone(word).lower() in self.vn_family
        return fold(word) in self.vn_family_folded

    def vietnamese(self, words: list[str], marked: bool = False) -> bool:
        if not 2 <= len(words) <= 4 or not all(is_syllable(w) for w in words):
            return False
        # An acronym among capitalised words ("HA Gia Lai") is no part of a
        # name, unless the whole run is in capitals ("NGUYEN PHU TRONG").
        caps = [w.isupper() and len(w) > 1 for w in words]
        if any(caps) and not all(caps):
            return False
        return self.vietnamese_family(words[0], marked)

    def chinese(self, words: list[str]) -> str | None:
        """The canonical pinyin form (``Xie Chuntao``) if ``words`` is a Chinese name."""
        if not 2 <= len(words) <= 3 or any(has_diacritics(w) for w in words):
            return None
        folded = [fold(w) for w in words]
        if folded[0] not in self.cn_family:
            return None
        given = "".join(folded[1:])
        syllables = self.pinyin_split(given)
        if not syllables or (len(words) == 3 and len(syllables) != 2):
            return None
        return f"{words[0][0].upper()}{folded[0][1:]} {given[0].upper()}{given[1:]}"

    def is_place(self, words: list[str]) -> bool:
        return words in self.places

    def western(self, words: list[str]) -> bool:
        """A Western name: a common given name, then one or two capitalised
        words (``Gregory Poling``, ``Bonnie S. Glaser``) that name no place or thing."""
        if not 2 <= len(words) <= 3 or words[0].lower() not in self.given:
            return False
        if any(has_diacritics(w) or w.isupper() for w in words):
            return False
        last = fold(words[-1])
        return len(last) > 1 and not (last in PLACE_SUFFIXES or last in THING_HEADS or last in TITLE_WORDS
                    or last in ORG_WORDS or self.is_place(words[-1:]))

    def is_thing(self, words: list[str]) -> bool:
        return words in self.things


class _NameSet:
    """Names of several words, looked up as a text writes them: exactly (but
    for case, spacing and tone placement) when it writes diacritics, folded
    when it does not."""

    def __init__(self, names: Iterable[str]):
        tokens = [_TOKEN.findall(repair(n)) for n in names]
        self.folded = frozenset(key for key in map(_compact, tokens) if key)
        self.exact = frozenset(key for key in map(_exact, tokens) if key)
        self.first = frozenset(_compact_word(t[0]) for t in tokens if t)
        self._memo = lru_cache(maxsize=1 << 16)(self._holds)  # runs repeat across articles

    def __contains__(self, words: list[str]) -> bool:
        return _compact_word(words[0]) in self.first and self._memo(tuple(words))

    def _holds(self, words: tuple[str, ...]) -> bool:
        if any(map(has_diacritics, words)):
            return _exact(words) in self.exact
        return _compact(words) in self.folded


@dataclass
class Mentions:
    """People found in one article, in order of first mention."""

    persons: list[Person] = field(default_factory=list)
    spellings: dict[str, list[str]] = field(default_factory=dict)
    # Keys of people found by a Vietnamese name's shape in text written with
    # diacritics, not in the registry: maybe a Chinese name in its
    # Sino-Vietnamese reading (see index.hanviet).
    sino: list[str] = field(default_factory=list)

    def add(self, key: str, label: str, surface: str) -> None:
        if key not in self.spellings:
            self.persons.append(Person(key, label))
            self.spellings[key] = []
        if surface not in self.spellings[key]:
            self.spellings[key].append(surface)


@dataclass
class _Found:
    key: str
    label: str
    country: str
    shorts: tuple[str, ...]
    registry: bool
    diacritics: int = 0
    sure: bool = True  # False: a Western name seen once, a person only if named again
    sino: bool = False  # found by a Vietnamese name's shape, written with diacritics


class PersonExtractor:
    def __init__(self, registry: PeopleRegistry, shapes: NameShapes, hanviet: HanViet | None = None):
        self.registry = registry
        self.shapes = shapes
        self.hanviet = hanviet if hanviet is not None else HanViet()

    def extract(self, segments: list[str], credits: list[str] = ()) -> Mentions:
        """People named in ``segments`` (title, story paragraphs, captions),
        leaving out anyone credited (``"Li Tao (photo)"``)."""
        credited = {_compact(_TOKEN.findall(regex.sub(r"\s*\([^)]*\)\s*$", "", c))) for c in credits}
        # Text written with diacritics is matched with them: "Ban" is not "Bàn".
        sample = [w for seg in segments[:6] for w in _TOKEN.findall(seg)][:300]
        self._marked = bool(sample) and sum(map(has_diacritics, sample)) >= 0.1 * len(sample)
        found: dict[str, _Found] = {}
        events: list[tuple[str, str | None, str]] = []  # (kind, key, surface) in reading order
        for segment in segments:
            segment = repair(segment)
            if _CJK.search(segment):
                for cjk, p in self.registry.cjk_aliases.items():
                    if cjk in segment:
                        self._remember(found, p.key, p.name, p.country, p.short, cjk, True)
                        events.append(("full", p.key, cjk))
            headline = headline_case(segment)
            for match in _RUN.finditer(segment):
                words = match.group().split()
                around = _Around(segment, match.start(), match.end())
                events.extend(self._scan_run(words, around, headline, found, credited))
        return self._resolve(events, found)

    # -- one run of capitalised words -------------------------------------------

    def _scan_run(self, words: list[str], around: "_Around", headline: bool, found, credited):
        if len(words) == 1:  # most runs: a capitalised word on its own
            return [("short", None, _POSSESSIVE.sub("", words[0]))]
        consumed = [False] * len(words)
        out = []
        # 0. Outlets, policies and slogans are no one ("Nhân Dân", "Đổi Mới").
        for size in range(min(5, len(words)), 1, -1):
            for i in range(len(words) - size + 1):
                if not any(consumed[i:i + size]) and self.shapes.is_thing(words[i:i + size]):
                    consumed[i:i + size] = [True] * size
        # 1. Registry names, longest first.
        for size in range(min(self.registry.max_words, len(words)), 1, -1):
            for i in range(len(words) - size + 1):
                if any(consumed[i:i + size]):
                    continue
                person = self.registry.by_form.get(_compact(words[i:i + size]))
                if person is None:
                    continue
                consumed[i:i + size] = [True] * size
                surface = " ".join(_POSSESSIVE.sub("", w) for w in words[i:i + size])
                if self._named_after(words, i, size, around, gazetteer=False) or \
                        _compact(words[i:i + size]) in credited:
                    continue
                self._remember(found, person.key, person.name, person.country, person.short, surface, True)
                out.append(("full", person.key, surface))
        # 2. Known places in the run are no one ("Bà Rịa Vũng Tàu"), unless an
        # honorific names a person so ("bà Hoàng Mai": Hoàng Mai is also a
        # district); a title does not ("Thủ tướng Thái Lan ...").
        for size in range(min(4, len(words)), 1, -1):
            for i in range(len(words) - size + 1):
                if not any(consumed[i:i + size]) and self.shapes.is_place(words[i:i + size]) \
                        and not _honoured(words, i, around.before):
                    consumed[i:i + size] = [True] * size
        # 3. Discovery, in what is left.
        if not headline:
            for i, size, label, country, sure in self._discover(words, consumed, around):
                consumed[i:i + size] = [True] * size
                surface = " ".join(_POSSESSIVE.sub("", w) for w in words[i:i + size])
                if label is None or _compact(words[i:i + size]) in credited:
                    continue
                person = self._read_as_chinese(label) if country == "VN" and self._marked else None
                if person is not None:  # "Lý Cán Kiệt" is the registry's Li Ganjie
                    self._remember(found, person.key, person.name, person.country,
                                   (*person.short, label.split()[0]), surface, True)
                    out.append(("full", person.key, surface))
                    continue
                key = person_key(label)
                parts = label.split()
                shorts = (parts[0],) if country == "CN" else (parts[-1],)
                self._remember(found, key, label, country, shorts, surface, False, sure)
                found[key].sino = found[key].sino or (country == "VN" and self._marked)
                out.append(("full" if sure else "maybe", key, surface))
        # 4. A lone word after any titles: maybe a short form ("Minister Lam").
        last = len(words) - 1
        if not any(consumed) and all(fold(w) in TITLE_WORDS for w in words[:last]):
            out.append(("short", None, " ".join(_POSSESSIVE.sub("", w) for w in words)))
        return out

    def _named_after(self, words, i, size, around, gazetteer=True) -> bool:
        """The name at words[i:i+size] names a place or a thing (by the words
        around it), or, with ``gazetteer``, is a known place (unless a title
        names a person so)."""
        if gazetteer and self.shapes.is_place(words[i:i + size]) and not _honoured(words, i, around.before):
            return True
        # the noun of a place or an institution after it, maybe past a few
        # words such as "National", "High" ("Chu Van An High School")
        for word in map(fold, words[i + size:i + size + 4]):
            if word in PLACE_SUFFIXES or word in THING_HEADS:
                return True
            if word not in INSTITUTION_WORDS:
                break
        # a lower-case place noun right after the run ("Tran Van Thoi district")
        if i + size == len(words) and not _POSSESSIVE.search(words[-1]) and \
                around.after() in PLACE_NOUNS_AFTER:
            return True
        context = " ".join(_lower(w) for w in words[max(0, i - 3):i]) if i else around.before()
        return _ends_with(context, PLACE_PREFIXES)

    def _discover(self, words, consumed, around):
        """(start, size, label, country, sure) of name-shaped windows not yet
        consumed; a Western name without a title or words of speech around it
        is not sure."""
        i = 0
        while i < len(words):
            hit = None
            for size in range(min(4, len(words) - i), 1, -1):
                if any(consumed[i:i + size]):
                    continue
                window = [_POSSESSIVE.sub("", w) for w in words[i:i + size]]
                if any(fold(w) in ORG_WORDS for w in window):
                    continue
                if i and not all(consumed[j] or _title_like(words[j]) for j in range(i)) \
                        and not self._cued(words, i, around.before, consumed):
                    break  # "Tây Ban Nha": a name does not start inside other words
                vietnamese = self.shapes.vietnamese(window, self._marked)
                chinese = None if vietnamese else self.shapes.chinese(window)
                if vietnamese or chinese:
                    if self._named_after(words, i, size, around):
                        hit = (i, size, None, None, True)  # a place: consume it, name no one
                    else:
                        hit = (i, size, chinese or " ".join(window), "CN" if chinese else "VN", True)
                    break
                if self._named_after(words, i, size, around):
                    continue
                if size <= 3 and i + size == len(words) and self._cued(words, i, around.before, consumed) \
                        and not self._not_a_name(window):
                    if size == 3 and window[0].lower() not in self.shapes.given and self.shapes.western(window[1:]):
                        # a country or an office before a Western name ("Mỹ George Bush")
                        hit = (i + 1, size - 1, " ".join(window[1:]), "", True)
                    else:
                        hit = (i, size, " ".join(window), "", True)
                    break
                if i == 0 and i + size == len(words) and self.shapes.western(window):
                    hit = (i, size, " ".join(window), "", self._spoken(around))
                    break
            if hit:
                yield hit
                i += hit[1]
            else:
                i += 1

    def _read_as_chinese(self, label: str) -> RegistryPerson | None:
        """The one registered Chinese person whose pinyin name this
        Vietnamese-shaped name is the Sino-Vietnamese reading of."""
        words = label.split()
        if not self.hanviet.family_readings(words[0]) & self.registry.cn_families:
            return None
        matches = {p.key: p for p in map(self.registry.by_form.get, self.hanviet.pinyin_names(words))
                   if p is not None and p.country == "CN"}
        return next(iter(matches.values())) if len(matches) == 1 else None

    def _not_a_name(self, window: list[str]) -> bool:
        """Capitalised words that open with a title, an institution or a place,
        hold an acronym, or end with a title or an organisation's word."""
        last = fold(window[-1])
        return _institution(window) or self.shapes.is_place(window[:1]) or len(last) < 2 or \
            any(w.isupper() and len(w) > 1 for w in window) or \
            any(last in words for words in (TITLE_WORDS, ORG_WORDS, PLACE_SUFFIXES, THING_HEADS))

    def _cued(self, words, i, before, consumed=()) -> bool:
        """A person's title or role stands before words[i], in the run or the
        text before it, maybe past other title words and places already read:
        "President", "Indonesian President", "Secretary of State", "ông",
        "Thủ tướng Nhật Bản"."""
        tokens = before().split() + [_lower(w) for j, w in enumerate(words[:i])
                                     if not (j < len(consumed) and consumed[j]) and not self.shapes.is_place([w])]
        text = " ".join(tokens)
        if _ends_with(text, VI_TITLES):
            return not _ends_with(text, NOT_HONORIFICS)
        for n, token in enumerate(reversed(tokens)):
            token = token.rstrip(".")
            # an English title; "ba" ("three") or "ong" only in text without diacritics
            if token in PERSON_CUES:
                return True
            if n >= 4 or not (fold(token) in TITLE_WORDS or token in ("of", "for")):
                return False
        return False

    @staticmethod
    def _spoken(around) -> bool:
        """Words of speech or a description stand beside the run."""
        return _ends_with(around.before(), _SPEECH_BEFORE) or bool(_SPEECH_AFTER.match(around.following()))

    # -- putting it together ----------------------------------------------------

    @staticmethod
    def _remember(found, key, label, country, shorts, surface, registry, sure=True):
        """Note a full mention. A registered person keeps the canonical label;
        a discovered Vietnamese one takes the spelling with most diacritics."""
        marks = sum(has_diacritics(w) for w in surface.split())
        current = found.get(key)
        if current is None:
            found[key] = _Found(key, label, country, tuple(_lower(s) for s in shorts), registry, marks, sure)
            return
        current.sure = current.sure or sure
        if not current.registry and current.country != "CN" and marks > current.diacritics:
            current.label, current.diacritics = surface, marks
            current.country = country or current.country

    def _resolve(self, events, found) -> Mentions:
        # A Western name seen once without a title or words of speech is a
        # person when the article names them again ("Poling added").
        lone = {_lower(surface) for kind, _, surface in events if kind == "short" and " " not in surface}
        for person in found.values():
            if not person.sure and any(_same_word(w, s, False) for s in person.shorts for w in lone):
                person.sure = True
        found = {k: v for k, v in found.items() if v.sure}
        mentions = Mentions()
        seen: list[str] = []  # keys in order of full mention
        for kind, key, surface in events:
            if kind == "maybe":
                kind = "full" if key in found else "skip"
            if kind == "skip":
                continue
            if kind == "full":
                seen.append(key)
                mentions.add(key, found[key].label, surface)
                continue
            word = surface.split()[-1]
            if " " not in surface and self.shapes.is_place([word]):
                continue  # "Đức" alone is Germany; "ông Đức" is a person
            short = _lower(word)

            def has(k, short=short):
                return any(_same_word(short, s, self._marked) for s in found[k].shorts)

            # the nearest earlier full mention with this short form ...
            match = next((k for k in reversed(seen) if has(k)), None)
            if match is None:
                # ... or the only person of the article who has it
                holders = [k for k in found if has(k)]
                match = holders[0] if len(holders) == 1 else None
            if match is not None:
                mentions.add(match, found[match].label, surface)
        # Labels may have improved after a person's first mention.
        mentions.persons = [Person(p.key, found[p.key].label) for p in mentions.persons]
        mentions.sino = [p.key for p in mentions.persons if found[p.key].sino]
        return mentions


class _Around:
    """The words before and after a run, worked out only if a rule asks."""

    __slots__ = ("text", "start", "end", "_before", "_after")

    def following(self) -> str:
        """The text right after the run."""
        return self.text[self.end:self.end + 60]

    def __init__(self, text: str, start: int, end: int):
        self.text, self.start, self.end = text, start, end
        self._before = self._after = None

    def before(self) -> str:
        if self._before is None:
            self._before = _before(self.text, self.start)
        return self._before

    def after(self) -> str:
        """The lower-case word right after the run, if only spaces part them."""
        if self._after is None:
            match = _NEXT_WORD.match(self.text, self.end)
            self._after = match.group(1) if match else ""
        return self._after


_NEXT_WORD = regex.compile(r"[ \u00a0]+(\p{Ll}+)\b")


def _lower(word: str) -> str:
    return canonical_tone(word).lower()


def _same_word(a: str, b: str, marked: bool) -> bool:
    """Two lower-case words are the same name: exactly in text written with
    diacritics ("Thắng" is not "Tháng", "Lần" is not "Lan"), folded in text
    written without them ("Lam" is "Lâm")."""
    if marked and (has_diacritics(a) or has_diacritics(b)):
        return a == b
    return fold(a) == fold(b)


# Vietnamese words that begin the name of an institution, not a person
# ("Người phát ngôn Bộ Ngoại giao ...": "Bộ Ngoại" is no one).
VI_INSTITUTIONS = frozenset("""
bộ sở ban ủy uỷ cục viện hội đảng đoàn trường báo đài tỉnh huyện quận phường xã tòa toà
""".split()) | frozenset(("công ty", "tập đoàn", "ngân hàng", "văn phòng", "mặt trận", "quân đội",
                          "cảnh sát", "chính phủ", "quốc hội", "thành phố", "học viện", "đại học"))


def _institution(window: list[str]) -> bool:
    """Words that open with a title or an institution's name: no person's name."""
    first = _lower(window[0])
    return fold(first) in TITLE_WORDS or first in VI_INSTITUTIONS or \
        " ".join(map(_lower, window[:2])) in VI_INSTITUTIONS


def _honoured(words, i, before) -> bool:
    """An honorific (not a title) stands right before words[i]: "bà", "Ông", "Mr"."""
    if i:
        return _lower(words[i - 1]) in VI_HONORIFICS or _lower(words[i - 1]).rstrip(".") in HONORIFICS
    text = before()
    if _ends_with(text, VI_HONORIFICS):
        return not _ends_with(text, NOT_HONORIFICS)
    last = text.split()[-1:]
    return bool(last) and last[0].rstrip(".") in HONORIFICS


def _title_like(word: str) -> bool:
    """A word that may stand in a run before a name: a title, an
    organisation word or an acronym ("Lieutenant General", "PM", "CPC")."""
    folded = fold(word)
    return folded in TITLE_WORDS or folded in ORG_WORDS or (word.isupper() and len(word) <= 5) or \
        _lower(word) in VI_HONORIFICS


def _ends_with(context: str, phrases: tuple[str, ...]) -> bool:
    """``context`` ends with one of ``phrases`` (written with diacritics):
    compared exactly when the context has diacritics, folded when not."""
    if not context:
        return False
    if any(has_diacritics(w) for w in context.split()):
        return context.endswith(phrases) and any(
            context == p or context.endswith(" " + p) for p in phrases)
    folded = fold(context)
    folded_phrases = _folded(phrases)
    return folded.endswith(folded_phrases) and any(
        folded == p or folded.endswith(" " + p) for p in folded_phrases)


@lru_cache(maxsize=16)
def _folded(phrases: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(fold(p) for p in phrases)


def _before(text: str, start: int) -> str:
    """Up to three lower-case words before ``start`` ("" across a comma or a
    bracket; a full stop is kept, as in "Mr.")."""
    words = _TOKEN.findall(text[max(0, start - 40):start])
    tail = text[max(0, start - 40):start].rstrip()
    punct = tail[-1:] if tail and not tail[-1].isalnum() else ""
    if punct and punct not in ".":
        return ""
    return " ".join(_lower(w) for w in words[-3:]) + (punct if punct == "." else "")
