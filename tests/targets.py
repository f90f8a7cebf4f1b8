"""A real aiohttp target on port 0 on its own thread: records requests, answers from a script."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from aiohttp import web

T = TypeVar("T")


@dataclass(frozen=True)
class Seen:
    """One request as the target saw it."""

    method: str
    raw_path: str
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes


@dataclass(frozen=True)
class Answer:
    """What the target answers: status, headers, body, and a delay before answering."""

    status: int = 200
    body: bytes = b"ok"
    headers: tuple[tuple[str, str], ...] = ()
    delay_s: float = 0.0


class Target:
    """Records every request; answers with `answers` in turn, the last one repeating."""

    def __init__(self, *answers: Answer) -> None:
        self.answers = list(answers) or [Answer()]
        self.seen: list[Seen] = []
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="target", daemon=True)
        self._thread.start()
        self._ready.wait(10)
        self.url = f"http://127.0.0.1:{self.port}"

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        index = len(self.seen)
        self.seen.append(Seen(request.method, request.raw_path, tuple(request.raw_headers), body))
        answer = self.answers[min(index, len(self.answers) - 1)]
        if answer.delay_s:
            await asyncio.sleep(answer.delay_s)
        response = web.Response(status=answer.status, body=answer.body)
        for name, value in answer.headers:
            response.headers.add(name, value)
        return response

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        # auto_decompress off: the target must see the body bytes exactly as they came.
        self._runner = web.AppRunner(app, access_log=None, auto_decompress=False)
        self._loop.run_until_complete(self._runner.setup())
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        self._loop.run_until_complete(site.start())
        self.port = self._runner.addresses[0][1]
        self._ready.set()
        self._loop.run_forever()
        self._loop.run_until_complete(self._runner.cleanup())
        self._loop.close()

    def stop(self) -> None:
        """Stop the server and its thread."""
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)


@contextmanager
def target(*answers: Answer) -> Iterator[Target]:
    """A running Target, stopped on exit."""
    running = Target(*answers)
    try:
        yield running
    finally:
        running.stop()


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Run `coro` with asyncio.run on a fresh thread (a Qt test may own this thread's loop)."""
    result: list[T] = []
    error: list[BaseException] = []

    def main() -> None:
        try:
            result.append(asyncio.run(coro))
        except BaseException as exc:
            error.append(exc)

    thread = threading.Thread(target=main, name="test-loop")
    thread.start()
    thread.join(60)
    if error:
        raise error[0]
    return result[0]
