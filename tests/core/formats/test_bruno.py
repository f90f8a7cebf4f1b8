"""Bruno .bru import details: form bodies, disabled entries, missing method."""

from __future__ import annotations

import pytest

from webhook_inspector.core.errors import FormatError
from webhook_inspector.core.formats.bruno import read, sniff
from webhook_inspector.core.formats.importresult import Source

FORM = """meta {
  name: Login
}

post {
  url: https://x.example/login
  body: formUrlEncoded
}

body:form-urlencoded {
  user: ada
  ~debug: 1
}
"""


def test_sniff_needs_meta_first():
    assert sniff(Source(FORM)) and not sniff(Source("post {\n}\n"))


def test_no_method_block_is_an_error():
    with pytest.raises(FormatError, match=r"^Bruno line 1: no method block"):
        read(Source("meta {\n  name: x\n}\n"))


def test_form_urlencoded_body():
    text = FORM.replace("body: formUrlEncoded", "body: form-urlencoded")
    [request] = read(Source(text)).requests
    assert request.body == b"user=ada"
    assert request.header("content-type") == "application/x-www-form-urlencoded"
