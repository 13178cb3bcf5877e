"""The ``tracuu`` command: rebuild, add, delete, search and inspect an index.

Exit status: 0 when everything asked for was done, 1 when some input was
rejected (each is reported as ``file:line: reason``), 2 on usage errors
(bad options, a bad setting, a malformed query, no index), 75 when another
process kept the index's write lock longer than ``--wait`` (``EX_TEMPFAIL``:
try again later; nothing was written), 74 when the disk could not take the
write (``EX_IOERR``; the live index is as it was).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from index.store import IndexBusy, IndexMissing, IndexStore
from index.writer import BatchReport, WriterFailed, add, delete, rebuild
from index.topics import Taxonomy
from search.documents import document_view, export_records, people_stats
from search.engine import SORTS, SearchEngine, SearchRequest
from search.errors import SearchError
from search.stats import index_stats

from .components import ingest_config, make_engine, make_store
from .settings import SettingsError, load_settings, settings_table

__all__ = ["main"]

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2
EXIT_IO, EXIT_BUSY = 74, 75  # sysexits.h: EX_IOERR, EX_TEMPFAIL
WRITES = ("rebuild", "add", "delete")
WAIT = 30.0  # seconds a write waits for another writer by default


def default_seeds() -> Path:
    """``seeds/`` in the working directory, else the checkout's own seeds."""
    here = Path("seeds")
    if here.is_dir():
        return here
    return Path(__file__).resolve().parent.parent / "seeds"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="tracuu", description="Bilingual Vietnamese/English news search.")
    p.add_argument("--index", metavar="DIR", help="index directory (default: $TRACUU_INDEX, "
                   "else the instance folder's index/)")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    r = sub.add_parser("rebuild", help="build a new index from files and swap it in atomically")
    r.add_argument("paths", nargs="*", metavar="PATH", help="files or directories (default: seeds/)")
    r.add_argument("--procs", type=int, default=None, help="processes to use (default: one per core)")
    r.add_argument("--if-missing", action="store_true", help="do nothing if an index already exists")
    r.add_argument("--cluster", metavar="SPEC", default=None,
                   help="build on a Dask cluster: local:N starts N worker processes here, tcp://HOST:PORT "
                        "uses a running scheduler (its workers must reach the index directory and the "
                        "inputs by the same paths)")
    r.add_argument("--parts", type=int, default=None,
                   help="with --cluster: parts to split the input into (default: two per worker thread)")
    _wait_option(r)

    a = sub.add_parser("add", help="add or replace documents by id")
    a.add_argument("paths", nargs="+", metavar="PATH")
    a.add_argument("--procs", type=int, default=None, help="processes to use (default: one per core)")
    _wait_option(a)

    d = sub.add_parser("delete", help="remove documents by id")
    d.add_argument("ids", nargs="+", metavar="ID")
    _wait_option(d)

    s = sub.add_parser("search", help="search and print ranked results")
    s.add_argument("query", nargs="+", metavar="QUERY")
    s.add_argument("--limit", type=int, default=10, help="results to print (default: 10)")
    s.add_argument("--sort", choices=SORTS, default=None)
    s.add_argument("--json", action="store_true", help="print JSON, as the HTTP API does")

    st = sub.add_parser("stats", help="document counts by language, year and source")
    st.add_argument("--people", action="store_true",
                    help="list people with their document counts and the spellings seen")

    sub.add_parser("settings", help="print every TRACUU_* setting with its default and meaning")

    sv = sub.add_parser("serve", help="serve the HTTP API under gunicorn")
    sv.add_argument("--host", default=None, help="address to listen on (default: $TRACUU_HOST or 127.0.0.1)")
    sv.add_argument("--port", default=None, help="port (default: $TRACUU_PORT or 8000)")
    sv.add_argument("--workers", default=None, help="worker processes (default: one per core)")
    sv.add_argument("--stop-with-parent", action="store_true",
                    help="shut down (gracefully, as on SIGTERM) when the process that started this one "
                         "ends, however it ends: for a server run by a tool, as `make run` does")

    sh = sub.add_parser("show", help="print one document with its extracted fields")
    sh.add_argument("id", metavar="ID")
    sh.add_argument("--json", action="store_true")

    ex = sub.add_parser("export", help="write every document with its extracted fields "
                        "as JSON Lines (readable by rebuild: a backup)")
    ex.add_argument("-o", "--output", metavar="FILE", help="output file (default: standard output)")
    return p


def _rebuild_on_cluster(store, paths, config, args, settings) -> BatchReport:
    """``rebuild --cluster``: a local cluster started for the rebuild (and
    stopped after it), or a running scheduler."""
    from contextlib import ExitStack

    from distributed import Client, KilledWorker, LocalCluster

    from index.cluster import rebuild_on_cluster

    spec = args.cluster
    logging.getLogger("distributed").setLevel(logging.WARNING)  # (its own level is INFO: every start and stop)
    with ExitStack() as stack:
        if spec.startswith("local:"):
            try:
                workers = int(spec.removeprefix("local:"))
            except ValueError:
                workers = 0
            if workers < 1:
                raise SettingsError(f"--cluster {spec}: local:N needs a number of workers of at least 1")
            cluster = stack.enter_context(LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                                       dashboard_address=":0"))
            client = stack.enter_context(Client(cluster))
        elif spec.startswith(("tcp://", "tls://")):
            client = stack.enter_context(Client(spec, timeout=30))
        else:
            raise SettingsError(f"--cluster {spec}: give local:N or tcp://HOST:PORT")
        try:
            return rebuild_on_cluster(store, paths, config, client=client, parts=args.parts,
                                      progress=_progress(), memory_mb=settings.index_memory, wait=args.wait)
        except KilledWorker as exc:  # a task whose workers kept dying (Dask gave up on it)
            raise WriterFailed(f"the workers running a part kept dying ({exc})") from None


def _wait_option(parser) -> None:
    parser.add_argument("--wait", type=float, default=WAIT, metavar="SECONDS",
                        help=f"how long to wait while another process writes the index (the server "
                             f"committing, another command) before giving up with exit status {EXIT_BUSY} "
                             f"(default: {WAIT:g})")


def _progress():
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=0, unit="doc", file=sys.stderr, dynamic_ncols=True, leave=False)


def _report(verb: str, report: BatchReport) -> int:
    for rejection in report.rejected:
        print(rejection, file=sys.stderr)
    for warning in report.warnings:
        print(warning, file=sys.stderr)
    parts = [f"{verb} {report.indexed} document{'s' if report.indexed != 1 else ''}"]
    if report.replaced:
        parts.append(f"{report.replaced} replaced")
    if report.deleted:
        parts = [f"deleted {report.deleted} document{'s' if report.deleted != 1 else ''}"]
    parts.append(f"{len(report.rejected)} rejected")
    if report.warnings:
        parts.append(f"{len(report.warnings)} warning{'s' if len(report.warnings) != 1 else ''}")
    if report.linked_names:
        parts.append(f"{report.linked_names} Sino-Vietnamese name{'s' if report.linked_names != 1 else ''} "
                     "linked to pinyin")
    print(f"{', '.join(parts)} in {report.seconds:.1f} s; generation {report.generation}", file=sys.stderr)
    return EXIT_OK if report.ok else EXIT_REJECTED


def _plain_snippet(html_snippet: str, tty: bool) -> str:
    import html

    on, off = ("\033[1m", "\033[0m") if tty else ("[", "]")
    return html.unescape(html_snippet.replace("<mark>", on).replace("</mark>", off))


def _search(engine: SearchEngine, args) -> int:
    most = engine.config.max_per_page
    if not 1 <= args.limit <= most:
        print(f"tracuu: --limit must be between 1 and {most} (TRACUU_MAX_PER_PAGE sets the most)",
              file=sys.stderr)
        return EXIT_USAGE
    response = engine.search(SearchRequest(q=" ".join(args.query), sort=args.sort,
                                           per_page=args.limit))
    if args.json:
        out = {"total": response.total, "hits": [
            {k: h.as_dict()[k] for k in ("id", "title", "date", "lang", "score", "snippet")}
            for h in response.hits
        ]}
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return EXIT_OK
    tty = sys.stdout.isatty()
    note = " (no document matched every word; showing documents that match some)" if response.relaxed else ""
    print(f"{response.total} result{'s' if response.total != 1 else ''}{note}")
    for rank, hit in enumerate(response.hits, 1):
        title = hit.title or "(no headline)"
        score = f" · score {hit.score:.2f}" if hit.score is not None else ""
        print(f"\n{rank:>2}. {title}")
        print(f"    {hit.date or 'undated'} · {hit.lang}{score} · {hit.id}")
        print(f"    {_plain_snippet(hit.snippet, tty)}")
    return EXIT_OK


def _show(engine: SearchEngine, taxonomy: Taxonomy, args) -> int:
    stored = engine.searcher().document(id=args.id)
    if stored is None:
        print(f"tracuu: no document with id {args.id!r}", file=sys.stderr)
        return EXIT_REJECTED
    view = document_view(stored, taxonomy)
    if args.json:
        json.dump(view, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return EXIT_OK
    print(view["title"] or "(no headline)")
    for name in ("id", "date", "lang", "source", "url", "dateline"):
        value = view[name] if view[name] is not None else "-"
        if name == "date" and view["date_rule"]:
            value = f"{value} ({view['date_rule']})"
        print(f"  {name + ':':<10}{value}")
    persons = "; ".join(f"{p['label']} [{p['key']}] as {', '.join(p['spellings']) or '-'}"
                        for p in view["persons"])
    print(f"  {'persons:':<10}{persons or '-'}")
    print(f"  {'topics:':<10}{', '.join(t['label'] for t in view['topics']) or '-'}")
    print(f"  {'credits:':<10}{', '.join(view['credits']) or '-'}")
    print()
    print(view["text"])
    return EXIT_OK


def _export(engine: SearchEngine, taxonomy: Taxonomy, args) -> int:
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    count = 0
    try:
        for record in export_records(engine.searcher(), taxonomy):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    finally:
        if args.output:
            out.close()
    print(f"exported {count} document{'s' if count != 1 else ''}", file=sys.stderr)
    return EXIT_OK


def _people(engine: SearchEngine) -> int:
    for person in people_stats(engine.searcher()):
        print(f"{person['documents']:>7}  {person['label']} [{person['key']}]: "
              f"{', '.join(person['spellings'])}")
    return EXIT_OK


def _stats(engine: SearchEngine, store: IndexStore) -> int:
    stats = index_stats(engine.searcher(), store.meta())
    print(f"{stats['documents']} documents · generation {stats['generation']} · built {stats['built_at']}")
    for title, key in (("language", "by_lang"), ("year", "by_year"), ("source", "by_source")):
        print(f"\nby {title}:")
        for value, count in stats[key].items():
            print(f"  {count:>7}  {value}")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command != "serve":  # (gunicorn sets up the server's logging)
        logging.basicConfig(level=logging.WARNING, format="tracuu: %(message)s", stream=sys.stderr)
    if args.command == "settings":
        print(settings_table())
        return EXIT_OK
    overrides = {"index": args.index}
    if args.command == "serve":
        overrides.update(host=args.host, port=args.port, workers=args.workers)
    try:
        settings = load_settings(overrides=overrides)
    except SettingsError as exc:
        print(f"tracuu: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "serve":
        from .serve import serve

        serve(settings, {k: v for k, v in overrides.items() if v is not None}, args.stop_with_parent)
        return EXIT_OK
    store = make_store(settings)
    config = ingest_config(settings)
    try:
        if args.command == "rebuild":
            if args.if_missing and store.current_name() is not None:
                print(f"an index exists in {store.root}; not rebuilding", file=sys.stderr)
                return EXIT_OK
            paths = args.paths or [default_seeds()]
            if args.cluster:
                return _report("indexed", _rebuild_on_cluster(store, paths, config, args, settings))
            return _report("indexed", rebuild(store, paths, config, procs=args.procs, progress=_progress(),
                                               memory_mb=settings.index_memory, wait=args.wait))
        if args.command == "add":
            return _report("added", add(store, args.paths, config, procs=args.procs, progress=_progress(),
                                           memory_mb=settings.index_memory, wait=args.wait))
        if args.command == "delete":
            return _report("deleted", delete(store, args.ids, wait=args.wait))
        engine = make_engine(settings, store)
        try:
            if args.command == "search":
                return _search(engine, args)
            if args.command == "show":
                return _show(engine, engine.taxonomy, args)
            if args.command == "export":
                return _export(engine, engine.taxonomy, args)
            if args.people:
                return _people(engine)
            return _stats(engine, store)
        finally:
            engine.close()
    except SearchError as exc:
        print(f"tracuu: bad query: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except SettingsError as exc:
        print(f"tracuu: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except IndexMissing as exc:
        print(f"tracuu: {exc}; run `tracuu rebuild` first", file=sys.stderr)
        return EXIT_USAGE
    except IndexBusy as exc:
        print(f"tracuu: {exc} (waited {args.wait:g} s); nothing was written: try again when it has "
              "finished, or give --wait more seconds", file=sys.stderr)
        return EXIT_BUSY
    except KeyboardInterrupt:
        print("tracuu: interrupted; the index is unchanged", file=sys.stderr)
        return 130
    except (OSError, WriterFailed) as exc:
        if args.command not in WRITES:
            raise
        # a full disk, a file too large, no permission: what was being
        # written is discarded (a rebuild's generation; a commit's segment,
        # which Whoosh never listed), and the live index keeps answering
        if isinstance(exc, OSError):
            reason = (exc.strerror or str(exc)) + (f" ({exc.filename})" if exc.filename else "")
        else:
            reason = f"{exc} (its error is above)"
        print(f"tracuu: the {args.command} failed: {reason}; the live index is as it was and still answers",
              file=sys.stderr)
        return EXIT_IO


if __name__ == "__main__":
    sys.exit(main())
