"""Square: HMAC-SHA256 of the notification URL followed by the raw body, base64."""

from __future__ import annotations

from webhook_inspector.core.signing._carriers import PlainHeader
from webhook_inspector.core.signing._keys import RAW
from webhook_inspector.core.signing.base import Part, Scheme

SQUARE = Scheme(
    id="square",
    title="Square",
    algorithm="HMAC-SHA256",
    carrier=PlainHeader("x-square-hmacsha256-signature"),
    signed=(Part.URL, Part.BODY),
    encoding="base64",
    key=RAW,
    source="https://developer.squareup.com/docs/webhooks/step3validate",
)

SCHEMES = (SQUARE,)
