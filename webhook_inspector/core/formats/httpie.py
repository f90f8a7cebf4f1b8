"""HTTPie export: one `http` command per capture, for bash.

HTTPie sends through requests and http.client, which decide part of the request themselves:
they order the headers (their defaults first, Host and Content-Length where they please), compute
Content-Length, and re-quote the URL (`%2f` becomes `%2F`, a space `%20`). So the command
delivers the same method, body bytes and multiset of headers, in an order HTTPie picks; for an
exact replay, export cURL. Defaults the capture did not have are switched off (`User-Agent:`),
and bodies that are not text arrive on stdin from `printf`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import BinaryIO

from webhook_inspector.core.formats.curl import MAX_ARGUMENT_BYTES, write_commands
from webhook_inspector.core.formats.har import request_url
from webhook_inspector.core.formats.shellquote import bash_quote, printf_format
from webhook_inspector.core.model import CapturedRequest

# Headers HTTPie (and requests below it) adds on its own unless told `Name:`.
_DEFAULTS = ("user-agent", "accept", "accept-encoding", "connection")


def httpie_bash(capture: CapturedRequest) -> bytes:
    """A bash command running HTTPie's `http` that resends `capture`."""
    body = capture.body
    stdin = bool(body) and not _is_argument_text(body)
    words = [b"http"]
    if not stdin:
        words.append(b"--ignore-stdin")  # in a script, a body-less `http` would wait for stdin
    words += [b"--path-as-is", capture.method.encode("latin-1")]
    words.append(bash_quote(request_url(capture).encode("latin-1")))
    names = {name.lower() for name, _ in capture.headers}
    lines = [b" ".join(words)]
    for name, value in capture.headers:
        if name.lower() == "content-length" and value == str(len(body)):
            # HTTPie computes it, and given one with a body on stdin it adds chunked coding too.
            continue
        item = f"{name}:{value}" if value else f"{name};"  # `Name:` alone would remove it
        lines.append(bash_quote(item.encode("latin-1")))
    defaults = [*_DEFAULTS, "content-type"] if body else list(_DEFAULTS)
    lines += [bash_quote(f"{name.title()}:".encode()) for name in defaults if name not in names]
    if body and not stdin:
        lines.append(b"--raw " + bash_quote(body))
    head = b"printf " + printf_format(body) + b" | " if stdin else b""
    return head + b" \\\n  ".join(lines) + b"\n"


def _is_argument_text(body: bytes) -> bool:
    # HTTPie encodes --raw as UTF-8 text; argv cannot hold NUL.
    if b"\x00" in body or len(body) > MAX_ARGUMENT_BYTES:
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def write_httpie(captures: Iterable[CapturedRequest], out: BinaryIO) -> int:
    """Write one HTTPie command per capture, each under a comment line; return the count."""
    return write_commands(captures, out, httpie_bash)
