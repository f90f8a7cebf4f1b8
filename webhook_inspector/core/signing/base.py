"""The declarative description of a signing scheme and the values sign() and verify() exchange."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from webhook_inspector.core.model import (
    CapturedRequest,
    OutgoingRequest,
    every_header,
    first_header,
)

if TYPE_CHECKING:
    from webhook_inspector.core.signing._carriers import Carrier
    from webhook_inspector.core.signing._keys import KeyFormat


class Status(enum.StrEnum):
    """The outcome of a verification."""

    VALID = "valid"
    INVALID = "invalid"
    MISSING = "missing"


class Reason(enum.StrEnum):
    """Why a verification came out as it did (stable codes for tools and the store)."""

    OK = "ok"
    MISSING_HEADER = "missing_header"
    MALFORMED_HEADER = "malformed_header"
    MALFORMED_TIMESTAMP = "malformed_timestamp"
    MISMATCH = "mismatch"
    TIMESTAMP_TOO_OLD = "timestamp_too_old"
    TIMESTAMP_IN_FUTURE = "timestamp_in_future"
    URL_REQUIRED = "url_required"
    BODY_HASH_MISMATCH = "body_hash_mismatch"


class Part(enum.Enum):
    """A variable piece of a signed string; literal pieces are plain bytes."""

    ID = "id"
    TIMESTAMP = "timestamp"
    BODY = "body"
    URL = "url"
    FORM_PARAMS = "form_params"  # Twilio: form fields sorted by name, name+value concatenated


class TimeFormat(enum.StrEnum):
    """How a scheme writes its timestamp."""

    UNIX = "unix"
    UNIX_MS = "unix_ms"
    RFC3339 = "rfc3339"


@dataclass(frozen=True, slots=True)
class Message:
    """The parts of a request a signature can cover: raw bytes and headers as sent."""

    method: str = "POST"
    url: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""

    def header_values(self, name: str) -> list[str]:
        """Every value of header `name` (case-insensitive), in order."""
        return every_header(self.headers, name)

    def header(self, name: str) -> str | None:
        """The first value of header `name` (case-insensitive), or None."""
        return first_header(self.headers, name)

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower-cased."""
        return (self.header("content-type") or "").split(";", 1)[0].strip().lower()

    def replace_headers(self, added: tuple[tuple[str, str], ...]) -> Message:
        """A copy with `added` headers, replacing any of the same names."""
        names = {name.lower() for name, _ in added}
        kept = tuple((k, v) for k, v in self.headers if k.lower() not in names)
        return Message(self.method, self.url, kept + added, self.body)


@dataclass(frozen=True)
class Scheme:
    """One provider's signature scheme, as data: sign() and verify() both read it.

    `signed` lists what is signed, in order: Part values and literal bytes. `tolerance_s`
    is the default replay window (None: the provider documents none). `secret_prefixes`
    are prefixes a provider prints before its secrets (used for the "pasted with/without
    prefix" hint). `prepare` adjusts a request before signing (Twilio's bodySHA256);
    `check` runs after a signature matched and returns (reason, text) when something
    else is wrong; `url_variants` lists the URLs the provider's own SDK accepts.
    """

    id: str
    title: str
    algorithm: str
    carrier: Carrier
    signed: tuple[Part | bytes, ...]
    encoding: str
    key: KeyFormat
    source: str
    timestamp_header: str | None = None
    timestamp_json: str | None = None
    time_format: TimeFormat = TimeFormat.UNIX
    id_header: str | None = None
    tolerance_s: int | None = None
    aliases: tuple[str, ...] = ()
    covers_body: bool = True
    secret_prefixes: tuple[str, ...] = ()
    prepare: Callable[[Message], Message] | None = None
    check: Callable[[Message], tuple[Reason, str] | None] | None = None
    url_variants: Callable[[str], list[str]] | None = None
    new_id: Callable[[], str] | None = None

    @property
    def needs_url(self) -> bool:
        """Whether the request URL is part of the signed string."""
        return Part.URL in self.signed

    @property
    def header_names(self) -> tuple[str, ...]:
        """Every header the scheme reads, signature first."""
        extra = (self.timestamp_header, self.id_header)
        return self.carrier.names + tuple(name for name in extra if name)


@dataclass(frozen=True, slots=True)
class SignResult:
    """What sign() produced: the headers to add and the request as it must be sent."""

    headers: tuple[tuple[str, str], ...]
    message: Message
    signed_string: bytes


@dataclass(frozen=True, slots=True)
class VerifyResult:
    """The outcome of verify(), with everything a person needs to see why.

    `expected` is the signature computed here (empty for public-key schemes, where it
    cannot be computed, and for token schemes, where it would be the secret). `received`
    holds the signatures found in the request; `skew_s` is now minus the request's
    timestamp in seconds (positive: the request is older than now).
    """

    status: Status
    reason: Reason
    explanation: str
    scheme: str
    expected: str = ""
    received: tuple[str, ...] = ()
    signed_string: bytes = b""
    skew_s: float | None = None
    tolerance_s: int | None = None
    hints: tuple[str, ...] = field(default=())

    @property
    def valid(self) -> bool:
        """True when the signature verified and the timestamp is inside the window."""
        return self.status is Status.VALID

    def to_json(self) -> dict[str, object]:
        """A JSON-ready dict (the signed string escaped as text)."""
        return {
            "scheme": self.scheme,
            "status": str(self.status),
            "reason": str(self.reason),
            "explanation": self.explanation,
            "expected": self.expected,
            "received": list(self.received),
            "signed_string": escape_bytes(self.signed_string),
            "skew_s": self.skew_s,
            "tolerance_s": self.tolerance_s,
            "hints": list(self.hints),
        }


def escape_bytes(data: bytes, limit: int | None = None) -> str:
    """Bytes as text: printable ASCII kept, \\n \\r \\t and others escaped, cut at `limit`."""
    shown = data if limit is None else data[:limit]
    out = []
    for byte in shown:
        if byte == 0x5C:
            out.append("\\\\")
        elif 0x20 <= byte < 0x7F:
            out.append(chr(byte))
        else:
            out.append(_ESCAPES.get(byte, f"\\x{byte:02x}"))
    if limit is not None and len(data) > limit:
        out.append(f"… ({len(data) - limit} more bytes)")
    return "".join(out)


_ESCAPES = {0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t"}


def url_origin_variants(url: str) -> list[str]:
    """The URL as given, without its port, and with its port or the default (as Twilio's SDK)."""
    parts = urlsplit(url)
    default = {"https": 443, "http": 80}.get(parts.scheme)
    if default is None or not parts.hostname:
        return [url]
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    userinfo = parts.netloc.rpartition("@")[0]
    userinfo = userinfo + "@" if userinfo else ""
    without = parts._replace(netloc=f"{userinfo}{host}").geturl()
    port = parts.port or default
    with_port = parts._replace(netloc=f"{userinfo}{host}:{port}").geturl()
    return list(dict.fromkeys([url, without, with_port]))


def as_message(
    request: CapturedRequest | OutgoingRequest | Message, url: str | None = None
) -> Message:
    """A Message from a capture, an outgoing request or a message; `url` overrides its URL.

    A capture knows only its target, so its URL is rebuilt from the Host header and TLS
    flag; schemes that sign the URL (Twilio, Square) need the public one passed as `url`.
    """
    if isinstance(request, Message):
        return (
            request if url is None else Message(request.method, url, request.headers, request.body)
        )
    if isinstance(request, OutgoingRequest):
        return Message(request.method, url or request.url, request.headers, request.body)
    if url is None:
        host = request.header("host")
        url = f"{'https' if request.tls else 'http'}://{host}{request.target}" if host else ""
    return Message(request.method, url, request.headers, request.body)
