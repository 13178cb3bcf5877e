"""Extraction quality against labelled data: people, credits, dates, topics.

Usage:
    python bench/extraction_eval.py LABELS.jsonl [--docs DIR] [--corpus DIR] [--corpus-limit N]

LABELS.jsonl has the shape of ../shared/eval/seeds.jsonl: one object per
article with ``file``, ``persons`` (canonical names), ``credits``,
``published`` and ``topics``. Article files are looked up in ``--docs``
(default: the ``seeds`` folder next to the labels' folder).

Prints:
* person precision, recall and F1, matching canonical names after folding;
* how many credits (bylines, photo credits, web editors) leaked into persons;
* publication-date accuracy where a label states a date, dates found where
  none is stated (invented), and which rule found each;
* topic micro- and macro-F1 over the labelled topics, and each topic's P/R/F1;
* topic accuracy on the shared corpus: each article's best topic, mapped to
  its IPTC top-level parent, against the corpus's own label mapped the same
  way (``--corpus-limit 0`` skips it).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.ingest import Extractor, process_job  # noqa: E402
from index.normalize import fold  # noqa: E402
from index.parse import Job, plan_jobs  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"

# The corpus's own labels (per source dataset) mapped to IPTC top-level
# topics; an article counts as right when its best topic's parent is in the set.
ECONOMY = {"economy-business-finance"}
CORPUS_TOPICS = {
    "VNTC (10 topics, v1.1)": {
        "Chinh tri Xa hoi": {"politics", "society"},
        "Doi song": {"lifestyle-leisure", "society", "human-interest"},
        "Khoa hoc": {"science-technology"},
        "Kinh doanh": ECONOMY,
        "Phap luat": {"crime-law-justice"},
        "Suc khoe": {"health"},
        "The gioi": {"politics", "conflict-war-peace"},
        "The thao": {"sport"},
        "Van hoa": {"arts-culture-entertainment-media"},
        "Vi tinh": {"science-technology"},
    },
    "CP_Vietnamese-UNC (v2.0-alpha)": {
        "business": ECONOMY,
        "education": {"education"},
        "entertainment": {"arts-culture-entertainment-media"},
        "health": {"health"},
        "science": {"science-technology"},
        "society": {"society", "crime-law-justice", "disaster-accident-emergency", "human-interest"},
        "sport": {"sport"},
        "tech": {"science-technology"},
        "travel": {"lifestyle-leisure"},
        "world": {"politics", "conflict-war-peace"},
    },
    "BBC News (Greene & Cunningham 2006)": {
        "business": ECONOMY,
        "entertainment": {"arts-culture-entertainment-media"},
        "politics": {"politics"},
        "sport": {"sport"},
        "tech": {"science-technology"},
    },
    # Reuters-21578 labels are all economic (earn, acq, crude, trade, ...).
    "Reuters-21578 Distribution 1.0": defaultdict(lambda: ECONOMY, {"jobs": {"labour"} | ECONOMY}),
}


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def name_key(name: str) -> str:
    return " ".join(fold(name).split())


def evaluate_labels(labels_path: Path, docs: Path, extractor: Extractor) -> None:
    rows = [json.loads(line) for line in open(labels_path, encoding="utf-8") if line.strip()]
    tp = fp = fn = leaked = 0
    dates_right = dates_stated = invented = 0
    rules: Counter = Counter()
    topic_counts: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        path = docs / row["file"]
        articles = process_job(Job(str(path), row["file"], "text"), extractor)
        if not articles or not hasattr(articles[0], "persons"):
            print(f"  {row['file']}: not parsed: {articles[0] if articles else 'nothing'}")
            continue
        a = articles[0]
        got = {name_key(p.label) for p in a.persons}
        want = {name_key(n) for n in row["persons"]}
        tp += len(got & want)
        fp += len(got - want)
        fn += len(want - got)
        credit_names = {name_key(c.rsplit(" (", 1)[0]) for c in row.get("credits", [])}
        leaked += len(got & credit_names)
        for miss in sorted(want - got):
            print(f"  {row['file']}: missed person {miss}")
        for extra in sorted(got - want):
            print(f"  {row['file']}: extra person {extra}")
        found = a.date.isoformat() if a.date else None
        if row.get("published"):
            dates_stated += 1
            dates_right += found == row["published"]
            if found != row["published"]:
                print(f"  {row['file']}: date {found} ({a.date_rule}) vs labelled {row['published']}")
        elif found:
            invented += 1
            print(f"  {row['file']}: date {found} ({a.date_rule}) where none is stated")
        rules[a.date_rule or "none"] += 1
        got_t, want_t = set(a.topics), set(row.get("topics", []))
        for t in got_t | want_t:
            topic_counts[t]["tp"] += t in got_t and t in want_t
            topic_counts[t]["fp"] += t in got_t and t not in want_t
            topic_counts[t]["fn"] += t in want_t and t not in got_t
        if got_t != want_t:
            print(f"  {row['file']}: topics {sorted(got_t)} vs labelled {sorted(want_t)}")
    p, r, f1 = prf(tp, fp, fn)
    print(f"documents:        {len(rows)}")
    print(f"persons:          precision {p:.3f}  recall {r:.3f}  F1 {f1:.3f}  (tp {tp}, fp {fp}, fn {fn})")
    print(f"credits leaked:   {leaked}")
    print(f"dates:            {dates_right}/{dates_stated} exact, {invented} invented where none is stated; "
          f"found by: {', '.join(f'{r} {n}' for r, n in rules.most_common())}")
    totals = Counter()
    for c in topic_counts.values():
        totals.update(c)
    micro = prf(totals["tp"], totals["fp"], totals["fn"])[2]
    labelled = [t for t, c in topic_counts.items() if c["tp"] + c["fn"]]
    macro = sum(prf(**topic_counts[t])[2] for t in labelled) / len(labelled) if labelled else 0.0
    print(f"topics:           micro-F1 {micro:.3f}  macro-F1 {macro:.3f} over {len(labelled)} labelled topics")
    for t in sorted(topic_counts):
        tp_, fp_, fn_ = (topic_counts[t][k] for k in ("tp", "fp", "fn"))
        p_, r_, f_ = prf(tp_, fp_, fn_)
        print(f"  {t:<28} precision {p_:.3f}  recall {r_:.3f}  F1 {f_:.3f}  (tp {tp_}, fp {fp_}, fn {fn_})")


_extractor = None


def _corpus_job(job: Job):
    global _extractor
    _extractor = _extractor or Extractor()
    return [(a.id, a.topics) for a in process_job(job, _extractor) if hasattr(a, "topics")]


def evaluate_corpus(corpus: Path, limit: int | None, procs: int) -> None:
    meta = {}
    for path in sorted(corpus.glob("*.jsonl")):
        for line in open(path, encoding="utf-8"):
            row = json.loads(line)
            meta[row["id"]] = (row["source_dataset"], row["topic"])
    jobs = [j for j in plan_jobs(sorted(corpus.glob("*.jsonl"))) if isinstance(j, Job)]
    if limit:
        # an even sample: every k-th chunk of lines
        step = max(1, len(jobs) * 200 // limit)
        jobs = jobs[::step]
    started = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(procs) as pool:
        results = [r for chunk in pool.imap(_corpus_job, jobs) for r in chunk]
    seconds = time.perf_counter() - started
    taxonomy = Extractor().taxonomy
    right: Counter = Counter()
    total: Counter = Counter()
    untagged: Counter = Counter()
    for doc_id, topics in results:
        dataset, label = meta[doc_id]
        gold = CORPUS_TOPICS[dataset][label]
        total[dataset] += 1
        if not topics:
            untagged[dataset] += 1
            continue
        right[dataset] += taxonomy.top_level(topics[0]) in gold
    print(f"\ncorpus topic accuracy (best topic's IPTC parent vs the corpus label), "
          f"{sum(total.values())} articles in {seconds:.0f} s:")
    for dataset in sorted(total):
        print(f"  {dataset:<40} {right[dataset] / total[dataset]:.3f}  "
              f"({total[dataset]} articles, {untagged[dataset]} without a topic)")
    print(f"  {'all':<40} {sum(right.values()) / sum(total.values()):.3f}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("labels", type=Path)
    p.add_argument("--docs", type=Path, default=None, help="folder of the labelled article files")
    p.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    p.add_argument("--corpus-limit", type=int, default=None,
                   help="articles of the corpus to classify (default: all; 0 skips)")
    p.add_argument("--procs", type=int, default=2)
    args = p.parse_args()
    docs = args.docs or args.labels.resolve().parent.parent / "seeds"
    evaluate_labels(args.labels, docs, Extractor())
    if args.corpus_limit != 0 and args.corpus.is_dir():
        evaluate_corpus(args.corpus, args.corpus_limit, args.procs)


if __name__ == "__main__":
    main()
