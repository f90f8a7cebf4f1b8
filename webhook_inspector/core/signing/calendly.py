"""Calendly: HMAC-SHA256 of `t.body`, `t=…,v1=…` in Calendly-Webhook-Signature."""

from __future__ import annotations

from webhook_inspector.core.signing._carriers import KeyValueHeader
from webhook_inspector.core.signing._keys import RAW
from webhook_inspector.core.signing.base import Part, Scheme

CALENDLY = Scheme(
    id="calendly",
    title="Calendly",
    algorithm="HMAC-SHA256",
    carrier=KeyValueHeader("Calendly-Webhook-Signature", "v1", "t", ","),
    signed=(Part.TIMESTAMP, b".", Part.BODY),
    encoding="hex",
    key=RAW,
    source="https://developer.calendly.com/api-docs/overview/webhooks/webhook-signatures",
    tolerance_s=180,  # Calendly's sample code uses three minutes
)

SCHEMES = (CALENDLY,)
