"""Request files: save → reload is byte-exact; the YAML reads well and matches golden files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from webhook_inspector.core.collection.requestfile import (
    MAX_INLINE_BODY,
    dump_request,
    load_request,
    read_seq,
)
from webhook_inspector.core.errors import FormatError
from webhook_inspector.core.model import OutgoingRequest

GOLDEN = Path(__file__).resolve().parents[2] / "data" / "collection"

# Header text as captures hold it: wire bytes read as latin-1 (any byte but CR, LF, NUL).
wire_text = st.text(st.characters(min_codepoint=1, max_codepoint=255, exclude_characters="\r\n"))
header_names = st.text(st.characters(min_codepoint=33, max_codepoint=126, exclude_characters=":"),
                       min_size=1)  # fmt: skip
text_bodies = st.text().map(lambda t: t.encode("utf-8", "surrogatepass"))
lines = st.lists(st.sampled_from(["", "a", "  x: 1", "\t{", "é", "end "]), max_size=6)
line_bodies = lines.flatmap(
    lambda parts: st.sampled_from(["\n", "\r\n"]).map(lambda nl: nl.join(parts).encode())
)
bodies = st.one_of(st.binary(), text_bodies, line_bodies, line_bodies.map(lambda b: b + b"\n"))


def round_trip(request: OutgoingRequest) -> OutgoingRequest:
    written = dump_request(request, seq=3, side_name="r.body")
    files = {"r.body": written.side_body}

    def read_side(name: str) -> bytes:
        data = files[name]
        assert data is not None
        return data

    loaded, seq = load_request(written.text, "r.yml", read_side)
    assert seq == 3
    return loaded


@settings(max_examples=300, deadline=None)
@given(
    method=st.sampled_from(["GET", "POST", "post", "PROPFIND", "M-SEARCH"]),
    url=st.text(st.characters(exclude_categories=("Cs",))),
    headers=st.lists(st.tuples(header_names, wire_text), max_size=6),
    body=bodies,
    name=st.text(st.characters(exclude_categories=("Cs",))),
)
def test_save_reload_is_exact(method, url, headers, body, name):
    request = OutgoingRequest(method, url, tuple(headers), body, name)
    assert round_trip(request) == request


def test_duplicate_headers_keep_order_and_case():
    headers = (("X-A", "1"), ("x-a", "2"), ("X-A", "1"), ("Set-Cookie", "a=b; Path=/"))
    request = OutgoingRequest("POST", "http://h/", headers, b"")
    assert round_trip(request).headers == headers


@pytest.mark.parametrize(
    "body",
    [b"a\nb\n", b"a\nb", b"a\nb\n\n\n", b"a\r\nb\r\n", b"\n", b" lead\n", b"trail \n", b"x"],
)
def test_text_bodies_keep_every_newline(body):
    request = OutgoingRequest("POST", "http://h/", (), body)
    written = dump_request(request, seq=1, side_name="r.body")
    assert written.side_body is None
    assert round_trip(request).body == body


@pytest.mark.parametrize(
    "body",
    [b"\x00\x01\xff\xfe", b"\x89PNG\r\n\x1a\n", b"\x1f\x8b\x08\x00", b"a" * (MAX_INLINE_BODY + 1)],
)
def test_binary_and_huge_bodies_go_to_a_side_file(body):
    request = OutgoingRequest("POST", "http://h/", (("Content-Type", "image/png"),), body)
    written = dump_request(request, seq=1, side_name="r.body")
    assert written.side_body == body
    assert "filePath: r.body" in written.text
    assert "contentType: image/png" in written.text
    assert round_trip(request).body == body


def test_non_utf8_header_bytes_survive():
    request = OutgoingRequest("GET", "http://h/", (("X-Raw", "\xff\xfe ok"), ("X-Café", "é")))
    assert round_trip(request) == request


@pytest.mark.parametrize("case", ["json_post", "form_post", "binary_put", "crlf_text"])
def test_golden_files(case):
    requests = {
        "json_post": OutgoingRequest(
            "POST",
            "{{baseUrl}}/orders?expand=items",
            (("Content-Type", "application/json"), ("Authorization", "Bearer {{secret:shop}}")),
            b'{\n  "id": 42,\n  "items": ["a", "b"]\n}\n',
            "Create order",
        ),
        "form_post": OutgoingRequest(
            "POST",
            "https://auth.example.com:8443/login",
            (("Content-Type", "application/x-www-form-urlencoded"), ("X-Note", "caf\xc3\xa9")),
            b"user=ann&pass=%7B%7D",
            "Login ∕ form",
        ),
        "binary_put": OutgoingRequest(
            "PUT",
            "http://127.0.0.1:9000/upload",
            (("Content-Type", "image/png"),),
            b"\x89PNG\r\n\x1a\n\x00",
            "Upload",
        ),
        "crlf_text": OutgoingRequest(
            "POST", "http://h/hook", (("X-A", "1"), ("x-a", "2")), b"line 1\r\nline 2\r\n", "CRLF"
        ),
    }
    written = dump_request(requests[case], seq=1, side_name=f"{case}.body")
    golden = GOLDEN / f"{case}.yml"
    if os.environ.get("REGENERATE_GOLDEN"):  # then review the diff like code
        golden.write_text(written.text, encoding="utf-8")
    assert written.text == golden.read_text(encoding="utf-8")


def test_wrong_type_names_file_and_pointer():
    text = "info:\n  name: x\n  type: http\nhttp:\n  method: GET\n  headers:\n  - name: 5\n"
    with pytest.raises(FormatError, match=r"^a.yml /http/headers/0/name: must be a string"):
        load_request(text, "a.yml", lambda name: b"")


def test_other_request_types_are_refused():
    with pytest.raises(FormatError, match="only http requests"):
        load_request("info:\n  type: grpc\nhttp: {}\n", "g.yml", lambda name: b"")


def test_broken_yaml_names_the_line():
    with pytest.raises(FormatError, match=r"^b.yml line 3"):
        load_request("info:\n  name: x\n   bad: [\n", "b.yml", lambda name: b"")


def test_read_seq_is_lenient():
    assert read_seq("info:\n  seq: 7\n", "x") == 7
    assert read_seq("- a list\n", "x") == 0
