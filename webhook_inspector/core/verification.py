"""Verification profiles: which captures to check with which scheme and secret, on arrival."""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Iterable
from dataclasses import dataclass, replace

from webhook_inspector.core.errors import UsageError
from webhook_inspector.core.model import CapturedRequest, Outcome
from webhook_inspector.core.secrets import resolve_reference


@dataclass(frozen=True, slots=True)
class Profile:
    """Verify captures whose path matches `path` (a glob; "" = all) with `scheme`.

    `secret` is a reference, never the value, when saved: `secret:NAME` (keyring, then
    WEBHOOK_INSPECTOR_SECRET_<NAME>) or `env:VAR`. `url` is the public base URL the provider
    signed (Twilio, Square): the capture's raw target is appended to it.
    """

    scheme: str
    secret: str
    path: str = ""
    url: str = ""

    def matches(self, capture: CapturedRequest) -> bool:
        """Whether this profile applies to `capture`."""
        return not self.path or fnmatch.fnmatchcase(capture.path, self.path)


def parse_profile(text: str) -> Profile:
    """`SCHEME=SECRET[,path=GLOB][,url=URL]` as typed after `listen --verify`."""
    head, *options = text.split(",")
    scheme, sep, secret = head.partition("=")
    if not sep or not scheme.strip() or not secret:
        raise UsageError(
            f"invalid --verify {text!r} (expected SCHEME=SECRET[,path=GLOB][,url=URL], "
            "e.g. github_sha256=env:GITHUB_SECRET,path=/webhooks/github*)"
        )
    fields: dict[str, str] = {}
    for option in options:
        key, eq, value = option.partition("=")
        if not eq or key.strip() not in ("path", "url"):
            raise UsageError(f"invalid --verify option {option!r} (known: path=GLOB, url=URL)")
        fields[key.strip()] = value.strip()
    from webhook_inspector.core.signing import get_scheme  # noqa: PLC0415 - costs ~150 ms

    get_scheme(scheme.strip())  # an unknown scheme is a usage error now, not at the first capture
    return Profile(scheme.strip(), secret, fields.get("path", ""), fields.get("url", ""))


class Verifier:
    """Checks captures against profiles (first match wins); secrets are resolved once, here.

    Raises InspectorError at construction when a secret cannot be found, so a misconfigured
    profile is reported when capture starts, not silently at every request.
    """

    def __init__(self, profiles: Iterable[Profile]) -> None:
        # Signing (and cryptography with it) loads only when a profile exists: ~150 ms.
        from webhook_inspector.core import signing  # noqa: PLC0415

        self._signing = signing
        self.profiles = tuple(profiles)
        self._keys = [resolve_reference(profile.secret) for profile in self.profiles]
        self._schemes = [signing.get_scheme(profile.scheme) for profile in self.profiles]

    def check(self, capture: CapturedRequest) -> CapturedRequest:
        """`capture` with its signature verdict and explanation, if a profile applies."""
        if capture.outcome is not Outcome.CAPTURED:
            return capture
        for profile, key, scheme in zip(self.profiles, self._keys, self._schemes, strict=True):
            if profile.matches(capture):
                url = profile.url.rstrip("/") + capture.target if profile.url else None
                message = self._signing.as_message(capture, url)
                result = self._signing.verify(scheme, message, key)
                detail = json.dumps(result.to_json(), ensure_ascii=False)
                return replace(capture, signature=str(result.status), signature_detail=detail)
        return capture
