"""Twilio: HMAC-SHA1 of the full URL plus sorted form fields, base64, in X-Twilio-Signature.

A body that is not form-encoded (JSON) is not in the signed string: Twilio adds its SHA-256
as the `bodySHA256` query parameter, which the signed URL covers.
"""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from webhook_inspector.core.signing._carriers import PlainHeader
from webhook_inspector.core.signing._keys import RAW
from webhook_inspector.core.signing.base import Message, Part, Reason, Scheme, url_origin_variants

FORM = "application/x-www-form-urlencoded"


def _body_hash_param(url: str) -> str | None:
    values = [
        v for k, v in parse_qsl(urlsplit(url).query, keep_blank_values=True) if k == "bodySHA256"
    ]
    return values[0] if values else None


def add_body_hash(message: Message) -> Message:
    """Put the body's SHA-256 into the URL as bodySHA256 when the body is not a form."""
    if message.content_type == FORM or not message.body:
        return message
    parts = urlsplit(message.url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "bodySHA256"]
    query.append(("bodySHA256", hashlib.sha256(message.body).hexdigest()))
    url = urlunsplit(parts._replace(query=urlencode(query)))
    return Message(message.method, url, message.headers, message.body)


def check_body_hash(message: Message) -> tuple[Reason, str] | None:
    """A non-form body must match the bodySHA256 the signed URL carries."""
    if message.content_type == FORM or not message.body:
        return None
    declared = _body_hash_param(message.url)
    actual = hashlib.sha256(message.body).hexdigest()
    if declared is None:
        return Reason.BODY_HASH_MISMATCH, (
            "The URL signature matches, but the body is not form-encoded and the URL has no "
            "bodySHA256 parameter, so nothing covers the body."
        )
    if not hmac.compare_digest(declared.lower(), actual):
        return Reason.BODY_HASH_MISMATCH, (
            f"The URL signature matches, but the body's SHA-256 is {actual}, not the "
            f"bodySHA256={declared} in the URL: the body changed after signing."
        )
    return None


TWILIO = Scheme(
    id="twilio",
    title="Twilio",
    algorithm="HMAC-SHA1",
    carrier=PlainHeader("X-Twilio-Signature"),
    signed=(Part.URL, Part.FORM_PARAMS),
    encoding="base64",
    key=RAW,
    source="https://www.twilio.com/docs/usage/webhooks/webhooks-security",
    prepare=add_body_hash,
    check=check_body_hash,
    url_variants=url_origin_variants,
)

SCHEMES = (TWILIO,)
