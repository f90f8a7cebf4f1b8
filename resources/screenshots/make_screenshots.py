"""Regenerate the README screenshots: a store filled through the real listener, light and dark.

Run from the project root: `.venv/bin/python resources/screenshots/make_screenshots.py`.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from webhook_inspector.core.listener import ListenerConfig
from webhook_inspector.core.samples import Sample, load_samples, send_sample
from webhook_inspector.core.service import CaptureService, ServiceThread

HERE = Path(__file__).resolve().parent


def _extra_samples() -> list[Sample]:
    form = Sample(
        "Twilio SMS",
        "/webhooks/twilio/sms",
        (
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("X-Twilio-Signature", "0/KCTR6DLpKmkAf8muzZqo1nDgQ="),
        ),
        b"MessageSid=SM1234&From=%2B15005550006&To=%2B15005550001&Body=Hello+%E2%9C%93",
    )
    body = gzip.compress(json.dumps({"events": [{"id": n, "type": "ping"} for n in range(40)]})
                         .encode())  # fmt: skip
    zipped = Sample(
        "Batched events (gzip)",
        "/webhooks/batch",
        (("Content-Type", "application/json"), ("Content-Encoding", "gzip")),
        body,
    )
    return [form, zipped]


def fill(db: Path) -> None:
    """Send every sample (and a few odd ones) through a real listener into `db`."""
    thread = ServiceThread(CaptureService(ListenerConfig(port=0), db))
    thread.start()
    try:
        url = thread.service.url
        for sample in _extra_samples() + load_samples()[::-1]:
            asyncio.run(send_sample(url, sample))
    finally:
        thread.stop()


def main() -> int:
    """Fill a temporary store and render the window light and dark."""
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "captures.sqlite3"
        fill(db)
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
               "WEBHOOK_INSPECTOR_SETTINGS": str(Path(folder) / "settings.ini")}  # fmt: skip
        for theme in ("light", "dark"):
            out = HERE / f"main-{theme}.png"
            command = [sys.executable, "-m", "webhook_inspector", "gui", "--db", str(db),
                       "--theme", theme, "--screenshot", str(out)]  # fmt: skip
            subprocess.run(command, check=True, env=env)  # noqa: S603 - our own interpreter
            print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
