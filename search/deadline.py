"""A time budget for one search: the parts that can be slow check it.

When it runs out, they stop and the search answers with what it has found,
flagged ``partial``.
"""

from __future__ import annotations

import time
from typing import Callable

__all__ = ["Deadline", "Clock"]

Clock = Callable[[], float]


class Deadline:
    """``seconds`` from now on ``clock`` (a monotonic clock in seconds;
    tests pass one they control)."""

    def __init__(self, seconds: float | None, clock: Clock = time.monotonic):
        self.clock = clock
        self.end = None if seconds is None else clock() + seconds
        self.fired = False

    def remaining(self) -> float:
        if self.end is None:
            return float("inf")
        return max(0.0, self.end - self.clock())

    def expired(self) -> bool:
        """True (and remembered) once the time is up."""
        if not self.fired and self.end is not None and self.clock() >= self.end:
            self.fired = True
        return self.fired


NO_DEADLINE = Deadline(None)
