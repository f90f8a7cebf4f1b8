"""A signing profile as a function: fresh signatures that verify, clear errors up front."""

from __future__ import annotations

import pytest

from webhook_inspector.core.errors import InspectorError, UsageError
from webhook_inspector.core.model import OutgoingRequest
from webhook_inspector.core.sender import sign_request
from webhook_inspector.core.signing import Status, request_signer, verify

JSON = (("Content-Type", "application/json"),)
REQUEST = OutgoingRequest("POST", "http://127.0.0.1:9/hooks", JSON, b'{"id": "evt_1"}')


def test_each_call_signs_afresh_and_verifies():
    clock = iter([1_800_000_000.0, 1_800_000_060.0])
    signer = request_signer("stripe", "whsec_test", now=lambda: next(clock))
    first, second = signer(REQUEST), signer(REQUEST)
    assert first != second
    signed = OutgoingRequest(REQUEST.method, REQUEST.url, REQUEST.headers + second, REQUEST.body)
    result = verify("stripe", signed, "whsec_test", now=1_800_000_061.0)
    assert result.status == Status.VALID


def test_sign_request_replaces_a_stale_signature():
    headers = (*REQUEST.headers, ("X-Hub-Signature-256", "sha256=old"))
    stale = OutgoingRequest(REQUEST.method, REQUEST.url, headers, REQUEST.body)
    signed = sign_request(stale, request_signer("github_sha256", "s3cret"))
    values = [v for n, v in signed.headers if n.lower() == "x-hub-signature-256"]
    assert len(values) == 1 and values[0] != "sha256=old"
    assert verify("github_sha256", signed, "s3cret").status == Status.VALID


def test_secret_from_the_environment_and_errors(monkeypatch):
    monkeypatch.setenv("HOOK_KEY", "s3cret")
    signer = request_signer("github_sha256", "env:HOOK_KEY")
    assert signer(REQUEST)[0][0].lower() == "x-hub-signature-256"
    with pytest.raises(UsageError, match="unknown"):
        request_signer("nope", "x")
    with pytest.raises(InspectorError, match="MISSING_VAR"):
        request_signer("github_sha256", "env:MISSING_VAR")
