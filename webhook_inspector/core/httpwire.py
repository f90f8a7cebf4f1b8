"""HTTP/1.x wire format: request heads, chunked bodies and responses, parsed byte-exact."""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from http import HTTPStatus

# RFC 9110 token characters: any method that is a token is captured, not just the registered ones.
_REQUEST_LINE = re.compile(rb"([!#$%&'*+\-.^_`|~0-9A-Za-z]+) ([^\x00-\x20\x7f]+) HTTP/(\d)\.(\d)")
_TOKEN = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_HEAD_END = re.compile(rb"\r?\n\r?\n")
_CHUNK_SIZE = re.compile(rb"([0-9A-Fa-f]{1,16})[ \t]*(?:;[^\r\n]*)?")
_OWS = b" \t"


class WireError(Exception):
    """A request that cannot be read; `status` is the 4xx to answer with."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True, slots=True)
class RequestHead:
    """A parsed request line and header block."""

    method: str
    target: str
    version: str
    headers: tuple[tuple[str, str], ...]
    content_length: int | None
    chunked: bool
    keep_alive: bool
    expect_continue: bool


def find_head_end(buffer: bytes | bytearray, start: int = 0) -> tuple[int, int] | None:
    """Return (end of head, start of body) in `buffer`, or None while the head is incomplete."""
    match = _HEAD_END.search(buffer, start)
    return (match.start(), match.end()) if match else None


def sniff_garbage(data: bytes) -> str | None:
    """Name a well-known non-HTTP/1 protocol from the first bytes of a connection, if it is one."""
    if data[:1] == b"\x16" and data[1:2] == b"\x03":
        return "TLS handshake on a plain-HTTP listener (send to http://, not https://)"
    if data.startswith(b"PRI * HTTP/2.0"):
        return "HTTP/2 with prior knowledge is not supported; use HTTP/1.1"
    return None


def split_request_line(head: bytes) -> tuple[str, str, str] | None:
    """Best-effort (method, target, version) from a head that may be malformed, for the record."""
    line = head.split(b"\n", 1)[0].rstrip(b"\r")
    parts = line.split(b" ")
    if len(parts) == 3 and _TOKEN.fullmatch(parts[0]) and parts[2].startswith(b"HTTP/"):
        return (
            parts[0].decode("latin-1"),
            parts[1].decode("latin-1"),
            parts[2][5:].decode("latin-1"),
        )
    return None


def parse_header_lines(lines: list[bytes]) -> tuple[tuple[str, str], ...]:
    """Parse header lines into (name, value) pairs, names and values kept as sent.

    Raises WireError for lines that are not `name: value`.
    """
    headers: list[tuple[str, str]] = []
    for line in lines:
        name, colon, value = line.partition(b":")
        if not colon or not _TOKEN.fullmatch(name):
            if line[:1] in (b" ", b"\t"):
                raise WireError(400, "obsolete header line folding is not allowed")
            shown = line[:60].decode("latin-1")
            raise WireError(400, f"malformed header line {shown!r}")
        headers.append((name.decode("latin-1"), value.strip(_OWS).decode("latin-1")))
    return tuple(headers)


def head_lines(head: bytes) -> list[bytes]:
    """Split a head into lines, accepting CRLF or bare LF endings."""
    return [line[:-1] if line.endswith(b"\r") else line for line in head.split(b"\n")]


def headers_from_raw_head(head: bytes) -> tuple[tuple[str, str], ...]:
    """Leniently recover header pairs from a stored head (skips lines that do not parse)."""
    return lenient_header_lines(head_lines(head)[1:])


def lenient_header_lines(lines: list[bytes]) -> tuple[tuple[str, str], ...]:
    """Header pairs from the lines that parse as `name: value`; the others are skipped."""
    pairs: list[tuple[str, str]] = []
    for line in lines:
        name, colon, value = line.partition(b":")
        if colon and _TOKEN.fullmatch(name):
            pairs.append((name.decode("latin-1"), value.strip(_OWS).decode("latin-1")))
    return tuple(pairs)


def keeps_alive(version: str, headers: tuple[tuple[str, str], ...]) -> bool:
    """Whether the connection stays open after a request with this version and these headers.

    A close in any Connection header closes it (RFC 9112 §9.6); otherwise HTTP/1.1 keeps it
    and 1.0 keeps it only when asked to (keep-alive); a request with both Transfer-Encoding and
    Content-Length is answered and then closed (§6.3). The listener and a forward's relayed
    answer both use it.
    """
    tokens: set[str] = set()
    has_length = has_coding = False
    for name, value in headers:
        key = name.lower()
        if key == "connection":
            tokens.update(t.strip().lower() for t in value.split(","))
        elif key == "content-length":
            has_length = True
        elif key == "transfer-encoding":
            has_coding = True
    keep = "keep-alive" in tokens if version == "1.0" else True
    return keep and "close" not in tokens and not (has_length and has_coding)


def parse_head(head: bytes) -> RequestHead:
    """Parse a request head (request line + header lines, no terminating blank line).

    Raises WireError with the status to answer for anything malformed.
    """
    lines = head_lines(head)
    match = _REQUEST_LINE.fullmatch(lines[0])
    if match is None:
        shown = lines[0][:80].decode("latin-1")
        raise WireError(400, f"malformed request line {shown!r}")
    method, target, major, minor = match.groups()
    if major != b"1":
        raise WireError(505, f"HTTP version {major.decode()}.{minor.decode()} is not supported")
    headers = parse_header_lines(lines[1:])
    version = f"1.{minor.decode()}"
    content_length: int | None = None
    chunked = False
    expect_continue = False
    for name, value in headers:
        key = name.lower()
        if key == "content-length":
            if not value.isdigit() or not value.isascii():
                raise WireError(400, f"invalid Content-Length {value[:40]!r}")
            if content_length is not None and int(value) != content_length:
                raise WireError(400, "conflicting Content-Length headers")
            content_length = int(value)
        elif key == "transfer-encoding":
            codings = [c.strip().lower() for c in value.split(",") if c.strip()]
            if not codings or codings[-1] != "chunked":
                raise WireError(400, f"unsupported Transfer-Encoding {value[:40]!r}")
            chunked = True
        elif key == "expect" and value.lower() == "100-continue":
            expect_continue = version != "1.0"
    if chunked:
        content_length = None  # RFC 9112 §6.3: Transfer-Encoding overrides Content-Length
    return RequestHead(
        method=method.decode("latin-1"),
        target=target.decode("latin-1"),
        version=version,
        headers=headers,
        content_length=content_length,
        chunked=chunked,
        keep_alive=keeps_alive(version, headers),
        expect_continue=expect_continue,
    )


class ChunkedReader:
    """Incremental decoder of a chunked body; `feed` returns the bytes consumed."""

    def __init__(self, max_size: int) -> None:
        self.body = bytearray()
        self.trailers: list[bytes] = []
        self.done = False
        self.too_large = False
        self._max_size = max_size
        self._remaining = 0  # data bytes left in the current chunk
        self._state = "size"  # size | data | data_crlf | trailer

    def feed(self, data: bytes | bytearray, pos: int) -> int:
        """Consume from `data[pos:]`; return the new position. Raises WireError if malformed."""
        end = len(data)
        while pos < end and not self.done:
            if self._state == "data":
                take = min(self._remaining, end - pos)
                self.body += data[pos : pos + take]
                pos += take
                self._remaining -= take
                if self._remaining == 0:
                    self._state = "data_crlf"
                continue
            newline = data.find(b"\n", pos)
            if newline < 0:
                if end - pos > 4096:
                    raise WireError(400, "chunk size line too long")
                return pos
            line = bytes(data[pos:newline]).rstrip(b"\r")
            pos = newline + 1
            if self._state == "data_crlf":
                if line:
                    raise WireError(400, "missing CRLF after chunk data")
                self._state = "size"
            elif self._state == "size":
                match = _CHUNK_SIZE.fullmatch(line)
                if match is None:
                    raise WireError(400, f"invalid chunk size line {line[:40].decode('latin-1')!r}")
                size = int(match.group(1), 16)
                if size == 0:
                    self._state = "trailer"
                elif len(self.body) + size > self._max_size:
                    self.too_large = True
                    self.done = True
                else:
                    self._remaining = size
                    self._state = "data"
            elif line:  # trailer field
                self.trailers.append(line)
            else:
                self.done = True
        return pos


_REASONS = {status.value: status.phrase for status in HTTPStatus}


class DateCache:
    """An HTTP Date header value recomputed at most once a second."""

    def __init__(self) -> None:
        self._second = 0
        self._value = b""

    def now(self) -> bytes:
        """The current date in IMF-fixdate form."""
        second = int(time.time())
        if second != self._second:
            from email.utils import formatdate  # noqa: PLC0415 - email.utils costs ~20 ms to import

            self._second = second
            self._value = formatdate(second, usegmt=True).encode("ascii")
        return self._value


def render_response(
    status: int,
    body: bytes,
    *,
    content_type: bytes = b"application/json",
    date: bytes,
    close: bool = False,
    head_only: bool = False,
) -> bytes:
    """Build a complete HTTP/1.1 response."""
    reason = _REASONS.get(status, "Unknown").encode("ascii")
    parts = [
        b"HTTP/1.1 %d %s\r\n" % (status, reason),
        b"Content-Type: %s\r\nContent-Length: %d\r\nDate: %s\r\n" % (content_type, len(body), date),
        b"Connection: close\r\n\r\n" if close else b"\r\n",
    ]
    if not head_only:
        parts.append(body)
    return b"".join(parts)


def default_answer(capture_id: int, status: int, reason: str) -> bytes:
    """The JSON body the listener answers with by default."""
    if status < 400:
        return b'{"id":%d,"status":"captured"}' % capture_id
    payload = {"id": capture_id, "status": "rejected", "error": reason}
    return json.dumps(payload, ensure_ascii=True).encode("ascii")
