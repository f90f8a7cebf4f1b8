"""Forwarded requests and rendered answers, as pure functions."""

from __future__ import annotations

import pytest

from webhook_inspector.core.errors import UsageError
from webhook_inspector.core.forwarder import (
    Forwarder,
    ForwardSettings,
    forward_request,
    render_answer,
)
from webhook_inspector.core.model import Exchange, OutgoingRequest
from webhook_inspector.core.sender import Sender

from factories import make_capture


def test_forward_request_keeps_everything_but_hop_by_hop_headers():
    capture = make_capture(
        method="PUT",
        target="/hooks/a%2Fb?x=%zz",
        headers=(("Host", "127.0.0.1:8765"), ("Connection", "keep-alive, X-Hop"),
                 ("X-Hop", "1"), ("transfer-encoding", "chunked"), ("X-Sig", "abc"),
                 ("x-sig", "def"), ("Content-Encoding", "gzip")),
        body=b"\x1f\x8b\x08\x00",
    )  # fmt: skip
    request, target = forward_request(capture, "http://localhost:3000/base/")
    assert request.method == "PUT" and request.body == b"\x1f\x8b\x08\x00"
    assert request.headers == (("Host", "127.0.0.1:8765"), ("X-Sig", "abc"), ("x-sig", "def"),
                               ("Content-Encoding", "gzip"))  # fmt: skip
    assert target == b"/base/hooks/a%2Fb?x=%zz"
    assert request.url == "http://localhost:3000/base/hooks/a%2Fb?x=%zz"


def test_render_answer_passes_the_targets_response_with_our_framing():
    capture = make_capture()
    exchange = Exchange(
        OutgoingRequest("POST", "http://t/"), 0, status=201, reason="Created",
        headers=(("Content-Length", "999"), ("Transfer-Encoding", "chunked"), ("X-A", "1")),
        body=b"made",
    )  # fmt: skip
    assert render_answer(exchange, capture, close=True) == (
        b"HTTP/1.1 201 Created\r\nX-A: 1\r\nContent-Length: 4\r\nConnection: close\r\n\r\nmade"
    )


def test_failed_forward_answers_502_with_the_reason():
    exchange = Exchange(OutgoingRequest("POST", "http://t/"), 0, error_kind="refused",
                        error="connection refused: nope")  # fmt: skip
    answer = render_answer(exchange, make_capture(), close=False)
    assert answer.startswith(b"HTTP/1.1 502 Bad Gateway\r\n")
    assert answer.endswith(b'{"error": "forwarding failed: connection refused: nope"}')


@pytest.mark.parametrize(("url", "answer"), [("ftp://x/", "ours"), ("localhost:3000", "ours"),
                                             ("http://x/", "sometimes")])  # fmt: skip
def test_bad_settings_raise_usage_errors(url, answer):
    with pytest.raises(UsageError):
        ForwardSettings(url, answer=answer)


@pytest.mark.parametrize(
    ("headers", "version", "closes"),
    [
        ((("Connection", "close"),), "1.1", True),
        ((("Connection", "x-close"),), "1.1", False),  # was read as a substring
        ((("Content-Length", "3"), ("Transfer-Encoding", "chunked")), "1.1", True),  # was kept
        ((), "1.0", True),
        ((), "1.1", False),
    ],
)
def test_the_relayed_answer_announces_the_close_the_listener_makes(headers, version, closes):
    capture = make_capture(headers=headers, http_version=version)
    exchange = Exchange(OutgoingRequest("POST", "http://t/"), 0, status=200, body=b"ok")
    forwarder = Forwarder(ForwardSettings("http://127.0.0.1:9/"), Sender())
    answer = forwarder.answer_for(exchange, capture)
    assert (b"\r\nConnection: close\r\n" in answer) is closes
