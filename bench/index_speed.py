"""Index-build speed: tracuu against plain Whoosh and SQLite FTS5, in one run.

Indexes the shared news corpus (../shared/corpus/*.jsonl, 14.7k articles) or
its first N documents three ways, on the same documents:

* tracuu: ``index.writer.rebuild`` — parsing, extraction, bilingual analysis
  and the atomic generation swap, on every core;
* plain Whoosh: one TEXT field (title + text) with ``StemmingAnalyzer`` and
  the default single-process writer, as Whoosh's documentation sets it up
  (also timed with ``procs=2, multisegment=True`` for reference);
* SQLite FTS5: ``unicode61 remove_diacritics 2``, one transaction.

Each system runs ``--repeat`` times, in rotation, each in a fresh process;
the median run is reported: wall-clock seconds, CPU seconds (the process and
its children: tracuu and Whoosh's parallel writer use several processes),
documents per second and index size, then tracuu's wall time as a ratio to
each peer's (ratio < 1: tracuu is faster). Shared machines are noisy: look
at the spread printed for each system before trusting a ratio.

Usage: python bench/index_speed.py [--limit N] [--corpus DIR] [--procs N] [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
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
        print(f"  tracuu rejected {len(report.rejected)}: {report.rejected[0]}", file=sys.stderr)
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


def row(name: str, runs: list[dict]) -> str:
    walls = sorted(r["wall"] for r in runs)
    mid = sorted(runs, key=lambda r: r["wall"])[len(runs) // 2]
    spread = f"[{walls[0]:.1f}–{walls[-1]:.1f}]" if len(runs) > 1 else ""
    return (f"{name:<24} {mid['docs']:>6} docs {mid['wall']:>7.1f} s {spread:<13} "
            f"cpu {mid['cpu']:>6.1f} s {mid['docs'] / mid['wall']:>7.0f} docs/s "
            f"{mid['size'] / 2**20:>7.1f} MiB")


SYSTEMS = ("tracuu", "plain whoosh", "plain whoosh (2 procs)", "sqlite fts5")


def run_one(system: str, src: Path, work: Path, procs: int | None) -> dict:
    """Index in this (fresh) process; return wall, CPU, docs and size."""
    import resource

    lines = src.read_text(encoding="utf-8").splitlines()
    before = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    if system == "tracuu":
        wall, docs, size = bench_tracuu(src, work, procs)
    elif system == "plain whoosh":
        wall, docs, size = bench_whoosh(lines, work, procs=1)
    elif system == "plain whoosh (2 procs)":
        wall, docs, size = bench_whoosh(lines, work, procs=2)
    else:
        wall, docs, size = bench_fts5(lines, work)
    after = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    cpu = sum((a.ru_utime + a.ru_stime) - (b.ru_utime + b.ru_stime) for a, b in zip(after, before))
    return {"wall": wall, "cpu": cpu, "docs": docs, "size": size}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--limit", type=int, default=None, help="index only the first N documents")
    p.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    p.add_argument("--procs", type=int, default=None, help="tracuu processes (default: one per core)")
    p.add_argument("--repeat", type=int, default=3, help="runs per system (default: 3)")
    p.add_argument("--one", choices=SYSTEMS, help=argparse.SUPPRESS)  # a single run, in a child
    p.add_argument("--src", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.src, args.work, args.procs)))
        return

    lines = load_lines(args.corpus, args.limit)
    work = Path(tempfile.mkdtemp(prefix="tracuu-bench-"))
    try:
        src = work / "input.jsonl"
        src.write_text("".join(l if l.endswith("\n") else l + "\n" for l in lines), encoding="utf-8")
        print(f"corpus: {len(lines)} documents, {src.stat().st_size / 2**20:.1f} MiB, "
              f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, {args.repeat} runs each")
        results: dict[str, list[dict]] = {s: [] for s in SYSTEMS}
        for i in range(args.repeat):
            for system in SYSTEMS:
                run_dir = work / f"{i}-{system.replace(' ', '_')}"
                run_dir.mkdir()
                # A fresh process per run: no warm caches, and its CPU time
                # (with its children's) is the run's own.
                cmd = [sys.executable, __file__, "--one", system, "--src", str(src), "--work", str(run_dir)]
                if args.procs:
                    cmd += ["--procs", str(args.procs)]
                out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
                results[system].append(json.loads(out.strip().splitlines()[-1]))
                shutil.rmtree(run_dir, ignore_errors=True)
        for system in SYSTEMS:
            print(row(system, results[system]))

        def median_wall(system):
            return sorted(r["wall"] for r in results[system])[len(results[system]) // 2]

        ours = median_wall("tracuu")
        for name in SYSTEMS[1:]:
            print(f"tracuu wall time / {name}: {ours / median_wall(name):.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
