"""Shopify: HMAC-SHA256 of the raw body, base64, in X-Shopify-Hmac-Sha256."""

from __future__ import annotations

from webhook_inspector.core.signing._carriers import PlainHeader
from webhook_inspector.core.signing._keys import RAW
from webhook_inspector.core.signing.base import Part, Scheme

SHOPIFY = Scheme(
    id="shopify",
    title="Shopify",
    algorithm="HMAC-SHA256",
    carrier=PlainHeader("X-Shopify-Hmac-Sha256"),
    signed=(Part.BODY,),
    encoding="base64",
    key=RAW,
    source="https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-5-verify-the-webhook",
)

SCHEMES = (SHOPIFY,)
