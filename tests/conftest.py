"""Shared fixtures: a real capture service on port 0, real stores in tmp_path."""

from __future__ import annotations

import gc
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any QApplication exists

from webhook_inspector.core.listener import ListenerConfig
from webhook_inspector.core.service import CaptureService, ServiceThread
from webhook_inspector.core.store import Store

pytest_plugins = ["echoserver"]  # the aiohttp echo server fixture (tests/echoserver.py)


class RunningService:
    """A capture service on its own thread, with helpers to talk to it."""

    def __init__(self, db_path: Path, config: ListenerConfig) -> None:
        self.db_path = db_path
        self.service = CaptureService(config, db_path)
        self.thread = ServiceThread(self.service)
        self.thread.start()
        self.port = self.service.listener.port
        self.url = self.service.url

    def store(self) -> Store:
        """A fresh reader on the service's store."""
        return Store(self.db_path)

    def connect(self, timeout: float = 5.0) -> socket.socket:
        """A raw TCP connection to the listener."""
        return socket.create_connection(("127.0.0.1", self.port), timeout=timeout)

    def exchange(self, raw: bytes, *, half_close: bool = True) -> bytes:
        """Send raw bytes, optionally half-close, and read until the server closes."""
        with self.connect() as sock:
            sock.sendall(raw)
            if half_close:
                sock.shutdown(socket.SHUT_WR)
            return read_all(sock)


def read_all(sock: socket.socket) -> bytes:
    """Read until EOF (or a reset, which ends the answer too)."""
    chunks = []
    while True:
        try:
            data = sock.recv(65536)
        except ConnectionResetError:
            break
        if not data:
            break
        chunks.append(data)
    return b"".join(chunks)


def read_response(sock: socket.socket) -> bytes:
    """Read one response with a Content-Length body from a kept-alive connection."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(rest) < length:
        rest += sock.recv(65536)
    return head + b"\r\n\r\n" + rest


def read_responses(sock: socket.socket, count: int) -> list[bytes]:
    """Read `count` pipelined responses with Content-Length bodies, however they arrive."""
    data, out = b"", []
    while len(out) < count:
        head_end = data.find(b"\r\n\r\n")
        if head_end >= 0:
            length = 0
            for line in data[:head_end].split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            end = head_end + 4 + length
            if len(data) >= end:
                out.append(data[:end])
                data = data[end:]
                continue
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return out


@pytest.fixture(autouse=True, scope="session")
def _collect_on_the_main_thread():
    """As the app does (gui/gcguard.py): no automatic collection, so cycles holding Qt objects
    are never freed by a capture, writer or indexer thread; collected here between tests."""
    was_enabled = gc.isenabled()
    gc.disable()
    yield
    if was_enabled:
        gc.enable()


@pytest.fixture(autouse=True)
def _collect_after_each_test():
    """Free the test's cyclic garbage on the main thread."""
    yield
    gc.collect(1)


@pytest.fixture
def make_service(tmp_path: Path) -> Iterator:
    """Start services with a given config; all are stopped at the end of the test."""
    started: list[RunningService] = []

    def make(**overrides: object) -> RunningService:
        config = ListenerConfig(**{"host": "127.0.0.1", "port": 0, **overrides})  # type: ignore[arg-type]
        running = RunningService(tmp_path / f"captures{len(started)}.sqlite3", config)
        started.append(running)
        return running

    yield make
    for running in started:
        running.thread.stop()


@pytest.fixture
def running(make_service) -> RunningService:
    """A service with default limits on port 0."""
    return make_service()


@pytest.fixture(scope="session")
def _qasync_loop(qapp):
    """One qasync loop for the whole run (pytest-qt has no qasync support); see `qloop`."""
    import asyncio

    import qasync

    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.events._set_running_loop(None)  # marked running only inside tests that use it
    yield loop
    loop.stop()  # only now: it calls QApplication.exit(), breaking later qtbot waits
    loop.close()


@pytest.fixture
def qloop(_qasync_loop):
    """The qasync loop, marked running for this test only: `asyncio.run` works in later ones."""
    import asyncio

    asyncio.set_event_loop(_qasync_loop)
    asyncio.events._set_running_loop(_qasync_loop)
    yield _qasync_loop
    asyncio.events._set_running_loop(None)


def fill_store(path: Path, count: int, *, body: bytes = b'{"event": "ping"}') -> None:
    """Write `count` JSON captures through the store writer."""
    from webhook_inspector.core.model import CapturedRequest
    from webhook_inspector.core.store import StoreWriter

    writer = StoreWriter(path, lambda capture, cid: b"")
    batch = []
    for n in range(count):
        batch.append(
            CapturedRequest(
                received_at_us=1_795_000_000_000_000 + n * 1000,
                method="POST",
                target=f"/hooks/{n}",
                http_version="1.1",
                headers=(("Content-Type", "application/json"),),
                body=body,
                remote_ip="127.0.0.1",
                remote_port=5000,
                raw_head=b"POST /hooks/%d HTTP/1.1\r\nContent-Type: application/json" % n,
            )
        )
        if len(batch) == 5000:
            writer.write_now(batch)
            batch = []
    writer.write_now(batch)
    writer.stop()
