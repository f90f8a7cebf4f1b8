"""A real aiohttp echo server on its own thread: what a replayed export actually delivered.

Loaded as a plugin by tests/conftest.py, so any test can ask for the `echo_server` fixture.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from aiohttp import web


@dataclass(frozen=True)
class Delivered:
    """One request as the echo server read it off the wire."""

    method: str
    target: str
    headers: tuple[tuple[str, str], ...]
    body: bytes


class EchoServer:
    """An aiohttp server on 127.0.0.1, port 0, that records every request it answers."""

    def __init__(self) -> None:
        self.received: list[Delivered] = []
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="echo-server", daemon=True)
        self._thread.start()
        self._ready.wait(10)
        self.host = f"127.0.0.1:{self.port}"

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._start())
        self._ready.set()
        self._loop.run_forever()
        self._loop.run_until_complete(self._runner.cleanup())
        self._loop.close()

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def _handle(self, request: web.Request) -> web.Response:
        headers = tuple(
            (name.decode("latin-1"), value.decode("latin-1")) for name, value in request.raw_headers
        )
        body = await request.read()
        self.received.append(Delivered(request.method, request.raw_path, headers, body))
        return web.Response(text="ok")

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)


@pytest.fixture
def echo_server() -> Iterator[EchoServer]:
    """A running echo server, stopped after the test."""
    server = EchoServer()
    yield server
    server.stop()
