"""Which documents a query's concepts select, and how completely.

A document need not match every concept of a query, as with Elasticsearch's
``minimum_should_match`` or Lucene's coordination: a natural query of six
words finds the articles that report the same thing with four of them.

Each *strong* concept weighs its inverse document frequency among the
documents searched (a rare name counts more than a common verb), and a
document's *coverage* is the share of that weight it matches. The rules:

* a document is selected when its coverage reaches :data:`COVERAGE`; when
  fewer than :data:`ENOUGH` documents (a first page) do, the bar halves
  until they do or no more can: a long query with a rare or misspelt word
  (*hanoi metro delay costs*) still fills a page, its best matches first;
* a *weak* concept (a role, a reporting verb, a word found in more than
  :data:`WEAK_SHARE` of the documents, and more than :data:`COMMON_MIN`)
  weighs nothing: it ranks but is never needed;
* a *strict* concept (``+word``, a quoted phrase) is always required, and
  with ``all_required`` every concept is;
* a query of weak concepts only selects the documents matching any of them;
* a country named in the query (*Vietnam*) also gives :data:`HOME_SHARE` of
  its weight to the articles in its home language that do not name it (see
  ``home`` in ``index/data/equivalents.toml``): Vietnamese news about Hà Nội
  is about Vietnam. They do not count as matching it (``matched``).

The ranking multiplies each score by a power of the coverage (see
:class:`search.compile.Weights`), so documents matching more of the query
come first.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import log

import numpy as np
from whoosh import query as wq

from .compile import Concept
from .deadline import NO_DEADLINE, Deadline

__all__ = ["Matching", "match", "COVERAGE", "ENOUGH", "HOME_SHARE", "WEAK_SHARE", "COMMON_MIN"]

COVERAGE = 0.4     # the share of the strong concepts' weight a selected document matches
ENOUGH = 10        # below this many selected documents, the bar halves
HOME_SHARE = 0.5   # of a country's weight, for an article in its home language that does not name it
WEAK_SHARE = 0.2   # a concept found in more than this share of the documents is weak,
COMMON_MIN = 50    # and in more than this many (a small collection says little)


@dataclass
class Matching:
    docs: np.ndarray              # the selected documents (boolean mask)
    matched: np.ndarray | None    # per document, how many strong concepts it matches
    coverage: np.ndarray | None   # per document, the IDF-weighted share of strong concepts matched
    concepts: int = 0             # strong concepts

    def complete(self) -> np.ndarray:
        """The selected documents that match every strong concept."""
        if self.matched is None:
            return self.docs
        return self.docs & (self.matched >= self.concepts)


def match(sets, concepts: list[Concept], restrict: np.ndarray, *, all_required: bool = False,
          deadline: Deadline = NO_DEADLINE) -> Matching:
    """Select among ``restrict`` (a mask: filters, dates, live documents)."""
    if not concepts:
        return Matching(restrict.copy(), None, None)
    masks = [sets.matches(c.query, deadline) & restrict for c in concepts]
    searched = max(1, int(restrict.sum()))
    counts = [int(m.sum()) for m in masks]
    docs = restrict.copy()
    for c, m in zip(concepts, masks):
        if c.strict or all_required:
            docs &= m
    common = max(COMMON_MIN, WEAK_SHARE * searched)
    strong = [i for i, c in enumerate(concepts)
              if c.strict or all_required or not (c.weak or counts[i] > common)]
    if not strong:  # only weak words: any of them
        docs &= np.logical_or.reduce(masks)
        return Matching(docs, None, None)
    weights = np.array([log(searched / (counts[i] + 1)) + 1 for i in strong])
    matched = np.zeros(len(restrict), dtype=np.int32)
    covered = np.zeros(len(restrict))
    for w, i in zip(weights, strong):
        matched += masks[i]
        covered += w * masks[i]
        if concepts[i].home:
            covered += HOME_SHARE * w * (sets.matches(wq.Term("lang", concepts[i].home), deadline)
                                         & restrict & ~masks[i])
    coverage = covered / weights.sum()
    docs &= matched > 0
    enough = min(ENOUGH, int(docs.sum()))
    bar = COVERAGE
    while True:
        selected = docs & (coverage >= bar - 1e-9)
        if selected.sum() >= enough or bar < 0.01:
            return Matching(selected, matched, coverage, len(strong))
        bar /= 2
