"""Body views: kind detection, Content-Encoding decoding under caps, charset decoding."""

from __future__ import annotations

import gzip
import json
import struct
import subprocess
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

import brotli
import pytest
import zstandard
from hypothesis import given, settings
from hypothesis import strategies as st

from webhook_inspector.core.bodies import (
    DECODERS,
    MAX_OUTPUT_BYTES,
    BodyKind,
    DecodedBody,
    decode_content,
    decode_text,
    detect_kind,
    parse_content_type,
)
from webhook_inspector.core.sizes import human_size

ROOT = Path(__file__).resolve().parents[2]
MiB = 1024 * 1024
PAYLOAD = json.dumps(
    [{"id": n, "event": "invoice.paid", "amount": n * 37 % 1000} for n in range(400)]
).encode()
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"
MULTIPART = b'--b0und\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--b0und--\r\n'


def _zlib(data: bytes) -> bytes:
    return zlib.compress(data)


def _raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(wbits=-15)
    return compressor.compress(data) + compressor.flush()


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


def _br(data: bytes) -> bytes:
    return brotli.compress(data, quality=5)  # the default, 11, takes seconds on a few MiB


def _zstd(data: bytes) -> bytes:
    return zstandard.ZstdCompressor().compress(data)


ENCODERS: dict[str, Callable[[bytes], bytes]] = {
    "gzip": _gzip,
    "deflate": _zlib,
    "br": _br,
    "zstd": _zstd,
}


def _varied_text(size: int) -> bytes:
    """Compressible but not trivial text, so partial streams give partial output."""
    lines = (
        f"line {n}: {n * 7919 % 104729:06d} {'abcdefgh'[n % 8] * (n % 13)}"
        for n in range(size // 16)
    )
    return "\n".join(lines).encode()[:size]  # lines run past 16 bytes, so this fills `size`


# --- kinds ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "body", "kind"),
    [
        ("application/json", b'{"a": 1}', BodyKind.JSON),
        ("Application/JSON; charset=UTF-8", b'{"a": 1}', BodyKind.JSON),
        ("application/json", b"not json at all", BodyKind.JSON),  # a specific header wins
        ("application/xml", b"<a/>", BodyKind.XML),
        ("text/xml; charset=utf-8", b"<a/>", BodyKind.XML),
        ("image/svg+xml", b"<svg/>", BodyKind.XML),
        ("text/html; charset=utf-8", b"<p>hi</p>", BodyKind.HTML),
        ("application/xhtml+xml", b"<html/>", BodyKind.HTML),
        ("application/x-www-form-urlencoded", b"a=1&b=2", BodyKind.FORM),
        ("multipart/form-data; boundary=b0und", MULTIPART, BodyKind.MULTIPART),
        ("multipart/mixed", b"anything", BodyKind.MULTIPART),
        ("text/plain", b"hello", BodyKind.TEXT),
        ("text/csv", b"a,b\n1,2", BodyKind.TEXT),
        ("application/javascript", b"alert(1)", BodyKind.TEXT),
        ("application/x-ndjson", b'{"a":1}\n{"a":2}\n', BodyKind.TEXT),
        ("image/png", PNG, BodyKind.IMAGE),
        ("image/jpeg", b"whatever", BodyKind.IMAGE),
        ("application/pdf", b"%PDF-1.7", BodyKind.BINARY),
        ("application/x-protobuf", b"\x08\x96\x01", BodyKind.BINARY),
        ("application/json", b"", BodyKind.EMPTY),
        ("", b"", BodyKind.EMPTY),
    ],
)
def test_kind_from_header(content_type: str, body: bytes, kind: BodyKind) -> None:
    assert detect_kind(content_type, body) is kind


@pytest.mark.parametrize(
    ("content_type", "kind"),
    [
        ("application/vnd.api+json", BodyKind.JSON),
        ("application/problem+json; charset=utf-8", BodyKind.JSON),
        ("application/cloudevents+json", BodyKind.JSON),
        ("application/atom+xml", BodyKind.XML),
        ("application/soap+xml; charset=utf-8", BodyKind.XML),
        ("application/rss+xml", BodyKind.XML),
    ],
)
def test_structured_syntax_suffixes(content_type: str, kind: BodyKind) -> None:
    assert detect_kind(content_type, b"body that would sniff as text") is kind


SNIFFED = [
    (b'{"event": "ping", "n": [1, 2]}', BodyKind.JSON),
    (b'  \n[{"a": null}]\n', BodyKind.JSON),
    ('{"name": "é"}'.encode("utf-16"), BodyKind.JSON),  # NUL bytes, yet text: the BOM says so
    (b'<?xml version="1.0"?><note><to>A</to></note>', BodyKind.XML),
    (b"<soap:Envelope><soap:Body/></soap:Envelope>\n", BodyKind.XML),
    (b"<!DOCTYPE html><html><body>hi</body></html>", BodyKind.HTML),
    (b"<html><head></head></html>", BodyKind.HTML),
    (b"token=abc123&team_id=T0001&text=hello+world", BodyKind.FORM),
    (b"payload=%7B%22a%22%3A1%7D", BodyKind.FORM),
    (MULTIPART, BodyKind.MULTIPART),
    (b"just some words, nothing more", BodyKind.TEXT),
    (PNG, BodyKind.IMAGE),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", BodyKind.IMAGE),
    (b"GIF89a\x01\x00\x01\x00", BodyKind.IMAGE),
    (b"RIFF\x24\x00\x00\x00WEBPVP8 ", BodyKind.IMAGE),
    (b"PK\x03\x04\x14\x00\x00\x00\x08\x00", BodyKind.BINARY),
    (bytes(range(1, 256)) * 4, BodyKind.BINARY),  # no NUL byte, but full of control bytes
]


@pytest.mark.parametrize("content_type", ["", "application/octet-stream", "garbage; charset=x"])
@pytest.mark.parametrize(("body", "kind"), SNIFFED)
def test_kind_by_sniffing(content_type: str, body: bytes, kind: BodyKind) -> None:
    assert detect_kind(content_type, body) is kind


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b'"a bare JSON string"',
        b"12345",
        b"[" * 100_000,  # deep nesting must not blow the stack
        b"a = 1 and b = 2",
        b"<not really markup",
        b"\x1b[31mred\x1b[0m log line\n",  # ANSI colours are text
    ],
)
def test_near_misses_sniff_as_text(body: bytes) -> None:
    assert detect_kind("", body) is BodyKind.TEXT


def test_text_plain_holding_json_is_json() -> None:
    # AWS SNS posts its JSON notifications as text/plain.
    sns = b'{"Type": "Notification", "MessageId": "x", "Message": "hi"}'
    assert detect_kind("text/plain; charset=UTF-8", sns) is BodyKind.JSON
    assert detect_kind("text/plain", b"<a/>") is BodyKind.TEXT
    assert detect_kind("text/plain", b"{broken") is BodyKind.TEXT


def test_big_json_is_judged_by_its_ends_not_parsed() -> None:
    body = b'{"a": "' + b"x" * (2 * MiB) + b'"}'
    assert detect_kind("", body) is BodyKind.JSON
    assert detect_kind("", body[:-2]) is BodyKind.TEXT


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("application/json", ("application/json", {})),
        (" Text/HTML ; Charset=UTF-8 ", ("text/html", {"charset": "UTF-8"})),
        (
            'multipart/form-data; boundary="a;b\\"c"; charset=utf-8',
            ("multipart/form-data", {"boundary": 'a;b"c', "charset": "utf-8"}),
        ),
        ('text/plain; charset="utf-8', ("text/plain", {"charset": "utf-8"})),
        ("text/plain; junk; charset=latin1;", ("text/plain", {"charset": "latin1"})),
        ("text/plain; charset=a; charset=b", ("text/plain", {"charset": "a"})),
        ("garbage", ("", {})),
        ("", ("", {})),
        ("a b/c", ("", {})),
    ],
)
def test_parse_content_type(value: str, expected: tuple[str, dict[str, str]]) -> None:
    assert parse_content_type(value) == expected


# --- Content-Encoding -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "encode"),
    [
        ("gzip", _gzip),
        ("x-gzip", _gzip),
        ("deflate", _zlib),
        ("deflate", _raw_deflate),
        ("br", brotli.compress),
        ("zstd", _zstd),
        ("GZIP", _gzip),
    ],
)
def test_each_encoding_decodes(name: str, encode: Callable[[bytes], bytes]) -> None:
    body = encode(PAYLOAD)
    result = decode_content(body, name)
    assert result.data == PAYLOAD
    assert result.encodings == (name.lower(),)
    assert (result.error, result.truncated) == ("", False)
    assert result.note == f"{name.lower()} {human_size(len(body))} → {human_size(len(PAYLOAD))}"


def test_gzip_then_br_is_undone_br_first() -> None:
    body = brotli.compress(_gzip(PAYLOAD))
    result = decode_content(body, "gzip, br")
    assert result.data == PAYLOAD
    assert result.encodings == ("gzip", "br")
    assert result.error == ""


def test_br_then_gzip_is_undone_gzip_first() -> None:
    body = _gzip(brotli.compress(PAYLOAD))
    result = decode_content(body, " BR ,gzip")
    assert result.data == PAYLOAD
    assert result.encodings == ("br", "gzip")
    assert result.note.startswith("br, gzip ")


def test_stack_in_the_wrong_order_names_the_failing_step() -> None:
    inner = _gzip(PAYLOAD)
    body = brotli.compress(inner)
    result = decode_content(body, "br, gzip")  # claims gzip was applied last
    assert result.data == body
    assert result.encodings == ()
    assert result.error == "gzip: not a gzip stream (invalid header)"


def test_failure_after_a_good_step_keeps_that_step() -> None:
    body = _gzip(PAYLOAD)
    result = decode_content(body, "br, gzip")  # gzip undone, then PAYLOAD is no brotli
    assert result.data == PAYLOAD
    assert result.encodings == ("gzip",)
    assert result.error.startswith("br: ")


@pytest.mark.parametrize("value", ["", "identity", "identity, identity", " , "])
def test_identity_and_nothing_leave_the_body_alone(value: str) -> None:
    result = decode_content(PAYLOAD, value)
    assert result == DecodedBody(PAYLOAD, (), "", False, len(PAYLOAD))
    assert result.note == ""


def test_gzip_header_on_plain_json_returns_the_raw_body() -> None:
    result = decode_content(PAYLOAD, "gzip")
    assert result.data is PAYLOAD
    assert result.error == "gzip: not a gzip stream (invalid header)"
    assert result.encodings == ()
    assert result.truncated is False
    assert result.note == ""


@pytest.mark.parametrize("name", ["br", "zstd", "deflate"])
def test_other_wrong_encodings_return_the_raw_body(name: str) -> None:
    result = decode_content(PAYLOAD, name)
    assert result.data is PAYLOAD
    assert result.error.startswith(f"{name}: ")
    assert result.encodings == ()


@pytest.mark.parametrize("name", ["gzip", "deflate", "br", "zstd"])
def test_truncated_stream_keeps_the_partial_output(name: str) -> None:
    payload = _varied_text(1 * MiB)
    body = ENCODERS[name](payload)
    result = decode_content(body[: len(body) // 2], name)
    assert result.error == f"{name}: truncated data (the stream ends early)"
    assert 0 < len(result.data) < len(payload)
    assert payload.startswith(result.data)
    assert result.truncated is True
    assert result.encodings == (name,)
    assert result.note.endswith("(truncated)")


def test_truncated_gzip_with_no_output_yet_returns_the_raw_body() -> None:
    body = _gzip(PAYLOAD)[:12]
    result = decode_content(body, "gzip")
    assert result.data == body
    assert result.error == "gzip: truncated data (the stream ends early)"
    assert result.truncated is False


def test_concatenated_gzip_members_and_zstd_frames_decode_whole() -> None:
    assert decode_content(_gzip(b"first ") + _gzip(b"second"), "gzip").data == b"first second"
    result = decode_content(_zstd(b"first ") + _zstd(b"second"), "zstd")
    assert (result.data, result.error) == (b"first second", "")


def test_thousands_of_gzip_members() -> None:
    result = decode_content(_gzip(b"x") * 20_000, "gzip")
    assert (result.data, result.error) == (b"x" * 20_000, "")


def test_zstd_window_above_rfc_limit_is_refused_with_a_reason() -> None:
    params = zstandard.ZstdCompressionParameters.from_level(1, window_log=24)  # 16 MiB
    body = zstandard.ZstdCompressor(compression_params=params).compress(_varied_text(9 * MiB))
    result = decode_content(body, "zstd")
    assert result.data == body
    assert result.error == (
        "zstd: window above the 8 MiB that Content-Encoding: zstd allows (RFC 9659)"
    )


@pytest.mark.parametrize("name", ["gzip", "deflate", "zstd"])
def test_trailing_garbage_is_reported(name: str) -> None:
    result = decode_content(ENCODERS[name](PAYLOAD) + b"junk", name)
    assert result.data == PAYLOAD
    assert result.error == f"{name}: 4 bytes of trailing data after the stream"


def test_corrupt_gzip_is_reported_not_raised() -> None:
    body = bytearray(_gzip(PAYLOAD))
    body[20] ^= 0xFF
    body[21] ^= 0xFF
    result = decode_content(bytes(body), "gzip")
    assert result.error.startswith("gzip: corrupt data (")


def test_unknown_encoding_returns_the_raw_body() -> None:
    result = decode_content(PAYLOAD, "foo")
    assert result.data is PAYLOAD
    assert result.error.startswith("unknown content encoding 'foo'")
    assert "gzip" in result.error
    assert "zstd" in result.error


def test_unknown_encoding_below_a_known_one() -> None:
    body = _gzip(PAYLOAD)
    result = decode_content(body, "compress, gzip")
    assert result.data == PAYLOAD
    assert result.encodings == ("gzip",)
    assert result.error.startswith("unknown content encoding 'compress'")


def test_empty_body_with_an_encoding_is_fine() -> None:
    assert decode_content(b"", "gzip") == DecodedBody(b"")


@pytest.mark.parametrize("name", ["gzip", "deflate", "br", "zstd"])
def test_output_cap(name: str) -> None:
    body = ENCODERS[name](bytes(4 * MiB))
    result = decode_content(body, name, max_output=1 * MiB)
    assert result.data == bytes(1 * MiB)
    assert result.truncated is True
    assert result.error == "stopped at the 1.0 MB output cap"
    assert result.encodings == (name,)


def test_ratio_cap() -> None:
    body = _gzip(bytes(8 * MiB))
    result = decode_content(body, "gzip", max_ratio=50)
    assert result.error == "compression ratio above 50:1, stopped"
    assert result.truncated is True
    assert 1 * MiB < len(result.data) < 8 * MiB


def test_default_ratio_cap_stops_a_zstd_bomb() -> None:
    body = _zstd(bytes(64 * MiB))  # zstd packs zeros far beyond 1000:1
    result = decode_content(body, "zstd")
    assert result.error == "compression ratio above 1000:1, stopped"
    assert len(result.data) < 64 * MiB


def test_ratio_cap_spares_bodies_under_one_mib() -> None:
    body = _gzip(bytes(900 * 1024))
    assert len(body) * 10 < 900 * 1024
    result = decode_content(body, "gzip", max_ratio=10)
    assert (len(result.data), result.error) == (900 * 1024, "")


BOMB_CHILD = """
import json, resource, sys
from pathlib import Path
from webhook_inspector.core.bodies import decode_content
body = Path(sys.argv[1]).read_bytes()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
result = decode_content(body, sys.argv[2])
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"growth_kib": after - before, "size": len(result.data),
                  "error": result.error, "truncated": result.truncated}))
"""


def _bomb(name: str) -> bytes:
    """1 GiB of zeros, streamed through the compressor 1 MiB at a time."""
    zeros = bytes(MiB)
    if name == "gzip":  # Z_RLE: same ~1 MB output as the default strategy, twice as fast
        gz = zlib.compressobj(9, zlib.DEFLATED, 31, 9, zlib.Z_RLE)
        return b"".join([*(gz.compress(zeros) for _ in range(1024)), gz.flush()])
    if name == "br":
        br = brotli.Compressor(quality=0)
        return b"".join([*(br.process(zeros) for _ in range(1024)), br.finish()])
    zs = zstandard.ZstdCompressor(level=1).compressobj()
    return b"".join([*(zs.compress(zeros) for _ in range(1024)), zs.flush()])


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("gzip", "stopped at the 64 MB output cap"),
        ("br", "stopped at the 64 MB output cap"),
        ("zstd", "compression ratio above 1000:1, stopped"),
    ],
)
def test_one_gib_bomb_never_materialises(tmp_path: Path, name: str, error: str) -> None:
    bomb = _bomb(name)
    if name == "gzip":
        assert struct.unpack("<I", bomb[-4:])[0] == 1 << 30  # ISIZE: 1 GiB inside
    assert len(bomb) < 2 * MiB
    path = tmp_path / f"bomb.{name}"
    path.write_bytes(bomb)
    run = subprocess.run(
        [sys.executable, "-c", BOMB_CHILD, str(path), name],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["error"] == error
    assert report["truncated"] is True
    assert 0 < report["size"] <= MAX_OUTPUT_BYTES
    assert report["growth_kib"] * 1024 < 256 * MiB


# --- charsets ---------------------------------------------------------------------------------


def test_invalid_utf8_is_counted_and_shown() -> None:
    result = decode_text(b"caf\xc3\xa9 \xff\xfe ok \xe2\x82", None)
    assert result.text == "café \ufffd\ufffd ok \ufffd\ufffd"
    assert result.invalid_bytes == 4
    assert result.charset == "utf-8"


def test_a_real_replacement_character_is_not_counted() -> None:
    result = decode_text("bad: \ufffd".encode(), "utf-8")
    assert (result.text, result.invalid_bytes) == ("bad: \ufffd", 0)


def test_latin1_charset() -> None:
    result = decode_text(b"caf\xe9 cr\xe8me", "ISO-8859-1")
    assert result.text == "café crème"
    assert result.invalid_bytes == 0
    assert result.charset == "iso8859-1"
    assert decode_text(b"caf\xe9", None).invalid_bytes == 1  # the same bytes as UTF-8


def test_bytes_a_single_byte_charset_lacks_are_counted() -> None:
    result = decode_text(b"\x81 \x80", "windows-1252")
    assert result.text == "\ufffd €"
    assert result.invalid_bytes == 1


@pytest.mark.parametrize(
    ("data", "charset"),
    [
        ("héllo ✓".encode("utf-16"), "utf-16-le"),
        (b"\xfe\xff" + "héllo ✓".encode("utf-16-be"), "utf-16-be"),
        (b"\xff\xfe\x00\x00" + "héllo ✓".encode("utf-32-le"), "utf-32-le"),
        (b"\xef\xbb\xbf" + "héllo ✓".encode(), "utf-8"),
    ],
)
def test_bom_picks_the_charset_and_is_dropped(data: bytes, charset: str) -> None:
    result = decode_text(data, "iso-8859-1")  # a BOM beats the declared charset
    assert result.text == "héllo ✓"
    assert result.charset == charset
    assert result.invalid_bytes == 0


def test_odd_utf16_tail_is_counted() -> None:
    result = decode_text("hi".encode("utf-16") + b"!", None)
    assert result.text == "hi\ufffd"
    assert result.invalid_bytes == 1


@pytest.mark.parametrize("charset", ["no-such-charset", "base64", "utf\x008"])
def test_unknown_charset_falls_back_to_utf8_with_a_note(charset: str) -> None:
    result = decode_text("é".encode(), charset)
    assert result.text == "é"
    assert result.charset == "utf-8"
    assert result.note == f"unknown charset {charset!r}, shown as utf-8"


def test_quoted_and_aliased_charsets() -> None:
    assert decode_text(b"\xe9", '"latin1"').text == "é"
    assert decode_text("é".encode(), "UTF8") == decode_text("é".encode(), None)


# --- properties -------------------------------------------------------------------------------

ENCODING_NAMES = [*sorted(DECODERS), "identity", "foo"]


@settings(deadline=None)
@given(body=st.binary(max_size=4096), names=st.lists(st.sampled_from(ENCODING_NAMES), max_size=3))
def test_decode_content_never_raises_on_random_bytes(body: bytes, names: list[str]) -> None:
    result = decode_content(body, ", ".join(names))
    assert len(result.data) <= MAX_OUTPUT_BYTES
    if not result.encodings:
        assert result.data == body


@settings(deadline=None)
@given(
    name=st.sampled_from(sorted(ENCODERS)),
    payload=st.binary(max_size=2048),
    cut=st.integers(min_value=0),
    flips=st.lists(st.tuples(st.integers(min_value=0), st.integers(1, 255)), max_size=4),
)
def test_decode_content_never_raises_on_damaged_streams(
    name: str, payload: bytes, cut: int, flips: list[tuple[int, int]]
) -> None:
    body = bytearray(ENCODERS[name](payload))
    for index, mask in flips:
        body[index % len(body)] ^= mask
    damaged = bytes(body[: cut % (len(body) + 1)])
    result = decode_content(damaged, name)
    if not flips and len(damaged) == len(body):
        assert (result.data, result.error) == (payload, "")
    elif not flips and len(damaged) >= 4:  # a strict prefix of a good stream, magic included
        assert result.error.endswith("truncated data (the stream ends early)")
    assert len(result.data) <= MAX_OUTPUT_BYTES  # flipped bits may or may not break a stream


@given(content_type=st.text(max_size=80), body=st.binary(max_size=2048))
def test_detect_kind_never_raises(content_type: str, body: bytes) -> None:
    kind = detect_kind(content_type, body)
    assert (kind is BodyKind.EMPTY) == (body == b"")


@given(value=st.text(max_size=120))
def test_parse_content_type_never_raises(value: str) -> None:
    mime, params = parse_content_type(value)
    assert mime == "" or (mime == mime.lower() and "/" in mime)
    assert all(name == name.lower() for name in params)


@given(data=st.binary(max_size=2048), charset=st.one_of(st.none(), st.text(max_size=20)))
def test_decode_text_never_raises(data: bytes, charset: str | None) -> None:
    result = decode_text(data, charset)
    assert result.text.count("\ufffd") >= result.invalid_bytes >= 0


def test_bodies_pulls_in_no_qt_and_no_http_library() -> None:
    code = (
        "import sys, webhook_inspector.core.bodies\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'qasync', 'aiohttp', 'httpx')))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert run.stdout.strip() == "[]", run.stderr
