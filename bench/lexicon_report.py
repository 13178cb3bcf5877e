"""How the bilingual lexicon (index/data/lexicon.toml) meets a corpus.

Usage: python bench/lexicon_report.py [--corpus DIR] [--missing N]

Prints the number of concepts per domain, how many of them occur in the
corpus in each language (a concept whose forms never occur is worth a
second look), and the N most frequent Vietnamese two-syllable words of the
corpus that no concept covers yet: the next candidates for an entry.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.analysis import words  # noqa: E402
from index.concepts import ConceptLexicon  # noqa: E402
from index.normalize import fold, has_diacritics  # noqa: E402

_SPLIT = re.compile(r"[^\w]+")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    p.add_argument("--missing", type=int, default=60)
    args = p.parse_args()
    lexicon = ConceptLexicon.load()
    docs = {"en": [], "vi": []}
    for path in sorted(args.corpus.glob("*.jsonl")):
        with open(path, encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                docs.setdefault(d["lang"], []).append(" " + " ".join(
                    fold(w) for w in words(f"{d.get('title') or ''} {d['text']}")) + " ")
    print(f"{len(lexicon.concepts)} concepts; corpus: {len(docs['en'])} en, {len(docs['vi'])} vi documents")

    def df(form: str, lang: str) -> int:
        needle = " " + " ".join(fold(w) for w in words(form)) + " "
        return sum(needle in d for d in docs[lang])

    by_domain: dict[str, list] = defaultdict(list)
    for c in lexicon.concepts:
        by_domain[c.domain].append((max(df(f, "en") for f in c.en), max(df(f, "vi") for f in c.vi), c))
    print(f"\n{'domain':<16} {'concepts':>8} {'in en':>6} {'in vi':>6}")
    for domain, rows in by_domain.items():
        print(f"{domain:<16} {len(rows):>8} {sum(e > 0 for e, _, _ in rows):>6} {sum(v > 0 for _, v, _ in rows):>6}")
    unseen = [c for rows in by_domain.values() for e, v, c in rows if not e and not v]
    print(f"\nnever in the corpus ({len(unseen)}): " + "; ".join(c.en[0] for c in unseen))

    covered = {" ".join(fold(w) for w in words(f)) for c in lexicon.concepts for f in c.vi}
    pairs: Counter = Counter()
    for path in sorted(args.corpus.glob("vi*.jsonl")):
        with open(path, encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                ws = [w.lower() for w in words(d["text"]) if has_diacritics(w) or w.isalpha()]
                pairs.update({f"{a} {b}" for a, b in zip(ws, ws[1:])})
    missing = [(p, n) for p, n in pairs.most_common(3000)
               if " ".join(fold(w) for w in p.split()) not in covered][:args.missing]
    print("\nmost frequent Vietnamese word pairs not covered (documents):")
    print("  " + "; ".join(f"{p} {n}" for p, n in missing))


if __name__ == "__main__":
    main()
