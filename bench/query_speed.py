"""Search latency and throughput: tracuu over HTTP against plain Whoosh and SQLite FTS5.

For each collection (the shared corpus, 14.7k articles, and a scale-up of it
to about 100k), in one run:

1. tracuu indexes it (``rebuild``) and serves it with ``tracuu serve``
   (gunicorn, one worker per core) on loopback;
2. plain Whoosh indexes the same documents (title + text with
   ``StemmingAnalyzer``, and the facet values tracuu extracted) and SQLite FTS5
   too (``unicode61 remove_diacritics 2``, facet values in side tables);
3. the same queries run against each: a realistic mix of one to three words,
   phrases, names with and without diacritics, and filters; every search asks
   for the six facets and snippets of ten hits, as the search box does.

Printed: p50/p95/p99 latency of ``/api/search`` over HTTP, one client at a
time; the same for tracuu in-process, plain Whoosh (``searcher.search`` with
``groupedby`` facets and ``highlights``) and FTS5 (``MATCH`` + ``bm25`` +
``snippet`` + ``GROUP BY`` counts), with ratios; then requests per second
and errors with 8 and 32 concurrent clients.

Usage: python bench/query_speed.py [--corpus DIR] [--scale N] [--queries N] [--only corpus|scaled]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
FACETS = ("person", "topic", "year", "month", "lang", "source")
_WORD = re.compile(r"[^\W\d_]+")


# -- collections ---------------------------------------------------------------

def load_corpus(corpus: Path) -> list[dict]:
    docs = []
    for path in sorted(corpus.glob("*.jsonl")):
        with open(path, encoding="utf-8") as f:
            docs.extend(json.loads(line) for line in f if line.strip())
    return docs


def scale_up(docs: list[dict], target: int, seed: int = 7) -> list[dict]:
    """About ``target`` documents made from ``docs``: copies whose paragraphs
    are rotated and joined by a paragraph of another article in the same
    language, so no two texts are equal."""
    rng = random.Random(seed)
    by_lang: dict[str, list[dict]] = {}
    for d in docs:
        by_lang.setdefault(d["lang"], []).append(d)
    out = list(docs)
    copy = 1
    while len(out) < target:
        for d in docs:
            if len(out) >= target:
                break
            paras = d["text"].split("\n\n")
            k = copy % len(paras)
            other = rng.choice(by_lang[d["lang"]])["text"].split("\n\n")
            text = "\n\n".join(paras[k:] + paras[:k] + [rng.choice(other)])
            out.append({**d, "id": f"{d['id']}~{copy}", "text": text})
        copy += 1
    return out


def make_queries(docs: list[dict], n: int, seed: int) -> list[dict]:
    """A realistic mix: words, pairs and triples from headlines (with and
    without diacritics), phrases, frequent words, and filters."""
    from index.normalize import fold

    rng = random.Random(seed)
    titled = [d for d in docs if d.get("title")]
    queries = []
    while len(queries) < n:
        d = rng.choice(titled)
        words = [w for w in _WORD.findall(d["title"]) if len(w) > 1]
        if not words:
            continue
        kind = rng.random()
        if kind < 0.30:
            q = rng.choice(words).lower()
        elif kind < 0.65:
            size = rng.choice((2, 2, 3))
            start = rng.randrange(max(1, len(words) - size + 1))
            q = " ".join(words[start:start + size]).lower()
        elif kind < 0.80:
            start = rng.randrange(max(1, len(words) - 1))
            q = '"' + " ".join(words[start:start + 2]) + '"'
        else:
            size = rng.choice((1, 2))
            start = rng.randrange(max(1, len(words) - size + 1))
            q = " ".join(words[start:start + size])
        if rng.random() < 0.5:
            q = fold(q)  # typed without diacritics
        filters = {}
        if rng.random() < 0.2:
            if d.get("date") and rng.random() < 0.5:
                filters["year"] = d["date"][:4]
            else:
                filters["lang"] = d["lang"]
        queries.append({"q": q, "filters": filters})
    return queries


# -- tracuu ---------------------------------------------------------------------

def build_tracuu(src: Path, index: Path) -> float:
    from index.store import IndexStore
    from index.writer import rebuild

    started = time.perf_counter()
    report = rebuild(IndexStore(index), [src])
    if report.rejected:
        print(f"  tracuu rejected {len(report.rejected)} (first: {report.rejected[0]})")
    return time.perf_counter() - started


def extracted(index: Path) -> list[dict]:
    """What tracuu extracted, for the peers' facets."""
    from index.store import IndexStore

    ix = IndexStore(index).open()
    out = []
    with ix.searcher() as s:
        for docnum in s.reader().all_doc_ids():
            f = s.stored_fields(docnum)
            date = f.get("date")
            out.append({
                "id": f["id"], "title": f.get("title") or "", "text": f.get("text", ""),
                "lang": f.get("lang") or "und", "source": f.get("source") or "",
                "year": date[:4] if date else "undated", "month": date[:7] if date else "undated",
                "person": [k for k, _ in f.get("persons") or ()], "topic": list(f.get("topics") or ()),
            })
    ix.close()
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``tracuu serve`` on loopback, for the duration of a ``with``."""

    def __init__(self, index: Path, env: dict | None = None, log: Path | None = None):
        self.port = free_port()
        env = {**os.environ, "TRACUU_INDEX": str(index), "TRACUU_RATE_LIMIT": "0", **(env or {})}
        self.log = open(log, "wb") if log else subprocess.DEVNULL
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "serve", "--port", str(self.port)],
            cwd=ROOT, env=env, stdout=self.log, stderr=self.log)

    def __enter__(self):
        for _ in range(600):
            try:
                status, _ = self.get("/api/health")
                if status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("tracuu serve did not start")

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.wait(timeout=30)
        if self.log is not subprocess.DEVNULL:
            self.log.close()

    def get(self, path: str) -> tuple[int, bytes]:
        return self.request("GET", path)

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict | None = None) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()


def api_path(query: dict) -> str:
    params = [("q", query["q"]), ("per_page", "10")] + list(query["filters"].items())
    return "/api/search?" + urllib.parse.urlencode(params)


# -- peers ------------------------------------------------------------------------

def build_whoosh(docs: list[dict], path: Path) -> float:
    from whoosh import fields, index
    from whoosh.analysis import StemmingAnalyzer

    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True), title=fields.STORED(),
        text=fields.TEXT(analyzer=StemmingAnalyzer(), stored=True),
        lang=fields.ID(sortable=True), year=fields.ID(sortable=True), month=fields.ID(sortable=True),
        source=fields.ID(sortable=True), person=fields.KEYWORD(commas=True), topic=fields.KEYWORD(commas=True))
    path.mkdir()
    started = time.perf_counter()
    ix = index.create_in(str(path), schema)
    writer = ix.writer()
    for d in docs:
        writer.add_document(id=d["id"], title=d["title"], text=f"{d['title']}\n\n{d['text']}",
                            lang=d["lang"], year=d["year"], month=d["month"], source=d["source"] or "-",
                            person=",".join(d["person"]) or None, topic=",".join(d["topic"]) or None)
    writer.commit()
    return time.perf_counter() - started


class WhooshSearch:
    def __init__(self, path: Path):
        from whoosh import index, qparser, sorting

        self.ix = index.open_dir(str(path))
        self.searcher = self.ix.searcher()
        self.parser = qparser.QueryParser("text", self.ix.schema, group=qparser.AndGroup)
        self.facets = {
            "lang": sorting.FieldFacet("lang"), "year": sorting.FieldFacet("year"),
            "month": sorting.FieldFacet("month"), "source": sorting.FieldFacet("source"),
            "person": sorting.FieldFacet("person", allow_overlap=True),
            "topic": sorting.FieldFacet("topic", allow_overlap=True),
        }

    def search(self, query: dict) -> int:
        from whoosh import query as wq

        q = self.parser.parse(query["q"])
        filters = [wq.Term(k, v) for k, v in query["filters"].items()]
        results = self.searcher.search(q, limit=10, groupedby=self.facets,
                                       filter=wq.And(filters) if filters else None, terms=True)
        for name in self.facets:
            results.groups(name)
        for hit in results:
            hit.highlights("text")
        return len(results)


def build_fts5(docs: list[dict], path: Path) -> float:
    started = time.perf_counter()
    con = sqlite3.connect(path)
    con.executescript("""
        CREATE VIRTUAL TABLE docs USING fts5(title, text, tokenize = 'unicode61 remove_diacritics 2');
        CREATE TABLE meta (rowid INTEGER PRIMARY KEY, lang TEXT, year TEXT, month TEXT, source TEXT);
        CREATE TABLE person (rowid INTEGER, key TEXT);
        CREATE TABLE topic (rowid INTEGER, id TEXT);
    """)
    with con:
        for i, d in enumerate(docs, 1):
            con.execute("INSERT INTO docs(rowid, title, text) VALUES (?, ?, ?)", (i, d["title"], d["text"]))
            con.execute("INSERT INTO meta VALUES (?, ?, ?, ?, ?)", (i, d["lang"], d["year"], d["month"], d["source"]))
            con.executemany("INSERT INTO person VALUES (?, ?)", [(i, k) for k in d["person"]])
            con.executemany("INSERT INTO topic VALUES (?, ?)", [(i, t) for t in d["topic"]])
    con.executescript("CREATE INDEX person_rowid ON person(rowid); CREATE INDEX topic_rowid ON topic(rowid);")
    con.close()
    return time.perf_counter() - started


class Fts5Search:
    def __init__(self, path: Path):
        self.con = sqlite3.connect(path, check_same_thread=False)

    @staticmethod
    def match(q: str) -> str:
        phrases = re.findall(r'"([^"]*)"', q)
        rest = re.sub(r'"[^"]*"', " ", q)
        parts = ['"' + " ".join(_WORD.findall(p)) + '"' for p in phrases if _WORD.findall(p)]
        parts += ['"' + w + '"' for w in _WORD.findall(rest)]
        return " AND ".join(parts) or '""'

    def search(self, query: dict) -> int:
        match = self.match(query["q"])
        where, args = "docs MATCH ?", [match]
        for key, value in query["filters"].items():
            where += f" AND m.{key} = ?"
            args.append(value)
        base = f"FROM docs JOIN meta m ON m.rowid = docs.rowid WHERE {where}"
        cur = self.con.cursor()
        hits = cur.execute(f"SELECT docs.rowid, bm25(docs), snippet(docs, 1, '<mark>', '</mark>', '…', 24) "
                           f"{base} ORDER BY bm25(docs) LIMIT 10", args).fetchall()
        total = cur.execute(f"SELECT count(*) {base}", args).fetchone()[0]
        for facet in ("lang", "year", "month", "source"):
            cur.execute(f"SELECT m.{facet}, count(*) {base} GROUP BY m.{facet} ORDER BY 2 DESC LIMIT 10",
                        args).fetchall()
        for table, column in (("person", "key"), ("topic", "id")):
            cur.execute(f"SELECT t.{column}, count(*) FROM docs JOIN meta m ON m.rowid = docs.rowid "
                        f"JOIN {table} t ON t.rowid = docs.rowid WHERE {where} "
                        f"GROUP BY t.{column} ORDER BY 2 DESC LIMIT 10", args).fetchall()
        return total + 0 * len(hits)


# -- measuring --------------------------------------------------------------------

def percentiles(ms: list[float]) -> str:
    s = sorted(ms)

    def at(p):
        return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]

    return f"p50 {at(50):7.1f}  p95 {at(95):7.1f}  p99 {at(99):7.1f} ms  (mean {sum(s) / len(s):6.1f})"


def timed(fn, queries) -> tuple[list[float], int]:
    times, errors = [], 0
    for q in queries:
        started = time.perf_counter()
        try:
            fn(q)
        except Exception:  # a failing query is counted, and the run goes on
            errors += 1
        times.append((time.perf_counter() - started) * 1000)
    return times, errors


def load(server: Server, queries: list[dict], clients: int, total: int | None = None,
         seconds: float | None = None) -> tuple[float, int, list[float]]:
    """``total`` requests (or as many as ``seconds`` allow) from ``clients``
    threads, cycling through ``queries``: (requests/s, errors, latencies)."""
    paths = [api_path(q) for q in queries]
    lock = threading.Lock()
    state = {"next": 0, "errors": 0}
    latencies: list[float] = []
    stop = None if seconds is None else time.perf_counter() + seconds

    def worker():
        while stop is None or time.perf_counter() < stop:
            with lock:
                i = state["next"]
                state["next"] += 1
            if total is not None and i >= total:
                return
            started = time.perf_counter()
            try:
                status, _ = server.get(paths[i % len(paths)])
                ok = status == 200
            except OSError:
                ok = False
            ms = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(ms)
                state["errors"] += not ok

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(latencies) / (time.perf_counter() - started), state["errors"], latencies


def run(name: str, docs: list[dict], args, work: Path) -> None:
    print(f"\n== {name}: {len(docs)} documents")
    src = work / f"{name}.jsonl"
    if not src.exists():
        with open(src, "w", encoding="utf-8") as f:
            for d in docs:
                f.write(json.dumps(d, ensure_ascii=False) + "\n")
    index = work / f"{name}-tracuu"
    if (index / "CURRENT").exists() and (work / f"{name}.fts5").exists():
        print("(indexes kept from an earlier run with --work)")
    else:
        print(f"tracuu rebuild: {build_tracuu(src, index):.1f} s")
        facts = extracted(index)
        print(f"plain whoosh index: {build_whoosh(facts, work / f'{name}-whoosh'):.1f} s")
        print(f"sqlite fts5 index: {build_fts5(facts, work / f'{name}.fts5'):.1f} s")

    warm = make_queries(docs, 40, seed=1)
    queries = make_queries(docs, args.queries, seed=2)
    from index.store import IndexStore
    from search.engine import EngineConfig, SearchEngine, SearchRequest

    engine = SearchEngine(IndexStore(index), EngineConfig(cache_size=0))
    whoosh = WhooshSearch(work / f"{name}-whoosh")
    fts5 = Fts5Search(work / f"{name}.fts5")

    def tracuu_local(q):
        engine.search(SearchRequest(q=q["q"], filters={k: [v] for k, v in q["filters"].items()}))

    timed(tracuu_local, warm)
    for fn in (whoosh.search, fts5.search):
        timed(fn, warm[:10])
    results = {}
    with Server(index) as server:
        timed(lambda q: server.get(api_path(q)), warm)

        def http_search(q):
            status, _ = server.get(api_path(q))
            if status != 200:
                raise RuntimeError(status)

        # Plain Whoosh's faceted search takes seconds a query on large
        # collections: the peers run the first --peer-queries of the same list,
        # and the ratios compare tracuu on those same queries.
        peers = queries[:args.peer_queries]
        results["tracuu /api/search (HTTP)"] = timed(http_search, queries)
        results["tracuu in-process"] = timed(tracuu_local, queries)
        results["plain whoosh (groupedby + highlights)"] = timed(whoosh.search, peers)
        results["sqlite fts5 (bm25 + snippet + GROUP BY)"] = timed(fts5.search, peers)
        print(f"latency, six facets and snippets each, one client "
              f"({len(queries)} queries; the peers the first {len(peers)}):")
        for label, (ms, errors) in results.items():
            print(f"  {label:<42} {percentiles(ms)}  errors {errors}")
        ours = sorted(results["tracuu in-process"][0][:len(peers)])
        for label in ("plain whoosh (groupedby + highlights)", "sqlite fts5 (bm25 + snippet + GROUP BY)"):
            theirs = sorted(results[label][0])
            print(f"  tracuu in-process / {label}, same {len(peers)} queries: "
                  f"p50 {ours[len(ours) // 2] / theirs[len(theirs) // 2]:.2f}, "
                  f"p95 {ours[int(0.95 * (len(ours) - 1))] / theirs[int(0.95 * (len(theirs) - 1))]:.2f}")
        # fresh queries: the measured ones would now come from the answer cache
        fresh = make_queries(docs, max(400, len(queries)), seed=3)
        for clients in (8, 32):
            rps, errors, lat = load(server, fresh[:200] if clients == 8 else fresh[200:], clients,
                                    total=200)
            print(f"  {clients:>2} concurrent clients: {rps:6.1f} requests/s, errors {errors}, {percentiles(lat)}")
    engine.close()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    p.add_argument("--scale", type=int, default=100_000, help="size of the scale-up (default 100000)")
    p.add_argument("--queries", type=int, default=300, help="queries measured (default 300)")
    p.add_argument("--peer-queries", type=int, default=100,
                   help="of those, how many the peers run (default 100)")
    p.add_argument("--only", choices=("corpus", "scaled"), default=None)
    p.add_argument("--work", type=Path, default=None,
                   help="keep the indexes in DIR and reuse them in later runs (default: a temporary folder)")
    args = p.parse_args()
    docs = load_corpus(args.corpus)
    print(f"{os.cpu_count()} cores, Python {sys.version.split()[0]}")
    work = args.work or Path(tempfile.mkdtemp(prefix="tracuu-qbench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        if args.only in (None, "corpus"):
            run("corpus", docs, args, work)
        if args.only in (None, "scaled"):
            run(f"scaled-{args.scale // 1000}k", scale_up(docs, args.scale), args, work)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
