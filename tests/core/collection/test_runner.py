"""Running collection requests against a real target: rendered, signed by profile, byte-exact."""

from __future__ import annotations

from dataclasses import replace

import pytest
from targets import run, target

from webhook_inspector.core.collection.manifest import SigningProfile
from webhook_inspector.core.collection.runner import prepare, send_all
from webhook_inspector.core.collection.tree import Collection
from webhook_inspector.core.errors import InspectorError, UndefinedVariableError
from webhook_inspector.core.formats.importresult import Environment
from webhook_inspector.core.model import OutgoingRequest
from webhook_inspector.core.sender import Sender
from webhook_inspector.core.signing.engine import verify
from webhook_inspector.core.signing.registry import get_scheme

SECRETS = {"hook": "whsec-test-1234"}


def make(tmp_path, base: str) -> Collection:
    collection = Collection.create(tmp_path / "c")
    collection.save_environment(Environment("test", (("base", base),)))
    collection.save_request("Hooks", "push", OutgoingRequest(
        "POST", "{{base}}/hooks/push", (("Content-Type", "application/json"), ("X-a", "1"),
                                        ("x-A", "2")), b'{"ref": "main"}\n'))  # fmt: skip
    collection.save_request("", "ping", OutgoingRequest("GET", "{{base}}/ping"))
    return collection


async def send(prepared):
    async with Sender() as sender:
        return await send_all(sender, prepared)


def test_folder_run_sends_exact_bytes_and_signs_by_path(tmp_path):
    with target() as t:
        collection = make(tmp_path, t.url)
        profiles = (SigningProfile("gh", "github_sha256", "hook", "/hooks/*"),)
        collection.save_manifest(replace(collection.manifest, signing=profiles))
        prepared = prepare(collection, "", "test", secrets=SECRETS.__getitem__)
        assert [(p.item_id, p.profile) for p in prepared] == [
            ("Hooks/push.yml", "gh"), ("ping.yml", ""),
        ]  # fmt: skip
        exchanges = run(send(prepared))
    assert [e.status for e in exchanges] == [200, 200]
    push, ping = t.seen
    assert (push.method, push.raw_path, push.body) == ("POST", "/hooks/push", b'{"ref": "main"}\n')
    sent = [(k.decode(), v.decode()) for k, v in push.headers if k.lower() not in (b"host",
            b"content-length", b"x-hub-signature-256")]  # fmt: skip
    assert sent == [("Content-Type", "application/json"), ("X-a", "1"), ("x-A", "2")]
    received = OutgoingRequest(
        "POST",
        t.url + push.raw_path,
        tuple((k.decode("latin-1"), v.decode("latin-1")) for k, v in push.headers),
        push.body,
    )
    assert verify(get_scheme("github_sha256"), received, SECRETS["hook"]).valid
    assert ping.raw_path == "/ping"
    assert not any(k.lower() == b"x-hub-signature-256" for k, _ in ping.headers)


def test_an_undefined_variable_stops_the_run_before_anything_is_sent(tmp_path):
    with target() as t:
        collection = make(tmp_path, t.url)
        collection.save_request("", "zz", OutgoingRequest("GET", "{{base}}/{{missing}}"))
        with pytest.raises(UndefinedVariableError, match=r"\{\{missing\}\} in URL of zz.yml"):
            prepare(collection, "", "test", secrets=SECRETS.__getitem__)
    assert t.seen == []


def test_a_missing_secret_stops_the_run(tmp_path):
    collection = make(tmp_path, "http://127.0.0.1:9")
    profiles = (SigningProfile("gh", "github_sha256", "absent", ""),)
    collection.save_manifest(replace(collection.manifest, signing=profiles))

    def no_secret(name: str) -> str:
        raise InspectorError(f"no secret named {name!r}")

    with pytest.raises(InspectorError, match="no secret named 'absent'"):
        prepare(collection, "ping.yml", "test", secrets=no_secret)


def test_an_empty_folder_is_an_error(tmp_path):
    collection = make(tmp_path, "http://127.0.0.1:9")
    collection.add_folder("", "Empty")
    with pytest.raises(InspectorError, match="no requests in Empty"):
        prepare(collection, "Empty")
