"""Live writes: checked, journaled and acknowledged at once; committed in groups.

:func:`queue_records` and :func:`queue_deletes` are what a write over HTTP
does in its request: extract, check against the index and the writes not
yet committed, append what passes to the journal (durable), and report each
item as the index will hold it. A :class:`Committer` thread (one per server
process; one of them at a time is on duty) commits the journal with
:func:`index.writer.apply_journal` as soon as something waits, but at most
once per ``interval`` seconds, so a burst of writes is one commit per interval.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from contextlib import nullcontext
from typing import Callable, Iterable

from whoosh.searching import Searcher

from .document import Article, Origin, Rejection
from .ingest import Extractor, extract_all
from .journal import Delete, Journal, Put, latest
from .readers import ReaderPool
from .store import IndexBusy, IndexMissing, IndexStore
from .writer import BatchReport, Duplicate, ItemResult, _accept_all, _Checker, apply_journal

__all__ = ["queue_records", "queue_deletes", "Committer"]

log = logging.getLogger(__name__)


class _State:
    """The index as the journal will leave it: committed documents (read
    through a searcher of the live generation) overlaid with the writes
    waiting in the journal."""

    def __init__(self, store: IndexStore, journal: Journal, readers: ReaderPool | None = None):
        self.pending = {e.id: e for e in latest(journal.entries())}
        self.ix = None
        try:
            self.ix = store.open()
        except IndexMissing:
            pass
        self.searcher = None
        # with a pool (a server's), the segments its snapshots hold are not
        # opened again, and are read under its lock (its searches read them too)
        self._reading = readers.read_lock if readers is not None else nullcontext()
        if self.ix is not None:
            self.searcher = Searcher(readers.reader(self.ix)) if readers is not None else self.ix.searcher()

    def close(self) -> None:
        if self.searcher is not None:
            self.searcher.close()
            self.ix.close()

    def exists(self, doc_id: str) -> bool:
        entry = self.pending.get(doc_id)
        if entry is not None:
            return isinstance(entry, Put)
        if self.searcher is None:
            return False
        with self._reading:
            return self.searcher.document_number(id=doc_id) is not None

    def holder(self, sha: str) -> str | None:
        """The id of another document with this text, if any."""
        for entry in self.pending.values():
            if isinstance(entry, Put) and entry.article.sha == sha:
                return entry.id
        if self.searcher is None:
            return None
        with self._reading:
            stored = self.searcher.document(sha=sha)
        if stored is None or stored["id"] in self.pending:
            return None  # a pending delete or replace (with other text: see above) frees it
        return stored["id"]


def queue_records(store: IndexStore, records: Iterable, extractor: Extractor,
                  readers: ReaderPool | None = None) -> BatchReport:
    """Extract and check records (or rejections, reported as they are),
    append those that pass to the journal, and report each as created or
    replaced, or rejected with the reason. ``report.journal`` is the
    journal file that holds them (see :meth:`Journal.applied`). The checks
    read the index through ``readers`` if given."""
    report = BatchReport()
    articles: list[Article] = []
    journal = Journal(store.root)
    state = _State(store, journal, readers)
    checker = _Checker()
    try:
        def accept(article: Article) -> str | None:
            reason = checker.check(article)
            if reason is not None:
                return reason
            holder = state.holder(article.sha)
            if holder is not None and holder != article.id:
                return Duplicate(f"duplicate of {holder!r} (same text, already indexed)")
            checker.remember(article)
            report.accepted(article, replaced=state.exists(article.id))
            articles.append(article)
            return None

        _accept_all(extract_all(records, extractor), report, accept, Origin("request"))
    finally:
        state.close()
    if articles:
        report.journal = journal.append([Put(a) for a in articles])
    return report


def queue_deletes(store: IndexStore, ids: Iterable[str], readers: ReaderPool | None = None) -> BatchReport:
    """Append deletions of the ids that exist (or are waiting to) to the
    journal; the others are rejected."""
    report = BatchReport()
    journal = Journal(store.root)
    state = _State(store, journal, readers)
    found: list[str] = []
    try:
        for doc_id in dict.fromkeys(ids):
            if state.exists(doc_id):
                found.append(doc_id)
                report.deleted += 1
                report.items.append(ItemResult(doc_id, doc_id, "deleted"))
            else:
                report.reject(Rejection(Origin(doc_id), "no document with this id"), doc_id)
    finally:
        state.close()
    if found:
        report.journal = journal.append([Delete(i) for i in found])
    return report


DUTY = ".committer"  # the lock of the committer on duty (see index.store)


class Committer:
    """Commits the journal in a daemon thread, at most once per ``interval``
    seconds and as soon as something waits, when no other process holds
    the write lock (that one commits it, or the next turn does). ``on_commit`` gets each
    commit's report (to reopen this process's searcher, say).

    Of the committers of one index (a server's worker processes), one is
    on duty and commits; the others stand by, each trying every turn to
    take over, which they can once the one on duty stops or its process
    dies. Each committing on its own clock made up to one commit per
    interval per process, and every commit costs each process's searches
    (new readers, caches extended) besides its own work; one committer
    also keeps what it loaded to commit (vocabulary, names) from one
    commit to the next instead of reading what another wrote."""

    POLL = 0.05  # seconds between looks at the journal while nothing waits

    def __init__(self, store: IndexStore, interval: float,
                 on_commit: Callable[[BatchReport], None] | None = None):
        self.store, self.interval, self.on_commit = store, interval, on_commit
        self.journal = Journal(store.root)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._duty: int | None = None  # the descriptor holding DUTY, while on duty

    def start(self) -> "Committer":
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="tracuu-committer", daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout: float | None = None) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        if self._duty is not None and (self._thread is None or not self._thread.is_alive()):
            os.close(self._duty)  # another committer takes over at its next turn
            self._duty = None

    @property
    def on_duty(self) -> bool:
        """Whether this committer commits (taking the duty if it is free,
        unless stopped)."""
        if self._duty is None and not self._stop.is_set():
            self._duty = self.store.take_duty(DUTY)
        return self._duty is not None

    def _run(self) -> None:
        # A commit starts once something waits and ``interval`` has passed
        # since the last one began: writes that come steadily are committed
        # together, one commit per interval, and a write (or a batch) that
        # comes after a quiet spell is committed within a look (POLL), not
        # at the next tick of a clock. (The interval runs from the start of
        # the last commit: a long one, that merged, does not push the next back.)
        due = 0.0  # the earliest the next commit may start
        while not self._stop.wait(max(min(self.POLL, self.interval), due - time.monotonic())):
            try:
                if not self.on_duty:
                    due = time.monotonic() + self.interval  # (standing by: try the duty again then)
                    continue
                if not self.journal.pending():
                    continue
                due = time.monotonic() + self.interval
                self._commit()
            except Exception:  # logged, and tried again next turn: the journal keeps the writes
                due = time.monotonic() + self.interval  # (the thread, and its duty, live on)
                log.exception("committing the journal failed")

    def commit_once(self) -> BatchReport | None:
        """Commit what waits, if this committer is on duty."""
        if not self.on_duty or not self.journal.pending():
            return None
        return self._commit()

    def _commit(self) -> BatchReport | None:
        try:
            report = apply_journal(self.store, wait=0.0)
        except IndexBusy:
            return None
        if report is None:
            return None
        for rejection in report.rejected:
            log.warning("a write acknowledged earlier was not indexed: %s", rejection)
        if self.on_commit is not None:
            self.on_commit(report)
        return report
