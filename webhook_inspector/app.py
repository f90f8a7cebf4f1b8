"""Composition root of the desktop app: QApplication, qasync loop, capture service, window.

Start-up paints first (DESIGN §6): the window, its list and its count are built and shown with
only Qt, SQLite and our list modules loaded. asyncio, qasync, the listener and the detail view
follow once it is on screen, so none of their imports delays the first paint.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path

# The Qt-free modules load before PySide6: its __feature__ hook reads the source of every module
# imported after it (~0.5 ms each). The window's own modules come after, as they must.
import platformdirs  # noqa: F401 - imported early, see above

from webhook_inspector.core import sizes, tasks  # noqa: F401 - imported early, see above
from webhook_inspector.core.errors import InspectorError
from webhook_inspector.core.highlightpool import Highlighter
from webhook_inspector.core.samples import RESOURCES, Sample, load_samples
from webhook_inspector.core.store import Store

# isort: split
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from webhook_inspector.gui.crashreporter import CrashReporter
from webhook_inspector.gui.gcguard import MainThreadGC
from webhook_inspector.gui.mainwindow import MainWindow
from webhook_inspector.gui.settings import Settings
from webhook_inspector.gui.theme import apply_theme, fusion_application

log = logging.getLogger(__name__)

SCREENSHOT_DELAY_MS = 400
FIRST_PAINT_WAIT_S = 1.0  # then the listener starts anyway
ICON = RESOURCES / "icons" / "webhook-inspector.svg"


@dataclass(frozen=True, slots=True)
class AppOptions:
    """What the command line asked of the desktop app (None: use the saved setting)."""

    db_path: Path
    host: str | None = None
    port: int | None = None
    screenshot: Path | None = None
    theme: str | None = None
    settings_path: Path | None = None


def _check_display() -> None:
    """Fail with one clear line instead of Qt's abort when there is no screen to show on."""
    if sys.platform != "linux" or os.environ.get("QT_QPA_PLATFORM"):
        return
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        raise InspectorError(
            "no display available: run 'webhook-inspector listen' for headless capture, "
            "or set QT_QPA_PLATFORM=offscreen"
        )


def _first_sample() -> Sample | None:
    try:
        return load_samples()[0]
    except InspectorError as exc:
        log.warning("%s", exc)
        return None


def run(options: AppOptions) -> int:
    """Open the main window and run until it is closed; return the exit code."""
    _check_display()
    app = QApplication.instance() or fusion_application(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Webhook Inspector")
    app.setOrganizationName("webhook-inspector")
    app.setDesktopFileName("webhook-inspector")
    settings = Settings(options.settings_path)
    apply_theme(app, options.theme or settings.theme)
    store = Store(options.db_path)
    host = options.host if options.host is not None else settings.host
    port = options.port if options.port is not None else settings.port
    sample = _first_sample()
    reporter = CrashReporter(app.activeWindow)
    reporter.install()
    collector = MainThreadGC()  # Qt objects must never be freed on the capture threads
    highlighter = Highlighter()
    try:
        if options.screenshot is not None:
            _set_icon(app)
            window = MainWindow(store, f"http://{host}:{port}/", sample=sample,
                                highlighter=highlighter)  # fmt: skip
            return _screenshot(app, window, options.screenshot)
        window = MainWindow(store, "", settings=settings, sample=sample,
                            highlighter=highlighter, listen_on=(host, port))  # fmt: skip
        window.show()
        _wait_for_first_paint(window)
        _set_icon(app)
        return _run_window(app, window, store, (host, port), settings=settings,
                           reporter=reporter, collector=collector)  # fmt: skip
    finally:
        highlighter.close()
        collector.stop()
        reporter.uninstall()
        store.close()


def _set_icon(app: QApplication) -> None:
    """Give the app its icon (loading the SVG plugin waits until the window has painted)."""
    from PySide6.QtGui import QIcon  # noqa: PLC0415

    app.setWindowIcon(QIcon(str(ICON)))


def _wait_for_first_paint(window: MainWindow) -> None:
    """Run Qt's own loop until `window` has painted, or closed, or FIRST_PAINT_WAIT_S passed.

    No asyncio loop exists yet, so nothing stalls; a window that never paints (started
    minimized) must not keep the listener from starting.
    """
    loop = QEventLoop()
    window.first_painted.connect(loop.quit)
    window.closed.connect(loop.quit)
    QTimer.singleShot(int(FIRST_PAINT_WAIT_S * 1000), loop, loop.quit)
    loop.exec()
    window.first_painted.disconnect(loop.quit)
    window.closed.disconnect(loop.quit)


def _run_window(
    app: QApplication,
    window: MainWindow,
    store: Store,
    address: tuple[str, int],
    *,
    settings: Settings,
    reporter: CrashReporter,
    collector: MainThreadGC,
) -> int:  # fmt: skip
    """Attach the listener to the painted window and run the qasync loop until it closes."""
    import asyncio  # noqa: PLC0415 - everything from here on loads after the first paint

    import qasync  # noqa: PLC0415

    from webhook_inspector.core.listener import ListenerConfig  # noqa: PLC0415
    from webhook_inspector.gui.capturemodel import CaptureBridge  # noqa: PLC0415
    from webhook_inspector.gui.listenercontrol import ListenerControl  # noqa: PLC0415

    bridge = CaptureBridge()
    control = ListenerControl(store.path, bridge, ListenerConfig(host=address[0], port=address[1]))
    app.setQuitOnLastWindowClosed(False)

    async def main() -> None:
        asyncio.get_running_loop().set_exception_handler(reporter.loop_handler)
        closed = asyncio.Event()
        window.closed.connect(closed.set)
        if window.is_closed:
            return
        window.model.follow(bridge)
        window.attach_control(control)
        control.set_profiles(settings.profiles())
        await control.start()  # a busy port goes to the message bar; the window stays
        if not window.is_closed:
            await window.finish_start()
        collector.freeze()
        await closed.wait()

    try:
        with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
            runner.run(main())
    finally:
        control.stop_now()
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
