"""Quoting bytes for bash and Windows cmd command lines, so a command delivers them exactly."""

from __future__ import annotations

import re

# Bytes a bash single-quoted string can show as they are: printable ASCII except the quote.
_PLAIN = re.compile(rb"[\x20-\x26\x28-\x7e]*")
_ANSI_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_PRINTF_SAFE = frozenset(range(0x20, 0x7F)) - frozenset(b"'\\%")
# What Chrome's "Copy as cURL (cmd)" leaves unescaped; everything else gets a caret.
_CMD_SAFE = re.compile(r"[^a-zA-Z0-9 _\-:=+~'/.,?;()*`]")


def bash_quote(data: bytes) -> bytes:
    """`data` as one bash word: '…' when it reads as text, else $'…' with escapes.

    Valid UTF-8 stays readable in either form; control characters and bytes that are not
    UTF-8 become `\\xHH`. A NUL byte cannot be in a command argument at all: callers pass such
    data on stdin (see `printf_format`).
    """
    if _PLAIN.fullmatch(data):
        return b"'" + data + b"'"
    text = data.decode("utf-8", "surrogateescape")
    if "'" not in text and not any(_needs_escape(char) for char in text):
        return b"'" + data + b"'"
    parts = []
    for char in text:
        if char in _ANSI_ESCAPES:
            parts.append(_ANSI_ESCAPES[char])
        elif _needs_escape(char):
            raw = char.encode("utf-8", "surrogateescape")
            parts.append("".join(f"\\x{byte:02x}" for byte in raw))
        else:
            parts.append(char)
    return b"$'" + "".join(parts).encode("utf-8") + b"'"


def _needs_escape(char: str) -> bool:
    code = ord(char)
    # C0 and C1 controls and DEL, and lone surrogates (bytes that were not UTF-8).
    return code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF


def printf_format(data: bytes) -> bytes:
    """A single-quoted POSIX printf format that prints exactly `data` (NUL bytes included)."""
    parts = []
    for index, byte in enumerate(data):
        if byte in _PRINTF_SAFE and not (index == 0 and byte == 0x2D):  # a leading - is an option
            parts.append(chr(byte))
        elif byte == 0x25:
            parts.append("%%")
        else:
            # Always three octal digits: a following digit is never read as part of the escape.
            parts.append(f"\\{byte:03o}")
    return b"'" + "".join(parts).encode("ascii") + b"'"


def cmd_quote(text: str) -> str:
    """`text` as one argument for curl.exe typed into cmd.exe, the way Chrome quotes it.

    Two parsers read it: cmd.exe (carets escape, `%` expands variables) and then the C runtime
    (`\\"` is a quote). Backslashes and quotes are escaped for the runtime first, then every
    character cmd might act on gets a caret. A newline is caret, newline, newline: the first
    ends the escape, the second is the character. Carriage returns cannot be carried.
    """
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = _CMD_SAFE.sub(lambda match: "^" + match[0] if match[0] != "\n" else "\n", escaped)
    escaped = re.sub(r"%(?=[a-zA-Z0-9_])", "%^", escaped)
    return '^"' + escaped.replace("\n", "^\n\n") + '^"'
