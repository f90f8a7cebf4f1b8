"""The first-run panel shows where to send webhooks and a curl command that works."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QPushButton

from webhook_inspector.core.samples import load_samples
from webhook_inspector.gui.emptystate import EmptyState


def test_url_curl_and_buttons(qtbot):
    sample = load_samples()[0]
    panel = EmptyState(sample)
    qtbot.add_widget(panel)
    panel.set_url("http://127.0.0.1:8765/")
    assert panel.url.text() == "http://127.0.0.1:8765/"
    assert panel.curl.toPlainText().startswith("curl -X POST http://127.0.0.1:8765" + sample.path)
    assert panel.sample_button.isEnabled()
    with qtbot.wait_signal(panel.send_sample, timeout=1000):
        panel.sample_button.click()
    panel.findChild(QPushButton, "copyCurlExample").click()
    assert QGuiApplication.clipboard().text() == panel.curl.toPlainText()


def test_stopped_listener(qtbot):
    panel = EmptyState(load_samples()[0])
    qtbot.add_widget(panel)
    panel.set_url("")
    assert "stopped" in panel.url.text() and not panel.sample_button.isEnabled()
    assert panel.curl.toPlainText() == ""
