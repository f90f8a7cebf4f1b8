"""Test data: captured requests with sensible defaults, any field overridden by keyword."""

from __future__ import annotations

from typing import Any

from webhook_inspector.core.model import CapturedRequest

DEFAULTS: dict[str, Any] = {
    "received_at_us": 1_795_000_000_000_000,
    "method": "POST",
    "target": "/hook",
    "http_version": "1.1",
    "headers": (),
    "body": b"",
    "remote_ip": "127.0.0.1",
    "remote_port": 50123,
}


def make_capture(**overrides: Any) -> CapturedRequest:
    """A CapturedRequest from DEFAULTS updated with `overrides`."""
    return CapturedRequest(**{**DEFAULTS, **overrides})
