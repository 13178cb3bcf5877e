"""From a parsed query to Whoosh queries, through the index's own analysis.

A query is a list of *concepts*: a word, a compound (``viet nam``), a
person's name in any spelling, a phrase, an OR group. Each compiles to one
Whoosh query with all its alternatives; the engine decides how many
concepts a document must match (see :mod:`search.matching`). A concept typed
with ``+`` or quoted is *strict* (every result has it); one that carries
little (a role, a reporting verb, see :mod:`index.weakwords`) is *weak* (it
ranks, but is never required).

Every query word becomes the terms the write path would have indexed for it
(:func:`index.analysis.query_forms`): the folded word and its English stem in
``title`` and ``body``, plus, when the user typed diacritics, the exact form
in ``exact`` as an optional boost, so exact-diacritic matches rank first
without excluding the others. Two adjacent words that could be one compound
(``viet nam``) also match the joined word (``vietnam``); the reverse needs
nothing, as the index joins ``Việt Nam`` into ``vietnam`` itself. Words
typed together rank higher together: see :mod:`search.proximity`.

Filters compile separately, to a query that restricts without scoring.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh import query as wq
from whoosh.query.positional import Sequence

from index.analysis import joinable, query_forms, words
from index.normalize import fold, has_diacritics, is_syllable

from .errors import QueryValueError

_YEAR = re.compile(r"^(19|20)\d\d$")
from .query import AnyOf, Filter, ParsedQuery, Phrase, Prefix, Required, Word
from .when import Period, find_period

__all__ = ["Weights", "Compiled", "Concept", "Lexicon", "compile_query"]


@dataclass(frozen=True)
class Weights:
    title: float = 3.0
    body: float = 1.0
    exact: float = 0.5
    person: float = 6.0  # a document whose person facet holds the person typed
    year: float = 3.0    # a document published in the year typed
    # Words of the query found close together (see search.proximity) raise a
    # document's score by up to this share; rerank this many top documents.
    proximity: float = 0.5
    proximity_slop: int = 3
    rerank: int = 50
    # A document's score is multiplied by its coverage (the IDF-weighted
    # share of the query's concepts it matches) to this power.
    coverage: float = 1.5
    # A date typed in the query: an article published in that period scores
    # (1 + date) times more; one published the same year (for a month or a
    # day), or undated but naming the year, a share of that.
    date: float = 1.0
    date_near: float = 0.25
    # A typed word the index hardly knows also matches its correction, at
    # this share of the word's weight.
    typo: float = 0.7
    # A lexicon concept's other forms in the query's language, and its forms
    # in the other language, count this much of the words typed.
    synonym: float = 0.8
    cross: float = 0.6

    @property
    def text_fields(self) -> tuple[tuple[str, float], ...]:
        return (("title", self.title), ("body", self.body))


@dataclass(frozen=True)
class Concept:
    """One thing the query asks for, with every way of matching it."""

    query: wq.Query
    text: str
    strict: bool = False  # typed with + or quoted: every result must match it
    weak: bool = False    # carries little on its own: ranks, never required
    home: str | None = None  # a country whose news is written in this language (see search.matching)


@dataclass
class Compiled:
    """``concepts`` match and rank; ``filter`` and ``mask`` only restrict.
    ``scored`` is every concept at once (all of them required)."""

    scored: wq.Query | None
    filter: wq.Query | None
    mask: wq.Query | None
    terms: set[str]            # folded/stemmed terms, for highlighting
    groups: list[frozenset]    # the terms of each query word
    exact_terms: set[str]
    near: list                 # per plain word, its terms: words that rank higher together
    concepts: list[Concept] = field(default_factory=list)
    understood: list[dict] = field(default_factory=list)  # {text, kind, value} per entity named
    periods: list[Period] = field(default_factory=list)   # dates typed: rank what was published then first
    corrected: dict = field(default_factory=dict)          # typed word -> correction it also matches


def _any(queries: list[wq.Query]) -> wq.Query:
    queries = [q for q in queries if q is not None]
    if not queries:
        return wq.NullQuery
    return queries[0] if len(queries) == 1 else wq.Or(queries)


def _scaled(q: wq.Query, factor: float) -> wq.Query:
    """``q`` with the boost of every scored part multiplied by ``factor``
    (Whoosh drops the boost of a query that merely wraps others)."""
    if isinstance(q, (wq.Term, Sequence)):
        return q.with_boost(q.boost * factor)
    if isinstance(q, wq.AndMaybe):
        return wq.AndMaybe(_scaled(q.a, factor), _scaled(q.b, factor))
    if isinstance(q, (wq.And, wq.Or)):
        return type(q)([_scaled(sub, factor) for sub in q.subqueries], boost=q.boost)
    return q


class Lexicon:
    """What the query side knows about words: people (by any spelling or
    script), cross-language equivalents (Bắc Kinh = Beijing) and the words
    that carry little on their own."""

    def __init__(self, find_person=None, equivalents=None, is_weak=None, by_role=None, concepts=None):
        self.find_person = find_person or (lambda text: None)
        self.concepts = concepts  # index.concepts.ConceptLexicon
        self.equivalents = equivalents
        self.is_weak = is_weak or (lambda text: False)
        self.by_role = by_role or (lambda text: None)  # -> entities.Found or None

    def group(self, text: str):
        return self.equivalents.group(text) if self.equivalents is not None else None

    def home(self, usual: str) -> str | None:
        return self.equivalents.home(usual) if self.equivalents is not None else None

    def concept(self, text: str):
        return self.concepts.find(text) if self.concepts is not None else None

    def syllable(self, text: str):
        """The concept of one Vietnamese syllable known to stand alone."""
        return self.concepts.find_syllable(text) if self.concepts is not None else None



class _Builder:
    def __init__(self, weights: Weights, resolve_filter, expand_prefix, lexicon: Lexicon, spell=None):
        self.w = weights
        self.spell = spell or (lambda word: None)  # a typed word -> its correction, or None
        self.resolve_filter = resolve_filter
        self.expand_prefix = expand_prefix
        self.lexicon = lexicon
        self.terms: set[str] = set()
        self.groups: list[frozenset] = []
        self.exact_terms: set[str] = set()
        self.understood: list[dict] = []  # what the query names: {text, kind, value}
        self.periods: list[Period] = []
        self.corrected: dict[str, str] = {}  # typed word -> the correction it also matches
        self.entities: set[str] = set()  # spans read as a person, a place or a lexicon concept
        self.homes: dict[str, str] = {}  # span naming a country -> its home language

    # -- words and phrases --------------------------------------------------

    def mark(self, terms) -> None:
        """Remember index terms to highlight, as one group (one query word)."""
        group = frozenset(terms)
        self.terms.update(group)
        self.groups.append(group)  # one per word, repeats included ("tin tín")

    def word(self, text: str, typed: bool = False) -> wq.Query:
        """A word; one the user typed that the index hardly knows also
        matches its spelling correction, a little lower."""
        forms = query_forms(text)
        fixed = self.spell(text) if typed else None
        if fixed:
            self.corrected[text] = fixed
        fixed_terms = set(query_forms(fixed).terms) - set(forms.terms) if fixed else set()
        self.mark(set(forms.terms) | fixed_terms)
        alternatives = [wq.Term(f, term, boost=b) for f, b in self.w.text_fields for term in forms.terms]
        alternatives += [wq.Term(f, term, boost=b * self.w.typo)
                         for f, b in self.w.text_fields for term in sorted(fixed_terms)]
        if _YEAR.match(text):
            # "2021 public security": a year also means published that year
            alternatives.append(wq.Term("year", text, boost=self.w.year))
        q = _any(alternatives)
        if forms.exact:
            self.exact_terms.add(forms.exact)
            q = wq.AndMaybe(q, wq.Term("exact", forms.exact, boost=self.w.exact))
        return q

    def collapse(self, start: int, typed: int) -> None:
        """The words marked from ``start`` are one concept's: those up to
        ``typed`` as typed, the rest its other forms. Any other form stands
        for every typed word, so a snippet showing it shows the concept."""
        others = self.groups[typed:]
        if not others:
            return
        extra = frozenset().union(*others)
        typed_groups = self.groups[start:typed]
        self.groups[start:] = [g | extra for g in typed_groups] or [extra]

    def mark_joined(self, term: str) -> None:
        """A compound counts for both words it joins: add it to their groups."""
        self.terms.add(term)
        for i in (-2, -1):
            self.groups[i] = self.groups[i] | {term}

    def joined(self, left: str, right: str) -> wq.Query:
        term = fold(left) + fold(right)
        self.mark_joined(term)
        return _any([wq.Term(f, term, boost=b) for f, b in self.w.text_fields])

    def names(self, texts: list[str]) -> list[tuple[wq.Query, str]]:
        """Concepts (query, text) for a run of plain words. A span of them
        that names a person (in full in any spelling or script, or by a role
        and a short name) is one concept that also matches that person; a
        place, a country, a sea or an organisation also matches its names in
        the other language. Each is noted in ``understood``."""
        out: list[tuple[wq.Query, str]] = []
        pending: list[str] = []
        i = 0
        while i < len(texts):
            hit = None
            for size in range(min(4, len(texts) - i), 0, -1):
                span = " ".join(texts[i:i + size])
                # as typed, then with misspelt words corrected ("amercian")
                for read in dict.fromkeys((span, " ".join(self.spell(w) or w for w in texts[i:i + size]))):
                    person = self.lexicon.find_person(read)
                    role = None if person else self.lexicon.by_role(read)
                    group = None if person or role else self.lexicon.group(read)
                    concept = None if person or role or group else self.lexicon.concept(read)
                    if person or role or group or concept:
                        hit = (size, span, person, role, group, concept)
                        if read != span:  # found through corrections: say so
                            for w in texts[i:i + size]:
                                if self.spell(w):
                                    self.corrected[w] = self.spell(w)
                        break
                if hit is not None:
                    break
            if hit is None:
                pending.append(texts[i])
                i += 1
                continue
            out.extend(self.lone(pending))
            pending = []
            size, span, person, role, group, concept = hit
            self.entities.add(span)
            start = len(self.groups)
            if concept:
                out.append((self.concept(span, *concept), span))
                i += size
                continue
            alternatives = []
            typed = start
            if role:  # "Premier Li": the people, by the facet and their names
                for key, name in zip(role.keys, role.names):
                    self.understood.append({"text": span, "kind": "person", "value": key})
                    alternatives.append(wq.Term("person", key, boost=self.w.person))
                    q = self.name(name)
                    if q is not None:
                        alternatives.append(q)
            else:
                clauses = [q for q, _ in self.words(texts[i:i + size], name=True)]
                alternatives.append(clauses[0] if len(clauses) == 1 else wq.And(clauses))
                typed = len(self.groups)
            if person:
                self.understood.append({"text": span, "kind": "person", "value": person})
                alternatives.append(wq.Term("person", person, boost=self.w.person))
            if group:
                kind, usual, others = group
                self.understood.append({"text": span, "kind": kind, "value": usual})
                if self.lexicon.home(usual):
                    self.homes[span] = self.lexicon.home(usual)
                for name in others:
                    q = self.name(name)
                    if q is not None:
                        alternatives.append(q)
            out.append((_any(alternatives), span))
            self.collapse(start, typed)
            i += size
        out.extend(self.lone(pending))
        return out

    def lone(self, pending: list[str]) -> list[tuple[wq.Query, str]]:
        """Concepts for the words between two recognised spans (or the ends
        of the query). One Vietnamese syllable there stands alone, so it is
        looked up as a concept (``hiệp định | thiếc | quốc tế``: tin)."""
        if len(pending) == 1:
            found = self.lexicon.syllable(pending[0])
            if found is not None:
                self.entities.add(pending[0])
                return [(self.concept(pending[0], *found), pending[0])]
        return self.words(pending)

    def syllable(self, text: str) -> wq.Query:
        """One Vietnamese syllable, in documents that write it with these
        diacritics: its folded form alone would also find other syllables
        and English words (mỹ and my)."""
        forms = query_forms(text)
        self.mark(forms.terms)
        words_q = _any([wq.Term(f, t, boost=b) for f, b in self.w.text_fields for t in forms.terms])
        return wq.And([words_q, wq.Term("exact", forms.exact, boost=self.w.exact)])

    def concept(self, span: str, concept, lang: str) -> wq.Query:
        """A lexicon concept: the words typed, the concept's other forms in
        their language (a little lower) and its forms in the other language
        (lower still). A Vietnamese translation of two syllables matches an
        article holding both; other forms of several words match as phrases."""
        self.understood.append({"text": span, "kind": "concept", "value": concept.en[0]})
        start = len(self.groups)
        typed = self.phrase(span)
        typed_end = len(self.groups)
        alternatives = [typed]
        other = "vi" if lang == "en" else "en"
        typed_words = len(words(span))
        for forms, weight in ((concept.forms(lang), self.w.synonym), (concept.forms(other), self.w.cross)):
            translated = forms is not concept.forms(lang)
            for form in forms:
                n = len(words(form))
                if words(form) == words(span) or not n:
                    continue
                if n == 1:
                    q = self.name(form)
                    if translated and not has_diacritics(form) and is_syllable(form):
                        # a word that could be a Vietnamese syllable, in its
                        # own language only: English "tin" is not "tin" (news)
                        q = wq.And([q, wq.Term("lang", other, boost=0.0)])
                elif translated and other == "vi" and n == 2:
                    # a translation is an approximation anyway: an article that
                    # holds both syllables, with their diacritics, holds the
                    # word, and no positions need reading (thay đổi, xuất khẩu)
                    q = wq.And([self.syllable(w) if has_diacritics(w) else self.word(w) for w in words(form)])
                else:
                    q = self.phrase(form)
                # a phrase scores the sum of its words: scale each form to
                # the number of words typed
                alternatives.append(_scaled(q, weight * typed_words / n))
        self.collapse(start, typed_end)
        return _any(alternatives)

    def name(self, text: str) -> wq.Query | None:
        """Another name of what was typed. A two-syllable name is indexed as
        one word where it is written capitalised (Nhật Bản → nhatban): that
        word alone finds it, without reading positions. One syllable with
        diacritics (Mỹ) must be found with them: folded, it is another word."""
        ws = words(text)
        if len(ws) == 1 and has_diacritics(ws[0]):
            return self.syllable(ws[0])
        if len(ws) == 2 and joinable(*ws):
            term = fold(ws[0]) + fold(ws[1])
            self.terms.add(term)
            return _any([wq.Term(f, term, boost=b) for f, b in self.w.text_fields])
        return self.phrase(text)

    def words(self, texts: list[str], name: bool = False) -> list[tuple[wq.Query, str]]:
        """Concepts (query, text) for consecutive words, joining compound
        pairs (in a ``name``, any two syllables: To Lam)."""
        out, i = [], 0
        weak = (lambda text: False) if name else self.lexicon.is_weak
        while i < len(texts):
            # two syllables that may be one word, unless one carries little
            # and the other does not ("tăng | bao nhiêu", not "tăng bao | nhiêu")
            if (i + 1 < len(texts) and joinable(texts[i], texts[i + 1])
                    and weak(texts[i]) == weak(texts[i + 1])):
                pair = wq.And([self.word(texts[i], True), self.word(texts[i + 1], True)])  # marks both
                out.append((wq.Or([pair, self.joined(texts[i], texts[i + 1])]), f"{texts[i]} {texts[i + 1]}"))
                i += 2
            else:
                out.append((self.word(texts[i], True), texts[i]))
                i += 1
        return out

    def sequence(self, positions: list[tuple[str, ...]], slop: int, weight: float = 1.0) -> list[wq.Query]:
        """Per field, the words in order (each position any of its terms),
        at most ``slop`` positions apart."""
        return [
            wq.Sequence([_any([wq.Term(field, t) for t in alts]) for alts in positions],
                        slop=slop, boost=boost * weight)
            for field, boost in self.w.text_fields
        ]

    def phrase(self, text: str, slop: int = 1) -> wq.Query | None:
        ws = words(text)
        if not ws:
            return None
        if len(ws) == 1:
            return self.word(ws[0])
        forms = [query_forms(w) for w in ws]
        for f in forms:
            self.mark(f.terms)
        # Each position may match the word or its stem: English text stems
        # common words but not names ("Belt and~ Road").
        alternatives = self.sequence([f.terms for f in forms], slop)
        joined, i = [], 0
        while i < len(ws):
            if i + 1 < len(ws) and joinable(ws[i], ws[i + 1]):
                joined.append((forms[i].folded + forms[i + 1].folded,))
                i += 2
            else:
                joined.append(forms[i].terms)
                i += 1
        if len(joined) < len(ws):
            self.terms.update(t for alts in joined for t in alts)
            # A joined word sits at its first syllable's position: allow the gap.
            alternatives += (self.sequence(joined, slop + 1) if len(joined) > 1 else
                             [wq.Term(f, joined[0][0], boost=b) for f, b in self.w.text_fields])
        q = _any(alternatives)
        exact = [f.exact for f in forms if f.exact]
        if exact:
            self.exact_terms.update(exact)
            q = wq.AndMaybe(q, _any([wq.Term("exact", e, boost=self.w.exact) for e in exact]))
        return q

    def prefix(self, text: str) -> wq.Query:
        stem = fold(words(text)[0]) if words(text) else ""
        if not stem:
            return wq.NullQuery
        expanded = self.expand_prefix(stem)
        self.mark(expanded)
        return _any([wq.Term(f, t, boost=b) for f, b in self.w.text_fields for t in expanded])

    def node(self, node) -> wq.Query | None:
        if isinstance(node, Word):
            ws = words(node.text)
            if len(ws) > 1:  # "COVID-19", "China-Vietnam": adjacent words
                return self.phrase(node.text)
            return self.word(ws[0], True) if ws else None
        if isinstance(node, Phrase):
            return self.phrase(node.text)
        if isinstance(node, Prefix):
            return self.prefix(node.text)
        if isinstance(node, AnyOf):
            return _any([self.node(n) for n in node.nodes])
        if isinstance(node, Filter):
            return self.resolve_filter(node.field, node.value)
        raise TypeError(node)

def _periods(builder: _Builder, clauses: list) -> tuple[list, list[Concept], list[Period]]:
    """Take the dates out of the clauses: a run of one to four plain words
    that names a period (``tháng 9/2023``, ``March 1987``, ``2021``)."""
    rest: list = []
    concepts: list[Concept] = []
    periods: list[Period] = []
    i = 0
    while i < len(clauses):
        found = None
        for size in range(min(4, len(clauses) - i), 0, -1):
            run = clauses[i:i + size]
            if not all(isinstance(c, Word) for c in run):
                continue
            text = " ".join(c.text for c in run)
            period = find_period(text)
            if period is not None:
                found = (size, text, period)
                break
        if found is None:
            rest.append(clauses[i])
            i += 1
            continue
        size, text, period = found
        periods.append(period)
        builder.understood.append({"text": text, "kind": "date", "value": period.label})
        published = (wq.Term("year", str(period.year), boost=builder.w.year) if period.whole_year else
                     wq.Term("month", period.label[:7], boost=builder.w.year))
        mentioned = [wq.Term(f, str(period.year), boost=b) for f, b in builder.w.text_fields]
        concepts.append(Concept(_any([published, *mentioned]), text, weak=True))
        i += size
    return rest, concepts, periods


def _known(lexicon: Lexicon, text: str) -> bool:
    """Whether a word of several parts names a person, a place or a concept."""
    return bool(lexicon.find_person(text) or lexicon.group(text) or lexicon.concept(text))


def _concepts(builder: _Builder, clauses: list) -> tuple[list[Concept], list[str]]:
    """The concepts of the text clauses, and the plain words among them."""
    clauses, concepts, builder.periods = _periods(builder, clauses)
    run: list[str] = []
    plain: list[str] = []
    weak = builder.lexicon.is_weak

    def flush():
        if run:
            for q, text in builder.names(run):
                # a person, a place or a lexicon concept is never weak
                concepts.append(Concept(q, text, weak=text not in builder.entities and weak(text),
                                        home=builder.homes.get(text)))
            plain.extend(run)
            run.clear()

    for clause in clauses:
        strict = isinstance(clause, Required)
        node = clause.node if strict else clause
        if isinstance(node, Word) and len(words(node.text)) == 1 and not strict:
            run.append(words(node.text)[0])
            continue
        if isinstance(node, Word) and not strict and _known(builder.lexicon, node.text):
            run.append(node.text)  # "anti-dumping", "Ho-Chi-Minh": a concept or a name, whole
            continue
        flush()
        q = builder.node(node)
        if q is not None:
            text = node.text if hasattr(node, "text") else " OR ".join(getattr(n, "text", "") for n in node.nodes)
            concepts.append(Concept(q, text, strict=strict or isinstance(node, Phrase)))
    flush()
    return concepts, plain


def compile_query(parsed: ParsedQuery, *, weights: Weights = Weights(), resolve_filter=None,
                  expand_prefix=None, lexicon: Lexicon | None = None, extra_filters=(),
                  spell=None) -> Compiled:
    """Compile a parsed query. ``spell(word)`` gives a typed word's
    correction (or None) when the index hardly knows the word."""
    builder = _Builder(weights, resolve_filter or _no_filters, expand_prefix or (lambda p: [p]),
                       lexicon or Lexicon(), spell)
    concepts, plain = _concepts(builder, parsed.clauses)
    queries = [c.query for c in concepts]
    scored = (queries[0] if len(queries) == 1 else wq.And(queries)) if queries else None
    filters = [builder.node(f) for f in parsed.filters] + list(extra_filters)
    filters = [f for f in filters if f is not None]
    masks = [q for q in (builder.node(n) for n in parsed.excluded) if q is not None]
    return Compiled(
        scored=scored,
        filter=(filters[0] if len(filters) == 1 else wq.And(filters)) if filters else None,
        mask=_any(masks) if masks else None,
        terms=builder.terms,
        groups=builder.groups,
        exact_terms=builder.exact_terms,
        near=[query_forms(w).terms for w in plain] if len(plain) > 1 else [],
        concepts=concepts,
        understood=builder.understood,
        periods=builder.periods,
        corrected=builder.corrected,
    )


def _no_filters(field: str, value: str):
    raise QueryValueError(field, f"filter {field}: is not supported here")
