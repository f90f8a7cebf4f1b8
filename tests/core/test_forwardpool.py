"""Raw forwarding connections against a real socket server answering in every framing."""

from __future__ import annotations

import asyncio
import socket
import struct

import pytest
from targets import Answer, target

from webhook_inspector.core.errors import UsageError
from webhook_inspector.core.forwardpool import RawPool
from webhook_inspector.core.model import OutgoingRequest

REQUEST = OutgoingRequest("POST", "http://127.0.0.1/x")
HEAD = b"POST /x HTTP/1.1\r\nHost: t\r\nX-Case: Kept\r\nContent-Length: 3\r\n\r\n"


async def _serve(answers: list[bytes], seen: list[bytes], connections: list[int]):
    """A server answering each request with the next answer; it records the requests."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        while answers:
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
            seen.append(head + await reader.readexactly(length))
            answer = answers.pop(0)
            writer.write(answer)
            await writer.drain()
            framed = b"Content-Length" in answer or b"chunked" in answer
            if b"Connection: close" in answer or not framed:
                break
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1]


def test_framings_keep_alive_and_exact_bytes():
    async def main() -> None:
        seen: list[bytes] = []
        connections: list[int] = []
        answers = [
            b"HTTP/1.1 201 Created\r\nContent-Length: 2\r\nX-A: 1\r\n\r\nok",
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            b"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
            b"HTTP/1.1 202 Accepted\r\n\r\nuntil close",
        ]
        server, port = await _serve(answers, seen, connections)
        pool = RawPool(f"http://127.0.0.1:{port}/base")
        first = await pool.send(REQUEST, HEAD, b"abc", 5)
        second = await pool.send(REQUEST, HEAD, b"abc", 5)
        third = await pool.send(REQUEST, HEAD, b"abc", 5)
        await pool.close()
        server.close()
        assert (first.status, first.body, first.headers[1]) == (201, b"ok", ("X-A", "1"))
        assert (second.status, second.body) == (200, b"abcde")
        assert (third.status, third.body) == (202, b"until close")
        assert seen[0] == HEAD + b"abc" and len(connections) == 1
        assert first.connect_ms is not None and second.connect_ms is None

    asyncio.run(main())


def test_a_closed_kept_alive_connection_is_retried_on_a_new_one():
    async def main() -> None:
        seen: list[bytes] = []
        connections: list[int] = []
        answers = [b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: keep-alive\r\n\r\n1"]
        server, port = await _serve(answers, seen, connections)
        pool = RawPool(f"http://127.0.0.1:{port}")
        assert (await pool.send(REQUEST, HEAD, b"abc", 5)).status == 200
        answers.append(b"HTTP/1.1 204 No Content\r\n\r\n")
        await asyncio.sleep(0.05)  # the server closed its side after its answers ran out
        again = await pool.send(REQUEST, HEAD, b"abc", 5)
        await pool.close()
        server.close()
        assert again.status == 204 and len(connections) == 2

    asyncio.run(main())


def test_refused_timeout_and_garbage_are_results():
    async def main() -> None:
        refused = await RawPool("http://127.0.0.1:9").send(REQUEST, HEAD, b"abc", 5)
        assert refused.error_kind == "refused" and "127.0.0.1:9" in refused.error

        async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await reader.read()  # never answers; returns when the pool gives up and closes
            writer.close()

        async def garbage(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await reader.readuntil(b"\r\n\r\n")
            writer.write(b"SSH-2.0-OpenSSH\r\n\r\n")
            await writer.drain()
            await reader.read()
            writer.close()

        slow = await asyncio.start_server(silent, "127.0.0.1", 0)
        bad = await asyncio.start_server(garbage, "127.0.0.1", 0)
        late = await RawPool(f"http://127.0.0.1:{slow.sockets[0].getsockname()[1]}").send(
            REQUEST, HEAD, b"abc", 0.2)  # fmt: skip
        odd = await RawPool(f"http://127.0.0.1:{bad.sockets[0].getsockname()[1]}").send(
            REQUEST, HEAD, b"abc", 5)  # fmt: skip
        await asyncio.sleep(0.1)  # let the handlers see the pool hang up and close their side
        slow.close()
        bad.close()
        await slow.wait_closed()
        await bad.wait_closed()
        assert late.error_kind == "timeout" and late.status is None
        assert odd.status is None and "no HTTP response" in odd.error

    asyncio.run(main())


def test_only_plain_http():
    with pytest.raises(UsageError, match="http://"):
        RawPool("https://example.com")


def test_requests_in_flight_together_get_their_own_answers_and_connections():
    async def main() -> None:
        seen: list[bytes] = []
        connections: list[int] = []
        close = b"Content-Length: 3\r\nConnection: close\r\n\r\n"
        answers = [
            b"HTTP/1.1 200 OK\r\n" + close + b"one",
            b"HTTP/1.1 201 Created\r\n" + close + b"two",
        ]
        server, port = await _serve(answers, seen, connections)
        pool = RawPool(f"http://127.0.0.1:{port}")
        got: list[tuple[str, int | None, bytes]] = []
        both = asyncio.Event()

        def answer(name: str):
            def record(exchange) -> None:
                got.append((name, exchange.status, exchange.body))
                if len(got) == 2:
                    both.set()

            return record

        pool.start(REQUEST, HEAD + b"abc", 5, answer("a"))
        pool.start(REQUEST, HEAD + b"abc", 5, answer("b"))
        await asyncio.wait_for(both.wait(), 5)
        await pool.close()
        server.close()
        assert sorted(body for _, _, body in got) == [b"one", b"two"]
        assert {name for name, _, _ in got} == {"a", "b"} and len(connections) == 2

    asyncio.run(main())


# Review (review4): interim answers, bytes past an answer, resets mid-body.

PLAIN_HEAD = b"POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\n"
EXPECT_HEAD = b"POST /x HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n"


async def _scripted(answers: list[bytes]) -> tuple[asyncio.Server, int, list[asyncio.Event]]:
    """Answers each request, on whichever connection, with the next of `answers` in one write."""
    ended: list[asyncio.Event] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        done = asyncio.Event()
        ended.append(done)
        try:
            while answers:
                await reader.readuntil(b"\r\n\r\n")
                await reader.readexactly(3)
                writer.write(answers.pop(0))
                await writer.drain()
            await reader.read()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass  # the pool hung up
        finally:
            writer.close()
            await writer.wait_closed()
            done.set()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1], ended


async def _shut(pool: RawPool, server: asyncio.Server, ended: list[asyncio.Event]) -> None:
    await pool.close()
    for done in ended:
        await asyncio.wait_for(done.wait(), 5)
    server.close()
    await server.wait_closed()


def test_an_interim_100_continue_is_not_the_answer():
    """A 1xx is interim (RFC 9110 §15.2): the final answer follows on the same connection."""

    async def main() -> None:
        first = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok"
        second = b"HTTP/1.1 202 Accepted\r\nContent-Length: 3\r\n\r\ntwo"
        server, port, ended = await _scripted([first, second])
        pool = RawPool(f"http://127.0.0.1:{port}")
        one = await pool.send(REQUEST, EXPECT_HEAD, b"abc", 5)
        two = await pool.send(REQUEST, PLAIN_HEAD, b"abc", 5)
        await _shut(pool, server, ended)
        assert (one.status, one.body) == (201, b"ok")
        assert (two.status, two.body) == (202, b"two")  # not the first request's 201

    asyncio.run(main())


def test_expect_100_continue_forwarded_to_an_aiohttp_target_gets_the_final_answer():
    """A curl upload (Expect: 100-continue) forwarded to a real aiohttp target."""

    async def main(url: str) -> tuple[int | None, bytes]:
        pool = RawPool(url)
        exchange = await pool.send(REQUEST, EXPECT_HEAD, b"abc", 5)
        await pool.close()
        return exchange.status, exchange.body

    with target(Answer(status=201, body=b"made")) as t:
        assert asyncio.run(main(t.url)) == (201, b"made")


def test_bytes_after_a_framed_answer_never_answer_the_next_request():
    """Bytes past Content-Length are not a later request's answer."""

    async def main() -> None:
        first = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
        first += b"HTTP/1.1 299 Stale\r\nContent-Length: 0\r\n\r\n"  # one answer too many
        second = b"HTTP/1.1 202 Accepted\r\nContent-Length: 3\r\n\r\ntwo"
        server, port, ended = await _scripted([first, second])
        pool = RawPool(f"http://127.0.0.1:{port}")
        one = await pool.send(REQUEST, PLAIN_HEAD, b"abc", 5)
        two = await pool.send(REQUEST, PLAIN_HEAD, b"abc", 5)
        await _shut(pool, server, ended)
        assert one.status == 200
        assert (two.status, two.body) == (202, b"two")  # on a fresh connection, not the stale 299

    asyncio.run(main())


def test_a_reset_in_the_middle_of_an_unframed_body_is_not_a_whole_answer():
    """Only a clean close ends a body without framing; the old pool reported a reset as such."""

    async def main() -> None:
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await reader.readuntil(b"\r\n\r\n")
            await reader.readexactly(3)
            writer.write(b"HTTP/1.1 200 OK\r\n\r\npart of")
            await writer.drain()
            await asyncio.sleep(0.2)  # the pool has read the part by now
            sock = writer.get_extra_info("socket")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            writer.transport.abort()  # RST, not FIN
            await writer.wait_closed()

        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        pool = RawPool(f"http://127.0.0.1:{port}")
        got = await pool.send(REQUEST, PLAIN_HEAD, b"abc", 5)
        await pool.close()
        server.close()
        await server.wait_closed()
        assert got.status is None and got.error_kind == "network", (got.status, got.body)

    asyncio.run(main())
