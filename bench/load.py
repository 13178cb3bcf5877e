"""Load: mixed traffic against ``tracuu serve`` from 8, 32 and 128 clients,
with the rate limiter off and on, in one run.

The shared corpus is indexed (or ``--index`` is reused) and served with
``tracuu serve`` as deployed (gunicorn, one worker per core, 16 threads
each) on loopback. ``wrk`` (C, so the clients cost the two cores little
next to Python ones) opens ``--clients`` connections, each sending its next
request as soon as the last is answered, for ``--seconds``, cycling through
a list of requests made from the headline queries of ``query_speed.py``:

* 55% searches (ten hits with snippets, the six facets), 20% of them
  filtered by year or language;
* 15% the same searches' second page;
* 20% suggestions for the first letters of a query (3 to 12);
* 10% one facet's values for a query (``/api/facets/person``).

Printed for each run: requests/s, p50/p95/p99 latency, the statuses (429:
refused by the rate limiter) and socket errors; and each worker's resident
memory (RSS, and its peak) at the end of each server's runs.

With the limiter on (the default 600 requests a minute per address), every
client here is one address, 127.0.0.1, as clients behind one proxy are when
``TRACUU_TRUSTED_PROXIES`` is not set: most answers are 429, quickly. That
is what a public server should do with one address this busy; an internal
deployment raises the limit or turns it off (``TRACUU_RATE_LIMIT=0``).

Usage: python bench/load.py [--corpus DIR] [--index DIR] [--seconds 60]
       [--clients 8,32,128] [--limiter off,on] [--queries 3000] [--work DIR]
Needs ``wrk`` (Debian: ``apt-get install wrk``).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from query_speed import DEFAULT_CORPUS, ROOT, Server, build_tracuu, load_corpus, make_queries  # noqa: E402

# A wrk script: each thread cycles through the request list from its own
# starting point and counts statuses; done() prints one JSON line.
WRK_SCRIPT = r"""
local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  statuses = {}
  counter = (id * 7919) % #paths
end

function request()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      counts[tostring(status)] = (counts[tostring(status)] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(counts) do parts[#parts + 1] = string.format('"%s": %d', status, n) end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %f, "p50": %f, "p95": %f, "p99": %f, "max": %f, ' ..
    '"connect": %d, "read": %d, "write": %d, "timeout": %d, "statuses": {%s}}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, e.connect, e.read, e.write, e.timeout,
    table.concat(parts, ", ")))
end
"""


def request_list(queries: list[dict], seed: int = 11) -> list[str]:
    """The mixed traffic, in a shuffled order."""
    rng = random.Random(seed)
    out = []
    for query in queries:
        params = [("q", query["q"]), ("per_page", "10")] + list(query["filters"].items())
        kind = rng.random()
        if kind < 0.55:
            out.append("/api/search?" + urllib.parse.urlencode(params))
        elif kind < 0.70:
            out.append("/api/search?" + urllib.parse.urlencode(params + [("page", "2")]))
        elif kind < 0.90:
            typed = query["q"].strip('"')
            out.append("/api/suggest?" + urllib.parse.urlencode({"q": typed[:rng.randint(3, 12)]}))
        else:
            out.append("/api/facets/person?" + urllib.parse.urlencode({"q": query["q"]}))
    rng.shuffle(out)
    return out


def wrk(port: int, clients: int, seconds: float, script: Path, paths: Path) -> dict:
    threads = min(2, clients)
    proc = subprocess.run(
        ["wrk", "-t", str(threads), "-c", str(clients), "-d", f"{seconds:g}s", "--timeout", "30s",
         "-s", str(script), f"http://127.0.0.1:{port}", "--", str(paths)],
        capture_output=True, text=True, timeout=seconds + 120)
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    raise RuntimeError(f"wrk printed no result: {proc.stdout}\n{proc.stderr}")


def memory(master: int) -> list[tuple[int, float, float]]:
    """(pid, RSS MB, peak RSS MB) of each worker of the gunicorn ``master``."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if int(fields.get("PPid", "0").strip()) != master:
            continue
        kb = lambda name: int(fields[name].split()[0]) / 1024  # noqa: E731
        out.append((int(entry.name), kb("VmRSS"), kb("VmHWM")))
    return sorted(out)


def row(clients: int, limiter: str, r: dict) -> str:
    statuses = r["statuses"]
    ok = statuses.get("200", 0)
    limited = statuses.get("429", 0)
    other = sum(n for s, n in statuses.items() if s not in ("200", "429"))
    sockets = r["connect"] + r["read"] + r["write"] + r["timeout"]
    return (f"| {clients:>3} | {limiter:<3} | {r['requests'] / r['seconds']:7.1f} | {ok / r['seconds']:7.1f} "
            f"| {r['p50']:7.1f} | {r['p95']:7.1f} | {r['p99']:7.1f} | {limited:>6} | {other:>5} | {sockets:>5} |")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    p.add_argument("--index", type=Path, default=None, help="an index of the corpus to reuse")
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--clients", default="8,32,128")
    p.add_argument("--limiter", default="off,on")
    p.add_argument("--queries", type=int, default=3000)
    p.add_argument("--work", type=Path, default=None)
    args = p.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("bench/load.py needs wrk (Debian: apt-get install wrk)")

    work = args.work or Path(tempfile.mkdtemp(prefix="tracuu-load-"))
    work.mkdir(parents=True, exist_ok=True)
    docs = load_corpus(args.corpus)
    index = args.index
    if index is None:
        index = work / "index"
        if not (index / "CURRENT").exists():
            src = work / "corpus.jsonl"
            with open(src, "w", encoding="utf-8") as f:
                for d in docs:
                    f.write(json.dumps(d, ensure_ascii=False) + "\n")
            print(f"indexing {len(docs)} articles ...", flush=True)
            print(f"  {build_tracuu(src, index):.0f} s", flush=True)
    paths = work / "requests.txt"
    paths.write_text("\n".join(request_list(make_queries(docs, args.queries, seed=5))) + "\n", encoding="utf-8")
    script = work / "mixed.lua"
    script.write_text(WRK_SCRIPT, encoding="utf-8")
    levels = [int(c) for c in args.clients.split(",")]
    print(f"{len(docs)} articles; {os.cpu_count()} cores; {args.seconds:g} s per run; "
          f"tracuu serve with its defaults (workers: one per core, 16 threads each)\n", flush=True)

    rows, memories = [], []
    for limiter in args.limiter.split(","):
        env = {"TRACUU_RATE_LIMIT": "0" if limiter == "off" else os.environ.get("TRACUU_RATE_LIMIT", "600")}
        with Server(index, env=env) as server:
            wrk(server.port, 8, min(10.0, args.seconds), script, paths)  # warm: not counted
            for clients in levels:
                result = wrk(server.port, clients, args.seconds, script, paths)
                rows.append(row(clients, limiter, result))
                print(rows[-1], flush=True)
                time.sleep(2)
            memories.append((limiter, memory(server.proc.pid)))

    print("\n| clients | limiter | requests/s | 200/s | p50 ms | p95 ms | p99 ms | 429 | other | socket errors |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for line in rows:
        print(line)
    for limiter, workers in memories:
        print(f"\nworkers' memory at the end (limiter {limiter}): " + "; ".join(
            f"pid {pid}: RSS {rss:.0f} MB (peak {peak:.0f} MB)" for pid, rss, peak in workers))


if __name__ == "__main__":
    main()
