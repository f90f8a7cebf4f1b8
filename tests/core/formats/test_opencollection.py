"""OpenCollection import details: form data lists and bad body data."""

from __future__ import annotations

import pytest

from webhook_inspector.core.errors import FormatError
from webhook_inspector.core.formats.importresult import Source
from webhook_inspector.core.formats.opencollection import read, sniff

BASE = "info:\n  name: F\nhttp:\n  method: post\n  url: https://x.example/f\n"


def test_form_fields_become_an_urlencoded_body():
    text = (
        BASE
        + "  body:\n    type: form-urlencoded\n    data:\n      - name: a b\n        value: c&d\n"
    )
    assert sniff(Source(text))
    [request] = read(Source(text)).requests
    assert (request.method, request.body) == ("POST", b"a%20b=c%26d")
    assert request.header("content-type") == "application/x-www-form-urlencoded"


def test_body_data_of_the_wrong_type():
    with pytest.raises(FormatError, match=r"^OpenCollection /http/body/data: must be a string"):
        read(Source(BASE + "  body:\n    type: json\n    data: 3\n"))
