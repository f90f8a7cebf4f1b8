"""Hints for the classic reasons a signature fails: small checks that re-verify a variant."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Protocol
from urllib.parse import urlsplit, urlunsplit

from webhook_inspector.core.errors import UsageError
from webhook_inspector.core.signing._keys import ALGORITHMS, WHSEC
from webhook_inspector.core.signing._signed import Fields, signed_string
from webhook_inspector.core.signing.base import Scheme, url_origin_variants


class Matcher(Protocol):
    """Whether a signed string verifies against the received signatures (with another key)."""

    def __call__(self, candidate: bytes, other_key: object | None = None) -> bool: ...


@dataclass(frozen=True, slots=True)
class HintContext:
    """What a hint may look at: the scheme, the request's fields, the key text, a matcher."""

    scheme: Scheme
    fields: Fields
    key: str
    matches: Matcher


def _signed_with_body(ctx: HintContext, body: bytes) -> bytes:
    message = replace(ctx.fields.message, body=body)
    return signed_string(ctx.scheme, replace(ctx.fields, message=message))


def _secret_prefix(ctx: HintContext) -> str | None:
    scheme = ctx.scheme
    if not ALGORITHMS[scheme.algorithm].symmetric:
        return None
    data = signed_string(scheme, ctx.fields)
    tries: list[tuple[object, str]] = []
    for prefix in scheme.secret_prefixes:
        if ctx.key.startswith(prefix):
            alt = ctx.key[len(prefix) :]
            text = f"the signature matches the secret without its {prefix!r} prefix: the signer "
            text += f"dropped it, but {scheme.title} uses the secret whole"
        else:
            alt = prefix + ctx.key
            text = f"the signature matches the secret with {prefix!r} in front: paste the "
            text += "secret whole, prefix included"
        tries.extend((key, text) for key in _load(scheme, alt))
    if scheme.key is WHSEC:
        text = "the signature matches the whole secret text used as the HMAC key: the signer "
        text += "did not base64-decode the part after 'whsec_' (Standard Webhooks requires it)"
        tries.append((ctx.key.encode(), text))
    elif ctx.key.startswith("whsec_"):
        text = "the signature matches the base64-decoded part after 'whsec_': this secret is a "
        text += f"Standard Webhooks secret, but {scheme.title} uses its secret as is"
        tries.extend((key, text) for key in _whsec(ctx.key))
    return next((text for key, text in tries if ctx.matches(data, key)), None)


def _load(scheme: Scheme, text: str) -> list[object]:
    try:
        return [scheme.key.load_verifying(text)]
    except UsageError:
        return []


def _whsec(text: str) -> list[object]:
    try:
        return [WHSEC.load_verifying(text)]
    except UsageError:
        return []


_JSON_STYLES: tuple[tuple[str, dict[str, object]], ...] = (
    ("compact", {"separators": (",", ":"), "ensure_ascii": False}),
    ("compact ASCII-escaped", {"separators": (",", ":")}),
    ("Python-default (', ' and ': ')", {"ensure_ascii": False}),
    ("Python-default ASCII-escaped", {}),
    ("pretty (2-space indent)", {"indent": 2, "ensure_ascii": False}),
    ("pretty (4-space indent)", {"indent": 4, "ensure_ascii": False}),
    ("compact with sorted keys", {"separators": (",", ":"), "sort_keys": True}),
)


def _body_reserialized(ctx: HintContext) -> str | None:
    if not ctx.scheme.covers_body:
        return None
    body = ctx.fields.message.body
    try:
        document = json.loads(body)
    except ValueError:
        return None
    for label, options in _JSON_STYLES:
        variant = json.dumps(document, **options).encode()  # type: ignore[arg-type]
        if variant != body and ctx.matches(_signed_with_body(ctx, variant)):
            return (
                f"the signature matches the body re-serialized as {label} JSON: the signer signed "
                "other bytes than were sent (a framework parsed and re-serialized the JSON). "
                "Sign and verify the raw body bytes."
            )
    return None


def _trailing_newline(ctx: HintContext) -> str | None:
    if not ctx.scheme.covers_body:
        return None
    body = ctx.fields.message.body
    variants = {
        "with a trailing newline added": body + b"\n",
        "with a trailing CRLF added": body + b"\r\n",
        "without its trailing newline": body.rstrip(b"\r\n"),
    }
    for label, variant in variants.items():
        if variant != body and ctx.matches(_signed_with_body(ctx, variant)):
            return (
                f"the signature matches the body {label}: an editor, `echo` or a shell "
                "heredoc changed the last bytes between signing and sending"
            )
    return None


def _url_variants(url: str) -> list[str]:
    parts = urlsplit(url)
    other = {"http": "https", "https": "http"}.get(parts.scheme, parts.scheme)
    path = parts.path[:-1] if parts.path.endswith("/") else parts.path + "/"
    found = [
        urlunsplit(parts._replace(scheme=other)),
        urlunsplit(parts._replace(path=path)),
        urlunsplit(parts._replace(query="")),
        *url_origin_variants(url),
        *url_origin_variants(urlunsplit(parts._replace(scheme=other))),
    ]
    return [variant for variant in dict.fromkeys(found) if variant != url]


def _wrong_url(ctx: HintContext) -> str | None:
    url = ctx.fields.url
    if not ctx.scheme.needs_url or not url:
        return None
    for variant in _url_variants(url):
        if ctx.matches(signed_string(ctx.scheme, replace(ctx.fields, url=variant))):
            return (
                f"the signature matches the URL {variant}: the provider signed the URL it was "
                f"configured with, not {url}. Give that URL exactly (scheme, host, port, path, "
                "query)."
            )
    return (
        f"{ctx.scheme.title} signs the full URL the provider called (here {url}); behind a "
        "tunnel or proxy that is the public URL, not the local one"
    )


HINTS: dict[str, Callable[[HintContext], str | None]] = {
    "secret_prefix": _secret_prefix,
    "body_reserialized": _body_reserialized,
    "trailing_newline": _trailing_newline,
    "wrong_url": _wrong_url,
}


def find(scheme: Scheme, fields: Fields, key: str, matches: Matcher) -> list[str]:
    """Every hint that applies, in registry order."""
    ctx = HintContext(scheme, fields, key, matches)
    return [text for hint in HINTS.values() if (text := hint(ctx))]
