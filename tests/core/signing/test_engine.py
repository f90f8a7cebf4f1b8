"""sign() and verify() over every scheme: the round-trip property, explanations, edge cases."""

from __future__ import annotations

import functools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from webhook_inspector.core.errors import UsageError
from webhook_inspector.core.model import OutgoingRequest
from webhook_inspector.core.signing import SCHEMES, Message, as_message, get_scheme, sign, verify
from webhook_inspector.core.signing.base import Reason, Status, TimeFormat
from webhook_inspector.core.signing.engine import parse_time_argument, parse_timestamp

from factories import make_capture

NOW = 1_795_000_000
URL = "https://hooks.example.com/in/abc?x=1"


@functools.cache
def keys(scheme_id: str) -> tuple[str, str]:
    """A (signing, verifying) key pair for the scheme, made once per run."""
    return SCHEMES[scheme_id].key.generate()


def signed(scheme_id: str, body: bytes, **kwargs) -> Message:
    private, _ = keys(scheme_id)
    return sign(SCHEMES[scheme_id], Message("POST", URL, (), body), private, timestamp=NOW,
                **kwargs).message  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scheme_id=st.sampled_from(sorted(SCHEMES)), body=st.binary(min_size=1, max_size=300),
       data=st.data())  # fmt: skip
def test_verify_of_sign_holds_and_any_byte_change_breaks_it(scheme_id, body, data):
    scheme = SCHEMES[scheme_id]
    _, public = keys(scheme_id)
    message = signed(scheme_id, body)
    assert verify(scheme, message, public, now=NOW).status is Status.VALID
    if scheme.covers_body:
        index = data.draw(st.integers(0, len(message.body) - 1))
        delta = data.draw(st.integers(1, 255))
        changed = bytearray(message.body)
        changed[index] = (changed[index] + delta) % 256
        tampered = Message(message.method, message.url, message.headers, bytes(changed))
        assert verify(scheme, tampered, public, now=NOW).status is Status.INVALID


@pytest.mark.parametrize("scheme_id", sorted(SCHEMES))
def test_header_names_are_case_insensitive(scheme_id):
    _, public = keys(scheme_id)
    message = signed(scheme_id, b'{"a":1}')
    lowered = tuple((name.lower(), value) for name, value in message.headers)
    upper = tuple((name.upper(), value) for name, value in message.headers)
    for headers in (lowered, upper):
        again = Message(message.method, message.url, headers, message.body)
        assert verify(SCHEMES[scheme_id], again, public, now=NOW).valid


@pytest.mark.parametrize("scheme_id", sorted(SCHEMES))
def test_no_key_text_in_any_explanation(scheme_id):
    private, public = keys(scheme_id)
    message = signed(scheme_id, b'{"a":1}')
    other_private, other_public = SCHEMES[scheme_id].key.generate()
    result = verify(SCHEMES[scheme_id], message, other_public, now=NOW)
    assert result.status is Status.INVALID
    for text in (private, public, other_private, other_public):
        assert text not in result.explanation
        assert text not in str(result.to_json())


def test_mismatch_explains_expected_received_and_the_signed_string():
    scheme = get_scheme("stripe")
    message = sign(scheme, Message(body=b"a\x00b\n"), "whsec_one", timestamp=NOW).message
    result = verify(scheme, message, "whsec_two", now=NOW)
    assert result.reason is Reason.MISMATCH
    assert f"expected: {result.expected}" in result.explanation
    assert f"received: {result.received[0]}" in result.explanation
    assert f"{NOW}.a\\x00b\\n" in result.explanation
    assert result.signed_string == f"{NOW}.".encode() + b"a\x00b\n"


def test_stale_timestamp_explains_skew_and_window():
    scheme = get_scheme("slack")
    message = sign(scheme, Message(body=b"{}"), "s", timestamp=NOW).message
    result = verify(scheme, message, "s", now=NOW + 400)
    assert (result.status, result.reason) == (Status.INVALID, Reason.TIMESTAMP_TOO_OLD)
    assert result.skew_s == 400
    assert "400 s old" in result.explanation
    assert "300 s replay window" in result.explanation
    assert verify(scheme, message, "s", now=NOW + 400, tolerance=500).valid


def test_missing_signature_names_the_header():
    result = verify(get_scheme("github"), Message(body=b"{}"), "s")
    assert (result.status, result.reason) == (Status.MISSING, Reason.MISSING_HEADER)
    assert "X-Hub-Signature-256" in result.explanation


def test_token_mismatch_never_shows_the_token():
    scheme = get_scheme("gitlab_token")
    message = Message(headers=(("X-Gitlab-Token", "sent-token"),))
    result = verify(scheme, message, "configured-token")
    assert result.status is Status.INVALID
    assert result.expected == ""
    assert "sent-token" not in result.explanation
    assert "configured-token" not in result.explanation


def test_url_schemes_need_a_url():
    with pytest.raises(UsageError, match="URL"):
        sign(get_scheme("square"), Message(body=b"{}"), "k")
    headers = (("x-square-hmacsha256-signature", "abc="),)
    result = verify(get_scheme("square"), Message(headers=headers, body=b"{}"), "k")
    assert result.reason is Reason.URL_REQUIRED


@pytest.mark.parametrize(
    ("scheme_id", "key"),
    [("standard_webhooks", "whsec_***"), ("discord", "zz"), ("sendgrid", "bm90IGEga2V5"),
     ("standard_webhooks_v1a", "abc"), ("github", "")],
)  # fmt: skip
def test_malformed_keys_are_usage_errors(scheme_id, key):
    with pytest.raises(UsageError):
        verify(get_scheme(scheme_id), Message(), key)


def test_as_message_from_capture_and_outgoing():
    capture = make_capture(target="/hook?a=1", headers=(("Host", "example.com:8765"),), tls=True)
    assert as_message(capture).url == "https://example.com:8765/hook?a=1"
    assert as_message(capture, url="https://pub.example/x").url == "https://pub.example/x"
    outgoing = OutgoingRequest("PUT", "http://x/y", (("A", "1"),), b"b")
    assert as_message(outgoing) == Message("PUT", "http://x/y", (("A", "1"),), b"b")


def test_time_parsing():
    assert parse_timestamp("2026-11-18T11:06:40.123456789Z", TimeFormat.RFC3339) == pytest.approx(
        1_795_000_000.123456
    )
    assert parse_timestamp("1795000000000", TimeFormat.UNIX_MS) == 1_795_000_000
    with pytest.raises(ValueError):
        parse_timestamp("-5", TimeFormat.UNIX)
    assert parse_time_argument("2026-11-18T11:06:40Z") == 1_795_000_000
    with pytest.raises(UsageError):
        parse_time_argument("soon")


def test_scheme_ids_and_captures_are_accepted_directly():
    headers = sign("github", Message(body=b"x"), "s").headers
    capture = make_capture(headers=headers, body=b"x")
    assert verify("GitHub", capture, "s").valid
    with pytest.raises(UsageError, match="unknown signing scheme"):
        verify("githbu", capture, "s")
