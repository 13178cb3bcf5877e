"""Ranking quality, side by side: tracuu, SQLite FTS5 and plain Whoosh.

Usage: python bench/relevance.py [--corpus DIR] [--eval DIR] [--work DIR]
                                 [--per-query] [--json FILE]

Two judged sets are scored, each over its own collection:

* ``queries-corpus.jsonl`` over the shared corpus (14,712 articles);
* ``queries-dev.jsonl`` over the five seed articles.

Each query runs, as a user typed it, against four systems:

* **tracuu**, the search the HTTP API answers (``SearchEngine.search``);
* **fts5-and**: SQLite FTS5 (``unicode61 remove_diacritics 2``), every
  word required (quoted phrases kept), OR of the words when nothing matches,
  ranked by ``bm25``;
* **fts5-or**: plain BM25 over the OR of the words (FTS5 ``bm25``);
* **whoosh**: plain Whoosh, ``StemmingAnalyzer`` and its default query
  parser (every word required), ranked by its BM25F.

For each system the script prints nDCG@10, MRR@10 and Recall@10 (relevant
articles in the top ten over all relevant ones) by query kind and overall,
and how far the queries typed without diacritics fall behind their twins.

The corpus indexes are built once under ``--work`` and reused: the peers'
while the corpus is unchanged, tracuu's while neither the corpus nor the
code and data under ``index/`` change.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import shutil
import sqlite3
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.store import IndexStore  # noqa: E402
from index.writer import rebuild  # noqa: E402
from search.engine import SearchEngine, SearchRequest  # noqa: E402

SHARED = ROOT.parent / "shared"
SYSTEMS = ("tracuu", "fts5-and", "fts5-or", "whoosh")
_WORD = re.compile(r"[^\W_]+")
K = 10


# -- metrics ----------------------------------------------------------------------

def dcg(grades: list[int]) -> float:
    return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(grades))


def ndcg_at(ranked: list[str], judgments: dict[str, int], k: int = K) -> float:
    ideal = dcg(sorted(judgments.values(), reverse=True)[:k])
    return dcg([judgments.get(doc, 0) for doc in ranked[:k]]) / ideal if ideal else 0.0


def mrr_at(ranked: list[str], judgments: dict[str, int], k: int = K) -> float:
    for i, doc in enumerate(ranked[:k]):
        if judgments.get(doc, 0) > 0:
            return 1 / (i + 1)
    return 0.0


def recall_at(ranked: list[str], judgments: dict[str, int], k: int = K) -> float:
    relevant = {d for d, g in judgments.items() if g > 0}
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 0.0


METRICS = {"nDCG": ndcg_at, "MRR": mrr_at, "R@10": recall_at}


# -- collections --------------------------------------------------------------------

def load_docs(paths: list[Path]) -> list[dict]:
    """Documents as the peers index them: id, title, text (for .txt seeds,
    the file name is the id and the whole file the text)."""
    docs = []
    for path in paths:
        if path.suffix == ".jsonl":
            with open(path, encoding="utf-8") as f:
                for line in f:
                    if line.strip():
                        d = json.loads(line)
                        docs.append({"id": d["id"], "title": d.get("title") or "", "text": d["text"]})
        else:
            docs.append({"id": path.name, "title": "", "text": path.read_text(encoding="utf-8")})
    return docs


def fingerprint(paths: list[Path], *extra: Path) -> str:
    """Changes when the inputs change (by size and time) or any file under ``extra`` does (by content)."""
    h = hashlib.sha256()
    for p in paths:
        st = p.stat()
        h.update(f"{p}:{st.st_size}:{st.st_mtime_ns}".encode())
    for root in extra:
        for f in sorted(root.rglob("*")):
            if f.is_file() and "__pycache__" not in f.parts:
                h.update(f.relative_to(root).as_posix().encode())
                h.update(f.read_bytes())
    return h.hexdigest()[:16]


# -- systems ----------------------------------------------------------------------

class Tracuu:
    def __init__(self, store: IndexStore):
        self.engine = SearchEngine(store)
        self.partial = 0  # answers cut short by the time budget (a busy machine scores lower)

    def search(self, q: str) -> list[str]:
        response = self.engine.search(SearchRequest(q=q, per_page=K))
        self.partial += response.partial
        return [hit.id for hit in response.hits]

    def close(self) -> None:
        if self.partial:
            print(f"  tracuu: {self.partial} answers cut short by the {self.engine.config.timeout:g} s time budget")
        self.engine.close()


def build_fts5(docs: list[dict], path: Path) -> None:
    con = sqlite3.connect(path)
    con.executescript("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, text, "
                      "tokenize = 'unicode61 remove_diacritics 2');")
    with con:
        con.executemany("INSERT INTO docs(id, title, text) VALUES (?, ?, ?)",
                        [(d["id"], d["title"], d["text"]) for d in docs])
    con.close()


class Fts5:
    def __init__(self, path: Path, mode: str):
        self.con = sqlite3.connect(path)
        self.mode = mode

    def _run(self, match: str) -> list[str]:
        if not match:
            return []
        return [row[0] for row in self.con.execute(
            "SELECT id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?", (match, K))]

    def search(self, q: str) -> list[str]:
        words = ['"' + w + '"' for w in _WORD.findall(q.replace('"', " "))]
        if self.mode == "or":
            return self._run(" OR ".join(words))
        phrases = re.findall(r'"([^"]*)"', q)
        parts = ['"' + " ".join(_WORD.findall(p)) + '"' for p in phrases if _WORD.findall(p)]
        parts += ['"' + w + '"' for w in _WORD.findall(re.sub(r'"[^"]*"', " ", q))]
        return self._run(" AND ".join(parts)) or self._run(" OR ".join(words))

    def close(self) -> None:
        self.con.close()


def build_whoosh(docs: list[dict], path: Path) -> None:
    from whoosh import fields, index
    from whoosh.analysis import StemmingAnalyzer

    path.mkdir(parents=True)
    schema = fields.Schema(id=fields.ID(stored=True, unique=True),
                           text=fields.TEXT(analyzer=StemmingAnalyzer()))
    ix = index.create_in(str(path), schema)
    with ix.writer(limitmb=1024) as writer:
        for d in docs:
            writer.add_document(id=d["id"], text=f"{d['title']}\n\n{d['text']}")


class Whoosh:
    def __init__(self, path: Path):
        from whoosh import index, qparser

        self.ix = index.open_dir(str(path))
        self.searcher = self.ix.searcher()
        self.parser = qparser.QueryParser("text", self.ix.schema)

    def search(self, q: str) -> list[str]:
        return [hit["id"] for hit in self.searcher.search(self.parser.parse(q), limit=K)]

    def close(self) -> None:
        self.searcher.close()
        self.ix.close()


def open_systems(inputs: list[Path], work: Path, chosen=SYSTEMS) -> dict:
    """The chosen systems over ``inputs``, built under ``work`` unless built already."""
    work.mkdir(parents=True, exist_ok=True)
    peers_key = fingerprint(inputs)
    tracuu_key = fingerprint(inputs, ROOT / "index")
    tracuu_dir = work / f"tracuu-{tracuu_key}"
    fts5_path = work / f"fts5-{peers_key}.db"
    whoosh_dir = work / f"whoosh-{peers_key}"
    docs = None
    if "tracuu" in chosen and not (tracuu_dir / "CURRENT").exists():
        shutil.rmtree(tracuu_dir, ignore_errors=True)
        started = time.perf_counter()
        report = rebuild(IndexStore(tracuu_dir), inputs)
        print(f"  built tracuu: {report.indexed} documents, {len(report.rejected)} rejected, "
              f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
    if {"fts5-and", "fts5-or"} & set(chosen) and not fts5_path.exists():
        docs = docs or load_docs(inputs)
        build_fts5(docs, fts5_path.with_suffix(".tmp"))
        fts5_path.with_suffix(".tmp").rename(fts5_path)
    if "whoosh" in chosen and not whoosh_dir.exists():
        docs = docs or load_docs(inputs)
        started = time.perf_counter()
        build_whoosh(docs, whoosh_dir.with_name(whoosh_dir.name + ".tmp"))
        whoosh_dir.with_name(whoosh_dir.name + ".tmp").rename(whoosh_dir)
        print(f"  built whoosh: {time.perf_counter() - started:.0f} s", file=sys.stderr)
    makers = {"tracuu": lambda: Tracuu(IndexStore(tracuu_dir)), "fts5-and": lambda: Fts5(fts5_path, "and"),
              "fts5-or": lambda: Fts5(fts5_path, "or"), "whoosh": lambda: Whoosh(whoosh_dir)}
    return {name: makers[name]() for name in SYSTEMS if name in chosen}


# -- scoring --------------------------------------------------------------------------

def evaluate(title: str, rows: list[dict], systems: dict, per_query: bool) -> dict:
    """Score every system on ``rows``; print a table by kind; return the figures."""
    scores: dict[str, dict[str, dict[str, float]]] = {name: {} for name in systems}
    for row in rows:
        for name, system in systems.items():
            ranked = system.search(row["query"])
            scores[name][row["qid"]] = {m: fn(ranked, row["judgments"]) for m, fn in METRICS.items()}
            if per_query and name == "tracuu":
                s = scores[name][row["qid"]]
                print(f"  {row['qid']:<5} {row['kind']:<18} nDCG {s['nDCG']:.3f} R {s['R@10']:.2f}  "
                      f"{row['query']!r}")
    kinds = defaultdict(list)
    for row in rows:
        kinds[row["kind"]].append(row["qid"])
    kinds = dict(sorted(kinds.items()))
    kinds["all"] = [row["qid"] for row in rows]

    def mean(name, qids, metric):
        return sum(scores[name][q][metric] for q in qids) / len(qids)

    print(f"\n{title}: {len(rows)} queries (nDCG@10 / MRR@10 / Recall@10)")
    print(f"  {'kind':<22} {'n':>3}  " + "  ".join(f"{name:^20}" for name in systems))
    table = {}
    for kind, qids in kinds.items():
        cells = []
        for name in systems:
            figures = {m: round(mean(name, qids, m), 3) for m in METRICS}
            table.setdefault(name, {})[kind] = figures
            cells.append(f"{figures['nDCG']:.3f} {figures['MRR']:.2f} {figures['R@10']:.2f}".center(20))
        print(f"  {kind:<22} {len(qids):>3}  " + "  ".join(cells))
    # A twin re-types its query: without diacritics (the same letters folded),
    # or with typos (other letters). The two gaps are reported apart.
    by_qid = {row["qid"]: row for row in rows}
    twins = {"typed without diacritics minus with": [], "typed with typos minus without": []}
    for row in rows:
        if row.get("variant_of") in by_qid:
            same = _letters(row["query"]) == _letters(by_qid[row["variant_of"]]["query"])
            twins["typed without diacritics minus with" if same else "typed with typos minus without"].append(
                (row["qid"], row["variant_of"]))
    for label, pairs in twins.items():
        if pairs:
            gaps = "  ".join(
                f"{name} {sum(scores[name][a]['nDCG'] - scores[name][b]['nDCG'] for a, b in pairs) / len(pairs):+.3f}"
                for name in systems)
            print(f"  {label} ({len(pairs)} twins), nDCG@10: {gaps}")
    return table


def _letters(query: str) -> str:
    """A query's letters, folded: equal for a query and its twin typed without diacritics."""
    from index.normalize import fold

    return "".join(fold(w) for w in re.findall(r"\w+", query))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--corpus", type=Path, default=SHARED / "corpus")
    p.add_argument("--eval", type=Path, default=SHARED / "eval")
    p.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    p.add_argument("--work", type=Path, default=ROOT / "bench" / "results" / "relevance")
    p.add_argument("--per-query", action="store_true", help="print tracuu's score for every query")
    p.add_argument("--json", type=Path, help="also write the figures to this file")
    p.add_argument("--systems", default=",".join(SYSTEMS),
                   help=f"comma-separated, of {', '.join(SYSTEMS)} (default: all)")
    p.add_argument("--only", choices=("seeds", "corpus"), help="score one judged set only")
    args = p.parse_args()

    def rows(name):
        with open(args.eval / name, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]

    chosen = [name.strip() for name in args.systems.split(",")]
    if not set(chosen) <= set(SYSTEMS):
        p.error(f"--systems: choose from {', '.join(SYSTEMS)}")
    results = {}
    if args.only != "corpus":
        with tempfile.TemporaryDirectory() as tmp:
            seeds = open_systems(sorted(args.seeds.glob("*.txt")), Path(tmp), chosen)
            results["seeds"] = evaluate("seed queries (queries-dev.jsonl, 5 seed articles)",
                                        rows("queries-dev.jsonl"), seeds, args.per_query)
            for system in seeds.values():
                system.close()
    if args.only != "seeds":
        corpus = open_systems(sorted(args.corpus.glob("*.jsonl")), args.work, chosen)
        results["corpus"] = evaluate("corpus queries (queries-corpus.jsonl, 14,712 articles)",
                                     rows("queries-corpus.jsonl"), corpus, args.per_query)
        for system in corpus.values():
            system.close()
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
