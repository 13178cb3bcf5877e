"""Cross-language equivalents: names that mean the same thing.

``data/equivalents.toml`` lists groups of names (``Beijing`` / ``Bắc Kinh``).
Lookup ignores case, diacritics and spacing, as the index does.
"""

from __future__ import annotations

from pathlib import Path

from .analysis import words
from .datafiles import read_toml
from .normalize import fold

__all__ = ["Equivalents", "DEFAULT_EQUIVALENTS"]

DEFAULT_EQUIVALENTS = Path(__file__).with_name("data") / "equivalents.toml"


def _key(text: str) -> str:
    return "".join(fold(w) for w in words(text))


class Equivalents:
    def __init__(self, groups: list[list[str]]):
        self.groups = groups
        self._index: dict[str, int] = {}
        self.max_words = 1
        for i, group in enumerate(groups):
            for name in group:
                self._index.setdefault(_key(name), i)
                self.max_words = max(self.max_words, len(words(name)))

    @classmethod
    def load(cls, path: Path | None = None) -> "Equivalents":
        path = path or DEFAULT_EQUIVALENTS
        groups = read_toml(path).get("groups", [])
        if not all(isinstance(g, list) and all(isinstance(n, str) for n in g) for g in groups):
            raise ValueError(f"{path}: groups must be lists of names")
        return cls(groups)

    def others(self, text: str) -> list[str]:
        """The other names of ``text``'s group (empty if it has none)."""
        i = self._index.get(_key(text))
        if i is None:
            return []
        mine = _key(text)
        return [name for name in self.groups[i] if _key(name) != mine]
