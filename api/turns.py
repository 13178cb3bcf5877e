"""Searches take turns; writes and suggestions do not wait behind them.

A worker of ``tracuu serve`` runs its requests on threads (gunicorn's
``gthread``; unless ``TRACUU_THREADS`` is 1) but lets one search
(``/api/search``) run at a time, as a process per request does; the others
wait here, in the order they came. A write, a suggestion, a facet's values
or a document fetch does not queue behind them: it starts at once, on a
thread of its own, and waits at most for the search under way to finish
reading the index (see :class:`index.readers.ReaderPool`), as Elasticsearch's
separate thread pools for searches and for writes do. With one request at a
time per worker, a write sent while 32 clients search waits in the listening
socket's queue as long as a search does (a third of a second on 2 cores) for
10 ms of work.
"""

from __future__ import annotations

import threading
from collections import deque

__all__ = ["Turns"]


class Turns:
    """At most ``slots`` holders at once; the others wait in arrival order
    (a lock alone wakes waiters in no set order, which stretches the slowest
    waits)."""

    def __init__(self, slots: int):
        if slots < 1:
            raise ValueError("slots must be at least 1")
        self.slots = slots
        self._lock = threading.Lock()
        self._busy = 0
        self._waiting: deque[threading.Event] = deque()

    def __enter__(self) -> "Turns":
        with self._lock:
            if self._busy < self.slots:
                self._busy += 1
                return self
            turn = threading.Event()
            self._waiting.append(turn)
        turn.wait()  # the slot is handed over by the holder that leaves
        return self

    def __exit__(self, *exc) -> None:
        with self._lock:
            if self._waiting:
                self._waiting.popleft().set()  # the slot passes on; _busy stays
            else:
                self._busy -= 1

    @property
    def waiting(self) -> int:
        return len(self._waiting)
