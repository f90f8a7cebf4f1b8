"""Value types and helpers shared by the engine and the schemes."""

from __future__ import annotations

from webhook_inspector.core.signing.base import (
    Message,
    Reason,
    Status,
    VerifyResult,
    escape_bytes,
    url_origin_variants,
)


def test_escape_bytes_keeps_printables_and_escapes_the_rest():
    assert escape_bytes(b'a\\b\x00\n\r\t\xff"') == 'a\\\\b\\x00\\n\\r\\t\\xff"'
    assert escape_bytes(b"abcdef", limit=3) == "abc… (3 more bytes)"


def test_url_origin_variants():
    assert url_origin_variants("https://h.com:1234/p?q=1") == [
        "https://h.com:1234/p?q=1",
        "https://h.com/p?q=1",
    ]
    assert url_origin_variants("http://h.com/p") == ["http://h.com/p", "http://h.com:80/p"]
    assert url_origin_variants("relative/path") == ["relative/path"]


def test_message_headers_replace_case_insensitively():
    message = Message(headers=(("X-A", "1"), ("Other", "2")))
    changed = message.replace_headers((("x-a", "3"),))
    assert changed.headers == (("Other", "2"), ("x-a", "3"))
    assert changed.header("X-A") == "3"
    assert Message(headers=(("content-type", "Application/JSON; charset=x"),)).content_type == (
        "application/json"
    )


def test_verify_result_json():
    result = VerifyResult(Status.INVALID, Reason.MISMATCH, "why", "github_sha256",
                          signed_string=b"\x01")  # fmt: skip
    data = result.to_json()
    assert data["status"] == "invalid"
    assert data["reason"] == "mismatch"
    assert data["signed_string"] == "\\x01"
    assert not result.valid
