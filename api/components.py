"""The parts every entry point builds from :class:`~api.settings.Settings`:
the index store, the search engine and the ingest configuration. The HTTP
app and the ``tracuu`` command both build them here, so a setting means the
same thing everywhere."""

from __future__ import annotations

from index.ingest import IngestConfig
from index.store import IndexStore
from search.engine import EngineConfig, SearchEngine

__all__ = ["make_store", "make_engine", "ingest_config"]


# How TRACUU_REFRESH_INTERVAL is spent: the journal is committed as soon as
# a write waits, but at most once per COMMIT_SHARE of it (by one server
# process, the committer on duty), and each server process looks for a newer index when
# the index's directories changed, and every LOOK_SHARE of it in any case
# (a read of two small files; it reopens only after a commit).
# (Every commit costs each server process about 50 ms of CPU in the
# searches after it, besides the commit's own: at 5 writes/s, committing
# every three quarters of the interval rather than every half is a third
# fewer of both; with merges in commits of their own and commits seen at
# the next search, writes were still found within 1.7 s.)
COMMIT_SHARE, LOOK_SHARE = 0.75, 0.25


def make_store(settings) -> IndexStore:
    return IndexStore(settings.index)


def make_engine(settings, store: IndexStore | None = None) -> SearchEngine:
    s = settings
    return SearchEngine(store or make_store(s), EngineConfig(
        max_query_length=s.max_query_length, max_per_page=s.max_per_page,
        max_window=s.max_window, timeout=s.query_timeout,
        people_files=s.people, taxonomy_file=s.topics, derived_refresh=s.suggest_refresh,
        refresh_interval=s.refresh_interval * LOOK_SHARE,
    ))


def ingest_config(settings) -> IngestConfig:
    s = settings
    return IngestConfig(sources_files=s.sources, people_files=s.people,
                        places_files=s.places, taxonomy_file=s.topics)
