"""A collection's requests in the shape exporters read, so every export format serves both."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from webhook_inspector.core.collection.tree import Collection
from webhook_inspector.core.collection.variables import render
from webhook_inspector.core.errors import UsageError
from webhook_inspector.core.model import CapturedRequest, OutgoingRequest


def _wire(text: str) -> str:
    """Text as wire bytes read as latin-1 (the captures' convention); non-latin-1 goes as UTF-8."""
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return text.encode("utf-8").decode("latin-1")
    return text


def request_as_capture(request: OutgoingRequest, request_id: str = "") -> CapturedRequest:
    """`request` as a CapturedRequest: raw target from its URL, Host first if it had none."""
    url = request.url
    parts = urlsplit(url)
    scheme_end = url.find("://")
    after_host = url[scheme_end + 3 :] if scheme_end >= 0 else url
    slash = min((i for i in (after_host.find("/"), after_host.find("?")) if i >= 0), default=-1)
    target = after_host[slash:] if slash >= 0 else "/"
    if target.startswith("?"):
        target = "/" + target
    headers = tuple((_wire(name), _wire(value)) for name, value in request.headers)
    if not any(name.lower() == "host" for name, _ in headers) and parts.netloc:
        headers = (("Host", _wire(parts.netloc)), *headers)
    head = f"{request.method} {_wire(target)} HTTP/1.1\r\n" + "\r\n".join(
        f"{name}: {value}" for name, value in headers
    )  # fmt: skip
    return CapturedRequest(
        received_at_us=0, method=request.method, target=_wire(target), http_version="1.1",
        headers=headers, body=request.body, remote_ip="", remote_port=0,
        raw_head=head.encode("latin-1"), tls=parts.scheme.lower() == "https",
        inbox=request_id or "collection",
    )  # fmt: skip


def collection_captures(
    collection: Collection, item_id: str = "", environment: str | None = None
) -> Iterator[CapturedRequest]:
    """Every request of `item_id` (a request or folder; all when empty), as captures.

    With an environment the requests are rendered (an undefined variable raises); without
    one, `{{placeholders}}` stay as written (Postman reads them as its own variables), except
    in a URL's scheme and host: a URL like `{{base}}/orders` needs an environment (UsageError).
    """
    env = collection.environment(environment) if environment else None
    path = collection.root / item_id if item_id else collection.root
    ids = collection.request_ids(item_id) if path.is_dir() else [item_id]
    for request_id in ids:
        request = collection.load_request(request_id)
        if env is not None:
            request = render(request, env)
        elif "://" not in request.url:
            raise UsageError(
                f"{request_id}: its URL {request.url!r} has no scheme and host until rendered;"
                " export with an environment (--env NAME)"
            )
        yield request_as_capture(request, request_id)
