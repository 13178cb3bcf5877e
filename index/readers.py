"""Segment readers shared by the snapshots of an index (and by the checks
a write makes before it is acknowledged).

Every commit makes a new snapshot, and Whoosh opens a reader per segment for
each: the term table, the stored fields' offsets, the field lengths, again
for segments that did not change (and ``Searcher.refresh`` cannot help: it
keeps the segments of the old reader that a merge removed). Here a reader is
opened once per segment *state* (its id and how many of its documents are
deleted: deletions only grow) and shared by every snapshot that holds that
state; it is closed when the last of them is. A new reader opens its
per-document files at once, so that a merge in another process deleting
them does not break the snapshots still reading the segment.
"""

from __future__ import annotations

import threading
import time

from whoosh.reading import EmptyReader, MultiReader, SegmentReader

__all__ = ["ReaderPool", "pin"]


def _key(ix, segment) -> tuple:
    return (str(getattr(ix.storage, "folder", id(ix.storage))), segment.segment_id(), segment.deleted_count())


def pin(reader) -> None:
    """Open now the per-document files Whoosh opens on first use (stored
    fields, field lengths) of one segment: another process's commit may
    merge the segment away and delete its files while a snapshot still
    answers from it, and a file held open stays readable, where one opened
    later is gone."""
    if reader.doc_count_all():
        reader.stored_fields(0)
        for name in reader.schema.scorable_names():
            reader.doc_field_length(0, name)


class _Shared(SegmentReader):
    """A segment reader that a snapshot releases instead of closing."""

    pool: "ReaderPool"
    key: tuple

    def close(self):
        self.pool._release(self.key)


class _Multi(MultiReader):
    def close(self):
        for reader in self.readers:
            reader.close()  # releases each
        self.is_closed = True


class ReaderPool:
    def __init__(self):
        self._open: dict[tuple, list] = {}  # key -> [reader, users]
        self._lock = threading.Lock()
        # Held by whoever reads through the shared readers: Whoosh's segment
        # readers seek and read one file handle, so two threads may not read
        # one at once (a server's searches and its write checks).
        self.read_lock = threading.RLock()

    def reader(self, ix):
        """A reader of ``ix``'s latest generation, made of shared segment
        readers (close it as any reader: that releases them)."""
        for attempt in range(10):
            taken: list = []
            try:
                # a commit deletes the TOC it replaces: one listed may be gone when opened
                info = ix._read_toc()
                for segment in info.segments:
                    taken.append(self._acquire(ix, info, segment))
            except OSError:  # a merge deleted a segment between the TOC and its files: read again
                for reader in taken:
                    reader.close()
                if attempt == 9:
                    raise
                time.sleep(0.05)
                continue
            if not taken:
                return EmptyReader(info.schema)
            # a MultiReader even for one segment: it carries this TOC's
            # generation, where a shared segment reader carries the one it
            # was opened at
            return _Multi(taken, generation=info.generation)

    def _acquire(self, ix, info, segment):
        key = _key(ix, segment)
        with self._lock:
            entry = self._open.get(key)
            if entry is not None:
                entry[1] += 1
                return entry[0]
        reader = _Shared(ix.storage, info.schema, segment, generation=info.generation)
        reader.pool, reader.key = self, key
        try:
            pin(reader)
        except BaseException:
            SegmentReader.close(reader)
            raise
        with self._lock:
            entry = self._open.get(key)
            if entry is not None:  # another thread opened it meanwhile
                entry[1] += 1
                SegmentReader.close(reader)
                return entry[0]
            self._open[key] = [reader, 1]
            return reader

    def _release(self, key: tuple) -> None:
        with self._lock:
            entry = self._open.get(key)
            if entry is None:
                return
            entry[1] -= 1
            if entry[1] > 0:
                return
            del self._open[key]
        SegmentReader.close(entry[0])

    def __len__(self) -> int:
        return len(self._open)
