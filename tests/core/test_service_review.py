"""Review findings: the target's answer relayed to the sender (--forward-answer target)."""

from __future__ import annotations

import socket

from targets import Answer, target

from webhook_inspector.core.forwarder import ForwardSettings
from webhook_inspector.core.listener import ListenerConfig
from webhook_inspector.core.service import CaptureService, ServiceThread


def _exchange(port: int, request: bytes) -> bytes:
    """Send `request` on a fresh connection and read until the service closes it."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_a_sender_expecting_100_continue_gets_the_targets_final_answer(tmp_path):
    """curl sends `Expect: 100-continue` with bigger uploads; the target answers 100 first."""
    with target(Answer(status=201, body=b"made")) as t:
        forward = ForwardSettings(t.url, answer="target", timeout_s=5)
        service = CaptureService(ListenerConfig(port=0), tmp_path / "e.sqlite3", forward=forward)
        thread = ServiceThread(service)
        thread.start()
        try:
            port = int(service.url.rsplit(":", 1)[1].strip("/"))
            head = b"POST /up HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
            answer = _exchange(port, head + b"Content-Length: 3\r\nConnection: close\r\n\r\nabc")
        finally:
            thread.stop()
    finals = [line for line in answer.split(b"\r\n") if line.startswith(b"HTTP/1.1 ")]
    assert finals[-1].startswith(b"HTTP/1.1 201"), answer[:300]
    assert answer.endswith(b"made"), answer[:300]
