"""cURL export, bash and cmd flavours: commands that resend a capture byte for byte.

curl adds headers of its own (Host, User-Agent, Accept, a form Content-Type for `--data`) and
tidies URLs (`/../` squashed, `[]{}` globbed). The command passes every captured header with `-H`
in captured order, switches off each default the capture did not have (`-H 'Accept:'`), sends
awkward targets verbatim with `--request-target`, and carries the body with `--data-raw`, or on
stdin from `printf` when it holds a NUL byte or is too long for one argument. Checked against
curl 7.88 with a real server (tests/core/formats/test_curl.py).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import BinaryIO

from webhook_inspector.core.formats.har import iso_utc, request_url
from webhook_inspector.core.formats.shellquote import bash_quote, cmd_quote, printf_format
from webhook_inspector.core.model import CapturedRequest

# Linux caps one argument at 128 KiB (MAX_ARG_STRLEN); stay well below it.
MAX_ARGUMENT_BYTES = 64 * 1024
# curl asks for `Expect: 100-continue` before bodies this large unless told not to.
EXPECT_THRESHOLD_BYTES = 1024 * 1024
_PLAIN_TARGET = re.compile(r"/[\x21-\x7e]*")
_DOT_SEGMENT = re.compile(r"/\.\.?(?:/|$)")
_GLOB = re.compile(r"[\[\]{}]")
_CMD_TEXT = re.compile(r"[^\x00-\x08\x0b-\x1f\x7f]*")


@dataclass(frozen=True, slots=True)
class CurlCall:
    """What a curl command for one capture says, before any shell quoting.

    `arguments` are (option, value) pairs in order; value None for a flag, and the first
    pair is ("", url). `body` goes with `--data-raw`, or on stdin.
    """

    arguments: tuple[tuple[str, bytes | None], ...]
    body: bytes


def curl_call(capture: CapturedRequest) -> CurlCall:
    """The curl arguments that send `capture` again exactly."""
    target = capture.target
    arguments: list[tuple[str, bytes | None]] = []
    names = {name.lower() for name, _ in capture.headers}
    if _PLAIN_TARGET.fullmatch(target) and "#" not in target:
        arguments.append(("", request_url(capture).encode("latin-1")))
        path = capture.path
        if _DOT_SEGMENT.search(path):
            arguments.append(("--path-as-is", None))
        if _GLOB.search(target):
            arguments.append(("--globoff", None))
    else:
        # Spaces, raw non-ASCII, absolute-form and asterisk-form targets: curl would refuse or
        # rewrite them in a URL, so the URL only says where to connect.
        base = request_url(dataclasses.replace(capture, target="/"))
        arguments.append(("", base.encode("latin-1")))
        arguments.append(("--request-target", target.encode("latin-1")))
    if capture.http_version == "1.0":
        arguments.append(("--http1.0", None))
    elif capture.tls:
        arguments.append(("--http1.1", None))  # ALPN would pick HTTP/2 and lower-case names
    body = capture.body
    method = capture.method
    if method == "HEAD" and not body:
        arguments.append(("--head", None))
    elif method != ("POST" if body else "GET"):
        arguments.append(("-X", method.encode("latin-1")))
    for name, value in capture.headers:
        line = f"{name}: {value}" if value else f"{name};"  # `Name:` alone would remove it
        arguments.append(("-H", line.encode("latin-1")))
    defaults = ["host", "user-agent", "accept"]
    if body:
        defaults.append("content-type")
        if len(body) > EXPECT_THRESHOLD_BYTES:
            defaults.append("expect")
    for name in defaults:
        if name not in names:
            arguments.append(("-H", f"{name.title()}:".encode()))
    return CurlCall(tuple(arguments), body)


def curl_bash(capture: CapturedRequest) -> bytes:
    """A bash command that resends `capture`: one argument a line, `\\` continued."""
    call = curl_call(capture)
    stdin = bool(call.body) and (b"\x00" in call.body or len(call.body) > MAX_ARGUMENT_BYTES)
    lines = []
    for option, value in call.arguments:
        words = [option.encode()] if option else []
        if value is not None:
            words.append(bash_quote(value))
        lines.append(b" ".join(words))
    if stdin:
        lines.append(b"--data-binary @-")
    elif call.body:
        lines.append(b"--data-raw " + bash_quote(call.body))
    head = b"printf " + printf_format(call.body) + b" | curl " if stdin else b"curl "
    return head + b" \\\n  ".join(lines) + b"\n"


def curl_cmd(capture: CapturedRequest) -> bytes:
    """A cmd.exe command that resends `capture`, quoted as Chrome's "Copy as cURL (cmd)".

    cmd cannot carry bytes that are not text (NUL, CR, invalid UTF-8): such a body is read
    from the file `capture-<id>.body`, which a REM line above the command names.
    """
    call = curl_call(capture)
    body = call.body
    as_text = _cmd_text(body)
    lines = []
    for option, value in call.arguments:
        words = [option] if option else []
        if value is not None:
            words.append(cmd_quote(value.decode("latin-1")))
        lines.append(" ".join(words))
    prefix = ""
    if body and as_text is None:
        name = f"capture-{capture.id if capture.id is not None else 'body'}.body"
        prefix = f"REM the body is {len(body)} bytes of binary data: save them as {name}\r\n"
        lines.append(f"--data-binary @{name}")
    elif body and as_text is not None:
        lines.append("--data-raw " + cmd_quote(as_text))
    return (prefix + "curl " + " ^\r\n  ".join(lines) + "\r\n").encode("utf-8")


def _cmd_text(body: bytes) -> str | None:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text if _CMD_TEXT.fullmatch(text) and len(body) <= MAX_ARGUMENT_BYTES else None


def comment_line(capture: CapturedRequest, marker: bytes, newline: bytes) -> bytes:
    """A shell comment naming the capture: id, time, method and target, controls blanked."""
    number = f"#{capture.id} " if capture.id is not None else ""
    line = f"{number}{iso_utc(capture.received_at_us)} {capture.method} {capture.target}"
    # The target is the sender's text: keep control bytes out of a comment line.
    safe = line.encode("latin-1").translate(_CONTROL_TO_SPACE)
    return marker + b" " + safe + newline


_CONTROL_TO_SPACE = bytes(b if b >= 0x20 and b != 0x7F else 0x20 for b in range(256))


def write_commands(
    captures: Iterable[CapturedRequest],
    out: BinaryIO,
    render: Callable[[CapturedRequest], bytes],
    marker: bytes = b"#",
    newline: bytes = b"\n",
) -> int:
    """Write `render(capture)` per capture, each under a comment line; return the count."""
    count = 0
    for capture in captures:
        out.write((newline if count else b"") + comment_line(capture, marker, newline))
        out.write(render(capture))
        count += 1
    return count


def write_curl_bash(captures: Iterable[CapturedRequest], out: BinaryIO) -> int:
    """Write one bash curl command per capture, each under a comment line; return the count."""
    return write_commands(captures, out, curl_bash)


def write_curl_cmd(captures: Iterable[CapturedRequest], out: BinaryIO) -> int:
    """Write one cmd.exe curl command per capture (CRLF line ends); return the count."""
    return write_commands(captures, out, curl_cmd, b"REM", b"\r\n")
