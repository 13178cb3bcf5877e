"""The index's own vocabulary, for "did you mean" and suggestions as you type.

The text fields index English stems (``cooper~``), so the words people type
(``cooperation``) are not all in the term dictionary. While it indexes, the
writer also counts, per document, the words as written:

* ``words``: folded words (``trong``, ``cooperation``), for queries typed
  without diacritics;
* ``exact``: words with diacritics (``trọng``), so a Vietnamese word is
  corrected to a Vietnamese word;
* ``phrases``: runs of two or three capitalised words (``Bắc Kinh``,
  ``Hà Nội``), offered as suggestions;
* ``titles``: each document's headline, by id, also offered as suggestions.

Counts are exact document frequencies over the live documents. The
vocabulary is saved whole as ``vocab.json`` in each index generation;
additions count a document's terms, and replacements and deletions take the
old document's terms away again (recomputed from its stored title and text,
see :func:`index.ingest.stored_terms`), so a word whose last document is
deleted is no longer suggested.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import regex

from .normalize import canonical_tone, fold, has_diacritics, repair

__all__ = ["ArticleTerms", "Vocabulary", "article_terms", "VOCAB_FILE"]

VOCAB_FILE = "vocab.json"
_CAP = r"\p{Lu}[\p{L}\p{M}]*+"
# Two or three capitalised words, neither preceded nor followed by another.
_PHRASE = regex.compile(
    rf"(?<![\p{{L}}\p{{M}}'’-])(?<!\p{{Lu}}[\p{{L}}\p{{M}}]*[ \u00a0]+){_CAP}(?:[ \u00a0]+{_CAP}){{1,2}}"
    rf"(?![\p{{L}}\p{{M}}'’-])(?![ \u00a0]+\p{{Lu}})"
)


@dataclass(frozen=True)
class ArticleTerms:
    words: frozenset
    exact: frozenset
    phrases: frozenset


def article_terms(zone_words: list[list[str]], texts: list[str]) -> ArticleTerms:
    """The distinct words and phrases of one article, from its words per zone
    (as :func:`index.analysis.words` splits them) and its texts."""
    unique = {w for ws in zone_words for w in ws if not w.isdigit()}
    words = frozenset(fold(w) for w in unique if len(w) > 1)
    exact = frozenset(canonical_tone(w).lower() for w in unique if has_diacritics(w))
    phrases = frozenset(
        " ".join(m.group().split()) for text in texts if text for m in _PHRASE.finditer(repair(text))
    )
    return ArticleTerms(words, exact, phrases)


@dataclass
class Vocabulary:
    words: Counter = field(default_factory=Counter)
    exact: Counter = field(default_factory=Counter)
    phrases: Counter = field(default_factory=Counter)
    titles: dict = field(default_factory=dict)
    documents: int = 0

    def add(self, doc_id: str, title: str | None, terms: ArticleTerms) -> None:
        self.words.update(terms.words)
        self.exact.update(terms.exact)
        self.phrases.update(terms.phrases)
        if title:
            self.titles[doc_id] = title
        else:
            self.titles.pop(doc_id, None)
        self.documents += 1

    def remove(self, doc_id: str, terms: ArticleTerms) -> None:
        """Take away a document that was counted with ``terms``."""
        self.titles.pop(doc_id, None)
        for counter, items in ((self.words, terms.words), (self.exact, terms.exact),
                               (self.phrases, terms.phrases)):
            for item in items:
                n = counter.get(item, 0) - 1
                if n > 0:
                    counter[item] = n
                else:  # gone (or never saved by an older version)
                    counter.pop(item, None)
        self.documents = max(0, self.documents - 1)

    def save(self, path: Path) -> None:
        """Write every count, atomically."""
        data = {"documents": self.documents, "words": dict(self.words.most_common()),
                "exact": dict(self.exact.most_common()), "phrases": dict(self.phrases.most_common()),
                "titles": self.titles}
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path) -> "Vocabulary":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        return cls(Counter(data.get("words", {})), Counter(data.get("exact", {})),
                   Counter(data.get("phrases", {})), data.get("titles", {}), data.get("documents", 0))
