"""Where a scheme carries its signature (a header, a key=value list, the body): read and write."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import parse_qsl, urlencode

from webhook_inspector.core.signing.base import Message


@dataclass(frozen=True, slots=True)
class Carried:
    """What a carrier found: the encoded signatures, and a timestamp or id if it holds them."""

    signatures: tuple[str, ...]
    timestamp: str | None = None
    id: str | None = None


class MissingSignatureError(Exception):
    """The signature is not in the request at all."""

    def __init__(self, where: str) -> None:
        super().__init__(where)
        self.where = where


class MalformedSignatureError(Exception):
    """The signature's header is there but cannot be read."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem


class Carrier(Protocol):
    """Reads signatures from a request and writes one into it."""

    @property
    def names(self) -> tuple[str, ...]:
        """The header names (or body fields) it uses, for listings."""
        ...

    @property
    def layout(self) -> str:
        """The value's shape, for listings and error messages."""
        ...

    def read(self, message: Message) -> Carried:
        """The signatures in `message`; raises MissingSignatureError or MalformedSignatureError."""
        ...

    def write(
        self, signature: str, timestamp: str | None, msg_id: str | None, message: Message
    ) -> tuple[tuple[tuple[str, str], ...], Message]:
        """The headers added and the message carrying `signature`."""
        ...


@dataclass(frozen=True, slots=True)
class PlainHeader:
    """One header whose value is an optional prefix and the signature (`sha256=<hex>`)."""

    name: str
    prefix: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        """The header name."""
        return (self.name,)

    @property
    def layout(self) -> str:
        """`prefix<signature>`."""
        return f"{self.prefix}<signature>"

    def read(self, message: Message) -> Carried:
        """Every value of the header that carries the prefix."""
        values = [value.strip() for value in message.header_values(self.name)]
        if not values or not any(values):
            raise MissingSignatureError(self.name)
        found = tuple(
            value[len(self.prefix) :]
            for value in values
            if value[: len(self.prefix)].lower() == self.prefix.lower()
        )
        if not found:
            raise MalformedSignatureError(
                self.name, f"expected {self.layout}, got {_preview(values[0])}"
            )
        return Carried(found)

    def write(
        self, signature: str, timestamp: str | None, msg_id: str | None, message: Message
    ) -> tuple[tuple[tuple[str, str], ...], Message]:
        """Set the header."""
        added = ((self.name, self.prefix + signature),)
        return added, message.replace_headers(added)


@dataclass(frozen=True, slots=True)
class KeyValueHeader:
    """One header holding `key=value` pairs: a timestamp and one or more signatures.

    Stripe: `t=1,v1=ab,v1=cd`; Paddle: `ts=1;h1=ab`; PagerDuty: `v1=ab,v1=cd` (no timestamp).
    """

    name: str
    signature_key: str
    timestamp_key: str | None = None
    separator: str = ","

    @property
    def names(self) -> tuple[str, ...]:
        """The header name."""
        return (self.name,)

    @property
    def layout(self) -> str:
        """E.g. `t=<timestamp>,v1=<signature>`."""
        sig = f"{self.signature_key}=<signature>"
        return (
            f"{self.timestamp_key}=<timestamp>{self.separator}{sig}" if self.timestamp_key else sig
        )

    def read(self, message: Message) -> Carried:
        """The signatures under `signature_key` and the timestamp, from every value."""
        values = [value.strip() for value in message.header_values(self.name)]
        if not values or not any(values):
            raise MissingSignatureError(self.name)
        pairs = []
        for value in values:
            for item in value.split(self.separator):
                key, sep, val = item.strip().partition("=")
                if sep:
                    pairs.append((key.strip(), val.strip()))
        signatures = tuple(val for key, val in pairs if key == self.signature_key)
        timestamps = [val for key, val in pairs if key == self.timestamp_key]
        if not signatures:
            keys = ", ".join(dict.fromkeys(key for key, _ in pairs)) or "none"
            raise MalformedSignatureError(
                self.name,
                f"no {self.signature_key}= signature (keys found: {keys}); expected {self.layout}",
            )
        if self.timestamp_key and not timestamps:
            raise MalformedSignatureError(
                self.name, f"no {self.timestamp_key}= timestamp; expected {self.layout}"
            )
        return Carried(signatures, timestamps[0] if timestamps else None)

    def write(
        self, signature: str, timestamp: str | None, msg_id: str | None, message: Message
    ) -> tuple[tuple[tuple[str, str], ...], Message]:
        """Set the header."""
        items = [f"{self.signature_key}={signature}"]
        if self.timestamp_key:
            items.insert(0, f"{self.timestamp_key}={timestamp}")
        added = ((self.name, self.separator.join(items)),)
        return added, message.replace_headers(added)


@dataclass(frozen=True, slots=True)
class VersionedListHeader:
    """One header with space-separated `version,signature` entries (Standard Webhooks)."""

    name: str
    version: str

    @property
    def names(self) -> tuple[str, ...]:
        """The header name."""
        return (self.name,)

    @property
    def layout(self) -> str:
        """`v1,<signature> [v1,<signature> …]`."""
        return f"{self.version},<signature> [{self.version},<signature> …]"

    def read(self, message: Message) -> Carried:
        """The entries of this carrier's version."""
        values = [value.strip() for value in message.header_values(self.name)]
        if not values or not any(values):
            raise MissingSignatureError(self.name)
        entries = [entry.partition(",") for value in values for entry in value.split()]
        found = tuple(sig for version, sep, sig in entries if sep and version == self.version)
        if not found:
            versions = ", ".join(dict.fromkeys(v for v, sep, _ in entries if sep)) or "none"
            raise MalformedSignatureError(
                self.name,
                f"no {self.version} signature (versions found: {versions}); expected {self.layout}",
            )
        return Carried(found)

    def write(
        self, signature: str, timestamp: str | None, msg_id: str | None, message: Message
    ) -> tuple[tuple[tuple[str, str], ...], Message]:
        """Set the header."""
        added = ((self.name, f"{self.version},{signature}"),)
        return added, message.replace_headers(added)


@dataclass(frozen=True, slots=True)
class MailgunBody:
    """Mailgun puts timestamp, token and signature in the body: a JSON `signature` object,
    or (legacy and inbound routes) form fields of those names."""

    @property
    def names(self) -> tuple[str, ...]:
        """The body fields."""
        return ("body: signature.timestamp", "signature.token", "signature.signature")

    @property
    def layout(self) -> str:
        """The JSON shape."""
        return '{"signature": {"timestamp": …, "token": …, "signature": <hex>}}'

    def read(self, message: Message) -> Carried:
        """The fields from the JSON object, else from form fields."""
        fields = _json_signature(message.body)
        if fields is None:
            form = dict(parse_qsl(message.body.decode("latin-1"), keep_blank_values=True))
            fields = {k: form[k] for k in ("timestamp", "token", "signature") if k in form}
        if "signature" not in fields:
            raise MissingSignatureError("signature.signature (in the body)")
        missing = [k for k in ("timestamp", "token") if k not in fields]
        if missing:
            raise MalformedSignatureError(
                "signature (in the body)", f"no {' or '.join(missing)} next to the signature"
            )
        return Carried((str(fields["signature"]),), str(fields["timestamp"]), str(fields["token"]))

    def write(
        self, signature: str, timestamp: str | None, msg_id: str | None, message: Message
    ) -> tuple[tuple[tuple[str, str], ...], Message]:
        """Put the fields into a JSON object body, else append them as form fields."""
        fields = {"timestamp": timestamp or "", "token": msg_id or "", "signature": signature}
        try:
            document = json.loads(message.body)
        except ValueError:
            document = None
        if isinstance(document, dict):
            document["signature"] = fields
            body = json.dumps(document).encode()
        elif (
            not message.body.strip() and message.content_type != "application/x-www-form-urlencoded"
        ):
            body = json.dumps({"signature": fields, "event-data": {}}).encode()
        else:
            body = message.body + (b"&" if message.body else b"") + urlencode(fields).encode()
        return (), Message(message.method, message.url, message.headers, body)


def _json_signature(body: bytes) -> dict[str, object] | None:
    try:
        document = json.loads(body)
    except ValueError:
        return None
    if not isinstance(document, dict):
        return None
    fields = document.get("signature")
    return fields if isinstance(fields, dict) else {}


def _preview(value: str, limit: int = 40) -> str:
    return repr(value if len(value) <= limit else value[:limit] + "…")
