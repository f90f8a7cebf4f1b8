"""Discord interactions: Ed25519 over timestamp + body, hex, checked with the app's public key."""

from __future__ import annotations

from webhook_inspector.core.signing._carriers import PlainHeader
from webhook_inspector.core.signing._keys import ED25519_HEX
from webhook_inspector.core.signing.base import Part, Scheme

DISCORD = Scheme(
    id="discord",
    title="Discord",
    algorithm="Ed25519",
    carrier=PlainHeader("X-Signature-Ed25519"),
    signed=(Part.TIMESTAMP, Part.BODY),
    encoding="hex",
    key=ED25519_HEX,
    source="https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint-validating-security-request-headers",
    timestamp_header="X-Signature-Timestamp",
)

SCHEMES = (DISCORD,)
