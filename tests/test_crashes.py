"""Writers killed with SIGKILL at random moments leave a sound index.

Each test kills one kind of writer (``tracuu rebuild``, ``tracuu add``, a
server taking batches over HTTP) at ``KILLS`` moments drawn at random over
the time a complete run takes, and after every kill checks what a crash must
not break: the index opens and ``tracuu stats`` works; the documents are
exactly those before the write or those after it (no half of a batch);
every write acknowledged before the kill is there; the vocabulary counts
what the index holds; and the next writer is not blocked by what the dead
one held. Each test also checks that its kills fell on both sides of the
write (some before it took effect, some after), so that the moments drawn
cover it. ``TRACUU_CRASH_SEED`` replays a run's moments.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import pytest
from whoosh.searching import Searcher

from api.cli import main as tracuu
from index.ingest import stored_terms
from index.journal import Journal
from index.readers import ReaderPool
from index.store import IndexStore
from index.vocabulary import VOCAB_FILE, Vocabulary

from .conftest import ROOT

KILLS = int(os.environ.get("TRACUU_CRASH_KILLS", "20"))
SEED = int(os.environ.get("TRACUU_CRASH_SEED", str(random.SystemRandom().randrange(10**6))))

PEOPLE = ["Tô Lâm", "Nguyễn Phú Trọng", "Phạm Minh Chính", "Vương Nghị", "Lý Cường", "Tập Cận Bình"]
PEOPLE_EN = ["To Lam", "Nguyen Phu Trong", "Pham Minh Chinh", "Wang Yi", "Li Qiang", "Xi Jinping"]
PLACES = ["Hà Nội", "Bắc Kinh", "Đà Nẵng", "Hải Phòng", "Quảng Ninh"]
SUBJECTS_EN = ["trade", "rice exports", "the border crossing", "fishing boats", "rail links", "tariffs"]
SUBJECTS_VI = ["thương mại", "xuất khẩu gạo", "cửa khẩu", "tàu cá", "đường sắt", "thuế quan"]


def articles(prefix: str, n: int, rng: random.Random, variant: str = "") -> list[dict]:
    """``n`` articles with ids ``prefix-0``..., in both languages, naming
    people and places (so extraction has work to do); ``variant`` changes
    every text (a replacement of the same ids)."""
    out = []
    for i in range(n):
        k = rng.randrange(len(PEOPLE))
        day = f"2024-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
        if i % 2:
            subject = rng.choice(SUBJECTS_VI)
            text = (f"{PLACES[i % len(PLACES)]} - Ngày {day[8:]}/{day[5:7]}, ông {PEOPLE[k]} đã gặp "
                    f"đoàn đại biểu để bàn về {subject}. Bài {prefix} số {i} {variant}. "
                    f"Hai bên nhất trí tăng cường hợp tác về {subject} giữa Việt Nam và Trung Quốc.")
            out.append({"id": f"{prefix}-{i}", "lang": "vi", "date": day,
                        "title": f"{PEOPLE[k]} bàn về {subject} ({prefix} {i}{variant})", "text": text})
        else:
            subject = rng.choice(SUBJECTS_EN)
            text = (f"HANOI - {PEOPLE_EN[k]} met officials on {day} to discuss {subject}. "
                    f"Report {prefix} number {i} {variant}. Minister {PEOPLE_EN[k].split()[-1]} said "
                    f"Vietnam and China would expand cooperation on {subject}.")
            out.append({"id": f"{prefix}-{i}", "lang": "en", "date": day,
                        "title": f"{PEOPLE_EN[k]} discusses {subject} ({prefix} {i}{variant})", "text": text})
    return out


def write_jsonl(path: Path, docs: list[dict]) -> Path:
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    return path


@contextmanager
def reading(store: IndexStore):
    """A searcher of the live index, its files opened at once as a server's
    are (a merge by a server still running may delete them: see
    index.readers.pin)."""
    ix = store.open()
    try:
        with Searcher(ReaderPool().reader(ix)) as searcher:
            yield searcher
    finally:
        ix.close()


def contents(store: IndexStore) -> dict[str, str]:
    """Each document's id and text as the index holds them."""
    with reading(store) as searcher:
        return {stored["id"]: stored["text"] for stored in searcher.documents()}


def expected(docs: list[dict]) -> dict[str, str]:
    return {d["id"]: d["text"] for d in docs}


def check_sound(store: IndexStore, capsys) -> dict[str, str]:
    """What every crash must leave: ``tracuu stats`` works and counts what
    the index holds, and the vocabulary counts it too, or is marked as one
    commit behind (a kill between the commit and the vocabulary's save),
    which the next writer counts again. The index's contents."""
    capsys.readouterr()
    assert tracuu(["--index", str(store.root), "stats"]) == 0
    held = contents(store)
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith(f"{len(held)} documents "), first
    assert_vocabulary_counts(store, behind_ok=True)
    return held


def assert_vocabulary_counts(store: IndexStore, behind_ok: bool = False) -> None:
    """The saved vocabulary equals one counted afresh from the index (or,
    ``behind_ok``, says it counts another generation of it)."""
    with reading(store) as searcher:
        fresh = Vocabulary.count((stored["id"], stored.get("title"),
                                  stored_terms(stored.get("title"), stored.get("text", "")))
                                 for stored in searcher.documents())
        generation = searcher.reader().generation()
    saved = Vocabulary.load(store.current_path() / VOCAB_FILE)
    if behind_ok and saved.generation is not None and saved.generation != generation:
        return  # the next writer counts it again (test_a_writer_ended_between_its_commit_...)
    assert saved.documents == fresh.documents
    assert saved.titles == fresh.titles
    for name in ("words", "exact", "phrases"):
        assert +getattr(saved, name) == +getattr(fresh, name), f"the vocabulary's {name} drifted"


def run_tracuu(index: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "api.cli", "--index", str(index), *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def timed(index: Path, *args: str) -> float:
    """How long a complete run of ``tracuu args`` takes (it must succeed)."""
    started = time.monotonic()
    proc = run_tracuu(index, *args)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    return time.monotonic() - started


def kill_at(proc: subprocess.Popen, moment: float) -> bool:
    """SIGKILL ``proc`` ``moment`` seconds from now (unless it ends first);
    whether it was still running then."""
    try:
        proc.wait(timeout=moment)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return True
    proc.communicate()
    return False


def building_started(index: Path, known: set[str], proc: subprocess.Popen) -> bool:
    """Wait until ``proc`` (a rebuild) has made a generation directory not
    in ``known``; False if it ended first."""
    deadline = time.monotonic() + 60
    while not {p.name for p in index.glob(".building-*")} - known:
        if proc.poll() is not None:
            return False
        assert time.monotonic() < deadline, "the rebuild never started building"
        time.sleep(0.005)
    return True


def test_rebuild_killed_at_random_moments(tmp_path, capsys):
    rng = random.Random(SEED)
    index = tmp_path / "ix"
    store = IndexStore(index)
    sides = [write_jsonl(tmp_path / f"{name}.jsonl", articles(name, 150, rng)) for name in ("a", "b")]
    states = [expected([json.loads(l) for l in p.read_text(encoding="utf-8").splitlines()]) for p in sides]
    # the first runs to the end, to time its building: from the moment its
    # generation's directory appears to its end
    proc = run_tracuu(index, "rebuild", "--procs", "1", str(sides[0]))
    assert building_started(index, set(), proc)
    started = time.monotonic()
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    building = time.monotonic() - started
    outcomes = Counter()
    live = 0
    left: set[str] = set()
    for kill in range(KILLS):
        target = 1 - live
        # a moment in each twentieth of 1.3 times the building: most kills
        # fall while it builds, the last few after it swapped the new one in
        moment = (kill + rng.random()) / KILLS * 1.3 * building
        proc = run_tracuu(index, "rebuild", "--procs", "1", str(sides[target]))
        if building_started(index, left, proc):
            killed = kill_at(proc, moment)
        else:  # (it ended before building: a failure, which check_sound would show)
            proc.communicate()
            killed = False
        held = check_sound(store, capsys)
        context = f"kill {kill} at {moment:.2f} s into the building (seed {SEED})"
        assert held in (states[live], states[target]), context
        if held == states[target]:
            outcomes["after"] += 1
            live = target
        else:
            outcomes["before"] += 1
            assert killed, context
        now = {p.name for p in index.glob(".building-*")}
        outcomes["mid-build"] += bool(now - left)  # a new one left: killed while building
        left = now
    assert outcomes["mid-build"] >= KILLS // 4 and outcomes["after"] >= 1, (outcomes, SEED)
    # one more killed while it builds, for certain (it holds the lock) ...
    proc = run_tracuu(index, "rebuild", "--procs", "1", str(sides[1 - live]))
    assert building_started(index, left, proc), "the rebuild never started building"
    proc.kill()
    proc.communicate()
    dead = proc.pid
    # ... and the next rebuild is not blocked, says it took over, and cleans up
    proc = run_tracuu(index, "rebuild", "--procs", "1", str(sides[1 - live]))
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert f"tracuu: the last writer of {index} (pid {dead}, rebuilding since " in err, err
    assert "ended without finishing (killed?)" in err, err
    assert contents(store) == states[1 - live]
    assert not list(index.glob(".building-*"))
    assert_vocabulary_counts(store)


def test_add_killed_at_random_moments(tmp_path, capsys):
    rng = random.Random(SEED)
    index = tmp_path / "ix"
    store = IndexStore(index)
    base = articles("a", 150, rng)
    timed(index, "rebuild", "--procs", "1", str(write_jsonl(tmp_path / "a.jsonl", base)))
    state = expected(base)
    outcomes = Counter()
    full = None
    for kill in range(KILLS + 1):
        # new articles, and new texts for some already indexed
        replaced = rng.sample(sorted(state), 10)
        batch = articles(f"n{kill}", 30, rng) + [
            {**d, "text": d["text"] + f" Updated {kill}."} for d in base if d["id"] in replaced]
        after = {**state, **expected(batch)}
        src = write_jsonl(tmp_path / f"n{kill}.jsonl", batch)
        if full is None:  # the first one runs to the end, to time it
            full = timed(index, "add", "--procs", "1", str(src))
            state = after
            continue
        # a moment in each twentieth of 0.2 to 1.5 times a whole add
        moment = (0.2 + (kill - 1 + rng.random()) / KILLS * 1.3) * full
        killed = kill_at(run_tracuu(index, "add", "--procs", "1", str(src)), moment)
        held = check_sound(store, capsys)
        context = f"kill {kill} at {moment:.2f} s (seed {SEED})"
        assert held in (state, after), context
        if held == after:
            outcomes["after"] += 1
            state = after
        else:
            outcomes["before"] += 1
            assert killed, context
    assert outcomes["before"] >= KILLS // 5 and outcomes["after"] >= KILLS // 5, (outcomes, SEED)
    # the next complete write leaves the vocabulary counting the index exactly
    timed(index, "add", "--procs", "1", str(write_jsonl(tmp_path / "last.jsonl", articles("last", 3, rng))))
    assert_vocabulary_counts(store)


KEY = "crash-test-key-0123456789"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``tracuu serve`` (two workers, writes on) in a session of its own,
    so that a kill takes the master and its workers at once."""

    def __init__(self, index: Path):
        self.port = free_port()
        env = {**os.environ, "TRACUU_INDEX": str(index), "TRACUU_WRITE_KEY": KEY, "TRACUU_RATE_LIMIT": "0",
               "TRACUU_REFRESH_INTERVAL": "0.3"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "serve", "--port", str(self.port), "--workers", "2"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 60
        while self.request("GET", "/api/health")[0] != 200:
            assert self.proc.poll() is None and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.05)

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int | None, bytes]:
        return http_request(self.port, method, path, body, {"Authorization": f"Bearer {KEY}",
                                                            "Content-Type": "application/x-ndjson"})

    def kill(self) -> None:
        kill_group(self.proc)


def http_request(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
                 timeout: float = 30) -> tuple[int | None, bytes]:
    """(status, body) of a request to 127.0.0.1:``port``; (None, b"") when
    nothing answers."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body, headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    except OSError:
        return None, b""
    finally:
        conn.close()


def kill_group(proc: subprocess.Popen) -> None:
    """SIGKILL the process group ``proc`` leads (started in a session of its own), and reap it."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def test_server_killed_while_taking_batches(tmp_path, capsys):
    rng = random.Random(SEED)
    index = tmp_path / "ix"
    store = IndexStore(index)
    base = articles("a", 100, rng)
    timed(index, "rebuild", "--procs", "1", str(write_jsonl(tmp_path / "a.jsonl", base)))
    state = expected(base)
    texts = dict(state)  # every text sent, by id: replacements change them
    outcomes = Counter()
    in_flight: dict[str, str] = {}
    for kill in range(KILLS + 1):
        server = Server(index)
        try:
            # the writes the last server saved are committed by this one
            deadline = time.monotonic() + 30
            while Journal(index).pending():
                assert time.monotonic() < deadline, "the journal was never committed"
                time.sleep(0.05)
            held = check_sound(store, capsys)
            context = f"after kill {kill - 1} (seed {SEED})"
            assert held in (state, {**state, **in_flight}), context
            if in_flight:
                outcomes["unacknowledged kept" if held != state else "unacknowledged lost"] += 1
            state = held
            if kill == KILLS:  # the next complete write leaves the vocabulary counting the index exactly
                last = "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in articles("last", 3, rng))
                assert server.request("POST", "/api/documents?refresh=true", last.encode())[0] == 200
                assert_vocabulary_counts(store)
                break
            killer = threading.Timer(rng.uniform(0.05, 1.5), server.kill)
            killer.start()
            batch_no = 0
            while True:
                batch = articles(f"k{kill}b{batch_no}", 8, rng) + [
                    {"id": i, "lang": "en", "text": f"{texts[i]} Updated {kill}.{batch_no}."}
                    for i in rng.sample(sorted(state), 2)]
                body = "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in batch).encode()
                refresh = ("false", "true", "wait_for")[batch_no % 3]
                in_flight = expected(batch)
                status, answer = server.request("POST", f"/api/documents?refresh={refresh}", body)
                if status is None:
                    break  # killed while this batch was in flight
                assert status == 200, answer
                assert json.loads(answer)["indexed"] == len(batch), answer
                state = {**state, **in_flight}  # acknowledged: it must survive
                texts.update(in_flight)
                outcomes["acknowledged"] += 1
                batch_no += 1
            texts.update(in_flight)
            killer.join()
        finally:
            server.kill()
    assert outcomes["acknowledged"] >= KILLS, (outcomes, SEED)


# -- a full disk ------------------------------------------------------------------

DISK_DRIVER = r"""
import glob, json, os, resource, signal, subprocess, sys

mode, disk, small, big = sys.argv[1:5]
index = os.path.join(disk, "ix")
if mode == "tmpfs":  # a disk of 1 MB, in a mount namespace of this process's own
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", disk], check=True)


def limited():  # no file may grow past 200 kB: writes past it fail with EFBIG
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))


def tracuu(*args, limit=False):
    proc = subprocess.run([sys.executable, "-m", "api.cli", "--index", index, *args], capture_output=True,
                          text=True, timeout=120, preexec_fn=limited if limit and mode == "rlimit" else None)
    return {"rc": proc.returncode, "out": proc.stdout, "err": proc.stderr}


out = {"small": tracuu("rebuild", "--procs", "1", small)}
out["big"] = tracuu("rebuild", "--procs", "1", big, limit=True)
out["big-2"] = tracuu("rebuild", "--procs", "2", big, limit=True)
out["add"] = tracuu("add", "--procs", "1", big, limit=True)
out["left"] = [os.path.basename(p) for p in glob.glob(os.path.join(index, ".building-*"))]
out["stats"] = tracuu("stats")
out["search"] = tracuu("search", "--json", "--limit", "50", "cooperation")
out["again"] = tracuu("rebuild", "--procs", "1", small)
print(json.dumps(out))
"""


def mount_namespace() -> bool:
    """Whether this machine lets a process have a mount namespace of its own."""
    try:
        return subprocess.run(["unshare", "-rm", "true"], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@pytest.mark.parametrize("disk_kind", ["tmpfs", "rlimit"])
def test_a_full_disk_fails_the_write_and_leaves_the_live_index_serving(tmp_path, disk_kind):
    """A disk of 1 MB (a tmpfs, where the machine allows one), or files that
    may not grow past 200 kB (RLIMIT_FSIZE: any machine)."""
    if disk_kind == "tmpfs" and not mount_namespace():
        pytest.skip("no mount namespace here (unshare -rm): the rlimit case stands in")
    rng = random.Random(SEED)
    small = write_jsonl(tmp_path / "small.jsonl", articles("s", 150, rng))
    big = write_jsonl(tmp_path / "big.jsonl", articles("b", 1500, rng))
    driver = tmp_path / "disk.py"
    driver.write_text(DISK_DRIVER, encoding="utf-8")
    disk = tmp_path / "disk"
    disk.mkdir()
    command = [sys.executable, str(driver), disk_kind, str(disk), str(small), str(big)]
    if disk_kind == "tmpfs":
        command = ["unshare", "-rm", *command]
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["small"]["rc"] == 0, out["small"]["err"]
    for step in ("big", "big-2", "add"):
        result = out[step]
        assert result["rc"] == 74, (step, result)
        last = result["err"].strip().splitlines()[-1]
        assert last.startswith(f"tracuu: the {step[:3].replace('big', 'rebuild')} failed: ") \
            and last.endswith("the live index is as it was and still answers"), (step, result["err"])
        assert "No space left on device" in result["err"] or "File too large" in result["err"], result["err"]
        assert "Traceback" not in result["err"], (step, result["err"])
    assert out["left"] == [], "a failed rebuild left its work behind"
    assert out["stats"]["rc"] == 0 and out["stats"]["out"].startswith("150 documents "), out["stats"]
    hits = json.loads(out["search"]["out"])["hits"]
    assert hits and all(h["id"].startswith("s-") for h in hits), out["search"]
    assert out["again"]["rc"] == 0, out["again"]["err"]


# -- two writers at once --------------------------------------------------------------


def test_a_write_over_http_while_the_command_line_writes_is_kept(make_app, monkeypatch):
    from api import routes_documents

    from .conftest import auth

    monkeypatch.setattr(routes_documents, "WAIT_FOR_LIMIT", 0.3)
    app = make_app()  # (no committer: writes are committed in their request)
    store = app.extensions["tracuu"].store
    client = app.test_client()
    doc = {"text": "Fishermen in Quảng Ngãi set out for the Paracels.", "lang": "en"}
    with store.write_lock(purpose="rebuilding"):  # as `tracuu rebuild` holds it
        answer = client.put("/api/documents/w1?refresh=true", json=doc, headers=auth())
        assert answer.status_code == 503 and answer.mimetype == "application/problem+json"
        assert answer.headers["Retry-After"].isdigit()
        detail = answer.get_json()["detail"]
        assert detail.startswith("the write is saved but not yet committed: ") and \
            f"pid {os.getpid()}, rebuilding since " in detail, detail
    # saved: committed with the next write, not lost and not sent again
    other = {"text": "Fishermen in Bình Định sold their catch early.", "lang": "en"}
    assert client.put("/api/documents/w2?refresh=true", json=other, headers=auth()).status_code == 201
    hits = client.get("/api/search?q=fishermen").get_json()["hits"]
    assert sorted(h["id"] for h in hits) == ["w1", "w2"]


def test_the_command_line_waits_for_another_writer_or_says_who_holds_it(tmp_path):
    rng = random.Random(SEED)
    index = tmp_path / "ix"
    store = IndexStore(index)
    timed(index, "rebuild", "--procs", "1", str(write_jsonl(tmp_path / "a.jsonl", articles("a", 20, rng))))
    batch = write_jsonl(tmp_path / "b.jsonl", articles("b", 5, rng))
    with store.write_lock(purpose="committing live writes"):  # as the server's committer holds it
        busy = run_tracuu(index, "add", "--wait", "0.2", str(batch))
        out, err = busy.communicate(timeout=60)
        assert busy.returncode == 75, err
        assert f"tracuu: pid {os.getpid()}, committing live writes since " in err, err
        assert "nothing was written" in err, err
        waits = run_tracuu(index, "add", str(batch))  # the default wait (30 s) outlasts the commit
        time.sleep(1.0)
    out, err = waits.communicate(timeout=60)
    assert waits.returncode == 0, err
    assert set(contents(store)) == {f"a-{i}" for i in range(20)} | {f"b-{i}" for i in range(5)}


def test_a_writer_process_that_dies_fails_the_rebuild_instead_of_losing_its_documents(tmp_path, monkeypatch):
    from index import writer as writer_module

    rng = random.Random(SEED)
    store = IndexStore(tmp_path / "ix")
    first = writer_module.rebuild(store, [write_jsonl(tmp_path / "a.jsonl", articles("a", 20, rng))], procs=1)
    # a writer process ended by the kernel (the OOM killer, say) before it hands back its segment
    monkeypatch.setattr(writer_module._SubWriterTask, "run", lambda task: os._exit(1))
    with pytest.raises(writer_module.WriterFailed, match=r"exit statuses \[1, 1\]"):
        writer_module.rebuild(store, [write_jsonl(tmp_path / "b.jsonl", articles("b", 600, rng))], procs=2)
    assert store.current_name() == first.generation and not list(store.root.glob(".building-*"))
    assert set(contents(store)) == {f"a-{i}" for i in range(20)}


def test_a_writer_ended_between_its_commit_and_the_vocabulary_leaves_it_counted_again(tmp_path, monkeypatch):
    from index.writer import add, rebuild

    rng = random.Random(SEED)
    store = IndexStore(tmp_path / "ix")
    rebuild(store, [write_jsonl(tmp_path / "a.jsonl", articles("a", 20, rng))], procs=1)

    def killed(self, path, generation=None):
        raise KeyboardInterrupt  # as if killed right after Whoosh's commit

    with monkeypatch.context() as patch:
        patch.setattr(Vocabulary, "save", killed)
        with pytest.raises(KeyboardInterrupt):
            add(store, [write_jsonl(tmp_path / "b.jsonl", articles("b", 5, rng))], procs=1)
    assert len(contents(store)) == 25  # committed; the vocabulary is one commit behind
    assert Vocabulary.load(store.current_path() / VOCAB_FILE).documents == 20
    add(store, [write_jsonl(tmp_path / "c.jsonl", articles("c", 5, rng))], procs=1)
    assert len(contents(store)) == 30
    assert_vocabulary_counts(store)


def test_commits_and_merges_keep_the_vocabulary_in_step_without_counting_it_again(tmp_path, caplog):
    from index.ingest import Extractor
    from index.live import queue_records
    from index.parse import record_from_mapping
    from index.document import Origin
    from index.writer import apply_journal, rebuild

    rng = random.Random(SEED)
    store = IndexStore(tmp_path / "ix")
    rebuild(store, [write_jsonl(tmp_path / "a.jsonl", articles("a", 5, rng))], procs=1)
    extractor = Extractor()
    for n in range(16):  # one article per commit: 17 small segments, and tiers of 16 merge
        doc = articles(f"j{n}", 1, rng)[0]
        queue_records(store, [record_from_mapping(doc, Origin("request"), doc["id"])], extractor)
        apply_journal(store)
    ix = store.open()
    merged = len(ix._segments()) < 17
    generation = ix.latest_generation()
    ix.close()
    assert merged, "no merge happened: this test proves nothing"
    assert Vocabulary.load(store.current_path() / VOCAB_FILE).generation == generation
    assert "counting it again" not in caplog.text
    assert_vocabulary_counts(store)
