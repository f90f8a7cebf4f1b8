"""Reading and writing the places signatures travel in."""

from __future__ import annotations

import json

import pytest

from webhook_inspector.core.signing._carriers import (
    KeyValueHeader,
    MailgunBody,
    MalformedSignatureError,
    MissingSignatureError,
    PlainHeader,
    VersionedListHeader,
)
from webhook_inspector.core.signing.base import Message


def test_key_value_header_collects_every_signature_and_tolerates_spaces():
    carrier = KeyValueHeader("Stripe-Signature", "v1", "t", ",")
    message = Message(headers=(("stripe-signature", "t=5, v1=aa ,v0=zz,v1=bb"),))
    carried = carrier.read(message)
    assert carried.signatures == ("aa", "bb")
    assert carried.timestamp == "5"


def test_key_value_header_without_timestamp_is_malformed():
    carrier = KeyValueHeader("Paddle-Signature", "h1", "ts", ";")
    with pytest.raises(MalformedSignatureError, match="ts="):
        carrier.read(Message(headers=(("Paddle-Signature", "h1=aa"),)))


def test_plain_header_requires_its_prefix_and_reads_every_value():
    carrier = PlainHeader("X-Hub-Signature", "sha1=")
    two = Message(headers=(("X-Hub-Signature", "sha256=aa"), ("X-Hub-Signature", "SHA1=bb")))
    assert carrier.read(two).signatures == ("bb",)
    with pytest.raises(MalformedSignatureError, match="sha1=<signature>"):
        carrier.read(Message(headers=(("X-Hub-Signature", "sha256=aa"),)))
    with pytest.raises(MissingSignatureError):
        carrier.read(Message(headers=(("X-Hub-Signature", " "),)))


def test_versioned_list_keeps_only_its_version():
    carrier = VersionedListHeader("webhook-signature", "v1a")
    message = Message(headers=(("webhook-signature", "v1,aa v1a,bb  v1a,cc"),))
    assert carrier.read(message).signatures == ("bb", "cc")
    with pytest.raises(MalformedSignatureError, match="versions found: v1"):
        carrier.read(Message(headers=(("webhook-signature", "v1,aa"),)))


def test_mailgun_writes_into_json_and_form_bodies():
    carrier = MailgunBody()
    _, into_json = carrier.write("sig", "5", "tok", Message(body=b'{"event-data": {}}'))
    assert json.loads(into_json.body)["signature"] == {
        "timestamp": "5", "token": "tok", "signature": "sig"}  # fmt: skip
    form = Message(headers=(("Content-Type", "application/x-www-form-urlencoded"),), body=b"a=1")
    _, into_form = carrier.write("sig", "5", "tok", form)
    assert into_form.body == b"a=1&timestamp=5&token=tok&signature=sig"
    carried = carrier.read(into_form)
    assert (carried.signatures, carried.timestamp, carried.id) == (("sig",), "5", "tok")
