"""Review findings: interim answers, leftover bytes and resets on raw forwarding connections."""

from __future__ import annotations

import asyncio
import socket
import struct

from targets import Answer, target

from webhook_inspector.core.forwardpool import RawPool
from webhook_inspector.core.model import OutgoingRequest

REQUEST = OutgoingRequest("POST", "http://127.0.0.1/x")
HEAD = b"POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\n"
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
        two = await pool.send(REQUEST, HEAD, b"abc", 5)
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
        one = await pool.send(REQUEST, HEAD, b"abc", 5)
        two = await pool.send(REQUEST, HEAD, b"abc", 5)
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
        got = await pool.send(REQUEST, HEAD, b"abc", 5)
        await pool.close()
        server.close()
        await server.wait_closed()
        assert got.status is None and got.error_kind == "network", (got.status, got.body)

    asyncio.run(main())
