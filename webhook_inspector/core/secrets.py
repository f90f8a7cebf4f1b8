"""Named secrets: the system keyring, then WEBHOOK_INSPECTOR_SECRET_<NAME>; values never logged."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping

from webhook_inspector.core.errors import InspectorError, UsageError

SERVICE = "webhook-inspector"
ENV_PREFIX = "WEBHOOK_INSPECTOR_SECRET_"
_NOT_ALNUM = re.compile(r"[^A-Za-z0-9]")
log = logging.getLogger(__name__)


def env_name(name: str) -> str:
    """The environment variable that holds secret `name` (upper-cased, non-alphanumerics → _)."""
    return ENV_PREFIX + _NOT_ALNUM.sub("_", name).upper()


def _from_keyring(name: str) -> str | None:
    try:
        import keyring  # noqa: PLC0415 - keyring probes backends on import; only pay when asked
        from keyring.errors import KeyringError  # noqa: PLC0415
    except ImportError:
        return None
    try:
        return keyring.get_password(SERVICE, name)
    except (KeyringError, RuntimeError, OSError) as exc:
        # A headless machine has no usable backend: fall through to the environment.
        log.debug("keyring unavailable for secret %r: %s", name, type(exc).__name__)
        return None


def resolve_secret(name: str, environ: Mapping[str, str] | None = None) -> str:
    """The value of secret `name`; raises InspectorError naming both places looked in."""
    if not name.strip():
        raise UsageError("a secret name is empty")
    value = _from_keyring(name)
    if value:
        return value
    env = os.environ if environ is None else environ
    value = env.get(env_name(name))
    if value:
        return value
    raise InspectorError(
        f"no secret named {name!r}: not in the system keyring (service {SERVICE!r}) "
        f"and ${env_name(name)} is not set"
    )


def store_secret(name: str, value: str) -> None:
    """Save secret `name` in the system keyring; raises InspectorError when it cannot."""
    import keyring  # noqa: PLC0415
    from keyring.errors import KeyringError  # noqa: PLC0415

    try:
        keyring.set_password(SERVICE, name, value)
    except (KeyringError, RuntimeError, OSError) as exc:
        raise InspectorError(
            f"cannot store secret {name!r} in the system keyring ({type(exc).__name__}); "
            f"set ${env_name(name)} instead"
        ) from None


def resolve_reference(text: str, environ: Mapping[str, str] | None = None) -> str:
    """A secret given on a command line: `secret:NAME` (keyring, then environment),
    `env:VAR` (that environment variable), or the value itself."""
    env = os.environ if environ is None else environ
    kind, sep, rest = text.partition(":")
    if sep and kind == "secret":
        return resolve_secret(rest, env)
    if sep and kind == "env":
        value = env.get(rest)
        if not value:
            raise InspectorError(f"environment variable ${rest} is not set (or empty)")
        return value
    return text
