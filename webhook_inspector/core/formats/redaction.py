"""Redaction of secrets and signatures in exported captures: which headers, and how."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator

from webhook_inspector.core.model import CapturedRequest

REDACTED = "REDACTED"

# Credentials and provider signatures, by exact name (lower case). A signature is no password,
# but it lets anyone replay the delivery it signs, so it is treated like one.
SECRET_HEADERS = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "cookie",
        "set-cookie",
        "x-api-key",
        "api-key",
        "x-auth-token",
        "x-hub-signature",
        "x-hub-signature-256",
        "stripe-signature",
        "webhook-signature",
        "svix-signature",
        "x-slack-signature",
        "x-shopify-hmac-sha256",
        "x-twilio-signature",
        "x-twilio-email-event-webhook-signature",
        "x-gitlab-token",
        "x-square-signature",
        "x-square-hmacsha256-signature",
        "paddle-signature",
        "twitch-eventsub-message-signature",
        "x-zm-signature",
        "x-signature-ed25519",
        "linear-signature",
        "x-hook-secret",
        "x-pagerduty-signature",
        "calendly-webhook-signature",
        "x-mailgun-signature",
    }
)
# Names no list can foresee (`X-Acme-Signature`, `X-Webhook-Token`) are caught by their words.
_SECRET_WORDS = re.compile(r"signature|secret|token|api-?key|hmac|passw|auth", re.IGNORECASE)
_HEAD_LINE = re.compile(rb"([^\r\n:]+):[ \t]*([^\r\n]*)")


def is_secret_header(name: str) -> bool:
    """Whether header `name` carries a credential or a signature (case-insensitive)."""
    return name.lower() in SECRET_HEADERS or _SECRET_WORDS.search(name) is not None


def redact_headers(headers: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """`headers` with every secret value replaced by REDACTED (names, order and count kept)."""
    return tuple((name, REDACTED if is_secret_header(name) else value) for name, value in headers)


def redact_capture(capture: CapturedRequest) -> CapturedRequest:
    """The capture with secret header values replaced, in its headers, trailers and raw head."""
    if not any(is_secret_header(name) for name, _ in (*capture.headers, *capture.trailers)):
        return capture
    return dataclasses.replace(
        capture,
        headers=redact_headers(capture.headers),
        trailers=redact_headers(capture.trailers),
        raw_head=_redact_raw_head(capture.raw_head),
    )


def redact_all(captures: Iterable[CapturedRequest]) -> Iterator[CapturedRequest]:
    """Redact a stream of captures lazily, one at a time."""
    return map(redact_capture, captures)


def _redact_raw_head(raw: bytes) -> bytes:
    def replace(match: re.Match[bytes]) -> bytes:
        name = match[1].decode("latin-1")
        if not is_secret_header(name.strip()):
            return match[0]
        return match[0][: match.start(2) - match.start(0)] + REDACTED.encode()

    # Skip the request line: its target may hold a colon (`/a:b`).
    first, newline, rest = raw.partition(b"\n")
    return first + newline + _HEAD_LINE.sub(replace, rest)
