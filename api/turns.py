"""A worker's searches and writes take turns; suggestions do not wait.

With ``TRACUU_THREADS`` above 1 (16 by default), a worker of ``tracuu serve`` runs its
requests on threads (gunicorn's ``gthread``) but lets one search
(``/api/search``) run at a time, as a process per request does; the others
wait here, in the order they came. A write (its checks and extraction;
not a wait for its commit) takes the next turn, before the searches
waiting, and so runs alone on the core once the search under way is done:
beside a search, sharing the interpreter's lock, a 25-article batch took
twice as long. A suggestion, a facet's values or a document fetch, cheap
and typed as you go, takes no turn: it starts at once, on a thread of its
own, and waits at most for the search under way to finish reading the
index (see :class:`index.readers.ReaderPool`). This is what
Elasticsearch's separate thread pools for searches and for writes are for.
With one request at a time per worker, a write sent while 32 clients
search waits in the listening socket's queue as long as a search does (a
third of a second on 2 cores) for 10 ms of work.

Side by side in one bench run (``TRACUU_THREADS`` 1 and 16, eight
alternating rounds each, 5 articles/s), searches kept about the same share
of their throughput while writing on threads as with one request at a
time (0.82x and 0.84x; another run 0.75x and 0.72x), and the server spent
as much CPU on the writes (0.31 and 0.29 cores), while the write p95 was
117 ms against 632 ms. (Separate runs of each mode in an earlier session
had suggested threads cost throughput; on this host the runs drifted apart
by more than that.)
"""

from __future__ import annotations

import threading
from collections import deque
from contextlib import contextmanager

__all__ = ["Turns"]


class Turns:
    """At most ``slots`` holders at once; the others wait in arrival order
    (a lock alone wakes waiters in no set order, which stretches the slowest
    waits), those that came through :meth:`first` before the rest."""

    def __init__(self, slots: int):
        if slots < 1:
            raise ValueError("slots must be at least 1")
        self.slots = slots
        self._lock = threading.Lock()
        self._busy = 0
        self._waiting: deque[threading.Event] = deque()
        self._first: deque[threading.Event] = deque()

    def __enter__(self) -> "Turns":
        self._take(self._waiting)
        return self

    def __exit__(self, *exc) -> None:
        with self._lock:
            queue = self._first or self._waiting
            if queue:
                queue.popleft().set()  # the slot passes on; _busy stays
            else:
                self._busy -= 1

    @contextmanager
    def first(self):
        """A turn before every one waiting in the usual way (after the
        holders, and after those that asked first before)."""
        self._take(self._first)
        try:
            yield self
        finally:
            self.__exit__()

    def _take(self, queue: deque) -> None:
        with self._lock:
            if self._busy < self.slots:
                self._busy += 1
                return
            turn = threading.Event()
            queue.append(turn)
        turn.wait()  # the slot is handed over by the holder that leaves

    @property
    def waiting(self) -> int:
        return len(self._waiting) + len(self._first)
