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
    window.model.follow(bridge)
    window.show()
    for n in range(3):
        httpx.post(f"{running.url}hooks/{n}", json={"n": n})
    qtbot.wait_until(lambda: window.model.rowCount() == 3, timeout=5000)
    assert window.model.index(0, Column.PATH).data() == "/hooks/2"
    window.select_row(1)
    assert '"n": 1' in window.detail.body.toPlainText()
    block = window.detail.body.document().firstBlock()
    qtbot.wait_until(lambda: bool(block.layout().formats()), timeout=5000)  # highlighted
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


def _window(qtbot, store: Store, url: str = "http://127.0.0.1:1/", **kwargs) -> MainWindow:
    window = MainWindow(store, url, **kwargs)
    qtbot.add_widget(window)
    window.show()
    return window


def test_empty_store_shows_the_first_run_panel(qtbot, tmp_path):
    from webhook_inspector.core.samples import load_samples

    window = _window(qtbot, Store(tmp_path / "e.sqlite3"), sample=load_samples()[0])
    assert window.list_stack.currentWidget() is window.empty
    assert "curl -X POST http://127.0.0.1:1/" in window.empty.curl.toPlainText()
    assert window.count_label.text() == "0 captures"
    # Focus is on the panel's first button, not in the toolbar's address field.
    assert window.focusWidget() is window.empty.focusProxy()
    assert window.focusWidget().objectName() == "copyCurlExample"


def test_send_a_sample_from_the_empty_state(qtbot, qloop, tmp_path):
    from webhook_inspector.core.listener import ListenerConfig
    from webhook_inspector.core.samples import load_samples
    from webhook_inspector.gui.listenercontrol import ListenerControl

    bridge = CaptureBridge()
    path = tmp_path / "s.sqlite3"
    control = ListenerControl(path, bridge, ListenerConfig(port=0))
    control.start_now()
    try:
        window = _window(qtbot, Store(path), control.url, control=control,
                         sample=load_samples()[0])  # fmt: skip
        window.model.follow(bridge)
        window.empty.copy_button.setFocus()
        window.empty.sample_button.click()
        qtbot.wait_until(lambda: window.model.rowCount() == 1, timeout=5000)
        assert window.list_stack.currentWidget() is window.table
        assert window.focusWidget() is window.table  # focus followed the panel to the list
        assert window.error_label.isHidden()
        window.show_error("cannot listen on 127.0.0.1:1: <b>in use</b>")
        assert window.error_label.text() == "1 error"
        assert window.messages.label.text().endswith("<b>in use</b>")
        assert window.model.summary(0).target == load_samples()[0].path
    finally:
        control.stop_now()


def test_delete_selected_and_clear_all(qtbot, qloop, tmp_path):
    from PySide6.QtWidgets import QMessageBox

    from conftest import fill_store

    path = tmp_path / "d.sqlite3"
    fill_store(path, 5)
    window = _window(qtbot, Store(path))
    window.select_row(1)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Delete)
    qtbot.wait_until(lambda: window.model.rowCount() == 4, timeout=5000)
    assert Store(path).count() == 4 and window.count_label.text() == "4 captures"
    window.clear_action.trigger()
    assert window.clear_box.isVisible() and "Delete all 4 captures" in window.clear_box.text()
    window.clear_box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.wait_until(lambda: window.model.rowCount() == 0, timeout=5000)
    assert Store(path).count() == 0 and window.list_stack.currentWidget() is window.empty


def test_selection_and_scroll_stay_put_unless_following(qtbot, make_service):
    running = make_service()
    bridge = CaptureBridge()
    running.service.add_observer(bridge.on_capture)
    for n in range(60):
        httpx.post(f"{running.url}old/{n}", content=b"x")
    window = _window(qtbot, Store(running.db_path), running.url)
    window.model.follow(bridge)
    window.select_row(30)
    top_before = window.table.rowAt(0)
    chosen = window.selected_ids()
    for n in range(3):
        httpx.post(f"{running.url}new/{n}", content=b"y")
    qtbot.wait_until(lambda: window.model.rowCount() == 63, timeout=5000)
    assert window.selected_ids() == chosen
    assert window.table.rowAt(0) == top_before + 3  # the same captures stay in view
    window.follow_action.setChecked(True)
    httpx.post(f"{running.url}newest", content=b"z")
    qtbot.wait_until(lambda: window.model.rowCount() == 64, timeout=5000)
    assert window.model.summary(window.table.currentIndex().row()).target == "/newest"


def test_settings_persist_between_windows(qtbot, tmp_path):
    from webhook_inspector.gui.settings import Settings

    from conftest import fill_store

    path = tmp_path / "p.sqlite3"
    fill_store(path, 2)
    settings = Settings(tmp_path / "settings.ini")
    window = _window(qtbot, Store(path), settings=settings)
    window.follow_action.setChecked(True)
    window.splitter.setSizes([100, 500])
    window.close()
    again = _window(qtbot, Store(path), settings=Settings(tmp_path / "settings.ini"))
    assert again.follow_action.isChecked()
    assert again.splitter.sizes()[0] < again.splitter.sizes()[1]


def test_100k_store_opens_pages_and_jumps(qtbot, tmp_path):
    from conftest import fill_store

    path = tmp_path / "big.sqlite3"
    fill_store(path, 100_000)
    window = _window(qtbot, Store(path))
    assert window.count_label.text() == "100000 captures"
    assert window.model.rowCount() == 200
    window.model.fetch_to(10_000)
    window.select_row(10_000)
    assert window.detail.capture is not None
    assert window.detail.capture.target == f"/hooks/{100_000 - 10_001}"


def test_hostile_capture_renders_literally_everywhere(qtbot, make_service):
    running = make_service()
    hostile = "<img src=x><b>b</b>\x1b[31m\u202eevil"
    with running.connect() as sock:
        sock.sendall(b"POST /%3Cb%3E?<i>=1 HTTP/1.1\r\nHost: x\r\nX-H: "
                     + hostile.encode() + b"\r\nContent-Length: 3\r\n\r\n<b>")  # fmt: skip
        sock.recv(1000)
    window = _window(qtbot, Store(running.db_path), running.url)
    window.select_row(0)
    for label in window.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName()
    headers = window.detail.headers
    values = [headers.item(r, 1).text() for r in range(headers.rowCount())]
    assert any(v == "<img src=x><b>b</b>␛[31m⟦U+202E⟧evil" for v in values)


def test_copy_as_curl_puts_a_command_on_the_clipboard(qtbot, make_service):
    from PySide6.QtGui import QGuiApplication

    running = make_service()
    httpx.post(running.url + "c?x=1", content=b'{"a": 1}', headers={"X-Hub-Signature": "s"})
    window = _window(qtbot, Store(running.db_path), running.url)
    window.select_row(0)
    qtbot.keyClick(window.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    text = QGuiApplication.clipboard().text()
    assert "\ncurl " in text and "/c?x=1" in text and "X-Hub-Signature: s" in text
