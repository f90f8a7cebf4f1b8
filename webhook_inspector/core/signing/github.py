"""GitHub: HMAC of the raw body, hex: X-Hub-Signature-256 (SHA-256), X-Hub-Signature (SHA-1)."""

from __future__ import annotations

from webhook_inspector.core.signing._carriers import PlainHeader
from webhook_inspector.core.signing._keys import RAW
from webhook_inspector.core.signing.base import Part, Scheme

SOURCE = "https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries"

GITHUB_SHA256 = Scheme(
    id="github_sha256",
    title="GitHub (SHA-256)",
    algorithm="HMAC-SHA256",
    carrier=PlainHeader("X-Hub-Signature-256", "sha256="),
    signed=(Part.BODY,),
    encoding="hex",
    key=RAW,
    source=SOURCE,
    aliases=("github",),
)

GITHUB_SHA1 = Scheme(
    id="github_sha1",
    title="GitHub (legacy SHA-1)",
    algorithm="HMAC-SHA1",
    carrier=PlainHeader("X-Hub-Signature", "sha1="),
    signed=(Part.BODY,),
    encoding="hex",
    key=RAW,
    source=SOURCE,
)

SCHEMES = (GITHUB_SHA256, GITHUB_SHA1)
