"""Raw HTTP export: the messages as received, a valid pipeline, goldens."""

from __future__ import annotations

import io

from formatsamples import check_golden, sample_captures

from webhook_inspector.core.formats import get_exporter
from webhook_inspector.core.formats.rawhttp import raw_request
from webhook_inspector.core.model import Outcome

from factories import make_capture

CAPTURES = sample_captures()


def test_golden():
    out = io.BytesIO()
    assert get_exporter("raw").export(CAPTURES, out) == len(CAPTURES)
    check_golden("raw_redacted.http", out.getvalue())


def test_rebuilt_head_keeps_order_case_and_duplicates():
    data = raw_request(CAPTURES[1])
    assert data == (
        b"GET /status?q=a+b&empty=&flag HTTP/1.1\r\nHost: 127.0.0.1:8765\r\nX-A: 1\r\n"
        b"x-a: 2\r\nX-Empty: \r\nAccept: */*\r\n\r\n"
    )


def test_received_head_is_used_verbatim_with_its_line_ends():
    capture = make_capture(raw_head=b"POST /h HTTP/1.1\nHost:x\nContent-Length: 2", body=b"hi")
    assert raw_request(capture) == b"POST /h HTTP/1.1\nHost:x\nContent-Length: 2\n\nhi"
    refused = make_capture(raw_head=b"garbage", outcome=Outcome.BAD_REQUEST, headers=())
    assert raw_request(refused).startswith(b"POST /hook HTTP/1.1\r\n")


def test_chunked_body_is_one_chunk_then_trailers():
    capture = make_capture(
        headers=(("Transfer-Encoding", "chunked"),), body=b"hello", trailers=(("X-Sum", "1"),)
    )
    assert raw_request(capture).endswith(b"\r\n\r\n5\r\nhello\r\n0\r\nX-Sum: 1\r\n\r\n")


def test_redaction_reaches_the_received_head():
    capture = make_capture(
        raw_head=b"POST /h HTTP/1.1\r\nAuthorization: Bearer abc\r\nX-Ok: 1",
        headers=(("Authorization", "Bearer abc"), ("X-Ok", "1")),
    )
    out = io.BytesIO()
    get_exporter("raw").export([capture], out)
    assert out.getvalue() == b"POST /h HTTP/1.1\r\nAuthorization: REDACTED\r\nX-Ok: 1\r\n\r\n"
