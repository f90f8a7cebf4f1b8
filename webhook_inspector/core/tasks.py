"""Named background tasks that stay referenced until they end.

asyncio is imported on first use, not with this module: the window imports this before its first
paint, and asyncio's own import costs ~60 ms of start-up (DESIGN §6).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import asyncio

T = TypeVar("T")

_running: set[asyncio.Task[Any]] = set()  # exists only to keep running tasks alive


def spawn(coro: Coroutine[Any, Any, T], *, name: str) -> asyncio.Task[T]:
    """Start `coro` as a named task and keep it referenced until it ends."""
    import asyncio  # noqa: PLC0415 - see the module docstring

    task = asyncio.get_running_loop().create_task(coro, name=name)
    _running.add(task)
    task.add_done_callback(_running.discard)
    return task


async def to_thread(fn: Callable[..., T], /, *args: Any) -> T:
    """Run `fn(*args)` on a worker thread and return its result (`asyncio.to_thread`)."""
    import asyncio  # noqa: PLC0415 - see the module docstring

    return await asyncio.to_thread(fn, *args)
