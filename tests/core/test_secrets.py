"""Secrets by name: keyring first, then the environment; clear errors; no value in logs."""

from __future__ import annotations

import logging

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from webhook_inspector.core.errors import InspectorError
from webhook_inspector.core.secrets import (
    env_name,
    resolve_reference,
    resolve_secret,
    store_secret,
)


class MemoryKeyring(KeyringBackend):
    """A keyring that keeps passwords in a dict (keyring's API, no system service)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.saved: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.saved.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.saved[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.saved.pop((service, username), None)


@pytest.fixture
def backend(request):
    """Install a keyring backend for one test, restoring the previous one."""
    previous = keyring.get_keyring()
    chosen = request.param() if hasattr(request, "param") else MemoryKeyring()
    keyring.set_keyring(chosen)
    yield chosen
    keyring.set_keyring(previous)


def test_env_name_upper_cases_and_replaces_non_alnum():
    assert env_name("stripe-live.key") == "WEBHOOK_INSPECTOR_SECRET_STRIPE_LIVE_KEY"


@pytest.mark.parametrize("backend", [fail.Keyring], indirect=True)
def test_failing_keyring_falls_back_to_the_environment(backend):
    env = {"WEBHOOK_INSPECTOR_SECRET_GITHUB": "s3cret"}
    assert resolve_secret("github", env) == "s3cret"


def test_keyring_wins_over_the_environment(backend):
    store_secret("github", "from-keyring")
    env = {"WEBHOOK_INSPECTOR_SECRET_GITHUB": "from-env"}
    assert resolve_secret("github", env) == "from-keyring"
    assert backend.saved[("webhook-inspector", "github")] == "from-keyring"


@pytest.mark.parametrize("backend", [fail.Keyring], indirect=True)
def test_missing_secret_names_both_places(backend):
    with pytest.raises(InspectorError) as info:
        resolve_secret("shop", {})
    assert "keyring" in str(info.value)
    assert "$WEBHOOK_INSPECTOR_SECRET_SHOP" in str(info.value)


@pytest.mark.parametrize("backend", [fail.Keyring], indirect=True)
def test_store_without_a_keyring_says_what_to_do(backend):
    with pytest.raises(InspectorError, match="WEBHOOK_INSPECTOR_SECRET_X"):
        store_secret("x", "value")


@pytest.mark.parametrize("backend", [fail.Keyring], indirect=True)
def test_references(backend):
    env = {"MY_VAR": "one", "WEBHOOK_INSPECTOR_SECRET_HOOK": "two"}
    assert resolve_reference("env:MY_VAR", env) == "one"
    assert resolve_reference("secret:hook", env) == "two"
    assert resolve_reference("plain-value", env) == "plain-value"
    with pytest.raises(InspectorError, match=r"\$NOPE"):
        resolve_reference("env:NOPE", env)


@pytest.mark.parametrize("backend", [fail.Keyring], indirect=True)
def test_values_never_reach_the_log(backend, caplog):
    caplog.set_level(logging.DEBUG)
    env = {"WEBHOOK_INSPECTOR_SECRET_HOOK": "very-secret-value"}
    assert resolve_secret("hook", env) == "very-secret-value"
    assert caplog.records  # the fallback is logged …
    assert "very-secret-value" not in caplog.text  # … without the value
