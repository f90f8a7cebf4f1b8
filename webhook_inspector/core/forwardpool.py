"""Byte-exact forwarding over kept-alive raw HTTP/1.1 connections (no client library between).

A capture is forwarded as bytes: its header lines in their received order and case (minus
hop-by-hop ones), its body unchanged, its target appended to the base path. The answer is read
with our own framing rules (Content-Length, chunked, or until close). Measured: httpx costs
about as much per request as the whole exchange with a local target, which made forwarding add
~4 ms at c=1; raw bytes add what the hop itself costs. The connections are asyncio Protocols
driven by callbacks: on a kept-alive connection the request is written at once and the answer
is handed on from `data_received`, with no task, future or extra loop turn in between.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from webhook_inspector.core.errors import UsageError
from webhook_inspector.core.httpwire import ChunkedReader, WireError, find_head_end, head_lines
from webhook_inspector.core.httpwire import lenient_header_lines as header_pairs
from webhook_inspector.core.model import Exchange, OutgoingRequest
from webhook_inspector.core.tasks import spawn

MAX_RESPONSE_HEAD = 256 * 1024
MAX_RESPONSE_BODY = 64 * 1024 * 1024
MAX_IDLE_CONNECTIONS = 16
NO_BODY_STATUSES = frozenset({204, 304})

Answer = Callable[[Exchange], None]
Head = tuple[int, str, str, tuple[tuple[str, str], ...], bool]  # status … headers, keep-alive


class RawPool:
    """Kept-alive connections to one http:// target, used from one event loop."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        if parts.scheme.lower() != "http" or not parts.hostname:
            raise UsageError(f"raw forwarding needs an http:// URL, not {base_url!r}")
        self.host = parts.hostname
        self.port = parts.port or 80
        self.base_path = parts.path.rstrip("/").encode("latin-1")
        self._idle: list[_Connection] = []

    def start(
        self, request: OutgoingRequest, data: bytes, timeout_s: float, answer: Answer
    ) -> None:
        """Write `data` (the request's head and body) and call `answer(exchange)` once, later.

        On a kept-alive connection the bytes are written before this returns. Call it on the
        pool's loop; `answer` runs there too, and failures come back in the exchange.
        """
        _Pending(self, request, data, timeout_s, answer).begin()

    async def send(
        self, request: OutgoingRequest, head: bytes, body: bytes, timeout_s: float
    ) -> Exchange:
        """Write `head` + `body` and return the answer; failures come back in the Exchange."""
        future: asyncio.Future[Exchange] = asyncio.get_running_loop().create_future()

        def answer(exchange: Exchange) -> None:
            if not future.done():
                future.set_result(exchange)

        self.start(request, head + body, timeout_s, answer)
        return await future

    async def close(self) -> None:
        """Close every idle connection."""
        idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()

    def _take_idle(self) -> _Connection | None:
        while self._idle:
            connection = self._idle.pop()
            if not connection.closed:
                return connection
        return None

    def _keep(self, connection: _Connection) -> None:
        if len(self._idle) < MAX_IDLE_CONNECTIONS and not connection.closed:
            self._idle.append(connection)
        else:
            connection.close()

    def _forget(self, connection: _Connection) -> None:
        if connection in self._idle:
            self._idle.remove(connection)


class _Pending:
    """One request to the target: written on a connection, answered exactly once."""

    __slots__ = (
        "_answer", "_connect_ms", "_connection", "_data", "_finished", "_pool", "_request",
        "_retried", "_reused", "_started_us", "_t0", "_timeout_s", "_timer",
    )  # fmt: skip

    def __init__(
        self, pool: RawPool, request: OutgoingRequest, data: bytes, timeout_s: float, answer: Answer
    ) -> None:
        self._pool = pool
        self._request = request
        self._data = data
        self._timeout_s = timeout_s
        self._answer = answer
        self._started_us = time.time_ns() // 1000
        self._t0 = time.perf_counter()
        self._connect_ms: float | None = None
        self._connection: _Connection | None = None
        self._reused = False
        self._retried = False
        self._finished = False
        self._timer = asyncio.get_running_loop().call_later(timeout_s, self._time_out)

    def begin(self) -> None:
        connection = self._pool._take_idle()
        if connection is None:
            spawn(self._connect(), name="forward-connect")
        else:
            self._write(connection, reused=True)

    async def _connect(self) -> None:
        pool = self._pool
        t_connect = time.perf_counter()
        try:
            _, connection = await asyncio.get_running_loop().create_connection(
                lambda: _Connection(pool), pool.host, pool.port
            )
        except OSError as exc:
            self.fail(exc)
            return
        self._connect_ms = (time.perf_counter() - t_connect) * 1000
        if self._finished:  # timed out while connecting
            pool._keep(connection)
        else:
            self._write(connection, reused=False)

    def _write(self, connection: _Connection, *, reused: bool) -> None:
        self._connection = connection
        self._reused = reused
        connection.pending = self
        connection.write(self._data)

    def ended_early(self, exc: BaseException | None, answered_any: bool) -> None:
        """The connection ended before a whole answer: retry a kept-alive one once, or fail."""
        if self._reused and not answered_any and not self._retried and not self._finished:
            self._retried = True  # the target closed it while it was idle
            self._reused = False
            spawn(self._connect(), name="forward-connect")
            return
        self.fail(exc if isinstance(exc, OSError) else _Closed("the target closed the connection"))

    def complete(self, head: Head, body: bytes) -> None:
        """A whole answer arrived."""
        status, reason, version, headers, _ = head
        total = (time.perf_counter() - self._t0) * 1000
        self._finish(Exchange(self._request, self._started_us, status=status, reason=reason,
                              http_version=version, headers=headers, body=body,
                              body_size=len(body), connect_ms=self._connect_ms, total_ms=total,
                              first_byte_ms=total))  # fmt: skip

    def fail(self, exc: BaseException) -> None:
        """Answer with the error `exc` stands for, closing the connection if one is open."""
        self._drop_connection()
        pool = self._pool
        kind = "refused" if isinstance(exc, ConnectionRefusedError) else "network"
        text = getattr(exc, "reason", None) or getattr(exc, "strerror", None) or str(exc)
        error = f"{kind}: {text or type(exc).__name__}"
        if kind == "refused":
            error = f"connection refused by {pool.host}:{pool.port}"
        spent = (time.perf_counter() - self._t0) * 1000
        self._finish(Exchange(self._request, self._started_us, total_ms=spent, error_kind=kind,
                              error=error))  # fmt: skip

    def _time_out(self) -> None:
        self._drop_connection()  # a half-read answer would poison the next request
        spent = (time.perf_counter() - self._t0) * 1000
        error = f"timed out after {self._timeout_s} s"
        self._finish(Exchange(self._request, self._started_us, total_ms=spent,
                              error_kind="timeout", error=error))  # fmt: skip

    def _drop_connection(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.pending = None
            connection.close()

    def _finish(self, exchange: Exchange) -> None:
        if self._finished:
            return
        self._finished = True
        self._timer.cancel()
        self._answer(exchange)


class _Closed(Exception):
    """The target closed the connection before its answer was complete."""


class _Connection(asyncio.Protocol):
    """One connection to the target, reading one answer at a time for its `pending` request."""

    def __init__(self, pool: RawPool) -> None:
        self.pool = pool
        self.pending: _Pending | None = None
        self.closed = False
        self._transport: asyncio.Transport | None = None
        self._buffer = bytearray()
        self._head: Head | None = None
        self._length = -1  # body bytes expected; -1: until the target closes
        self._chunks: ChunkedReader | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def write(self, data: bytes) -> None:
        """Send one request's bytes."""
        assert self._transport is not None
        self._transport.write(data)

    def close(self) -> None:
        """Close the connection (an answer in progress is abandoned)."""
        self.closed = True
        if self._transport is not None:
            self._transport.close()

    def data_received(self, data: bytes) -> None:
        if self.pending is None:  # nobody asked: a kept-alive connection must stay silent
            self.close()
            return
        self._buffer += data
        try:
            self._parse()
        except WireError as exc:
            self.pending.fail(exc)

    def eof_received(self) -> bool:
        self.closed = True  # returning False closes our side too: never hand it out again
        self._end(None)
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.pool._forget(self)
        self._end(exc)

    def _end(self, exc: BaseException | None) -> None:
        pending, self.pending = self.pending, None
        if pending is None:
            return
        self.closed = True
        if exc is None and self._head is not None and self._length < 0 and self._chunks is None:
            head, body = self._head, bytes(self._buffer)  # no framing: the body ran until close
            self._reset()
            pending.complete(head, body)
            return
        answered_any = self._head is not None or bool(self._buffer)
        self._reset()
        pending.ended_early(exc, answered_any)

    def _parse(self) -> None:
        buffer = self._buffer
        while self._head is None:
            end = find_head_end(buffer)
            if end is None:
                if len(buffer) > MAX_RESPONSE_HEAD:
                    raise WireError(502, "the target's response head is too large")
                return
            self._read_head(bytes(buffer[: end[0]]))
            del buffer[: end[1]]
            if self._head is not None and 100 <= self._head[0] < 200 and self._head[0] != 101:
                self._reset()  # interim (100 Continue, 103 Early Hints): the answer follows
        if self._chunks is not None:
            used = self._chunks.feed(buffer, 0)
            del buffer[:used]
            if self._chunks.too_large:
                raise WireError(502, "the target's response is too large")
            if self._chunks.done:
                self._answered(bytes(self._chunks.body))
        elif self._length >= 0:
            if len(buffer) >= self._length:
                body = bytes(buffer[: self._length])
                del buffer[: self._length]
                self._answered(body)
        elif len(buffer) > MAX_RESPONSE_BODY:
            raise WireError(502, "the target's response is too large")

    def _read_head(self, raw: bytes) -> None:
        lines = head_lines(raw)
        parts = lines[0].decode("latin-1").split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
            raise WireError(502, f"the target sent no HTTP response ({lines[0][:40]!r})")
        version, status = parts[0].removeprefix("HTTP/"), int(parts[1])
        reason = parts[2] if len(parts) > 2 else ""
        headers = header_pairs(lines[1:])
        values = {name.lower(): value.strip().lower() for name, value in headers}
        keep = "close" not in values.get("connection", "") and version != "1.0"
        self._head = (status, reason, version, headers, keep)
        assert self.pending is not None
        if (
            self.pending._request.method == "HEAD"
            or status in NO_BODY_STATUSES
            or 100 <= status < 200
        ):
            self._length = 0
        elif "chunked" in values.get("transfer-encoding", ""):
            self._chunks = ChunkedReader(MAX_RESPONSE_BODY)
        elif "content-length" in values:
            length = int(values["content-length"]) if values["content-length"].isdigit() else -1
            if length < 0 or length > MAX_RESPONSE_BODY:
                raise WireError(502, "the target's Content-Length is invalid or too large")
            self._length = length
        else:
            self._length = -1

    def _answered(self, body: bytes) -> None:
        head, pending = self._head, self.pending
        assert head is not None and pending is not None
        self._reset()
        self.pending = None
        pending._connection = None
        if head[4] and not self._buffer:  # bytes past the answer answer nobody
            self.pool._keep(self)
        else:
            self.close()
        pending.complete(head, body)

    def _reset(self) -> None:
        self._head = None
        self._length = -1
        self._chunks = None
