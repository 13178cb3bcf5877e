"""The suggestion index, kept across writes.

It is built from the whole vocabulary and the facets (about a second of CPU
on the shared corpus), so rebuilding it for every snapshot would make the
first search after each write wait that long in every worker. Instead a
server keeps the last one built and serves it while a background thread
builds a fresh one, at most once per ``interval`` seconds while writes go
on, from a searcher of its own (the snapshot that asked may be gone before
it is done). Suggestions may so lag a write by up to ``interval`` plus the
build; search results, facet counts and did-you-mean (see
:class:`search.spelling.LiveSpeller`) never do. A rebuilt generation (a new
index directory) is built for at once, as is anything never built.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Callable

__all__ = ["Derived"]


@dataclass
class _Built:
    value: object
    generation: str   # the snapshot generation it was built from
    path: object      # the index directory of that generation
    at: float         # when it was built (on the clock)


class Derived:
    def __init__(self, open_snapshot: Callable, interval: float = 30.0, clock: Callable[[], float] = time.monotonic):
        self.open_snapshot = open_snapshot  # a fresh snapshot with its own searcher, for a build
        self.interval = interval
        self.clock = clock
        self._built: dict[str, _Built] = {}
        self._building: dict[str, threading.Thread] = {}
        self._lock = threading.Lock()

    def get(self, name: str, snap, build: Callable):
        """``build(snap)``'s value for ``snap``'s index: the last one built
        (refreshed in the background if it is older than ``snap`` and than
        ``interval``), or, for a new index directory, built now."""
        with self._lock:
            built = self._built.get(name)
            if built is not None and built.path == snap.path:
                if built.generation != snap.generation and name not in self._building \
                        and self.clock() - built.at >= self.interval:
                    thread = threading.Thread(target=self._refresh, args=(name, build), daemon=True,
                                              name=f"refresh-{name}")
                    self._building[name] = thread
                    thread.start()
                return built.value
        value = build(snap)
        with self._lock:
            self._built[name] = _Built(value, snap.generation, snap.path, self.clock())
        return value

    def _refresh(self, name: str, build: Callable) -> None:
        try:
            snap = self.open_snapshot()
            try:
                value = build(snap)
                with self._lock:
                    current = self._built.get(name)
                    if current is None or current.path == snap.path:
                        self._built[name] = _Built(value, snap.generation, snap.path, self.clock())
            finally:
                snap.close()
        except Exception:  # noqa: BLE001 - the old value keeps serving; the next write retries
            pass
        finally:
            with self._lock:
                self._building.pop(name, None)

    def settle(self, timeout: float = 30.0) -> None:
        """Wait for the builds under way (tests; a server never needs to)."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                threads = list(self._building.values())
            if not threads:
                return
            for thread in threads:
                thread.join(max(0.0, deadline - time.monotonic()))
            if time.monotonic() >= deadline:
                return
