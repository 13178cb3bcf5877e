"""Every setting tracuu reads, declared once: name, default and help.

A setting named ``index`` is read from the environment variable
``TRACUU_INDEX``; a command-line option or an app's ``config`` argument
overrides it. Values are parsed and validated when settings load, so a bad
value stops start-up with a message that names the variable.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping

__all__ = ["Setting", "SETTINGS", "Settings", "SettingsError", "load_settings", "default_instance_path"]

PREFIX = "TRACUU_"


class SettingsError(ValueError):
    """A setting with a value that cannot be used."""


def _path(value: str) -> Path:
    if not value.strip():
        raise ValueError("must be a path")
    return Path(value).expanduser()


def _paths(value: str) -> tuple[Path, ...]:
    return tuple(Path(p).expanduser() for p in value.split(os.pathsep) if p.strip())


def _existing_files(value: str) -> tuple[Path, ...]:
    paths = _paths(value)
    for p in paths:
        if not p.is_file():
            raise ValueError(f"{p} is not a file")
    return paths


def _existing_file(value: str) -> Path:
    path = _path(value)
    if not path.is_file():
        raise ValueError(f"{path} is not a file")
    return path


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    parse: Callable[[str], Any] = str

    @property
    def env(self) -> str:
        return PREFIX + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting("index", None,
            "Directory that holds the index. Default: the 'index' folder inside the "
            "instance folder (./instance/index in a source checkout).", _path),
    Setting("sources", (),
            "Extra news-outlet files (TOML, shaped like index/data/sources.toml), "
            "separated by ':'. Their outlets are added to the built-in ones.", _existing_files),
    Setting("people", (),
            "Extra people registries (TOML, shaped like index/data/people.toml), separated "
            "by ':'. Their people are added to the built-in registry; an entry with an "
            "existing key replaces it.", _existing_files),
    Setting("places", (),
            "Extra place-name lists (TOML, shaped like index/data/places.toml), separated "
            "by ':': names that must never be taken for people.", _existing_files),
    Setting("topics", None,
            "A topic taxonomy (TOML, shaped like index/data/topics.toml) that replaces "
            "the built-in one.", _existing_file),
)

_BY_NAME = {s.name: s for s in SETTINGS}


class Settings(Mapping):
    """Validated settings, read as ``settings["index"]`` or ``settings.index``."""

    def __init__(self, values: dict):
        self._values = values

    def __getitem__(self, key):
        return self._values[key]

    def __getattr__(self, key):
        try:
            return self._values[key]
        except KeyError:
            raise AttributeError(key) from None

    def __iter__(self):
        return iter(self._values)

    def __len__(self):
        return len(self._values)


def default_instance_path() -> Path:
    """Flask's instance folder for this app: ``instance/`` next to the
    packages in a checkout, ``<prefix>/var/api-instance`` when installed."""
    from flask.sansio.scaffold import find_package

    prefix, package_path = find_package("api")
    if prefix is None:
        return Path(package_path) / "instance"
    return Path(prefix) / "var" / "api-instance"


def load_settings(environ: Mapping[str, str] | None = None,
                  overrides: Mapping[str, Any] | None = None) -> Settings:
    """Defaults, then ``TRACUU_*`` variables, then ``overrides`` (already typed,
    or strings to parse). Raises SettingsError naming the bad setting."""
    environ = os.environ if environ is None else environ
    values = {s.name: s.default for s in SETTINGS}
    for setting in SETTINGS:
        raw = environ.get(setting.env)
        if raw is not None and raw != "":
            try:
                values[setting.name] = setting.parse(raw)
            except ValueError as exc:
                raise SettingsError(f"{setting.env}={raw!r}: {exc}") from None
    for name, value in (overrides or {}).items():
        if name not in _BY_NAME:
            raise SettingsError(f"unknown setting {name!r}")
        if value is None:
            continue
        if isinstance(value, str):
            try:
                value = _BY_NAME[name].parse(value)
            except ValueError as exc:
                raise SettingsError(f"{name}={value!r}: {exc}") from None
        values[name] = value
    if values["index"] is None:
        values["index"] = default_instance_path() / "index"
    return Settings(values)
