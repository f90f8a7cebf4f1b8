"""Paddle Billing: HMAC-SHA256 of `ts:body` with the whole secret key, `ts=…;h1=…` header."""

from __future__ import annotations

from webhook_inspector.core.signing._carriers import KeyValueHeader
from webhook_inspector.core.signing._keys import RAW
from webhook_inspector.core.signing.base import Part, Scheme

PADDLE = Scheme(
    id="paddle",
    title="Paddle Billing",
    algorithm="HMAC-SHA256",
    carrier=KeyValueHeader("Paddle-Signature", "h1", "ts", ";"),
    signed=(Part.TIMESTAMP, b":", Part.BODY),
    encoding="hex",
    key=RAW,
    source="https://developer.paddle.com/webhooks/signature-verification",
    # Paddle's SDKs default to a 5 s maximum variance.
    tolerance_s=5,
    secret_prefixes=("pdl_ntfset_",),
)

SCHEMES = (PADDLE,)
