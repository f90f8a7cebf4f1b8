"""Raw HTTP export: each capture as the HTTP/1.1 message it was, one after another.

The file is a valid pipeline: `nc HOST PORT < export.http` replays every request. The head is
the one received (raw_head) when there is one; a chunked body is sent again as one chunk.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import BinaryIO

from webhook_inspector.core.model import CapturedRequest, Outcome


def raw_request(capture: CapturedRequest) -> bytes:
    """The capture as HTTP/1.x bytes: request line, header block, blank line, framed body."""
    if capture.raw_head and capture.outcome is Outcome.CAPTURED:
        head = capture.raw_head
        # A lenient client that sent bare LFs gets its blank line in the same style.
        newline = b"\n" if b"\n" in head and b"\r" not in head else b"\r\n"
        head += newline + newline
    else:
        lines = [f"{capture.method} {capture.target} HTTP/{capture.http_version}"]
        lines += [f"{name}: {value}" for name, value in capture.headers]
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    return head + _framed_body(capture)


def _framed_body(capture: CapturedRequest) -> bytes:
    codings = ",".join(capture.header_values("transfer-encoding")).lower()
    if "chunked" not in codings:
        return capture.body
    chunk = b"%x\r\n%s\r\n" % (len(capture.body), capture.body) if capture.body else b""
    trailers = b"".join(
        f"{name}: {value}\r\n".encode("latin-1") for name, value in capture.trailers
    )
    return chunk + b"0\r\n" + trailers + b"\r\n"


def write_raw(captures: Iterable[CapturedRequest], out: BinaryIO) -> int:
    """Write the captures as consecutive HTTP messages; return the count."""
    count = 0
    for capture in captures:
        out.write(raw_request(capture))
        count += 1
    return count
