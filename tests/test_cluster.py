"""A rebuild on a Dask cluster (a LocalCluster of two worker processes)
builds what a one-machine rebuild builds: the same documents with the same
extracted fields, the same rejections, vocabulary and linked names, and the
same top hits."""

from __future__ import annotations

import random
import subprocess
import sys

import pytest

from index.cluster import partition, rebuild_on_cluster
from index.parse import plan_jobs
from index.store import IndexStore
from index.vocabulary import VOCAB_FILE, Vocabulary
from index.writer import rebuild
from search.engine import SearchEngine, SearchRequest

from .conftest import ROOT, SEEDS
from .test_chinese_names import BUSINESSMAN, ENGLISH, VIETNAMESE
from .test_crashes import articles, write_jsonl

QUERIES = ["trade", "Tô Lâm", "to lam", "Lý Cán Kiệt", "Li Ganjie", "đường sắt", "rice exports", "Vương Nghị",
           "cooperation China", "\"rail links\""]


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster, \
            Client(cluster) as client:
        yield client


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """The seeds, and a file whose documents fall into several parts: a
    text and an id met again in later parts, and a Sino-Vietnamese name whose
    pinyin name another part holds."""
    root = tmp_path_factory.mktemp("cluster-inputs")
    rng = random.Random(22)
    docs = [ENGLISH] + articles("c", 120, rng) + [VIETNAMESE, BUSINESSMAN]
    docs.append({**docs[5], "id": "same-text"})
    docs.append({**docs[9], "text": docs[9]["text"] + " Again."})  # the id of docs[9] again
    files = [write_jsonl(root / f"docs-{i}.jsonl", docs[i * 25:(i + 1) * 25]) for i in range(5)]
    return [SEEDS, *files]


def stored(store: IndexStore) -> dict:
    ix = store.open()
    try:
        with ix.searcher() as searcher:
            return {fields["id"]: fields for fields in searcher.documents()}
    finally:
        ix.close()


def top(store: IndexStore) -> list[list[str]]:
    engine = SearchEngine(store)
    try:
        return [[hit.id for hit in engine.search(SearchRequest(q=q, per_page=10)).hits] for q in QUERIES]
    finally:
        engine.close()


@pytest.mark.parametrize("parts", [None, 7])
def test_a_cluster_rebuild_builds_what_one_machine_builds(tmp_path, client, inputs, parts):
    one = rebuild(IndexStore(tmp_path / "one"), inputs, procs=1)
    many = rebuild_on_cluster(IndexStore(tmp_path / "many"), inputs, client=client, parts=parts)
    assert (many.indexed, many.linked_names) == (one.indexed, one.linked_names) == (one.indexed, 1)
    assert [str(r) for r in many.rejected] == [str(r) for r in one.rejected] and len(one.rejected) == 2
    a, b = IndexStore(tmp_path / "one"), IndexStore(tmp_path / "many")
    assert stored(b) == stored(a)  # every stored field: people, topics, dates, spellings
    assert Vocabulary.load(b.current_path() / VOCAB_FILE) == Vocabulary.load(a.current_path() / VOCAB_FILE)
    ix = b.open()
    assert len(ix._segments()) > 1  # written in parts, one segment each
    ix.close()
    assert top(b) == top(a)


def test_parts_follow_the_input_in_order_and_are_about_equal():
    jobs = [job for job in plan_jobs([SEEDS])] * 3
    split = partition(jobs, 4)
    assert [job for part in split for job in part] == jobs and len(split) == 4
    assert max(map(len, split)) - min(map(len, split)) <= 1


def test_the_command_runs_a_local_cluster(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "api.cli", "--index", str(tmp_path / "ix"), "rebuild",
                           "--cluster", "local:2", str(SEEDS)], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip().splitlines()[-1].startswith("indexed 5 documents, 0 rejected")
    stats = subprocess.run([sys.executable, "-m", "api.cli", "--index", str(tmp_path / "ix"), "stats"], cwd=ROOT,
                           capture_output=True, text=True, timeout=120)
    assert stats.stdout.startswith("5 documents "), stats.stdout
    bad = subprocess.run([sys.executable, "-m", "api.cli", "--index", str(tmp_path / "ix"), "rebuild",
                          "--cluster", "local:0", str(SEEDS)], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert bad.returncode == 2 and "local:N needs a number of workers of at least 1" in bad.stderr


def test_a_worker_killed_mid_build_is_replaced_and_the_build_completes(tmp_path, client):
    import os
    import signal
    import threading
    import time

    rng = random.Random(23)
    files = [write_jsonl(tmp_path / f"k-{i}.jsonl", articles(f"k{i}", 60, rng)) for i in range(8)]
    one = rebuild(IndexStore(tmp_path / "one"), files, procs=1)
    store = IndexStore(tmp_path / "many")
    victim = next(iter(client.run(os.getpid).values()))
    killed = []

    def kill_when_a_part_is_extracted():
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if list(store.root.glob(".building-*/.parts/part-*.pickle")):
                os.kill(victim, signal.SIGKILL)
                killed.append(victim)
                return
            time.sleep(0.002)

    killer = threading.Thread(target=kill_when_a_part_is_extracted)
    killer.start()
    many = rebuild_on_cluster(store, files, client=client, parts=16)
    killer.join()
    assert killed, "no worker was killed: the test proves nothing"
    assert victim not in client.run(os.getpid).values()  # the nanny started another
    assert many.indexed == one.indexed and stored(store) == stored(IndexStore(tmp_path / "one"))
    assert not list(store.root.glob(".building-*"))


def test_a_build_that_cannot_complete_leaves_the_live_index_and_says_why(tmp_path, monkeypatch):
    import errno

    from distributed import Client, LocalCluster

    from index import cluster as cluster_module

    store = IndexStore(tmp_path / "ix")
    first = rebuild(store, [SEEDS], procs=1)

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", "part-00001")

    monkeypatch.setattr(cluster_module, "_write_part", full_disk)
    # workers on threads of this process, where the patch applies
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=":0") as local, \
            Client(local) as threads:
        with pytest.raises(OSError, match="No space left on device"):
            rebuild_on_cluster(store, [SEEDS], client=threads)
    assert store.current_name() == first.generation and not list(store.root.glob(".building-*"))
    assert len(stored(store)) == 5
