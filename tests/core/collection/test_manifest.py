"""The root manifest: environments in OpenCollection's place, our profiles under extensions."""

from __future__ import annotations

import pytest

from webhook_inspector.core.collection.manifest import (
    ExpectedResponse,
    Manifest,
    SigningProfile,
    dump_manifest,
    load_manifest,
)
from webhook_inspector.core.errors import FormatError, UsageError
from webhook_inspector.core.formats.importresult import Environment

MANIFEST = Manifest(
    "Shop",
    (
        Environment("local", (("baseUrl", "http://127.0.0.1:8000"), ("token", "{{secret:token}}"))),
        Environment("staging", (("baseUrl", "https://staging.example.com"),)),
    ),
    (SigningProfile("github", "github_sha256", "GITHUB_HOOK", "/hooks/*"),),
    (ExpectedResponse("created", 201, (("Content-Type", "application/json"),), '"ok"'),),
)


def test_dump_is_stable_and_holds_no_secret_value():
    text = dump_manifest(MANIFEST)
    assert text.splitlines()[:4] == ["opencollection: 1.0.0", "info:", "  name: Shop", "config:"]
    assert "  - name: token\n      secret: true\n" in text
    assert "secret: GITHUB_HOOK" in text
    assert "extensions:\n  webhook-inspector:\n    signing:" in text


def test_round_trip():
    assert load_manifest(dump_manifest(MANIFEST), "m") == MANIFEST


def test_unknown_top_level_keys_survive():
    manifest = load_manifest("info:\n  name: X\ndocs: hello\n", "m")
    assert "docs: hello" in dump_manifest(manifest)


def test_environment_lookup_lists_known_names():
    assert MANIFEST.environment("staging").variables[0][0] == "baseUrl"
    with pytest.raises(UsageError, match=r"no environment named 'prod'.*known: local, staging"):
        MANIFEST.environment("prod")


def test_bad_profile_names_the_pointer():
    text = "extensions:\n  webhook-inspector:\n    signing:\n    - name: a\n      scheme: stripe\n"
    where = "/extensions/webhook-inspector/signing/0/secret: missing"
    with pytest.raises(FormatError, match=where):
        load_manifest(text, "m")
