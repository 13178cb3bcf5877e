"""A segment's term table, written in bulk.

Whoosh writes a segment's terms one at a time through four Python objects
each (a term info, a postings buffer with its arrays, the posting checks,
the hash table's row), about 30 µs per term: most of what a small commit
costs, since a new article brings a few hundred terms of its own. Nearly
every term of a small segment has fewer postings than
:data:`~index.schema.INLINE_LIMIT`, and those are kept inline in the term's
row. This writer builds such rows directly, in the bytes Whoosh's writer
would produce (a test compares the files byte for byte), and appends them
to the table in one write; a term with more postings goes through Whoosh's
own path.
"""

from __future__ import annotations

import pickle
from array import array

from whoosh.codec.base import OutOfOrderError
from whoosh.codec.whoosh3 import W3FieldWriter, W3TermInfo
from whoosh.filedb.filetables import _lengths
from whoosh.system import pack_ushort
from whoosh.util.numeric import length_to_byte

__all__ = ["BulkFieldWriter"]

_NO_ID = 0xFFFFFFFF
_ROW = W3TermInfo._struct
_MAX_LENGTH = length_to_byte(0)  # the codec keeps no length statistics (Codec.length_stats)


class BulkFieldWriter(W3FieldWriter):
    """Whoosh's field writer for a codec without length statistics, with
    the rows of terms of few postings made and written in bulk."""

    def add_postings(self, schema, lengths, items):
        if lengths is not None:  # rows would need the documents' lengths: Whoosh's path
            return super().add_postings(schema, lengths, items)
        limit = self._codec._inlinelimit
        rows: list[tuple[bytes, bytes]] = []
        lastfn = lasttext = None
        ids: list[int] = []
        weights: list[float] = []
        values: list[bytes] = []

        def finish() -> None:
            if len(ids) < limit:
                rows.append((pack_ushort(self._fieldid) + lasttext, _inline_row(ids, weights, values)))
            else:  # a posting list of its own: Whoosh writes it (rows written so far first)
                self._add_rows(rows)
                rows.clear()
                self.start_term(lasttext)
                for docnum, weight, value in zip(ids, weights, values):
                    self.add(docnum, weight, value, 0)
                self.finish_term()
            ids.clear()
            weights.clear()
            values.clear()

        for fieldname, btext, docnum, weight, value in items:
            if fieldname != lastfn:
                if lastfn is not None and fieldname < lastfn:
                    raise OutOfOrderError(f"Field {lastfn!r} .. {fieldname!r}")
                if lasttext is not None:
                    finish()
                if lastfn is not None:
                    self.finish_field()
                self.start_field(fieldname, schema[fieldname])
                lastfn, lasttext = fieldname, None
            if docnum == -1:  # Whoosh's marker for a spelling word: not a posting
                continue
            if btext != lasttext:
                if lasttext is not None:
                    if btext < lasttext:
                        raise OutOfOrderError(f"Term {lastfn}:{lasttext!r} .. {fieldname}:{btext!r}")
                    finish()
                lasttext = btext
            ids.append(docnum)
            weights.append(weight)
            values.append(b"" if value is None else value)
        if lasttext is not None:
            finish()
        self._add_rows(rows)
        if lastfn is not None:
            self.finish_field()

    def _add_rows(self, rows: list[tuple[bytes, bytes]]) -> None:
        """What ``OrderedHashWriter.add`` does for each row, in one write."""
        if not rows:
            return
        table = self._tindex
        hashfn, buckets, index = table.hashfn, table.buckets, table.index
        pos = table.dbfile.tell()
        last = table.lastkey
        out = bytearray()
        for key, value in rows:
            if key <= last:
                raise ValueError(f"Keys must increase: {last!r}..{key!r}")
            index.append(pos)
            h = hashfn(key)
            buckets[h & 255].append((h, pos))
            out += _lengths.pack(len(key), len(value))
            out += key
            out += value
            pos += _lengths.size + len(key) + len(value)
            last = key
        table.dbfile.write(bytes(out))
        table.lastkey = last


def _inline_row(ids: list[int], weights: list, values: list[bytes]) -> bytes:
    """The term table row Whoosh writes for a posting list kept inline:
    ``W3TermInfo.to_bytes`` after ``add_block`` and ``set_inlined``, with no
    length statistics (see :class:`~index.schema.Codec`)."""
    kept = array("f", weights)  # the postings buffer keeps single precision
    maxweight = 0
    for weight in weights:
        if weight > maxweight:
            maxweight = weight
    stored = [v for v in values if v] or [b""] * len(ids)  # (the buffer keeps non-empty values only)
    head = _ROW.pack(True, sum(kept), len(ids), 0, _MAX_LENGTH, maxweight,
                     ids[0] if ids else _NO_ID, ids[-1] if ids else _NO_ID)
    return head + pickle.dumps((tuple(ids), tuple(kept), tuple(stored)), 2)
