"""PagerDuty v3 webhooks: HMAC-SHA256 of the raw body, `v1=` hex; several while secrets rotate."""

from __future__ import annotations

from webhook_inspector.core.signing._carriers import KeyValueHeader
from webhook_inspector.core.signing._keys import RAW
from webhook_inspector.core.signing.base import Part, Scheme

PAGERDUTY = Scheme(
    id="pagerduty",
    title="PagerDuty (v3)",
    algorithm="HMAC-SHA256",
    carrier=KeyValueHeader("X-PagerDuty-Signature", "v1"),
    signed=(Part.BODY,),
    encoding="hex",
    key=RAW,
    source="https://developer.pagerduty.com/docs/webhooks/webhook-signatures/",
)

SCHEMES = (PAGERDUTY,)
