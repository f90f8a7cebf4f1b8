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
from webhook_inspector.core.model import OutgoingRequest
from webhook_inspector.core.samples import Sample, load_samples, send_sample
from webhook_inspector.core.service import CaptureService, ServiceThread
from webhook_inspector.core.signing import sign
from webhook_inspector.core.verification import Profile, Verifier

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


STRIPE_SECRET = "whsec_screenshot_demo"  # noqa: S105 - a demo secret for the screenshot


def _signed(url: str, secret: str, event: str) -> Sample:
    body = json.dumps({"id": "evt_demo", "type": event, "data": {"object": {"amount": 2000}}})
    request = OutgoingRequest("POST", url + "webhooks/stripe", (), body.encode())
    headers = sign("stripe", request, secret).headers
    return Sample(event, "/webhooks/stripe", (("Content-Type", "application/json"), *headers),
                  body.encode())  # fmt: skip


def fill(db: Path) -> None:
    """Send every sample (and a few odd ones) through a real listener into `db`.

    Stripe webhooks are verified on arrival: one signed with the right secret, one not.
    """
    os.environ["WEBHOOK_INSPECTOR_SECRET_DEMO_STRIPE"] = STRIPE_SECRET
    verifier = Verifier([Profile("stripe", "secret:demo_stripe", "/webhooks/stripe")])
    thread = ServiceThread(CaptureService(ListenerConfig(port=0), db, verifier=verifier))
    thread.start()
    try:
        url = thread.service.url
        samples = [*_extra_samples(), *load_samples()[::-1],
                   _signed(url, "whsec_wrong_secret", "charge.refunded"),
                   _signed(url, STRIPE_SECRET, "payment_intent.succeeded")]  # fmt: skip
        for sample in samples:
            asyncio.run(send_sample(url, sample))
    finally:
        thread.stop()


def signature_shot(db: Path, out: Path) -> None:
    """The window with the badly signed Stripe webhook selected on its Signature tab."""
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    from webhook_inspector.core.store import Store  # noqa: PLC0415
    from webhook_inspector.gui.mainwindow import MainWindow  # noqa: PLC0415
    from webhook_inspector.gui.theme import apply_theme  # noqa: PLC0415

    app = QApplication.instance() or QApplication([])
    apply_theme(app, "light")  # type: ignore[arg-type]
    window = MainWindow(Store(db), "http://127.0.0.1:8765/")
    window.resize(1200, 760)
    window.show()
    bad = next(row for row in range(window.model.rowCount())
               if window.model.summary(row).signature == "invalid")  # fmt: skip
    window.select_row(bad)
    window.detail.setCurrentIndex(window.detail.signature_index)
    for _ in range(20):
        app.processEvents()
    window.grab().save(str(out), "PNG")
    window.close()


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
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        signature_shot(db, HERE / "signature-invalid.png")
        print(HERE / "signature-invalid.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
