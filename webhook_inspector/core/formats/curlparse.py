"""cURL command import: what browsers' "Copy as cURL" (bash and cmd) and our export write.

Options that change the request are applied; options that only change how curl behaves
locally (`-s`, `-k`, `-o FILE` …) are skipped quietly; anything else is a warning, not a
failure. Files are never read: `-d @file` and `-F name=@file` leave a warning instead, so a
pasted command cannot pull local files into a request.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

from webhook_inspector.core.errors import FormatError
from webhook_inspector.core.formats.shellsplit import Statement, split_bash, split_cmd
from webhook_inspector.core.model import OutgoingRequest

COMPRESSED_ACCEPT = "deflate, gzip, br, zstd"
FORM_BOUNDARY = "------------------------WebhookInspectorForm"
_LOCAL_FLAGS = frozenset(
    [
        "-s",
        "--silent",
        "-S",
        "--show-error",
        "-k",
        "--insecure",
        "-L",
        "--location",
        "-v",
        "--verbose",
        "-i",
        "--include",
        "--http1.0",
        "--http1.1",
        "--http2",
        "--http2-prior-knowledge",
        "--path-as-is",
        "-g",
        "--globoff",
        "-f",
        "--fail",
        "--fail-with-body",
        "-N",
        "--no-buffer",
        "--no-progress-meter",
        "-#",
        "--progress-bar",
        "-O",
        "--remote-name",
        "--tr-encoding",
        "--raw",
        "--ipv4",
        "-4",
        "--ipv6",
        "-6",
        "--no-keepalive",
        "--location-trusted",
        "-q",
    ]
)
_LOCAL_WITH_VALUE = frozenset(
    [
        "-o",
        "--output",
        "-m",
        "--max-time",
        "--connect-timeout",
        "--retry",
        "--retry-delay",
        "--retry-max-time",
        "-w",
        "--write-out",
        "-x",
        "--proxy",
        "--cacert",
        "--cert",
        "--key",
        "-c",
        "--cookie-jar",
        "--resolve",
        "--connect-to",
        "--limit-rate",
        "-D",
        "--dump-header",
        "--trace",
        "--trace-ascii",
        "--interface",
        "-U",
        "--proxy-user",
    ]
)
_SHORT_WITH_VALUE = frozenset("XHdFubAeowmxTDcU")
_LONG_NAMES = {"-X": "--request", "-H": "--header", "-d": "--data", "-F": "--form",
               "-u": "--user", "-b": "--cookie", "-A": "--user-agent", "-e": "--referer",
               "-I": "--head", "-G": "--get", "-T": "--upload-file"}  # fmt: skip


@dataclass
class _Builder:
    line: int
    warnings: list[str]
    url: str = ""
    method: str = ""
    target: str = ""
    headers: list[tuple[str, str]] = field(default_factory=list)
    removed: set[str] = field(default_factory=set)
    data: list[bytes] = field(default_factory=list)
    form: list[tuple[str, str]] = field(default_factory=list)
    get: bool = False
    head: bool = False
    stdin: bytes | None = None
    compressed: bool = False
    unread_body: bool = False

    def warn(self, text: str) -> None:
        self.warnings.append(f"cURL command line {self.line}: {text}")


def _header(builder: _Builder, value: str) -> None:
    name, colon, rest = value.partition(":")
    if colon:
        if rest.strip():
            builder.headers.append((name.strip(), _latin1(rest.strip())))
        else:
            builder.removed.add(name.strip().lower())  # `Name:` removes curl's own header
    elif value.endswith(";"):
        builder.headers.append((value[:-1].strip(), ""))
    else:
        builder.warn(f"header {value!r} has no colon; skipped")


def _data(kind: str) -> Callable[[_Builder, str], None]:
    def add(builder: _Builder, value: str) -> None:
        raw = value.encode("utf-8", "surrogateescape")
        if kind == "urlencode":
            name, equals, content = value.partition("=")
            encoded = quote(content.encode("utf-8", "surrogateescape"), safe="")
            raw = (name + "=" + encoded if equals else encoded).encode("ascii")
        elif kind != "raw" and raw.startswith(b"@"):
            if raw == b"@-" and builder.stdin is not None:
                raw = builder.stdin
            else:
                builder.warn(f"body file {value[1:]!r} was not read; the body is left empty")
                builder.unread_body = True
                return
        builder.data.append(raw)

    return add


def _form(builder: _Builder, value: str) -> None:
    name, equals, content = value.partition("=")
    if not equals:
        builder.warn(f"form field {value!r} has no '='; skipped")
    elif content.startswith(("@", "<")):
        builder.warn(f"form file {content[1:]!r} was not read; field {name!r} left empty")
        builder.form.append((name, ""))
    else:
        builder.form.append((name, content))


def _set(attribute: str) -> Callable[[_Builder, str], None]:
    def apply(builder: _Builder, value: str) -> None:
        setattr(builder, attribute, value)

    return apply


def _user(builder: _Builder, value: str) -> None:
    token = base64.b64encode(value.encode("utf-8", "surrogateescape")).decode("ascii")
    builder.headers.append(("Authorization", f"Basic {token}"))


def _cookie(builder: _Builder, value: str) -> None:
    if "=" in value:
        builder.headers.append(("Cookie", _latin1(value)))
    else:
        builder.warn(f"cookie file {value!r} was not read")


_WITH_VALUE: dict[str, Callable[[_Builder, str], None]] = {
    "--request": _set("method"),
    "--header": _header,
    "--data": _data("ascii"),
    "--data-ascii": _data("ascii"),
    "--data-binary": _data("binary"),
    "--data-raw": _data("raw"),
    "--data-urlencode": _data("urlencode"),
    "--json": _data("binary"),
    "--form": _form,
    "--form-string": lambda b, v: b.form.append(tuple(v.partition("=")[::2])),  # type: ignore[arg-type]
    "--user": _user,
    "--cookie": _cookie,
    "--user-agent": lambda b, v: b.headers.append(("User-Agent", _latin1(v))),
    "--referer": lambda b, v: b.headers.append(("Referer", _latin1(v))),
    "--url": _set("url"),
    "--request-target": _set("target"),
}
_FLAGS: dict[str, Callable[[_Builder], None]] = {
    "--compressed": lambda b: setattr(b, "compressed", True),
    "--get": lambda b: setattr(b, "get", True),
    "--head": lambda b: setattr(b, "head", True),
}


def _latin1(text: str) -> str:
    # Header values are kept as wire bytes read as latin-1, like captured ones.
    return text.encode("utf-8", "surrogateescape").decode("latin-1")


def _options(words: list[str]) -> list[tuple[str, str | None]]:
    """(option, value) pairs in order; a bare word is ("", word). Bundles are unpacked."""
    result: list[tuple[str, str | None]] = []
    index = 0
    while index < len(words):
        word = words[index]
        index += 1
        if word.startswith("--") and len(word) > 2:
            # curl's long options never take `--name=value`: the value is the next word.
            if word in _WITH_VALUE or word in _LOCAL_WITH_VALUE:
                value = words[index] if index < len(words) else None
                index += 1
                result.append((word, value))
            else:
                result.append((word, None))
        elif word.startswith("-") and len(word) > 1:
            letters = word[1:]
            for position, letter in enumerate(letters):
                option = _LONG_NAMES.get(f"-{letter}", f"-{letter}")
                if letter in _SHORT_WITH_VALUE:
                    rest = letters[position + 1 :]
                    if rest:
                        result.append((option, rest))
                    else:
                        result.append((option, words[index] if index < len(words) else None))
                        index += 1
                    break
                result.append((option, None))
        else:
            result.append(("", word))
    return result


def _request(words: list[str], builder: _Builder) -> OutgoingRequest:
    for option, value in _options(words[1:]):
        if option == "":
            if builder.url:
                builder.warn(f"extra URL {value!r} ignored (one request per command)")
            else:
                builder.url = value or ""
        elif option in _WITH_VALUE:
            if value is None:
                raise FormatError(f"cURL command line {builder.line}: {option} needs a value")
            _WITH_VALUE[option](builder, value)
        elif option in _FLAGS:
            _FLAGS[option](builder)
        elif option in _LOCAL_FLAGS or option in _LOCAL_WITH_VALUE:
            continue
        else:
            builder.warn(f"unknown option {option} ignored")
    return _finish(builder)


def _finish(builder: _Builder) -> OutgoingRequest:
    if not builder.url:
        raise FormatError(f"cURL command line {builder.line}: no URL")
    url = builder.url if "://" in builder.url else "http://" + builder.url
    body = b"&".join(builder.data)
    headers = [h for h in builder.headers if h[0].lower() not in builder.removed]
    names = {name.lower() for name, _ in headers}
    if builder.form:
        body = _multipart(builder.form)
        headers.append(("Content-Type", f"multipart/form-data; boundary={FORM_BOUNDARY}"))
    elif builder.data and "content-type" not in names | builder.removed and not builder.get:
        headers.append(("Content-Type", "application/x-www-form-urlencoded"))
    if builder.compressed and "accept-encoding" not in names:
        headers.append(("Accept-Encoding", COMPRESSED_ACCEPT))
    if builder.get and body:
        url += ("&" if "?" in url else "?") + body.decode("latin-1")
        body = b""
    if "://" in builder.target:
        url = builder.target  # absolute-form: the target names the URL itself
    elif builder.target:
        parts = urlsplit(url)
        url = f"{parts.scheme}://{parts.netloc}{builder.target}"
    posts = body or builder.form or builder.unread_body
    method = builder.method or ("HEAD" if builder.head else "POST" if posts else "GET")
    path = urlsplit(url).path or "/"
    return OutgoingRequest(method, url, tuple(headers), body, name=f"{method} {path}")


def _multipart(fields: list[tuple[str, str]]) -> bytes:
    parts = []
    for name, value in fields:
        parts.append(
            f'--{FORM_BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value.encode("utf-8", "surrogateescape")
            + b"\r\n"
        )
    return b"".join(parts) + f"--{FORM_BOUNDARY}--\r\n".encode()


_CMD_HINT = re.compile(r'\^"|\^\r?\n|^curl(?:\.exe)? \^', re.MULTILINE)


def looks_like_curl(text: str) -> bool:
    """Whether `text` is a cURL command (after comments and an optional `printf … |`)."""
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", "REM ", "::")):
            continue
        return bool(re.match(r"(?:printf .*\| *)?curl(?:\.exe)?\s", stripped + " "))
    return False


def parse_curl(text: str) -> tuple[list[OutgoingRequest], list[str]]:
    """Every curl command in `text` (bash or cmd flavour) as a request, plus warnings.

    Raises FormatError naming the line of the first command that cannot be read.
    """
    statements = split_cmd(text) if _CMD_HINT.search(text) else split_bash(text)
    requests: list[OutgoingRequest] = []
    warnings: list[str] = []
    for statement in statements:
        curl = statement.commands[-1]
        if curl[0] not in ("curl", "curl.exe"):
            raise FormatError(f"cURL command line {statement.line}: {curl[0]!r} is not curl")
        builder = _Builder(statement.line, warnings, stdin=_piped_input(statement))
        requests.append(_request(curl, builder))
    if not requests:
        raise FormatError("cURL command line 1: no curl command found")
    return requests, warnings


def _piped_input(statement: Statement) -> bytes | None:
    if len(statement.commands) < 2:
        return None
    first = statement.commands[0]
    if len(statement.commands) == 2 and first[0] == "printf" and len(first) == 2:
        return printf_output(first[1])
    raise FormatError(
        f"cURL command line {statement.line}: only `printf FORMAT | curl …` can feed curl"
    )


def printf_output(fmt: str) -> bytes:
    """What `printf FORMAT` prints for a format without conversions (escapes and %%)."""
    out = bytearray()
    raw = fmt.encode("utf-8", "surrogateescape")
    index = 0
    while index < len(raw):
        byte = raw[index]
        if byte == 0x5C and index + 1 < len(raw):  # backslash
            match = re.match(rb"[0-7]{1,3}", raw[index + 1 :])
            if match:
                out.append(int(match[0], 8) & 0xFF)
                index += 1 + len(match[0])
                continue
            escape = chr(raw[index + 1])
            out += _SIMPLE_ESCAPES_PRINTF.get(escape, b"\\" + escape.encode("latin-1"))
            index += 2
        elif byte == 0x25 and raw[index + 1 : index + 2] == b"%":
            out.append(0x25)
            index += 2
        else:
            out.append(byte)
            index += 1
    return bytes(out)


_SIMPLE_ESCAPES_PRINTF = {"n": b"\n", "t": b"\t", "r": b"\r", "\\": b"\\", "a": b"\a",
                          "b": b"\b", "f": b"\f", "v": b"\v", '"': b'"'}  # fmt: skip
