"""The index's own vocabulary, for "did you mean" and suggestions as you type.

The text fields index English stems (``cooper~``), so the words people type
(``cooperation``) are not all in the term dictionary. While it indexes, the
writer also counts, per document, the words as written:

* ``words``: folded words (``trong``, ``cooperation``), for queries typed
  without diacritics;
* ``exact``: words with diacritics (``trọng``), so a Vietnamese word is
  corrected to a Vietnamese word;
* ``phrases``: runs of two or three capitalised words (``Bắc Kinh``,
  ``Hà Nội``), offered as suggestions;
* ``titles``: each document's headline, by id, also offered as suggestions.

Counts are exact document frequencies over the live documents. The
vocabulary is saved whole as ``vocab.json`` in each index generation by a
rebuild; additions count a document's terms, and replacements and deletions
take the old document's terms away again (recomputed from its stored title
and text, see :func:`index.ingest.stored_terms`), so a word whose last
document is deleted is no longer suggested. A write saves only its changes,
appended to ``vocab.json.log`` (rewriting the whole file cost a one-article
write most of its time); loading replays them, and the log is folded into
the file once it passes a quarter of its size. The process that wrote last
keeps what it loaded and reads only what others appended since.

Each save also records the index's Whoosh generation the counts match (a
``["@", generation]`` line, or ``generation`` in the file). A writer killed
between its commit and the vocabulary's save leaves counts one commit
behind the index; the next writer sees the generations differ and counts
the vocabulary again from the index (see :func:`index.writer._commit`).
"""

from __future__ import annotations

import json
import os
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import regex

from .normalize import canonical_tone, fold, has_diacritics, repair

__all__ = ["ArticleTerms", "Vocabulary", "article_terms", "count_changes", "VOCAB_FILE"]

VOCAB_FILE = "vocab.json"
LOG_SUFFIX = ".log"
# The log is folded into the file past this share of its size (or 1 MB).
FOLD_SHARE = 0.25
FOLD_MIN = 2**20
_CAP = r"\p{Lu}[\p{L}\p{M}]*+"
# Two or three capitalised words, neither preceded nor followed by another.
_PHRASE = regex.compile(
    rf"(?<![\p{{L}}\p{{M}}'’-])(?<!\p{{Lu}}[\p{{L}}\p{{M}}]*[ \u00a0]+){_CAP}(?:[ \u00a0]+{_CAP}){{1,2}}"
    rf"(?![\p{{L}}\p{{M}}'’-])(?![ \u00a0]+\p{{Lu}})"
)


@dataclass(frozen=True)
class ArticleTerms:
    words: frozenset
    exact: frozenset
    phrases: frozenset


def article_terms(zone_words: list[list[str]], texts: list[str]) -> ArticleTerms:
    """The distinct words and phrases of one article, from its words per zone
    (as :func:`index.analysis.words` splits them) and its texts."""
    unique = {w for ws in zone_words for w in ws if not w.isdigit()}
    words = frozenset(fold(w) for w in unique if len(w) > 1)
    exact = frozenset(canonical_tone(w).lower() for w in unique if has_diacritics(w))
    phrases = frozenset(
        " ".join(m.group().split()) for text in texts if text for m in _PHRASE.finditer(repair(text))
    )
    return ArticleTerms(words, exact, phrases)


@dataclass
class Vocabulary:
    words: Counter = field(default_factory=Counter)
    exact: Counter = field(default_factory=Counter)
    phrases: Counter = field(default_factory=Counter)
    titles: dict = field(default_factory=dict)
    documents: int = 0
    # the index's Whoosh generation these counts match (None: saved before it was recorded)
    generation: int | None = field(default=None, compare=False)
    # changes since loaded, to append to the log (see save)
    _changes: list = field(default_factory=list, repr=False, compare=False)
    _source: Path | None = field(default=None, repr=False, compare=False)
    # the file as loaded (inode, mtime, size) and how far its log was read, for follow()
    _base: tuple | None = field(default=None, repr=False, compare=False)
    _offset: int = field(default=0, repr=False, compare=False)

    def add(self, doc_id: str, title: str | None, terms: ArticleTerms) -> None:
        self._changes.append(["+", doc_id, title, sorted(terms.words), sorted(terms.exact), sorted(terms.phrases)])
        self._add(doc_id, title, terms.words, terms.exact, terms.phrases)

    def _add(self, doc_id, title, words, exact, phrases) -> None:
        terms = ArticleTerms(words, exact, phrases)
        self.words.update(terms.words)
        self.exact.update(terms.exact)
        self.phrases.update(terms.phrases)
        if title:
            self.titles[doc_id] = title
        else:
            self.titles.pop(doc_id, None)
        self.documents += 1

    def remove(self, doc_id: str, terms: ArticleTerms) -> None:
        """Take away a document that was counted with ``terms``."""
        self._changes.append(["-", doc_id, None, sorted(terms.words), sorted(terms.exact), sorted(terms.phrases)])
        self._remove(doc_id, terms)

    def _remove(self, doc_id: str, terms: ArticleTerms) -> None:
        self.titles.pop(doc_id, None)
        for counter, items in ((self.words, terms.words), (self.exact, terms.exact),
                               (self.phrases, terms.phrases)):
            for item in items:
                n = counter.get(item, 0) - 1
                if n > 0:
                    counter[item] = n
                else:  # gone (or never saved by an older version)
                    counter.pop(item, None)
        self.documents = max(0, self.documents - 1)

    @classmethod
    def count(cls, documents) -> "Vocabulary":
        """A vocabulary counted from ``(id, title, ArticleTerms)`` triples."""
        vocab = cls()
        for doc_id, title, terms in documents:
            vocab._add(doc_id, title, terms.words, terms.exact, terms.phrases)
        return vocab

    def save(self, path: Path, generation: int | None = None) -> None:
        """Save the changes made since :meth:`load` read ``path``, appended
        to its log; or every count, atomically (a new vocabulary, another
        path, or a log grown past :data:`FOLD_SHARE` of the file). The
        counts are recorded as those of the index's ``generation``."""
        if generation is not None:
            self.generation = generation
        log = _log(path)
        try:
            base, logged = path.stat().st_size, log.stat().st_size if log.exists() else 0
        except FileNotFoundError:
            base = logged = None
        if self._source == path and base is not None and logged < max(FOLD_MIN, FOLD_SHARE * base):
            changes = self._changes + ([["@", generation]] if generation is not None else [])
            if changes:
                _append(log, changes)
        else:
            self._write_whole(path)
            log.unlink(missing_ok=True)
        self._changes = []
        self._source = path
        _remember(path, self)

    @staticmethod
    def mark(path: Path, generation: int) -> None:
        """Record that the counts saved in ``path`` are those of the index's
        ``generation`` too (a commit that changed no document: a merge)."""
        _append(_log(path), [["@", generation]])  # (a vocabulary kept to write reads it at its next load)

    def _write_whole(self, path: Path) -> None:
        data = {"documents": self.documents, "generation": self.generation, "words": dict(self.words.most_common()),
                "exact": dict(self.exact.most_common()), "phrases": dict(self.phrases.most_common()),
                "titles": self.titles}
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path, for_writing: bool = False) -> "Vocabulary":
        """The counts in ``path`` and its log. ``for_writing`` (under the
        write lock): the object this process saved last, if no one wrote
        since, brought up to date with what others appended otherwise; the
        caller changes it and saves it."""
        if for_writing:
            found = _take(path)
            if found is not None:
                return found
        for _ in range(5):  # (a writer folding the log in meanwhile: read again)
            base = _base_stamp(path)
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except FileNotFoundError:
                vocab = cls()
            else:
                vocab = cls(Counter(data.get("words", {})), Counter(data.get("exact", {})),
                            Counter(data.get("phrases", {})), data.get("titles", {}), data.get("documents", 0),
                            data.get("generation"))
            vocab._offset = vocab._replay(_log(path), 0)
            if _base_stamp(path) == base:
                break
        vocab._source, vocab._base = path, base
        return vocab

    def follow(self) -> "tuple[Counter, Counter] | None":
        """Bring a vocabulary loaded to read up to date with what writers
        appended to its log since it was loaded (or last followed); the
        changes to the counts of ``words`` and of ``exact`` words. None
        when the file was rewritten meanwhile (the log folded into it, or
        gone): this object is then stale, and the file must be loaded again."""
        path = self._source
        if path is None or self._base is None or _base_stamp(path) != self._base:
            return None
        words, exact = Counter(), Counter()
        offset = self._replay(_log(path), self._offset, (words, exact))
        if _base_stamp(path) != self._base:  # folded while read: what was read may be a newer log's
            return None
        self._offset = offset
        return words, exact

    def _replay(self, log: Path, offset: int, changes: tuple[Counter, Counter] | None = None) -> int:
        """Apply the log's changes from ``offset`` (and count them into
        ``changes``: words, exact words); the offset reached (a line cut
        short by a crash is left out)."""
        try:
            with open(log, "rb") as f:
                f.seek(offset)
                data = f.read()
        except FileNotFoundError:
            return offset
        end = data.rfind(b"\n") + 1
        for line in data[:end].splitlines():
            change = json.loads(line)
            if change[0] == "@":  # the index's generation the counts so far match
                self.generation = change[1]
                continue
            sign, doc_id, title, words, exact, phrases = change
            if sign == "+":
                self._add(doc_id, title, frozenset(words), frozenset(exact), frozenset(phrases))
            else:
                self._remove(doc_id, ArticleTerms(frozenset(words), frozenset(exact), frozenset(phrases)))
            if changes is not None:
                step = 1 if sign == "+" else -1
                for counter, items in zip(changes, (words, exact)):
                    for item in items:
                        counter[item] += step
        return offset + end


def count_changes(old: Vocabulary, new: Vocabulary) -> tuple[Counter, Counter]:
    """What changed from ``old`` to ``new`` in the counts of words and of
    exact words (as :meth:`Vocabulary.follow` reports it)."""
    out = []
    for before, after in ((old.words, new.words), (old.exact, new.exact)):
        changes = Counter({w: n - before.get(w, 0) for w, n in after.items() if n != before.get(w, 0)})
        changes.update({w: -n for w, n in before.items() if w not in after})
        out.append(changes)
    return out[0], out[1]


def _append(log: Path, changes: list) -> None:
    lines = "".join(json.dumps(c, ensure_ascii=False, separators=(",", ":")) + "\n" for c in changes)
    with open(log, "a+b") as f:
        _cut_torn_line(f)
        f.write(lines.encode("utf-8"))
        f.flush()
        os.fsync(f.fileno())


def _cut_torn_line(f) -> None:
    """Drop a last line a crash cut short, so that the next one starts clean."""
    size = f.seek(0, os.SEEK_END)
    if size == 0:
        return
    f.seek(size - 1)
    if f.read(1) == b"\n":
        return
    f.seek(0)
    f.truncate(f.read().rfind(b"\n") + 1)  # rare: read it all
    f.seek(0, os.SEEK_END)


def _log(path: Path) -> Path:
    return path.with_name(path.name + LOG_SUFFIX)


# What this process saved last, per vocabulary file: (file stat, log size, vocabulary).
_SAVED: dict[Path, tuple] = {}
_SAVED_LOCK = threading.Lock()


def _base_stamp(path: Path) -> tuple | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def _stamp(path: Path):
    """The file's :func:`_base_stamp` and its log's size."""
    base = _base_stamp(path)
    if base is None:
        return None
    log = _log(path)
    return base, (log.stat().st_size if log.exists() else 0)


def _remember(path: Path, vocab: "Vocabulary") -> None:
    stamp = _stamp(path)
    with _SAVED_LOCK:
        _SAVED.clear()  # one vocabulary kept: the one written last
        if stamp is not None:
            _SAVED[path] = (stamp[0], stamp[1], vocab)


def _take(path: Path) -> "Vocabulary | None":
    """The vocabulary saved last here, caught up with the log, handed over
    (a writer that fails before saving leaves nothing behind to reuse)."""
    with _SAVED_LOCK:
        entry = _SAVED.pop(path, None)
    stamp = _stamp(path)
    if entry is None or stamp is None or stamp[0] != entry[0] or stamp[1] < entry[1]:
        return None
    vocab = entry[2]
    vocab._replay(_log(path), entry[1])
    vocab._changes = []
    return vocab
