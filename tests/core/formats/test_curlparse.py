"""cURL import: options, bundles, warnings, and our own bash export read back exactly."""

from __future__ import annotations

import base64

import pytest
from formatsamples import sample_captures

from webhook_inspector.core.errors import FormatError
from webhook_inspector.core.formats.curl import curl_bash, curl_cmd
from webhook_inspector.core.formats.curlparse import looks_like_curl, parse_curl, printf_output


@pytest.mark.parametrize("capture", sample_captures(), ids=lambda c: f"capture{c.id}")
def test_our_bash_export_reads_back_exactly(capture):
    [request], warnings = parse_curl(curl_bash(capture).decode("utf-8", "surrogateescape"))
    assert warnings == []
    assert (request.method, request.headers, request.body) == (
        capture.method,
        capture.headers,
        capture.body,
    )


def test_our_cmd_export_reads_back_text_bodies():
    capture = sample_captures()[0]
    [request], _ = parse_curl(curl_cmd(capture).decode("utf-8"))
    assert (request.method, request.headers, request.body) == (
        capture.method,
        capture.headers,
        capture.body,
    )


def test_bundled_short_options_attached_values_and_defaults():
    [request], warnings = parse_curl(
        "curl -sSLk -XPUT -HX-A:1 -d a=1 -d b=2 -u ada:pw example.com/p"
    )
    assert request.method == "PUT" and request.url == "http://example.com/p"
    assert request.body == b"a=1&b=2"
    assert request.headers == (
        ("X-A", "1"),
        ("Authorization", "Basic " + base64.b64encode(b"ada:pw").decode()),
        ("Content-Type", "application/x-www-form-urlencoded"),
    )
    assert warnings == []


def test_get_moves_data_to_query_and_head():
    [request], _ = parse_curl("curl -G --url http://x/s -d q=1 --data-urlencode 'n=a b'")
    assert (request.method, request.url, request.body) == ("GET", "http://x/s?q=1&n=a%20b", b"")
    [head], _ = parse_curl("curl -I http://x/")
    assert head.method == "HEAD"


def test_form_fields_build_multipart_and_files_are_never_read():
    [request], warnings = parse_curl("curl -F name=ada -F file=@/etc/passwd http://x/up")
    assert request.method == "POST"
    assert b'name="name"\r\n\r\nada' in request.body and b"root:" not in request.body
    assert request.header("content-type").startswith("multipart/form-data; boundary=")
    assert any("'/etc/passwd' was not read" in w for w in warnings)


def test_unknown_options_warn_and_local_ones_are_quiet():
    [request], warnings = parse_curl("curl --frobnicate -o out.txt --max-time 5 http://x/")
    assert request.url == "http://x/"
    assert warnings == ["cURL command line 1: unknown option --frobnicate ignored"]


def test_header_removal_and_empty_headers():
    [request], _ = parse_curl("curl -H 'Accept:' -H 'X-Empty;' -d x http://x/ -H 'Content-Type:'")
    assert request.headers == (("X-Empty", ""),)


def test_sniffing_and_errors():
    assert looks_like_curl("# comment\ncurl http://x/")
    assert looks_like_curl("printf 'a' | curl http://x/ --data-binary @-")
    assert not looks_like_curl("wget http://x/")
    with pytest.raises(FormatError, match=r"line 1: no URL"):
        parse_curl("curl -X POST")
    with pytest.raises(FormatError, match=r"'wget' is not curl"):
        parse_curl("curl http://x/\nwget http://y/")


def test_printf_output():
    assert printf_output(r"\000\377%%\n\\a") == b"\x00\xff%\n\\a"
