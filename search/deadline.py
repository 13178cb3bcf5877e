"""A time budget for one search: the parts that can be slow check it.

When it runs out, they stop and the search answers with what it has found,
flagged ``partial``.
"""

from __future__ import annotations

import time

__all__ = ["Deadline"]


class Deadline:
    def __init__(self, seconds: float | None):
        self.end = None if seconds is None else time.monotonic() + seconds
        self.fired = False

    def remaining(self) -> float:
        if self.end is None:
            return float("inf")
        return max(0.0, self.end - time.monotonic())

    def expired(self) -> bool:
        """True (and remembered) once the time is up."""
        if not self.fired and self.end is not None and time.monotonic() >= self.end:
            self.fired = True
        return self.fired


NO_DEADLINE = Deadline(None)
