"""Search while articles are being written: tracuu over HTTP, the same
search load without and with a writer, in one run.

The shared corpus is indexed without its last ``--held`` articles and served
with ``tracuu serve`` (gunicorn, one worker per core) on loopback, and
``--clients`` threads search with the mixed queries of ``query_speed.py``
(``--queries`` of them, more than the answer cache holds). Every timed
slice sends the same queries in the same order, after one untimed pass over
them all, so that slices differ in the writes alone, not in which queries
they drew or how warm the caches were for them. For each way of writing:

* one article at a time with ``PUT /api/documents/{id}?refresh=...``
  (``--refresh``, default false: acknowledged once saved in the journal);
* ``--batch`` at a time with ``POST /api/documents``;

``--rounds`` times: ``--seconds`` of searches with nothing written, then
``--seconds`` of the same searches while held-back articles are written at
``--rate`` articles per second, each write sent when due (up to 8
unanswered at once: the rate holds even when writes are slow), then
``--settle`` seconds for the last commit to be read everywhere. Alternating
short slices puts the host's own noise (a virtual machine's neighbours)
on both sides of each ratio, where one long phase of each drifted apart by
as much as the effect measured.

Each written article carries a word only it holds; one checker searches,
from whichever worker answers, for the words of the acknowledged articles
not yet found (every 0.1 s, up to fifty at a time: a whole batch in one
search), and the time from an article's acknowledgement to the answer that
finds it is its time to searchable.

Printed for each way of writing: search requests/s, p50/p95/p99 and errors
without and with writes (over all rounds), the ratios the live-writes issue
asks for (throughput with writes / without, each round's too, and p95 with /
without), write latency p50/p95/p99, and time to searchable p50/p95/max with
how many were never found within ``--patience`` seconds; and the share of
CPU the host took (steal).

Usage: python bench/live_writes.py [--corpus DIR] [--clients 32] [--rate 5]
       [--seconds 8] [--rounds 5] [--settle 1] [--held 400] [--batch 25]
       [--queries 5000] [--refresh false]
       [--work DIR] [--log FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from query_speed import (DEFAULT_CORPUS, Server, build_tracuu, load, load_corpus,  # noqa: E402
                         make_queries, percentiles)

KEY = "bench-live-writes"


class Writer:
    """Writes articles at a steady rate, one per PUT or ``batch`` per POST;
    one checker searches for the acknowledged articles not yet found, so
    measuring adds one search client whatever the rate."""

    CHECK_EVERY = 0.1  # seconds between a checker's rounds
    IN_FLIGHT = 8  # writes sent and not yet answered, at most
    PER_CHECK = 50  # tokens per checking search (OR-ed): a whole batch in one round

    def __init__(self, server: Server, docs: list[dict], rate: float, patience: float, refresh: str,
                 batch: int = 1, first: int = 0):
        self.server, self.docs, self.rate, self.patience = server, docs, rate, patience
        self.refresh, self.batch, self.first = refresh, batch, first
        self.write_ms: list[float] = []
        self.visible_ms: list[float] = []
        self.errors = 0
        self.never = 0
        self.stop = threading.Event()
        self.written = threading.Event()  # every write sent
        self.waiting: dict[str, tuple[str, float]] = {}  # token -> (article id, acknowledged at)
        self.lock = threading.Lock()

    def run(self) -> None:
        headers = {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}
        try:
            self._write(headers)
        finally:
            self.written.set()

    def _write(self, headers) -> None:
        """Send each write when it is due, whether or not the one before
        has been answered (up to ``IN_FLIGHT`` at once), so that the rate
        is the one asked for even when writes are slow."""
        with ThreadPoolExecutor(self.IN_FLIGHT) as pool:
            for n in range(0, len(self.docs), self.batch):
                due = self.started + n / self.rate
                if self.stop.wait(max(0.0, due - time.perf_counter())):
                    return
                pool.submit(self._send, n, headers)

    def _send(self, n: int, headers) -> None:
        tokens = [f"tracuulive{self.first + n + i:05d}x" for i in range(len(self.docs[n:n + self.batch]))]
        bodies = [{**doc, "text": f"{doc['text']}\n\n{token}"}
                  for doc, token in zip(self.docs[n:n + self.batch], tokens)]
        if self.batch == 1:
            path = f"/api/documents/{urllib.parse.quote(bodies[0]['id'], safe='')}?refresh={self.refresh}"
            method, payload = "PUT", bodies[0]
        else:
            path, method, payload = f"/api/documents?refresh={self.refresh}", "POST", bodies
        started = time.perf_counter()
        try:
            status, _ = self.server.request(method, path, json.dumps(payload, ensure_ascii=False).encode("utf-8"),
                                            headers)
        except OSError:
            status = 0
        acked = time.perf_counter()
        with self.lock:
            self.write_ms.append((acked - started) * 1000)
            if status not in (200, 201):
                self.errors += 1
                return
            self.waiting.update((token, (body["id"], acked)) for token, body in zip(tokens, bodies))

    def check(self) -> None:
        """Until every acknowledged article is found (or given up on):
        search for the oldest waiting tokens, note when each is found."""
        while True:
            with self.lock:
                now = time.perf_counter()
                for token, (_, acked) in list(self.waiting.items()):
                    if now - acked > self.patience:
                        del self.waiting[token]
                        self.never += 1
                batch = list(self.waiting.items())[:self.PER_CHECK]
            if not batch:
                if self.written.is_set():
                    return
                time.sleep(self.CHECK_EVERY)
                continue
            path = "/api/search?" + urllib.parse.urlencode(
                {"q": " OR ".join(token for token, _ in batch), "per_page": len(batch), "facets": ""})
            try:
                status, body = self.server.get(path)
            except OSError:
                status = 0
            found_at = time.perf_counter()
            if status == 200:
                ids = {hit["id"] for hit in json.loads(body)["hits"]}
                with self.lock:
                    for token, (doc_id, acked) in batch:
                        if doc_id in ids and self.waiting.pop(token, None) is not None:
                            self.visible_ms.append((found_at - acked) * 1000)
            time.sleep(self.CHECK_EVERY)

    def __enter__(self):
        self.started = time.perf_counter()
        self.thread = threading.Thread(target=self.run)
        self.checker = threading.Thread(target=self.check)
        self.thread.start()
        self.checker.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()
        self.checker.join()


class _Slices:
    """Requests and latencies over several timed slices of one kind."""

    def __init__(self):
        self.requests = 0
        self.seconds = 0.0
        self.errors = 0
        self.ms: list[float] = []
        self.each: list[float] = []  # each slice's requests/s

        self.server_cpu = 0.0  # seconds of server CPU during the slices
        self.bench_cpu = 0.0

    def add(self, rps: float, errors: int, latencies: list[float]) -> None:
        self.requests += len(latencies)
        self.seconds += len(latencies) / rps if rps else 0.0
        self.errors += errors
        self.ms += latencies
        self.each.append(rps)

    def charge(self, before: tuple[float, float], after: tuple[float, float]) -> None:
        self.server_cpu += after[0] - before[0]
        self.bench_cpu += after[1] - before[1]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def _p95(ms: list[float]) -> float:
    return sorted(ms)[int(0.95 * (len(ms) - 1))]


class _Steal:
    """The share of CPU time the host took from this machine (``steal`` in
    /proc/stat) since creation: a busy host makes every figure noisier."""

    def __init__(self):
        self.start = self._read()

    @staticmethod
    def _read() -> tuple[int, int]:
        try:
            with open("/proc/stat") as f:
                ticks = [int(x) for x in f.readline().split()[1:]]
        except OSError:
            return (0, 0)
        return (ticks[7] if len(ticks) > 7 else 0, sum(ticks))

    def share(self) -> float:
        steal, total = self._read()
        return (steal - self.start[0]) / max(1, total - self.start[1])


class _CPU:
    """CPU seconds used by the server (gunicorn's master and its workers)
    and by this bench (the clients), read from /proc around each slice."""

    HZ = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

    def __init__(self, server: Server):
        self.pid = server.proc.pid

    def _ticks(self, pid: int) -> tuple[int, int]:
        """(ppid, utime + stime) of one process."""
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[1]), int(fields[11]) + int(fields[12])

    def server(self) -> float:
        total = 0
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            try:
                ppid, ticks = self._ticks(int(name))
            except (OSError, ValueError, IndexError):
                continue
            if int(name) == self.pid or ppid == self.pid:
                total += ticks
        return total / self.HZ

    @staticmethod
    def bench() -> float:
        t = os.times()
        return t.user + t.system

    def read(self) -> tuple[float, float]:
        return self.server(), self.bench()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--rate", type=float, default=5.0, help="articles written per second")
    parser.add_argument("--seconds", type=float, default=8.0, help="length of each slice")
    parser.add_argument("--rounds", type=int, default=5,
                        help="slices without then with writes, alternated (host noise falls on both)")
    parser.add_argument("--settle", type=float, default=1.0,
                        help="seconds after a writing slice before the next quiet one")
    parser.add_argument("--held", type=int, default=400, help="articles held back to be written")
    parser.add_argument("--patience", type=float, default=30.0, help="seconds to wait for an article")
    parser.add_argument("--work", type=Path, help="keep the index here (built once, reused)")
    parser.add_argument("--log", type=Path, help="write the server's log here")
    parser.add_argument("--refresh", choices=("true", "wait_for", "false"), default="false",
                        help="the writes' refresh parameter (false: acknowledged once saved in the journal)")
    parser.add_argument("--batch", type=int, default=25,
                        help="articles per POST in the third phase (0: no third phase)")
    parser.add_argument("--queries", type=int, default=5000,
                        help="queries, the same in every phase (more than a phase sends)")
    args = parser.parse_args()

    docs = load_corpus(args.corpus)
    random.Random(11).shuffle(docs)
    base, held = docs[:-args.held], docs[-args.held:]
    work = args.work or Path(tempfile.mkdtemp(prefix="tracuu-live-"))
    work.mkdir(parents=True, exist_ok=True)
    index = work / "index"
    if index.exists():
        shutil.rmtree(index)  # the last run wrote into it
    src = work / "base.jsonl"
    src.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in base), encoding="utf-8")
    seconds = build_tracuu(src, index)
    print(f"{len(base)} articles indexed in {seconds:.0f} s; {len(held)} held back to be written; "
          f"{args.clients} search clients, {args.rate:g} writes/s")
    queries = make_queries(base, args.queries, seed=3)
    modes = [1] + ([args.batch] if args.batch > 1 else [])
    per_slice = int(args.rate * args.seconds)
    with Server(index, env={"TRACUU_WRITE_KEY": KEY}, log=args.log) as server:
        load(server, queries, args.clients, total=len(queries))  # every worker warm for these queries
        steal = _Steal()
        cpu = _CPU(server)
        written = 0
        for batch in modes:
            quiet, busy = _Slices(), _Slices()
            writes_ms: list[float] = []
            visible_ms: list[float] = []
            failed = never = 0
            for _ in range(args.rounds):
                before = cpu.read()
                quiet.add(*load(server, queries, args.clients, seconds=args.seconds))
                quiet.charge(before, cpu.read())
                wanted = held[written:written + per_slice]
                with Writer(server, wanted, args.rate, args.patience, args.refresh, batch, first=written) as writer:
                    before = cpu.read()
                    busy.add(*load(server, queries, args.clients, seconds=args.seconds))
                    busy.charge(before, cpu.read())
                    writer.stop.set()
                # (leaving the block waited for every written article to be found)
                written += len(wanted)
                writes_ms += writer.write_ms
                visible_ms += writer.visible_ms
                failed += writer.errors
                never += writer.never
                time.sleep(args.settle)  # every worker has reopened: the next quiet slice reads no commit
            what = "one article per PUT" if batch == 1 else f"{batch} articles per POST"
            print(f"  {what}, {args.rounds} rounds of {args.seconds:g} s without writes then {args.seconds:g} s with:")
            print(f"    search, no writes:   {quiet.rps:6.1f} requests/s, errors {quiet.errors}, "
                  f"{percentiles(quiet.ms)}")
            print(f"    search, with writes: {busy.rps:6.1f} requests/s, errors {busy.errors}, {percentiles(busy.ms)}")
            print(f"    writes: {len(writes_ms)} sent, {failed} failed, latency {percentiles(writes_ms)}")
            if visible_ms:
                v = sorted(visible_ms)
                print(f"    time to searchable: {percentiles(v)}, max {v[-1]:.0f} ms; "
                      f"{never} not found within {args.patience:g} s")
            # the server's CPU per second of each kind of slice, and what the
            # searches of a writing slice would have cost at the quiet rate
            per_search = quiet.server_cpu / max(1, quiet.requests)
            extra = (busy.server_cpu - busy.requests * per_search) / max(busy.seconds, 1e-9)
            print(f"    server CPU: {quiet.server_cpu / quiet.seconds:.2f} cores without writes "
                  f"({per_search * 1000:.1f} ms per search), {busy.server_cpu / busy.seconds:.2f} with "
                  f"({busy.server_cpu / max(1, busy.requests) * 1000:.1f} ms per search, writes and "
                  f"commits included: {extra:.2f} cores more than its searches at the quiet cost); "
                  f"bench clients {quiet.bench_cpu / quiet.seconds:.2f} and {busy.bench_cpu / busy.seconds:.2f} cores")
            rounds = " ".join(f"{b / q:.2f}" for q, b in zip(quiet.each, busy.each))
            print(f"    with writes / without: throughput {busy.rps / quiet.rps:.2f} (rounds: {rounds}), "
                  f"p95 {_p95(busy.ms) / _p95(quiet.ms):.2f}")
        print(f"  CPU time taken by the host (steal) during the run: {steal.share():.1%}")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
