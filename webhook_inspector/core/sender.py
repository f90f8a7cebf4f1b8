"""Sends OutgoingRequests byte-exact through one reused httpx client: the only module with httpx.

What goes on the wire is what the request says: its method, its URL's target as written (no
dot-segment removal, no re-encoding of `%xx`; only non-ASCII characters and spaces, which HTTP
cannot carry, are percent-encoded as UTF-8), its headers in order, case and duplicates, and its
body bytes. httpx adds only what HTTP/1.1 requires when the request lacks it: `Host` and
`Content-Length` (nothing for an empty GET), placed before the request's own headers; h11
writes `Host` first wherever the request has it (RFC 9112 asks clients to), so that one header
may move. A raw target byte outside visible ASCII (h11 refuses them) goes out as `%XX`. No
User-Agent, Accept, Accept-Encoding or Connection header sneaks in, because requests are built
without the client's defaults; no cookies are kept between sends; no proxy or .netrc from the
environment is used. Userinfo in the URL (`user:pass@`) becomes a Basic `Authorization` header.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.cookiejar
import importlib.util
import os
import socket
import ssl
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

# httpcore 1.0 runs `import sniffio` inside every pool operation and falls back to asyncio
# when it fails; anyio >= 4.11 no longer installs sniffio, and Python does not remember a
# failed import, so each one searched sys.path again: ~1.1 ms of CPU per request here
# (encode/httpcore#1103). Marking the absent module as absent makes each failure instant.
if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
    sys.modules["sniffio"] = None  # type: ignore[assignment]

import httpx

from webhook_inspector.core.model import Exchange, OutgoingRequest

MiB = 1024 * 1024
DEFAULT_TIMEOUT_S = 30.0
MAX_BODY_IN_MEMORY = 10 * MiB
MAX_CONNECTIONS = 100

Signer = Callable[[OutgoingRequest], tuple[tuple[str, str], ...]]
Progress = Callable[[str, int], None]  # (stage, bytes): "sending", "headers", "body", "done"

# Which failures get which kind: checked in order, the first match wins.
_ERROR_KINDS: tuple[tuple[type[BaseException], str], ...] = (
    (httpx.TimeoutException, "timeout"),
    (httpx.UnsupportedProtocol, "invalid_url"),
    (httpx.InvalidURL, "invalid_url"),
    (httpx.ConnectError, "connect"),
    (httpx.ProtocolError, "protocol"),
    (httpx.TooManyRedirects, "protocol"),
    (httpx.NetworkError, "network"),
    (httpx.TransportError, "network"),
)
# A connect error is refined by the OS error beneath it.
_CONNECT_CAUSES: tuple[tuple[type[BaseException], str], ...] = (
    (ConnectionRefusedError, "refused"),
    (socket.gaierror, "dns"),
    (ssl.SSLError, "tls"),
)
_ERROR_TEXT = {
    "timeout": "timed out",
    "invalid_url": "invalid URL",
    "refused": "connection refused",
    "dns": "host not found",
    "tls": "TLS handshake failed",
    "connect": "cannot connect",
    "protocol": "the server broke the HTTP protocol",
    "network": "network error",
}
_TIMED_EVENTS = frozenset(
    ("connection.connect_tcp.started", "connection.connect_tcp.complete",
     "connection.start_tls.complete")
)  # fmt: skip
_UNSAFE_TARGET = frozenset(" \t\r\n\x00\x7f")


@dataclass(frozen=True, slots=True)
class SendOptions:
    """How one request is sent: its deadline, TLS check, redirects and where big bodies go."""

    timeout_s: float = DEFAULT_TIMEOUT_S
    verify_tls: bool = True
    follow_redirects: bool = False
    max_body_in_memory: int = MAX_BODY_IN_MEMORY
    save_dir: Path | None = None  # a body over the cap is saved whole here (else temp dir)


class _RejectAll(http.cookiejar.DefaultCookiePolicy):
    """Keeps no cookie: each send carries only the headers its request names."""

    def set_ok(self, cookie: http.cookiejar.Cookie, request: Any) -> bool:
        """Refuse every cookie."""
        return False


def request_target(url: str) -> bytes:
    """The request target (path and query) of `url` as it goes on the wire, fragment dropped."""
    rest = url.split("://", 1)[1] if "://" in url else url
    cut = min((i for i in (rest.find("/"), rest.find("?"), rest.find("#")) if i >= 0), default=-1)
    target = "" if cut < 0 else rest[cut:].split("#", 1)[0]
    if not target.startswith("/"):
        target = "/" + target
    if target.isascii() and not _UNSAFE_TARGET.intersection(target):
        return target.encode("ascii")
    return b"".join(
        ch.encode("ascii")
        if ch.isascii() and ch not in _UNSAFE_TARGET
        else "".join(f"%{b:02X}" for b in ch.encode("utf-8")).encode("ascii")
        for ch in target
    )


def _wire_target(raw: bytes) -> bytes:
    """`raw` with each byte HTTP cannot carry in a target (not visible ASCII) as %XX."""
    if all(0x21 <= b <= 0x7E for b in raw):
        return raw
    return b"".join(bytes((b,)) if 0x21 <= b <= 0x7E else b"%%%02X" % b for b in raw)


def _header_bytes(text: str) -> bytes:
    # Captured headers are latin-1 decoded bytes: this gives them back exactly.
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        return text.encode("utf-8")


def _classify(exc: BaseException) -> tuple[str, str]:
    kind = next((k for t, k in _ERROR_KINDS if isinstance(exc, t)), "network")
    if kind == "connect":
        cause: BaseException | None = exc
        while cause is not None and kind == "connect":
            kind = next((k for t, k in _CONNECT_CAUSES if isinstance(cause, t)), "connect")
            cause = cause.__cause__ or cause.__context__
        text = str(exc).lower()
        if kind == "connect" and "refused" in text:
            kind = "refused"
        elif kind == "connect" and ("name or service" in text or "getaddrinfo" in text):
            kind = "dns"
    detail = str(exc) or type(exc).__name__
    return kind, f"{_ERROR_TEXT[kind]}: {detail}"


def sign_request(request: OutgoingRequest, sign: Signer | None) -> OutgoingRequest:
    """The request with the signer's headers replacing any of the same name (re-signed)."""
    if sign is None:
        return request
    added = sign(request)
    names = {name.lower() for name, _ in added}
    kept = tuple(h for h in request.headers if h[0].lower() not in names)
    return replace(request, headers=kept + tuple(added))


class Sender:
    """Sends requests over one reused httpx client per TLS setting; never raises for the network.

    Create and use it on one event loop; `aclose()` when done. Cancelling a `send` task stops
    the request and closes its connection.
    """

    def __init__(self, *, max_connections: int = MAX_CONNECTIONS) -> None:
        self._limits = httpx.Limits(
            max_connections=max_connections, max_keepalive_connections=max_connections
        )
        self._clients: dict[bool, httpx.AsyncClient] = {}

    def _client(self, verify: bool) -> httpx.AsyncClient:
        client = self._clients.get(verify)
        if client is None:
            client = httpx.AsyncClient(
                verify=verify,
                trust_env=False,
                limits=self._limits,
                cookies=http.cookiejar.CookieJar(policy=_RejectAll()),
            )
            self._clients[verify] = client
        return client

    async def aclose(self) -> None:
        """Close every connection."""
        clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            await client.aclose()

    async def __aenter__(self) -> Sender:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def send(
        self,
        request: OutgoingRequest,
        options: SendOptions = SendOptions(),
        *,
        raw_target: bytes | None = None,
        sign: Signer | None = None,
        progress: Progress | None = None,
    ) -> Exchange:
        """Send `request` once and return the exchange; network failures are in the result.

        `raw_target` replaces the URL's path and query on the wire byte for byte (forwarding
        a capture). `sign` adds its headers just before sending. Raises CancelledError only.
        """
        request = sign_request(request, sign)
        started_us = time.time_ns() // 1000
        t0 = time.perf_counter()
        marks: dict[str, float] = {}

        async def trace(name: str, info: dict[str, Any]) -> None:
            if name in _TIMED_EVENTS:
                marks[name] = time.perf_counter()

        def result(**fields: Any) -> Exchange:
            connect = None
            if "connection.connect_tcp.complete" in marks:
                end = (
                    marks.get("connection.start_tls.complete")
                    or marks["connection.connect_tcp.complete"]
                )
                connect = (end - marks["connection.connect_tcp.started"]) * 1000
            total = (time.perf_counter() - t0) * 1000
            return Exchange(request, started_us, connect_ms=connect, total_ms=total, **fields)

        try:
            url = httpx.URL(request.url)
            if url.scheme not in ("http", "https") or not url.host:
                raise httpx.InvalidURL(f"{request.url!r} is not an http:// or https:// URL")
            target = request_target(request.url) if raw_target is None else _wire_target(raw_target)
            timeout = options.timeout_s
            outgoing = httpx.Request(
                request.method,
                url,
                headers=[(_header_bytes(k), _header_bytes(v)) for k, v in request.headers],
                content=request.body,
                extensions={
                    "target": target,
                    "timeout": {"connect": timeout, "read": timeout, "write": timeout,
                                "pool": timeout},
                    "trace": trace,
                },
            )  # fmt: skip
        except (httpx.InvalidURL, httpx.UnsupportedProtocol, ValueError, TypeError) as exc:
            return result(error_kind="invalid_url", error=f"invalid URL: {exc}")
        client = self._client(options.verify_tls)
        if progress is not None:
            progress("sending", len(request.body))
        try:
            async with asyncio.timeout(timeout):
                response = await client.send(
                    outgoing, stream=True, follow_redirects=options.follow_redirects
                )
                try:
                    first_byte = (time.perf_counter() - t0) * 1000
                    if progress is not None:
                        progress("headers", response.status_code)
                    body, size, path = await _read_body(response, options, progress)
                finally:
                    await response.aclose()
        except TimeoutError:
            return result(error_kind="timeout", error=f"timed out: no full answer in {timeout} s")
        except (httpx.HTTPError, httpx.InvalidURL, OSError, ValueError) as exc:
            kind, text = _classify(exc)
            return result(error_kind=kind, error=text)
        if progress is not None:
            progress("done", size)
        return result(
            status=response.status_code,
            reason=response.reason_phrase,
            http_version=response.http_version.removeprefix("HTTP/"),
            headers=tuple((k.decode("latin-1"), v.decode("latin-1")) for k, v in
                          response.headers.raw),
            body=body,
            body_size=size,
            body_path=path,
            first_byte_ms=first_byte,
        )  # fmt: skip


async def _read_body(
    response: httpx.Response, options: SendOptions, progress: Progress | None
) -> tuple[bytes, int, str]:
    """The raw body (still content-encoded) up to the cap; the whole of it saved if larger."""
    kept = bytearray()
    size = 0
    spill = None
    path = ""
    cap = options.max_body_in_memory
    try:
        async for chunk in response.aiter_raw():
            size += len(chunk)
            if spill is None and size > cap:
                fd, path = tempfile.mkstemp(prefix="response-", suffix=".body",
                                            dir=options.save_dir)  # fmt: skip
                spill = os.fdopen(fd, "wb")
                await asyncio.to_thread(spill.write, bytes(kept))
            if spill is not None:
                await asyncio.to_thread(spill.write, chunk)
                room = cap - len(kept)
                if room > 0:
                    kept += chunk[:room]
            else:
                kept += chunk
            if progress is not None:
                progress("body", size)
    finally:
        if spill is not None:
            with contextlib.suppress(OSError):
                spill.close()
    return bytes(kept), size, path
