"""The send history dialog lists sends with their attempts and reopens one in the composer."""

from __future__ import annotations

from targets import Answer, target

from webhook_inspector.core.model import OutgoingRequest
from webhook_inspector.core.store import Store
from webhook_inspector.gui.mainwindow import MainWindow


def test_history_lists_sends_and_reopens(qtbot, qloop, running):
    window = MainWindow(Store(running.db_path), running.url)
    qtbot.add_widget(window)
    window.show()
    composer = window.show_composer()
    with target(Answer(status=503, body=b"busy")) as t:
        composer.load(OutgoingRequest("POST", t.url + "/h", (), b"<b>x</b>"))
        composer.send()
        qtbot.wait_until(lambda: composer.status.text().startswith("503"), timeout=10_000)
    qtbot.wait_until(lambda: len(Store(running.db_path).sends()) == 1, timeout=5000)
    window.open_history()
    dialog = window.history_dialog
    qtbot.wait_until(lambda: dialog.table.rowCount() == 1, timeout=5000)
    assert dialog.table.item(0, 1).text() == "composer"
    assert dialog.table.item(0, 5).text() == "503"
    dialog.table.setCurrentCell(0, 0)
    assert "attempt 1" in dialog.details.toPlainText() and "busy" in dialog.details.toPlainText()
    composer.load(OutgoingRequest("GET", "http://other/"))
    dialog._reopen()
    assert composer.request().url == t.url + "/h" and composer.request().body == b"<b>x</b>"
