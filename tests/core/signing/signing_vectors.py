"""Loads tests/data/signing/<scheme>.json and checks its cases against sign() and verify()."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from webhook_inspector.core.signing import Message, get_scheme, sign, verify

DATA = Path(__file__).resolve().parents[2] / "data" / "signing"


def load(scheme: str) -> dict[str, Any]:
    """The vector file of `scheme`."""
    return json.loads((DATA / f"{scheme}.json").read_text())


def verify_params(scheme: str) -> list[Any]:
    """pytest params: one per verify case, named after it."""
    return [pytest.param(c, id=c["name"]) for c in load(scheme)["cases"]]


def sign_params(scheme: str) -> list[Any]:
    """pytest params: one per exact sign case."""
    return [pytest.param(c, id=c["name"]) for c in load(scheme)["sign"]]


def check_verify(scheme: str, case: dict[str, Any]) -> None:
    """verify() gives the case's status and reason."""
    message = Message("POST", case.get("url", ""), tuple(map(tuple, case["headers"])),
                      case["body"].encode())  # fmt: skip
    result = verify(get_scheme(scheme), message, case["key"], now=case.get("now"),
                    tolerance=case.get("tolerance"))  # fmt: skip
    assert (str(result.status), str(result.reason)) == (case["expect"], case["reason"]), (
        result.explanation
    )
    if "hint" in case:
        assert any(case["hint"] in hint for hint in result.hints), result.explanation


def check_sign(scheme: str, case: dict[str, Any]) -> None:
    """sign() adds exactly the case's headers."""
    headers = (("Content-Type", case["content_type"]),) if "content_type" in case else ()
    message = Message("POST", case.get("url", ""), headers, case["body"].encode())
    result = sign(get_scheme(scheme), message, case["key"], timestamp=case.get("timestamp"),
                  msg_id=case.get("id"))  # fmt: skip
    added = {name.lower(): value for name, value in result.headers}
    for name, value in case["headers"]:
        assert added.get(name.lower()) == value
