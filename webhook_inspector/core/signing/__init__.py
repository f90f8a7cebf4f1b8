"""Webhook signatures: one module per provider scheme, a registry, and sign()/verify()."""

from __future__ import annotations

from webhook_inspector.core.model import CapturedRequest, OutgoingRequest
from webhook_inspector.core.signing.base import (
    Message,
    Reason,
    Scheme,
    SignResult,
    Status,
    VerifyResult,
)
from webhook_inspector.core.signing.engine import sign, verify
from webhook_inspector.core.signing.registry import SCHEMES, get_scheme

__all__ = [
    "SCHEMES",
    "Message",
    "Reason",
    "Scheme",
    "SignResult",
    "Status",
    "VerifyResult",
    "as_message",
    "get_scheme",
    "sign",
    "verify",
]


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
