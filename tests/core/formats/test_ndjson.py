"""NDJSON export and import: a line per capture, byte-exact round trip, clear errors."""

from __future__ import annotations

import base64
import io
import json
from typing import Any

import pytest

from webhook_inspector.core.errors import FormatError
from webhook_inspector.core.formats import get_exporter
from webhook_inspector.core.formats.ndjson import read_ndjson, write_ndjson
from webhook_inspector.core.httpwire import default_answer, render_response
from webhook_inspector.core.model import CapturedRequest, Outcome

from factories import make_capture

RECEIVED_AT_US = 1_763_806_215_000_007


_BASE: dict[str, Any] = {
    "received_at_us": RECEIVED_AT_US,
    "target": "/hooks/stripe?a=%2F+b",
    "headers": (("Host", "127.0.0.1:8765"), ("Content-Type", "application/json")),
    "body": b'{"type":"charge.succeeded"}',
    "raw_head": b"POST /hooks/stripe?a=%2F+b HTTP/1.1\r\nHost: 127.0.0.1:8765",
    "id": 1,
}


def _capture(**extra: Any) -> CapturedRequest:
    return make_capture(**{**_BASE, **extra})


def _write(*captures: CapturedRequest) -> bytes:
    out = io.BytesIO()
    assert write_ndjson(captures, out) == len(captures)
    return out.getvalue()


def _records(data: bytes) -> list[dict[str, Any]]:
    return [json.loads(line) for line in data.splitlines()]


CAPTURES = [
    _capture(response=render_response(200, default_answer(1, 200, ""), date=b"x")),
    _capture(id=2, body=bytes(range(256)), headers=(("Content-Type", "image/png"),)),
    _capture(id=3, body=b"caf\xe9 \xff\xfe", tls=True, remote_ip="::1", remote_port=1),
    _capture(id=4, method="GET", body=b"", headers=(("X-A", "1"), ("x-a", "2"), ("X-A", "3"))),
    _capture(
        id=5,
        body=b"",
        outcome=Outcome.TOO_LARGE,
        reason="body larger than the 10 byte limit",
        declared_size=10_000,
        status=413,
    ),
    _capture(id=6, trailers=(("X-Sum", "1"),), inbox="stripe", target="/\xe9?\x85=\xff"),
    _capture(id=None, headers=(("X-Latin", "d\xe9j\xe0 \x85 vu"),), raw_head=b"\x00\xff"),
]


def test_round_trip_restores_equal_captures_byte_exact():
    data = _write(*CAPTURES)
    restored = list(read_ndjson(io.BytesIO(data)))
    assert restored == CAPTURES
    for before, after in zip(CAPTURES, restored, strict=True):
        assert after.body == before.body
        assert after.raw_head == before.raw_head
        assert after.response == before.response  # not part of ==, so checked on its own
        assert after.target.encode("latin-1") == before.target.encode("latin-1")


def test_one_ascii_line_per_capture():
    data = _write(*CAPTURES)
    assert data.isascii()  # U+0085 in a header must not become a line break for any reader
    assert data.endswith(b"\n")
    assert data.count(b"\n") == len(CAPTURES)


def test_record_fields():
    record = _records(_write(CAPTURES[0]))[0]
    assert record["received_at"] == "2025-11-22T10:10:15.000007Z"
    assert record["received_at_us"] == RECEIVED_AT_US
    assert record["headers"] == [["Host", "127.0.0.1:8765"], ["Content-Type", "application/json"]]
    assert record["target"] == "/hooks/stripe?a=%2F+b"
    assert record["outcome"] == "captured"
    assert record["declared_size"] is None
    assert record["body_size"] == len(CAPTURES[0].body)
    assert base64.b64decode(record["body_base64"]) == CAPTURES[0].body


def test_body_text_only_for_utf8_bodies():
    utf8 = _capture(body="Grüße ☕".encode())
    records = _records(_write(utf8, CAPTURES[1], CAPTURES[2], CAPTURES[3]))
    assert records[0]["body_text"] == "Grüße ☕"
    assert "body_text" not in records[1]  # bytes 0..255
    assert "body_text" not in records[2]  # latin-1 é
    assert records[3]["body_text"] == ""  # empty is valid UTF-8
    assert all("body_base64" in record for record in records)


def test_reader_skips_blank_lines_and_takes_str_lines():
    lines = ["", *_write(CAPTURES[0]).decode().splitlines(), "   "]
    assert list(read_ndjson(lines)) == [CAPTURES[0]]


_DROP = object()


def _line(**changes: Any) -> str:
    """A good record's line with fields changed, or removed when given _DROP."""
    record = _records(_write(CAPTURES[0]))[0]
    for key, value in changes.items():
        if value is _DROP:
            del record[key]
        else:
            record[key] = value
    return json.dumps(record)


@pytest.mark.parametrize(
    ("bad_line", "problem"),
    [
        ('{"id": 1,', "not valid JSON"),
        ("[1, 2]", "expected a JSON object, not an array"),
        (_line(method=_DROP), "missing field 'method'"),
        (_line(remote_port="80"), "field 'remote_port' must be an integer, not a string"),
        (_line(remote_port=True), "field 'remote_port' must be an integer, not true or false"),
        (_line(body_base64="***"), "field 'body_base64' is not valid base64"),
        (_line(outcome="lost"), "unknown outcome 'lost' (known: captured, too_large"),
        (_line(body_size=3), "body_size is 3 but body_base64 holds"),
        (_line(headers=[["Host"]]), "headers[0] must be a [name, value] pair of strings"),
        (_line(target="/日本"), "field 'target' has characters beyond U+00FF"),
    ],
)
def test_malformed_line_names_its_number_and_problem(bad_line, problem):
    good = _write(CAPTURES[0]).decode().rstrip("\n")
    lines = [good, "", bad_line, good]
    with pytest.raises(FormatError) as caught:
        list(read_ndjson(lines))
    assert str(caught.value).startswith("NDJSON line 3: ")
    assert problem in str(caught.value)


def test_invalid_utf8_line_names_its_number():
    with pytest.raises(FormatError, match=r"^NDJSON line 1: not UTF-8"):
        list(read_ndjson([b'{"method": "\xff"}\n']))


def test_registry_names_ndjson():
    exporter = get_exporter("ndjson")
    assert exporter.write is write_ndjson
    assert exporter.extension == ".ndjson"
    assert exporter.media_type == "application/x-ndjson"
