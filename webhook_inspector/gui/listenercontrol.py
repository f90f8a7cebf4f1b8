"""Starts and stops the capture service on its own thread, off the UI thread."""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from webhook_inspector.core.errors import InspectorError
from webhook_inspector.core.listener import ListenerConfig
from webhook_inspector.core.service import CaptureService, ServiceThread
from webhook_inspector.core.verification import Profile, Verifier
from webhook_inspector.gui.capturemodel import CaptureBridge


class ListenerControl(QObject):
    """Owns the capture service thread; restarts it on another address when asked.

    Signals: state_changed(str) — the listening URL, or "" when stopped;
    failed(str) — a message for the message bar (port in use …).
    """

    state_changed = Signal(str)
    failed = Signal(str)

    def __init__(
        self, db_path: Path, bridge: CaptureBridge, config: ListenerConfig,
        parent: QObject | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.db_path = db_path
        self.config = config
        self._bridge = bridge
        self._thread: ServiceThread | None = None
        self._busy = asyncio.Lock()
        self.verifier: Verifier | None = None

    @property
    def url(self) -> str:
        """The listening URL, or "" when stopped."""
        return self._thread.service.url if self._thread is not None else ""

    @property
    def running(self) -> bool:
        """Whether the listener is accepting requests."""
        return self._thread is not None

    def set_profiles(self, profiles: list[Profile]) -> bool:
        """Verify new captures with `profiles` from now on; report a missing secret (False)."""
        if not profiles:
            self.verifier = None
        else:
            try:
                self.verifier = Verifier(profiles)
            except InspectorError as exc:
                self.verifier = None
                self.failed.emit(f"signatures are not verified: {exc}")
                return False
        if self._thread is not None:
            self._thread.service.verifier = self.verifier  # one reference swap: thread-safe
        return True

    def start_now(self) -> None:
        """Start on the calling thread (app start-up). Raises InspectorError if binding fails."""
        self._thread = self._bind(self.config)
        self.state_changed.emit(self.url)

    async def start(self, host: str | None = None, port: int | None = None) -> bool:
        """Bind (host, port) after stopping the current listener; report failures, never raise."""
        async with self._busy:
            config = dataclasses.replace(
                self.config,
                host=self.config.host if host is None else host,
                port=self.config.port if port is None else port,
            )
            await self._stop()
            try:
                self._thread = await asyncio.to_thread(self._bind, config)
            except InspectorError as exc:
                self.failed.emit(f"{exc}. Choose another address or port in the toolbar.")
                self.state_changed.emit("")
                return False
            self.config = config
            self.state_changed.emit(self.url)
            return True

    async def stop(self) -> None:
        """Stop accepting requests (in-flight ones are answered and committed)."""
        async with self._busy:
            await self._stop()
            self.state_changed.emit("")

    def stop_now(self) -> None:
        """Stop on the calling thread (app shutdown)."""
        if self._thread is not None:
            self._thread.stop()
            self._thread = None

    async def _stop(self) -> None:
        if self._thread is not None:
            thread, self._thread = self._thread, None
            await asyncio.to_thread(thread.stop)

    def _bind(self, config: ListenerConfig) -> ServiceThread:
        service = CaptureService(config, self.db_path, verifier=self.verifier)
        service.add_observer(self._bridge.on_capture)
        thread = ServiceThread(service)
        try:
            thread.start()
        except OSError as exc:
            raise InspectorError(
                f"cannot listen on {config.host}:{config.port}: {exc.strerror or exc}"
            ) from exc
        return thread
