"""The capture service: observers, the service thread, and the default answers."""

from __future__ import annotations

import socket
import threading
from typing import Any

import httpx
import pytest

from webhook_inspector.core.listener import ListenerConfig
from webhook_inspector.core.model import CapturedRequest, Outcome
from webhook_inspector.core.service import CaptureService, DefaultResponder, ServiceThread

from factories import make_capture


def test_observers_see_each_committed_capture(tmp_path):
    service = CaptureService(ListenerConfig(port=0), tmp_path / "s.sqlite3")
    seen: list[tuple[int, str, str]] = []
    service.add_observer(
        lambda cid, capture: seen.append((cid, capture.target, threading.current_thread().name))
    )
    thread = ServiceThread(service)
    thread.start()
    try:
        for n in range(3):
            assert httpx.post(f"{service.url}o/{n}", content=b"x").status_code == 200
    finally:
        thread.stop()
    assert [(cid, target) for cid, target, _ in seen] == [(1, "/o/0"), (2, "/o/1"), (3, "/o/2")]
    assert {name for _, _, name in seen} == {"capture-service"}


def test_service_thread_reraises_bind_errors(tmp_path):
    blocker = socket.socket()
    blocker.bind(("127.0.0.1", 0))
    blocker.listen()
    port = blocker.getsockname()[1]
    try:
        thread = ServiceThread(CaptureService(ListenerConfig(port=port), tmp_path / "s.sqlite3"))
        with pytest.raises(OSError):
            thread.start()
    finally:
        blocker.close()


_BASE: dict[str, Any] = {
    "received_at_us": 1,
    "target": "/",
    "headers": (),
    "body": b"",
    "remote_port": 1,
}


def _capture(**extra: Any) -> CapturedRequest:
    return make_capture(**{**_BASE, **extra})


@pytest.mark.parametrize(
    ("extra", "closes"),
    [
        ({}, False),
        ({"headers": (("Connection", "close"),)}, True),
        ({"http_version": "1.0"}, True),
        ({"http_version": "1.0", "headers": (("connection", "Keep-Alive"),)}, False),
        ({"status": 413, "outcome": Outcome.TOO_LARGE, "reason": "big"}, True),
    ],
)
def test_default_responder_connection_handling(extra, closes):
    response = DefaultResponder()(_capture(**extra), 9)
    assert (b"Connection: close\r\n" in response) == closes
    assert response.endswith(b'"id":9,"status":"captured"}') or b'"id": 9' in response


def test_default_responder_head_has_no_body():
    response = DefaultResponder()(_capture(method="HEAD"), 1)
    assert response.endswith(b"\r\n\r\n") and b"Content-Length: 28" in response
