"""Browser tests: a real tracuu server, Debian's Chromium driven by Playwright.

The server runs ``tracuu serve`` on a temporary index of the seeds plus a few
documents written for these tests. Two more local servers play third-party
sites, on other ports (other origins): one listed in TRACUU_CORS_ORIGINS and
one not. When a test fails, a screenshot goes to test-artifacts/.
"""

from __future__ import annotations

import functools
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from index.store import IndexStore
from index.writer import rebuild

from ..conftest import ROOT, SEEDS

CHROMIUM = os.environ.get("TRACUU_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

EXTRA_DOCS = [
    {"id": "vi-hanoi", "lang": "vi", "date": "2024-10-02", "source": "Nhân Dân",
     "title": "Hà Nội đón mùa thu với nhiều lễ hội văn hóa",
     "text": "Mùa thu năm nay, Hà Nội tổ chức nhiều lễ hội văn hóa tại phố cổ. "
             "Du khách trong và ngoài nước đến thăm Hồ Gươm và Văn Miếu."},
    {"id": "xss", "lang": "en", "date": "2024-01-05", "title": "<img src=x onerror=alert(1)>",
     "text": "A story whose title tries markup, and whose text has a <script>alert('xylophone')</script> "
             "tag next to the word xylophone."},
]


def pytest_runtest_makereport(item, call):
    if call.when == "call":
        item.failed_call = call.excinfo is not None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(port: int, path: str = "/api/health", seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            conn.close()
        time.sleep(0.1)
    raise RuntimeError(f"nothing answered on port {port}")


@pytest.fixture(scope="session")
def sites(tmp_path_factory):
    """Ports of two third-party sites: (allowed, refused)."""
    return _free_port(), _free_port()


@pytest.fixture(scope="session")
def server(tmp_path_factory, sites):
    """Base URL of a running tracuu server."""
    work = tmp_path_factory.mktemp("browser")
    extra = work / "extra.jsonl"
    extra.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in EXTRA_DOCS), encoding="utf-8")
    index = work / "index"
    assert rebuild(IndexStore(index), [SEEDS, extra], procs=1).ok
    port = _free_port()
    env = {**os.environ, "TRACUU_INDEX": str(index), "TRACUU_RATE_LIMIT": "0",
           "TRACUU_CORS_ORIGINS": f"http://127.0.0.1:{sites[0]}"}
    proc = subprocess.Popen([sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--workers", "1"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="session")
def third_party(tmp_path_factory, server, sites):
    """Start the two third-party sites; each serves a page embedding the box."""
    root = tmp_path_factory.mktemp("site")
    (root / "index.html").write_text(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<script src='{server}/widget.js' defer></script></head><body><h1>A newsroom</h1>"
        f"<tracuu-search endpoint='{server}'></tracuu-search></body></html>", encoding="utf-8")
    # a host page with a strict policy: the box's script and API calls from
    # the tracuu server, no inline script or style anywhere
    (root / "strict.html").write_text(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; "
        f"script-src {server}; connect-src {server}; style-src 'self'; img-src 'self'\">"
        f"<script src='{server}/widget.js' defer></script></head><body><main><h1>A strict newsroom</h1>"
        f"<tracuu-search endpoint='{server}'></tracuu-search></main></body></html>", encoding="utf-8")
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None
    servers = []
    for port in sites:
        httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers.append(httpd)
    yield [f"http://127.0.0.1:{port}/" for port in sites]
    for httpd in servers:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: `make test` installs it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def pytest_configure(config):
    config.addinivalue_line("markers", "bypass_csp: the test injects scripts of its own (axe, fetch "
                            "probes), which the pages' content security policy would refuse; the "
                            "other browser tests run the pages under it")


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US",
                                  bypass_csp=request.node.get_closest_marker("bypass_csp") is not None)
    page = context.new_page()
    page.set_default_timeout(10_000)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.dialogs = dialogs
    yield page
    if getattr(request.node, "failed_call", False):
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture(scope="session")
def axe_script() -> str:
    """axe-core's script, as the axe-playwright-python package ships it."""
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


@pytest.fixture
def axe(axe_script):
    """Run axe-core in a page; its violations (WCAG 2.x A and AA, and best
    practices), as dicts."""

    def run(page) -> list[dict]:
        page.add_script_tag(content=axe_script)
        result = page.evaluate("""() => axe.run(document, {
            runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa",
                                            "best-practice"]},
            resultTypes: ["violations"]})""")
        return result["violations"]

    return run
