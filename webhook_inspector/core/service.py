"""The capture service: listener and store writer together, on whichever loop runs it."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from webhook_inspector.core import httpwire
from webhook_inspector.core.indexer import SearchIndexer
from webhook_inspector.core.listener import Done, Failed, Listener, ListenerConfig
from webhook_inspector.core.model import CapturedRequest, Exchange, Outcome
from webhook_inspector.core.store import StoreWriter, insert_forwards
from webhook_inspector.core.tasks import spawn

if TYPE_CHECKING:
    from webhook_inspector.core.forwarder import Forwarder, ForwardSettings
    from webhook_inspector.core.sender import Sender
    from webhook_inspector.core.verification import (
        Verifier,  # forwarding (and httpx with it) is imported only when it is switched on
    )

log = logging.getLogger(__name__)

Observer = Callable[[int, CapturedRequest], None]
MAX_PENDING_FORWARDS = 10_000
# With --forward-answer target, observers (the list, the CLI's lines) hear of a capture when the
# sender gets the target's answer, or this long after it arrived if the target is slower.
OBSERVE_AFTER_S = 0.05
FORWARD_GRACE_S = 10.0
# Forward records (the target's answer, stored with the capture) are written in batches of up
# to RECORD_BATCH, at most RECORD_DELAY_S after the first (and all of them on stop). With one
# transaction each, a sender sending its next request at once found the writer busy with the
# last record (+0.4 ms p50 at c=1); riding in the next capture's commit, they made it end after
# the target's answer (+0.27 ms). Batched, a record costs 0.035 ms of the writer's CPU, not 0.1.
RECORD_BATCH = 64
RECORD_DELAY_S = 0.25

Record = tuple[int, Exchange, bytes | None]  # capture id, forward exchange, answer sent (if any)


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
    is called there). With forwarding on, each capture is also sent to the target (see
    core/forwarder.py) and the exchange is stored as a send of kind "forward" linked to it.
    """

    def __init__(
        self,
        config: ListenerConfig,
        db_path: Path | str,
        index_progress: Callable[[int, int], None] | None = None,
        *,
        forward: ForwardSettings | None = None,
        verifier: Verifier | None = None,
        index: bool = True,
    ) -> None:
        self.config = config
        self.writer = StoreWriter(db_path, DefaultResponder())
        # index=False leaves the search index to another process (or to nobody: search then
        # scans what is not indexed); benchmarks use it to measure what indexing costs.
        self.indexer = SearchIndexer(db_path, index_progress, writer=self.writer) if index else None
        self.listener = Listener(config, self._sink)
        self._observers: list[Observer] = []
        self._forwarder: Forwarder | None = None
        self._sender: Sender | None = None
        self._forwards: set[asyncio.Task[None]] = set()
        self._joins: set[_TargetAnswer] = set()
        self._drained: asyncio.Future[None] | None = None
        self._records: list[Record] = []
        self._records_timer: asyncio.TimerHandle | None = None
        self.forwards_skipped = 0
        self.set_forwarding(forward)
        # Checked before the commit, so the verdict is as durable as the capture.
        self.verifier = verifier

    @property
    def forwarding(self) -> ForwardSettings | None:
        """Where captures are forwarded, or None."""
        return None if self._forwarder is None else self._forwarder.settings

    def set_forwarding(self, settings: ForwardSettings | None) -> None:
        """Switch forwarding on (to `settings`) or off; call on the service's loop or before start.

        From another thread use `loop.call_soon_threadsafe(service.set_forwarding, settings)`.
        """
        old, self._forwarder = self._forwarder, None
        if old is not None:  # its kept-alive connections to the old target
            with contextlib.suppress(RuntimeError):  # no running loop: nothing was opened yet
                spawn(old.aclose(), name="close forwarder")
        if settings is None:
            return
        from webhook_inspector.core.forwarder import Forwarder  # noqa: PLC0415 (pulls in httpx)
        from webhook_inspector.core.sender import Sender  # noqa: PLC0415

        if self._sender is None:
            self._sender = Sender()
        self._forwarder = Forwarder(settings, self._sender)

    @property
    def url(self) -> str:
        """The listening base URL (the real port once started)."""
        return self.listener.url

    def add_observer(self, observer: Observer) -> None:
        """Call `observer(id, capture)` on the service's loop for every committed capture."""
        self._observers.append(observer)

    async def start(self) -> None:
        """Start the writer thread and bind the listener. Raises OSError if binding fails."""
        self.writer.start(asyncio.get_running_loop())
        try:
            await self.listener.start()
        except BaseException:
            await asyncio.to_thread(self.writer.stop)
            if self.indexer is not None:
                self.indexer.stop()
            raise
        if self.indexer is not None:
            self.indexer.start()

    async def stop(self) -> None:
        """Stop accepting, answer what is in flight, finish forwards, commit everything, close."""
        await self.listener.stop()
        if self._joins:  # forwards whose sender waits for the target's answer
            self._drained = asyncio.get_running_loop().create_future()
            await asyncio.wait([self._drained], timeout=FORWARD_GRACE_S)
        if self._forwards:
            await asyncio.wait(set(self._forwards), timeout=FORWARD_GRACE_S)
        self._flush_records()
        if self._forwarder is not None:
            await self._forwarder.aclose()
        if self._sender is not None:
            await self._sender.aclose()
        await asyncio.to_thread(self.writer.stop)
        if self.indexer is not None:
            await asyncio.to_thread(self.indexer.stop)

    def _sink(self, capture: CapturedRequest, done: Done, failed: Failed) -> None:
        verifier = self.verifier
        if verifier is not None:
            try:
                capture = verifier.check(capture)
            except Exception:  # a verdict is a bonus: never lose the capture over it
                log.exception("signature verification failed")
        forwarder = self._forwarder
        if forwarder is not None and capture.outcome is Outcome.CAPTURED:
            if len(self._forwards) + len(self._joins) >= MAX_PENDING_FORWARDS:
                self.forwards_skipped += 1
            elif forwarder.settings.answer == "target":
                self._forward_first(forwarder, capture, done, failed)
                return
            else:
                done = self._forward_after(forwarder, capture, done)
        self._store(capture, done, failed)

    def _track(self, task: asyncio.Task[None]) -> None:
        self._forwards.add(task)
        task.add_done_callback(self._forwards.discard)

    def _forward_after(self, forwarder: Forwarder, capture: CapturedRequest, done: Done) -> Done:
        """A `done` that answers at once, then forwards the stored capture."""

        async def forward(capture_id: int) -> None:
            exchange = await forwarder.forward(capture)
            self._record_forward(capture_id, exchange)

        def stored(capture_id: int, response: bytes) -> None:
            done(capture_id, response)
            self._track(spawn(forward(capture_id), name=f"forward-{capture_id}"))

        return stored

    def _forward_first(
        self, forwarder: Forwarder, capture: CapturedRequest, done: Done, failed: Failed
    ) -> None:
        """Store and forward at once; answer with the target's response once both are done.

        Running the commit beside the forward costs the sender max(commit, forward), not their
        sum. The capture goes to the writer first, so that its commit starts as early as it can:
        queued after the forward was written, it waited whenever the woken target took this
        core (an A/B run: ~0.2 ms p50 worse). No task: the two results meet in a
        `_TargetAnswer`. The stored response is then set to what was really answered.
        """
        joined = _TargetAnswer(self, forwarder, capture, done, failed)
        self._joins.add(joined)
        try:
            self.writer.submit(capture, joined.stored, joined.not_stored, joined.settle)
            forwarder.start(capture, joined.forwarded)
        except BaseException:
            self._joins.discard(joined)  # the listener reports it; stop() must not wait for it
            raise

    def _answered(self, joined: _TargetAnswer) -> None:
        self._joins.discard(joined)
        if not self._joins and self._drained is not None and not self._drained.done():
            self._drained.set_result(None)

    def _record_forward(
        self, capture_id: int, exchange: Exchange, answer: bytes | None = None
    ) -> None:
        self._records.append((capture_id, exchange, answer))
        if len(self._records) >= RECORD_BATCH:
            self._flush_records()
        elif self._records_timer is None:
            loop = asyncio.get_running_loop()
            self._records_timer = loop.call_later(RECORD_DELAY_S, self._flush_records)

    def _flush_records(self) -> None:
        """Queue the waiting forward records as one write for the writer's next transaction."""
        if self._records_timer is not None:
            self._records_timer.cancel()
            self._records_timer = None
        if self._records:
            records, self._records = self._records, []
            self.writer.submit_write(functools.partial(insert_forwards, forwards=records))

    def _store(self, capture: CapturedRequest, done: Done, failed: Failed) -> None:
        if not self._observers:
            self.writer.submit(capture, done, failed)
            return

        def notify(capture_id: int, response: bytes) -> None:
            done(capture_id, response)
            self._notify(capture_id, capture)

        self.writer.submit(capture, notify, failed)

    def _notify(self, capture_id: int, capture: CapturedRequest) -> None:
        for observer in self._observers:
            try:
                observer(capture_id, capture)
            except Exception:
                log.exception("capture observer failed")


class _TargetAnswer:
    """One capture forwarded with the target's answer for its sender: commit and forward meet.

    Whichever of the commit and `forwarded` comes last answers the sender, on the service's
    loop. The commit usually lands first (93 % of requests at c=1): the writer then only notes
    it in `settle`, under a lock, and does not wake the loop, which answers when the target
    does (a wake is ~0.1 ms of this thread's time a request: two recv() on its self-pipe and
    one more loop turn). If the target answered first, the commit comes through `stored`.
    Observers hear of the capture once the sender has its answer (waking an observer's thread,
    the CLI's line printer, on the way to the answer cost this loop 0.05-0.1 ms; from the
    writer thread it cost ~0.1 ms too, in A/B runs), or OBSERVE_AFTER_S after it arrived if the
    target is slower: a target stopped at a breakpoint must not keep the capture out of the list.
    """

    __slots__ = ("_capture", "_capture_id", "_done", "_error", "_exchange", "_failed",
                 "_forwarder", "_lock", "_notified", "_service", "_timer")  # fmt: skip

    def __init__(
        self,
        service: CaptureService,
        forwarder: Forwarder,
        capture: CapturedRequest,
        done: Done,
        failed: Failed,
    ) -> None:
        self._service = service
        self._forwarder = forwarder
        self._capture = capture
        self._done = done
        self._failed = failed
        self._capture_id: int | None = None
        self._error: BaseException | None = None
        self._exchange: Exchange | None = None
        self._lock = threading.Lock()
        self._notified = False
        self._timer: asyncio.TimerHandle | None = None
        if service._observers:
            self._timer = asyncio.get_running_loop().call_later(OBSERVE_AFTER_S, self._observe)

    def settle(self, capture_id: int, response: bytes) -> bool:
        """Writer thread: note the commit; False if the target answered first (then `stored`)."""
        with self._lock:
            if self._exchange is not None:
                return False
            self._capture_id = capture_id
        return True

    def stored(self, capture_id: int, response: bytes) -> None:
        """The capture is committed as `capture_id`, and the target has answered."""
        self._capture_id = capture_id
        self._answer()

    def not_stored(self, exc: BaseException) -> None:
        """The commit failed: the sender gets the listener's failure answer."""
        self._error = exc
        if self._exchange is not None:
            self._answer()

    def forwarded(self, exchange: Exchange) -> None:
        """The target answered (or forwarding failed, as the exchange says)."""
        with self._lock:
            self._exchange = exchange
            committed = self._capture_id is not None
        if committed or self._error is not None:
            self._answer()

    def _observe(self) -> None:
        """The target is slow: observers hear of the capture now, or once it is committed."""
        if self._capture_id is None:  # set by the writer thread (settle) or by `stored`
            loop = asyncio.get_running_loop()
            self._timer = loop.call_later(OBSERVE_AFTER_S, self._observe)
            return
        self._timer = None
        self._notified = True
        self._service._notify(self._capture_id, self._capture)

    def _answer(self) -> None:
        service, exchange = self._service, self._exchange
        assert exchange is not None
        service._answered(self)
        if self._timer is not None:
            self._timer.cancel()
        if self._capture_id is None:
            self._failed(self._error or RuntimeError("the capture was not stored"))
            return
        answer = self._forwarder.answer_for(exchange, self._capture)
        self._done(self._capture_id, answer)
        service._record_forward(self._capture_id, exchange, answer)
        if not self._notified:
            service._notify(self._capture_id, self._capture)


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
