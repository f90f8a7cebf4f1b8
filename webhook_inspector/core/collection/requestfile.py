"""One request as an OpenCollection 1.0 YAML document, byte-exact both ways.

The shape follows the OpenCollection 1.0 schema (`HttpRequest`: `info` with name, type `http`
and seq; `http` with method, url, headers as name/value pairs and body), see
opencollection-dev/opencollection packages/oc-schema/src/opencollection.schema.json. What we
keep exact:

- headers in order, case and duplicates. Header text in a request is wire bytes read as latin-1
  (as captures hold it); in the file it is those bytes read as UTF-8, so `é` reads as `é`.
  Bytes that are not UTF-8 come back through `\\uDCxx` escapes (surrogateescape).
- the URL exactly as written (no `params` list is written: it would say the query twice).
- the body bytes: UTF-8 text inline as `type: json|xml|text` (multi-line text as a block
  scalar), anything else (binary, huge, or full of control characters) in a side file named
  by a `type: file` body, next to the request file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from webhook_inspector.core.collection.yamltext import dump_yaml, load_yaml, odd_characters
from webhook_inspector.core.errors import FormatError
from webhook_inspector.core.formats.documents import Node
from webhook_inspector.core.model import OutgoingRequest

MAX_INLINE_BODY = 256 * 1024
SIDE_SUFFIX = ".body"
_RAW_KINDS = {"json": "json", "xml": "xml"}  # a content-type word → the body type we write


@dataclass(frozen=True, slots=True)
class RequestFile:
    """A request's file text, and the bytes of its side file when the body lives apart."""

    text: str
    side_body: bytes | None = None


def dump_request(request: OutgoingRequest, *, seq: int, side_name: str) -> RequestFile:
    """The request as YAML text; its body goes to `side_name` when it cannot be inline text."""
    http: dict[str, Any] = {"method": request.method, "url": request.url}
    if request.headers:
        http["headers"] = [
            {"name": _file_text(name), "value": _file_text(value)}
            for name, value in request.headers
        ]
    side_body = None
    if request.body:
        text = _inline_text(request.body)
        if text is None:
            side_body = request.body
            media = request.header("content-type") or "application/octet-stream"
            http["body"] = {
                "type": "file",
                "data": [{"filePath": side_name, "contentType": media, "selected": True}],
            }
        else:
            http["body"] = {"type": _body_type(request.header("content-type")), "data": text}
    document = {"info": {"name": request.name, "type": "http", "seq": seq}, "http": http}
    return RequestFile(dump_yaml(document), side_body)


def load_request(
    text: str, where: str, read_side: Callable[[str], bytes]
) -> tuple[OutgoingRequest, int]:
    """The request in a file's text, and its seq; raises FormatError naming `where`.

    `read_side(file_path)` reads a side file's bytes; it must refuse paths outside the folder.
    """
    root = Node(load_yaml(text, where), where)
    info = root.node("info")
    kind = info.get("type", str, "http")
    if kind != "http":
        raise info.error(f"only http requests are supported, not {kind!r}", "type")
    http = root.node("http")
    headers = tuple(
        (_wire_text(item.get("name", str)), _wire_text(item.get("value", str, "")))
        for item in http.items("headers")
        if not item.get("disabled", bool, False)
    )
    body = b""
    if "body" in http.value and http.value["body"] is not None:
        body = _load_body(http.node("body"), read_side)
    seq = info.get("seq", (int, float), 0)
    request = OutgoingRequest(
        method=http.get("method", str, "GET"),
        url=http.get("url", str, ""),
        headers=headers,
        body=body,
        name=info.get("name", str, ""),
    )
    return request, int(seq)


def read_seq(text: str, where: str) -> int:
    """Only the `info.seq` of a request file (0 when absent)."""
    data = load_yaml(text, where)
    info = data.get("info") if isinstance(data, dict) else None
    seq = info.get("seq") if isinstance(info, dict) else None
    return int(seq) if isinstance(seq, int | float) and not isinstance(seq, bool) else 0


def _load_body(body: Node, read_side: Callable[[str], bytes]) -> bytes:
    kind = body.get("type", str, "text")
    if kind == "file":
        files = list(body.items("data", required=True))
        chosen = [f for f in files if f.get("selected", bool, True)] or files
        if not chosen:
            raise body.error("names no file", "data")
        return read_side(chosen[0].get("filePath", str))
    data = body.value.get("data", "")
    if not isinstance(data, str):
        raise body.error(f"a {kind} body must be a string here", "data")
    return data.encode("utf-8", "surrogateescape")


def _inline_text(body: bytes) -> str | None:
    if len(body) > MAX_INLINE_BODY:
        return None
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    # CR and the odd control character are fine (double-quoted); mostly-binary text is not.
    return text if odd_characters(text) * 100 <= len(text) else None


def _body_type(content_type: str | None) -> str:
    media = (content_type or "").lower()
    return next((kind for word, kind in _RAW_KINDS.items() if word in media), "text")


def _file_text(wire: str) -> str:
    try:
        raw = wire.encode("latin-1")
    except UnicodeEncodeError:
        return wire  # already text beyond latin-1: the sender sends it as UTF-8 anyway
    return raw.decode("utf-8", "surrogateescape")


def _wire_text(text: str) -> str:
    try:
        return text.encode("utf-8", "surrogateescape").decode("latin-1")
    except UnicodeEncodeError:
        raise FormatError(f"header text {text!r} holds an invalid character") from None
