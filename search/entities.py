"""People named in a query, however they are typed.

* a full name in any spelling or script: ``Nguyễn Phú Trọng``,
  ``nguyen phu trong``, ``Tập Cận Bình``, ``习近平``;
* a role or a form of address and a short name: ``President Quang``,
  ``ông Trọng``, ``Premier Li``, ``Tổng thống Putin``. The short name is
  one the registry lists for the person (a Vietnamese given name, a Chinese
  family name); the role narrows the candidates to people who held it
  (``Premier Li`` is Li Keqiang or Li Qiang, not Li Zhanshu).
"""

from __future__ import annotations

from dataclasses import dataclass

from index.analysis import words
from index.normalize import fold, has_diacritics
from index.people import PeopleRegistry, RegistryPerson

__all__ = ["PersonFinder", "ROLE_CUES"]

# A cue typed before a short name (folded) -> words one of the person's
# roles must contain (empty: any person with that short name).
ROLE_CUES: dict[str, tuple[str, ...]] = {
    "president": ("president",), "tong thong": ("president",), "chu tich nuoc": ("president",),
    "chu tich": ("president", "chairman"), "chairman": ("chairman", "president"),
    "premier": ("premier", "prime minister"), "prime minister": ("premier", "prime minister"),
    "pm": ("premier", "prime minister"), "thu tuong": ("premier", "prime minister"),
    "general secretary": ("general secretary",), "party chief": ("general secretary",),
    "party leader": ("general secretary",), "tong bi thu": ("general secretary",),
    "minister": ("minister",), "bo truong": ("minister",),
    "foreign minister": ("foreign",), "defence minister": ("defence", "defense"),
    "defense minister": ("defence", "defense"),
    "mr": (), "mrs": (), "ms": (), "dr": (), "comrade": (), "ong": (), "ba": (), "ngai": (),
    "dong chi": (),
}
_MAX_CUE = max(len(c.split()) for c in ROLE_CUES)
_MAX_CANDIDATES = 3  # a short name shared by more people than this says too little


@dataclass(frozen=True)
class Found:
    keys: tuple[str, ...]
    names: tuple[str, ...]


class PersonFinder:
    def __init__(self, registry: PeopleRegistry):
        self.registry = registry
        self.by_short: dict[str, list[RegistryPerson]] = {}
        for person in registry.people.values():
            shorts = set(person.short)
            if person.country == "CN":
                # the family name of a Sino-Vietnamese reading: Tập (Cận Bình)
                shorts.update(words(a)[0] for a in person.aliases if len(words(a)) == 3 and a.isascii() is False
                              and has_diacritics(a))
            for short in shorts:
                self.by_short.setdefault(fold(short), []).append(person)

    def full(self, text: str) -> str | None:
        """The key of the person ``text`` names in full (two words or more,
        or any non-Latin script)."""
        if len(text.split()) < 2 and text.isascii():
            return None
        found = self.registry.find(text)
        return found.key if found else None

    def by_role(self, text: str) -> Found | None:
        """The people ``text`` names as a role (or a form of address) and a
        short name, or None."""
        ws = words(text)
        if len(ws) < 2:
            return None
        for size in range(min(_MAX_CUE, len(ws) - 1), 0, -1):
            cue = " ".join(fold(w) for w in ws[:size])
            if cue not in ROLE_CUES or len(ws) - size != 1:
                continue
            short = ws[size]
            candidates = self.by_short.get(fold(short), [])
            if has_diacritics(short):  # "ông Trọng" is not "ông Trong"
                exact = [p for p in candidates
                         if short.lower() in (s.lower() for s in (*p.short, *(words(a)[0] for a in p.aliases)))]
                candidates = exact or candidates
            wanted = ROLE_CUES[cue]
            if wanted:
                candidates = [p for p in candidates
                              if any(w in role.lower() for role in p.roles for w in wanted)]
            if 0 < len(candidates) <= _MAX_CANDIDATES:
                return Found(tuple(p.key for p in candidates), tuple(p.name for p in candidates))
            return None
        return None
