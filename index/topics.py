"""Topics: a bilingual taxonomy, and weighted phrase rules that assign it.

The taxonomy (``data/topics.toml``, replaceable) has the nine topics of
Vietnam–China news (``diplomacy``, ``party-relations``, ...) and the IPTC
Media Topics top level (``politics``, ``sport``, ...); each fine topic names
its IPTC parent, so that a filter on ``politics`` also finds ``diplomacy``.

Each topic lists English and Vietnamese phrases with weights. An article's
score for a topic adds the weights of the phrases it contains, counting the
headline three times and the lead twice. English is matched on Porter stems
(``visits`` ~ ``visit``), Vietnamese on words with diacritics (``bão`` is not
``báo``), or folded when the article was typed without them.

Articles are multi-label, but only for their main subjects: a topic is
assigned when its score reaches :attr:`TopicClassifier.min_score` and a
share (:attr:`TopicClassifier.relative`) of the best topic's score, and its
evidence shows in the headline or the lead or more than once in the body,
so a one-sentence aside adds nothing. A phrase that is a person's title
("Party General Secretary To Lam") counts half: it says who someone is, not
what the article is about.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .analysis import stem, words
from .datafiles import read_toml
from .normalize import canonical_tone, fold, has_diacritics

__all__ = ["Topic", "Taxonomy", "TopicClassifier", "DEFAULT_TOPICS"]

DEFAULT_TOPICS = Path(__file__).with_name("data") / "topics.toml"
# How much a phrase counts when it is a person's title (see _Rules.count).
TITLE_FACTOR = 0.5


@dataclass(frozen=True)
class Topic:
    id: str
    labels: dict
    parent: str | None = None
    iptc: str | None = None
    covers: str = ""

    def label(self, lang: str = "en") -> str:
        return self.labels.get(lang) or self.labels.get("en") or self.id


@lru_cache(maxsize=262144)
def _en_form(word: str) -> str:
    return stem(fold(word))


@lru_cache(maxsize=262144)
def _vi_form(word: str) -> str:
    return canonical_tone(word).lower()


@dataclass
class _Rules:
    """Phrases indexed by their first word: first -> [(rest, topic, weight)]."""

    by_first: dict = field(default_factory=lambda: defaultdict(list))

    def add(self, phrase: tuple[str, ...], topic: str, weight: float) -> None:
        self.by_first[phrase[0]].append((phrase, topic, weight))

    def count(self, tokens: list[str], factor: float, into: dict, named: list[bool] | None = None,
              hits: dict | None = None) -> None:
        """Add ``factor`` to ``into[(topic, phrase, weight)]`` per occurrence.

        Within a topic, the longest phrase at a position wins and the words it
        covers are not matched again: "Communist Party of China" counts once,
        not also as "Communist Party" and "Communist". A phrase right before
        a person's name (``named[i]``: token i opens one) is a title, evidence
        of who someone is rather than what the article is about ("Party
        General Secretary To Lam" in a report of a state visit): it counts
        :data:`TITLE_FACTOR` as much. ``hits[topic]`` counts the other occurrences.
        """
        by_first = self.by_first
        covered: dict[str, int] = {}
        for i in [i for i, token in enumerate(tokens) if token in by_first]:
            best: dict[str, tuple] = {}
            for phrase, topic, weight in by_first[tokens[i]]:
                if covered.get(topic, 0) > i:
                    continue
                if len(phrase) == 1 or tuple(tokens[i:i + len(phrase)]) == phrase:
                    if topic not in best or len(phrase) > len(best[topic][0]):
                        best[topic] = (phrase, weight)
            for topic, (phrase, weight) in best.items():
                end = i + len(phrase)
                titled = named is not None and end < len(named) and named[end]
                into[(topic, phrase, weight)] += factor * TITLE_FACTOR if titled else factor
                if hits is not None and not titled:
                    hits[topic] += 1
                covered[topic] = end


class Taxonomy:
    def __init__(self, topics: dict[str, Topic], rules: dict[str, _Rules]):
        self.topics = topics
        self.rules = rules

    @classmethod
    def load(cls, path: Path | None = None) -> "Taxonomy":
        """Read a taxonomy file (the built-in one by default); raises
        ValueError naming the file and the problem."""
        path = path or DEFAULT_TOPICS
        data = read_toml(path).get("topic", {})
        topics: dict[str, Topic] = {}
        rules = {"en": _Rules(), "vi": _Rules(), "vi-folded": _Rules()}
        for topic_id, item in data.items():
            labels = item.get("label") or {}
            if not isinstance(labels, dict) or "en" not in labels:
                raise ValueError(f"{path}: topic {topic_id!r} needs label.en")
            topics[topic_id] = Topic(topic_id, dict(labels), item.get("parent"), item.get("iptc"),
                                     item.get("covers", ""))
            terms = item.get("terms", {})
            for phrase, weight in terms.get("en", {}).items():
                rules["en"].add(tuple(_en_form(w) for w in words(phrase)), topic_id, float(weight))
            for phrase, weight in terms.get("vi", {}).items():
                ws = words(phrase)
                rules["vi"].add(tuple(_vi_form(w) for w in ws), topic_id, float(weight))
                rules["vi-folded"].add(tuple(fold(w) for w in ws), topic_id, float(weight))
        for topic in topics.values():
            if topic.parent is not None and topic.parent not in topics:
                raise ValueError(f"{path}: topic {topic.id!r} has unknown parent {topic.parent!r}")
        return cls(topics, rules)

    def label(self, topic_id: str, lang: str = "en") -> str:
        topic = self.topics.get(topic_id)
        return topic.label(lang) if topic else topic_id

    def top_level(self, topic_id: str) -> str:
        """The IPTC top-level topic of ``topic_id`` (itself if top-level)."""
        seen = set()
        while topic_id in self.topics and self.topics[topic_id].parent and topic_id not in seen:
            seen.add(topic_id)
            topic_id = self.topics[topic_id].parent
        return topic_id

    def with_parents(self, topic_ids: list[str]) -> list[str]:
        """The topics and their ancestors, each once (for filtering)."""
        out: list[str] = []
        for t in topic_ids:
            while t and t not in out:
                out.append(t)
                t = self.topics[t].parent if t in self.topics else None
        return out


class TopicClassifier:
    zone_factors = (3.0, 2.0, 1.0)  # headline, lead, body
    min_score = 6.0
    relative = 0.3
    max_topics = 4

    def __init__(self, taxonomy: Taxonomy):
        self.taxonomy = taxonomy

    def scores(self, title: str | None, lead: str, body: str, lang: str,
               zone_words: list[list[str]] | None = None, names: frozenset[str] = frozenset()) -> dict[str, float]:
        """Topic scores: each phrase adds its weight × (1 + ln n), n its
        zone-weighted count, so a title repeated in every paragraph
        ("member of the Political Bureau") does not drown the story.
        ``zone_words`` are the three zones already split into words;
        ``names`` the words of the article's people's names (lower case),
        to tell a person's title from the article's subject."""
        return self.evidence(title, lead, body, lang, zone_words, names)[0]

    def evidence(self, title: str | None, lead: str, body: str, lang: str,
                 zone_words: list[list[str]] | None = None,
                 names: frozenset[str] = frozenset()) -> tuple[dict[str, float], dict[str, list[int]]]:
        """The scores, and where each topic's evidence is: occurrences in
        the headline, the lead and the body (a person's title not counted)."""
        counts: dict[tuple, float] = defaultdict(float)
        where: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        zones = zone_words or [words(z) if z else [] for z in (title, lead, body)]
        plans = []
        if lang != "vi":
            plans.append((self.taxonomy.rules["en"], _en_form))
        if lang != "en":
            sample = (zones[1] or zones[2])[:200]
            if sample and sum(map(has_diacritics, sample)) < 0.1 * len(sample):
                plans.append((self.taxonomy.rules["vi-folded"], fold))
            else:
                plans.append((self.taxonomy.rules["vi"], _vi_form))
        for rules, form in plans:
            for zone, (toks, factor) in enumerate(zip(zones, self.zone_factors)):
                if toks:
                    named = [w[:1].isupper() and w.lower() in names for w in toks] if names else None
                    hits: dict[str, int] = defaultdict(int)
                    rules.count([form(w) for w in toks], factor, counts, named, hits)
                    for topic, n in hits.items():
                        where[topic][zone] += n
        scores: dict[str, float] = defaultdict(float)
        for (topic, _, weight), n in counts.items():
            scores[topic] += weight * (1.0 + math.log(n)) if n >= 1 else weight * n
        return dict(scores), dict(where)

    def classify(self, title: str | None, lead: str, body: str, lang: str,
                 zone_words: list[list[str]] | None = None, names: frozenset[str] = frozenset()) -> list[str]:
        """The main topics of an article, best first (parents implied, not listed)."""
        zones = zone_words or [words(z) if z else [] for z in (title, lead, body)]
        scores, where = self.evidence(title, lead, body, lang, zones, names)
        if not scores:
            return []
        best = max(scores.values())
        # Short items (a 60-word wire brief) cannot reach the full score.
        length = sum(map(len, zones))
        floor = max(self.min_score * min(1.0, (length + 50) / 300), self.relative * best)
        chosen = [t for t, s in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
                  if s >= floor and self._main_subject(where.get(t, (0, 0, 0)))]
        # A top-level topic adds nothing when one of its children is chosen.
        implied = {self.taxonomy.topics[t].parent for t in chosen if t in self.taxonomy.topics}
        chosen = [t for t in chosen if t not in implied]
        return chosen[: self.max_topics]

    @staticmethod
    def _main_subject(where) -> bool:
        """A main subject shows in the headline or the lead, or more than
        once in the body; one aside in the body is not one."""
        headline, lead, body = where
        return headline > 0 or lead > 0 or body >= 2
