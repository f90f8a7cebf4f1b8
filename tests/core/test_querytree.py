"""The syntax tree: which term drives a page (index words, short-term scan) and the SQL left."""

from __future__ import annotations

import pytest

from webhook_inspector.core.query import compile_query
from webhook_inspector.core.querytree import FullText, Substring, like_pattern, text_term
from webhook_inspector.core.store import Store, StoreWriter

from factories import make_capture


def test_short_terms_are_substring_scans_and_words_use_the_index():
    assert text_term("ab", 0, phrase=False) == Substring("ab")
    assert text_term("%%%", 0, phrase=False) == Substring("%%%")  # no word characters
    word = text_term("Café", 0, phrase=False)
    assert isinstance(word, FullText)
    assert word.phrase == '"cafe"*'
    assert like_pattern("5%_\\") == "%5\\%\\_\\\\%"


@pytest.mark.parametrize(
    ("text", "term", "rest"),
    [
        ("øø", "øø", None),
        ("ab method:POST", "ab", "c.method"),
        ("method:POST ab cd", "ab", "EXISTS"),  # the first short term drives, the other filters
        ("ab OR method:POST", None, None),
        ("-ab", None, None),
    ],
)
def test_a_required_short_term_drives_a_scan(text, term, rest):
    scanned = compile_query(text).scanner()
    if term is None:
        assert scanned is None
        return
    short, left = scanned
    assert short.term == term
    where = left.where()[0]
    assert (rest is None and where == "1") or (rest is not None and rest in where)


def test_scan_pages_match_the_where_clause(tmp_path):
    path = tmp_path / "s.sqlite3"
    writer = StoreWriter(path, lambda capture, cid: b"")
    bodies = [b"xy", b"no", b"XY 50%", b"zz xy", b"nothing", b"xY"]
    writer.write_now(
        [make_capture(body=b, method="PUT" if n % 2 else "POST") for n, b in enumerate(bodies)]
    )
    writer.stop()
    store = Store(path)
    for text in ("xy", "xy method:POST", "0%", "xy -zz"):
        query = compile_query(text)
        assert query.scanner() is not None
        found = [s.id for s in store.search(query)]
        assert len(found) == store.count_matching(query)
        paged = store.search(query, limit=1) + store.search(query, before_id=found[0])
        assert [s.id for s in paged] == found
    assert [s.id for s in store.search(compile_query("xy"))] == [6, 4, 3, 1]
    assert [s.id for s in store.search(compile_query("xy method:POST"))] == [3, 1]
