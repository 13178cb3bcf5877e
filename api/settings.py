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

__all__ = ["Setting", "SETTINGS", "Settings", "SettingsError", "load_settings", "default_instance_path",
           "settings_table"]

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


def _int(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise ValueError("must be a whole number") from None


def _positive_int(value: str) -> int:
    number = _int(value)
    if number < 1:
        raise ValueError("must be a whole number of at least 1")
    return number


def _non_negative_int(value: str) -> int:
    number = _int(value)
    if number < 0:
        raise ValueError("must be a whole number of at least 0")
    return number


def _float(value: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise ValueError("must be a number") from None


def _positive_float(value: str) -> float:
    number = _float(value)
    if not number > 0:
        raise ValueError("must be a number above 0")
    return number


def _non_negative_float(value: str) -> float:
    number = _float(value)
    if not number >= 0:
        raise ValueError("must be a number of at least 0")
    return number


def _port(value: str) -> int:
    number = _int(value)
    if not 1 <= number <= 65535:
        raise ValueError("must be a port number (1-65535)")
    return number


def _secret(value: str) -> str:
    if len(value) < 16:
        raise ValueError("must be at least 16 characters long")
    return value


def _origins(value: str) -> tuple[str, ...]:
    origins = tuple(o.strip().rstrip("/") for o in value.split(",") if o.strip())
    for origin in origins:
        if origin != "*" and not (origin.startswith(("http://", "https://")) and origin.count("/") == 2):
            raise ValueError(f"{origin!r} is not an origin such as https://example.org")
    return origins


def _networks(value: str) -> tuple:
    import ipaddress

    out = []
    for item in (v.strip() for v in value.split(",")):
        if not item:
            continue
        try:
            out.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ValueError(f"{item!r} is not an IP address or network such as 10.0.0.0/8") from None
    return tuple(out)


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
    Setting("write_key", None,
            "Bearer key that PUT, POST and DELETE on /api/documents must present "
            "(Authorization: Bearer <key>). Unset: writes are refused with 403.", _secret),
    Setting("cors_origins", (),
            "Origins (scheme://host[:port]) allowed to call the GET endpoints from a browser, "
            "separated by commas; '*' allows any. Unset: same origin only.", _origins),
    Setting("index_memory", None,
            "Megabytes of postings `tracuu rebuild` and `tracuu add` may hold in memory "
            "before spilling sorted runs to disk (slower); processes grow to about 1.6 "
            "times this. Default: a quarter of physical memory, at most 8192.", _positive_int),
    Setting("host", "127.0.0.1", "Address `tracuu serve` listens on.", str),
    Setting("port", 8000, "Port `tracuu serve` listens on.", _port),
    Setting("workers", None, "Worker processes of `tracuu serve`. Default: one per core.", _positive_int),
    Setting("threads", 16,
            "Requests one worker of `tracuu serve` takes in at once, each on a thread of "
            "its own (more wait in the listening socket's queue for whichever worker is "
            "free first): searches take turns, one at a time, a write takes the next turn, "
            "and suggestions, facet values and document fetches take none, so a write is "
            "acknowledged in about 0.1 s under a full search load. 1: one request at a "
            "time (gunicorn's sync worker), and a write waits in the socket's queue with "
            "the searches, about a search's time under load (see the README).",
            _positive_int),
    Setting("max_query_length", 500, "Longest accepted q, in characters.", _positive_int),
    Setting("query_timeout", 2.0,
            "Seconds a search may spend ranking before it answers with what it has "
            "(partial: true).", _positive_float),
    Setting("max_per_page", 100, "Largest per_page.", _positive_int),
    Setting("max_window", 1000,
            "Deepest result reachable by paging (page × per_page); deeper pages are refused "
            "with 400, as Elasticsearch and Meilisearch do.", _positive_int),
    Setting("max_body_bytes", 10 * 1024 * 1024,
            "Largest request body for document writes, in bytes (larger: 413).", _positive_int),
    Setting("rate_limit", 600,
            "Requests per minute one client address may make (more: 429). 0 turns the "
            "limit off.", _non_negative_int),
    Setting("trusted_proxies", (),
            "Addresses or networks (10.0.0.0/8) of the reverse proxies in front of the server, "
            "separated by commas. A request from one of them is counted, for the rate limit, "
            "against the client its X-Forwarded-For names (the last address there that is not "
            "a trusted proxy); from any other address, against that address (X-Forwarded-For "
            "ignored: anyone can send one). Unset: every request counts against its peer "
            "address, so clients behind one proxy share one limit.", _networks),
    Setting("cache_max_age", 60, "Seconds browsers and proxies may cache GET answers.", _non_negative_int),
    Setting("refresh_interval", 1.0,
            "Seconds within which an acknowledged write becomes searchable (plus the "
            "commit's own time): a write saved in the journal is committed as soon as the "
            "last commit is three quarters of the interval old, with every write that waits, "
            "and each server process reopens the "
            "index when its directory changed (and looks every quarter interval in any "
            "case), so a burst of writes is one commit and one reopening per three quarters "
            "of the interval, not one per write. 0 commits each write in its request and "
            "looks before every request.", _non_negative_float),
    Setting("suggest_refresh", 120.0,
            "Seconds between background rebuilds of the suggestions while articles are "
            "written: they may lag a write by this much (plus the building, about 1 s of CPU "
            "per server process on 14k articles, taken from searches); search results, facet "
            "counts and did-you-mean never lag. 0 rebuilds after every write.", _non_negative_float),
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
                shown = "<hidden>" if setting.name == "write_key" else repr(raw)
                raise SettingsError(f"{setting.env}={shown}: {exc}") from None
    for name, value in (overrides or {}).items():
        if name not in _BY_NAME:
            raise SettingsError(f"unknown setting {name!r}")
        if value is None:
            continue
        if isinstance(value, str) or (isinstance(value, (int, float)) and not isinstance(value, bool)):
            try:
                value = _BY_NAME[name].parse(str(value))
            except ValueError as exc:
                shown = "<hidden>" if name == "write_key" else repr(value)
                raise SettingsError(f"{name}={shown}: {exc}") from None
        values[name] = value
    if values["index"] is None:
        values["index"] = default_instance_path() / "index"
    return Settings(values)


def settings_table() -> str:
    """Every setting as a Markdown table (the README's, and `tracuu settings`)."""
    rows = ["| variable | default | meaning |", "| --- | --- | --- |"]
    for s in SETTINGS:
        if s.default is None or s.default == ():
            default = "—"
        else:
            default = f"`{s.default}`"
        rows.append(f"| `{s.env}` | {default} | {s.help} |")
    return "\n".join(rows)
