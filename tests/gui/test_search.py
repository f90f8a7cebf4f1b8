"""Search in the window: errors shown plainly, results off the UI thread, live matches, paging."""

from __future__ import annotations

import threading

import httpx
from PySide6.QtCore import Qt

from webhook_inspector.core.store import Store
from webhook_inspector.gui.capturemodel import CaptureBridge
from webhook_inspector.gui.mainwindow import MainWindow
from webhook_inspector.gui.search import SearchBox
from webhook_inspector.gui.settings import Settings

from conftest import fill_store


def test_box_reports_errors_with_their_position(qtbot):
    box = SearchBox()
    qtbot.add_widget(box)
    box.show()
    emitted = []
    box.query_changed.connect(emitted.append)
    box.edit.setText("stauts:500")
    box.apply()
    assert not box.error.isHidden() and "position 1" in box.error.text()
    assert "status" in box.error.text()  # the nearest qualifier is suggested
    assert box.error.textFormat() == Qt.TextFormat.PlainText and emitted == []
    box.edit.setText("method:POST")
    box.apply()
    assert box.error.isHidden() and emitted[-1] is not None
    box.edit.setText("  ")
    box.apply()
    assert emitted[-1] is None
    assert "method:" in box.completion_words() and "method:" in box.words.stringList()


def test_typing_filters_the_list_and_live_captures_follow(qtbot, qloop, make_service):
    running = make_service()
    bridge = CaptureBridge()
    running.service.add_observer(bridge.on_capture)
    for n in range(5):
        httpx.post(f"{running.url}stripe/{n}", json={"type": "payment_intent.succeeded"})
        httpx.put(f"{running.url}github/{n}", json={"action": "opened"})
    window = MainWindow(Store(running.db_path), running.url)
    qtbot.add_widget(window)
    window.model.follow(bridge)
    window.show()
    qtbot.keyClicks(window.search.edit, "method:PUT")
    qtbot.wait_until(lambda: window.model.query is not None and window.model.rowCount() == 5,
                     timeout=5000)  # fmt: skip
    assert window.count_label.text() == "5 matching"
    assert all(window.model.summary(r).method == "PUT" for r in range(5))
    httpx.put(f"{running.url}github/new", content=b"{}")
    httpx.post(f"{running.url}stripe/new", content=b"{}")
    qtbot.wait_until(lambda: window.model.rowCount() == 6, timeout=5000)
    qtbot.wait(300)
    assert window.model.rowCount() == 6 and window.model.summary(0).target == "/github/new"
    window.search.edit.clear()
    qtbot.wait_until(lambda: window.model.query is None and window.model.rowCount() == 12,
                     timeout=5000)  # fmt: skip


def test_matched_terms_are_marked_in_the_body(qtbot, qloop, make_service):
    running = make_service()
    httpx.post(running.url + "a", json={"note": "refund issued, refund again"})
    window = MainWindow(Store(running.db_path), running.url)
    qtbot.add_widget(window)
    window.show()
    window.search.edit.setText("refund")
    window.search.apply()
    qtbot.wait_until(lambda: window.model.query is not None and window.model.rowCount() == 1,
                     timeout=5000)  # fmt: skip
    window.select_row(0)
    assert window.detail.marks == 2


def _window_over(qtbot, tmp_path, captures: int) -> MainWindow:
    """A shown window over a store of `captures` POSTs."""
    path = tmp_path / "w.sqlite3"
    fill_store(path, captures)
    window = MainWindow(Store(path), "http://127.0.0.1:1/")
    qtbot.add_widget(window)
    window.show()
    return window


def test_filtered_list_pages_from_the_worker(qtbot, qloop, tmp_path):
    window = _window_over(qtbot, tmp_path, 450)
    window.search.edit.setText("method:POST")
    window.search.apply()
    qtbot.wait_until(lambda: window.count_label.text() == "450 matching", timeout=5000)
    assert window.model.rowCount() == 200
    window.model.fetchMore()
    window.model.fetchMore()  # ignored while a page is loading
    qtbot.wait_until(lambda: window.model.rowCount() == 400, timeout=5000)
    window.model.fetchMore()
    qtbot.wait_until(lambda: window.model.rowCount() == 450, timeout=5000)
    assert not window.model.canFetchMore()


def test_short_term_paints_the_list_before_counting(qtbot, qloop, tmp_path):
    window = _window_over(qtbot, tmp_path, 450)
    at_paint = []
    window.model.modelReset.connect(lambda: at_paint.append(window.count_label.text()))
    window.search.edit.setText("pi")  # 2 characters: a scan; every capture holds "ping"
    window.search.apply()
    qtbot.wait_until(lambda: window.count_label.text() == "450 matching", timeout=5000)
    assert at_paint == ["200+ matching"]
    assert window.model.rowCount() == 200


def test_saved_filters_and_history(qtbot, tmp_path):
    settings = Settings(tmp_path / "s.ini")
    box = SearchBox(settings)
    qtbot.add_widget(box)
    box.edit.setText("status:5xx")
    box.save_filter("failures")
    box.remember("status:5xx")
    box.remember("method:POST")
    box.remember("status:5xx")
    assert Settings(tmp_path / "s.ini").saved_filters() == {"failures": "status:5xx"}
    assert settings.strings("search/history") == ["status:5xx", "method:POST"]
    box._fill_menu()
    texts = [act.text() for act in box.menu.actions()]
    assert "failures" in texts and "method:POST" in texts


def _searched_with_count_held(qtbot, tmp_path) -> tuple[MainWindow, threading.Event]:
    """A window over 250 captures showing a search's first page, its count held until set."""
    window = _window_over(qtbot, tmp_path, 250)
    release = threading.Event()

    def hold() -> None:  # the worker's queue waits once the first page is shown
        if window.model.query is not None:
            window._worker()._executor.submit(release.wait, 10)

    window.model.modelReset.connect(hold)
    window.search.edit.setText("method:POST")
    window.search.apply()
    qtbot.wait_until(lambda: window.count_label.text() == "200+ matching", timeout=5000)
    return window, release


def test_clearing_during_a_pending_count_leaves_the_total_at_zero(qtbot, qloop, tmp_path):
    window, release = _searched_with_count_held(qtbot, tmp_path)
    clearing = qloop.create_task(window._clear())  # what the Clear confirmation runs
    qtbot.wait_until(clearing.done, timeout=5000)
    assert window.model.total == 0 and window.model.rowCount() == 0
    release.set()  # the count of the search cleared away answers now
    qtbot.wait_until(lambda: not window._count_pending, timeout=5000)
    assert window.model.total == 0  # was -200: the count still applied to the cleared list
    # The filter in the box still applies to the emptied list (the list used to drop it).
    assert window.model.query is not None and window.search.edit.text() == "method:POST"
    assert window.count_label.text() == "0 matching"


def test_deleting_during_a_pending_count_subtracts_once(qtbot, qloop, tmp_path):
    window, release = _searched_with_count_held(qtbot, tmp_path)
    deleting = qloop.create_task(window._delete([window.model.summary(0).id]))
    qtbot.wait_until(deleting.done, timeout=5000)
    release.set()  # the count's scan starts after the delete committed
    qtbot.wait_until(lambda: not window._count_pending, timeout=5000)
    assert window.model.total == 249  # was 248: the delete was subtracted twice
    assert window.count_label.text() == "249 matching"
