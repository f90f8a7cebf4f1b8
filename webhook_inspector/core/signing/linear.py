"""Linear: HMAC-SHA256 of the raw body, hex, in Linear-Signature; `webhookTimestamp` (ms) in
the JSON body gives the replay check."""

from __future__ import annotations

from webhook_inspector.core.signing._carriers import PlainHeader
from webhook_inspector.core.signing._keys import RAW
from webhook_inspector.core.signing.base import Part, Scheme, TimeFormat

LINEAR = Scheme(
    id="linear",
    title="Linear",
    algorithm="HMAC-SHA256",
    carrier=PlainHeader("Linear-Signature"),
    signed=(Part.BODY,),
    encoding="hex",
    key=RAW,
    source="https://linear.app/developers/webhooks#securing-webhooks",
    timestamp_json="webhookTimestamp",
    time_format=TimeFormat.UNIX_MS,
    tolerance_s=60,  # Linear: reject a webhookTimestamp more than a minute off
)

SCHEMES = (LINEAR,)
