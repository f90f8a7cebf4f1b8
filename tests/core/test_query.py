"""The filter language over a fixture store: a table of expressions and the ids each returns."""

from __future__ import annotations

import gzip
import time
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from webhook_inspector.core import rangescan
from webhook_inspector.core.errors import QueryError, UsageError
from webhook_inspector.core.indexer import SearchIndexer
from webhook_inspector.core.model import Outcome
from webhook_inspector.core.query import QUALIFIERS, compile_query
from webhook_inspector.core.store import Store, StoreWriter

from factories import make_capture

NOW_US = time.time_ns() // 1000
ALL = list(range(1, 13))


def _cap(n: int, method: str, target: str, headers: list[tuple[str, str]], body: bytes, **kw):
    head = f"{method} {target} HTTP/1.1\r\n" + "\r\n".join(f"{k}: {v}" for k, v in headers)
    return make_capture(
        received_at_us=_time(n), method=method, target=target, headers=tuple(headers),
        body=body, raw_head=head.encode("utf-8").decode("latin-1").encode("latin-1"), **kw,
    )  # fmt: skip


def _time(n: int) -> int:
    """Capture n arrived (13 - n) × 10 minutes ago: #12 ten minutes ago, #1 two hours.

    Ten-minute steps leave 5 minutes of slack around each age: boundary, so a slow run
    (the clock keeps moving after NOW_US is taken at import) cannot flip a case.
    """
    return NOW_US - (13 - n) * 600_000_000


JSON = ("Content-Type", "application/json")
FIXTURE = [
    _cap(1, "POST", "/hooks/stripe?live=1", [JSON, ("Stripe-Signature", "t=1,v1=abc")],
         b'{"type": "payment_intent.succeeded", "amount": 4999, "customer": "cus_ABC"}',
         remote_ip="10.0.0.1"),
    _cap(2, "POST", "/hooks/github/7?token=abc", [JSON, ("X-GitHub-Event", "push")],
         b'{"ref": "refs/heads/main", "message": "Fix crash in parser"}', remote_ip="10.0.0.2",
         signature="valid"),
    _cap(3, "PUT", "/api/v2/items?token=xyz&page=2", [("Content-Type", "application/xml")],
         b'<order id="77"><name>Widget Pro</name></order>', remote_ip="10.0.1.5"),
    _cap(4, "GET", "/health", [("User-Agent", "kube-probe/1.29")], b""),
    _cap(5, "POST", "/hooks/twilio", [("Content-Type", "application/x-www-form-urlencoded")],
         b"Body=Hello+world&From=%2B4915", remote_ip="10.0.0.1", signature="invalid"),
    _cap(6, "POST", "/hooks/stripe", [JSON, ("X-GitHub-Event", "pull_request")],
         b'{"type": "payment_intent.payment_failed", "pad": "' + b"x" * 3000 + b'"}',
         remote_ip="192.168.1.9", status=413, outcome=Outcome.TOO_LARGE),
    _cap(7, "POST", "/upload", [("Content-Type", "multipart/form-data; boundary=XyZ")],
         b'--XyZ\r\nContent-Disposition: form-data; name="file"\r\n\r\nreport\r\n--XyZ--\r\n'),
    _cap(8, "POST", "/bin", [("Content-Type", "application/octet-stream")], bytes(range(256))),
    _cap(9, "POST", "/hooks/unicode", [("Content-Type", "text/plain; charset=utf-8")],
         "Grüße aus Köln – 東京注文 café".encode()),
    _cap(10, "DELETE", "/hooks/stripe/evt_1", [], b"", inbox="shop", remote_ip="::1",
         status=500, outcome=Outcome.BAD_REQUEST, reason="broken"),
    _cap(11, "POST", "/sql", [("X-Note", "100% _done_"), ("Content-Type", "text/plain")],
         b"x'; DROP TABLE captures; --"),
    _cap(12, "POST", "/gzip", [JSON, ("Content-Encoding", "gzip")],
         gzip.compress(b'{"event": "compressed hello"}')),
]  # fmt: skip


def _iso(n: int) -> str:
    return datetime.fromtimestamp(_time(n) / 1e6, UTC).isoformat()


def _but(*ids: int) -> list[int]:
    return [i for i in ALL if i not in ids]


CASES: list[tuple[str, list[int]]] = [
    # free text: words (the last one a prefix), any case, diacritics ignored
    ("", ALL),
    ("stripe", [1, 6, 10]),
    ("STRIPE", [1, 6, 10]),
    ("payment_intent", [1, 6]),
    ('"payment_intent.succeeded"', [1]),
    ("succeeded", [1]),
    ("succ", [1]),
    ("hello", [5, 12]),
    ('"hello world"', [5]),
    ("compressed", [12]),
    ("café", [9]),
    ("cafe", [9]),
    ("grüße", [9]),
    ("KÖLN", [9]),
    ("東京", [9]),
    ("refs/heads/main", [2]),
    ("evt_1", [10]),
    ("cus_abc", [1]),
    ("widget", [3]),
    ("application/json", [1, 2, 6, 12]),
    ("kube-probe", [4]),
    ("parser crash", [2]),
    ('"crash in parser"', [2]),
    ('"parser crash"', []),
    ("github push", [2]),
    ("xyzzy", []),
    # short terms: substring scan
    ("v2", [3]),
    ("%", [5, 11]),
    ("_d", [11]),
    ("77", [3]),
    # injection-shaped values are plain text
    ('"\'; DROP TABLE captures; --"', [11]),
    ('body:"\'; DROP"', [11]),
    ('path:"\'; --"', []),
    ('header:x-note="100% _"', [11]),
    # operators
    ("-stripe", _but(1, 6, 10)),
    ("stripe OR github", [1, 2, 6, 10]),
    ("hooks -stripe", [2, 5, 9]),
    ("(stripe OR twilio) method:POST", [1, 5, 6]),
    ("stripe AND succeeded", [1]),
    ("-(stripe OR github)", _but(1, 2, 6, 10)),
    ("((stripe))", [1, 6, 10]),
    ("-(-stripe)", [1, 6, 10]),
    ("hello OR widget OR stripe", [1, 3, 5, 6, 10, 12]),
    ("stripe status:4xx", [6]),
    ("(method:GET OR method:DELETE) -inbox:shop", [4]),
    ("method:post type:json -status:413", [1, 2, 12]),
    # method:
    ("method:POST", _but(3, 4, 10)),
    ("method:put,delete", [3, 10]),
    ("method:P*", _but(4, 10)),
    ("method:~^(GET|DELETE)$", [4, 10]),
    ("-method:POST", [3, 4, 10]),
    # path:
    ("path:/hooks/*", [1, 2, 5, 6, 9, 10]),
    ("path:/hooks/stripe", [1, 6, 10]),
    ("path:~^/api/v[0-9]+/", [3]),
    ("path:health", [4]),
    # header:
    ("header:x-github-event", [2, 6]),
    ("header:X-GITHUB-EVENT=push", [2]),
    ("header:x-github-event=PULL_", [6]),  # the value prefilter keeps case-insensitivity
    ("header:x-note=100% _done", [11]),  # LIKE wildcards in a value are plain text
    ("header:x-github-event=pull*", [6]),
    ("header:content-encoding", [12]),
    ("header:x-*", [2, 6, 11]),
    ("header:stripe-signature=~v1=[a-f]+", [1]),
    # query:
    ("query:token", [2, 3]),
    ("query:token=abc", [2]),
    ("query:page=2", [3]),
    ("query:live", [1]),
    # body: (raw bytes)
    ("body:order", [3]),
    ("body:~amount...[0-9]+", [1]),
    ("body:compressed", []),
    # from:
    ("from:10.0.0.1", [1, 5]),
    ("from:10.0.*", [1, 2, 3, 5]),
    ("from:10.0.0.0/24", [1, 2, 5]),
    ("from:::1", [10]),
    ("from:127.0.0.1", [4, 7, 8, 9, 11, 12]),
    # status:
    ("status:413", [6]),
    ("status:5xx", [10]),
    ("status:>=400", [6, 10]),
    ("status:!=200", [6, 10]),
    ("status:200", _but(6, 10)),
    ("status:4xx,5xx", [6, 10]),
    # size: with units
    ("size:>1kb", [6]),
    ("size:<=0", [4, 10]),
    ("size:>=256", [6, 8]),
    ("size:0.25KiB", [8]),
    ("size:>2.9kb", [6]),
    ("size:>1mb", []),
    # type: (detected from the decoded body)
    ("type:json", [1, 2, 6, 12]),
    ("type:xml", [3]),
    ("type:form", [5]),
    ("type:multipart", [7]),
    ("type:binary", [8]),
    ("type:text", [9, 11]),
    ("type:empty", [4, 10]),
    ("type:json,xml", [1, 2, 3, 6, 12]),
    ("-type:json", _but(1, 2, 6, 12)),
    # inbox:, sig:
    ("inbox:shop", [10]),
    ("inbox:default", _but(10)),
    ("inbox:sh*", [10]),
    ("sig:unknown", [1, 3, 4, 6, 7, 8, 9, 10, 11, 12]),
    ("sig:valid", [2]),
    ("sig:missing", []),
    ("sig:invalid OR stripe", [1, 5, 6, 10]),
    ("-sig:unknown", [2, 5]),
    # time
    ("age:<45m", [9, 10, 11, 12]),
    ("age:>105m", [1, 2]),
    ("after:{t9}", [9, 10, 11, 12]),
    ("before:{t3}", [1, 2]),
    ("after:{t3} before:{t5}", [3, 4]),
]


@pytest.fixture(scope="module", params=["indexed", "unindexed", "split-scan"])
def store(request, tmp_path_factory):
    """The fixture store: fully indexed; relying on the tail scan alone; and with short terms
    scanned over several id ranges at once (as 100k-capture stores are)."""
    path = tmp_path_factory.mktemp("query") / "q.sqlite3"
    writer = StoreWriter(path, lambda capture, cid: b"")
    writer.write_now(FIXTURE)
    writer.stop()
    if request.param == "indexed":
        indexer = SearchIndexer(path)
        while indexer.run_once():
            pass
        indexer.stop()
    with pytest.MonkeyPatch.context() as patch:
        if request.param == "split-scan":
            patch.setattr(rangescan, "MIN_ROWS_PER_PART", 3)
            patch.setattr(rangescan, "CPUS", 3)
            assert rangescan.part_count(12) == 3
        opened = Store(path)
        assert (opened.indexed_id() == 12) == (request.param == "indexed")
        yield opened
        opened.close()


def _expand(text: str) -> str:
    return text.format(**{f"t{n}": _iso(n) for n in ALL})


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] or "<empty>" for c in CASES])
def test_expression_returns_ids(store, text, expected):
    query = compile_query(_expand(text))
    found = sorted(s.id for s in store.search(query, limit=100))
    assert found == expected
    assert store.count_matching(query) == len(expected)


def test_table_is_big_and_covers_every_qualifier():
    assert len(CASES) >= 60
    used = {text.split(":")[0].lstrip("-(") for text, _ in CASES if ":" in text}
    missing = [q for q in QUALIFIERS if not any(f"{q}:" in text for text, _ in CASES)]
    assert not missing, missing
    assert used


def test_search_pages_newest_first(store):
    query = compile_query("method:POST")
    first = store.search(query, limit=3)
    assert [s.id for s in first] == [12, 11, 9]
    rest = store.search(query, limit=100, before_id=first[-1].id)
    assert [s.id for s in rest] == [8, 7, 6, 5, 2, 1]


def test_summaries_after_filters_live_rows(store):
    rows = store.summaries_after(5, query=compile_query("type:json"))
    assert [s.id for s in rows] == [6, 12]
    assert [s.id for s in store.summaries_after(10)] == [11, 12]


def test_injection_shaped_text_leaves_the_store_intact(store):
    for text in ('"\'); DROP TABLE captures; --"', 'path:"x\') OR 1=1 --"', "body:%'--"):
        store.search(compile_query(text))
    assert store.count() == 12
    assert store.integrity_check() == "ok"


ERRORS = [
    ("stauts:500", "did you mean 'status:'", 0),
    ("foo (bar", "missing ')'", 4),
    ("foo)", "unmatched ')'", 3),
    ('"abc', "unterminated quote", 0),
    ("OR foo", "OR needs a term before it", 0),
    ("foo OR", "OR needs a term after it", 4),
    ("()", "empty parentheses", 1),
    ("- foo", "'-' must be followed by a term", 0),
    ("status:", "needs a value", 0),
    ("size:>1zb", "invalid size", 6),
    ("type:jsn", "did you mean 'json'", 5),
    ("path:~[", "invalid regular expression", 6),
    ("after:yesterday", "invalid date", 6),
    ("age:=5m", "age: takes < or >", 4),
    ("from:10.0.0.0/33", "invalid network", 5),
    ("sig:maybe", "unknown signature state", 4),
    ("http://example.com", "put it in quotes", 0),
    ('""', "empty phrase", 0),
]


@pytest.mark.parametrize(("text", "message", "position"), ERRORS)
def test_errors_name_the_position(text, message, position):
    with pytest.raises(QueryError) as info:
        compile_query(text)
    assert message in str(info.value)
    assert info.value.position == position
    assert f"position {position + 1}" in str(info.value)
    assert isinstance(info.value, UsageError)


def test_terms_are_kept_for_highlighting():
    assert compile_query('stripe "hello world" status:200 -refund').terms == (
        "stripe",
        "hello world",
        "refund",
    )


SYNTAX = st.sampled_from(
    ['"', "(", ")", "-", " ", ":", "OR", "AND", "~", "*", "=", ">", "<", ",", "\\", "'", "%",
     "status:", "size:", "path:", "header:", "age:", "type:", "from:", "x", "é", "東", "\x00"]
)  # fmt: skip


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.one_of(SYNTAX, st.text(max_size=4)), max_size=12).map("".join))
def test_parser_raises_only_query_errors_and_sql_always_runs(store, text):
    try:
        query = compile_query(text)
    except QueryError as exc:
        assert 0 <= exc.position <= len(text)
        return
    store.search(query, limit=5)


@pytest.mark.parametrize(
    ("text", "phrase", "rest"),
    [
        ("stripe", '"stripe"*', None),
        ("stripe OR hello", '("stripe"*) OR ("hello"*)', None),
        ("stripe status:413 hello", '("stripe"*) AND ("hello"*)', "status"),
        ("-stripe", None, None),
        ("stripe OR status:413", None, None),
    ],
)
def test_word_terms_drive_the_page_from_the_index(text, phrase, rest):
    driven = compile_query(text).driver()
    if phrase is None:
        assert driven is None
        return
    assert driven[0] == phrase
    where = driven[1].where()[0]
    assert (rest is None and where == "1") or (rest is not None and rest in where)


@pytest.mark.parametrize(("text", "upto", "expected"), [
    ("method:POST", 6, 4), ("%", 10, 1), ("%", 11, 2), ("v2 method:PUT", 2, 0), ("", 7, 7),
])  # fmt: skip
def test_count_can_stop_at_an_id(store, text, upto, expected):
    assert store.count_matching(compile_query(text), upto_id=upto) == expected
