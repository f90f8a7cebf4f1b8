"""Standard Webhooks (HMAC `v1` and Ed25519 `v1a`) and Svix, which uses the same scheme under
`svix-` header names: the signed string is `id.timestamp.body`."""

from __future__ import annotations

from webhook_inspector.core.signing._carriers import VersionedListHeader
from webhook_inspector.core.signing._keys import ED25519_WH, WHSEC
from webhook_inspector.core.signing.base import Part, Scheme

SPEC = "https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md"
SIGNED = (Part.ID, b".", Part.TIMESTAMP, b".", Part.BODY)

STANDARD_WEBHOOKS = Scheme(
    id="standard_webhooks",
    title="Standard Webhooks (v1, HMAC-SHA256)",
    algorithm="HMAC-SHA256",
    carrier=VersionedListHeader("webhook-signature", "v1"),
    signed=SIGNED,
    encoding="base64",
    key=WHSEC,
    source=SPEC,
    timestamp_header="webhook-timestamp",
    id_header="webhook-id",
    tolerance_s=300,
    aliases=("standardwebhooks", "standard-webhooks"),
)

STANDARD_WEBHOOKS_V1A = Scheme(
    id="standard_webhooks_v1a",
    title="Standard Webhooks (v1a, Ed25519)",
    algorithm="Ed25519",
    carrier=VersionedListHeader("webhook-signature", "v1a"),
    signed=SIGNED,
    encoding="base64",
    key=ED25519_WH,
    source=SPEC,
    timestamp_header="webhook-timestamp",
    id_header="webhook-id",
    tolerance_s=300,
)

SVIX = Scheme(
    id="svix",
    title="Svix",
    algorithm="HMAC-SHA256",
    carrier=VersionedListHeader("svix-signature", "v1"),
    signed=SIGNED,
    encoding="base64",
    key=WHSEC,
    source="https://docs.svix.com/receiving/verifying-payloads/how-manual",
    timestamp_header="svix-timestamp",
    id_header="svix-id",
    tolerance_s=300,
)

SCHEMES = (STANDARD_WEBHOOKS, STANDARD_WEBHOOKS_V1A, SVIX)
