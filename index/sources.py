"""Which outlet published an article, from what the article itself shows.

An article names its outlet in a few places: the URL, a sign-off (``PSNews``,
``— VNS``), a wire agency in the dateline or a photo credit (``(Xinhua) --``,
``(Xinhua/Li Tao)``), or a credit line only one outlet uses. The outlets come
from a data file (``data/sources.toml``) that users can extend.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import regex

from .datafiles import read_toml
from .normalize import fold

__all__ = ["Outlet", "SourceRegistry", "DEFAULT_SOURCES"]

DEFAULT_SOURCES = Path(__file__).with_name("data") / "sources.toml"
# A sign-off that looks like an outlet's mark rather than a person's name:
# one word with a capital after its first letter ("PSNews", "VNS", "VnExpress").
_OUTLET_MARK = regex.compile(r"^\p{Lu}[\p{L}&+]*\p{Lu}[\p{L}&+]*$")


@dataclass(frozen=True)
class Outlet:
    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    credit_labels: tuple[str, ...] = ()


def _key(text: str) -> str:
    return " ".join(fold(text).replace("’", "'").split())


class SourceRegistry:
    def __init__(self, outlets: list[Outlet]):
        self.outlets = outlets
        self._alias = {}
        self._label = {}
        for outlet in outlets:
            for alias in (outlet.name, *outlet.aliases):
                self._alias.setdefault(_key(alias), outlet)
            for label in outlet.credit_labels:
                self._label.setdefault(_key(label), outlet)

    @classmethod
    def load(cls, *extra: Path) -> "SourceRegistry":
        """Read the default outlets, then each extra file (later files win)."""
        outlets: list[Outlet] = []
        for path in (DEFAULT_SOURCES, *extra):
            data = read_toml(path)
            for i, item in enumerate(data.get("source", []), 1):
                if not isinstance(item, dict) or not item.get("name") or item.get("kind") not in ("agency", "publisher"):
                    raise ValueError(f"{path}: source #{i} needs a name and a kind of agency or publisher")
                outlets.append(Outlet(
                    item["name"], item["kind"], tuple(item.get("aliases", ())),
                    tuple(item.get("domains", ())), tuple(item.get("credit_labels", ())),
                ))
        return cls(outlets[::-1])  # later files first, so their aliases win

    def names(self) -> list[str]:
        """Every name and alias of every outlet."""
        return [name for outlet in self.outlets for name in (outlet.name, *outlet.aliases)]

    def by_alias(self, text: str) -> Outlet | None:
        return self._alias.get(_key(text))

    def by_url(self, url: str | None) -> Outlet | None:
        if not url:
            return None
        host = (urlsplit(url if "//" in url else "//" + url).hostname or "").lower()
        for outlet in self.outlets:
            if any(host == d or host.endswith("." + d) for d in outlet.domains):
                return outlet
        return None

    def identify(self, *, url: str | None, markers: list[str], credit_labels: list[str],
                 signoff: str | None) -> tuple[str | None, bool]:
        """Return (source label, whether the sign-off named an outlet).

        A publisher and an agency together read "Publisher (Agency)".
        """
        found = [self.by_url(url)]
        found += [self._label.get(_key(label)) for label in credit_labels]
        signed = self.by_alias(signoff) if signoff else None
        found.append(signed)
        found += [self.by_alias(m) for m in markers]
        found = [o for o in found if o is not None]
        publisher = next((o for o in found if o.kind == "publisher"), None)
        agency = next((o for o in found if o.kind == "agency"), None)
        if publisher and agency:
            return f"{publisher.name} ({agency.name})", signed is not None
        if publisher or agency:
            return (publisher or agency).name, signed is not None
        if signoff and _OUTLET_MARK.match(signoff):
            return signoff, True
        return None, False
