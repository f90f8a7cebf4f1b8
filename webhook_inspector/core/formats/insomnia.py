"""Insomnia import: v4 JSON exports (resources with parent ids) and v5 YAML collections."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from webhook_inspector.core.formats.documents import Node, wire_text
from webhook_inspector.core.formats.importresult import Environment, ImportResult, Source
from webhook_inspector.core.model import OutgoingRequest

V4 = "Insomnia v4"
V5 = "Insomnia v5"


def sniff_v4(source: Source) -> bool:
    """Whether the source is an Insomnia v4 export."""
    data = source.json()
    return isinstance(data, dict) and data.get("__export_format") == 4


def sniff_v5(source: Source) -> bool:
    """Whether the source is an Insomnia v5 YAML collection."""
    data = source.yaml()
    return isinstance(data, dict) and str(data.get("type", "")).startswith(
        "collection.insomnia.rest/5"
    )


def read_v4(source: Source) -> ImportResult:
    """Requests (named by their folder path), and environments with their variables."""
    root = Node(source.json(), V4)
    resources = list(root.items("resources", required=True))
    groups = {r.get("_id", str): r for r in resources if r.get("_type", str, "") == "request_group"}
    requests = []
    environments = []
    warnings: list[str] = []
    for resource in resources:
        kind = resource.get("_type", str)
        if kind == "request":
            folder = _folder(resource, groups)
            requests.append(_request(resource, folder, V4))
        elif kind == "environment":
            data = resource.get("data", dict, {})
            environments.append(
                Environment(resource.get("name", str, "environment"), _flatten(data))
            )
        elif kind in ("grpc_request", "websocket_request"):
            warnings.append(f"{V4}: {kind} resources are not imported")
    return ImportResult(V4, tuple(requests), tuple(dict.fromkeys(warnings)), tuple(environments))


def _folder(resource: Node, groups: dict[str, Node]) -> str:
    names = []
    parent = resource.get("parentId", str, "")
    seen = set()
    while parent in groups and parent not in seen:
        seen.add(parent)
        names.append(groups[parent].get("name", str, "folder").replace("/", "∕"))
        parent = groups[parent].get("parentId", str, "")
    return "".join(f"{name}/" for name in reversed(names))


def read_v5(source: Source) -> ImportResult:
    """Requests from the `collection` tree, environments from `environments`."""
    root = Node(source.yaml(), V5)
    requests: list[OutgoingRequest] = []
    _walk(root, "collection", "", requests)
    environments = []
    if root.get("environments", dict, None):
        base = root.node("environments")
        environments.append(
            Environment(
                base.get("name", str, "Base Environment"), _flatten(base.get("data", dict, {}))
            )
        )
        for sub in base.items("subEnvironments"):
            environments.append(
                Environment(
                    sub.get("name", str, "environment"), _flatten(sub.get("data", dict, {}))
                )
            )
    return ImportResult(V5, tuple(requests), (), tuple(environments))


def _walk(node: Node, key: str, prefix: str, requests: list[OutgoingRequest]) -> None:
    for item in node.items(key, required=not prefix):
        if "children" in item.value:
            name = item.get("name", str, "folder").replace("/", "∕")
            _walk(item, "children", f"{prefix}{name}/", requests)
        else:
            requests.append(_request(item, prefix, V5))


def _request(node: Node, folder: str, format_name: str) -> OutgoingRequest:
    method = node.get("method", str, "GET").upper()
    url = node.get("url", str)
    headers = [(name, wire_text(value)) for name, value in node.pairs("headers")]
    body = b""
    if node.get("body", dict, None):
        payload = node.node("body")
        text = payload.get("text", str, None)
        if text is not None:
            body = text.encode("utf-8", "surrogateescape")
        elif payload.get("params", list, None):
            pairs = payload.pairs("params")
            body = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs).encode()
        mime = payload.get("mimeType", str, "")
        if mime and not any(name.lower() == "content-type" for name, _ in headers):
            headers.append(("Content-Type", mime))
    name = node.get("name", str, "") or f"{method} {url}"
    return OutgoingRequest(method, url, tuple(headers), body, name=folder + name.replace("/", "∕"))


def _flatten(data: dict[str, Any], prefix: str = "") -> tuple[tuple[str, str], ...]:
    # Insomnia environments nest objects ({"api": {"host": …}}); templates address them dotted.
    pairs: list[tuple[str, str]] = []
    for key, value in data.items():
        if isinstance(value, dict):
            pairs += _flatten(value, f"{prefix}{key}.")
        else:
            pairs.append((f"{prefix}{key}", "" if value is None else str(value)))
    return tuple(pairs)
