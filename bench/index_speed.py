"""Index-build speed: tracuu against plain Whoosh and SQLite FTS5, in one run.

Indexes the shared news corpus (../shared/corpus/*.jsonl, 14.7k articles) or
its first N documents three ways, on the same documents:

* tracuu: ``index.writer.rebuild`` — parsing, extraction, bilingual analysis
  and the atomic generation swap, on every core;
* plain Whoosh: one TEXT field (title + text) with ``StemmingAnalyzer`` and
  the default single-process writer, as Whoosh's documentation sets it up
  (also timed with ``procs=2, multisegment=True`` for reference);
* SQLite FTS5: ``unicode61 remove_diacritics 2``, one transaction.

Prints documents per second, seconds and index size for each, and tracuu's
time as a ratio to each peer (ratio < 1: tracuu is faster).

Usage: python bench/index_speed.py [--limit N] [--corpus DIR] [--procs N]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"


def dir_size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def load_lines(corpus: Path, limit: int | None) -> list[str]:
    lines: list[str] = []
    for path in sorted(corpus.glob("*.jsonl")):
        with open(path, encoding="utf-8") as f:
            lines.extend(line for line in f if line.strip())
    if not lines:
        sys.exit(f"no *.jsonl files in {corpus}")
    # Interleave languages so that --limit takes both.
    by_lang = {}
    for line in lines:
        by_lang.setdefault(json.loads(line).get("lang"), []).append(line)
    mixed = [x for group in zip(*by_lang.values()) for x in group]
    longest = max(by_lang.values(), key=len)
    mixed += longest[len(mixed) // len(by_lang):]
    return mixed[:limit] if limit else mixed


def bench_tracuu(src: Path, work: Path, procs: int | None) -> tuple[float, int, int]:
    from index.store import IndexStore
    from index.writer import rebuild

    store = IndexStore(work / "tracuu")
    started = time.perf_counter()
    report = rebuild(store, [src], procs=procs)
    seconds = time.perf_counter() - started
    if report.rejected:
        print(f"  tracuu rejected {len(report.rejected)}: {report.rejected[0]}")
    return seconds, report.indexed, dir_size(store.current_path())


def bench_whoosh(lines: list[str], work: Path, procs: int) -> tuple[float, int, int]:
    from whoosh import fields, index
    from whoosh.analysis import StemmingAnalyzer

    path = work / f"whoosh-{procs}"
    path.mkdir()
    schema = fields.Schema(id=fields.ID(stored=True, unique=True),
                           text=fields.TEXT(analyzer=StemmingAnalyzer()))
    started = time.perf_counter()
    ix = index.create_in(str(path), schema)
    writer = ix.writer(procs=procs, multisegment=True) if procs > 1 else ix.writer()
    for line in lines:
        doc = json.loads(line)
        writer.add_document(id=doc["id"], text=f"{doc.get('title') or ''}\n\n{doc['text']}")
    writer.commit()
    return time.perf_counter() - started, len(lines), dir_size(path)


def bench_fts5(lines: list[str], work: Path) -> tuple[float, int, int]:
    path = work / "fts5.db"
    started = time.perf_counter()
    con = sqlite3.connect(path)
    con.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, text, "
                "tokenize = 'unicode61 remove_diacritics 2')")
    with con:
        con.executemany("INSERT INTO docs VALUES (?, ?, ?)",
                        ((d["id"], d.get("title") or "", d["text"]) for d in map(json.loads, lines)))
    con.close()
    return time.perf_counter() - started, len(lines), dir_size(path)


def row(name: str, seconds: float, docs: int, size: int) -> str:
    return f"{name:<28} {docs:>7} docs {seconds:>8.1f} s {docs / seconds:>9.0f} docs/s {size / 2**20:>8.1f} MiB"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--limit", type=int, default=None, help="index only the first N documents")
    p.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    p.add_argument("--procs", type=int, default=None, help="tracuu processes (default: one per core)")
    args = p.parse_args()

    lines = load_lines(args.corpus, args.limit)
    work = Path(tempfile.mkdtemp(prefix="tracuu-bench-"))
    try:
        src = work / "input.jsonl"
        src.write_text("".join(l if l.endswith("\n") else l + "\n" for l in lines), encoding="utf-8")
        print(f"corpus: {len(lines)} documents, {src.stat().st_size / 2**20:.1f} MiB, "
              f"{os.cpu_count()} cores, Python {sys.version.split()[0]}")
        results = {
            "tracuu": bench_tracuu(src, work, args.procs),
            "plain whoosh": bench_whoosh(lines, work, procs=1),
            "plain whoosh (2 procs)": bench_whoosh(lines, work, procs=2),
            "sqlite fts5": bench_fts5(lines, work),
        }
        for name, (seconds, docs, size) in results.items():
            print(row(name, seconds, docs, size))
        ours = results["tracuu"][0]
        for name in ("plain whoosh", "plain whoosh (2 procs)", "sqlite fts5"):
            print(f"tracuu time / {name} time: {ours / results[name][0]:.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
