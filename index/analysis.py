"""Whoosh analysis chains for bilingual Vietnamese/English news.

Every chain starts with :class:`WordTokenizer`, which repairs Unicode (NFC,
Latin Eth) before it splits anything. Small filters follow, each a generator
over tokens, as whoosh's own filters are:

``folded_analyzer(lang)``   what text fields index and queries match:
    tokenize → canonical tone → name guard → compounds → fold → English stem
    (``Tô Lâm`` → ``to lam``; ``Việt Nam`` → ``viet``, ``vietnam``, ``nam``;
    ``cooperation`` → ``cooper~`` in English text only).
``exact_analyzer()``        the diacritic-preserving form, for ranking:
    tokenize → canonical tone → lowercase → keep words with diacritics
    (``Tô Lâm`` → ``tô``, ``lâm``; ``To Lam`` → nothing).

There is no stop list: ``To``, ``Le``, ``Do``, ``Ho``, ``Ha``, ``An`` and
``Mai`` are Vietnamese name syllables, and BM25's IDF already discounts
common words.

English stems carry a mark (``cooper~``), so they live apart from unstemmed
words: the English preposition ``to`` (``to~``) does not dilute the name
syllable ``To``, and a name is never stemmed into another (``Huy`` stays
``huy``; the verb ``hui`` would be ``hui~``).

Query words go through :func:`query_forms`, which gives the alternatives a
query builder ORs together: the folded word, its marked English stem, and the
exact form when the user typed diacritics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from whoosh.analysis import Filter, LowercaseFilter, Token, Tokenizer
from whoosh.lang.porter import stem as porter_stem

from .normalize import canonical_tone, fold, has_diacritics, is_syllable, repair

__all__ = [
    "WordTokenizer",
    "ToneFilter",
    "NameGuardFilter",
    "CompoundFilter",
    "FoldFilter",
    "EnglishStemFilter",
    "DiacriticOnlyFilter",
    "folded_analyzer",
    "exact_analyzer",
    "index_words",
    "QueryForms",
    "query_forms",
    "joinable",
    "headline_case",
    "words",
    "STEMMED_LANGS",
    "STEM_MARK",
]

# Digits joined by . or , stay one token (3.5, 10,000); everything else splits
# on non-word characters, so "P.Linh" gives "P" and "Linh".
_WORD = re.compile(r"\d+(?:[.,]\d+)+|[^\W_]+")
_SENTENCE_END = frozenset(".!?:;\"“”'‘’([–—-•\n")
STEMMED_LANGS = frozenset({"en"})
STEM_MARK = "~"


class WordTokenizer(Tokenizer):
    """Repair the text, then yield word tokens with positions and offsets.

    Words that start before ``boost_until`` get ``prefix_boost`` as their
    weight (the lead of a story counts more). Each token also says whether it
    opens a sentence (``initial``) and
    whether the whole text is written in headline case (``headline_case``:
    most words capitalised, as in ``Vietnam Boosts Trade Ties``), which the
    name guard needs: a capitalised word is a name unless the sentence or the
    headline style capitalised it.
    """

    def __init__(self, skip_ascii: bool = False):
        # skip_ascii: yield only words with non-ASCII letters (positions still
        # count every word), for chains that keep nothing else.
        self.skip_ascii = skip_ascii

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True,
                 mode="", boost_until=0, prefix_boost=1.0, **kwargs):
        value = repair(value)
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = value
            t.boost = 1.0
            t.initial = True
            t.headline_case = False
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        pos = start_pos - 1
        skip_ascii = self.skip_ascii
        t.headline_case = headline_case(value)
        t.boost = 1.0
        t.stopped = False
        for match in _WORD.finditer(value):
            pos += 1
            text = match.group()
            if skip_ascii and text.isascii():
                continue
            start, end = match.span()
            t.text = text
            if keeporiginal:
                t.original = text
            # Only a capitalised word needs to know if it opens a sentence.
            t.initial = text[0].isupper() and _opens_sentence(value, start)
            t.pos = pos
            # Offsets are always set: the compound filter and highlighting use them.
            t.startchar = start_char + start
            t.endchar = start_char + end
            t.boost = prefix_boost if start < boost_until else 1.0
            yield t


def _opens_sentence(value: str, start: int) -> bool:
    back = start - 1
    while back >= 0 and value[back] in " \t\u00a0":
        back -= 1
    if back < 0:
        return True
    if value[back] in "'’" and back == start - 1 and back > 0 and value[back - 1].isalnum():
        return False  # an apostrophe inside a word ("Xiong'an") opens nothing
    return value[back] in _SENTENCE_END


def headline_case(value: str) -> bool:
    """Most words capitalised (Title Case or ALL CAPS), judged on the first 40."""
    first = [w for w in _WORD.findall(value[:400]) if not w[0].isdigit()][:40]
    if len(first) < 3:
        return False
    return sum(w[0].isupper() for w in first) >= 0.85 * len(first)


class ToneFilter(Filter):
    """Move Vietnamese tone marks to their canonical vowel (``hoà`` → ``hòa``)."""

    def __call__(self, tokens):
        for t in tokens:
            if not t.text.isascii():
                t.text = canonical_tone(t.text)
            yield t


class NameGuardFilter(Filter):
    """Mark tokens that must not be stemmed: names, acronyms and places.

    A word counts as a name when it is capitalised and does not open a
    sentence, or when it is written in capitals (``CPC``, ``BEIJING``). In a
    text written in headline case, capitals say nothing, and nothing is kept.
    """

    def __call__(self, tokens):
        for t in tokens:
            text = t.text
            if getattr(t, "headline_case", False) or not text[:1].isupper():
                t.keep = False
            else:
                t.keep = not getattr(t, "initial", False) or (len(text) > 1 and text.isupper())
            yield t


class CompoundFilter(Filter):
    """Also index two adjacent capitalised syllables as one word.

    ``Việt Nam`` yields ``Việt``, ``ViệtNam`` (same position) and ``Nam``,
    so a query for ``vietnam`` finds text that writes ``Việt Nam``. Only
    words with a Vietnamese syllable's shape join (``Hà Nội``, ``Hong Kong``),
    not ``Communist Party``. The query side joins adjacent query words itself
    (see :func:`joinable`), so in query mode this filter passes tokens through.
    """

    def __call__(self, tokens):
        # (text, pos, startchar, endchar) of the previous token if it can join;
        # saved as values because later filters rewrite the token objects.
        prev = None
        for t in tokens:
            if t.mode == "query":
                yield t
                continue
            text = t.text
            candidate = text[:1].isupper() and is_syllable(text)
            if candidate and prev is not None and t.startchar - prev[3] == 1:
                joined = t.copy()
                joined.text = prev[0] + text
                joined.keep = True
                joined.pos = prev[1]
                joined.startchar, joined.endchar = prev[2], t.endchar
                yield joined
            here = (text, getattr(t, "pos", 0), t.startchar, t.endchar)
            yield t
            prev = here if candidate else None


class FoldFilter(Filter):
    """Lowercase and remove diacritics (``Đà`` → ``da``)."""

    def __call__(self, tokens):
        for t in tokens:
            text = t.text
            t.text = text.lower() if text.isascii() else fold(text)
            yield t


class EnglishStemFilter(Filter):
    """Porter-stem English words, never names (see :class:`NameGuardFilter`),
    and mark the stem: ``cooperation`` → ``cooper~``."""

    def __call__(self, tokens):
        for t in tokens:
            if not getattr(t, "keep", False):
                t.text = stem(t.text) + STEM_MARK
            yield t


class DiacriticOnlyFilter(Filter):
    """Keep only tokens that carry diacritics; positions stay as they were."""

    def __call__(self, tokens):
        for t in tokens:
            if not t.text.isascii() and has_diacritics(t.text):
                yield t


_stem_cache: dict[str, str] = {}


def stem(word: str) -> str:
    """Porter stem of a folded word, cached; non-ASCII words are left alone."""
    try:
        return _stem_cache[word]
    except KeyError:
        result = porter_stem(word) if word.isascii() and not word.isdigit() else word
        if len(_stem_cache) < 500_000:
            _stem_cache[word] = result
        return result


def folded_analyzer(lang: str | None = None):
    """The chain for searchable text in ``lang`` (stemmed only for English)."""
    chain = WordTokenizer() | ToneFilter() | NameGuardFilter() | CompoundFilter() | FoldFilter()
    if lang in STEMMED_LANGS:
        chain = chain | EnglishStemFilter()
    return chain


def index_words(value: str, lang: str | None = None) -> list[tuple[str, int, int]]:
    """``(term, startchar, endchar)`` of every term ``folded_analyzer(lang)``
    indexes for ``value``, in the same order, with the same offsets (into the
    repaired text), in one pass over the words instead of a generator per
    filter: about three times faster, for the query side's re-reading of
    stored text (snippets, feedback). A test holds the two to the same output."""
    value = repair(value)
    headline = headline_case(value)
    stemmed = lang in STEMMED_LANGS
    out: list[tuple[str, int, int]] = []
    append = out.append
    prev = None  # (text, startchar, endchar) of the previous word if it can join
    for match in _WORD.finditer(value):
        raw = match.group()
        start, end = match.span()
        text = raw if raw.isascii() else canonical_tone(raw)
        capital = text[:1].isupper()
        if headline or not capital:
            keep = False
        else:  # a name, unless the sentence capitalised it
            initial = raw[0].isupper() and _opens_sentence(value, start)
            keep = not initial or (len(text) > 1 and text.isupper())
        candidate = capital and is_syllable(text)
        if candidate and prev is not None and start - prev[2] == 1:
            joined = prev[0] + text
            append((joined.lower() if joined.isascii() else fold(joined), prev[1], end))
        folded = text.lower() if text.isascii() else fold(text)
        if stemmed and not keep:
            folded = stem(folded) + STEM_MARK
        append((folded, start, end))
        prev = (text, start, end) if candidate else None
    return out


def exact_analyzer():
    """The diacritic-preserving chain: only words with diacritics, lowercased."""
    return WordTokenizer(skip_ascii=True) | ToneFilter() | LowercaseFilter() | DiacriticOnlyFilter()


# -- query side -------------------------------------------------------------

@dataclass(frozen=True)
class QueryForms:
    """The index terms one query word may match.

    ``folded`` and ``stemmed`` (the marked English stem) are terms of the
    folded text fields; ``exact`` (or None) is a term of the diacritic-
    preserving field, present only when the user typed diacritics.
    """

    typed: str
    folded: str
    stemmed: str
    exact: str | None

    @property
    def terms(self) -> tuple[str, str]:
        """The folded-field terms: the word and its marked stem."""
        return (self.folded, self.stemmed)


def words(text: str) -> list[str]:
    """Split text into words the way the index does (after Unicode repair)."""
    return _WORD.findall(repair(text))


def query_forms(word: str) -> QueryForms:
    """Analyse one query word into its index-side alternatives."""
    canon = canonical_tone(repair(word))
    folded = fold(canon)
    exact = canon.lower() if has_diacritics(canon) else None
    return QueryForms(word, folded, stem(folded) + STEM_MARK, exact)


def joinable(left: str, right: str) -> bool:
    """True if two adjacent query words may also be one compound word
    (``viet nam`` ~ ``vietnam``): both have a Vietnamese syllable's shape."""
    return is_syllable(left) and is_syllable(right)
