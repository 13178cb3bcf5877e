"""`tracuu serve` and `make run` stop cleanly: requests in flight are
finished, and no process is left behind, whichever way they are stopped."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from index.store import IndexStore
from index.writer import rebuild

from .conftest import ROOT, SEEDS
from .test_crashes import free_port, http_request, kill_group

KEY = "serve-test-key-0123456789abcdef"


def request(port: int, method: str, path: str, body: dict | None = None, timeout: float = 60):
    return http_request(port, method, path, json.dumps(body).encode() if body is not None else None,
                        {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}, timeout)


def wait_up(port: int, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while request(port, "GET", "/api/health", timeout=2)[0] != 200:
        assert proc.poll() is None, "the server ended"
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)


def group_gone(pgid: int, seconds: float = 30) -> bool:
    """Whether every process of the group ``pgid`` ends within ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def index(tmp_path) -> Path:
    assert rebuild(IndexStore(tmp_path / "ix"), [SEEDS], procs=1).ok
    return tmp_path / "ix"


def test_sigterm_finishes_the_request_in_flight_and_leaves_no_process(index, tmp_path):
    port = free_port()
    log = tmp_path / "server.log"
    env = {**os.environ, "TRACUU_INDEX": str(index), "TRACUU_WRITE_KEY": KEY, "TRACUU_RATE_LIMIT": "0"}
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--workers", "2"],
                                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_up(port, proc)
        store = IndexStore(index)
        answers = []
        doc = {"text": "Fishermen in Quảng Ngãi set out for the Paracels.", "lang": "en"}
        with store.write_lock(purpose="adding files"):  # the write waits for its commit while this holds
            writer = threading.Thread(target=lambda: answers.append(
                request(port, "PUT", "/api/documents/late?refresh=wait_for", doc)))
            writer.start()
            time.sleep(1.0)  # (in flight, waiting: or not yet arrived, which the answer tells)
            proc.send_signal(signal.SIGTERM)
            time.sleep(1.0)
        writer.join(60)
        assert proc.wait(60) == 0
        status, body = answers[0]
        assert status == 201, (status, body)  # finished, not cut off
        assert json.loads(body)["searchable"] is True
        assert group_gone(proc.pid), "a process of the server outlived it"
    finally:
        kill_group(proc)
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "PUT /api/documents/late" in text  # the access log was written ...
    assert KEY not in text  # ... and never holds the write key


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
def test_make_run_stopped_by_its_parent_leaves_no_process(index, how):
    port = free_port()
    env = {**os.environ, "TRACUU_INDEX": str(index), "PORT": str(port), "MAKEFLAGS": ""}
    make = subprocess.Popen(["make", "-s", "run"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_up(port, make)
        make.send_signal(how)
        make.wait(30)
        assert group_gone(make.pid), f"make run's server outlived make ({how.name})"
        assert request(port, "GET", "/api/health", timeout=2)[0] is None
    finally:
        kill_group(make)
