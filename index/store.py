"""Index generations on disk, swapped atomically.

Layout of an index directory::

    CURRENT                 name of the live generation (replaced atomically)
    g20261123T134512-3f2a/  a complete Whoosh index plus meta.json
    .building-.../          a rebuild in progress (never read by searchers)
    .lock                   held (flock) by the one process that writes
    .committer              held (flock) by the one server process that commits the journal

A rebuild writes a new generation next to the live one and then replaces
``CURRENT`` with ``os.replace``, so a searcher sees either the old index or
the new one, never a half-built one. A rebuild that dies (Ctrl-C, kill -9)
leaves ``CURRENT`` untouched; its ``.building-`` directory is removed by the
next writer. The generation before the live one is kept, so a searcher that
opened it just before a swap can finish; older ones are deleted.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import logging
import os
import secrets
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

from whoosh import index as whoosh_index

from .schema import SCHEMA_VERSION

__all__ = ["IndexStore", "IndexMissing", "IndexBusy"]

log = logging.getLogger(__name__)

_CURRENT = "CURRENT"
_META = "meta.json"


class IndexMissing(Exception):
    """There is no built index in the directory."""


class IndexBusy(Exception):
    """Another process is writing the index."""


def fsync_dir(path: Path) -> None:
    """Make a directory's entries (a file created, renamed or removed) durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_atomic(path: Path, data: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _holder(fd: int) -> str | None:
    """Who the lock file ``fd`` says holds it ("pid 4242, rebuilding since
    ..."), or None when it names no one."""
    data = os.pread(fd, 4096, 0)
    if not data.strip():
        return None
    try:
        record = json.loads(data)
        return f"pid {record['pid']}, {record['purpose']} since {record['since']}"
    except (ValueError, KeyError, TypeError):
        return "a process of an older tracuu"


class IndexStore:
    def __init__(self, root: str | Path):
        self.root = Path(root)

    # -- reading ------------------------------------------------------------

    def current_name(self) -> str | None:
        try:
            name = (self.root / _CURRENT).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        return name or None

    def stamp(self, generation: Path) -> tuple | None:
        """What a commit or a rebuild changes, cheaply read (two ``stat``
        calls): the modification times of the root (CURRENT replaced) and
        of ``generation``'s directory (a commit adds its files). Equal stamps
        may still hide a change made within the file system's clock tick,
        so a reader that skips looking on an equal stamp must still look
        now and then."""
        try:
            return self.root.stat().st_mtime_ns, generation.stat().st_mtime_ns
        except OSError:
            return None

    def current_path(self) -> Path:
        name = self.current_name()
        if name is None or not (self.root / name).is_dir():
            raise IndexMissing(f"no index in {self.root}")
        return self.root / name

    def open(self):
        """Open the live generation as a Whoosh index (raises IndexMissing)."""
        for attempt in range(10):
            path = self.current_path()
            try:
                return whoosh_index.open_dir(str(path))
            except whoosh_index.EmptyIndexError:
                raise IndexMissing(f"no index in {path}") from None
            except FileNotFoundError:
                # a commit deleted the TOC it replaced between Whoosh's listing and its reading
                if attempt == 9:
                    raise
                time.sleep(0.01)

    def meta(self) -> dict:
        """The live generation's metadata (build time, counts, schema version)."""
        path = self.current_path()
        try:
            return json.loads((path / _META).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {"generation": path.name}

    # -- writing ------------------------------------------------------------

    @contextmanager
    def write_lock(self, wait: float = 0.0, purpose: str = "writing"):
        """Hold the directory's write lock; raise IndexBusy, naming the
        holder, if another process keeps it longer than ``wait`` seconds.

        The lock is an ``flock``, which the kernel releases when its holder
        dies, however it dies: a writer killed with ``kill -9`` never blocks
        the next one. While held, the lock file names its holder (pid,
        ``purpose``, since when), and a clean release empties it; a writer
        that finds a name there took over from one that died holding the
        lock, and says so (its half-done work is discarded: see the
        module's docstring)."""
        self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.root / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            deadline = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise IndexBusy(f"{_holder(fd) or 'another process'} is writing the index in "
                                        f"{self.root}") from None
                    time.sleep(0.05)
            dead = _holder(fd)
            if dead:
                log.warning("the last writer of %s (%s) ended without finishing (killed?): its lock is "
                            "taken over, and what it left half-done is discarded", self.root, dead)
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps({"pid": os.getpid(), "purpose": purpose, "since": _now()}).encode(), 0)
            try:
                yield
            finally:
                os.ftruncate(fd, 0)  # released cleanly
        finally:
            os.close(fd)  # closing the descriptor releases the lock

    def take_duty(self, name: str) -> int | None:
        """A descriptor holding the lock ``name`` (a file in the root), or
        None when another process holds it. The lock lasts until the
        descriptor is closed or the process ends, however it ends: a duty
        one process of several performs, and another takes over if it dies."""
        self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.root / name, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        return fd

    def start_generation(self) -> Path:
        """Create an empty directory for a new generation (call under the lock)."""
        self._remove_stale()
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S")
        path = self.root / f".building-g{stamp}-{secrets.token_hex(2)}"
        path.mkdir(parents=True)
        return path

    def publish(self, building: Path, meta: dict) -> str:
        """Make a finished generation live and return its name (under the lock)."""
        name = building.name.removeprefix(".building-")
        meta = {**meta, "generation": name, "schema_version": SCHEMA_VERSION}
        _write_atomic(building / _META, json.dumps(meta, indent=2, ensure_ascii=False))
        final = self.root / name
        os.replace(building, final)
        previous = self.current_name()
        _write_atomic(self.root / _CURRENT, name + "\n")
        self._prune(keep={name, previous})
        return name

    def update_meta(self, **changes) -> None:
        """Rewrite the live generation's metadata after an in-place change."""
        path = self.current_path()
        meta = {**self.meta(), **changes}
        _write_atomic(path / _META, json.dumps(meta, indent=2, ensure_ascii=False))

    def discard(self, building: Path) -> None:
        shutil.rmtree(building, ignore_errors=True)

    def _remove_stale(self) -> None:
        for path in self.root.glob(".building-*"):
            shutil.rmtree(path, ignore_errors=True)

    def _prune(self, keep: set) -> None:
        for path in self.root.iterdir():
            if path.is_dir() and path.name.startswith("g") and path.name not in keep:
                shutil.rmtree(path, ignore_errors=True)
