"""The delivery simulator against a real target."""

from __future__ import annotations

from targets import run, target

from webhook_inspector.core.model import OutgoingRequest
from webhook_inspector.core.sender import Sender
from webhook_inspector.core.simulator import burst, duplicates, shuffled


async def with_sender(fn, *args, **kw):
    async with Sender() as sender:
        return await fn(sender, *args, **kw)


def test_duplicates_send_the_same_bytes_n_times():
    with target() as t:
        request = OutgoingRequest("POST", t.url, (("Idempotency-Key", "k1"),), b'{"id": 1}')
        results = run(with_sender(duplicates, request, 4))
    assert [r.status for r in results] == [200] * 4
    assert len({(s.body, s.headers) for s in t.seen}) == 1 and len(t.seen) == 4


def test_burst_sends_everything_concurrently_and_keeps_result_order():
    with target() as t:
        requests = [OutgoingRequest("POST", f"{t.url}/{n}", body=b"%d" % n) for n in range(30)]
        results = run(with_sender(burst, requests, concurrency=8, rate_per_s=1000))
    assert [r.request.url for r in results] == [r.url for r in requests]
    assert sorted(s.raw_path for s in t.seen) == sorted(f"/{n}" for n in range(30))


def test_shuffled_sends_a_permutation_in_a_seeded_order():
    with target() as t:
        requests = [OutgoingRequest("POST", f"{t.url}/{n}") for n in range(10)]
        results = run(with_sender(shuffled, requests, seed=3))
    sent = [s.raw_path for s in t.seen]
    assert sent == [r.request.url.removeprefix(t.url) for r in results]
    assert sorted(sent) == sorted(f"/{n}" for n in range(10)) and sent != [
        f"/{n}" for n in range(10)
    ]
