"""The highlighting worker pool: big bodies lexed on processes, imported and started lazily."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import asyncio
    import multiprocessing.context
    from concurrent.futures import ProcessPoolExecutor

    from webhook_inspector.core.highlight import Blocks, SpanChunk

log = logging.getLogger(__name__)

WORKER_NICENESS = 10
LEXING_MODULE = "webhook_inspector.core.highlight"  # pygments and the lexers: only on first use


def _mp_context() -> multiprocessing.context.BaseContext:
    import multiprocessing  # noqa: PLC0415 - start-up time: the window paints before the pool

    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([LEXING_MODULE])  # workers start with pygments imported
        return context
    return multiprocessing.get_context("spawn")


def _lower_priority() -> None:
    """Let the UI process win the CPU: on a 2-core machine the workers would otherwise stall it."""
    if hasattr(os, "nice"):
        os.nice(WORKER_NICENESS)


class Highlighter:
    """Lexes big bodies on a worker process pool, started on first use and reused.

    Cheap to create and to import: neither pygments nor multiprocessing is loaded until the
    first big body. Call from a coroutine on the loop that consumes the spans; close() when
    the app ends.
    """

    def __init__(self, workers: int | None = None) -> None:
        self._workers = workers or max(1, min(2, os.cpu_count() or 1))
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def _executor(self) -> ProcessPoolExecutor:
        from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415

        from webhook_inspector.core.highlight import warm_lexer  # noqa: PLC0415

        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    self._workers, mp_context=_mp_context(), initializer=_lower_priority
                )
                for _ in range(self._workers):  # each submit starts a worker, blocking on it
                    self._pool.submit(warm_lexer, "json")
            return self._pool

    def warm(self) -> None:
        """Start the worker processes now (blocks ~0.2 s: call it off the UI thread)."""
        self._executor()

    async def chunks(self, lexer_name: str, text: str, blocks: Blocks) -> AsyncIterator[SpanChunk]:
        """Spans for every block of `text`, piece by piece, in the order the workers finish.

        Only a few pieces are in flight at a time, so slicing and sending them is spread out.
        Stopping the iteration (or cancelling its task) cancels the pieces not yet finished.
        """
        import asyncio  # noqa: PLC0415 - the pool is built before the window's first paint
        from concurrent.futures.process import BrokenProcessPool  # noqa: PLC0415

        from webhook_inspector.core.highlight import lex_piece, piece, plan_pieces  # noqa: PLC0415

        loop = asyncio.get_running_loop()
        # Starting workers waits for the fork server to import pygments: stalled the UI 190 ms.
        pool = self._pool or await loop.run_in_executor(None, self._executor)
        waiting = plan_pieces(lexer_name, blocks)[::-1]
        running: set[asyncio.Future[SpanChunk]] = set()
        try:
            while waiting or running:
                while waiting and len(running) <= self._workers:
                    first, stop = waiting.pop()
                    text_piece, starts, ends = piece(text, blocks, first, stop)
                    args = (lexer_name, text_piece, first, starts, ends)
                    running.add(loop.run_in_executor(pool, lex_piece, *args))
                finished, running = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
                for future in finished:
                    yield future.result()
        except BrokenProcessPool:
            log.warning("the highlighting worker stopped; this body stays plain")
            self._pool = None
        finally:
            for future in running:
                future.cancel()

    def close(self) -> None:
        """Stop the worker processes (pending pieces are dropped)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
