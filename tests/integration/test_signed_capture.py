"""A really signed request through the real listener, verified from the store (core and CLI)."""

from __future__ import annotations

import httpx

from webhook_inspector import cli
from webhook_inspector.core.signing import Message, as_message, get_scheme, sign, verify
from webhook_inspector.core.signing.base import Reason, Status

SECRET = "whsec_listener_test"


def send(running, path: str, message: Message) -> int:
    """POST the signed message to the listener; the id of the stored capture."""
    headers = dict(message.headers)
    response = httpx.post(running.url + path, content=message.body, headers=headers)
    assert response.status_code == 200
    store = running.store()
    try:
        return store.last_id()
    finally:
        store.close()


def test_stripe_signed_capture_verifies_and_explains_a_wrong_secret(running, capsys):
    body = b'{"id":"evt_1","type":"payment_intent.succeeded"}'
    signed = sign(get_scheme("stripe"), Message(body=body), SECRET).message
    capture_id = send(running, "hooks/stripe", signed)

    store = running.store()
    capture = store.get(capture_id)
    store.close()
    assert capture.body == body
    assert verify(get_scheme("stripe"), as_message(capture), SECRET).status is Status.VALID

    db = str(running.db_path)
    argv = ["verify", "--scheme", "stripe", "--db", db, "--capture", str(capture_id)]
    assert cli.main([*argv, "--secret", SECRET]) == 0
    assert capsys.readouterr().out.startswith("valid: Valid Stripe signature")
    assert cli.main([*argv, "--secret", "listener_test"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("invalid (mismatch): ")
    assert "with 'whsec_' in front" in err  # the secret was pasted without its prefix


def test_square_capture_needs_the_public_url(running, capsys):
    public = "https://public.example.net/hooks/square"
    signed = sign(get_scheme("square"), Message(url=public, body=b'{"a":1}'), "sq-key").message
    capture_id = send(running, "hooks/square", signed)
    store = running.store()
    capture = store.get(capture_id)
    store.close()

    local = verify(get_scheme("square"), as_message(capture), "sq-key")
    assert local.reason is Reason.MISMATCH
    assert any("public URL" in hint for hint in local.hints)
    assert verify(get_scheme("square"), as_message(capture, url=public), "sq-key").valid

    argv = ["verify", "--scheme", "square", "--secret", "sq-key", "--db", str(running.db_path),
            "--capture", str(capture_id)]  # fmt: skip
    assert cli.main([*argv, "--url", public]) == 0
    assert cli.main([*argv, "--body-file", "x"]) == 2
    assert "leave out -H and --body-file" in capsys.readouterr().err
