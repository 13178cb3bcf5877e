"""Worker processes that die with the process that started them.

A ``tracuu rebuild`` or ``tracuu add`` killed with ``kill -9`` cannot tell its
workers (the extraction pool, Whoosh's writer processes) to stop; without
help they run on, holding memory and the half-built generation's files. Each
worker calls :func:`die_with_parent` first: on Linux the kernel then sends it
SIGKILL when its parent dies (``prctl(PR_SET_PDEATHSIG)``); elsewhere a
daemon thread notices the parent is gone within a second and exits. Linux
counts the death of the parent *thread* that started the worker, so workers
are started from the command's main thread (as every caller here does).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

__all__ = ["die_with_parent", "signal_on_parent_death"]

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Make this process end when its parent does (call it in the child),
    or at once if the parent is already gone (a spawned worker still
    importing when its command was killed: its parent is then init's)."""
    parent = _parent_pid()
    if os.getppid() != parent:
        os._exit(1)
    if sys.platform.startswith("linux") and _pdeathsig():
        if os.getppid() != parent:  # the parent died before the signal was armed
            os._exit(1)
        return
    threading.Thread(target=_watch, args=(parent,), name="lifeline", daemon=True).start()


def _parent_pid() -> int:
    """The pid of the process that started this one, as it was at the start
    (not ``getppid()`` now, which is init's once the parent is dead)."""
    import multiprocessing

    parent = multiprocessing.parent_process()
    return parent.pid if parent is not None and parent.pid is not None else os.getppid()


def signal_on_parent_death(sig: int = signal.SIGTERM) -> None:
    """Have this process sent ``sig`` when its parent ends (call it from
    the main thread): a server started by a tool (``make run``) that is
    itself stopped or killed then shuts down as it would on ``sig``,
    instead of running on orphaned."""
    parent = os.getppid()
    if sys.platform.startswith("linux") and _pdeathsig(sig):
        if os.getppid() != parent:  # the parent died before the signal was armed
            os.kill(os.getpid(), sig)
        return

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os.kill(os.getpid(), sig)

    threading.Thread(target=watch, name="lifeline", daemon=True).start()


def _pdeathsig(sig: int = signal.SIGKILL) -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, sig, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)
