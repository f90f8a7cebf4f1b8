"""Postman: v2.1 collection export (an item per capture); v2.0/v2.1 collection, env import."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from typing import Any, BinaryIO
from urllib.parse import quote, urlsplit

from webhook_inspector.core.formats.documents import Node, wire_text
from webhook_inspector.core.formats.har import iso_utc, request_url, write_json_array
from webhook_inspector.core.formats.importresult import Environment, ImportResult, Source
from webhook_inspector.core.model import CapturedRequest, OutgoingRequest

SCHEMA_URL = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
COLLECTION_NAME = "Webhook Inspector captures"


def write_postman(captures: Iterable[CapturedRequest], out: BinaryIO) -> int:
    """Write one Postman v2.1 collection, an item a line, streaming; return the count."""
    info = json.dumps({"name": COLLECTION_NAME, "schema": SCHEMA_URL})
    opening = f'{{"info":{info},"item":['.encode()
    return write_json_array(out, opening, map(postman_item, captures), b"\n]}\n")


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


# Import: collections v2.0/v2.1 (folders become name paths) and environments.

COLLECTION = "Postman collection"
ENVIRONMENT = "Postman environment"
_SCHEMAS = ("/v2.0.", "/v2.1.")
_ENVIRONMENT_KEYS = {"id", "name", "values", "_postman_exported_at", "_postman_exported_using"}


def sniff_collection(source: Source) -> bool:
    """Whether the source is a Postman collection (any v2 schema)."""
    data = source.json()
    info = data.get("info") if isinstance(data, dict) else None
    return isinstance(info, dict) and "getpostman.com" in str(info.get("schema", ""))


def sniff_environment(source: Source) -> bool:
    """Whether the source is a Postman environment export."""
    data = source.json()
    if not isinstance(data, dict) or not isinstance(data.get("values"), list):
        return False
    return "_postman_variable_scope" in data or set(data) <= _ENVIRONMENT_KEYS


def read_collection(source: Source) -> ImportResult:
    """Every request in the collection, folder names joined with `/` into its name."""
    root = Node(source.json(), COLLECTION)
    info = root.node("info")
    schema = info.get("schema", str)
    if not any(version in schema for version in _SCHEMAS):
        raise info.error(f"unsupported schema {schema!r} (v2.0 and v2.1 are read)", "schema")
    warnings: list[str] = []
    requests: list[OutgoingRequest] = []
    _walk(root, "", requests, warnings)
    variables = root.pairs("variable", name="key")
    environments = ()
    if variables:
        environments = (Environment(info.get("name", str, "collection"), tuple(variables)),)
    return ImportResult(COLLECTION, tuple(requests), tuple(dict.fromkeys(warnings)), environments)


def read_environment(source: Source) -> ImportResult:
    """The environment's enabled variables."""
    root = Node(source.json(), ENVIRONMENT)
    variables = tuple(root.pairs("values", name="key"))
    return ImportResult(
        ENVIRONMENT, (), (), (Environment(root.get("name", str, "environment"), variables),)
    )


def _walk(node: Node, prefix: str, requests: list[OutgoingRequest], warnings: list[str]) -> None:
    if node.get("event", list, None):
        warnings.append(f"{COLLECTION}: scripts (event) are not imported")
    for item in node.items("item", required=not prefix):
        name = item.get("name", str, "") or "untitled"
        path = f"{prefix}{name.replace('/', '∕')}"
        if "item" in item.value:
            _walk(item, path + "/", requests, warnings)
        elif "request" in item.value:
            if item.get("event", list, None):
                warnings.append(f"{COLLECTION}: scripts (event) are not imported")
            requests.append(_item_request(item, path, warnings))
        else:
            raise item.error("neither a request nor a folder (no 'request' or 'item')")


def _item_request(item: Node, name: str, warnings: list[str]) -> OutgoingRequest:
    if isinstance(item.value["request"], str):
        return OutgoingRequest("GET", item.value["request"], name=name)
    request = item.node("request")
    method = request.get("method", str, "GET").upper()
    url = _read_url(request)
    headers: list[tuple[str, str]] = []
    raw_headers = request.value.get("header")
    if isinstance(raw_headers, str):  # v2.0 allowed a header block as one string
        for line in raw_headers.splitlines():
            key, colon, value = line.partition(":")
            if colon:
                headers.append((key.strip(), wire_text(value.strip())))
    else:
        headers += [(key, wire_text(value)) for key, value in request.pairs("header", name="key")]
    headers += _auth(request, warnings)
    body = _read_body(request, headers, warnings)
    return OutgoingRequest(method, url, tuple(headers), body, name=name)


def _read_url(request: Node) -> str:
    url = request.value.get("url")
    if isinstance(url, str):
        return url
    if url is None:
        raise request.error("missing", "url")
    node = request.node("url")
    if node.get("raw", str, ""):
        return node.get("raw", str)
    host = node.value.get("host", "")
    host = ".".join(host) if isinstance(host, list) else str(host)
    path = node.value.get("path", "")
    path = "/".join(path) if isinstance(path, list) else str(path).lstrip("/")
    port = f":{node.value['port']}" if node.value.get("port") else ""
    query = "&".join(f"{k}={v}" for k, v in node.pairs("query", name="key"))
    protocol = node.get("protocol", str, "http")
    return f"{protocol}://{host}{port}/{path}" + (f"?{query}" if query else "")


def _auth(request: Node, warnings: list[str]) -> list[tuple[str, str]]:
    auth = request.get("auth", dict, None)
    if not auth:
        return []
    node = request.node("auth")
    kind = node.get("type", str, "noauth")
    if kind == "noauth":
        return []
    params = node.value.get(kind)
    values: dict[str, str] = {}
    if isinstance(params, list):  # v2.1: [{key, value}]
        values = {p.get("key"): str(p.get("value", "")) for p in params if isinstance(p, dict)}
    elif isinstance(params, dict):  # v2.0: {name: value}
        values = {k: str(v) for k, v in params.items()}
    if kind == "bearer":
        return [("Authorization", f"Bearer {values.get('token', '')}")]
    if kind == "basic":
        pair = f"{values.get('username', '')}:{values.get('password', '')}".encode()
        return [("Authorization", "Basic " + base64.b64encode(pair).decode("ascii"))]
    warnings.append(f"{COLLECTION}: {kind} authentication is not imported")
    return []


def _read_body(request: Node, headers: list[tuple[str, str]], warnings: list[str]) -> bytes:
    if request.get("body", dict, None) is None:
        return b""
    body = request.node("body")
    mode = body.get("mode", str, "raw")
    names = {name.lower() for name, _ in headers}
    if mode == "raw":
        return body.get("raw", str, "").encode("utf-8", "surrogateescape")
    if mode == "urlencoded":
        pairs = body.pairs("urlencoded", name="key")
        if "content-type" not in names:
            headers.append(("Content-Type", "application/x-www-form-urlencoded"))
        return "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs).encode()
    if mode == "graphql":
        graphql = body.get("graphql", dict, {})
        return json.dumps(graphql, ensure_ascii=False).encode()
    if mode == "formdata":
        boundary = "WebhookInspectorFormBoundary"
        parts = []
        for field in body.items("formdata"):
            if field.get("disabled", bool, False):
                continue
            if field.get("type", str, "text") == "file":
                warnings.append(f"{COLLECTION}: form files are not imported")
                continue
            key, value = field.get("key", str), field.get("value", str, "")
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'
            )
        if "content-type" not in names:
            headers.append(("Content-Type", f"multipart/form-data; boundary={boundary}"))
        return ("".join(parts) + f"--{boundary}--\r\n").encode()
    warnings.append(f"{COLLECTION}: {mode} bodies are not imported")
    return b""
