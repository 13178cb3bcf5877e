"""The Whoosh schema: which fields exist, how each is analysed and stored.

Searchable text lives in two fields, each analysed by the document language
(see :mod:`index.analysis`): ``title``, and ``body`` (the lead paragraph and
the rest of the story). Words of the lead count :data:`LEAD_BOOST` times in
the body's term weights, so BM25 ranks title > lead > body without indexing
the lead twice. A third text field, ``exact``, holds the diacritic-preserving
words of the title and story, so that a query typed with diacritics can rank
exact matches first.

Facet fields (person, topic, year, month, lang, source) are untokenised
terms: each value is one term, so facet counts and filters are term lookups.
"""

from __future__ import annotations

import secrets
import struct

from whoosh import fields, formats
from whoosh.codec.whoosh3 import W3PostingsWriter, W3Codec, W3Segment
from whoosh.util import IDCHARS

from .analysis import exact_analyzer, folded_analyzer, STEMMED_LANGS
from .termtable import BulkFieldWriter

__all__ = ["LangText", "LangTEXT", "CompactPositions", "Codec", "make_schema", "document_fields", "TEXT_FIELDS", "LEAD_BOOST", "UNDATED", "SCHEMA_VERSION"]

SCHEMA_VERSION = 4
TEXT_FIELDS = ("title", "body")
LEAD_BOOST = 1.5
UNDATED = "undated"


class LangText(str):
    """A string that knows its language, so a field can pick its analysis.

    Words that start before ``boost_until`` (a character offset) weigh
    ``boost`` times as much: the lead of a story.
    """

    lang: str | None
    boost_until: int
    boost: float

    def __new__(cls, value: str, lang: str | None, boost_until: int = 0, boost: float = 1.0):
        obj = super().__new__(cls, value)
        obj.lang, obj.boost_until, obj.boost = lang, boost_until, boost
        return obj

    def __reduce__(self):
        return (LangText, (str(self), self.lang, self.boost_until, self.boost))


class CompactPositions(formats.Positions):
    """Whoosh's Positions format with a plainer encoding: each posting's
    positions as little-endian 32-bit integers, not a pickled list of deltas.
    Cheaper to write, and a block of postings decodes in one step with NumPy
    (see :mod:`search.postings`), which phrase matching needs."""

    def encode(self, poslist):
        return struct.pack(f"<{len(poslist)}I", *poslist)

    def decode_positions(self, valuestring):
        return list(struct.unpack(f"<{len(valuestring) // 4}I", valuestring))

    def decode_frequency(self, valuestring):
        return len(valuestring) // 4


# Posting lists shorter than this are kept in the term's entry of the term
# table, not written as a block of their own (Whoosh's default, 1, inlines
# nothing). Most terms of a segment are rare, and a small segment's terms
# nearly all are: each block costs two pickles and a zlib call in Python.
INLINE_LIMIT = 4


class Codec(W3Codec):
    """Whoosh's own codec, minus per-block length statistics.

    With them, Whoosh's writer looks up the document's field length once per
    posting, to record the shortest and longest document of each posting
    block; Whoosh's top-k search uses those only to skip blocks, and tracuu
    ranks with its own scorer (:mod:`search.scoring`). Without them a rebuild
    takes about a tenth less time. Field lengths themselves are still stored
    per document, and Whoosh's skipping stays correct (its bounds assume the
    shortest possible document)."""

    length_stats = False

    def __init__(self, blocklimit: int = 128, compression: int = 3, inlinelimit: int = INLINE_LIMIT):
        super().__init__(blocklimit=blocklimit, compression=compression, inlinelimit=inlinelimit)

    def field_writer(self, storage, segment):
        return BulkFieldWriter(self, storage, segment)

    def postings_writer(self, dbfile, byteids=False):
        return _PostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids,
                               compression=self._compression, inlinelimit=self._inlinelimit)

    def new_segment(self, storage, indexname):
        # Whoosh names segments with the global ``random`` module, which
        # anything in the process may seed (Hypothesis seeds it before each
        # example): two writes would then pick the same name and the second
        # would truncate the first one's files. The OS's randomness cannot
        # be seeded that way.
        return W3Segment(self, indexname, segid=_segment_id())


class _PostingsWriter(W3PostingsWriter):
    """Whoosh's postings writer with its inlining mended: it calls a
    ``set_inline`` that ``W3TermInfo`` does not have (``set_inlined``), which
    is why Whoosh's default inlines nothing. Inlined postings are read back
    by Whoosh as a ``ListMatcher``."""

    def finish_postings(self):
        if not self.written() and len(self) < self._inlinelimit:
            terminfo = self._terminfo
            terminfo.add_block(self)
            # a format without values still reads back bytes (Whoosh's merge expects them)
            values = self._values or [b""] * len(self._ids)
            terminfo.set_inlined(self._ids, self._weights, values)
            self._terminfo = None
            return terminfo
        return super().finish_postings()


def _segment_id(size: int = 16) -> str:
    return "".join(secrets.choice(IDCHARS) for _ in range(size))


class LangTEXT(fields.TEXT):
    """A TEXT field analysed by the language of each value.

    Values are :class:`LangText`; English text is stemmed, other languages
    are not. The field's plain ``analyzer`` (no stemming) serves anything
    that arrives without a language.
    """

    def __init__(self, **kwargs):
        super().__init__(analyzer=folded_analyzer(None), **kwargs)
        self.format = CompactPositions(field_boost=self.format.field_boost)
        self.lang_analyzers = {lang: folded_analyzer(lang) for lang in STEMMED_LANGS}

    def analyzer_for(self, lang: str | None):
        return self.lang_analyzers.get(lang, self.analyzer)

    def index(self, value, **kwargs):
        kwargs.setdefault("mode", "index")
        analyzer = self.analyzer_for(getattr(value, "lang", None))
        until = getattr(value, "boost_until", 0)
        if until:
            # the tokenizer weighs words before this offset more (the lead)
            kwargs.update(boost_until=until, prefix_boost=value.boost)
        for text, freq, weight, vbytes in self.format.word_values(value, analyzer, **kwargs):
            yield text.encode("utf-8"), freq, weight, vbytes


class ExactTEXT(fields.TEXT):
    """The diacritic-preserving words, for ranking only: presence per
    document is all it records (no frequencies or positions), which keeps
    the field cheap to write."""

    def __init__(self, **kwargs):
        super().__init__(analyzer=exact_analyzer(), phrase=False, **kwargs)
        self.format = formats.Existence(field_boost=self.format.field_boost)


def make_schema() -> fields.Schema:
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=LangTEXT(stored=True),
        body=LangTEXT(),
        exact=ExactTEXT(),
        # Stored only: the article text as ingested, for display, snippets and export.
        text=fields.STORED(),
        url=fields.STORED(),
        dateline=fields.STORED(),
        credits=fields.STORED(),
        # Dates: ``day`` sorts (YYYYMMDD, 0 when undated); year/month are facets.
        date=fields.STORED(),
        date_rule=fields.STORED(),
        day=fields.NUMERIC(int, bits=32, sortable=True, signed=False, shift_step=32),
        year=fields.ID(),
        month=fields.ID(),
        lang=fields.ID(stored=True),
        source=fields.ID(stored=True),
        # People: keys are facet values; labels and spellings are stored.
        person=fields.KEYWORD(),
        persons=fields.STORED(),
        spellings=fields.STORED(),
        # Topics: assigned ids are stored; the index also holds their parents.
        topic=fields.KEYWORD(),
        topics=fields.STORED(),
        # Content fingerprint, to detect exact duplicates across batches.
        sha=fields.ID(stored=True),
    )


def document_fields(article, schema=None) -> dict:
    """The keyword arguments that index one :class:`~index.document.Article`.
    With the ``schema`` of an index an older version built, only the fields
    it has: adding to it keeps working, without what it cannot store."""
    a = article
    story = "\n\n".join(v for v in (a.lead, a.body) if v)
    fields_ = dict(
        id=a.id,
        title=LangText(a.title, a.lang) if a.title else None,
        body=LangText(story, a.lang, len(a.lead), LEAD_BOOST) if story else None,
        exact="\n\n".join(v for v in (a.title, story) if v) or None,
        text=a.text,
        url=a.url,
        dateline=a.dateline,
        credits=a.credits or None,
        date=a.date.isoformat() if a.date else None,
        date_rule=a.date_rule,
        day=int(a.date.strftime("%Y%m%d")) if a.date else 0,
        year=str(a.date.year) if a.date else UNDATED,
        month=a.date.strftime("%Y-%m") if a.date else UNDATED,
        lang=a.lang,
        source=a.source,
        # Lists bypass the analyser: each key is one term.
        person=[p.key for p in a.persons] or None,
        persons=[[p.key, p.label] for p in a.persons] or None,
        spellings=a.spellings or None,
        topic=a.topic_filters or a.topics or None,
        topics=a.topics or None,
        sha=a.sha,
    )
    if schema is not None:
        fields_ = {k: v for k, v in fields_.items() if k in schema}
    if a.title:
        fields_["_stored_title"] = str(a.title)
    return fields_
