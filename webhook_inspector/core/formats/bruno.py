"""Bruno `.bru` import: `meta`, a method block (`post { url: … }`), headers, query, body, auth.

Script, test and assertion blocks are not run or imported; each one found is a warning.
"""

from __future__ import annotations

import base64
import re
from urllib.parse import quote

from webhook_inspector.core.errors import FormatError
from webhook_inspector.core.formats.documents import wire_text
from webhook_inspector.core.formats.importresult import ImportResult, Source
from webhook_inspector.core.model import OutgoingRequest

FORMAT = "Bruno"
METHODS = ("get", "post", "put", "patch", "delete", "options", "head", "trace", "connect")
_BLOCK_START = re.compile(r"([A-Za-z][\w:-]*) \{\s*$")
_BODY_TYPES = {"json": "application/json", "xml": "application/xml", "text": "text/plain",
               "sparql": "application/sparql-query", "graphql": "application/json"}  # fmt: skip
_SCRIPTS = ("script:", "tests", "assert", "vars:")


def sniff(source: Source) -> bool:
    """Whether the source is a `.bru` file (a `meta {` block at the start)."""
    return re.match(r"\s*meta \{\s*\n", source.text) is not None


def _blocks(text: str) -> list[tuple[str, int, list[str]]]:
    blocks: list[tuple[str, int, list[str]]] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line.strip():
            continue
        match = _BLOCK_START.fullmatch(line.rstrip())
        if not match:
            raise FormatError(f"{FORMAT} line {index}: expected 'name {{', found {line.strip()!r}")
        start = index
        body: list[str] = []
        while index < len(lines) and lines[index].rstrip() != "}":
            body.append(lines[index])
            index += 1
        if index >= len(lines):
            raise FormatError(f"{FORMAT} line {start}: block {match[1]!r} is never closed")
        index += 1
        blocks.append((match[1], start, body))
    return blocks


def _pairs(name: str, start: int, lines: list[str]) -> list[tuple[str, str]]:
    pairs = []
    for offset, line in enumerate(lines, start=start + 1):
        if not line.strip():
            continue
        key, colon, value = line.strip().partition(":")
        if not colon:
            raise FormatError(f"{FORMAT} line {offset}: in {name}, expected 'key: value'")
        if not key.startswith("~"):  # `~` marks a disabled entry
            pairs.append((key.strip(), value.strip()))
    return pairs


def _text(lines: list[str]) -> str:
    # Block content is indented two spaces; the text is what remains.
    return "\n".join(line[2:] if line.startswith("  ") else line.lstrip() for line in lines)


def read(source: Source) -> ImportResult:
    """The request in the file; raises FormatError with the line of a malformed block."""
    blocks = _blocks(source.text)
    warnings: list[str] = []
    meta: dict[str, str] = {}
    method, url, body_kind = "", "", "none"
    headers: list[tuple[str, str]] = []
    query: list[tuple[str, str]] = []
    body = b""
    for name, start, lines in blocks:
        if name == "meta":
            meta = dict(_pairs(name, start, lines))
        elif name in METHODS:
            fields = dict(_pairs(name, start, lines))
            method, url, body_kind = name.upper(), fields.get("url", ""), fields.get("body", "none")
        elif name == "headers":
            headers += [(key, wire_text(value)) for key, value in _pairs(name, start, lines)]
        elif name in ("params:query", "query"):
            query += _pairs(name, start, lines)
        elif name == "auth:bearer":
            token = dict(_pairs(name, start, lines)).get("token", "")
            headers.append(("Authorization", f"Bearer {token}"))
        elif name == "auth:basic":
            fields = dict(_pairs(name, start, lines))
            pair = f"{fields.get('username', '')}:{fields.get('password', '')}".encode()
            headers.append(("Authorization", "Basic " + base64.b64encode(pair).decode("ascii")))
        elif name == f"body:{body_kind}" and body_kind == "form-urlencoded":
            pairs = _pairs(name, start, lines)
            body = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs).encode()
            _content_type(headers, "application/x-www-form-urlencoded")
        elif name == f"body:{body_kind}" or (name == "body" and body_kind != "none"):
            body = _text(lines).encode("utf-8", "surrogateescape")
            _content_type(headers, _BODY_TYPES.get(body_kind, ""))
        elif name.startswith(_SCRIPTS):
            warnings.append(f"{FORMAT}: {name} block kept out (scripts are not run or imported)")
    if not method:
        raise FormatError(f"{FORMAT} line 1: no method block ({', '.join(METHODS)})")
    if not url:
        raise FormatError(f"{FORMAT}: the {method.lower()} block has no url")
    if query and "?" not in url:
        url += "?" + "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in query)
    name = meta.get("name", "") or f"{method} {url}"
    request = OutgoingRequest(method, url, tuple(headers), body, name=name.replace("/", "∕"))
    return ImportResult(FORMAT, (request,), tuple(warnings))


def _content_type(headers: list[tuple[str, str]], value: str) -> None:
    if value and not any(name.lower() == "content-type" for name, _ in headers):
        headers.append(("Content-Type", value))
