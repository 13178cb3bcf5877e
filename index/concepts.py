"""A bilingual lexicon of the news domain: what a Vietnamese term is in
English, and the reverse (``bầu cử`` = ``election``).

``data/lexicon.toml`` holds one list of concepts per domain. Each concept
is one string, its English forms and its Vietnamese forms on either side of
`` = ``, synonyms separated by commas::

    "election, elections, poll = bầu cử, cuộc bầu cử"

Lookup ignores case and diacritics, and English forms also match their
inflections (``vaccinations`` finds ``vaccination``, ``prepared`` finds
``prepare``): only inflectional endings are taken off, not a stemmer's
derivational ones, so a word that merely shares a stem is another word
(``important`` is not ``imports``, ``customer`` not ``customs``). A
Vietnamese form of one syllable is searched for (``shrimp`` finds ``tôm``)
but not looked up as other forms are: in a query, one syllable is usually
part of another word (``bắt`` in ``bắt đầu``). ``find_syllable`` gives it to
a caller that knows the syllable stands alone, unless two concepts list it
(``đường``: sugar or road). So list only syllables that mean one thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .analysis import words
from .datafiles import read_toml
from .normalize import canonical_tone, fold, has_diacritics

__all__ = ["Concept", "ConceptLexicon", "DEFAULT_LEXICON"]

DEFAULT_LEXICON = Path(__file__).with_name("data") / "lexicon.toml"


@dataclass(frozen=True)
class Concept:
    domain: str
    en: tuple[str, ...]
    vi: tuple[str, ...]

    def forms(self, lang: str) -> tuple[str, ...]:
        return self.en if lang == "en" else self.vi


def _exact(text: str) -> str:
    return " ".join(canonical_tone(w).lower() for w in words(text))


def _key(text: str) -> str:
    return " ".join(fold(w) for w in words(text))


_ENDINGS = ("ies", "ing", "ed", "es", "s")


def _base(word: str) -> str:
    """``word`` without an inflectional ending, a final ``e`` or a doubled
    final consonant: ``stopped``, ``stops`` and ``stop`` give ``stop``;
    ``prepared`` and ``preparing`` give ``prepar``; ``important`` stays."""
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            word = word[:-len(ending)] + ("y" if ending == "ies" else "")
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]
    return word


def _base_key(text: str) -> str:
    return " ".join(_base(fold(w)) for w in words(text))


class ConceptLexicon:
    def __init__(self, concepts: list[Concept]):
        self.concepts = concepts
        # key -> (concept, language of the form)
        self._exact: dict[str, tuple[Concept, str]] = {}
        self._index: dict[str, tuple[Concept, str]] = {}
        self._bases: dict[str, tuple[Concept, str]] = {}
        self._syllables: dict[str, tuple[Concept, str] | None] = {}  # None: ambiguous
        self.max_words = 1
        for c in concepts:
            for lang in ("vi", "en"):
                for form in c.forms(lang):
                    if lang == "vi" and len(words(form)) == 1 and has_diacritics(form):
                        key = _exact(form)  # one syllable: usually part of another word
                        known = self._syllables.get(key, (c, lang))
                        self._syllables[key] = (c, lang) if known is not None and known[0] is c else None
                        continue
                    self._exact.setdefault(_exact(form), (c, lang))
                    self._index.setdefault(_key(form), (c, lang))
                    if lang == "en":
                        self._bases.setdefault(_base_key(form), (c, lang))
                    self.max_words = max(self.max_words, len(words(form)))

    @classmethod
    def load(cls, path: Path | None = None) -> "ConceptLexicon":
        path = path or DEFAULT_LEXICON
        concepts = []
        for domain, entries in read_toml(path).items():
            if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
                raise ValueError(f"{path}: {domain} must be a list of strings")
            for entry in entries:
                en, sep, vi = entry.partition("=")
                en_forms = tuple(f.strip() for f in en.split(",") if f.strip())
                vi_forms = tuple(f.strip() for f in vi.split(",") if f.strip())
                if not sep or not en_forms or not vi_forms:
                    raise ValueError(f"{path}: {domain}: {entry!r} is not 'english, ... = tiếng việt, ...'")
                concepts.append(Concept(domain, en_forms, vi_forms))
        return cls(concepts)

    def find(self, text: str) -> tuple[Concept, str] | None:
        """The concept ``text`` is a form of, and that form's language. Typed
        with diacritics, it must match them (``bán`` is not ``bàn``)."""
        found = self._exact.get(_exact(text))
        if found or has_diacritics(text):
            return found
        return self._index.get(_key(text)) or self._bases.get(_base_key(text))

    def find_syllable(self, text: str) -> tuple[Concept, str] | None:
        """The concept one Vietnamese syllable, typed with its diacritics, is
        the only form of one syllable of (``thiếc``: tin), for a syllable
        known to stand alone; ``None`` when two concepts list it."""
        return self._syllables.get(_exact(text)) if has_diacritics(text) else None
