"""Every signing scheme by id, with aliases, and lookup with a helpful error."""

from __future__ import annotations

import difflib

from webhook_inspector.core.errors import UsageError
from webhook_inspector.core.signing import (
    atlassian,
    calendly,
    discord,
    github,
    gitlab,
    intercom,
    linear,
    mailgun,
    paddle,
    pagerduty,
    sendgrid,
    shopify,
    slack,
    square,
    standard_webhooks,
    stripe,
    twilio,
    twitch,
    zoom,
)
from webhook_inspector.core.signing.base import Scheme

_MODULES = (github, stripe, slack, shopify, standard_webhooks, twilio, square, paddle, twitch,
            zoom, mailgun, gitlab, discord, sendgrid, linear, intercom, atlassian, pagerduty,
            calendly)  # fmt: skip

SCHEMES: dict[str, Scheme] = {scheme.id: scheme for module in _MODULES for scheme in module.SCHEMES}
ALIASES: dict[str, str] = {alias: s.id for s in SCHEMES.values() for alias in s.aliases}


def get_scheme(name: str) -> Scheme:
    """The scheme called `name` (an id or alias, any case, '-' for '_'); raises UsageError."""
    key = name.strip().lower()
    for candidate in (key, key.replace("-", "_")):
        if candidate in SCHEMES:
            return SCHEMES[candidate]
        if candidate in ALIASES:
            return SCHEMES[ALIASES[candidate]]
    near = difflib.get_close_matches(key, [*SCHEMES, *ALIASES], n=3, cutoff=0.5)
    near_ids = list(dict.fromkeys(ALIASES.get(n, n) for n in near))
    hint = f"did you mean {' or '.join(near_ids)}? " if near_ids else ""
    raise UsageError(
        f"unknown signing scheme {name!r} ({hint}known: {', '.join(SCHEMES)}; "
        "'webhook-inspector schemes' lists them)"
    )
