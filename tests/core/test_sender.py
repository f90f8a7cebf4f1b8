"""The sender against real targets: exact bytes out, whole responses back, failures as results."""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from targets import Answer, run, target

from webhook_inspector.core.model import OutgoingRequest
from webhook_inspector.core.sender import Sender, SendOptions, request_target, sign_request

BINARY = bytes(range(256)) * 64


async def send(request: OutgoingRequest, options: SendOptions | None = None, **kw):
    async with Sender() as sender:
        return await sender.send(request, options or SendOptions(), **kw)


def test_target_receives_exactly_the_header_list_and_body():
    headers = (
        ("Content-Type", "application/octet-stream"),
        ("X-Hub-Signature-256", "sha256=abc"),
        ("x-dup", "1"),
        ("X-DUP", "2"),
        ("x-Mixed-CASE", "Value  with  spaces"),
    )
    with target() as t:
        request = OutgoingRequest("POST", t.url + "/hooks/a?x=1&y=%20", headers, BINARY)
        exchange = run(send(request))
    assert exchange.status == 200 and exchange.body == b"ok"
    seen = t.seen[0]
    assert seen.method == "POST"
    assert seen.raw_path == "/hooks/a?x=1&y=%20"
    assert hashlib.sha256(seen.body).hexdigest() == hashlib.sha256(BINARY).hexdigest()
    sent = [(k.decode(), v.decode()) for k, v in seen.headers]
    # Only what HTTP/1.1 requires is added: Host first, Content-Length for the body.
    assert sent[0] == ("Host", f"127.0.0.1:{t.port}")
    assert [h for h in sent if h[0] not in ("Host", "Content-Length")] == list(headers)
    assert ("Content-Length", str(len(BINARY))) in sent
    assert len(sent) == len(headers) + 2


def test_raw_target_and_header_bytes_reach_the_wire_unchanged(running):
    # Our own listener keeps the head byte for byte, so it shows exactly what went out.
    url = running.url.rstrip("/") + "/a/./b/../%7e//c?q=%zz&r=a+b&s"
    request = OutgoingRequest("PATCH", url, (("X-Latin", "caf\xe9"), ("Host", "example.test")))
    exchange = run(send(request))
    assert exchange.status == 200
    capture = running.store().get(1)
    # h11 writes Host first whatever its place (RFC 9112 asks for it), and httpx puts the
    # Content-Length it must add before the request's own headers, which keep their order.
    assert capture.raw_head.split(b"\r\n") == [
        b"PATCH /a/./b/../%7e//c?q=%zz&r=a+b&s HTTP/1.1",
        b"Host: example.test",
        b"Content-Length: 0",
        b"X-Latin: caf\xe9",
    ]


def test_non_ascii_in_a_typed_url_is_percent_encoded_as_utf8():
    assert request_target("http://h/p\u00fcnkt?q=a b#frag") == b"/p%C3%BCnkt?q=a%20b"
    assert request_target("http://h") == b"/"
    assert request_target("http://h?x=1") == b"/?x=1"


def test_explicit_raw_target_is_sent_byte_for_byte(running):
    request = OutgoingRequest("GET", running.url)
    exchange = run(send(request, raw_target=b"/a%2F./b?x=%zz&y"))
    assert exchange.status == 200
    assert running.store().get(1).target == "/a%2F./b?x=%zz&y"


def test_raw_target_bytes_http_cannot_carry_are_percent_encoded_one_by_one(running):
    # h11 sends visible ASCII only; a raw 0xE9 becomes %E9, which decodes to the same byte.
    exchange = run(send(OutgoingRequest("GET", running.url), raw_target=b"/caf\xe9?x=\xff"))
    assert exchange.status == 200
    assert running.store().get(1).target == "/caf%E9?x=%FF"


def test_compressed_body_stays_compressed_both_ways():
    packed = gzip.compress(b'{"event": "ping"}' * 50)
    answer = Answer(body=packed, headers=(("Content-Encoding", "gzip"),))
    with target(answer) as t:
        headers = (("Content-Encoding", "gzip"), ("Content-Type", "application/json"))
        exchange = run(send(OutgoingRequest("POST", t.url, headers, packed)))
    assert t.seen[0].body == packed
    assert exchange.body == packed
    assert exchange.header("content-encoding") == "gzip"


def test_response_is_kept_whole_with_duplicate_headers_and_timings():
    answer = Answer(
        status=418, body=b"teapot", headers=(("Set-Cookie", "a=1"), ("Set-Cookie", "b=2"))
    )
    with target(answer) as t:
        exchange = run(send(OutgoingRequest("GET", t.url + "/x")))
    assert (exchange.status, exchange.reason, exchange.body) == (418, "I'm a Teapot", b"teapot")
    assert [v for k, v in exchange.headers if k.lower() == "set-cookie"] == ["a=1", "b=2"]
    assert exchange.http_version == "1.1"
    assert exchange.connect_ms is not None and exchange.first_byte_ms is not None
    assert exchange.total_ms >= exchange.first_byte_ms >= exchange.connect_ms >= 0
    assert not exchange.ok and exchange.error_kind == ""


def test_redirects_are_not_followed_unless_asked():
    answers = (Answer(status=302, headers=(("Location", "/next"),)), Answer(status=200, body=b"x"))
    with target(*answers) as t:
        first = run(send(OutgoingRequest("GET", t.url + "/start")))
        assert first.status == 302 and len(t.seen) == 1
        followed = run(send(OutgoingRequest("GET", t.url + "/start"),
                            SendOptions(follow_redirects=True)))  # fmt: skip
    assert followed.status == 200


def test_big_response_is_capped_in_memory_and_saved_whole(tmp_path: Path):
    big = bytes(range(256)) * 100
    with target(Answer(body=big)) as t:
        options = SendOptions(max_body_in_memory=1000, save_dir=tmp_path)
        exchange = run(send(OutgoingRequest("GET", t.url), options))
    assert exchange.body == big[:1000]
    assert exchange.body_size == len(big) and exchange.body_truncated
    assert Path(exchange.body_path).read_bytes() == big


def test_timeout_is_a_clear_result():
    with target(Answer(delay_s=3)) as t:
        exchange = run(send(OutgoingRequest("POST", t.url, body=b"x"), SendOptions(timeout_s=0.2)))
    assert exchange.status is None
    assert exchange.error_kind == "timeout"
    assert "timed out" in exchange.error


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize(
    ("url", "kind", "words"),
    [
        (f"http://127.0.0.1:{free_port()}/", "refused", "connection refused"),
        ("ftp://example.test/", "invalid_url", "invalid URL"),
        ("not a url", "invalid_url", "invalid URL"),
        ("http:///no-host", "invalid_url", "invalid URL"),
        ("http://name.invalid/", "dns", "host not found"),
    ],
)
def test_network_failures_are_results_not_exceptions(url, kind, words):
    exchange = run(send(OutgoingRequest("GET", url)))
    assert exchange.status is None
    assert exchange.error_kind == kind
    assert exchange.error.startswith(words)


def test_tls_failure_is_reported_as_tls(running):
    # A plain-HTTP port answering a TLS handshake.
    exchange = run(send(OutgoingRequest("GET", running.url.replace("http:", "https:"))))
    assert exchange.error_kind == "tls"


def test_kept_alive_connection_is_reused():
    with target() as t:

        async def twice():
            async with Sender() as sender:
                first = await sender.send(OutgoingRequest("GET", t.url))
                second = await sender.send(OutgoingRequest("GET", t.url))
                return first, second

        first, second = run(twice())
    assert first.connect_ms is not None
    assert second.connect_ms is None and second.status == 200


def test_signer_headers_replace_same_named_ones_and_are_sent():
    def sign(request: OutgoingRequest) -> tuple[tuple[str, str], ...]:
        return (("X-Signature", hashlib.sha256(request.body).hexdigest()),)

    request = OutgoingRequest("POST", "http://h/", (("X-Signature", "stale"), ("A", "1")), b"b")
    signed = sign_request(request, sign)
    assert signed.headers == (("A", "1"), ("X-Signature", hashlib.sha256(b"b").hexdigest()))
    with target() as t:
        exchange = run(send(OutgoingRequest("POST", t.url, body=b"b"), sign=sign))
    assert (b"X-Signature", hashlib.sha256(b"b").hexdigest().encode()) in t.seen[0].headers
    assert exchange.request.header("x-signature") == hashlib.sha256(b"b").hexdigest()


def test_cancelling_a_send_stops_it():
    with target(Answer(delay_s=5)) as t:

        async def cancel_midway():
            async with Sender() as sender:
                task = asyncio.get_running_loop().create_task(
                    sender.send(OutgoingRequest("GET", t.url))
                )
                while not t.seen:
                    await asyncio.sleep(0.01)
                task.cancel()
                with pytest.raises(asyncio.CancelledError):
                    await task
                return task.cancelled()

        assert run(cancel_midway())


def test_progress_reports_stages():
    stages = []
    with target(Answer(body=b"abc")) as t:
        run(send(OutgoingRequest("GET", t.url), progress=lambda s, n: stages.append((s, n))))
    assert stages[0] == ("sending", 0)
    assert ("headers", 200) in stages and stages[-1] == ("done", 3)


def test_a_missing_sniffio_is_marked_absent_so_its_import_fails_at_once():
    # httpcore imports sniffio on every pool operation; a failed import is not remembered.
    code = (
        "import importlib.util, sys\n"
        "import webhook_inspector.core.sender\n"
        "present = sys.modules.get('sniffio') is not None or importlib.util.find_spec('sniffio')\n"
        "print('present' if present else repr(sys.modules['sniffio']))\n"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root,
                         env={**os.environ, "PYTHONPATH": str(root)}, check=True)  # fmt: skip
    assert out.stdout.strip() in ("present", "None")
