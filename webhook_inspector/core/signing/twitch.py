"""Twitch EventSub: HMAC-SHA256 of message id + timestamp + body, `sha256=` hex."""

from __future__ import annotations

import uuid

from webhook_inspector.core.signing._carriers import PlainHeader
from webhook_inspector.core.signing._keys import RAW
from webhook_inspector.core.signing.base import Part, Scheme, TimeFormat

TWITCH = Scheme(
    id="twitch",
    title="Twitch EventSub",
    algorithm="HMAC-SHA256",
    carrier=PlainHeader("Twitch-Eventsub-Message-Signature", "sha256="),
    signed=(Part.ID, Part.TIMESTAMP, Part.BODY),
    encoding="hex",
    key=RAW,
    source="https://dev.twitch.tv/docs/eventsub/handling-webhook-events/#verifying-the-event-message",
    timestamp_header="Twitch-Eventsub-Message-Timestamp",
    time_format=TimeFormat.RFC3339,
    id_header="Twitch-Eventsub-Message-Id",
    tolerance_s=600,  # Twitch: reject messages older than 10 minutes
    new_id=lambda: str(uuid.uuid4()),
)

SCHEMES = (TWITCH,)
