"""Hints: each classic mistake is recognised by re-verifying the variant that explains it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

from webhook_inspector.core.signing import Message, get_scheme, sign, verify
from webhook_inspector.core.signing.hints import HINTS

NOW = 1_795_000_000


def test_registry_names():
    assert set(HINTS) == {"secret_prefix", "body_reserialized", "trailing_newline", "wrong_url"}


def test_body_reserialized_compact_vs_pretty():
    scheme = get_scheme("github")
    document = {"b": [1, 2], "a": "é"}
    compact = json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()
    pretty = json.dumps(document, indent=2).encode()
    headers = sign(scheme, Message(body=compact), "s").headers
    result = verify(scheme, Message(headers=headers, body=pretty), "s")
    assert any("re-serialized as compact JSON" in hint for hint in result.hints), result.explanation


def test_trailing_newline():
    scheme = get_scheme("shopify")
    headers = sign(scheme, Message(body=b'{"a":1}'), "s").headers
    result = verify(scheme, Message(headers=headers, body=b'{"a":1}\n'), "s")
    assert any("without its trailing newline" in hint for hint in result.hints)


def test_wrong_url_for_square():
    scheme = get_scheme("square")
    public = "https://abc.tunnel.example/hooks/square"
    headers = sign(scheme, Message(url=public, body=b"{}"), "k").headers
    local = Message(url="http://abc.tunnel.example/hooks/square", headers=headers, body=b"{}")
    result = verify(scheme, local, "k")
    assert any(f"matches the URL {public}" in hint for hint in result.hints)


def test_url_schemes_always_get_a_url_hint():
    scheme = get_scheme("twilio")
    headers = (("X-Twilio-Signature", "AAAAAAAAAAAAAAAAAAAAAAAAAAA="),)
    result = verify(scheme, Message(url="http://127.0.0.1:8765/t", headers=headers), "k")
    assert any("public URL" in hint for hint in result.hints)


def test_standard_webhooks_secret_used_without_decoding():
    scheme = get_scheme("standard_webhooks")
    secret = "whsec_" + base64.b64encode(b"0123456789abcdef01234567").decode()
    signed = b"msg_1.%d.{}" % NOW
    wrong = base64.b64encode(hmac.new(secret.encode(), signed, hashlib.sha256).digest()).decode()
    headers = (("webhook-id", "msg_1"), ("webhook-timestamp", str(NOW)),
               ("webhook-signature", "v1," + wrong))  # fmt: skip
    result = verify(scheme, Message(headers=headers, body=b"{}"), secret, now=NOW)
    assert any("did not base64-decode" in hint for hint in result.hints)


def test_paddle_secret_without_prefix():
    scheme = get_scheme("paddle")
    headers = sign(scheme, Message(body=b"{}"), "abc123", timestamp=NOW).headers
    result = verify(scheme, Message(headers=headers, body=b"{}"), "pdl_ntfset_abc123", now=NOW)
    assert any("without its 'pdl_ntfset_' prefix" in hint for hint in result.hints)


def test_no_hint_when_nothing_explains_it():
    scheme = get_scheme("github")
    headers = sign(scheme, Message(body=b"abc"), "one").headers
    result = verify(scheme, Message(headers=headers, body=b"abc"), "two")
    assert result.hints == ()
    assert "secret belongs to this endpoint" in result.explanation
