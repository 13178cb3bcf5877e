"""Hostile input as properties (hypothesis): the analysis chains and the
query parameters, over any text and any bytes.

* Analysis never raises, folds idempotently, gives NFC, and reads a text
  the same in NFC and NFD and with either tone placement (``hoà``/``hòa``).
* A search, a suggestion or a facet asked with any ``q`` or any query
  string answers 200 or a 400 problem, never a 500; the cases people try
  by hand (nesting, unbalanced quotes, ``*``, NUL, invalid UTF-8, 100 kB,
  1,000 repeated parameters) are listed too.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import quote_from_bytes

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.analysis import exact_analyzer, folded_analyzer, query_forms
from index.normalize import canonical_tone, fold

# Syllables in the old and the new tone placement (the mark on the first
# or the second vowel of oa, oe, uy), and other Vietnamese and English words.
PLACEMENTS = [("hoà", "hòa"), ("thuỷ", "thủy"), ("Khoá", "Khóa"), ("hoè", "hòe"), ("tuỳ", "tùy"),
              ("quỹ", "quỹ"), ("Thuý", "Thúy"), ("loà", "lòa"), ("xoá", "xóa"), ("hoạ", "họa")]
WORDS = ["Việt", "Nam", "Đà", "Nẵng", "Nguyễn", "Phú", "Trọng", "Tô", "Lâm", "trade", "China's", "U.S.",
         "2024", "10,000", "ĐẠI", "người", "Hà", "Nội", "'", "-", "—", ",", ".", "(", ")", "\u00a0", "\u200b"]

# Any text, weighted towards letters with Vietnamese marks (as text and as
# combining marks) and the characters that split words.
VIETNAMESE = st.text(alphabet=st.one_of(
    st.sampled_from("aăâeêioôơuưyđAĂÂEÊIOÔƠUƯYĐ \t\n-'’.,"),
    st.sampled_from("\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b"),
    st.characters(codec="utf-8")), max_size=60)
PLACED = st.lists(st.one_of(st.sampled_from(PLACEMENTS), st.sampled_from(WORDS).map(lambda w: (w, w))),
                  max_size=12)

ANALYZERS = {"folded-vi": folded_analyzer("vi"), "folded-en": folded_analyzer("en"),
             "folded": folded_analyzer(None), "exact": exact_analyzer()}


def terms(analyzer, text: str) -> list[str]:
    return [t.text for t in analyzer(text, mode="index")]


def nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)


@given(st.one_of(VIETNAMESE, st.text(max_size=60)))
@settings(max_examples=400, deadline=None)
def test_folding_is_idempotent_and_gives_nfc(text):
    for word in [text, *text.split()]:
        folded = fold(word)
        assert fold(folded) == folded
        assert nfc(folded)
        toned = canonical_tone(word)
        assert canonical_tone(toned) == toned and nfc(toned)


@given(VIETNAMESE)
@settings(max_examples=400, deadline=None)
def test_every_chain_reads_nfc_and_nfd_alike_and_gives_nfc(text):
    composed = unicodedata.normalize("NFC", text)
    decomposed = unicodedata.normalize("NFD", text)
    for name, analyzer in ANALYZERS.items():
        out = terms(analyzer, composed)
        assert terms(analyzer, decomposed) == out, name
        assert all(nfc(t) for t in out), name
    for word in composed.split():
        forms = query_forms(word).terms + (query_forms(word).exact or "",)  # (what it matches, not as typed)
        other = query_forms(unicodedata.normalize("NFD", word))
        assert other.terms + (other.exact or "",) == forms
        assert all(nfc(f) for f in forms)


@given(PLACED)
@settings(max_examples=300, deadline=None)
def test_tone_placement_does_not_change_what_is_indexed(pairs):
    old = " ".join(a for a, _ in pairs)
    new = " ".join(b for _, b in pairs)
    for name, analyzer in ANALYZERS.items():
        assert terms(analyzer, old) == terms(analyzer, new), name


# -- over HTTP --------------------------------------------------------------------

ENDPOINTS = ["/api/search", "/api/suggest", "/api/facets/person"]


def answered(response) -> None:
    """200, or a 400 problem that says what is wrong; never a 500."""
    assert response.status_code in (200, 400), (response.status_code, response.get_data()[:300])
    if response.status_code == 400:
        assert response.mimetype == "application/problem+json"
        assert response.get_json()["detail"]


@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory):
    """One app on the seeds for every example (one per example would build
    an index each time)."""
    from api.app import create_app
    from index.store import IndexStore
    from index.writer import rebuild

    from .conftest import SEEDS

    root = tmp_path_factory.mktemp("hostile")
    assert rebuild(IndexStore(root / "ix"), [SEEDS], procs=1).ok
    app = create_app({"TESTING": True, "index": str(root / "ix"), "rate_limit": 0})
    yield app.test_client()
    app.extensions["tracuu"].engine.close()


@given(q=st.one_of(st.text(max_size=600), VIETNAMESE,
                   st.lists(st.sampled_from(['"', "(", ")", "*", "-", "+", "OR", "AND", "NOT", ":", "person:",
                                             "date:", "2024", "Tô Lâm", "~", "?", "\\", "\x00", " "]),
                            max_size=40).map("".join)),
       endpoint=st.sampled_from(ENDPOINTS))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_q_is_answered_or_refused_never_a_server_error(hostile_client, q, endpoint):
    answered(hostile_client.get(endpoint, query_string={"q": q}))


NAMES = st.sampled_from([b"q", b"page", b"per_page", b"sort", b"person", b"topic", b"from", b"to", b"lang",
                         b"facet", b"hl", b"limit", b"cursor", b"x"])


@given(pairs=st.lists(st.tuples(st.one_of(NAMES, st.binary(max_size=8)), st.binary(max_size=40)), max_size=8),
       endpoint=st.sampled_from(ENDPOINTS))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_bytes_in_the_query_string_are_answered_or_refused(hostile_client, pairs, endpoint):
    raw = "&".join(f"{quote_from_bytes(k)}={quote_from_bytes(v)}" for k, v in pairs)
    answered(hostile_client.get(f"{endpoint}?{raw}"))


@pytest.mark.parametrize("raw", [
    "q=" + "(" * 200 + "Hà Nội" + ")" * 200,  # nesting
    "q=" + "(" * 150,  # unbalanced parentheses
    "q=%22Vi%E1%BB%87t%20Nam",  # an unbalanced quote
    "q=*", "q=***", "q=*a*", "q=%2A%20OR%20%2A",
    "q=a%00b", "q=%00", "person=%00",  # NUL
    "q=%FF%FE", "q=%C3%28", "q=%ED%A0%80", "q=%",  # invalid UTF-8, a cut escape
    "q=" + "x" * 100_000,  # 100 kB
    "&".join(["q=trade"] * 1000),  # 1,000 repeated parameters
    "&".join(f"person=p{i}" for i in range(1000)),
    "page=99999999999999999999", "per_page=-1", "from=2024-13-45", "sort=%00",
])
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_what_people_try_by_hand_is_answered_or_refused(hostile_client, raw, endpoint):
    answered(hostile_client.get(f"{endpoint}?{raw}"))
