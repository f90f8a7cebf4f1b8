"""Forwarding end to end: client → listener → real aiohttp target, byte-exact, result stored."""

from __future__ import annotations

import gzip
import hashlib
import time

import httpx
import pytest
from targets import Answer, target

from webhook_inspector.core.forwarder import ForwardSettings
from webhook_inspector.core.listener import ListenerConfig
from webhook_inspector.core.service import CaptureService, ServiceThread
from webhook_inspector.core.store import Store

GZIPPED = gzip.compress(b'{"action": "opened", "number": 7}' * 40)
BINARY = bytes(range(256)) * 40


@pytest.fixture
def forwarding(tmp_path):
    started = []

    def start(url: str, answer: str = "ours") -> tuple[ServiceThread, str]:
        config = ListenerConfig(host="127.0.0.1", port=0)
        service = CaptureService(config, tmp_path / "c.sqlite3",
                                 forward=ForwardSettings(url, answer=answer))  # fmt: skip
        thread = ServiceThread(service)
        thread.start()
        started.append(thread)
        return thread, service.url.rstrip("/")

    yield start
    for thread in started:
        thread.stop()


def wait_for_forward(path, capture_id):
    store = Store(path)
    deadline = time.monotonic() + 10
    while (record := store.forward_of(capture_id)) is None and time.monotonic() < deadline:
        time.sleep(0.02)
    return record


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        (GZIPPED, {"Content-Encoding": "gzip", "Content-Type": "application/json"}),
        (BINARY, {"Content-Type": "application/octet-stream"}),
    ],
)
def test_forward_is_byte_exact_and_its_result_is_stored(forwarding, tmp_path, body, headers):
    with target(Answer(status=202, body=b"taken")) as t:
        _, url = forwarding(t.url + "/app")
        extra = {"X-Hub-Signature-256": "sha256=1", "x-dup": "a"}
        sent = httpx.post(url + "/hooks/gh?x=%2F", content=body, headers={**headers, **extra})
        assert sent.status_code == 200 and sent.json()["status"] == "captured"
        record = wait_for_forward(tmp_path / "c.sqlite3", sent.json()["id"])
    seen = t.seen[0]
    assert seen.raw_path == "/app/hooks/gh?x=%2F"
    assert hashlib.sha256(seen.body).digest() == hashlib.sha256(body).digest()
    capture = Store(tmp_path / "c.sqlite3").get(sent.json()["id"])
    forwarded = [(k.decode(), v.decode()) for k, v in seen.headers]
    assert forwarded == [h for h in capture.headers if h[0].lower() != "connection"]
    assert record is not None and record.kind == "forward"
    assert record.attempts[0].status == 202 and record.attempts[0].body == b"taken"
    assert record.attempts[0].total_ms > 0


def test_answer_from_target_reaches_the_original_sender(forwarding, tmp_path):
    with target(Answer(status=409, body=b"duplicate", headers=(("X-From", "target"),))) as t:
        _, url = forwarding(t.url, answer="target")
        sent = httpx.post(url + "/h", content=b"{}")
    assert sent.status_code == 409 and sent.content == b"duplicate"
    assert sent.headers["x-from"] == "target"
    assert wait_for_forward(tmp_path / "c.sqlite3", 1).attempts[0].status == 409
    # The stored response is what the sender really got (set with the forward's record).
    assert Store(tmp_path / "c.sqlite3").get(1).response.startswith(b"HTTP/1.1 409 ")


def test_unreachable_target_is_recorded_and_answered_502_in_target_mode(forwarding, tmp_path):
    _, url = forwarding("http://127.0.0.1:9", answer="target")
    sent = httpx.post(url + "/h", content=b"{}")
    assert sent.status_code == 502 and "connection refused" in sent.text
    record = wait_for_forward(tmp_path / "c.sqlite3", 1)
    assert record.attempts[0].error_kind == "refused"


def test_forwarding_can_be_switched_at_runtime(forwarding, tmp_path):
    with target() as t:
        thread, url = forwarding(t.url)
        thread.loop.call_soon_threadsafe(thread.service.set_forwarding, None)
        deadline = time.monotonic() + 5
        while thread.service.forwarding is not None and time.monotonic() < deadline:
            time.sleep(0.01)
        httpx.post(url + "/off", content=b"1")
        thread.loop.call_soon_threadsafe(thread.service.set_forwarding, ForwardSettings(t.url))
        while thread.service.forwarding is None and time.monotonic() < deadline:
            time.sleep(0.01)
        httpx.post(url + "/on", content=b"2")
        assert wait_for_forward(tmp_path / "c.sqlite3", 2) is not None
    assert [s.raw_path for s in t.seen] == ["/on"]
    assert Store(tmp_path / "c.sqlite3").forward_of(1) is None
