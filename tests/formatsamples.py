"""Shared data for the format tests: captures with every hard case, and golden-file checks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from webhook_inspector.core.model import CapturedRequest

from factories import make_capture

GOLDEN_DIR = Path(__file__).resolve().parent / "data" / "formats"


def check_golden(name: str, data: bytes) -> None:
    """Compare `data` with tests/data/formats/`name` byte for byte.

    Set WEBHOOK_INSPECTOR_REGENERATE=1 to rewrite the golden file (then review its diff).
    """
    path = GOLDEN_DIR / name
    if os.environ.get("WEBHOOK_INSPECTOR_REGENERATE") == "1":
        path.write_bytes(data)
    if not path.exists():
        path.write_bytes(data)
        pytest.fail(f"golden file {name} created: review it, then run again")
    assert data == path.read_bytes(), f"{name} differs from its golden file"


def sample_captures(host: str = "127.0.0.1:8765") -> list[CapturedRequest]:
    """Captures that exercise every exporter's hard cases, all sent to `host`."""
    json_body = b'{"action":"opened","title":"caf\xc3\xa9 \xe2\x98\x95"}'
    text_body = b'line one\r\nit\'s $HOME and `date` & !! \\ "quoted"\n\ttabbed %PATH%\n'
    binary = bytes(range(256))
    latin1 = b"caf\xe9 cr\xe8me"
    return [
        make_capture(
            id=1,
            target="/hooks/github?delivery=1",
            headers=(
                ("Host", host),
                ("User-Agent", "GitHub-Hookshot/abc"),
                ("Content-Type", "application/json"),
                ("X-GitHub-Event", "issues"),
                ("X-Hub-Signature-256", "sha256=deadbeef"),
                ("Authorization", "Bearer s3cret"),
                ("Content-Length", str(len(json_body))),
            ),
            body=json_body,
        ),
        make_capture(
            id=2,
            method="GET",
            target="/status?q=a+b&empty=&flag",
            headers=(
                ("Host", host),
                ("X-A", "1"),
                ("x-a", "2"),
                ("X-Empty", ""),
                ("Accept", "*/*"),
            ),
        ),
        make_capture(
            id=3,
            method="PUT",
            target="/upload/blob.bin",
            headers=(
                ("Host", host),
                ("Content-Type", "application/octet-stream"),
                ("Content-Length", str(len(binary))),
            ),
            body=binary,
        ),
        make_capture(
            id=4,
            method="PATCH",
            target="/latin1",
            headers=(("Host", host), ("X-Name", "Ren\xe9e"), ("Content-Length", str(len(latin1)))),
            body=latin1,
        ),
        make_capture(
            id=5,
            target="/notes",
            headers=(
                ("Host", host),
                ("Content-Type", "text/plain; charset=utf-8"),
                ("Content-Length", str(len(text_body))),
            ),
            body=text_body,
        ),
        make_capture(
            id=6,
            method="DELETE",
            target="/a/../b/./c?x=[1]&y=%2f&z={q}",
            headers=(("Host", host), ("User-Agent", "odd/1")),
        ),
        make_capture(
            id=7,
            target="http://example.test/absolute?form=1",
            headers=(("Host", host), ("Transfer-Encoding", "chunked")),
            body=b"chunked body",
        ),
    ]
