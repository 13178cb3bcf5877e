"""``tracuu serve``: the app under gunicorn, one worker per core by default.

Each worker builds its own app (and engine) after the fork; a rebuild made
while the server runs is picked up by every worker on its next request.
"""

from __future__ import annotations

import gc
import os
import signal
from typing import Any, Mapping

from gunicorn.app.base import BaseApplication

from index.lifeline import signal_on_parent_death
from index.store import IndexMissing

from .app import create_app

__all__ = ["serve"]


class _Server(BaseApplication):
    def __init__(self, options: dict, config: Mapping[str, Any]):
        self.options = options
        self.app_config = dict(config)
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return create_app(self.app_config)


def _warm(worker) -> None:
    """Each worker warms its engine before its first request, and, when
    writes are on, starts its journal committer (writes saved before a
    restart are committed without waiting for a new one)."""
    services = worker.wsgi.extensions["tracuu"]
    if services.settings.write_key is not None:
        services.committer  # noqa: B018 - started on first use
        services.extractor.warm()
    try:
        services.engine.warm()
    except IndexMissing:
        worker.log.warning("no index yet: searches answer 503 until `tracuu rebuild`")
    # What warming built (hundreds of thousands of objects) lives as long as
    # the worker, or is freed by reference counting when a commit replaces
    # it: the garbage collector's full passes, frequent while writes go on,
    # need not walk it each time (in one process, searches with a commit
    # every 22 spent 0.74 s in collections instead of 1.18 s, of about 20 s).
    gc.collect()
    gc.freeze()


def _worker_exit(server, worker) -> None:
    """A worker stopping (SIGTERM, SIGINT, a restart) has finished its
    requests in flight (gunicorn gives them ``graceful_timeout``); its
    committer then finishes the commit it may be in and gives up its duty,
    and the index files it holds are closed. Writes still waiting in the
    journal are committed by the next server, or another worker."""
    app = getattr(worker, "wsgi", None)
    if app is None:  # it failed before loading the app
        return
    services = app.extensions["tracuu"]
    committer = vars(services).get("committer")
    if committer is not None:
        committer.stop(timeout=GRACE)
    if "engine" in vars(services):
        services.engine.close()


GRACE = 10  # seconds a stopping worker gives its requests in flight


def serve(settings, config: Mapping[str, Any], stop_with_parent: bool = False) -> None:
    """Run until stopped (SIGTERM or SIGINT: gracefully; with
    ``stop_with_parent``, also when the process that started this one
    ends). ``config`` is passed to every worker's app."""
    if stop_with_parent:
        signal_on_parent_death(signal.SIGTERM)
    workers = settings.workers or os.cpu_count() or 1
    options = {
        "post_worker_init": _warm,
        "worker_exit": _worker_exit,
        "bind": f"{settings.host}:{settings.port}",
        "workers": workers,
        "worker_class": "sync",
        "timeout": 60,
        "graceful_timeout": GRACE,
        "accesslog": "-",
        "errorlog": "-",
        "loglevel": "info",
    }
    if settings.threads > 1:
        # Requests on threads, so that a write need not wait for the searches
        # ahead of it (see api/turns.py); the searches still take turns. A
        # worker takes in no more connections than it has threads: the rest
        # wait in the listening socket's queue, for whichever worker is free
        # first. (Taking in every connection at once split them between the
        # workers at random, and the one that got fewer sometimes ran dry:
        # 10% fewer searches/s.) No keep-alive, as with one request at a time.
        options.update(worker_class="gthread", threads=settings.threads,
                       worker_connections=settings.threads, keepalive=0)
    _Server(options, config).run()
