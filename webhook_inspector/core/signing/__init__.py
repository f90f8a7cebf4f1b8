"""Webhook signatures: one module per provider scheme, a registry, and sign()/verify()."""

from __future__ import annotations

from webhook_inspector.core.signing.base import (
    Message,
    Reason,
    Scheme,
    SignResult,
    Status,
    VerifyResult,
    as_message,
)
from webhook_inspector.core.signing.engine import sign, verify
from webhook_inspector.core.signing.registry import SCHEMES, get_scheme
from webhook_inspector.core.signing.signer import Signer, request_signer

__all__ = [
    "SCHEMES",
    "Message",
    "Reason",
    "Scheme",
    "SignResult",
    "Signer",
    "Status",
    "VerifyResult",
    "as_message",
    "get_scheme",
    "request_signer",
    "sign",
    "verify",
]
