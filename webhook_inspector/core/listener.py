"""The HTTP/1.1 listener: reads every request byte-exact and answers once it is stored.

We read the wire ourselves on an asyncio Protocol rather than through aiohttp's server: aiohttp
decodes paths, inflates bodies, rejects extension methods in its C parser before any handler
runs, answers malformed requests itself and drops half-closed clients; a capture tool must keep
all of those. Reading the head ourselves also keeps it exactly as sent (spacing, order, case).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from webhook_inspector.core import httpwire
from webhook_inspector.core.httpwire import ChunkedReader, RequestHead, WireError
from webhook_inspector.core.model import CapturedRequest, Outcome

log = logging.getLogger(__name__)

MiB = 1024 * 1024
SWEEP_INTERVAL_S = 0.5
DRAIN_TIMEOUT_S = 2.0

Done = Callable[[int, bytes], None]
Failed = Callable[[BaseException], None]
Sink = Callable[[CapturedRequest, Done, Failed], None]

_IDLE, _BODY, _WAITING, _DRAINING, _CLOSED = range(5)


@dataclass(frozen=True, slots=True)
class ListenerConfig:
    """Where the listener binds and the limits it enforces."""

    host: str = "127.0.0.1"
    port: int = 8765
    max_body: int = 10 * MiB
    max_head: int = 256 * 1024
    head_timeout_s: float = 20.0
    body_idle_timeout_s: float = 30.0
    keepalive_timeout_s: float = 60.0
    max_connections: int = 512
    inbox: str = "default"


class Listener:
    """Accepts connections and hands each complete (or refused) request to `sink`.

    `sink(capture, done, failed)` must call `done(id, response_bytes)` or `failed(exc)` on the
    loop once the capture is durable; only then is the client answered.
    """

    def __init__(self, config: ListenerConfig, sink: Sink) -> None:
        self.config = config
        self._sink = sink
        self._server: asyncio.Server | None = None
        self._active: set[_Connection] = set()
        self._waiting: collections.deque[_Connection] = collections.deque()
        self._sweeper: asyncio.TimerHandle | None = None
        self.host = config.host
        self.port = config.port

    @property
    def url(self) -> str:
        """The base URL clients send to."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    @property
    def connections(self) -> int:
        """Open connections, counting those waiting for a slot."""
        return len(self._active) + len(self._waiting)

    async def start(self) -> None:
        """Bind and start accepting. Raises OSError (e.g. port in use)."""
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            lambda: _Connection(self), self.config.host, self.config.port, reuse_address=True
        )
        sockname = self._server.sockets[0].getsockname()
        self.host, self.port = sockname[0], sockname[1]
        self._sweeper = loop.call_later(SWEEP_INTERVAL_S, self._sweep)

    async def stop(self, grace_s: float = 5.0) -> None:
        """Stop accepting, let requests awaiting their commit finish, close every connection."""
        if self._server is None:
            return
        self._server.close()
        if self._sweeper is not None:
            self._sweeper.cancel()
        deadline = time.monotonic() + grace_s
        while any(c.state == _WAITING for c in self._active) and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        for conn in [*self._active, *self._waiting]:
            conn.close()
        await self._server.wait_closed()
        self._server = None

    def _admit(self, conn: _Connection) -> bool:
        """Count a new connection in, or park it paused until a slot frees."""
        if len(self._active) >= self.config.max_connections:
            idle = next((c for c in self._active if c.is_idle()), None)
            if idle is not None:
                idle.close()
                self._active.discard(idle)
            else:
                self._waiting.append(conn)
                return False
        self._active.add(conn)
        return True

    def _release(self, conn: _Connection) -> None:
        if conn in self._active:
            self._active.discard(conn)
            while self._waiting and len(self._active) < self.config.max_connections:
                nxt = self._waiting.popleft()
                if nxt.state != _CLOSED:
                    self._active.add(nxt)
                    nxt.resume()
        else:
            with contextlib.suppress(ValueError):
                self._waiting.remove(conn)

    def _sweep(self) -> None:
        now = time.monotonic()
        for conn in list(self._active):
            if conn.deadline <= now:
                conn.expire()
        loop = asyncio.get_running_loop()
        self._sweeper = loop.call_later(SWEEP_INTERVAL_S, self._sweep)


class _Connection(asyncio.Protocol):
    """One client connection: parses requests in order and answers each after its commit."""

    def __init__(self, listener: Listener) -> None:
        self.listener = listener
        self.config = listener.config
        self.state = _IDLE
        self.deadline = time.monotonic() + self.config.head_timeout_s
        self.transport: asyncio.Transport | None = None
        self._buf = bytearray()
        self._remote = ("", 0)
        self._eof = False
        self._paused = False
        self._served = 0
        self._started_us = 0
        self._head: RequestHead | None = None
        self._raw_head = b""
        self._chunks: ChunkedReader | None = None
        self._close_after = False
        self._drain_left = 0

    # asyncio callbacks

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        peer = transport.get_extra_info("peername") or ("", 0)
        self._remote = (str(peer[0]), int(peer[1]))
        if not self.listener._admit(self):
            transport.pause_reading()
            self._paused = True

    def data_received(self, data: bytes) -> None:
        if self.state == _DRAINING:
            self._drain_left -= len(data)
            if self._drain_left <= 0:
                self.close()
            return
        if self.state == _CLOSED:
            return
        self._buf += data
        if self.state == _WAITING:
            if len(self._buf) > self.config.max_head + self.config.max_body:
                self.transport.pause_reading()  # type: ignore[union-attr]
                self._paused = True
            return
        if self.state == _BODY:
            self.deadline = time.monotonic() + self.config.body_idle_timeout_s
        self._process()

    def eof_received(self) -> bool:
        self._eof = True
        if self.state == _WAITING:
            return True  # half-closed after a complete request: answer it, then close
        if self.state == _BODY or (self.state == _IDLE and self._buf.strip(b"\r\n")):
            self._refuse(400, self._incomplete_reason(), Outcome.BAD_REQUEST)
            return True
        return False

    def connection_lost(self, exc: BaseException | None) -> None:
        if self.state == _BODY or (self.state == _IDLE and self._buf.strip(b"\r\n")):
            # Reset mid-request: nobody can be answered, but the record of what came is kept.
            self._submit(self._refused_capture(self._incomplete_reason(), Outcome.BAD_REQUEST, 400))
        self.state = _CLOSED
        self.listener._release(self)

    # parsing

    def _process(self) -> None:
        while True:
            if self.state == _IDLE and not self._read_head():
                return
            if self.state == _BODY and not self._read_body():
                return
            if self.state != _IDLE or not self._buf:
                return

    def _read_head(self) -> bool:
        buf = self._buf
        if self._started_us == 0:
            while buf[:1] in (b"\r", b"\n") and buf:  # stray CRLF after a previous body
                del buf[:1]
            if not buf:
                return False
            self._started_us = time.time_ns() // 1000
            self.deadline = time.monotonic() + self.config.head_timeout_s
        found = httpwire.find_head_end(buf)
        if found is None:
            garbage = httpwire.sniff_garbage(bytes(buf[:16]))
            if garbage is not None:
                self._raw_head = bytes(buf[: self.config.max_head])
                self._refuse(400, garbage, Outcome.BAD_REQUEST)
            elif len(buf) > self.config.max_head:
                self._raw_head = bytes(buf[: self.config.max_head])
                limit = self.config.max_head // 1024
                self._refuse(431, f"request head larger than {limit} KiB", Outcome.BAD_REQUEST)
            return False
        head_end, body_start = found
        self._raw_head = bytes(buf[: min(head_end, self.config.max_head)])
        if head_end > self.config.max_head:
            limit = self.config.max_head // 1024
            self._refuse(431, f"request head larger than {limit} KiB", Outcome.BAD_REQUEST)
            return False
        try:
            head = httpwire.parse_head(self._raw_head)
        except WireError as exc:
            reason = httpwire.sniff_garbage(self._raw_head[:16]) or exc.reason
            self._refuse(exc.status, reason, Outcome.BAD_REQUEST)
            return False
        del buf[:body_start]
        self._head = head
        declared = head.content_length
        if declared is not None and declared > self.config.max_body:
            self._refuse(413, self._too_large_reason(), Outcome.TOO_LARGE, declared=declared)
            self._drain_left = declared
            return False
        if head.expect_continue and (declared or head.chunked):
            self.transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")  # type: ignore[union-attr]
        if head.chunked:
            self._chunks = ChunkedReader(self.config.max_body)
        self.state = _BODY
        self.deadline = time.monotonic() + self.config.body_idle_timeout_s
        return True

    def _read_body(self) -> bool:
        head = self._head
        assert head is not None
        buf = self._buf
        if self._chunks is not None:
            try:
                used = self._chunks.feed(buf, 0)
            except WireError as exc:
                self._refuse(exc.status, exc.reason, Outcome.BAD_REQUEST)
                return False
            del buf[:used]
            if self._chunks.too_large:
                self._refuse(413, self._too_large_reason(), Outcome.TOO_LARGE)
                self._drain_left = self.config.max_body  # unknown length: drain for a while
                return False
            if not self._chunks.done:
                return False
            body = bytes(self._chunks.body)
            trailers = httpwire.lenient_header_lines(self._chunks.trailers)
            self._chunks = None
        else:
            size = head.content_length or 0
            if len(buf) < size:
                return False
            body = bytes(buf[:size])
            del buf[:size]
            trailers = ()
        capture = CapturedRequest(
            received_at_us=self._started_us,
            method=head.method,
            target=head.target,
            http_version=head.version,
            headers=head.headers,
            trailers=trailers,
            body=body,
            remote_ip=self._remote[0],
            remote_port=self._remote[1],
            raw_head=self._raw_head,
            inbox=self.config.inbox,
        )
        self._close_after = not head.keep_alive
        self._submit(capture)
        return True

    # answering

    def _submit(self, capture: CapturedRequest) -> None:
        self.state = _WAITING
        self.listener._sink(capture, self._on_committed, self._on_failed)

    def _on_committed(self, capture_id: int, response: bytes) -> None:
        transport = self.transport
        if self.state == _CLOSED or transport is None or transport.is_closing():
            return
        transport.write(response)
        self._served += 1
        self._started_us = 0
        self._head = None
        self._raw_head = b""
        if self._drain_left > 0:
            # Read and drop the rest of a refused body so the client sees our 413, not a reset.
            self._drain_left -= len(self._buf)
            self._buf.clear()
            if self._drain_left <= 0:
                self.close()
                return
            self.state = _DRAINING
            self.deadline = time.monotonic() + DRAIN_TIMEOUT_S
            return
        if self._close_after or self._eof:
            self.close()
            return
        self.state = _IDLE
        self.deadline = time.monotonic() + self.config.keepalive_timeout_s
        if self._paused:
            self._paused = False
            transport.resume_reading()
        if self._buf:
            self._process()

    def _on_failed(self, exc: BaseException) -> None:
        transport = self.transport
        if self.state == _CLOSED or transport is None or transport.is_closing():
            return
        body = b'{"error":"the capture store is unavailable; nothing was stored"}'
        date = httpwire.DateCache().now()
        transport.write(httpwire.render_response(503, body, date=date, close=True))
        self.close()

    def _refuse(
        self, status: int, reason: str, outcome: Outcome, *, declared: int | None = None
    ) -> None:
        """Answer `status` once the refused request is recorded, then close the connection."""
        self._close_after = True
        self._submit(self._refused_capture(reason, outcome, status, declared))

    def _refused_capture(
        self, reason: str, outcome: Outcome, status: int, declared: int | None = None
    ) -> CapturedRequest:
        head = self._head
        raw_head = self._raw_head or bytes(self._buf[: self.config.max_head])
        if head is not None:
            method, target, version, headers = head.method, head.target, head.version, head.headers
            partial = (
                bytes(self._chunks.body)
                if self._chunks
                else bytes(self._buf[: self.config.max_body])
            )
            if declared is not None:
                partial = b""
        else:
            method, target, version = httpwire.split_request_line(raw_head) or ("", "", "")
            headers = httpwire.headers_from_raw_head(raw_head)
            partial = b""
        return CapturedRequest(
            received_at_us=self._started_us or time.time_ns() // 1000,
            method=method,
            target=target,
            http_version=version,
            headers=headers,
            body=partial,
            remote_ip=self._remote[0],
            remote_port=self._remote[1],
            raw_head=raw_head,
            inbox=self.config.inbox,
            outcome=outcome,
            reason=reason,
            declared_size=declared,
            status=status,
        )

    def _too_large_reason(self) -> str:
        return f"body larger than the {self.config.max_body} byte limit (--max-body)"

    def _incomplete_reason(self) -> str:
        head = self._head
        if head is None:
            return f"connection closed after {len(self._buf)} bytes, before the request head ended"
        if self._chunks is not None:
            got = len(self._chunks.body)
            return f"connection closed in the middle of a chunked body ({got} bytes received)"
        return f"connection closed after {len(self._buf)} of {head.content_length} body bytes"

    # lifecycle

    def is_idle(self) -> bool:
        """True between requests on a kept-alive connection."""
        return self.state == _IDLE and not self._buf and self._served > 0

    def resume(self) -> None:
        """Start reading a connection that waited for a slot."""
        self.deadline = time.monotonic() + self.config.head_timeout_s
        if self.transport is not None and self._paused:
            self._paused = False
            self.transport.resume_reading()

    def expire(self) -> None:
        """A deadline passed: refuse a half-read request with 408, or close an idle connection."""
        if self.state == _DRAINING or (self.state == _IDLE and not self._buf.strip(b"\r\n")):
            self.close()
        elif self.state in (_IDLE, _BODY):
            where = "head" if self.state == _IDLE else "body"
            self._refuse(408, f"timed out reading the request {where}", Outcome.TIMEOUT)

    def close(self) -> None:
        """Close the transport (pending writes are flushed first)."""
        self.state = _CLOSED
        if self.transport is not None:
            self.transport.close()
