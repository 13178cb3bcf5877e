"""Rebuild on a Dask cluster beside ``tracuu rebuild``, in one run.

The shared corpus is rebuilt four ways, each into a fresh index directory,
by the ``tracuu`` command as a user runs it (so each includes starting
Python, and for a cluster starting it):

* ``tracuu rebuild`` (one process per core, as by default);
* ``tracuu rebuild --cluster local:N`` for N = 1, 2 and 4 worker processes.

Printed: wall time, documents per second and the ratio to ``tracuu
rebuild``, and the scheduler's own cost per task (a thousand tasks that do
nothing, on a local cluster of two workers). On 2 cores, 4 workers share
them: no gain past 2 is possible.

Usage: python bench/cluster_rebuild.py [--corpus DIR] [--workers 1,2,4] [--work DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"


def timed_rebuild(index: Path, corpus: Path, *extra: str) -> tuple[float, str]:
    shutil.rmtree(index, ignore_errors=True)
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "api.cli", "--index", str(index), "rebuild", *extra, str(corpus)],
                          cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        raise RuntimeError(proc.stderr)
    return seconds, proc.stderr.strip().splitlines()[-1]


def scheduler_cost(tasks: int = 1000) -> float:
    """Milliseconds per task of a local cluster of two workers, for tasks
    that do nothing."""
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster, \
            Client(cluster) as client:
        client.gather(client.map(int, range(100), pure=False))  # warm
        started = time.perf_counter()
        client.gather(client.map(int, range(tasks), pure=False))
        return (time.perf_counter() - started) * 1000 / tasks


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    p.add_argument("--workers", default="1,2,4")
    p.add_argument("--work", type=Path, default=None)
    args = p.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="tracuu-cluster-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"{args.corpus}; {os.cpu_count()} cores\n", flush=True)
    runs = [("tracuu rebuild", ())] + [(f"--cluster local:{n}", ("--cluster", f"local:{n}"))
                                       for n in map(int, args.workers.split(","))]
    results = []
    for name, extra in runs:
        seconds, summary = timed_rebuild(work / "index", args.corpus, *extra)
        documents = int(summary.split()[1])
        results.append((name, seconds, documents))
        print(f"{name:<22} {seconds:7.1f} s  {documents / seconds:6.0f} docs/s  ({summary})", flush=True)
    base = results[0][1]
    print("\n| how | wall time | documents/s | against tracuu rebuild |")
    print("| --- | ---: | ---: | ---: |")
    for name, seconds, documents in results:
        print(f"| `{name}` | {seconds:.1f} s | {documents / seconds:.0f} | {base / seconds:.2f}x |")
    print(f"\nscheduler's cost per task (1,000 tasks that do nothing, 2 workers): {scheduler_cost():.2f} ms")


if __name__ == "__main__":
    main()
