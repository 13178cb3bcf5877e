"""Printing a generated data file's TOML array (for the scripts in bench/
that build index/data files from reference lists)."""

from __future__ import annotations


def print_array(name: str, items: list[str], width: int = 92) -> None:
    """``name = [ ... ]`` with the items quoted, lines at most ``width`` wide."""
    print(f"{name} = [")
    line = "   "
    for item in items:
        quoted = f' "{item}",'
        if len(line) + len(quoted) > width:
            print(line)
            line = "   "
        line += quoted
    print(line)
    print("]")
