"""Composition root of the desktop app: QApplication, qasync loop, capture service, window."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import qasync
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from webhook_inspector.core.errors import InspectorError
from webhook_inspector.core.listener import ListenerConfig
from webhook_inspector.core.service import CaptureService, ServiceThread
from webhook_inspector.core.store import Store
from webhook_inspector.gui.capturemodel import CaptureBridge
from webhook_inspector.gui.mainwindow import MainWindow

log = logging.getLogger(__name__)

SCREENSHOT_DELAY_MS = 400


@dataclass(frozen=True, slots=True)
class AppOptions:
    """What the command line asked of the desktop app."""

    db_path: Path
    host: str = "127.0.0.1"
    port: int = 8765
    screenshot: Path | None = None


def _check_display() -> None:
    """Fail with one clear line instead of Qt's abort when there is no screen to show on."""
    if sys.platform != "linux" or os.environ.get("QT_QPA_PLATFORM"):
        return
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        raise InspectorError(
            "no display available: run 'webhook-inspector listen' for headless capture, "
            "or set QT_QPA_PLATFORM=offscreen"
        )


def run(options: AppOptions) -> int:
    """Open the main window and run until it is closed; return the exit code."""
    _check_display()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Webhook Inspector")
    app.setOrganizationName("webhook-inspector")
    app.setStyle("Fusion")
    store = Store(options.db_path)
    config = ListenerConfig(host=options.host, port=options.port)

    if options.screenshot is not None:
        url = f"http://{config.host}:{config.port}/"
        window = MainWindow(store, url)
        return _screenshot(app, window, options.screenshot)

    service = CaptureService(config, options.db_path)
    bridge = CaptureBridge()
    service.add_observer(bridge.on_capture)
    thread = ServiceThread(service)
    try:
        thread.start()
    except OSError as exc:
        raise InspectorError(
            f"cannot listen on {config.host}:{config.port}: {exc.strerror}"
        ) from exc
    app.setQuitOnLastWindowClosed(False)

    async def main() -> None:
        closed = asyncio.Event()
        window = MainWindow(store, service.url, closed)
        bridge.captured.connect(window.model.on_captured)
        window.show()
        await closed.wait()

    try:
        with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
            runner.run(main())
    finally:
        thread.stop()
        store.close()
    return 0


def _screenshot(app: QApplication, window: MainWindow, path: Path) -> int:
    """Render the window with the newest capture selected, save a PNG, and return 0."""
    window.show()
    if window.model.rowCount() > 0:
        window.select_row(0)
    result: list[bool] = []

    def grab() -> None:
        result.append(window.grab().save(str(path), "PNG"))
        app.quit()

    QTimer.singleShot(SCREENSHOT_DELAY_MS, grab)
    app.exec()
    if not result or not result[0]:
        raise InspectorError(f"cannot write the screenshot {path}")
    return 0
