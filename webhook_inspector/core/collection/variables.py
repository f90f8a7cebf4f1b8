"""Environments applied to a request: `{{name}}` placeholders in URL, headers and body.

`{{secret:NAME}}` takes its value from core/secrets.py (keyring, then
WEBHOOK_INSPECTOR_SECRET_<NAME>); a variable's own value may hold placeholders too. An
undefined name raises UndefinedVariableError saying where it is, before anything is sent.
Bodies that are not UTF-8 are left as they are: they cannot hold a placeholder on purpose.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace

from webhook_inspector.core.errors import UndefinedVariableError, UsageError
from webhook_inspector.core.formats.documents import wire_text
from webhook_inspector.core.formats.importresult import Environment
from webhook_inspector.core.model import OutgoingRequest
from webhook_inspector.core.secrets import resolve_secret

PLACEHOLDER = re.compile(r"\{\{\s*([^{}\s]+)\s*\}\}")
SECRET_PREFIX = "secret:"  # noqa: S105 (a prefix, no password)
MAX_DEPTH = 8  # variables naming variables: deeper than this is a loop

SecretLookup = Callable[[str], str]


class _Resolver:
    """Looks names up in one environment and the secret store, caching each secret."""

    def __init__(self, variables: Mapping[str, str], secrets: SecretLookup) -> None:
        self._variables = variables
        self._secrets = secrets
        self._cache: dict[str, str] = {}

    def value(self, name: str, where: str, depth: int = 0) -> str:
        if depth > MAX_DEPTH:
            raise UsageError(f"variable {{{{{name}}}}} in {where} refers to itself")
        if name.startswith(SECRET_PREFIX):
            secret = name[len(SECRET_PREFIX) :]
            if secret not in self._cache:
                self._cache[secret] = self._secrets(secret)
            return self._cache[secret]
        if name not in self._variables:
            raise UndefinedVariableError(name, where)
        return self.text(self._variables[name], where, depth + 1)

    def text(self, text: str, where: str, depth: int = 0) -> str:
        if "{{" not in text:
            return text
        return PLACEHOLDER.sub(lambda m: self.value(m.group(1), where, depth), text)


def render(
    request: OutgoingRequest,
    environment: Environment | None = None,
    *,
    secrets: SecretLookup = resolve_secret,
) -> OutgoingRequest:
    """The request with every placeholder replaced; raises UndefinedVariableError."""
    resolver = _Resolver(dict(environment.variables) if environment else {}, secrets)
    url = resolver.text(request.url, "URL")
    headers = tuple(
        (_header(resolver, name, f"header name {name}"), _header(resolver, value, f"header {name}"))
        for name, value in request.headers
    )
    return replace(request, url=url, headers=headers, body=_render_body(request.body, resolver))


def placeholders(request: OutgoingRequest) -> list[str]:
    """Every placeholder name the request uses, in order of first use."""
    texts = [request.url, *(f"{n}\n{v}" for n, v in request.headers)]
    if b"{{" in request.body:
        texts.append(request.body.decode("utf-8", "replace"))
    names = (m.group(1) for text in texts for m in PLACEHOLDER.finditer(text))
    return list(dict.fromkeys(names))


def _render_body(body: bytes, resolver: _Resolver) -> bytes:
    if b"{{" not in body:
        return body
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return body

    def substitute(match: re.Match[str]) -> str:
        line = text.count("\n", 0, match.start()) + 1
        return resolver.value(match.group(1), f"body line {line}")

    return PLACEHOLDER.sub(substitute, text).encode("utf-8")


def _header(resolver: _Resolver, wire: str, where: str) -> str:
    if "{{" not in wire:
        return wire  # untouched, byte for byte
    # Header text is wire bytes read as latin-1; variables are text, so work in UTF-8.
    try:
        text = wire.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        text = wire
    return wire_text(resolver.text(text, where))
