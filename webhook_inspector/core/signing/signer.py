"""A signing profile as a function: the headers a request needs, signed afresh on each call."""

from __future__ import annotations

import time
from collections.abc import Callable

from webhook_inspector.core.model import OutgoingRequest
from webhook_inspector.core.secrets import resolve_reference
from webhook_inspector.core.signing.engine import sign
from webhook_inspector.core.signing.registry import get_scheme

Signer = Callable[[OutgoingRequest], tuple[tuple[str, str], ...]]


def request_signer(scheme_id: str, secret: str, *, now: Callable[[], float] = time.time) -> Signer:
    """A Signer for `scheme_id`; `secret` may be `secret:NAME`, `env:VAR` or the key itself.

    The scheme and the secret are checked now (UsageError / InspectorError); each call signs
    with a new timestamp, so a retry or an edit never reuses a stale signature. It returns the
    headers only; core.sender.sign_request puts them in place of any of the same name.
    """
    scheme = get_scheme(scheme_id)
    key = resolve_reference(secret)

    def signer(request: OutgoingRequest) -> tuple[tuple[str, str], ...]:
        return sign(scheme, request, key, now=now).headers

    return signer
