"""Intercom: HMAC-SHA1 of the raw body with the app's client secret, `sha1=` hex."""

from __future__ import annotations

from webhook_inspector.core.signing._carriers import PlainHeader
from webhook_inspector.core.signing._keys import RAW
from webhook_inspector.core.signing.base import Part, Scheme

INTERCOM = Scheme(
    id="intercom",
    title="Intercom",
    algorithm="HMAC-SHA1",
    carrier=PlainHeader("X-Hub-Signature", "sha1="),
    signed=(Part.BODY,),
    encoding="hex",
    key=RAW,
    source="https://developers.intercom.com/docs/webhooks/webhook-notifications#signed-notifications",
)

SCHEMES = (INTERCOM,)
