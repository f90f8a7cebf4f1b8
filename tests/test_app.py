"""The desktop app's entry: screenshot mode and the no-display message."""

from __future__ import annotations

import os
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
