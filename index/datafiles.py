"""Reading the TOML data files (built-in ones in ``index/data/`` and the
extra ones users name in settings)."""

from __future__ import annotations

import tomllib
from pathlib import Path

__all__ = ["read_toml"]


def read_toml(path: Path) -> dict:
    """The file's table; ValueError naming the file when it is not valid TOML."""
    with open(path, "rb") as f:
        try:
            return tomllib.load(f)
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"{path}: {exc}") from None
