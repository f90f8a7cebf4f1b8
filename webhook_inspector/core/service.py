"""The capture service: listener and store writer together, on whichever loop runs it."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from pathlib import Path

from webhook_inspector.core import httpwire
from webhook_inspector.core.indexer import SearchIndexer
from webhook_inspector.core.listener import Done, Failed, Listener, ListenerConfig
from webhook_inspector.core.model import CapturedRequest
from webhook_inspector.core.store import StoreWriter

log = logging.getLogger(__name__)

Observer = Callable[[int, CapturedRequest], None]


class DefaultResponder:
    """Answers 200 with `{"id": N}` for captures, and the refusal status with its reason."""

    def __init__(self) -> None:
        self._date = httpwire.DateCache()

    def __call__(self, capture: CapturedRequest, capture_id: int) -> bytes:
        """Render the full response for `capture`, now stored as `capture_id`."""
        status = capture.status
        connection = (capture.header("connection") or "").lower()
        close = (
            status >= 400
            or "close" in connection
            or (capture.http_version == "1.0" and "keep-alive" not in connection)
        )
        return httpwire.render_response(
            status,
            httpwire.default_answer(capture_id, status, capture.reason),
            date=self._date.now(),
            close=close,
            head_only=capture.method == "HEAD",
        )


class CaptureService:
    """Listens, stores every request durably, then answers; tells observers of each capture.

    Runs on the loop that calls `start`. Observers are called on that loop with
    `(id, capture)` after the capture is committed; they must be quick and must not raise.
    The search indexer runs beside it on its own thread (`index_progress(indexed_id, last_id)`
    is called there).
    """

    def __init__(
        self,
        config: ListenerConfig,
        db_path: Path | str,
        index_progress: Callable[[int, int], None] | None = None,
    ) -> None:
        self.config = config
        self.writer = StoreWriter(db_path, DefaultResponder())
        self.indexer = SearchIndexer(db_path, index_progress)
        self.listener = Listener(config, self._sink)
        self._observers: list[Observer] = []

    @property
    def url(self) -> str:
        """The listening base URL (the real port once started)."""
        return self.listener.url

    def add_observer(self, observer: Observer) -> None:
        """Call `observer(id, capture)` for every committed capture."""
        self._observers.append(observer)

    async def start(self) -> None:
        """Start the writer thread and bind the listener. Raises OSError if binding fails."""
        self.writer.start(asyncio.get_running_loop())
        try:
            await self.listener.start()
        except BaseException:
            await asyncio.to_thread(self.writer.stop)
            self.indexer.stop()
            raise
        self.indexer.start()

    async def stop(self) -> None:
        """Stop accepting, answer what is in flight, commit everything, close the store."""
        await self.listener.stop()
        await asyncio.to_thread(self.writer.stop)
        await asyncio.to_thread(self.indexer.stop)

    def _sink(self, capture: CapturedRequest, done: Done, failed: Failed) -> None:
        if not self._observers:
            self.writer.submit(capture, done, failed)
            return

        def notify(capture_id: int, response: bytes) -> None:
            done(capture_id, response)
            for observer in self._observers:
                try:
                    observer(capture_id, capture)
                except Exception:
                    log.exception("capture observer failed")

        self.writer.submit(capture, notify, failed)


class ServiceThread:
    """Runs a CaptureService on its own thread and plain asyncio loop (the app's layout).

    Nothing the caller's thread does (a modal dialog, a slow repaint) can stall capture.
    `start` and `stop` block until the service is bound or fully stopped.
    """

    def __init__(self, service: CaptureService) -> None:
        self.service = service
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._stopped: asyncio.Event | None = None

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        """The service's loop (use `call_soon_threadsafe` to reach it)."""
        assert self._loop is not None
        return self._loop

    def start(self, timeout_s: float = 10.0) -> None:
        """Start the thread and wait until the listener is bound. Re-raises a bind error."""
        self._thread = threading.Thread(target=self._run, name="capture-service", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout_s):
            raise TimeoutError("the capture service did not start")
        if self._error is not None:
            self._thread.join()
            raise self._error

    def stop(self, timeout_s: float = 30.0) -> None:
        """Stop the service (answering and committing what is in flight) and join the thread."""
        if self._thread is None:
            return
        if self._loop is not None and self._stopped is not None:
            self._loop.call_soon_threadsafe(self._stopped.set)
        self._thread.join(timeout_s)
        self._thread = None

    def _run(self) -> None:
        asyncio.run(self._main())

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopped = asyncio.Event()
        try:
            await self.service.start()
        except BaseException as exc:
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        await self._stopped.wait()
        await self.service.stop()
