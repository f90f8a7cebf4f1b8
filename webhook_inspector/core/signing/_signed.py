"""The exact bytes a scheme signs, built from a request's fields."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl

from webhook_inspector.core.signing.base import Message, Part, Scheme


@dataclass(frozen=True, slots=True)
class Fields:
    """The values a signed string is built from, as the request carries them (text, not parsed)."""

    message: Message
    timestamp: str = ""
    id: str = ""
    url: str = ""


def form_params(message: Message) -> bytes:
    """Twilio: form fields sorted by name (values sorted within a name), name+value joined."""
    if message.content_type != "application/x-www-form-urlencoded":
        return b""
    pairs = parse_qsl(message.body.decode("utf-8", "replace"), keep_blank_values=True)
    grouped: dict[str, set[str]] = {}
    for name, value in pairs:
        grouped.setdefault(name, set()).add(value)
    return "".join(n + v for n in sorted(grouped) for v in sorted(grouped[n])).encode("utf-8")


_PARTS: dict[Part, Callable[[Fields], bytes]] = {
    Part.ID: lambda f: f.id.encode("utf-8"),
    Part.TIMESTAMP: lambda f: f.timestamp.encode("utf-8"),
    Part.BODY: lambda f: f.message.body,
    Part.URL: lambda f: f.url.encode("utf-8"),
    Part.FORM_PARAMS: lambda f: form_params(f.message),
}


def signed_string(scheme: Scheme, fields: Fields) -> bytes:
    """The exact bytes `scheme` signs for these fields."""
    return b"".join(
        part if isinstance(part, bytes) else _PARTS[part](fields) for part in scheme.signed
    )
