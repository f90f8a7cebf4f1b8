"""The desktop app's entry: the real start-up path, screenshot mode and the no-display message."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from PySide6.QtGui import QImage

from conftest import fill_store


def test_screenshot_renders_the_window(tmp_path):
    db = tmp_path / "s.sqlite3"
    fill_store(db, 5)
    png = tmp_path / "shot.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-m", "webhook_inspector", "gui", "--db", str(db),
         "--screenshot", str(png)],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    image = QImage(str(png))
    assert image.width() >= 800 and image.height() >= 500


def test_no_display_is_one_clear_line(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-m", "webhook_inspector", "--db", str(tmp_path / "x.sqlite3")],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert result.returncode == 1
    assert (
        "webhook-inspector listen" in result.stderr and "QT_QPA_PLATFORM=offscreen" in result.stderr
    )
    assert "Traceback" not in result.stderr


# Each driver runs the real app in its own process and watches the window from a Qt timer.
_PRELUDE = """
import sys, time
from pathlib import Path
import httpx
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
from webhook_inspector.app import AppOptions, run

app = QApplication([])

def window():
    return next((w for w in app.topLevelWidgets() if w.objectName() == "mainWindow"), None)
"""


def _drive(script: str, *args: object) -> subprocess.CompletedProcess[str]:
    """Run `_PRELUDE + script` offscreen with `args` as argv[1:]; fail on a non-zero exit."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    argv = [sys.executable, "-c", _PRELUDE + script, *map(str, args)]
    result = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    return result


DRIVER = """
seen = []

def poll():
    w = window()
    if w is None or not w.url_field.text().startswith("http"):
        if w is not None and not seen:
            seen.append(f"before listening: {w.state_label.text()} built={w.detail_built}")
        QTimer.singleShot(20, poll)
        return
    if len(seen) == 1:
        url = w.url_field.text()
        seen.append(f"listening on {url}")
        httpx.post(url + "hook", content=b'{"a": 1}', headers={"Content-Type": "text/json"})
    if w.model.rowCount() == 1 and w.detail_built:
        print("\\n".join(seen), flush=True)
        print("captured", w.model.rowCount(), w.count_label.text(), flush=True)
        w.close()
        return
    QTimer.singleShot(20, poll)

QTimer.singleShot(0, poll)
print("exit", run(AppOptions(Path(sys.argv[1]), port=0, settings_path=Path(sys.argv[2]))))
"""


def test_the_window_paints_then_listens_and_captures(tmp_path):
    result = _drive(DRIVER, tmp_path / "c.sqlite3", tmp_path / "s.ini")
    lines = result.stdout.splitlines()
    assert lines[0] == "before listening: starting… built=False"
    assert lines[1].startswith("listening on http://127.0.0.1:")
    assert lines[2:] == ["captured 1 1 capture", "exit 0"]


BUSY_PORT_DRIVER = """
def poll():
    w = window()
    if w is None or not w.errors:
        QTimer.singleShot(20, poll)
        return
    print(w.state_label.text(), "|", w.errors[0], flush=True)
    w.close()

QTimer.singleShot(0, poll)
options = AppOptions(Path(sys.argv[1]), port=int(sys.argv[2]), settings_path=Path(sys.argv[3]))
print("exit", run(options))
"""


def test_a_busy_port_is_reported_in_the_window_which_stays_open(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = _drive(BUSY_PORT_DRIVER, tmp_path / "c.sqlite3", port, tmp_path / "s.ini")
    state, message = result.stdout.splitlines()[0].split(" | ")
    assert state == "stopped"
    assert message.startswith(f"cannot listen on 127.0.0.1:{port}")
    assert message.endswith("Choose another address or port in the toolbar.")
    assert result.stdout.splitlines()[1] == "exit 0"


NO_PAINT_DRIVER = """
class NoPaint(QObject):  # as if the window started minimized: nothing ever paints
    def eventFilter(self, watched, event):
        return event.type() == QEvent.Type.Paint

blocker = NoPaint()
app.installEventFilter(blocker)
t0 = time.monotonic()

def poll():
    w = window()
    if w is None or not w.url_field.text().startswith("http"):
        QTimer.singleShot(20, poll)
        return
    print("listening after", round(time.monotonic() - t0, 1), "s", flush=True)
    w.close()

QTimer.singleShot(0, poll)
print("exit", run(AppOptions(Path(sys.argv[1]), port=0, settings_path=Path(sys.argv[2]))))
"""


def test_a_window_that_never_paints_still_starts_listening(tmp_path):
    result = _drive(NO_PAINT_DRIVER, tmp_path / "c.sqlite3", tmp_path / "s.ini")
    first, last = result.stdout.splitlines()
    assert first.startswith("listening after") and last == "exit 0"
