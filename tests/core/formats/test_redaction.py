"""Redaction: which headers count as secrets, and that nothing else changes."""

from __future__ import annotations

import pytest

from webhook_inspector.core.formats.redaction import (
    REDACTED,
    is_secret_header,
    redact_capture,
    redact_headers,
)

from factories import make_capture


@pytest.mark.parametrize(
    "name",
    ["Authorization", "cookie", "X-Hub-Signature", "X-Hub-Signature-256", "Stripe-Signature",
     "webhook-signature", "X-Slack-Signature", "X-Shopify-Hmac-Sha256", "X-Twilio-Signature",
     "X-Gitlab-Token", "X-Acme-Signature", "X-Webhook-Secret", "X-API-Key"],
)  # fmt: skip
def test_secret_headers(name):
    assert is_secret_header(name)


@pytest.mark.parametrize("name", ["Content-Type", "X-GitHub-Event", "User-Agent", "Host"])
def test_ordinary_headers(name):
    assert not is_secret_header(name)


def test_values_replaced_names_order_and_duplicates_kept():
    headers = (("X-A", "1"), ("Authorization", "Bearer x"), ("authorization", "Basic y"))
    assert redact_headers(headers) == (
        ("X-A", "1"),
        ("Authorization", REDACTED),
        ("authorization", REDACTED),
    )


def test_capture_raw_head_and_trailers_redacted_body_untouched():
    capture = make_capture(
        raw_head=b"POST /a:b HTTP/1.1\r\nStripe-Signature: t=1,v1=abc\r\nX-Ok: t=1",
        headers=(("Stripe-Signature", "t=1,v1=abc"), ("X-Ok", "t=1")),
        trailers=(("X-Signature", "zzz"),),
        body=b"Stripe-Signature: t=1,v1=abc",
    )
    redacted = redact_capture(capture)
    assert redacted.raw_head == b"POST /a:b HTTP/1.1\r\nStripe-Signature: REDACTED\r\nX-Ok: t=1"
    assert redacted.trailers == (("X-Signature", REDACTED),)
    assert redacted.body == capture.body


def test_capture_without_secrets_is_returned_as_is():
    capture = make_capture(headers=(("X-Ok", "1"),))
    assert redact_capture(capture) is capture
