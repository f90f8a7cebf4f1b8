"""HAR 1.2 import, tolerant of what Chrome, Firefox, Safari, Charles and Insomnia write.

HTTP/2 pseudo-headers (`:authority`) are dropped; bodies come from `_content` (HTTP Toolkit,
base64), `postData.text` (base64 when `encoding` says so, as Charles writes), or `postData.params`
(Insomnia writes forms that way).
"""

from __future__ import annotations

import base64
import binascii
from urllib.parse import quote, urlsplit

from webhook_inspector.core.formats.documents import Node, wire_text
from webhook_inspector.core.formats.importresult import ImportResult, Source
from webhook_inspector.core.model import OutgoingRequest

FORMAT = "HAR"


def sniff(source: Source) -> bool:
    """Whether the source is a HAR document."""
    data = source.json()
    return isinstance(data, dict) and isinstance(data.get("log"), dict) and "entries" in data["log"]


def read(source: Source) -> ImportResult:
    """Every entry's request; raises FormatError with a JSON pointer."""
    root = Node(source.json(), FORMAT)
    warnings: list[str] = []
    requests = [
        _request(entry.node("request"), warnings)
        for entry in root.node("log").items("entries", required=True)
    ]
    return ImportResult(FORMAT, tuple(requests), tuple(dict.fromkeys(warnings)))


def _request(node: Node, warnings: list[str]) -> OutgoingRequest:
    method = node.get("method", str)
    url = node.get("url", str)
    if "://" not in url:
        raise node.error(f"not an absolute URL: {url!r}", "url")
    headers = []
    for name, value in node.pairs("headers"):
        if name.startswith(":"):
            warnings.append(f"{FORMAT}: HTTP/2 pseudo-headers ({name} …) were left out")
            continue
        headers.append((name, wire_text(value)))
    body = _body(node)
    path = urlsplit(url).path or "/"
    return OutgoingRequest(method, url, tuple(headers), body, name=f"{method} {path}")


def _body(node: Node) -> bytes:
    content = node.get("_content", dict, None)
    if content is not None:
        return _decode(node.node("_content"), "text")
    post = node.get("postData", dict, None)
    if post is None:
        return b""
    post_node = node.node("postData")
    if post_node.get("text", str, None) is not None:
        return _decode(post_node, "text")
    params = post_node.pairs("params")
    return "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in params).encode()


def _decode(node: Node, key: str) -> bytes:
    text = node.get(key, str, "")
    if node.get("encoding", str, "") == "base64":
        try:
            return base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise node.error("not valid base64", key) from None
    return text.encode("utf-8", "surrogateescape")
