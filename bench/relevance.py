"""Ranking quality: nDCG@10 of judged queries over the seed articles.

Usage: python bench/relevance.py [QUERIES.jsonl] [--seeds DIR]

QUERIES.jsonl has the shape of ../shared/eval/queries-dev.jsonl: ``qid``,
``query`` (as a user types it), ``kind`` and ``judgments`` (file → grade, 2
highly relevant, 1 partly; unlisted: not relevant). The seeds are indexed in
a temporary directory, each query is searched as the API searches it, and
nDCG@10 is printed per query, per kind and overall.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.store import IndexStore  # noqa: E402
from index.writer import rebuild  # noqa: E402
from search.engine import SearchEngine, SearchRequest  # noqa: E402

DEFAULT_QUERIES = ROOT.parent / "shared" / "eval" / "queries-dev.jsonl"


def dcg(grades: list[int]) -> float:
    return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(grades))


def ndcg_at(ranked: list[str], judgments: dict[str, int], k: int = 10) -> float:
    ideal = dcg(sorted(judgments.values(), reverse=True)[:k])
    return dcg([judgments.get(doc, 0) for doc in ranked[:k]]) / ideal if ideal else 0.0


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("queries", type=Path, nargs="?", default=DEFAULT_QUERIES)
    p.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    args = p.parse_args()
    rows = [json.loads(line) for line in open(args.queries, encoding="utf-8") if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        store = IndexStore(tmp)
        report = rebuild(store, [args.seeds], procs=1)
        print(f"indexed {report.indexed} seed articles; {len(rows)} judged queries")
        engine = SearchEngine(store)
        by_kind: dict[str, list[float]] = defaultdict(list)
        scores = []
        for row in rows:
            response = engine.search(SearchRequest(q=row["query"], per_page=10))
            ranked = [hit.id for hit in response.hits]
            score = ndcg_at(ranked, row["judgments"])
            scores.append(score)
            by_kind[row["kind"]].append(score)
            flags = " (relaxed)" if response.relaxed else ""
            print(f"  {row['qid']}  {score:.3f}  {row['query']!r}{flags}  → {[r[:3] for r in ranked]}")
        engine.close()
    print("by kind:")
    for kind, values in sorted(by_kind.items()):
        print(f"  {kind:<24} {sum(values) / len(values):.3f}  ({len(values)} queries)")
    print(f"mean nDCG@10: {sum(scores) / len(scores):.3f}")


if __name__ == "__main__":
    main()
