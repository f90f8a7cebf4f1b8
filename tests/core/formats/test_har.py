"""HAR export: schema-valid (the schema HTTP Toolkit's import checks), bytes recoverable."""

from __future__ import annotations

import base64
import functools
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft6Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT6

from webhook_inspector import __version__
from webhook_inspector.core.errors import UsageError
from webhook_inspector.core.formats import EXPORTERS, get_exporter
from webhook_inspector.core.formats.har import har_entry, write_har
from webhook_inspector.core.httpwire import default_answer, render_response
from webhook_inspector.core.model import CapturedRequest, Outcome

from factories import make_capture

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "data" / "har"
RECEIVED_AT_US = 1_763_806_215_123_456  # 2025-11-22T10:10:15.123456Z
DATE = b"Sat, 22 Nov 2025 10:10:15 GMT"

# HTTP Toolkit's import validates with har-validator: ajv 6 and its default "fast" formats. These
# are those formats' regexes; jsonschema alone would skip `uri` and `date-time` (no extra libs).
_AJV_URI = re.compile(r"(?i)[a-z][a-z0-9+\-.]*:(?://?)?[^\s]*")
_AJV_DATE_TIME = re.compile(
    r"(?i)\d{4}-[01]\d-[0-3]\d[t\s](?:[0-2]\d:[0-5]\d:[0-5]\d|23:59:60)(?:\.\d+)?"
    r"(?:z|[+-]\d\d(?::?\d\d)?)"
)
AJV_FORMATS = FormatChecker(formats=())


@AJV_FORMATS.checks("uri")
def _is_uri(value: object) -> bool:
    return not isinstance(value, str) or _AJV_URI.fullmatch(value) is not None


@AJV_FORMATS.checks("date-time")
def _is_date_time(value: object) -> bool:
    return not isinstance(value, str) or _AJV_DATE_TIME.fullmatch(value) is not None


_BASE: dict[str, Any] = {
    "received_at_us": RECEIVED_AT_US,
    "target": "/hooks/github?delivery=1",
    "headers": (("Host", "127.0.0.1:8765"), ("Content-Type", "application/json")),
    "body": b'{"action":"opened","number":1}',
    "raw_head": b"POST /hooks/github?delivery=1 HTTP/1.1\r\nHost: 127.0.0.1:8765",
    "id": 1,
}


def _capture(**extra: Any) -> CapturedRequest:
    return make_capture(**{**_BASE, **extra})


@functools.cache
def _validator() -> Draft6Validator:
    resources = [
        (path.name, Resource.from_contents(json.loads(path.read_text()), DRAFT6))
        for path in SCHEMA_DIR.glob("*.json")
    ]
    registry: Registry[Any] = Registry().with_resources(resources)
    schema = registry.contents("har.json")
    return Draft6Validator(schema, registry=registry, format_checker=AJV_FORMATS)


def _schema_errors(document: object) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in _validator().iter_errors(document)]


def _export(*captures: CapturedRequest) -> dict[str, Any]:
    out = io.BytesIO()
    assert write_har(captures, out) == len(captures)
    document = json.loads(out.getvalue())
    assert _schema_errors(document) == []
    assert len(document["log"]["entries"]) == len(captures)
    return document


def _entry(capture: CapturedRequest) -> dict[str, Any]:
    entry: dict[str, Any] = _export(capture)["log"]["entries"][0]
    return entry


def test_the_vendored_schema_resolves_refs_and_rejects_broken_files():
    entry = har_entry(_capture())
    good = {"log": {"version": "1.2", "creator": {"name": "x", "version": "1"}, "entries": [entry]}}
    assert _schema_errors(good) == []
    del entry["request"]["headers"]  # a required field two $refs deep
    entry["startedDateTime"] = "yesterday"
    entry["request"]["url"] = "/no scheme"  # caught only by the ajv-like format check
    errors = _schema_errors(good)
    assert any("'headers' is a required property" in e for e in errors)
    assert any("startedDateTime" in e for e in errors)
    assert any("'/no scheme' is not a 'uri'" in e for e in errors)


def test_json_capture_becomes_a_request_entry():
    capture = _capture(headers=(*_capture().headers, ("Cookie", "session=abc; theme=dark")))
    document = _export(capture)
    log = document["log"]
    assert log["version"] == "1.2"
    assert log["creator"] == {"name": "Webhook Inspector", "version": __version__}
    entry = log["entries"][0]
    assert entry["startedDateTime"] == "2025-11-22T10:10:15.123456Z"
    assert entry["cache"] == {}
    assert entry["timings"] == {
        "blocked": -1, "dns": -1, "connect": -1, "ssl": -1, "send": 0, "wait": 0, "receive": 0,
    }  # fmt: skip
    request = entry["request"]
    assert request["method"] == "POST"
    assert request["url"] == "http://127.0.0.1:8765/hooks/github?delivery=1"
    assert request["httpVersion"] == "HTTP/1.1"
    assert request["queryString"] == [{"name": "delivery", "value": "1"}]
    assert request["cookies"] == [
        {"name": "session", "value": "abc"},
        {"name": "theme", "value": "dark"},
    ]
    assert request["bodySize"] == len(capture.body)
    assert request["headersSize"] == len(capture.raw_head) + 4  # + the CRLF CRLF that ended it
    assert request["postData"] == {
        "mimeType": "application/json",
        "text": '{"action":"opened","number":1}',
    }
    assert "_content" not in request
    assert entry["_webhookInspector"] == {
        "id": 1,
        "inbox": "default",
        "outcome": "captured",
        "reason": "",
        "remote": "127.0.0.1:50123",
        "declaredSize": None,
    }


def _decoded_content(request: dict[str, Any]) -> bytes:
    content = request["_content"]
    assert content["encoding"] == "base64"
    return base64.b64decode(content["text"], validate=True)


def test_binary_body_goes_to_http_toolkits_content_field():
    body = bytes(range(256)) * 3
    request = _entry(_capture(body=body, headers=(("Content-Type", "application/octet-stream"),)))[
        "request"
    ]
    assert "postData" not in request  # postData.text has no encoding field to say "base64"
    assert request["_requestBodyStatus"] == "discarded:not-representable"
    assert request["_content"]["size"] == len(body)
    assert _decoded_content(request) == body
    assert request["bodySize"] == len(body)


def test_invalid_utf8_body_is_kept_byte_exact():
    body = b'{"name":"Caf\xe9 \xc3\x28"}'  # latin-1 é, then a broken two-byte sequence
    request = _entry(_capture(body=body))["request"]
    assert "postData" not in request
    assert _decoded_content(request) == body


def test_utf8_body_text_is_exact():
    body = '{"name":"Café ☕ 日本"}'.encode()
    request = _entry(_capture(body=body))["request"]
    assert request["postData"]["text"].encode("utf-8") == body
    assert request["bodySize"] == len(body)  # bytes, not characters


def test_duplicate_headers_differing_in_case_keep_order_and_case():
    headers = (
        ("Host", "example.test"),
        ("X-Event", "push"),
        ("x-event", "ping"),
        ("X-EVENT", "push"),
        ("Content-Type", "text/plain"),
    )
    request = _entry(_capture(headers=headers, body=b"hello"))["request"]
    assert [(h["name"], h["value"]) for h in request["headers"]] == list(headers)
    assert request["postData"]["mimeType"] == "text/plain"


def test_url_keeps_the_target_undecoded():
    capture = _capture(target="/repos/a%2Fb/hooks?q=a+b&path=x%2Fy&empty=")
    request = _entry(capture)["request"]
    assert request["url"] == "http://127.0.0.1:8765/repos/a%2Fb/hooks?q=a+b&path=x%2Fy&empty="
    assert request["queryString"] == [
        {"name": "q", "value": "a b"},
        {"name": "path", "value": "x/y"},
        {"name": "empty", "value": ""},
    ]


def test_non_ascii_target_bytes_are_percent_encoded_and_query_decodes_as_utf8():
    # `target` holds wire bytes as latin-1: \xe9 was a raw 0xE9 byte on the wire.
    capture = _capture(target="/caf\xe9?name=%C3%A9&raw=\xe9")
    request = _entry(capture)["request"]
    assert request["url"] == "http://127.0.0.1:8765/caf%E9?name=%C3%A9&raw=%E9"
    assert request["queryString"] == [
        {"name": "name", "value": "é"},
        {"name": "raw", "value": "\ufffd"},  # not UTF-8: replaced, as query_items() documents
    ]


@pytest.mark.parametrize(
    ("host", "tls", "target", "url"),
    [
        (None, False, "/x", "http://127.0.0.1/x"),
        ("hooks.example.test:8443", True, "/x", "https://hooks.example.test:8443/x"),
        ("evil.test/other?", False, "/x", "http://127.0.0.1/x"),
        ("[::1]:8765", False, "*", "http://[::1]:8765/*"),
        ("a.test", False, "http://b.test/p?q", "http://b.test/p?q"),
        ("a.test", False, "", "http://a.test/"),
    ],
)
def test_url_host_scheme_and_target_forms(host, tls, target, url):
    headers = (("Host", host),) if host is not None else ()
    assert _entry(_capture(headers=headers, tls=tls, target=target))["request"]["url"] == url


def test_empty_body_has_no_post_data():
    request = _entry(_capture(method="GET", body=b"", headers=(("Host", "h"),)))["request"]
    assert request["bodySize"] == 0
    assert "postData" not in request
    assert "_content" not in request


def test_form_body_gives_params_and_the_exact_text():
    body = b"payload=%7B%22a%22%3A1%7D&token=x+y"
    headers = (("Content-Type", "application/x-www-form-urlencoded"),)
    post = _entry(_capture(body=body, headers=headers))["request"]["postData"]
    assert post["text"] == body.decode()
    assert post["params"] == [
        {"name": "payload", "value": '{"a":1}'},
        {"name": "token", "value": "x y"},
    ]


def test_refused_too_large_capture():
    capture = _capture(
        body=b"",
        outcome=Outcome.TOO_LARGE,
        reason="body larger than the 10 byte limit (--max-body)",
        declared_size=5_000_000,
        status=413,
        headers=(("Host", "h"), ("Content-Length", "5000000")),
        response=render_response(413, default_answer(9, 413, "too large"), date=DATE, close=True),
    )
    entry = _entry(capture)
    request, response = entry["request"], entry["response"]
    assert request["_requestBodyStatus"] == "discarded:too-large"
    assert request["comment"] == f"Body not read: {capture.reason}"
    assert "postData" not in request
    assert request["bodySize"] == 0
    assert entry["_webhookInspector"]["outcome"] == "too_large"
    assert entry["_webhookInspector"]["declaredSize"] == 5_000_000
    assert entry["_webhookInspector"]["reason"] == capture.reason
    assert response["status"] == 413
    assert response["statusText"] == "Request Entity Too Large"
    assert json.loads(response["content"]["text"])["status"] == "rejected"


def test_bad_request_with_unreadable_request_line_is_still_valid_har():
    capture = _capture(
        method="",
        target="",
        http_version="",
        headers=(),
        body=b"",
        raw_head=b"\x16\x03\x01\x02\x00",
        outcome=Outcome.BAD_REQUEST,
        reason="TLS handshake on a plain-HTTP listener",
        status=400,
    )
    request = _entry(capture)["request"]
    assert request["url"] == "http://127.0.0.1/"
    assert request["httpVersion"] == "HTTP/1.1"  # HTTP Toolkit's import throws on other forms
    assert request["headersSize"] == -1  # a refused head may be cut short


def test_head_size_counts_the_blank_line_that_was_sent():
    lf_only = _capture(raw_head=b"POST / HTTP/1.1\nHost: h")
    assert _entry(lf_only)["request"]["headersSize"] == len(lf_only.raw_head) + 2
    assert _entry(_capture(raw_head=b""))["request"]["headersSize"] == -1


def test_response_is_what_the_listener_answered():
    answer = render_response(200, default_answer(42, 200, ""), date=DATE)
    response = _entry(_capture(response=answer))["response"]
    assert response["status"] == 200
    assert response["statusText"] == "OK"
    assert response["httpVersion"] == "HTTP/1.1"
    assert [h["name"] for h in response["headers"]] == ["Content-Type", "Content-Length", "Date"]
    body = default_answer(42, 200, "")
    assert response["content"] == {
        "size": len(body),
        "mimeType": "application/json",
        "text": body.decode(),
    }
    assert response["bodySize"] == len(body)
    assert response["headersSize"] == len(answer) - len(body)


def test_response_cookies_redirect_and_binary_body():
    body = b"\x89PNG\r\n\x1a\n\x00\xff"
    answer = (
        b"HTTP/1.1 302 Found\r\nLocation: /elsewhere\r\nContent-Type: image/png\r\n"
        b"Set-Cookie: sid=1; Path=/; Expires=Sun, 23 Nov 2025 10:00:00 GMT; HttpOnly; Secure\r\n"
        b"Set-Cookie: plain=2; Expires=not a date\r\n\r\n" + body
    )
    response = _entry(_capture(status=302, response=answer))["response"]
    assert response["redirectURL"] == "/elsewhere"
    assert response["cookies"] == [
        {
            "name": "sid",
            "value": "1",
            "path": "/",
            "expires": "2025-11-23T10:00:00.000000Z",
            "httpOnly": True,
            "secure": True,
        },
        {"name": "plain", "value": "2"},
    ]
    assert response["content"]["encoding"] == "base64"
    assert base64.b64decode(response["content"]["text"]) == body
    assert response["content"]["mimeType"] == "image/png"


def test_no_response_bytes_gives_a_minimal_response_with_the_status():
    response = _entry(_capture(status=408, response=b""))["response"]
    assert response["status"] == 408
    assert response["statusText"] == "Request Timeout"
    assert response["headers"] == []
    assert response["content"]["size"] == 0


def test_trailers_use_http_toolkits_field():
    trailers = (("X-Checksum", "abc"),)
    request = _entry(_capture(trailers=trailers))["request"]
    assert request["_trailers"] == [{"name": "X-Checksum", "value": "abc"}]


def test_writes_each_entry_before_reading_the_next_capture():
    out = io.BytesIO()
    sizes: list[int] = []

    def captures() -> Iterator[CapturedRequest]:
        for number in range(3):
            sizes.append(out.tell())
            yield _capture(id=number)

    assert write_har(captures(), out) == 3
    assert sizes[0] < sizes[1] < sizes[2]  # the previous entry was already out
    document = json.loads(out.getvalue())
    assert [e["_webhookInspector"]["id"] for e in document["log"]["entries"]] == [0, 1, 2]


def test_no_captures_is_an_empty_valid_log():
    assert _export()["log"]["entries"] == []


def test_registry_names_har():
    exporter = get_exporter("har")
    assert exporter is EXPORTERS["har"]
    assert exporter.write is write_har
    assert exporter.extension == ".har"
    assert exporter.media_type == "application/json"


def test_unknown_exporter_lists_the_known_ones():
    with pytest.raises(UsageError) as caught:
        get_exporter("postman-v9")
    message = str(caught.value)
    assert "'postman-v9'" in message
    assert "curl, curl-cmd, har, httpie, ndjson, postman, raw" in message


def test_export_file_leaves_nothing_half_written(tmp_path):
    from webhook_inspector.core.errors import InspectorError
    from webhook_inspector.core.formats import EXPORTERS

    target = tmp_path / "out.har"
    assert EXPORTERS["har"].export_file([make_capture()], target) == 1
    assert json.loads(target.read_text())["log"]["entries"] and not list(tmp_path.glob("*.part"))
    with pytest.raises(InspectorError, match="cannot write"):
        EXPORTERS["har"].export_file([make_capture()], tmp_path / "missing" / "out.har")
    assert not list(tmp_path.rglob("*.part"))
