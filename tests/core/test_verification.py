"""Verification on arrival: real signed requests through the real listener, verdicts stored."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from webhook_inspector.core.errors import InspectorError, UsageError
from webhook_inspector.core.listener import ListenerConfig
from webhook_inspector.core.model import OutgoingRequest
from webhook_inspector.core.query import compile_query
from webhook_inspector.core.service import CaptureService, ServiceThread
from webhook_inspector.core.signing import sign
from webhook_inspector.core.store import Store
from webhook_inspector.core.verification import Profile, Verifier, parse_profile

from factories import make_capture

SECRET = "whsec_test_secret"


@pytest.fixture
def verifying(tmp_path, monkeypatch):
    monkeypatch.setenv("WEBHOOK_INSPECTOR_SECRET_ARRIVAL_STRIPE", SECRET)
    profiles = [Profile("stripe", "secret:arrival_stripe", "/stripe*"),
                Profile("github_sha256", "env:NOT_NEEDED_YET", "/github")]  # fmt: skip
    monkeypatch.setenv("NOT_NEEDED_YET", "gh")
    db = tmp_path / "v.sqlite3"
    thread = ServiceThread(CaptureService(ListenerConfig(port=0), db, verifier=Verifier(profiles)))
    thread.start()
    yield thread.service.url, db
    thread.stop()


def _post_signed(url: str, path: str, body: bytes, secret: str) -> None:
    json_type = (("Content-Type", "application/json"),)
    request = OutgoingRequest("POST", url + path.lstrip("/"), json_type, body)
    headers = dict(request.headers) | dict(sign("stripe", request, secret, now=time.time).headers)
    assert httpx.post(url + path.lstrip("/"), content=body, headers=headers).status_code == 200


def test_verdicts_are_stored_with_the_capture(verifying):
    url, db = verifying
    _post_signed(url, "/stripe/ok", b'{"id": "evt_1"}', SECRET)
    _post_signed(url, "/stripe/bad", b'{"id": "evt_2"}', "whsec_wrong")
    httpx.post(url + "stripe/none", content=b"{}")
    httpx.post(url + "other", content=b"{}")
    store = Store(db)
    by_target = {s.target: s.signature for s in store.summaries()}
    assert by_target == {"/stripe/ok": "valid", "/stripe/bad": "invalid",
                         "/stripe/none": "missing", "/other": ""}  # fmt: skip
    bad = next(c for c in store.iter_captures() if c.target == "/stripe/bad")
    detail = json.loads(bad.signature_detail)
    assert detail["reason"] == "mismatch" and detail["explanation"]
    assert SECRET not in bad.signature_detail and "whsec_wrong" not in bad.signature_detail
    assert [s.target for s in store.search(compile_query("sig:invalid OR sig:missing"))] == [
        "/stripe/none", "/stripe/bad"]  # fmt: skip


def test_first_matching_profile_wins_and_refused_captures_are_skipped(monkeypatch):
    monkeypatch.setenv("K", "k")
    verifier = Verifier([Profile("github_sha256", "env:K", "/a*"), Profile("stripe", "env:K")])
    checked = verifier.check(make_capture(target="/abc"))
    assert json.loads(checked.signature_detail)["scheme"] == "github_sha256"
    assert verifier.check(make_capture(target="/zzz")).signature == "missing"
    refused = make_capture(target="/abc", status=413, outcome="too_large")
    assert verifier.check(refused).signature == ""


def test_parse_profile_and_errors(monkeypatch):
    assert parse_profile("twilio=env:T,path=/sms*,url=https://example.com") == Profile(
        "twilio", "env:T", "/sms*", "https://example.com")  # fmt: skip
    with pytest.raises(UsageError, match="expected SCHEME=SECRET"):
        parse_profile("stripe")
    with pytest.raises(UsageError, match="known: path=GLOB"):
        parse_profile("stripe=x,when=now")
    with pytest.raises(UsageError, match="unknown"):
        parse_profile("stirpe=x")
    monkeypatch.delenv("MISSING", raising=False)
    with pytest.raises(InspectorError, match="MISSING"):
        Verifier([Profile("stripe", "env:MISSING")])
