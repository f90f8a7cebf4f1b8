"""What search sees of a capture: its text, words and body kind."""

from __future__ import annotations

import gzip

from webhook_inspector.core.searchtext import (
    INDEX_BODY_BYTES,
    fts_phrase,
    has_words,
    search_doc,
    words,
)

HEAD = b"POST /hooks/x?a=1 HTTP/1.1\r\nContent-Type: application/json\r\nX-Event: push"


def test_doc_holds_request_line_headers_and_body():
    doc = search_doc("POST", "/hooks/x?a=1", HEAD, b'{"order": 7}')
    assert doc.kind == "json"
    assert "POST /hooks/x?a=1" in doc.text
    assert "X-Event: push" in doc.text
    assert '{"order": 7}' in doc.text


def test_gzip_bodies_are_searched_decoded():
    head = HEAD + b"\r\nContent-Encoding: gzip"
    doc = search_doc("POST", "/hooks/x", head, gzip.compress(b'{"event": "hidden"}'))
    assert (doc.kind, "hidden" in doc.text) == ("json", True)


def test_binary_bodies_add_no_text_and_big_ones_are_capped():
    binary = search_doc("POST", "/b", b"POST /b HTTP/1.1", bytes(range(256)) * 4)
    assert (binary.kind, binary.text) == ("binary", "POST /b HTTP/1.1")
    big = search_doc("POST", "/t", b"POST /t HTTP/1.1\r\nContent-Type: text/plain",
                     b"a " * INDEX_BODY_BYTES + b"tailword")  # fmt: skip
    assert "tailword" not in big.text


def test_partial_heads_still_name_method_and_target():
    doc = search_doc("GET", "/refused", b"", b"")
    assert doc.text.startswith("GET /refused")


def test_latin1_charset_bodies_decode():
    head = b"POST /l HTTP/1.1\r\nContent-Type: text/plain; charset=latin-1"
    assert "Grüße" in search_doc("POST", "/l", head, "Grüße".encode("latin-1")).text


def test_words_split_like_unicode61():
    assert words("payment_intent.Succeeded Café 東京注文") == [
        "payment", "intent", "succeeded", "cafe", "東京注文",
    ]  # fmt: skip


def test_has_words_needs_consecutive_words_and_prefix_only_on_the_last():
    text = words("fix crash in parser")
    assert has_words(text, ["crash", "in"], prefix=False)
    assert has_words(text, ["in", "pars"], prefix=True)
    assert not has_words(text, ["in", "pars"], prefix=False)
    assert not has_words(text, ["parser", "crash"], prefix=True)
    assert not has_words(text, [], prefix=True)


def test_fts_phrase_quotes_quotes():
    assert fts_phrase('say "hi"', prefix=True) == '"say ""hi"""*'
