"""The listener against real clients: httpx and raw sockets on a port-0 service."""

from __future__ import annotations

import gzip
import json
import socket
import threading
import time

import httpx

from webhook_inspector.core.model import Outcome

from conftest import read_all, read_response, read_responses


def _status(response: bytes) -> int:
    return int(response.split(b" ", 2)[1])


def _only(running):
    store = running.store()
    rows = store.summaries(limit=10)
    assert len(rows) == 1, rows
    return store.get(rows[0].id)


def test_httpx_round_trip_is_byte_exact(running):
    body = bytes(range(256)) + b"\xff\xfe not utf-8 \xc3\x28"
    headers = [("X-Dup", "first"), ("x-dup", "second"), ("Content-Encoding", "gzip")]
    response = httpx.post(running.url + "a%2Fb/c+d?q=1+2&r=%2F", content=body, headers=headers)
    assert response.status_code == 200
    capture = _only(running)
    assert response.json() == {"id": capture.id, "status": "captured"}
    assert capture.body == body
    assert capture.target == "/a%2Fb/c+d?q=1+2&r=%2F"
    assert capture.method == "POST"
    assert [h for h in capture.headers if h[0].lower() == "x-dup"] == [
        ("X-Dup", "first"),
        ("x-dup", "second"),
    ]
    assert capture.header("content-encoding") == "gzip"  # kept, body not inflated
    assert capture.remote_ip == "127.0.0.1"
    assert abs(capture.received_at_us / 1e6 - time.time()) < 60
    assert capture.response.startswith(b"HTTP/1.1 200 OK\r\n")


def test_raw_head_is_kept_exactly_as_sent(running):
    head = b"PATCH /x?y=%zz HTTP/1.1\r\nHost: h\r\nX-Spaces:   padded value  \r\nx-CaSe: 1"
    raw = head + b"\r\nContent-Length: 2\r\n\r\nok"
    answer = running.exchange(raw)
    assert _status(answer) == 200
    capture = _only(running)
    assert capture.raw_head == head + b"\r\nContent-Length: 2"
    assert ("X-Spaces", "padded value") in capture.headers
    assert ("x-CaSe", "1") in capture.headers
    assert capture.target == "/x?y=%zz"


def test_gzip_body_stays_compressed(running):
    packed = gzip.compress(b'{"event": "ping"}')
    httpx.post(running.url, content=packed, headers={"Content-Encoding": "gzip"})
    assert _only(running).body == packed


def test_extension_method_is_captured(running):
    answer = running.exchange(b"FROBNICATE /thing HTTP/1.1\r\nHost: x\r\n\r\n")
    assert _status(answer) == 200
    capture = _only(running)
    assert (capture.method, capture.outcome) == ("FROBNICATE", Outcome.CAPTURED)


def test_too_large_body_gets_413_and_an_entry(make_service):
    running = make_service(max_body=1000)
    response = httpx.post(
        running.url + "big", content=b"x" * 5000, headers={"X-Event": "huge", "Content-Type": "a/b"}
    )
    assert response.status_code == 413
    capture = _only(running)
    assert capture.outcome == Outcome.TOO_LARGE
    assert capture.declared_size == 5000
    assert capture.header("x-event") == "huge"
    assert capture.target == "/big"
    assert "1000 byte limit" in capture.reason
    assert response.json()["id"] == capture.id


def test_too_large_chunked_body_gets_413(make_service):
    running = make_service(max_body=100)
    chunks = b"".join(b"40\r\n" + b"y" * 64 + b"\r\n" for _ in range(4)) + b"0\r\n\r\n"
    answer = running.exchange(
        b"POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks
    )
    assert _status(answer) == 413
    assert _only(running).outcome == Outcome.TOO_LARGE


def test_chunked_body_is_reassembled_with_trailers(running):
    raw = (
        b"POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n"
    )
    assert _status(running.exchange(raw)) == 200
    capture = _only(running)
    assert capture.body == b"hello world"
    assert capture.trailers == (("X-Trailer", "t"),)
    assert ("X-Trailer", "t") not in capture.headers


def test_malformed_request_line_gets_400_and_an_entry(running):
    answer = running.exchange(b"THIS IS NOT HTTP\r\nHost: x\r\n\r\n")
    assert _status(answer) == 400
    capture = _only(running)
    assert capture.outcome == Outcome.BAD_REQUEST
    assert "malformed request line" in capture.reason
    assert capture.raw_head.startswith(b"THIS IS NOT HTTP")
    assert b"malformed request line" in answer


def test_malformed_header_gets_400_with_readable_parts_kept(running):
    answer = running.exchange(b"POST /h HTTP/1.1\r\nHost: x\r\nBad Header\r\nX-Ok: 1\r\n\r\n")
    assert _status(answer) == 400
    capture = _only(running)
    assert (capture.method, capture.target) == ("POST", "/h")
    assert ("X-Ok", "1") in capture.headers
    assert "malformed header line" in capture.reason


def test_conflicting_content_length_is_refused(running):
    raw = b"POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd"
    assert _status(running.exchange(raw)) == 400
    assert "conflicting Content-Length" in _only(running).reason


def test_oversize_head_gets_431_and_an_entry(make_service):
    running = make_service(max_head=4096)
    raw = b"GET / HTTP/1.1\r\nX-Big: " + b"a" * 10_000 + b"\r\n\r\n"
    assert _status(running.exchange(raw)) == 431
    capture = _only(running)
    assert capture.outcome == Outcome.BAD_REQUEST
    assert (capture.method, capture.target) == ("GET", "/")
    assert len(capture.raw_head) <= 4096


def test_tls_handshake_is_named(running):
    answer = running.exchange(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 40)
    assert _status(answer) == 400
    assert "TLS" in _only(running).reason


def test_unsupported_http_version_gets_505(running):
    assert _status(running.exchange(b"GET / HTTP/3.0\r\n\r\n")) == 505


def test_half_closed_client_still_gets_answer_and_capture(running):
    # What `nc -N` does: send a complete request, then shut down the write side.
    answer = running.exchange(b"POST /nc HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc")
    assert _status(answer) == 200
    assert _only(running).body == b"abc"


def test_eof_mid_body_is_recorded(running):
    answer = running.exchange(b"POST /cut HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc")
    assert _status(answer) == 400
    capture = _only(running)
    assert capture.outcome == Outcome.BAD_REQUEST
    assert capture.body == b"abc"
    assert "3 of 10 body bytes" in capture.reason


def test_keep_alive_and_pipelining_answer_in_order(running):
    one = b"POST /1 HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\na"
    two = b"POST /2 HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nb"
    with running.connect() as sock:
        sock.sendall(one + two)
        first, second = read_responses(sock, 2)  # they may arrive in one segment
        sock.sendall(b"GET /3 HTTP/1.1\r\nHost: x\r\n\r\n")
        third = read_response(sock)
    ids = [json.loads(r.partition(b"\r\n\r\n")[2])["id"] for r in (first, second, third)]
    assert ids == sorted(ids) and len(set(ids)) == 3
    store = running.store()
    assert [store.get(i).target for i in ids] == ["/1", "/2", "/3"]


def test_expect_continue_gets_100_first(running):
    with running.connect() as sock:
        sock.sendall(
            b"POST /e HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n"
        )
        interim = sock.recv(100)
        assert interim == b"HTTP/1.1 100 Continue\r\n\r\n"
        sock.sendall(b"ok")
        assert _status(read_response(sock)) == 200
    assert _only(running).body == b"ok"


def test_head_request_gets_no_body(running):
    answer = running.exchange(b"HEAD /h HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    head, _, rest = answer.partition(b"\r\n\r\n")
    assert b"Content-Length: " in head and rest == b""


def test_http10_without_keep_alive_is_closed(running):
    with running.connect() as sock:
        sock.sendall(b"GET /old HTTP/1.0\r\n\r\n")
        answer = read_all(sock)  # returns only because the server closed
    assert _status(answer) == 200


def test_trickling_client_times_out_without_delaying_others(make_service):
    running = make_service(head_timeout_s=1.0)
    slow = running.connect()
    slow.sendall(b"POST /slow HTTP/1.1\r\nHo")
    started = time.monotonic()
    for i in range(5):
        assert httpx.post(running.url + f"fast{i}", content=b"x").status_code == 200
    assert time.monotonic() - started < 0.9  # answered while the slow head was still open
    slow.settimeout(5)
    answer = read_all(slow)
    slow.close()
    assert _status(answer) == 408
    store = running.store()
    timed_out = [s for s in store.summaries() if s.outcome == Outcome.TIMEOUT]
    assert len(timed_out) == 1 and timed_out[0].target == "/slow"


def test_idle_connection_is_closed_without_an_entry(make_service):
    running = make_service(head_timeout_s=0.5)
    with running.connect() as sock:
        assert read_all(sock) == b""
    assert running.store().count() == 0


def test_hundred_concurrent_keep_alive_connections(running):
    errors: list[BaseException] = []

    def client(n: int) -> None:
        try:
            with running.connect(timeout=20) as sock:
                for k in range(5):
                    body = f"{n}-{k}".encode()
                    sock.sendall(
                        b"POST /c/%d HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n%s"
                        % (n, len(body), body)
                    )
                    assert _status(read_response(sock)) == 200
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(100)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    store = running.store()
    assert store.count() == 500
    bodies = {c.body for c in store.iter_captures()}
    assert bodies == {f"{n}-{k}".encode() for n in range(100) for k in range(5)}


def test_connections_over_the_cap_wait_for_a_slot(make_service):
    running = make_service(max_connections=2)
    holders = [running.connect(), running.connect()]
    for sock in holders:
        sock.sendall(b"POST /h HTTP/1.1\r\nContent-Length: 4\r\n\r\nab")  # mid-body
    time.sleep(0.2)
    third = running.connect()
    third.sendall(b"GET /third HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    third.settimeout(0.5)
    try:
        early = third.recv(100)
    except TimeoutError:
        early = b""
    assert early == b""  # parked: both slots are busy
    holders[0].sendall(b"cd")
    assert _status(read_response(holders[0])) == 200
    holders[0].close()
    third.settimeout(5)
    assert _status(read_all(third)) == 200
    third.close()
    holders[1].close()


def test_store_failure_answers_503(running):
    import sqlite3

    db = sqlite3.connect(running.db_path)
    db.execute("DROP TABLE bodies")
    db.commit()
    db.close()
    response = httpx.post(running.url, content=b"x")
    assert response.status_code == 503
    assert "nothing was stored" in response.text


def test_default_bind_is_loopback():
    from webhook_inspector.core.listener import ListenerConfig

    assert ListenerConfig().host == "127.0.0.1"


def test_socket_reset_mid_request_is_recorded(running):
    sock = running.connect()
    sock.sendall(b"POST /reset HTTP/1.1\r\nContent-Length: 100\r\n\r\npartial")
    time.sleep(0.1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    sock.close()  # RST
    deadline = time.monotonic() + 5
    while running.store().count() == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    capture = _only(running)
    assert capture.body == b"partial" and capture.outcome == Outcome.BAD_REQUEST
