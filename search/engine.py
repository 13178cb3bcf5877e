"""Answering searches: parse → compile → match → facet → rank → highlight.

:class:`SearchEngine` keeps a :class:`Snapshot` of the live index generation
(an open searcher and everything derived from it: match sets, facets, the
vocabulary) and replaces it when a rebuild swaps generations or an addition
commits, so a long-running server never needs a restart. Answers are cached
per generation.
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from contextlib import contextmanager
import time
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np
from whoosh import query as wq
from whoosh import scoring
from whoosh.searching import Searcher

from index.concepts import ConceptLexicon
from index.equivalents import Equivalents
from index.layout import read_layout
from index.people import PeopleRegistry
from index.readers import ReaderPool, pin
from index.store import IndexStore
from index.topics import Taxonomy
from index.vocabulary import VOCAB_FILE, Vocabulary
from index.weakwords import WeakWords

from .compile import Compiled, Lexicon, Weights, compile_query
from .deadline import NO_DEADLINE, Clock, Deadline
from .documents import document_view
from .entities import PersonFinder
from .errors import QueryValueError
from .facets import FACETS, Facet, make_facets
from .feedback import Feedback, feedback_terms, lead_terms, rerank
from .filters import FilterResolver, date_bound
from .highlight import snippet
from .matching import COMMON_MIN, WEAK_SHARE, Matching, match
from .matchset import MatchSets
from .postings import PostingsCache
from .proximity import closeness
from .scoring import Scorer
from .derived import Derived
from .segments import SegmentCache, leaves
from .query import ParsedQuery, parse_query
from .spelling import LiveSpeller, Speller, marked_spellings
from .suggest import KINDS, SuggestIndex

__all__ = ["SearchEngine", "SearchRequest", "SearchResponse", "Hit", "EngineConfig", "SORTS", "MATCHES", "Snapshot"]

SORTS = ("relevance", "newest", "oldest")
MATCHES = ("most", "all")  # how many of a query's concepts a result must match
LEADS = 4096               # documents whose feedback terms a generation remembers


@dataclass(frozen=True)
class EngineConfig:
    weights: Weights = Weights()
    feedback: Feedback = Feedback()  # see search.feedback
    max_query_length: int = 500
    max_per_page: int = 100
    max_window: int = 1000           # page × per_page, as Elasticsearch and Meilisearch cap it
    timeout: float = 2.0             # seconds of ranking before partial results
    facet_limit: int = 10
    cache_size: int = 512
    few_results: int = 3             # below this many hits, try "did you mean"
    people_files: tuple = ()
    taxonomy_file: object = None
    # seconds between looks for a newer generation (0: before every search)
    refresh_interval: float = 0.0
    # seconds between background rebuilds of the spelling dictionary and the
    # suggestion index while writes go on (see search.derived)
    derived_refresh: float = 120.0


@dataclass
class SearchRequest:
    q: str = ""
    filters: dict = field(default_factory=dict)   # facet name -> selected values
    date_from: str | None = None
    date_to: str | None = None
    sort: str | None = None
    page: int = 1
    per_page: int = 10
    facets: tuple[str, ...] | None = None          # None: all
    hl: str = "en"                                 # interface language of labels
    match: str = "most"                            # "all": every concept is required

    def key(self) -> tuple:
        return (self.q, tuple(sorted((k, tuple(v)) for k, v in self.filters.items() if v)),
                self.date_from, self.date_to, self.sort, self.page, self.per_page,
                self.facets, self.hl, self.match)


@dataclass
class Hit:
    id: str
    title: str | None
    date: str | None
    lang: str
    source: str | None
    url: str | None
    persons: list[dict]
    topics: list[dict]
    score: float | None
    snippet: str
    matched: int | None = None  # how many of the query's concepts it matches

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class SearchResponse:
    query: str
    total: int
    hits: list[Hit] = field(default_factory=list)
    facets: dict = field(default_factory=dict)
    took_ms: float = 0.0
    relaxed: bool = False
    concepts: int = 0
    partial: bool = False
    did_you_mean: dict | None = None
    understood: list = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "query": self.query, "total": self.total, "took_ms": self.took_ms,
            "relaxed": self.relaxed, "concepts": self.concepts, "partial": self.partial,
            "hits": [h.as_dict() for h in self.hits],
            "facets": {name: [v.as_dict() for v in values] for name, values in self.facets.items()},
            "did_you_mean": self.did_you_mean,
            "understood": self.understood,
        }


class Snapshot:
    """One index generation, opened, with what is derived from it."""

    def __init__(self, store: IndexStore, config: EngineConfig, registry: PeopleRegistry,
                 taxonomy: Taxonomy, segments: SegmentCache | None = None, derived: Derived | None = None,
                 readers: ReaderPool | None = None, lock: threading.RLock | None = None,
                 previous: "Snapshot | None" = None, spelling: LiveSpeller | None = None):
        self.config = config
        self.segments = segments
        self.derived = derived  # suggestions kept across snapshots (None: built here)
        self.spelling = spelling  # the speller kept up to date across snapshots (None: built here)
        self.registry = registry
        self.taxonomy = taxonomy
        self.path = store.current_path()
        self.ix = store.open()
        if readers is not None:  # segment readers shared with the other snapshots (see index.readers)
            reader = readers.reader(self.ix)
            self.searcher = Searcher(reader, weighting=scoring.BM25F(), fromindex=self.ix)
        else:
            self.searcher = self.ix.searcher(weighting=scoring.BM25F())
            for leaf, _, _ in leaves(self.searcher.reader()):
                pin(leaf)
        self.meta = store.meta()
        version = self.searcher.reader().generation()  # the TOC the readers were opened from
        self.generation = f"{self.path.name}.{self.ix.latest_generation() if version is None else version}"
        # held by whoever reads the snapshot; snapshots that share readers
        # share it too (Whoosh's readers seek and read one file handle)
        self.lock = lock if lock is not None else threading.RLock()
        with self.lock:
            self.days  # noqa: B018 - read now, for the same reason (kept per segment: new segments only)
        self.closed = False
        self.cache: OrderedDict = OrderedDict()
        self._leads: OrderedDict = OrderedDict()
        # what of the snapshot this one replaces may carry over (see PostingsCache)
        self._previous_postings = previous.__dict__.get("postings") if previous is not None else None
        self._previous_facets = previous.__dict__.get("all_facets") if previous is not None else None
        self._previous_scorer = previous.__dict__.get("scorer") if previous is not None else None

    def close(self) -> None:
        """Close the index files, once whoever reads this snapshot is done."""
        with self.lock:
            if not self.closed:
                self.closed = True
                self.searcher.close()
                self.ix.close()

    @cached_property
    def postings(self) -> PostingsCache:
        previous, self._previous_postings = self._previous_postings, None
        return PostingsCache(self.searcher.reader(), segments=self.segments, previous=previous)

    @cached_property
    def sets(self) -> MatchSets:
        return MatchSets(self.searcher, self.postings)

    @cached_property
    def scorer(self) -> Scorer:
        previous, self._previous_scorer = self._previous_scorer, None
        return Scorer(self.searcher, self.postings, self.sets, previous)

    @cached_property
    def resolver(self) -> FilterResolver:
        return FilterResolver(self.searcher.reader(), self.registry)

    @cached_property
    def days(self) -> np.ndarray:
        """Each document's day (YYYYMMDD; 0 when undated)."""
        parts = [self.segments.get(key, ("days",), lambda leaf=leaf: _days(leaf))
                 if self.segments is not None else _days(leaf)
                 for leaf, _, key in leaves(self.searcher.reader())]
        return np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)

    @cached_property
    def all_facets(self) -> dict[str, Facet]:
        previous, self._previous_facets = self._previous_facets, None
        return make_facets(self.sets, self.registry, self.taxonomy, previous)

    def lead_terms(self, docnum: int, config: Feedback) -> list[str]:
        """A document's title and lead as index terms, for feedback;
        remembered (the best answers recur from one search to the next):
        per segment, for every later snapshot, when segments are shared,
        else for the last :data:`LEADS` documents of this one."""
        if self.segments is not None:
            parts = self.postings.parts
            leaf, offset, key = parts[bisect_right(self._offsets, docnum) - 1]
            return self.segments.get(key, ("lead", docnum - offset, config),
                                     lambda: self._read_lead(leaf, docnum - offset, config))
        with self.lock:
            if docnum in self._leads:
                self._leads.move_to_end(docnum)
                return self._leads[docnum]
        terms = self._read_lead(self.searcher, docnum, config)
        with self.lock:
            self._leads[docnum] = terms
            if len(self._leads) > LEADS:
                self._leads.popitem(last=False)
        return terms

    def _read_lead(self, reader, docnum: int, config: Feedback) -> list[str]:
        with self.lock:
            stored = reader.stored_fields(docnum)
        return lead_terms(stored.get("title"), stored.get("text"), stored.get("lang"), config)

    @cached_property
    def _offsets(self) -> list[int]:
        return [offset for _, offset, _ in self.postings.parts]

    def common(self, terms) -> set[str]:
        """Terms in more than a fifth of the documents, in a collection large
        enough to say ("to", "the", "của")."""
        reader = self.searcher.reader()
        limit = max(COMMON_MIN, WEAK_SHARE * reader.doc_count_all())  # the rule soft matching uses
        if self.segments is None:
            return {t for t in terms if reader.doc_frequency("body", t) > limit}
        parts = self.postings.parts
        return {t for t in terms if self.segments.doc_frequency(parts, "body", t) > limit}

    @cached_property
    def vocabulary(self) -> Vocabulary:
        return Vocabulary.load(self.path / VOCAB_FILE)

    @property
    def speller(self) -> Speller:
        if self.spelling is not None:
            return self.spelling.get(self.path, self.generation)
        return self.own_speller

    @cached_property
    def own_speller(self) -> Speller:
        return Speller(self.vocabulary)

    @property
    def suggestions(self) -> SuggestIndex:
        if self.derived is not None:
            return self.derived.get("suggestions", self, lambda snap: snap.own_suggestions)
        return self.own_suggestions

    @cached_property
    def own_suggestions(self) -> SuggestIndex:
        index = SuggestIndex()
        person = self.all_facets["person"]
        counts = person.counts(self.sets.live)
        for i, key in enumerate(person.values):
            if counts[i]:
                index.add(person.label(key), "person", key, int(counts[i]))
        topic = self.all_facets["topic"]
        counts = topic.counts(self.sets.live)
        for i, topic_id in enumerate(topic.values):
            if counts[i]:
                for hl in ("en", "vi"):
                    index.add(topic.label(topic_id, hl), "topic", topic_id, int(counts[i]))
        vocab = self.vocabulary
        for doc_id, title in vocab.titles.items():
            index.add(title, "title", doc_id, 1, every_word=False)
        for phrase, n in vocab.phrases.most_common(20000):
            index.add(phrase, "term", phrase, n)
        marked = marked_spellings(vocab)  # (not the speller's: building one takes a second)
        for word, n in vocab.words.most_common(20000):
            if len(word) > 2:
                display = marked.get(word, word)
                index.add(display, "term", display, n, every_word=False)
        return index


class SearchEngine:
    def __init__(self, store: IndexStore, config: EngineConfig = EngineConfig(), clock: Clock = time.monotonic):
        self.store = store
        self.config = config
        self.clock = clock  # what the time budget is measured on
        self._lock = threading.RLock()
        self._snapshot: Snapshot | None = None
        self._checked = float("-inf")  # when the live generation was last looked for
        self._stamp = None  # the index's directories as they were then (IndexStore.stamp)
        # postings and facet columns per segment, for every snapshot to share
        self.segments = SegmentCache()
        self.readers = ReaderPool()  # segment readers shared by the live snapshots
        self._read_lock = self.readers.read_lock  # one for the snapshots (and writes) that share them
        self.derived = Derived(self._open, config.derived_refresh, clock)
        self.spelling = LiveSpeller()

    @cached_property
    def registry(self) -> PeopleRegistry:
        return PeopleRegistry.load(*self.config.people_files)

    @cached_property
    def taxonomy(self) -> Taxonomy:
        return Taxonomy.load(self.config.taxonomy_file)

    # -- index lifecycle ------------------------------------------------------

    def snapshot(self) -> Snapshot:
        """The live generation, reopened if a rebuild or a write changed it.
        It is looked for when the index's directories changed since the
        last look (two ``stat`` calls: a commit is seen by the next search,
        not up to an interval later), and in any case once per
        ``refresh_interval`` seconds (a change the directories' times
        missed). A reopening follows a commit, and the journal's commits
        come at most one per three quarters of the refresh interval."""
        old = None
        with self._lock:
            snap = self._snapshot
            now = self.clock()
            stamp = self.store.stamp(snap.path) if snap is not None else None  # read before looking
            if stamp is not None and stamp == self._stamp and now - self._checked < self.config.refresh_interval:
                return snap
            self._checked, self._stamp = now, stamp
            current = self.store.current_name()
            if snap is None or current != snap.path.name or not snap.searcher.up_to_date():
                # A fresh searcher, not refresh(): refresh reuses segment
                # readers and misses deletions committed since.
                new = Snapshot(self.store, self.config, self.registry, self.taxonomy, self.segments,
                               self.derived, self.readers, self._read_lock, previous=snap,
                               spelling=self.spelling)
                old, self._snapshot = snap, new
                snap = new
                self.segments.keep_only({key for _, _, key in leaves(new.searcher.reader())})
        if old is not None:
            old.close()  # waits for a reader of it in another thread
        return snap

    @contextmanager
    def _use(self):
        """The live snapshot, held (its lock) while it is read: a snapshot
        replaced meanwhile is closed only once its reader is done."""
        while True:
            snap = self.snapshot()
            with snap.lock:
                if not snap.closed:  # else it was replaced between the two lines
                    yield snap
                    return

    def expire(self) -> None:
        """Look for a newer index on the next read, whatever the interval
        (safe from any thread: nothing is closed here)."""
        with self._lock:
            self._checked = float("-inf")

    def refresh(self) -> Snapshot:
        """The live generation now, whatever the interval (after a write
        this process made, so that its writer reads it at once)."""
        with self._lock:
            self._checked = float("-inf")
            return self.snapshot()

    def _open(self) -> Snapshot:
        """A snapshot of the live generation of its own (for a background build)."""
        return Snapshot(self.store, self.config, self.registry, self.taxonomy, self.segments)

    def searcher(self):
        return self.snapshot().searcher

    def warm(self, terms: int = 200) -> None:
        """Build now what the first searches would otherwise wait for: facet
        arrays, field lengths, the suggestion index, the spelling dictionary
        (every search now consults it) and the postings of the
        most frequent words. A server calls this once per worker at start."""
        with self._use() as snap:
            snap.all_facets, snap.days, snap.suggestions, snap.speller  # noqa: B018 (built on first use)
            for field in snap.searcher.schema.scorable_names():  # title, body, exact
                snap.scorer.lengths(field)
            for field in ("title", "body"):
                for _, term in snap.searcher.reader().most_frequent_terms(field, number=terms):
                    snap.postings.get(field, term.decode("utf-8") if isinstance(term, bytes) else term)

    def close(self) -> None:
        with self._lock:
            if self._snapshot is not None:
                self._snapshot.close()
                self._snapshot = None

    # -- searching -------------------------------------------------------------

    def validate(self, request: SearchRequest) -> None:
        cfg = self.config
        if len(request.q) > cfg.max_query_length:
            raise QueryValueError("q", f"q is {len(request.q)} characters long; the limit is {cfg.max_query_length}")
        if request.sort is not None and request.sort not in SORTS:
            raise QueryValueError("sort", f"sort must be one of {', '.join(SORTS)}, not {request.sort!r}")
        if request.page < 1:
            raise QueryValueError("page", "page must be 1 or more")
        if not 1 <= request.per_page <= cfg.max_per_page:
            raise QueryValueError("per_page", f"per_page must be between 1 and {cfg.max_per_page}")
        if request.page * request.per_page > cfg.max_window:
            raise QueryValueError("page", f"results beyond the first {cfg.max_window} are not available "
                                          f"(page × per_page ≤ {cfg.max_window}); narrow the search instead")
        for name in request.facets or ():
            if name not in FACETS:
                raise QueryValueError("facets", f"unknown facet {name!r}; facets are {', '.join(FACETS)}")
        for name in request.filters:
            if name not in FACETS:
                raise QueryValueError(name, f"unknown filter {name!r}")
        if request.match not in MATCHES:
            raise QueryValueError("match", f"match must be one of {', '.join(MATCHES)}, not {request.match!r}")
        if request.hl not in ("en", "vi"):
            raise QueryValueError("hl", "hl must be 'en' or 'vi'")

    def search(self, request: SearchRequest) -> SearchResponse:
        started = time.perf_counter()
        self.validate(request)
        with self._use() as snap:
            cached = snap.cache.get(request.key())
            if cached is not None:
                snap.cache.move_to_end(request.key())
                return replace(cached, took_ms=_ms(started))
            response = self._search(snap, request)
            response.took_ms = _ms(started)
            if not response.partial:
                snap.cache[request.key()] = response
                if len(snap.cache) > self.config.cache_size:
                    snap.cache.popitem(last=False)
            return response

    @cached_property
    def lexicon(self) -> Lexicon:
        people = PersonFinder(self.registry)
        weak = WeakWords.load()
        return Lexicon(people.full, Equivalents.load(), weak.__contains__, people.by_role,
                       ConceptLexicon.load())

    def compile(self, snap: Snapshot, parsed: ParsedQuery, deadline: Deadline | None = NO_DEADLINE) -> Compiled:
        """The Whoosh queries for a parsed query, resolved against ``snap``;
        with a ``deadline`` (None: no spelling), words the index hardly
        knows also match their corrections."""
        spell = snap.speller.for_query(parsed, deadline) if deadline is not None else None
        return compile_query(parsed, weights=self.config.weights,
                             resolve_filter=snap.resolver.resolve,
                             expand_prefix=snap.resolver.expand_prefix, lexicon=self.lexicon,
                             spell=spell)

    def _restrict(self, snap: Snapshot, compiled: Compiled, request: SearchRequest,
                  deadline: Deadline = NO_DEADLINE) -> np.ndarray:
        """Live documents that pass the query's filters, exclusions and the date range."""
        sets = snap.sets
        docs = sets.live.copy()
        if compiled.filter is not None:
            docs &= sets.matches(compiled.filter, deadline)
        if compiled.mask is not None:
            docs &= ~sets.matches(compiled.mask, deadline)
        if request.date_from or request.date_to:
            days = snap.days
            low = date_bound(request.date_from, "from", end=False) if request.date_from else 0
            high = date_bound(request.date_to, "to", end=True) if request.date_to else 99991231
            if low > high:
                raise QueryValueError("from", "from is after to")
            docs &= (days >= max(low, 1)) & (days <= high)
        return docs

    def _match(self, snap: Snapshot, compiled: Compiled, request: SearchRequest,
               deadline: Deadline = NO_DEADLINE) -> Matching:
        restrict = self._restrict(snap, compiled, request, deadline)
        return match(snap.sets, compiled.concepts, restrict, all_required=request.match == "all",
                     deadline=deadline)

    def _search(self, snap: Snapshot, request: SearchRequest) -> SearchResponse:
        deadline = Deadline(self.config.timeout, self.clock)
        snap.sets.begin()
        parsed = parse_query(request.q)
        compiled = self.compile(snap, parsed, deadline)
        matching = self._match(snap, compiled, request, deadline)
        sort = request.sort or ("relevance" if compiled.concepts else "newest")
        base = matching.docs
        if sort != "relevance" and matching.complete().any():
            base = matching.complete()  # in date order, partial matches would mix in

        # Facet selections: OR within a facet, AND across facets.
        selections: dict[str, np.ndarray] = {}
        selected: dict[str, list[str]] = {}
        for name, values in request.filters.items():
            if not values:
                continue
            terms = [t for v in values for t in snap.resolver.value(name, v)]
            selected[name] = list(dict.fromkeys(terms))
            selections[name] = snap.all_facets[name].mask(selected[name])
        final = base.copy()
        for mask in selections.values():
            final &= mask
        total = int(final.sum())

        facets = {}
        for name in request.facets if request.facets is not None else FACETS:
            docs = base.copy()
            for other, mask in selections.items():
                if other != name:
                    docs &= mask
            facets[name] = snap.all_facets[name].top(docs, selected.get(name, []),
                                                    self.config.facet_limit, request.hl)

        ranked = self._rank(snap, compiled, final, sort, request, deadline, matching.coverage,
                            matching.concepts)
        weak = snap.common(compiled.terms)
        hits = [self._hit(snap, docnum, score, compiled, request.hl, weak,
                          int(matching.matched[docnum]) if matching.matched is not None else None)
                for docnum, score in ranked]

        did_you_mean = None
        complete = int((matching.complete() & final).sum())
        if compiled.corrected and not deadline.expired():
            # some matches are the corrections': what do the words typed find?
            typed = self.compile(snap, parsed, None)
            complete = int(self._match(snap, typed, request, deadline).complete().sum())
        if complete < self.config.few_results and parsed.clauses and not deadline.expired():
            did_you_mean = self._did_you_mean(snap, request, complete, deadline)
        return SearchResponse(query=request.q, total=total, hits=hits, facets=facets,
                              relaxed=bool(total) and not (matching.complete() & final).any(),
                              concepts=matching.concepts, partial=deadline.fired, did_you_mean=did_you_mean,
                              understood=compiled.understood)

    def _rank(self, snap: Snapshot, compiled: Compiled, final: np.ndarray, sort: str,
              request: SearchRequest, deadline: Deadline,
              coverage: np.ndarray | None = None, concepts: int = 0) -> list[tuple[int, float | None]]:
        """(docnum, score) of the requested page."""
        start = (request.page - 1) * request.per_page
        end = start + request.per_page
        docs = np.flatnonzero(final)
        if sort != "relevance" or not compiled.concepts:
            days = snap.days[docs]
            # undated documents come last either way
            keys = np.where(days > 0, -days if sort == "newest" else days, np.iinfo(np.int64).max)
            order = docs[np.lexsort((docs, keys))]
            return [(int(d), None) for d in order[start:end]]
        weights = self.config.weights
        queries = [c.query for c in compiled.concepts]
        scores = snap.scorer.scores(queries[0] if len(queries) == 1 else wq.Or(queries), final, deadline)
        if coverage is not None:  # matching more of the query counts, rare concepts most
            scores = scores * coverage ** weights.coverage
        scores = scores[docs]
        factor = self._when(snap, compiled.periods, docs) if compiled.periods else None
        if factor is not None:
            scores = scores * factor
        feedback = self.config.feedback
        learn = feedback.on and concepts >= feedback.concepts
        depth = min(len(docs), max(end, weights.rerank if compiled.near else 0,
                                   feedback.depth if learn else 0))
        if depth < len(docs):
            keep = np.argpartition(-scores, depth - 1)[:depth]
            docs, scores = docs[keep], scores[keep]
            factor = factor[keep] if factor is not None else None
        when = dict(zip(docs.tolist(), factor.tolist())) if factor is not None else None
        order = np.lexsort((docs, -scores))  # best first; ties by document number
        ranked = [(int(docs[i]), float(scores[i])) for i in order]
        if compiled.near and ranked:
            top = ranked[:weights.rerank]
            near = closeness(snap.postings.parts, [d for d, _ in top], compiled.near, weights.proximity_slop,
                             snap.segments)
            top = sorted(((d, s * (1 + weights.proximity * near[d])) for d, s in top),
                         key=lambda ds: (-ds[1], ds[0]))
            ranked = top + ranked[weights.rerank:]
        if learn and len(ranked) > 1 and not deadline.expired():
            ranked = self._feedback(snap, ranked, deadline, when)
        return [(d, round(s, 4)) for d, s in ranked[start:end]]

    def _feedback(self, snap: Snapshot, ranked: list[tuple[int, float]], deadline: Deadline,
                  when: dict[int, float] | None = None) -> list[tuple[int, float]]:
        """``ranked`` reordered by the words its first results share; ``when``
        is the part of each score a date typed in the query gave, which
        still multiplies the reordered score."""
        config = self.config.feedback
        best = ranked[0][1] or 1.0
        texts = [(snap.lead_terms(docnum, config), score / best)
                 for docnum, score in ranked[:config.sources(len(ranked), snap.sets.size)]]
        expansion = feedback_terms(texts, lambda t: snap.scorer.frequency("body", t), snap.sets.size, config)
        return rerank(ranked, expansion, lambda t, docs: snap.scorer.term_at("body", t, docs), config,
                      deadline, when)

    def _when(self, snap: Snapshot, periods, docs: np.ndarray) -> np.ndarray:
        """Per document of ``docs``, how much a date typed in the query raises
        its score: published in the period, in the same year, or undated
        but naming the year."""
        w = self.config.weights
        days = snap.days[docs]
        factor = np.ones(len(docs))
        year = days // 10000
        for p in periods:
            near = (year == p.year) | ((days == 0) & np.isin(docs, snap.sets.term_ids("body", str(p.year))))
            factor = np.maximum(factor, np.where(near, 1 + w.date * w.date_near, 1.0))
            factor = np.maximum(factor, np.where((days >= p.start) & (days <= p.end), 1 + w.date, 1.0))
        return factor

    def _hit(self, snap: Snapshot, docnum: int, score, compiled: Compiled, hl: str,
             weak: set[str] = frozenset(), matched: int | None = None) -> Hit:
        stored = snap.searcher.stored_fields(docnum)
        view = document_view(stored, snap.taxonomy, hl)
        layout = read_layout(stored.get("title"), stored.get("text", ""))
        story = "\n\n".join(layout.story) or stored.get("text", "")
        # Only the query words this document holds: the snippet stops
        # reading once it has found them all.
        groups = [g for g in compiled.groups if _holds(snap.postings, docnum, g)]
        return Hit(
            id=view["id"], title=view["title"], date=view["date"], lang=view["lang"] or "und",
            source=view["source"], url=view["url"],
            persons=[{"key": p["key"], "label": p["label"]} for p in view["persons"]],
            topics=view["topics"], score=score, matched=matched,
            snippet=snippet(story, stored.get("lang"), compiled.terms, groups=groups or compiled.groups,
                            weak=weak),
        )

    def _did_you_mean(self, snap: Snapshot, request: SearchRequest, total: int,
                      deadline: Deadline) -> dict | None:
        """A corrected query, when more documents match all of its words than
        ``total`` match all of the words typed."""
        corrected = snap.speller.correct(request.q, deadline)
        if corrected is None or corrected == request.q:
            return None
        compiled = self.compile(snap, parse_query(corrected), None)
        found = int(self._match(snap, compiled, replace(request, q=corrected), deadline).complete().sum())
        if deadline.expired():  # the count may be short: offer nothing
            return None
        return {"q": corrected, "total": found} if found > total else None

    # -- other reads --------------------------------------------------------------

    def suggest(self, q: str, limit: int = 8, kinds=KINDS) -> list:
        if len(q) > self.config.max_query_length:
            raise QueryValueError("q", f"q is longer than {self.config.max_query_length} characters")
        with self._use() as snap:
            return snap.suggestions.suggest(q, limit, kinds)

    def facet_values(self, name: str, q: str = "", limit: int = 10, hl: str = "en") -> list:
        if name not in FACETS:
            raise QueryValueError("name", f"unknown facet {name!r}; facets are {', '.join(FACETS)}")
        with self._use() as snap:
            return snap.all_facets[name].search(q, snap.sets.live, limit, hl)

    def document(self, doc_id: str, hl: str = "en") -> dict | None:
        with self._use() as snap:
            stored = snap.searcher.document(id=doc_id)
            return document_view(stored, snap.taxonomy, hl) if stored is not None else None


def _days(leaf) -> np.ndarray:
    """One segment's document days (its own numbering)."""
    n = leaf.doc_count_all()
    if not leaf.has_column("day"):
        return np.zeros(n, dtype=np.int64)
    column = leaf.column_reader("day")
    return np.fromiter((column[d] for d in range(n)), dtype=np.int64, count=n)


def _holds(postings: PostingsCache, docnum: int, terms) -> bool:
    """Whether document ``docnum`` holds any of ``terms`` in its title or body."""
    for name in ("body", "title"):
        for term in terms:
            ids = postings.get(name, term)[0]
            i = np.searchsorted(ids, docnum)
            if i < len(ids) and ids[i] == docnum:
                return True
    return False


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)
