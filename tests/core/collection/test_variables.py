"""Environments applied to requests; undefined names stop the send and say where they are."""

from __future__ import annotations

import pytest

from webhook_inspector.core.collection.variables import placeholders, render
from webhook_inspector.core.errors import UndefinedVariableError, UsageError
from webhook_inspector.core.formats.importresult import Environment
from webhook_inspector.core.model import OutgoingRequest

ENV = Environment(
    "local",
    (("base", "http://127.0.0.1:9"), ("id", "42"), ("who", "José"), ("url2", "{{base}}/x"),
     ("token", "{{secret:shop}}")),
)  # fmt: skip


def no_secrets(name: str) -> str:
    raise AssertionError(f"secret {name} looked up")


def test_url_headers_and_body_are_substituted():
    request = OutgoingRequest(
        "POST",
        "{{base}}/orders/{{ id }}",
        (("X-Who", "{{who}}"), ("Authorization", "Bearer {{token}}")),
        b'{"id": {{id}}, "next": "{{url2}}"}',
    )
    rendered = render(request, ENV, secrets={"shop": "s3cr3t"}.__getitem__)
    assert rendered.url == "http://127.0.0.1:9/orders/42"
    # Header text is wire bytes read as latin-1: José goes out as UTF-8.
    assert rendered.headers == (("X-Who", "JosÃ©"), ("Authorization", "Bearer s3cr3t"))
    assert rendered.body == b'{"id": 42, "next": "http://127.0.0.1:9/x"}'


def test_a_request_without_placeholders_is_untouched():
    request = OutgoingRequest("POST", "http://h/", (("X", "\xff"),), b"\xff{{x}}\x00")
    assert render(request, None, secrets=no_secrets) == request


@pytest.mark.parametrize(
    ("request_", "where"),
    [
        (OutgoingRequest("GET", "{{host}}/x"), "URL"),
        (OutgoingRequest("GET", "http://h/", (("X-Key", "{{host}}"),)), "header X-Key"),
        (OutgoingRequest("POST", "http://h/", (), b"line\nline\n  {{host}}\n"), "body line 3"),
    ],
)
def test_undefined_variable_names_itself_and_where(request_, where):
    with pytest.raises(UndefinedVariableError) as info:
        render(request_, ENV, secrets=no_secrets)
    assert info.value.name == "host"
    assert info.value.where == where
    assert str(info.value) == f"undefined variable {{{{host}}}} in {where}"


def test_a_loop_of_variables_is_an_error_not_a_hang():
    env = Environment("loop", (("a", "{{b}}"), ("b", "{{a}}")))
    with pytest.raises(UsageError, match="refers to itself"):
        render(OutgoingRequest("GET", "{{a}}"), env, secrets=no_secrets)


def test_secrets_come_from_the_environment_variable(monkeypatch):
    monkeypatch.setenv("WEBHOOK_INSPECTOR_SECRET_SHOP_KEY", "k3y")
    monkeypatch.setattr("webhook_inspector.core.secrets._from_keyring", lambda name: None)
    request = OutgoingRequest("GET", "http://h/?k={{secret:shop-key}}")
    assert render(request).url == "http://h/?k=k3y"


def test_placeholders_lists_names_once_in_order():
    request = OutgoingRequest("POST", "{{a}}/{{b}}", (("X", "{{a}}"),), b"{{c}}")
    assert placeholders(request) == ["a", "b", "c"]
