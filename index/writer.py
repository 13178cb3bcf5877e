"""Writing the index: full rebuilds, additions and deletions.

* :func:`rebuild` parses every input into a new generation and swaps it in
  (see :mod:`index.store`); a failure or interruption leaves the live index
  as it was.
* :func:`add` (files) and :func:`add_records` (documents sent over HTTP)
  add or replace documents by id in the live generation, and :func:`delete`
  removes them; Whoosh commits each batch atomically.

Bad inputs never stop a batch: each becomes a :class:`~index.document.Rejection`
in the returned :class:`BatchReport`, and the rest is indexed. Both cores are
used when a batch is large enough to pay for it: a rebuild extracts in this
process while Whoosh's multiprocessing writer analyses and writes segments
in others; :func:`add` extracts in worker processes.
"""

from __future__ import annotations

import datetime as dt
import logging
import multiprocessing
import os
import queue
import shutil
import sys
import time
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Protocol

from whoosh import index as whoosh_index
from whoosh.index import clean_files
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.writing import NO_MERGE

from .document import Article, IngestWarning, Origin, Rejection
from .hanviet import ArchiveNames
from .journal import Delete, Journal, Put, latest
from .lifeline import die_with_parent
from .merging import plan_merge, tiered_merge
from .ingest import Extractor, IngestConfig, extract_all, init_worker, process_job, stored_terms
from .parse import Job, plan_jobs
from .schema import Codec, document_fields, make_schema
from .store import IndexMissing, IndexStore
from .vocabulary import VOCAB_FILE, Vocabulary

log = logging.getLogger(__name__)

__all__ = ["BatchReport", "ItemResult", "WriterFailed", "rebuild", "add", "add_records", "delete", "apply_journal",
           "Progress", "default_memory_mb"]

# Below this many documents, one process is faster than starting workers.
PARALLEL_MIN_DOCS = 400


def default_memory_mb() -> int:
    """Memory for one write's postings, in MB, shared by its writer
    processes: a quarter of physical memory, between 256 MB and 8 GB.

    Whoosh holds postings in memory until this fills, then sorts them into
    runs on disk and merges the runs at commit, which costs far more than the
    sorting (a rebuild of 40k documents took a third longer spilling at 1 GB per
    process). The figure is Whoosh's estimate; processes grow to about 1.6
    times it."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
    except (ValueError, OSError, AttributeError):  # not a POSIX system
        return 1024
    return max(256, min(8192, total // 4))


class Progress(Protocol):
    """What the writer reports progress to (a ``tqdm`` bar fits)."""

    def reset(self, total: int | None = None) -> None: ...
    def update(self, n: int = 1) -> None: ...


@dataclass(frozen=True)
class ItemResult:
    """What happened to one input: ``created``, ``replaced``, ``deleted`` or
    ``rejected`` (with the reason)."""

    id: str | None
    origin: str
    status: str
    reason: str | None = None
    warnings: tuple[str, ...] = ()
    # rejected because another document has this id or text (not because
    # the document itself is wrong)
    conflict: bool = False


@dataclass
class BatchReport:
    indexed: int = 0
    replaced: int = 0
    deleted: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    # Documents indexed with something dropped (an unsafe url, say).
    warnings: list[IngestWarning] = field(default_factory=list)
    items: list[ItemResult] = field(default_factory=list)
    seconds: float = 0.0
    generation: str | None = None
    # the Whoosh generation of the index after the write (a reader opened on
    # it reads generation "<generation>.<version>")
    version: int | None = None
    # Sino-Vietnamese names linked to the pinyin name of a person the archive
    # knows (Lý Cán Kiệt: Li Ganjie)
    linked_names: int = 0
    # the journal file that holds a live write (see index.live), until committed
    journal: int | None = None

    @property
    def ok(self) -> bool:
        return not self.rejected

    def accepted(self, article: Article, replaced: bool) -> None:
        self.indexed += 1
        self.replaced += replaced
        origin = str(article.origin)
        self.warnings.extend(IngestWarning(origin, w) for w in article.warnings)
        self.items.append(ItemResult(article.id, origin, "replaced" if replaced else "created",
                                     warnings=tuple(article.warnings)))

    def reject(self, rejection: Rejection, doc_id: str | None = None) -> None:
        self.rejected.append(rejection)
        self.items.append(ItemResult(doc_id, str(rejection.origin), "rejected", rejection.reason,
                                     conflict=isinstance(rejection.reason, Duplicate)))


def _estimate(jobs: list[Job]) -> int:
    return sum(len(job.lines) if job.kind == "jsonl" else 1 for job in jobs)


def _procs_for(procs: int | None, jobs: list[Job]) -> int:
    """Processes to use: as asked, else one per core for batches large
    enough to pay for starting them."""
    if procs is not None:
        return max(1, procs)
    if _estimate(jobs) < PARALLEL_MIN_DOCS:
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def _extract(jobs: list[Job], config: IngestConfig, procs: int) -> Iterator[list[Article | Rejection]]:
    """Parse and extract jobs in order, in worker processes when ``procs`` > 1."""
    if procs <= 1:
        extractor = Extractor(config)
        for job in jobs:
            yield process_job(job, extractor)
        return
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(procs, initializer=init_worker, initargs=(config,)) as pool:
        yield from pool.imap(process_job, jobs, chunksize=1)


class Duplicate(str):
    """A reason to refuse a document: another has its id or its text."""


class _Checker:
    """Rejects a second document with an id or a text already seen."""

    def __init__(self):
        self.ids: dict[str, Origin | None] = {}
        self.shas: dict[str, str] = {}

    def check(self, article: Article) -> str | None:
        if article.id in self.ids:
            return Duplicate(f"duplicate id {article.id!r} (already read from {self.ids[article.id]})")
        first = self.shas.get(article.sha)
        if first is not None and first != article.id:
            return Duplicate(f"duplicate of {first!r} (same text)")
        return None

    def remember(self, article: Article) -> None:
        self.ids[article.id] = article.origin
        self.shas.setdefault(article.sha, article.id)


def _plan(paths: Iterable, report: BatchReport) -> list[Job]:
    jobs = []
    for item in plan_jobs(list(paths)):
        if isinstance(item, Rejection):
            report.reject(item)
        else:
            jobs.append(item)
    return jobs


def _feed(jobs, config, procs, progress, report, accept) -> None:
    """Run extraction over jobs and hand each article to ``accept``."""
    if progress is not None:
        progress.reset(total=_estimate(jobs))
    for job, results in zip(jobs, _extract(jobs, config, procs)):
        _accept_all(results, report, accept, Origin(job.path))
        if progress is not None:
            progress.update(len(job.lines) if job.kind == "jsonl" else 1)


def _writer(ix, procs: int = 1, memory_mb: int | None = None):
    """A Whoosh writer as every write here uses one: segments as separate
    files (``compound=False``: Whoosh memory-maps them, where a compound file
    would be copied into each reader's memory), written with :class:`Codec`,
    ``memory_mb`` (see :func:`default_memory_mb`) shared by its processes;
    with ``procs`` > 1, one segment per process and no merge."""
    limit = max(1, (memory_mb or default_memory_mb()) // procs)
    options = dict(limitmb=limit, compound=False, codec=Codec())
    if procs > 1:
        return _MpWriter(ix, procs=procs, multisegment=True, **options)
    return ix.writer(**options)


def _commit_writer(writer, merge: bool = True) -> None:
    """Commit a one-process writer, merging segments by tiers (see
    :mod:`index.merging`) unless ``merge`` is False."""
    writer.commit(mergetype=tiered_merge if merge else NO_MERGE)


def _merge_due(store: IndexStore) -> bool:
    """Merge the segments the tiered policy says are due, in a commit of
    their own (under the write lock); whether there were any."""
    ix = store.open()
    try:
        if not plan_merge(ix._segments()):
            return False
        writer = _writer(ix)
        try:
            _commit_writer(writer)
        except BaseException:
            _abandon(writer, ix)
            raise
        Vocabulary.mark(store.current_path() / VOCAB_FILE, ix.latest_generation())  # (no document changed)
        return True
    finally:
        ix.close()


def _abandon(writer, ix=None) -> None:
    """Cancel a writer whose write failed and, given the live index ``ix``,
    remove what it left there (see :func:`_clear_failed`)."""
    try:
        writer.cancel()
    except Exception:  # closing its segment failed too (a full disk): still let go of Whoosh's lock
        lock = getattr(writer, "writelock", None)
        if lock is not None:
            try:
                lock.release()
            except Exception:
                pass
    if ix is not None:
        _clear_failed(ix)


def _clear_failed(ix) -> None:
    """Remove what a failed commit left in the live generation: the files of
    the segment it was writing (no TOC lists them) and its writer's
    temporary files. A later commit would remove the first, never the
    second; after a full disk, both hold the space the next write needs."""
    try:
        clean_files(ix.storage, ix.indexname, ix.latest_generation(), ix._segments())
    except OSError:
        log.exception("removing what a failed commit left")
    shutil.rmtree(os.path.join(ix.storage.folder, f"{ix.indexname}.tmp"), ignore_errors=True)


class WriterFailed(Exception):
    """A writer process ended without handing back its segment."""


class _SubWriterTask(SubWriterTask):
    """Whoosh's writer process, ended by the kernel if the command dies;
    one that fails says why in a line, and ends with status 1."""

    def run(self):
        die_with_parent()
        try:
            super().run()
        except OSError as exc:  # a full disk, most likely: a line says it, not a traceback
            where = f" ({exc.filename})" if exc.filename else ""
            print(f"tracuu: writer process {os.getpid()} failed: {exc.strerror or exc}{where}",
                  file=sys.stderr, flush=True)
            os._exit(1)


class _MpWriter(MpWriter):
    """Whoosh's multiprocessing writer (what ``ix.writer(procs=N)`` makes),
    with writer processes that do not outlive it, and a commit that fails
    when one of them failed.

    Whoosh's own waits a second for each process's segment and goes on
    without the ones that never come: the documents of a process that died
    (a full disk, the kernel's OOM killer) were silently left out of a
    rebuild that reported them indexed. Its ``cancel`` only marks the
    processes cancelled in this process's copy of them, which they never
    see: they are stopped here instead."""

    def _new_task(self):
        task = _SubWriterTask(self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs,
                              self.multisegment)
        self.tasks.append(task)
        task.start()
        return task

    def _commit(self, mergetype, optimize, merge):
        if self.docbuffer:  # (what Whoosh's does first: it may start a process, which takes the real queue)
            self._enqueue()
        results = self.resultqueue
        tasks = self.tasks

        class Checked:  # the result queue, as Whoosh's _commit reads it once every process has ended
            @staticmethod
            def get(timeout=None):
                try:
                    return results.get(timeout=timeout)
                except queue.Empty:
                    codes = [task.exitcode for task in tasks]
                    raise WriterFailed(f"a writer process ended without its segment (exit statuses {codes})") \
                        from None

        self.resultqueue = Checked()
        try:
            super()._commit(mergetype, optimize, merge)
        finally:
            self.resultqueue = results

    def cancel(self):
        for task in self.tasks:
            if task.is_alive():
                task.terminate()
        for task in self.tasks:
            task.join(10)
        super().cancel()


class _Linker:
    """Holds back the articles whose Sino-Vietnamese names may be linked to
    a pinyin name, until the whole batch (and the archive) has been seen."""

    def __init__(self, archive: ArchiveNames, indexed_keys=None):
        self.archive = archive
        self.indexed_keys = indexed_keys  # the person keys already indexed, read only if needed
        self.held: list[Article] = []
        self.linked = 0

    def hold_or(self, write, article: Article) -> None:
        self.archive.learn(article)
        if article.chinese_readings:
            self.held.append(article)
        else:
            write(article)

    def release(self, write) -> None:
        if self.held and self.indexed_keys is not None:
            self.archive.learn_keys(self.indexed_keys())
        for article in self.held:
            self.linked += self.archive.link(article)
            write(article)
        self.held = []


def _accept_all(items, report: BatchReport, accept, fallback: Origin) -> None:
    """Hand articles to ``accept`` (which returns a reason to refuse, or
    None); record every outcome in the report."""
    for item in items:
        if isinstance(item, Rejection):
            report.reject(item)
            continue
        reason = accept(item)
        if reason:
            report.reject(Rejection(item.origin or fallback, reason), item.id)


def rebuild(store: IndexStore, paths: Iterable, config: IngestConfig = IngestConfig(), *,
            procs: int | None = None, progress: Progress | None = None,
            memory_mb: int | None = None, wait: float = 30.0) -> BatchReport:
    """Build a new generation from ``paths`` and make it live. ``memory_mb``
    bounds the postings held in memory (default: :func:`default_memory_mb`);
    ``wait``: seconds to wait for another writer (then IndexBusy)."""
    started = time.perf_counter()
    report = BatchReport()
    paths = [str(p) for p in paths]
    with store.write_lock(wait=wait, purpose="rebuilding"):
        jobs = _plan(paths, report)
        procs = _procs_for(procs, jobs)
        building = store.start_generation()
        try:
            ix = whoosh_index.create_in(str(building), make_schema())
            writer = _writer(ix, procs, memory_mb)
            checker = _Checker()
            vocabulary = Vocabulary()
            names = _Linker(ArchiveNames())

            def write(article: Article) -> None:
                writer.add_document(**document_fields(article))
                vocabulary.add(article.id, article.title, article.terms)

            def accept(article: Article) -> str | None:
                reason = checker.check(article)
                if reason is None:
                    checker.remember(article)
                    names.hold_or(write, article)
                    report.accepted(article, replaced=False)
                return reason

            try:
                # With several writer processes the cores are busy analysing
                # and writing; extraction stays in this process, which saves
                # shipping every article between processes twice.
                _feed(jobs, config, 1, progress, report, accept)
                names.release(write)
                report.linked_names = names.linked
                writer.commit()
            except BaseException:
                _abandon(writer)  # (the generation is discarded whole)
                raise
            generation = ix.latest_generation()
            ix.close()
            vocabulary.save(building / VOCAB_FILE, generation)
            report.generation = store.publish(building, {
                "built_at": _now(),
                "documents": report.indexed,
                "inputs": paths,
            })
        except BaseException:
            store.discard(building)
            raise
    report.seconds = time.perf_counter() - started
    return report


def add(store: IndexStore, paths: Iterable, config: IngestConfig = IngestConfig(), *,
        procs: int | None = None, progress: Progress | None = None, wait: float = 30.0,
        memory_mb: int | None = None) -> BatchReport:
    """Add or replace, by id, the documents in ``paths`` (creating the index if needed)."""
    report = BatchReport()
    paths = [str(p) for p in paths]

    def feed(accept):
        jobs = _plan(paths, report)
        _feed(jobs, config, _procs_for(procs, jobs), progress, report, accept)

    return _add(store, feed, report, wait, memory_mb, purpose="adding files")


def add_records(store: IndexStore, records: Iterable, extractor: Extractor, *,
                wait: float = 30.0) -> BatchReport:
    """Add or replace documents given as records (or rejections, reported
    as they are): the path of documents sent over HTTP."""
    report = BatchReport()

    def feed(accept):
        _accept_all(extract_all(records, extractor), report, accept, Origin("request"))

    return _add(store, feed, report, wait, purpose="adding documents sent over HTTP")


def _add(store: IndexStore, feed, report: BatchReport, wait: float,
         memory_mb: int | None = None, purpose: str = "adding") -> BatchReport:
    started = time.perf_counter()
    with store.write_lock(wait=wait, purpose=purpose):
        _apply_journal(store)  # writes acknowledged before this one come first
        _commit(store, report, feed=feed, memory_mb=memory_mb)
    report.generation = store.current_name()
    report.seconds = time.perf_counter() - started
    return report


def _commit(store: IndexStore, report: BatchReport, *, feed=None, removals: Iterable[str] = (),
            memory_mb: int | None = None, unknown_ok: bool = False, merge: bool = True) -> None:
    """One Whoosh commit, under the write lock: delete ``removals`` (ids;
    unknown ones are rejected, or skipped if ``unknown_ok``), then add or
    replace what ``feed`` hands to its ``accept``; the vocabulary and the
    metadata follow. Segments due to merge are merged in the same commit,
    unless ``merge`` is False."""
    if feed is None:
        path = store.current_path()
    else:
        try:
            path = store.current_path()
        except IndexMissing:
            path = _create_empty(store)
    ix = store.open()
    writer = _writer(ix, memory_mb=memory_mb)
    checker = _Checker()
    vocabulary = Vocabulary.load(path / VOCAB_FILE, for_writing=True)
    try:
        if vocabulary.generation is not None and vocabulary.generation != ix.latest_generation():
            vocabulary = _recount(writer.searcher(), path)
        # the writer's own searcher, which its update_document uses too (one
        # reader per commit, not two); the writer closes it when it ends
        searcher = writer.searcher()
        removed: set[str] = set()
        for doc_id in dict.fromkeys(removals):
            docnum = searcher.document_number(id=doc_id)
            if docnum is None:
                if not unknown_ok:
                    report.reject(Rejection(Origin(doc_id), "no document with this id"), doc_id)
            else:
                writer.delete_by_term("id", doc_id)
                removed.add(doc_id)
                _forget(vocabulary, searcher.stored_fields(docnum))
                report.deleted += 1
                report.items.append(ItemResult(doc_id, doc_id, "deleted"))
        if feed is not None:
            names = _Linker(ArchiveNames(), lambda: (
                term.decode("utf-8") for term in searcher.lexicon("person")) if "person" in writer.schema else ())

            def write(article: Article) -> None:
                # (the writer's schema: the index's would read the TOC again for each document)
                writer.update_document(**document_fields(article, writer.schema))
                vocabulary.add(article.id, article.title, article.terms)

            def accept(article: Article) -> str | None:
                reason = checker.check(article)
                if reason is not None:
                    return reason
                holder = searcher.document(sha=article.sha)
                # (a holder deleted or replaced earlier in this commit no longer holds it)
                if holder is not None and holder["id"] != article.id and holder["id"] not in checker.ids \
                        and holder["id"] not in removed:
                    return Duplicate(f"duplicate of {holder['id']!r} (same text, already indexed)")
                checker.remember(article)
                old = searcher.document_number(id=article.id)
                if old is not None:
                    _forget(vocabulary, searcher.stored_fields(old))
                names.hold_or(write, article)
                report.accepted(article, replaced=old is not None)
                return None

            feed(accept)
            names.release(write)
            report.linked_names = names.linked
        _commit_writer(writer, merge)
    except BaseException:
        _abandon(writer, ix)
        raise
    report.version = ix.latest_generation()
    count = sum(segment.doc_count() for segment in ix._segments())  # the TOC's figures: no reader opened
    ix.close()
    vocabulary.save(path / VOCAB_FILE, report.version)
    store.update_meta(documents=count, updated_at=_now())


def _recount(searcher, path) -> Vocabulary:
    """The vocabulary counted again from the documents the index holds, for
    one whose counts are not the index's (a writer killed between its commit
    and the vocabulary's save). It is saved whole at the end of the commit."""
    count = searcher.doc_count()
    log.warning("the vocabulary of %s is not the index's (a writer ended between committing and saving "
                "it?): counting it again from %d documents", path, count)
    vocabulary = Vocabulary.count(
        (stored["id"], stored.get("title"), stored_terms(stored.get("title"), stored.get("text", "")))
        for stored in searcher.documents())
    vocabulary._source = None  # (saved whole)
    return vocabulary


def apply_journal(store: IndexStore, *, wait: float = 30.0) -> BatchReport | None:
    """Commit, in one go, every write the journal holds (see
    :mod:`index.journal`); None when it holds none. Its report tells what
    became of each (a document whose text another took meanwhile is
    rejected here, after its acknowledgement)."""
    started = time.perf_counter()
    with store.write_lock(wait=wait, purpose="committing live writes"):
        report = _apply_journal(store)
    if report is not None:
        report.generation = store.current_name()
        report.seconds = time.perf_counter() - started
    return report


def _apply_journal(store: IndexStore) -> BatchReport | None:
    """Commit the journal's writes; then, in a commit of their own, merge
    the segments that are due: the writes are searchable without waiting
    for a merge (which costs about what indexing its documents again does)."""
    journal = Journal(store.root)
    upto = journal.seal()
    if upto is None:
        return None
    entries = latest(journal.sealed(upto))
    report = BatchReport()
    if entries:
        articles = [e.article for e in entries if isinstance(e, Put)]
        removals = [e.id for e in entries if isinstance(e, Delete)]
        if articles or store.current_name() is not None:  # deletes need an index to delete from
            # a delete of what never got committed (written and deleted
            # within one group) has nothing to delete
            _commit(store, report, removals=removals, unknown_ok=True, merge=False,
                    feed=(lambda accept: _accept_all(articles, report, accept, Origin("journal")))
                    if articles else None)
    journal.discard(upto)
    if entries and store.current_name() is not None:
        try:
            _merge_due(store)
        except Exception:  # the writes are committed; the merge is tried again after the next
            log.exception("merging segments after a commit failed")
    return report


def _create_empty(store: IndexStore):
    """Make an empty generation live (under the write lock)."""
    building = store.start_generation()
    try:
        ix = whoosh_index.create_in(str(building), make_schema())
        generation = ix.latest_generation()
        ix.close()
        Vocabulary().save(building / VOCAB_FILE, generation)
        store.publish(building, {"built_at": _now(), "documents": 0, "inputs": []})
    except BaseException:
        store.discard(building)
        raise
    return store.current_path()


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def delete(store: IndexStore, ids: Iterable[str], *, wait: float = 30.0) -> BatchReport:
    """Remove documents by id; unknown ids are reported as rejections."""
    started = time.perf_counter()
    report = BatchReport()
    with store.write_lock(wait=wait, purpose="deleting"):
        _apply_journal(store)
        _commit(store, report, removals=ids)
    report.generation = store.current_name()
    report.seconds = time.perf_counter() - started
    return report


def _forget(vocabulary: Vocabulary, stored: dict) -> None:
    """Take a document about to be replaced or deleted out of the counts."""
    vocabulary.remove(stored["id"], stored_terms(stored.get("title"), stored.get("text", "")))
