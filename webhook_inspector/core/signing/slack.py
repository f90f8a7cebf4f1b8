"""Slack: HMAC-SHA256 of `v0:timestamp:body`, hex, `v0=` in X-Slack-Signature."""

from __future__ import annotations

from webhook_inspector.core.signing._carriers import PlainHeader
from webhook_inspector.core.signing._keys import RAW
from webhook_inspector.core.signing.base import Part, Scheme

SLACK = Scheme(
    id="slack",
    title="Slack",
    algorithm="HMAC-SHA256",
    carrier=PlainHeader("X-Slack-Signature", "v0="),
    signed=(b"v0:", Part.TIMESTAMP, b":", Part.BODY),
    encoding="hex",
    key=RAW,
    source="https://docs.slack.dev/authentication/verifying-requests-from-slack",
    timestamp_header="X-Slack-Request-Timestamp",
    tolerance_s=300,
)

SCHEMES = (SLACK,)
