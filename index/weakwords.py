"""Words that carry little on their own in a news query (roles, reporting
verbs, generic and function words), in English and in Vietnamese.

``data/weak.toml`` lists them. Lookup ignores case; a word typed with
diacritics must match them (``đầu`` is not ``đâu``), one typed without them
matches any. A query concept made only of such words ranks documents but is
never required.
"""

from __future__ import annotations

from pathlib import Path

from .analysis import words
from .datafiles import read_toml
from .normalize import canonical_tone, fold, has_diacritics

__all__ = ["WeakWords", "DEFAULT_WEAK_WORDS"]

DEFAULT_WEAK_WORDS = Path(__file__).with_name("data") / "weak.toml"


class WeakWords:
    def __init__(self, listed: set[str]):
        self.exact = {canonical_tone(w).lower() for w in listed}
        self.folded = {fold(w) for w in listed}

    @classmethod
    def load(cls, path: Path | None = None) -> "WeakWords":
        path = path or DEFAULT_WEAK_WORDS
        lists = read_toml(path).get("words", {})
        if not all(isinstance(v, list) and all(isinstance(w, str) for w in v) for v in lists.values()):
            raise ValueError(f"{path}: each list under [words] must hold words")
        return cls({w for v in lists.values() for w in v})

    def __contains__(self, text: str) -> bool:
        """True when every word of ``text`` is weak."""
        ws = words(text)
        return bool(ws) and all(canonical_tone(w).lower() in self.exact if has_diacritics(w) else
                                fold(w) in self.folded for w in ws)
