"""Zoom: HMAC-SHA256 of `v0:timestamp:body`, hex, `v0=` in x-zm-signature."""

from __future__ import annotations

from webhook_inspector.core.signing._carriers import PlainHeader
from webhook_inspector.core.signing._keys import RAW
from webhook_inspector.core.signing.base import Part, Scheme

ZOOM = Scheme(
    id="zoom",
    title="Zoom",
    algorithm="HMAC-SHA256",
    carrier=PlainHeader("x-zm-signature", "v0="),
    signed=(b"v0:", Part.TIMESTAMP, b":", Part.BODY),
    encoding="hex",
    key=RAW,
    source="https://developers.zoom.us/docs/api/webhooks/#verify-with-zooms-header",
    timestamp_header="x-zm-request-timestamp",
    tolerance_s=300,
)

SCHEMES = (ZOOM,)
