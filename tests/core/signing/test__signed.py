"""The signed string: literal and variable parts, Twilio's sorted form parameters."""

from __future__ import annotations

from webhook_inspector.core.signing import get_scheme
from webhook_inspector.core.signing._signed import Fields, form_params, signed_string
from webhook_inspector.core.signing.base import Message

FORM = (("Content-Type", "application/x-www-form-urlencoded"),)


def test_form_params_sorted_by_name_then_value_and_decoded():
    message = Message(headers=FORM, body=b"b=2&a=x+y&b=1&c=%2B1")
    assert form_params(message) == b"ax yb1b2c+1"
    assert form_params(Message(body=b"a=1")) == b""  # not a form: no parameters


def test_signed_string_follows_the_declaration():
    fields = Fields(Message(body=b"{}"), timestamp="5", id="msg", url="https://x")
    assert signed_string(get_scheme("slack"), fields) == b"v0:5:{}"
    assert signed_string(get_scheme("standard_webhooks"), fields) == b"msg.5.{}"
    assert signed_string(get_scheme("square"), fields) == b"https://x{}"
