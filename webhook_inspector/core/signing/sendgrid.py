"""SendGrid Event Webhook: ECDSA P-256 / SHA-256 over timestamp + body, base64 DER signature."""

from __future__ import annotations

from webhook_inspector.core.signing._carriers import PlainHeader
from webhook_inspector.core.signing._keys import ECDSA_P256
from webhook_inspector.core.signing.base import Part, Scheme

SENDGRID = Scheme(
    id="sendgrid",
    title="SendGrid Event Webhook",
    algorithm="ECDSA-P256-SHA256",
    carrier=PlainHeader("X-Twilio-Email-Event-Webhook-Signature"),
    signed=(Part.TIMESTAMP, Part.BODY),
    encoding="base64",
    key=ECDSA_P256,
    source="https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features",
    timestamp_header="X-Twilio-Email-Event-Webhook-Timestamp",
)

SCHEMES = (SENDGRID,)
