"""Body presentation: decoding, pretty-printing and structure, never raising on bad input."""

from __future__ import annotations

import gzip
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webhook_inspector.core.bodies import BodyKind
from webhook_inspector.core.pretty import hex_dump, present, pretty_json, split_multipart


def test_json_is_reindented_and_keeps_unicode():
    shown = present(b'{"a":[1,2],"b":"\xc3\xa9"}', "application/json")
    assert shown.kind == BodyKind.JSON and shown.mime == "application/json"
    assert shown.text == '{\n  "a": [\n    1,\n    2\n  ],\n  "b": "é"\n}'


def test_broken_json_is_shown_as_sent_with_a_note():
    shown = present(b'{"a": ', "application/json")
    assert shown.text == '{"a": ' and "not valid JSON: shown as sent" in shown.notes


def test_deep_nesting_does_not_raise():
    deep = b"[" * 10_000 + b"]" * 10_000
    shown = present(deep, "application/json")
    assert shown.text == deep.decode()
    assert pretty_json(deep.decode()) is None


def test_gzip_is_undone_with_a_size_note():
    shown = present(gzip.compress(b'{"x": 1}'), "application/json", "gzip")
    assert json.loads(shown.text) == {"x": 1}
    assert any(note.startswith("gzip ") and "→ 8 B" in note for note in shown.notes)


def test_unknown_encoding_is_named_and_bytes_kept():
    shown = present(b"\x00\x01zzz", "application/octet-stream", "snappy")
    assert any("unknown content encoding 'snappy'" in note for note in shown.notes)
    assert shown.data == b"\x00\x01zzz"


def test_charset_and_invalid_bytes():
    shown = present("caf\xe9".encode("latin-1"), "text/plain; charset=iso-8859-1")
    assert shown.text == "café" and shown.invalid_bytes == 0
    shown = present(b"ok \xff end", "text/plain")
    assert shown.text == "ok \ufffd end" and shown.invalid_bytes == 1


def test_form_fields_in_order_with_duplicates():
    shown = present(b"a=1&a=2&b=%E2%9C%93+x", "application/x-www-form-urlencoded")
    assert shown.form == (("a", "1"), ("a", "2"), ("b", "✓ x"))


def test_multipart_parts_with_their_headers():
    body = (b"--b\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: "
            b"application/json\r\n\r\n{\"k\":1}\r\n--b\r\nContent-Disposition: form-data; "
            b"name=\"f\"; filename=\"a \\\"q\\\".png\"\r\n\r\n\x89PNG\r\n--b--\r\n")  # fmt: skip
    shown = present(body, 'multipart/form-data; boundary="b"')
    assert shown.kind == BodyKind.MULTIPART and shown.parts is not None
    first, second = shown.parts
    assert first.name == "meta" and first.shown.text == '{\n  "k": 1\n}'
    assert second.filename == 'a "q".png' and second.body == b"\x89PNG"
    assert split_multipart(b"no boundary here", "b") == []


def test_multipart_without_matching_boundary_is_text():
    shown = present(b"just text", "multipart/form-data; boundary=zz")
    assert shown.text == "just text" and "no part with boundary 'zz'" in shown.notes


def test_binary_is_a_hex_dump_and_image_keeps_bytes():
    shown = present(bytes(range(20)), "application/octet-stream")
    assert shown.kind == BodyKind.BINARY and shown.text.startswith("00000000  00 01 02")
    image = present(b"\x89PNG\r\n\x1a\n" + b"\0" * 10, "image/png")
    assert image.image is not None and image.kind == BodyKind.IMAGE
    assert hex_dump(b"") == ""


@pytest.mark.parametrize(
    "content_type",
    [
        "",
        "application/json",
        "multipart/form-data; boundary=x",
        "application/x-www-form-urlencoded",
        "text/xml",
    ],
)
@given(body=st.binary(max_size=300), encoding=st.sampled_from(["", "gzip", "br, gzip", "x"]))
def test_present_never_raises(content_type, body, encoding):
    shown = present(body, content_type, encoding)
    assert isinstance(shown.text, str)
