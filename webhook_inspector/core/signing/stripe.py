"""Stripe: HMAC-SHA256 of `t.body` with the whole `whsec_…` secret, in Stripe-Signature."""

from __future__ import annotations

from webhook_inspector.core.signing._carriers import KeyValueHeader
from webhook_inspector.core.signing._keys import RAW
from webhook_inspector.core.signing.base import Part, Scheme

STRIPE = Scheme(
    id="stripe",
    title="Stripe",
    algorithm="HMAC-SHA256",
    # Several v1 entries arrive while a secret is rolled; any one may match. v0 is test-only.
    carrier=KeyValueHeader("Stripe-Signature", "v1", "t", ","),
    signed=(Part.TIMESTAMP, b".", Part.BODY),
    encoding="hex",
    key=RAW,
    source="https://docs.stripe.com/webhooks#verify-manually",
    tolerance_s=300,
    secret_prefixes=("whsec_",),
)

SCHEMES = (STRIPE,)
