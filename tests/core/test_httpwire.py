"""Request head parsing, chunked decoding and response rendering."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webhook_inspector.core import httpwire
from webhook_inspector.core.httpwire import ChunkedReader, WireError


def test_parse_head_keeps_order_case_and_duplicates():
    head = httpwire.parse_head(b"POST /a%2F?b=+ HTTP/1.1\r\nX-A: 1\r\nx-a:2\r\nContent-Length: 5")
    assert (head.method, head.target, head.version) == ("POST", "/a%2F?b=+", "1.1")
    assert head.headers == (("X-A", "1"), ("x-a", "2"), ("Content-Length", "5"))
    assert head.content_length == 5 and head.keep_alive and not head.chunked


def test_bare_lf_lines_are_accepted():
    head = httpwire.parse_head(b"GET / HTTP/1.0\nHost: h")
    assert head.headers == (("Host", "h"),) and not head.keep_alive


def test_latin1_bytes_round_trip():
    head = httpwire.parse_head(b"GET /\xe9\xff HTTP/1.1\r\nX: \xc3\x28\x80")
    assert head.target.encode("latin-1") == b"/\xe9\xff"
    assert head.headers[0][1].encode("latin-1") == b"\xc3\x28\x80"


@pytest.mark.parametrize(
    ("head", "status", "reason"),
    [
        (b"GET /", 400, "malformed request line"),
        (b"GET / HTTP/2.0", 505, "not supported"),
        (b"GET / HTTP/1.1\r\n folded", 400, "folding"),
        (b"GET / HTTP/1.1\r\nBad Name: x", 400, "malformed header line"),
        (b"POST / HTTP/1.1\r\nContent-Length: -1", 400, "invalid Content-Length"),
        (b"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2", 400, "conflicting"),
        (b"POST / HTTP/1.1\r\nTransfer-Encoding: gzip", 400, "unsupported Transfer-Encoding"),
    ],
)
def test_malformed_heads_name_the_problem(head, status, reason):
    with pytest.raises(WireError) as info:
        httpwire.parse_head(head)
    assert info.value.status == status
    assert reason in info.value.reason


def test_transfer_encoding_overrides_content_length_and_closes():
    head = httpwire.parse_head(
        b"POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked"
    )
    assert head.chunked and head.content_length is None and not head.keep_alive


def test_chunked_reader_fed_byte_by_byte():
    wire = b"4\r\nWiki\r\n5;x=y\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nT: 1\r\n\r\nNEXT"
    reader = ChunkedReader(max_size=1000)
    buf = bytearray()
    for byte in wire:
        buf.append(byte)
        used = reader.feed(buf, 0)
        del buf[:used]
        if reader.done:
            break
    assert reader.done and bytes(reader.body) == b"Wikipedia in\r\n\r\nchunks."
    assert reader.trailers == [b"T: 1"]


def test_chunked_reader_stops_at_the_cap():
    reader = ChunkedReader(max_size=10)
    reader.feed(b"8\r\n12345678\r\n8\r\n", 0)
    assert reader.too_large and reader.done


def test_chunked_reader_rejects_bad_size():
    with pytest.raises(WireError, match="invalid chunk size"):
        ChunkedReader(100).feed(b"zz\r\n", 0)


def test_render_response_and_default_answer():
    response = httpwire.render_response(
        200, httpwire.default_answer(7, 200, ""), date=b"D", close=True
    )
    assert response == (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 28\r\n"
        b'Date: D\r\nConnection: close\r\n\r\n{"id":7,"status":"captured"}'
    )
    assert b'"error": "bad \\"x\\""' in httpwire.default_answer(1, 400, 'bad "x"')


def test_sniff_garbage_names_tls_and_h2():
    assert "TLS" in (httpwire.sniff_garbage(b"\x16\x03\x01\x00") or "")
    assert "HTTP/2" in (httpwire.sniff_garbage(b"PRI * HTTP/2.0\r\n") or "")
    assert httpwire.sniff_garbage(b"GET / HTTP/1.1") is None


@given(st.binary(max_size=300))
def test_parse_head_raises_only_wire_errors(data):
    try:
        head = httpwire.parse_head(data)
    except WireError as exc:
        assert 400 <= exc.status < 600
    else:
        assert head.method


@given(st.binary(max_size=300))
def test_chunked_reader_raises_only_wire_errors(data):
    reader = ChunkedReader(max_size=100)
    try:
        reader.feed(data, 0)
    except WireError:
        return
    assert len(reader.body) <= 100


@given(st.binary(max_size=300))
def test_lenient_header_recovery_never_raises(data):
    for name, _ in httpwire.headers_from_raw_head(data):
        assert name and ":" not in name


@pytest.mark.parametrize(
    ("version", "headers", "keeps"),
    [
        ("1.1", (), True),
        ("1.0", (), False),
        ("1.1", (("Connection", "close"),), False),
        ("1.1", (("connection", "Keep-Alive, Upgrade"),), True),
        ("1.0", (("Connection", "keep-alive"),), True),
        ("1.1", (("Connection", "x-close"),), True),  # a token, not a substring
        ("1.1", (("Connection", "Upgrade"), ("Connection", "close")), False),  # every header
        ("1.1", (("Content-Length", "3"), ("Transfer-Encoding", "chunked")), False),
        ("1.1", (("Transfer-Encoding", "chunked"),), True),
    ],
)
def test_keeps_alive_follows_rfc_9112(version, headers, keeps):
    assert httpwire.keeps_alive(version, headers) is keeps
    wire = f"POST / HTTP/{version}\r\n" + "".join(f"{n}: {v}\r\n" for n, v in headers)
    assert httpwire.parse_head(wire.rstrip("\r\n").encode()).keep_alive is keeps  # one rule


def test_a_close_in_any_connection_header_closes():
    # RFC 9112 §9.6: a server that receives "close" MUST close after its answer, whatever
    # another Connection line says; the last line used to win.
    headers = (("Connection", "close"), ("Connection", "keep-alive"))
    assert httpwire.keeps_alive("1.1", headers) is False
    assert not httpwire.parse_head(
        b"POST / HTTP/1.1\r\nConnection: close\r\nConnection: keep-alive"
    ).keep_alive
