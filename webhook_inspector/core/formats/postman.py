"""Postman collection v2.1 export: one request item per capture, valid against the schema."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from webhook_inspector.core.formats.har import iso_utc, request_url
from webhook_inspector.core.model import CapturedRequest

SCHEMA_URL = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
COLLECTION_NAME = "Webhook Inspector captures"


def write_postman(captures: Iterable[CapturedRequest], out: BinaryIO) -> int:
    """Write one Postman v2.1 collection, an item a line, streaming; return the count."""
    info = json.dumps({"name": COLLECTION_NAME, "schema": SCHEMA_URL})
    out.write(f'{{"info":{info},"item":['.encode())
    count = 0
    for capture in captures:
        out.write(b",\n" if count else b"\n")
        out.write(json.dumps(postman_item(capture), ensure_ascii=False).encode("utf-8"))
        count += 1
    out.write(b"\n]}\n")
    return count


def postman_item(capture: CapturedRequest) -> dict[str, Any]:
    """One capture as a Postman request item (a plain dict ready for `json.dumps`)."""
    number = f"#{capture.id} " if capture.id is not None else ""
    request: dict[str, Any] = {
        "method": capture.method,
        "header": [{"key": name, "value": value} for name, value in capture.headers],
        "url": _url(request_url(capture)),
    }
    body = capture.body
    if body:
        try:
            request["body"] = {"mode": "raw", "raw": body.decode("utf-8")}
        except UnicodeDecodeError:
            # Postman keeps binary bodies as files beside the collection, never inline.
            request["body"] = {"mode": "file", "file": {"src": _body_file(capture)}}
    return {
        "name": f"{number}{capture.method} {capture.path}",
        "description": f"Captured {iso_utc(capture.received_at_us)} from {capture.remote}",
        "request": request,
    }


def _body_file(capture: CapturedRequest) -> str:
    return f"capture-{capture.id if capture.id is not None else 'body'}.body"


def _url(url: str) -> dict[str, Any]:
    parts = urlsplit(url)
    host = parts.hostname or ""
    result: dict[str, Any] = {
        "raw": url,
        "protocol": parts.scheme,
        "host": host.split(".") if not host.startswith("[") and ":" not in host else [host],
        "path": parts.path.split("/")[1:],
    }
    try:
        port = parts.port
    except ValueError:  # a Host header with a port that is no number: leave it in `raw`
        port = None
    if port is not None:
        result["port"] = str(port)
    if parts.query:
        query = []
        for piece in parts.query.split("&"):
            key, equals, value = piece.partition("=")
            query.append({"key": key, "value": value if equals else None})
        result["query"] = query
    return result
