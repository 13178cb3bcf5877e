"""Rebuilds on a Dask cluster: the input split into parts, each part parsed,
extracted, analysed and written as an index segment by a worker, and the
segments made one generation, swapped in as a one-machine rebuild is.

Two rounds of tasks, so that what a rebuild decides across the whole input
comes out as it does on one machine:

1. **extract** (one task per part): parse and extract the part's articles,
   keep them in a file next to the new generation, and hand back what the
   coordinator needs to decide across parts: each article's id, text hash
   and the people it names without diacritics (whom a Sino-Vietnamese name
   may be linked to), and the part's rejections.
2. The coordinator refuses a second document with an id or a text already
   seen, in input order (:class:`index.writer._Checker`, as a rebuild does),
   and learns the archive's pinyin names from the articles kept, in the same
   order (:class:`index.hanviet.ArchiveNames`).
3. **write** (one task per part): link the part's Sino-Vietnamese names
   with what the whole archive taught, and write the articles kept as a
   Whoosh segment of the part's own; hand back the segment and the part's
   vocabulary counts.
4. The coordinator moves the segments' files into the new generation,
   writes one table of contents listing them all, sums the vocabularies and
   publishes the generation (:meth:`index.store.IndexStore.publish`).

The parts' files and segments are written under the new generation's
directory, which every worker must reach by the same path (one machine, or
a shared file system), as it must the input files. Dask retries a task
whose worker dies; a task that keeps failing fails the rebuild, and the
live index stays as it was (the new generation is discarded).
"""

from __future__ import annotations

import os
import pickle
import shutil
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC

from .document import Article, Origin, Rejection
from .hanviet import ArchiveNames
from .ingest import Extractor, IngestConfig, process_job
from .parse import Job
from .schema import Codec, document_fields, make_schema
from .store import IndexStore
from .vocabulary import VOCAB_FILE, Vocabulary
from .writer import BatchReport, Progress, _Checker, _estimate, _now, _plan, default_memory_mb

__all__ = ["rebuild_on_cluster", "partition"]

INDEXNAME = "MAIN"


@dataclass
class _Seen:
    """What the coordinator needs of an extracted article (the article
    itself stays with the worker)."""

    id: str
    sha: str
    origin: Origin | None
    warnings: list = field(default_factory=list)
    persons: list = field(default_factory=list)  # the ones named without diacritics
    position: int = 0  # in its part


def partition(jobs: list[Job], parts: int) -> list[list[Job]]:
    """``jobs`` in at most ``parts`` runs of about equal size (in
    documents), in order."""
    total = max(1, _estimate(jobs))
    out: list[list[Job]] = [[]]
    done = 0
    for job in jobs:
        if out[-1] and done >= total * len(out) / parts and len(out) < parts:
            out.append([])
        out[-1].append(job)
        done += _estimate([job])
    return [part for part in out if part]


_EXTRACTORS: dict = {}


def _extractor(config: IngestConfig) -> Extractor:
    """One extractor per worker process and configuration (loading the
    registries takes a while)."""
    key = pickle.dumps(config)
    if key not in _EXTRACTORS:
        _EXTRACTORS.clear()
        _EXTRACTORS[key] = Extractor(config)
    return _EXTRACTORS[key]


def _slim(job: Job) -> tuple[Job, int]:
    """A job as sent to a worker: a JSON Lines job without its lines (the
    worker reads them from the file: the whole input in the task graph made
    35 MB on the shared corpus), and how many there are."""
    if job.kind != "jsonl":
        return job, 0
    return replace(job, lines=()), len(job.lines)


def _read_lines(jobs: list[tuple[Job, int]]) -> list[Job]:
    """The jobs with their lines again, each file read once."""
    files: dict[str, list[bytes]] = {}
    out = []
    for job, count in jobs:
        if job.kind == "jsonl":
            if job.path not in files:
                with open(job.path, "rb") as f:
                    files[job.path] = f.read().split(b"\n")
            job = replace(job, lines=tuple(files[job.path][job.first_line - 1:job.first_line - 1 + count]))
        out.append(job)
    return out


def _extract_part(number: int, slim: list[tuple[Job, int]], config: IngestConfig, work: str) -> tuple:
    """Task 1: the part's articles kept in ``work``; what the coordinator
    needs of each, and the rejections, in input order."""
    extractor = _extractor(config)
    articles: list[Article] = []
    seen: list = []
    for job in _read_lines(slim):
        for item in process_job(job, extractor):
            if isinstance(item, Rejection):
                seen.append(item)
                continue
            seen.append(_Seen(item.id, item.sha, item.origin or Origin(job.path), list(item.warnings),
                              [p for p in item.persons if not _marked(p.label)], len(articles)))
            articles.append(item)
    path = Path(work) / f"part-{number:05d}.pickle"
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    with open(tmp, "wb") as f:
        pickle.dump(articles, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)  # (a task run again, its worker having died, writes it again whole)
    return number, seen


def _marked(label: str) -> bool:
    from .normalize import has_diacritics

    return has_diacritics(label)


def _write_part(number: int, keep: list[int], known: dict, work: str, memory_mb: int) -> tuple:
    """Task 2: the kept articles of part ``number`` as one Whoosh segment
    in a directory of the part's own; the segment, its vocabulary and the
    names linked."""
    source = Path(work) / f"part-{number:05d}.pickle"
    with open(source, "rb") as f:
        articles = pickle.load(f)
    names = ArchiveNames()
    names.known = known
    target = Path(work) / f"part-{number:05d}"
    shutil.rmtree(target, ignore_errors=True)  # what a worker that died in this task left
    target.mkdir()
    ix = whoosh_index.create_in(str(target), make_schema(), indexname=INDEXNAME)
    writer = ix.writer(limitmb=max(32, memory_mb), compound=False, codec=Codec())
    vocabulary = Vocabulary()
    linked = 0
    held = []
    try:
        for position in keep:
            article = articles[position]
            if article.chinese_readings:
                held.append(article)  # written last, as a one-machine rebuild does
                continue
            writer.add_document(**document_fields(article))
            vocabulary.add(article.id, article.title, article.terms)
        for article in held:
            linked += names.link(article)
            writer.add_document(**document_fields(article))
            vocabulary.add(article.id, article.title, article.terms)
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    segments = ix._segments()
    ix.close()
    vocabulary._changes = []
    return number, segments, vocabulary, linked


def rebuild_on_cluster(store: IndexStore, paths: Iterable, config: IngestConfig = IngestConfig(), *,
                       client, parts: int | None = None, progress: Progress | None = None,
                       memory_mb: int | None = None, wait: float = 30.0) -> BatchReport:
    """Build a new generation from ``paths`` with the workers of the Dask
    ``client`` and make it live; as :func:`index.writer.rebuild` otherwise.
    ``parts``: how many parts to split the input into (default: two per
    worker thread)."""
    from distributed import as_completed

    started = time.perf_counter()
    report = BatchReport()
    paths = [str(p) for p in paths]
    workers = client.scheduler_info().get("workers", {})
    slots = max(1, sum(w.get("nthreads", 1) for w in workers.values()))
    with store.write_lock(wait=wait, purpose="rebuilding on a cluster"):
        jobs = _plan(paths, report)
        building = store.start_generation()
        try:
            work = building / ".parts"
            work.mkdir()
            split = partition(jobs, parts or 2 * slots)
            if progress is not None:
                progress.reset(total=_estimate(jobs))
            futures = client.map(_extract_part, range(len(split)), [[_slim(j) for j in part] for part in split],
                                 config=config, work=str(work), pure=False)
            by_part: dict[int, list] = {}
            for future in as_completed(futures):
                number, seen = future.result()
                by_part[number] = seen
                if progress is not None:
                    progress.update(_estimate(split[number]))
            # across parts, in input order: duplicates refused, names learned
            checker = _Checker()
            archive = ArchiveNames()
            keep: dict[int, list[int]] = {}
            for number in range(len(split)):
                kept = keep.setdefault(number, [])
                for item in by_part[number]:
                    if isinstance(item, Rejection):
                        report.reject(item)
                        continue
                    reason = checker.check(item)
                    if reason:
                        report.reject(Rejection(item.origin, reason), item.id)
                        continue
                    checker.remember(item)
                    for person in item.persons:
                        archive.known.setdefault(person.key.replace("-", ""), person)
                    report.accepted(item, replaced=False)
                    kept.append(item.position)
            share = max(32, (memory_mb or default_memory_mb()) // slots)
            # (sent to every worker once, not with each task)
            [known] = client.scatter([archive.known], broadcast=True)
            written = client.map(_write_part, list(keep), list(keep.values()), known=known,
                                 work=str(work), memory_mb=share, pure=False)
            segments: dict[int, list] = {}
            vocabulary = Vocabulary()
            for future in as_completed(written):
                number, part_segments, part_vocabulary, linked = future.result()
                segments[number] = part_segments
                _add_counts(vocabulary, part_vocabulary)
                report.linked_names += linked
            generation = _assemble(building, work, [s for n in sorted(segments) for s in segments[n]])
            vocabulary.save(building / VOCAB_FILE, generation)
            report.generation = store.publish(building, {
                "built_at": _now(),
                "documents": report.indexed,
                "inputs": paths,
                "cluster": {"parts": len(split), "workers": len(workers)},
            })
        except BaseException:
            store.discard(building)
            raise
    report.seconds = time.perf_counter() - started
    return report


def _add_counts(total: Vocabulary, part: Vocabulary) -> None:
    total.words.update(part.words)
    total.exact.update(part.exact)
    total.phrases.update(part.phrases)
    total.titles.update(part.titles)
    total.documents += part.documents


def _assemble(building: Path, work: Path, segments: list) -> int:
    """Move the parts' segment files into ``building`` and write one table
    of contents listing every segment; its generation."""
    for part in sorted(p for p in work.iterdir() if p.is_dir()):
        for name in os.listdir(part):
            if name.startswith(INDEXNAME + "_") and name != f"{INDEXNAME}_WRITELOCK":
                os.replace(part / name, building / name)
    shutil.rmtree(work)
    storage = FileStorage(str(building))
    schema = make_schema()
    if not segments:
        whoosh_index.create_in(str(building), schema, indexname=INDEXNAME).close()
        return 0
    TOC(schema, segments, 1).write(storage, INDEXNAME)
    return 1
