"""Byte-exact forwarding over kept-alive raw HTTP/1.1 connections (no client library between).

A capture is forwarded as bytes: its header lines in their received order and case (minus
hop-by-hop ones), its body unchanged, its target appended to the base path. The answer is read
with our own framing rules (Content-Length, chunked, or until close). Measured: httpx costs
about as much per request as the whole exchange with a local target, which made forwarding add
~4 ms at c=1; raw bytes add what the hop itself costs.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from webhook_inspector.core.errors import UsageError
from webhook_inspector.core.httpwire import ChunkedReader, WireError, find_head_end, head_lines
from webhook_inspector.core.httpwire import lenient_header_lines as header_pairs
from webhook_inspector.core.model import Exchange, OutgoingRequest

MAX_RESPONSE_HEAD = 256 * 1024
MAX_RESPONSE_BODY = 64 * 1024 * 1024
MAX_IDLE_CONNECTIONS = 16
READ_CHUNK = 65536
NO_BODY_STATUSES = frozenset({204, 304})


class _Closed(Exception):
    """The target closed a kept-alive connection before answering (retry on a new one)."""


@dataclass
class _Connection:
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    buffer: bytearray = field(default_factory=bytearray)


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

    async def close(self) -> None:
        """Close every idle connection."""
        idle, self._idle = self._idle, []
        for connection in idle:
            connection.writer.close()

    async def send(
        self, request: OutgoingRequest, head: bytes, body: bytes, timeout_s: float
    ) -> Exchange:
        """Write `head` + `body` and read the answer; failures come back in the Exchange."""
        started_us = time.time_ns() // 1000
        t0 = time.perf_counter()
        connect_ms: float | None = None
        connection: _Connection | None = None
        try:
            async with asyncio.timeout(timeout_s):
                for attempt in range(2):  # a kept-alive connection may have been closed meanwhile
                    reused = bool(self._idle)
                    if reused:
                        connection = self._idle.pop()
                    else:
                        t_connect = time.perf_counter()
                        reader, writer = await asyncio.open_connection(self.host, self.port)
                        connect_ms = (time.perf_counter() - t_connect) * 1000
                        connection = _Connection(reader, writer)
                    try:
                        connection.writer.write(head + body)
                        answer = await _read_response(connection, request.method == "HEAD")
                        break
                    except (_Closed, ConnectionResetError, BrokenPipeError):
                        connection.writer.close()
                        if not reused or attempt:
                            raise
        except TimeoutError:
            if connection is not None:  # a half-read answer would poison the next request
                connection.writer.close()
            spent = (time.perf_counter() - t0) * 1000
            error = f"timed out after {timeout_s} s"
            return Exchange(request, started_us, total_ms=spent, error_kind="timeout", error=error)
        except (OSError, _Closed, WireError) as exc:
            if connection is not None:
                connection.writer.close()
            kind = "refused" if isinstance(exc, ConnectionRefusedError) else "network"
            text = getattr(exc, "reason", None) or getattr(exc, "strerror", None) or str(exc)
            spent = (time.perf_counter() - t0) * 1000
            error = f"{kind}: {text or type(exc).__name__}"
            if kind == "refused":
                error = f"connection refused by {self.host}:{self.port}"
            return Exchange(request, started_us, total_ms=spent, error_kind=kind, error=error)
        status, reason, version, headers, body_bytes, keep = answer
        if keep and len(self._idle) < MAX_IDLE_CONNECTIONS:
            self._idle.append(connection)
        else:
            connection.writer.close()
        total = (time.perf_counter() - t0) * 1000
        return Exchange(request, started_us, status=status, reason=reason, http_version=version,
                        headers=headers, body=body_bytes, body_size=len(body_bytes),
                        connect_ms=connect_ms, total_ms=total, first_byte_ms=total)  # fmt: skip


async def _fill(connection: _Connection) -> None:
    data = await connection.reader.read(READ_CHUNK)
    if not data:
        raise _Closed("the target closed the connection")
    connection.buffer += data


async def _read_response(
    connection: _Connection, head_request: bool
) -> tuple[int, str, str, tuple[tuple[str, str], ...], bytes, bool]:
    """(status, reason, version, headers, body, keep-alive) of one response."""
    buffer = connection.buffer
    while (end := find_head_end(buffer)) is None:
        if len(buffer) > MAX_RESPONSE_HEAD:
            raise WireError(502, "the target's response head is too large")
        await _fill(connection)
    head_end, body_start = end
    head = bytes(buffer[:head_end])
    lines = head_lines(head)
    parts = lines[0].decode("latin-1").split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
        raise WireError(502, f"the target sent no HTTP response ({lines[0][:40]!r})")
    version, status = parts[0].removeprefix("HTTP/"), int(parts[1])
    reason = parts[2] if len(parts) > 2 else ""
    headers = header_pairs(lines[1:])
    values = {name.lower(): value.strip().lower() for name, value in headers}
    keep = "close" not in values.get("connection", "") and version != "1.0"
    del buffer[:body_start]
    if head_request or status in NO_BODY_STATUSES or 100 <= status < 200:
        return status, reason, version, headers, b"", keep
    if "chunked" in values.get("transfer-encoding", ""):
        chunks = ChunkedReader(MAX_RESPONSE_BODY)
        pos = chunks.feed(buffer, 0)
        while not chunks.done:
            del buffer[:pos]
            await _fill(connection)
            pos = chunks.feed(buffer, 0)
        del buffer[:pos]
        return status, reason, version, headers, bytes(chunks.body), keep
    if "content-length" in values:
        length = int(values["content-length"]) if values["content-length"].isdigit() else -1
        if length < 0 or length > MAX_RESPONSE_BODY:
            raise WireError(502, "the target's Content-Length is invalid or too large")
        while len(buffer) < length:
            await _fill(connection)
        body = bytes(buffer[:length])
        del buffer[:length]
        return status, reason, version, headers, body, keep
    while True:  # no framing: the body runs until the target closes
        try:
            await _fill(connection)
        except _Closed:
            break
        if len(buffer) > MAX_RESPONSE_BODY:
            raise WireError(502, "the target's response is too large")
    body = bytes(buffer)
    buffer.clear()
    return status, reason, version, headers, body, False
