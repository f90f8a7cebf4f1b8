"""OpenCollection YAML import (Bruno 3): one request per file, `info` and `http` sections."""

from __future__ import annotations

import base64
from urllib.parse import quote

from webhook_inspector.core.formats.documents import Node, wire_text
from webhook_inspector.core.formats.importresult import ImportResult, Source
from webhook_inspector.core.model import OutgoingRequest

FORMAT = "OpenCollection"
_CONTENT_TYPES = {"json": "application/json", "xml": "application/xml", "text": "text/plain",
                  "form-urlencoded": "application/x-www-form-urlencoded"}  # fmt: skip


def sniff(source: Source) -> bool:
    """Whether the source is an OpenCollection request file."""
    data = source.yaml()
    return isinstance(data, dict) and isinstance(data.get("http"), dict) and "info" in data


def read(source: Source) -> ImportResult:
    """The one request the file holds."""
    root = Node(source.yaml(), FORMAT)
    info = root.node("info")
    http = root.node("http")
    method = http.get("method", str, "GET").upper()
    url = http.get("url", str)
    headers = [(name, wire_text(value)) for name, value in http.pairs("headers")]
    query = [
        (p.get("name", str), str(p.value.get("value", "")))
        for p in http.items("params")
        if p.get("type", str, "query") == "query" and not p.get("disabled", bool, False)
    ]
    if query and "?" not in url:
        url += "?" + "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in query)
    headers += _auth(http)
    body = _body(http, headers)
    warnings = (
        (f"{FORMAT}: scripts (runtime) are not run or imported",) if "runtime" in root.value else ()
    )
    name = info.get("name", str, "") or f"{method} {url}"
    return ImportResult(
        FORMAT, (OutgoingRequest(method, url, tuple(headers), body, name=name),), warnings
    )


def _auth(http: Node) -> list[tuple[str, str]]:
    auth = http.value.get("auth")
    if not isinstance(auth, dict):
        return []
    node = http.node("auth")
    kind = node.get("type", str, "none")
    if kind == "bearer":
        return [("Authorization", f"Bearer {node.node('bearer').get('token', str, '')}")]
    if kind == "basic":
        basic = node.node("basic")
        pair = f"{basic.get('username', str, '')}:{basic.get('password', str, '')}".encode()
        return [("Authorization", "Basic " + base64.b64encode(pair).decode("ascii"))]
    return []


def _body(http: Node, headers: list[tuple[str, str]]) -> bytes:
    if not isinstance(http.value.get("body"), dict):
        return b""
    body = http.node("body")
    kind = body.get("type", str, "text")
    data = body.value.get("data", "")
    if isinstance(data, list):
        pairs = [
            (str(f.get("name", "")), str(f.get("value", ""))) for f in data if isinstance(f, dict)
        ]
        text = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs)
    elif isinstance(data, str):
        text = data
    else:
        raise body.error("must be a string or a list of fields", "data")
    if kind in _CONTENT_TYPES and not any(n.lower() == "content-type" for n, _ in headers):
        headers.append(("Content-Type", _CONTENT_TYPES[kind]))
    return text.encode("utf-8", "surrogateescape")
