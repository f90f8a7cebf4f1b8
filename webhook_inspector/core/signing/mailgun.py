"""Mailgun: HMAC-SHA256 of timestamp + token with the webhook signing key, carried in the body.

The body itself is not signed; replay protection is the caller's (cache tokens, check age).
"""

from __future__ import annotations

import secrets

from webhook_inspector.core.signing._carriers import MailgunBody
from webhook_inspector.core.signing._keys import RAW
from webhook_inspector.core.signing.base import Part, Scheme

MAILGUN = Scheme(
    id="mailgun",
    title="Mailgun",
    algorithm="HMAC-SHA256",
    carrier=MailgunBody(),
    signed=(Part.TIMESTAMP, Part.ID),
    encoding="hex",
    key=RAW,
    source="https://documentation.mailgun.com/docs/mailgun/user-manual/webhooks/securing-webhooks",
    covers_body=False,
    new_id=lambda: secrets.token_hex(25),  # Mailgun's tokens are 50 random characters
)

SCHEMES = (MAILGUN,)
