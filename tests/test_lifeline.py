"""Workers die with their parent: a write command killed with kill -9 leaves
neither its extraction workers nor Whoosh's writer processes running."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = r"""
import multiprocessing, sys, time
from whoosh import index as whoosh_index
from index.ingest import IngestConfig, init_worker
from index.schema import document_fields, make_schema
from index.writer import _writer

def pid(_):
    import os
    return os.getpid()

if __name__ == "__main__":
    ix = whoosh_index.create_in(sys.argv[1], make_schema())
    writer = _writer(ix, procs=2, memory_mb=64)
    for i in range(250):  # enough for Whoosh to start both writer processes
        writer.add_document(id=f"d{i}", title="t", body=f"text {i}")
    pool = multiprocessing.get_context("spawn").Pool(2, initializer=init_worker, initargs=(IngestConfig(),))
    pids = [t.pid for t in writer.tasks] + sorted(set(pool.map(pid, range(8), chunksize=1)))
    print(" ".join(map(str, pids)), flush=True)
    time.sleep(120)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie waiting for its reaper is dead too
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True


def test_killed_command_leaves_no_worker_running(tmp_path):
    (tmp_path / "ix").mkdir()
    script = tmp_path / "command.py"  # a file, so that spawned workers can import it
    script.write_text(SCRIPT, encoding="utf-8")
    parent = subprocess.Popen([sys.executable, str(script), str(tmp_path / "ix")], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        pids = [int(p) for p in parent.stdout.readline().split()]
        assert len(pids) >= 3 and all(map(_alive, pids))
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        deadline = time.monotonic() + 10
        while any(map(_alive, pids)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [p for p in pids if _alive(p)]
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait(10)
        parent.stdout.close()


LATE = r"""
import multiprocessing, sys, time
from index.lifeline import die_with_parent

def child(path):
    time.sleep(1.0)  # still starting when the parent dies
    die_with_parent()
    open(path, "w").write("armed")
    time.sleep(60)

if __name__ == "__main__":
    worker = multiprocessing.get_context("spawn").Process(target=child, args=(sys.argv[1],))
    worker.start()
    print(worker.pid, flush=True)
"""


def test_a_worker_whose_parent_died_before_it_was_armed_ends(tmp_path):
    script = tmp_path / "late.py"
    script.write_text(LATE, encoding="utf-8")
    marker = tmp_path / "armed"
    parent = subprocess.Popen([sys.executable, str(script), str(marker)], cwd=ROOT, stdout=subprocess.PIPE,
                              text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    child = int(parent.stdout.readline())
    parent.stdout.close()
    parent.send_signal(signal.SIGKILL)  # before the child calls die_with_parent
    parent.wait(10)
    deadline = time.monotonic() + 20
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    alive = _alive(child)
    if alive:
        os.kill(child, signal.SIGKILL)
    assert not alive and not marker.exists()
