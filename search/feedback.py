"""Pseudo-relevance feedback: the best answers say what the rest should share.

A query of five words misses the words its answers use instead: the other
language's (*rice export ban* is reported as *cấm xuất khẩu gạo*), a
synonym, the name of the event. The first answers of a good ranking are
mostly right, and they use those words. This
is the relevance model of Lavrenko and Croft (RM3, the reranking Anserini and
Terrier apply by default), run as a reranking of the first results only:

* the first :attr:`Feedback.docs` hits (at most half of them) are taken as
  relevant, each weighing its share of the best score (not in a collection
  of fewer than :data:`search.matching.COMMON_MIN` documents: too few to
  learn from);
* their title and lead (the first :attr:`Feedback.chars` characters of the
  story, where news says what it is about) are analysed exactly as the index
  analysed them, by each article's own language, so the words of a
  Vietnamese answer become Vietnamese index terms;
* each word weighs its frequency share in each of those articles times the
  article's weight, times its inverse document frequency (words in more than
  :attr:`Feedback.common` of a collection, beyond the first
  :data:`search.matching.COMMON_MIN`, weigh nothing), and the
  :attr:`Feedback.terms` heaviest words form the feedback query;
* the first :attr:`Feedback.depth` results are reordered by
  ``share × first score + (1 − share) × feedback score``, each scaled to the
  best of them. A result past that depth keeps its place behind them. A
  date typed in the query multiplies the score after the mix, as it did
  before (see ``SearchEngine._when``).

Only documents that already matched are reordered: feedback changes the
order, never what the query selects, so a strict query stays strict. A
query of one concept (``Xi Jinping``, ``"rice harvest"``) is left alone: every
result matches all of it, and its best answers' other words would only pull
the rest towards one story about it (on the judged corpus queries, such
queries rank better without).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from math import log
from typing import Callable

import numpy as np

from index.analysis import index_words

from .deadline import NO_DEADLINE, Deadline
from .matching import COMMON_MIN

__all__ = ["Feedback", "feedback_terms", "lead_terms", "rerank"]


@dataclass(frozen=True)
class Feedback:
    share: float = 0.5     # the first ranking's share of the final score (1: no feedback)
    docs: int = 5          # top results taken as relevant
    chars: int = 1000      # of each one's story, after its title
    terms: int = 15        # words in the feedback query
    depth: int = 100       # results reordered
    common: float = 0.1    # a word in more than this share of the documents says nothing
    concepts: int = 2      # fewest strong concepts (see search.matching) a query needs for feedback

    @property
    def on(self) -> bool:
        return self.share < 1 and self.docs > 0 and self.terms > 0

    def sources(self, results: int, size: int) -> int:
        """How many of ``results`` to learn from, in a collection of ``size``
        documents: never more than half, or the results would only be
        reordered by their own words, and none in a collection too small for
        its word statistics to say anything (as :mod:`search.matching` rules)."""
        return min(self.docs, results // 2) if size >= COMMON_MIN else 0


def lead_terms(title: str | None, text: str | None, lang: str | None, config: Feedback) -> list[str]:
    """The index terms of a title and the start of its story, analysed as the
    index analysed them (by the article's language)."""
    lead = f"{title or ''}\n{(text or '')[:config.chars]}"
    return [term for term, _, _ in index_words(lead, lang)]


def feedback_terms(docs: list[tuple[list[str], float]], frequency: Callable[[str], int],
                   size: int, config: Feedback) -> list[tuple[str, float]]:
    """The feedback query: (term, weight) for the heaviest words of ``docs``
    (each ``(terms, weight)``), weights summing to 1. ``frequency`` gives a
    term's document frequency among ``size`` documents."""
    model: Counter = Counter()
    for words, weight in docs:
        if not words or weight <= 0:
            continue
        for term, n in Counter(words).items():
            model[term] += weight * n / len(words)
    limit = max(COMMON_MIN, config.common * size)
    scored = {}
    for term, p in model.items():
        df = frequency(term)
        if 1 < df <= limit:  # a word of one document only is no evidence about others
            scored[term] = p * log((size + 1) / df)
    best = sorted(scored.items(), key=lambda tw: (-tw[1], tw[0]))[:config.terms]
    total = sum(w for _, w in best)
    return [(t, w / total) for t, w in best if w > 0] if total > 0 else []


def rerank(ranked: list[tuple[int, float]], expansion: list[tuple[str, float]],
           term_scores: Callable[[str, np.ndarray], np.ndarray], config: Feedback,
           deadline: Deadline = NO_DEADLINE, prior: dict[int, float] | None = None) -> list[tuple[int, float]]:
    """``ranked`` ((docnum, score), best first) reordered with the feedback
    query ``expansion``; ``term_scores(term, docs)`` is a term's BM25 score
    on each of ``docs``. ``prior`` (docnum → factor) is the part of
    a score that multiplies the mix instead of joining it."""
    if not expansion or len(ranked) < 2:
        return ranked
    head, tail = ranked[:config.depth], ranked[config.depth:]
    docs = np.array([d for d, _ in head])
    factor = np.array([prior[d] for d, _ in head]) if prior else np.ones(len(head))
    first = np.array([s for _, s in head]) / factor
    best = first.max() or 1.0
    fed = np.zeros(len(docs))
    for term, weight in expansion:
        if deadline.expired():
            break
        fed += weight * term_scores(term, docs)
    top = fed.max()
    score = factor * (config.share * first / best + (1 - config.share) * (fed / top if top > 0 else fed))
    order = np.lexsort((docs, -score))
    # past the depth, a result's feedback is unknown: it keeps its first score,
    # on the same scale, which is below every reordered one's
    return ([(int(docs[i]), float(score[i])) for i in order]
            + [(d, config.share * s / best) for d, s in tail])
