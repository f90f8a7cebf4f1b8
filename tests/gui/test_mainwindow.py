"""The main window against a real listener: requests appear as rows, a click shows one."""

from __future__ import annotations

import httpx
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from webhook_inspector.core.store import Store
from webhook_inspector.gui.capturemodel import CaptureBridge, Column
from webhook_inspector.gui.mainwindow import MainWindow


def test_requests_sent_to_the_listener_appear_and_show(qtbot, make_service):
    running = make_service()
    bridge = CaptureBridge()
    running.service.add_observer(bridge.on_capture)
    window = MainWindow(Store(running.db_path), running.url)
    qtbot.add_widget(window)
    bridge.captured.connect(window.model.on_captured)
    window.show()
    for n in range(3):
        httpx.post(f"{running.url}hooks/{n}", json={"n": n})
    qtbot.wait_until(lambda: window.model.rowCount() == 3, timeout=5000)
    assert window.model.index(0, Column.PATH).data() == "/hooks/2"
    window.select_row(1)
    assert '"n": 1' in window.detail.body.toPlainText()
    assert window.count_label.text() == "3 captures"
    for label in window.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText


def test_j_and_k_move_the_selection(qtbot, make_service):
    running = make_service()
    for n in range(3):
        httpx.post(f"{running.url}k/{n}", content=b"x")
    window = MainWindow(Store(running.db_path), running.url)
    qtbot.add_widget(window)
    window.show()
    window.select_row(0)
    qtbot.keyClick(window.table, Qt.Key.Key_J)
    assert window.table.currentIndex().row() == 1
    qtbot.keyClick(window.table, Qt.Key.Key_K)
    assert window.table.currentIndex().row() == 0
