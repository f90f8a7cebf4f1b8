"""Delivery simulator for idempotency tests: duplicates, a paced burst, a shuffled order."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Sequence

from webhook_inspector.core.errors import UsageError
from webhook_inspector.core.model import Exchange, OutgoingRequest
from webhook_inspector.core.sender import Sender, SendOptions, Signer


async def duplicates(
    sender: Sender,
    request: OutgoingRequest,
    count: int,
    *,
    options: SendOptions | None = None,
    sign: Signer | None = None,
) -> list[Exchange]:
    """Send the same request `count` times, one after the other, as a provider's redelivery."""
    options = options or SendOptions()
    return [await sender.send(request, options, sign=sign) for _ in range(count)]


async def burst(
    sender: Sender,
    requests: Sequence[OutgoingRequest],
    *,
    rate_per_s: float = 0.0,
    concurrency: int = 16,
    options: SendOptions | None = None,
    sign: Signer | None = None,
) -> list[Exchange]:
    """Send every request, at most `concurrency` at once, starting `rate_per_s` a second (0: all).

    Results come back in the order of `requests`.
    """
    if concurrency < 1 or rate_per_s < 0:
        raise UsageError("a burst needs concurrency >= 1 and a rate >= 0")
    options = options or SendOptions()
    results: list[Exchange | None] = [None] * len(requests)
    gate = asyncio.Semaphore(concurrency)
    start = time.monotonic()

    async def one(index: int) -> None:
        if rate_per_s:
            await asyncio.sleep(max(0.0, start + index / rate_per_s - time.monotonic()))
        async with gate:
            results[index] = await sender.send(requests[index], options, sign=sign)

    async with asyncio.TaskGroup() as group:
        for index in range(len(requests)):
            group.create_task(one(index), name=f"burst-{index}")
    return [r for r in results if r is not None]


async def shuffled(
    sender: Sender,
    requests: Sequence[OutgoingRequest],
    *,
    seed: int | None = None,
    options: SendOptions | None = None,
    sign: Signer | None = None,
) -> list[Exchange]:
    """Send the requests one by one in a shuffled order (out-of-order delivery); sent order out."""
    order = list(requests)
    random.Random(seed).shuffle(order)
    options = options or SendOptions()
    return [await sender.send(request, options, sign=sign) for request in order]
