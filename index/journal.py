"""The write journal: writes acknowledged once durable, committed in groups.

A write sent over HTTP is extracted, appended here and flushed to disk
(``fsync``), and then acknowledged; whoever next takes the index's write
lock (a background committer once per refresh interval, a request that asks
for ``refresh=true``, or ``tracuu add``/``delete``) applies everything
appended so far in one Whoosh commit. A burst of single-article writes is
therefore one new segment per interval, not one per article, and a write
costs its client an append, not a commit.

Layout, under the index directory::

    journal/.lock             held (flock) while appending or sealing
    journal/000000000007.log  the open file: appends go here
    journal/000000000006.log  sealed: being applied (removed once committed)

Each append is one frame: a magic word, the payload's length and CRC-32,
then the payload (the pickled list of the batch's :class:`Put` and
:class:`Delete` entries). An append that dies half-way (``kill -9``) was
never acknowledged; its torn frame is skipped whole, so a batch is committed
entirely or not at all, and frames after it are found again by their magic
word.

Applying is idempotent (a put replaces by id, a delete of a missing id does
nothing), so a committer that dies after committing but before removing the
sealed files costs only a second application of the same group.
"""

from __future__ import annotations

import fcntl
import os
import pickle
import struct
import time
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .document import Article
from .store import fsync_dir

__all__ = ["Journal", "Put", "Delete", "JOURNAL_DIR"]

JOURNAL_DIR = "journal"
_MAGIC = b"TqJ1"
_HEAD = struct.Struct(">4sII")  # magic, payload length, CRC-32 of the payload
_SUFFIX = ".log"


@dataclass(frozen=True)
class Put:
    article: Article

    @property
    def id(self) -> str:
        return self.article.id


@dataclass(frozen=True)
class Delete:
    id: str


Entry = Put | Delete


def _frame(entries: list[Entry]) -> bytes:
    # an Article's vocabulary terms are kept: the committer needs them
    payload = pickle.dumps(list(entries), protocol=pickle.HIGHEST_PROTOCOL)
    return _HEAD.pack(_MAGIC, len(payload), zlib.crc32(payload)) + payload


def _frames(data: bytes) -> Iterator[Entry]:
    """Entries in a file's bytes; a torn or corrupt frame is skipped and
    reading goes on at the next magic word. (A frame holds a batch, or one
    entry as journals written before batches were framed whole do.)"""
    pos = 0
    while True:
        start = data.find(_MAGIC, pos)
        if start < 0 or start + _HEAD.size > len(data):
            return
        _, length, crc = _HEAD.unpack_from(data, start)
        body = data[start + _HEAD.size:start + _HEAD.size + length]
        if len(body) == length and zlib.crc32(body) == crc:
            try:
                entry = pickle.loads(body)
            except Exception:  # written by another version of tracuu: not ours to guess
                entry = None
            batch = entry if isinstance(entry, list) else [entry]
            if all(isinstance(e, (Put, Delete)) for e in batch):
                yield from batch
                pos = start + _HEAD.size + length
                continue
        pos = start + 1


class Journal:
    def __init__(self, root: str | Path):
        self.dir = Path(root) / JOURNAL_DIR

    # -- files ----------------------------------------------------------------

    def _numbers(self) -> list[int]:
        try:
            names = os.listdir(self.dir)
        except FileNotFoundError:
            return []
        return sorted(int(n[:-len(_SUFFIX)]) for n in names
                      if n.endswith(_SUFFIX) and n[:-len(_SUFFIX)].isdigit())

    def _path(self, number: int) -> Path:
        return self.dir / f"{number:012d}{_SUFFIX}"

    @contextmanager
    def _locked(self):
        self.dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.dir / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # releases the lock

    def _open_number(self) -> int:
        """The file appends go to (created if there is none), under the lock."""
        numbers = self._numbers()
        if numbers:
            return numbers[-1]
        self._path(1).touch()
        fsync_dir(self.dir)
        return 1

    # -- writing ----------------------------------------------------------------

    def append(self, entries: list[Entry]) -> int:
        """Append ``entries`` durably (one fsync), all or none of them;
        returns the number of the file that holds them, for :meth:`applied`."""
        data = _frame(entries)
        with self._locked():
            number = self._open_number()
            with open(self._path(number), "ab") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
        return number

    def seal(self) -> int | None:
        """Close the open file to appends (a new one takes them) and return
        the highest sealed number, or None when nothing waits. Called by
        the one writer that holds the index's write lock."""
        with self._locked():
            numbers = self._numbers()
            if not numbers or (len(numbers) == 1 and self._path(numbers[0]).stat().st_size == 0):
                return None
            last = numbers[-1]
            if self._path(last).stat().st_size == 0:
                return numbers[-2]  # the open file is empty: what is before it is sealed
            self._path(last + 1).touch()
            fsync_dir(self.dir)
            return last

    def sealed(self, upto: int) -> list[Entry]:
        """The entries of every file up to ``upto``, in the order written."""
        out: list[Entry] = []
        for number in self._numbers():
            if number > upto:
                break
            try:
                data = self._path(number).read_bytes()
            except FileNotFoundError:  # committed and discarded since it was listed
                continue
            out.extend(_frames(data))
        return out

    def entries(self) -> list[Entry]:
        """Every entry not yet committed, in the order written."""
        numbers = self._numbers()
        return self.sealed(numbers[-1]) if numbers else []

    def discard(self, upto: int) -> None:
        """Remove the files up to ``upto`` once what they hold is committed."""
        for number in self._numbers():
            if number > upto:
                break
            self._path(number).unlink(missing_ok=True)
        fsync_dir(self.dir)

    # -- reading --------------------------------------------------------------

    def pending(self) -> bool:
        """Whether anything appended is not yet committed (a stat or two)."""
        numbers = self._numbers()
        if len(numbers) != 1:
            return len(numbers) > 1
        try:
            return self._path(numbers[0]).stat().st_size > 0
        except FileNotFoundError:  # sealed and discarded meanwhile
            return self.pending()

    def applied(self, number: int) -> bool:
        """Whether what was appended to file ``number`` is committed."""
        numbers = self._numbers()
        return not numbers or numbers[0] > number

    def wait_applied(self, number: int, timeout: float, poll: float = 0.01) -> bool:
        deadline = time.monotonic() + timeout
        while not self.applied(number):
            if time.monotonic() >= deadline:
                return False
            time.sleep(poll)
        return True


def latest(entries: list[Entry]) -> list[Entry]:
    """The last entry per id, in the order of those last entries: a put
    then a delete of one id is a delete, two puts are the second."""
    last: dict[str, Entry] = {}
    for entry in entries:
        last.pop(entry.id, None)
        last[entry.id] = entry
    return list(last.values())
