"""Cross-language equivalents: names that mean the same thing.

``data/equivalents.toml`` lists groups of names (``Beijing`` / ``Bắc Kinh``)
by kind (countries, places, seas, organisations, things). Lookup ignores
case, diacritics and spacing, as the index does. Its ``home`` table gives a
country's home language: the language its own news is written in, so that
an article in it is set there more often than not, named or not.
"""

from __future__ import annotations

from pathlib import Path

from .analysis import words
from .datafiles import read_toml
from .normalize import fold

__all__ = ["Equivalents", "DEFAULT_EQUIVALENTS", "KINDS"]

# the lists of the data file, and what each holds (a kind of name)
KINDS = {"countries": "country", "places": "place", "seas": "sea", "organisations": "organisation",
         "things": "thing", "groups": "name"}

DEFAULT_EQUIVALENTS = Path(__file__).with_name("data") / "equivalents.toml"


def _key(text: str) -> str:
    return "".join(fold(w) for w in words(text))


class Equivalents:
    def __init__(self, groups: list[list[str]], kinds: list[str] | None = None,
                 homes: dict[str, str] | None = None):
        self.groups = groups
        self.kinds = kinds or ["name"] * len(groups)
        self.homes = homes or {}  # usual name -> language code
        self._index: dict[str, int] = {}
        self.max_words = 1
        for i, group in enumerate(groups):
            for name in group:
                self._index.setdefault(_key(name), i)
                self.max_words = max(self.max_words, len(words(name)))

    @classmethod
    def load(cls, path: Path | None = None) -> "Equivalents":
        path = path or DEFAULT_EQUIVALENTS
        data = read_toml(path)
        groups, kinds = [], []
        for section, kind in KINDS.items():
            found = data.get(section, [])
            if not all(isinstance(g, list) and g and all(isinstance(n, str) for n in g) for g in found):
                raise ValueError(f"{path}: {section} must be lists of names")
            groups.extend(found)
            kinds.extend([kind] * len(found))
        homes = data.get("home", {})
        usual = {g[0] for g in groups}
        for name, lang in homes.items():
            if name not in usual or not isinstance(lang, str):
                raise ValueError(f"{path}: home: {name!r} must be the usual name of a group, given a language code")
        return cls(groups, kinds, homes)

    def home(self, usual: str) -> str | None:
        """The home language of the group whose usual name is ``usual``."""
        return self.homes.get(usual)

    def group(self, text: str) -> tuple[str, str, list[str]] | None:
        """(kind, usual name, other names) of ``text``'s group, or None."""
        i = self._index.get(_key(text))
        if i is None:
            return None
        mine = _key(text)
        return self.kinds[i], self.groups[i][0], [n for n in self.groups[i] if _key(n) != mine]

    def others(self, text: str) -> list[str]:
        """The other names of ``text``'s group (empty if it has none)."""
        found = self.group(text)
        return found[2] if found else []
