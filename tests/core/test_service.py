"""The capture service: observers, the service thread, and the default answers."""

from __future__ import annotations

import socket
import threading
from typing import Any

import httpx
import pytest
from targets import Answer, target

from webhook_inspector.core import service as service_module
from webhook_inspector.core.forwarder import ForwardSettings
from webhook_inspector.core.listener import ListenerConfig
from webhook_inspector.core.model import CapturedRequest, Outcome
from webhook_inspector.core.service import CaptureService, DefaultResponder, ServiceThread
from webhook_inspector.core.store import Store

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


def test_forwarded_captures_reach_observers_and_every_record_is_written_by_stop(tmp_path):
    with target(Answer(status=201, body=b"made")) as t:
        forward = ForwardSettings(t.url, answer="target")
        service = CaptureService(ListenerConfig(port=0), tmp_path / "f.sqlite3", forward=forward)
        seen: list[int] = []
        service.add_observer(lambda cid, capture: seen.append(cid))
        thread = ServiceThread(service)
        thread.start()
        try:
            answers = [httpx.post(f"{service.url}f/{n}", content=b"x") for n in range(3)]
        finally:
            thread.stop()  # fewer than a batch of records wait: stop must write them
    assert [(a.status_code, a.content) for a in answers] == [(201, b"made")] * 3
    assert seen == [1, 2, 3]
    store = Store(tmp_path / "f.sqlite3")
    for capture_id in (1, 2, 3):
        record = store.forward_of(capture_id)
        assert record is not None and record.attempts[0].status == 201
        assert store.get(capture_id).response.startswith(b"HTTP/1.1 201 ")


def test_a_forwarded_capture_reaches_observers_before_a_slow_target_answers(tmp_path):
    # The sender waits for the target, but the list must show the capture once it is stored.
    with target(Answer(status=202, body=b"late", delay_s=1.0)) as t:
        forward = ForwardSettings(t.url, answer="target", timeout_s=10)
        service = CaptureService(ListenerConfig(port=0), tmp_path / "f.sqlite3", forward=forward)
        seen = threading.Event()
        answered = threading.Event()
        order: list[str] = []

        def observe(cid: int, capture: CapturedRequest) -> None:
            first = "answered first" if answered.is_set() else "observed first"
            order.append(f"{first} on {threading.current_thread().name}")
            seen.set()

        service.add_observer(observe)
        thread = ServiceThread(service)
        thread.start()
        try:
            with httpx.Client(timeout=10) as client:
                sending = threading.Thread(
                    target=lambda: (client.post(f"{service.url}slow", content=b"x"), answered.set())
                )
                sending.start()
                assert seen.wait(5)
                sending.join(10)
        finally:
            thread.stop()
    assert order == ["observed first on capture-service"]
    assert answered.is_set()
    assert Store(tmp_path / "f.sqlite3").get(1).response.startswith(b"HTTP/1.1 202 ")


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


def test_forwarded_captures_are_heard_once_each_as_their_targets_answer(tmp_path, monkeypatch):
    # With the target's answer for the sender, observers hear of a capture with that answer
    # (or OBSERVE_AFTER_S after it arrived): here the second is answered at once and the first
    # after 1 s, so 2 is heard first. The list does not rely on the order (test_capturemodel).
    monkeypatch.setattr(service_module, "OBSERVE_AFTER_S", 30.0)
    with target(Answer(body=b"slow", delay_s=1.0), Answer(body=b"fast")) as t:
        forward = ForwardSettings(t.url, answer="target", timeout_s=10)
        service = CaptureService(ListenerConfig(port=0), tmp_path / "o.sqlite3", forward=forward)
        heard: list[int] = []
        service.add_observer(lambda cid, capture: heard.append(cid))
        thread = ServiceThread(service)
        thread.start()
        answers: list[bytes] = []
        try:
            with httpx.Client(timeout=10) as slow_client, httpx.Client(timeout=10) as client:
                sending = threading.Thread(
                    target=lambda: answers.append(slow_client.post(f"{service.url}a").content)
                )
                sending.start()
                while not t.seen:  # the first capture is stored (id 1) and at the target
                    threading.Event().wait(0.01)
                answers.append(client.post(f"{service.url}b").content)
                sending.join(10)
        finally:
            thread.stop()
    assert answers == [b"fast", b"slow"]
    assert heard == [2, 1]
