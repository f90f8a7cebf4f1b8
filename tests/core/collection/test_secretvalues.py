"""Credentials and secret-looking variables become placeholders before anything is written."""

from __future__ import annotations

from webhook_inspector.core.collection.secretvalues import (
    placeholder,
    without_secret_headers,
    without_secret_variables,
)
from webhook_inspector.core.formats.importresult import Environment
from webhook_inspector.core.model import OutgoingRequest


def test_credential_headers_become_placeholders():
    request = OutgoingRequest(
        "POST", "http://h/",
        (("Authorization", "Bearer abc"), ("X-Hub-Signature-256", "sha256=00"), ("X-Ok", "1"),
         ("Cookie", "{{cookie}}")),
        name="Create",
    )  # fmt: skip
    clean, moved = without_secret_headers(request)
    assert clean.headers == (
        ("Authorization", "{{secret:authorization}}"),
        ("X-Hub-Signature-256", "{{secret:x-hub-signature-256}}"),
        ("X-Ok", "1"),
        ("Cookie", "{{cookie}}"),
    )
    assert [(m.name, m.value) for m in moved] == [
        ("authorization", "Bearer abc"),
        ("x-hub-signature-256", "sha256=00"),
    ]
    assert "Bearer abc" not in moved[0].hint
    assert "$WEBHOOK_INSPECTOR_SECRET_AUTHORIZATION" in moved[0].hint


def test_secret_looking_variables_become_placeholders():
    env = Environment("prod", (("baseUrl", "https://x"), ("apiKey", "k"), ("password", "")))
    clean, moved = without_secret_variables(env)
    assert clean.variables == (("baseUrl", "https://x"), ("apiKey", placeholder("apiKey")),
                               ("password", ""))  # fmt: skip
    assert [m.name for m in moved] == ["apiKey"]
