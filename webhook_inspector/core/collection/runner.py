"""Running collection requests: render every one first (all or nothing), then send in order.

A request is signed by the first signing profile of the manifest whose `path` glob matches its
URL path (a profile without a path matches every request); the profile's secret is looked up
by name when the run starts, so a missing secret stops the run before anything is sent.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from webhook_inspector.core.collection.manifest import SigningProfile
from webhook_inspector.core.collection.tree import Collection
from webhook_inspector.core.collection.variables import render
from webhook_inspector.core.errors import InspectorError, UndefinedVariableError
from webhook_inspector.core.model import Exchange, OutgoingRequest
from webhook_inspector.core.secrets import resolve_secret
from webhook_inspector.core.sender import Sender, SendOptions, Signer
from webhook_inspector.core.signing.signer import request_signer

_DEFAULT_OPTIONS = SendOptions()


@dataclass(frozen=True, slots=True)
class Prepared:
    """A request ready to send: its id, rendered form and signer (None: sent unsigned)."""

    item_id: str
    request: OutgoingRequest
    profile: str = ""
    sign: Signer | None = None


def prepare(
    collection: Collection,
    item_id: str = "",
    environment: str | None = None,
    *,
    secrets: Callable[[str], str] = resolve_secret,
) -> list[Prepared]:
    """The request `item_id` (or every request in that folder; all when empty), rendered.

    Raises UndefinedVariableError (naming the request) or another InspectorError.
    """
    env = collection.environment(environment) if environment else None
    path = collection.root / item_id if item_id else collection.root
    ids = collection.request_ids(item_id) if path.is_dir() else [item_id]
    if not ids:
        raise InspectorError(f"no requests in {item_id or 'the collection'}")
    prepared = []
    signers: dict[str, Signer] = {}
    for request_id in ids:
        try:
            request = render(collection.load_request(request_id), env, secrets=secrets)
        except UndefinedVariableError as exc:
            raise UndefinedVariableError(exc.name, f"{exc.where} of {request_id}") from None
        profile = _profile_for(collection.manifest.signing, request.url)
        sign = None
        if profile is not None:
            if profile.name not in signers:
                signers[profile.name] = request_signer(profile.scheme, secrets(profile.secret))
            sign = signers[profile.name]
        prepared.append(Prepared(request_id, request, profile.name if profile else "", sign))
    return prepared


async def send_all(
    sender: Sender,
    prepared: list[Prepared],
    options: SendOptions = _DEFAULT_OPTIONS,
    on_exchange: Callable[[Prepared, Exchange], None] | None = None,
) -> list[Exchange]:
    """Send the prepared requests one after another; failures are results, not exceptions."""
    exchanges = []
    for item in prepared:
        exchange = await sender.send(item.request, options, sign=item.sign)
        exchanges.append(exchange)
        if on_exchange is not None:
            on_exchange(item, exchange)
    return exchanges


def _profile_for(profiles: tuple[SigningProfile, ...], url: str) -> SigningProfile | None:
    try:
        path = urlsplit(url).path or "/"
    except ValueError:
        path = "/"
    return next((p for p in profiles if not p.path or fnmatch.fnmatchcase(path, p.path)), None)
