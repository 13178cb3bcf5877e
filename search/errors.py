"""Errors of the read path. Each names the request parameter at fault.

    SearchError              a request that cannot be answered as asked
    ├── QuerySyntaxError     q cannot be parsed (an unclosed quote, ...)
    └── QueryValueError      a filter or option has the wrong shape
"""

from __future__ import annotations

__all__ = ["SearchError", "QuerySyntaxError", "QueryValueError"]


class SearchError(ValueError):
    def __init__(self, param: str, message: str):
        super().__init__(message)
        self.param = param
        self.message = message


class QuerySyntaxError(SearchError):
    """A query that cannot be parsed; ``position`` is a 0-based character offset."""

    def __init__(self, message: str, position: int):
        super().__init__("q", f"{message} (at character {position + 1})")
        self.position = position


class QueryValueError(SearchError):
    """A value of the wrong shape (``year:20x3``, ``per_page=500``)."""
