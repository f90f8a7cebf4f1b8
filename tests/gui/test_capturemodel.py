"""The capture list model: paging, batched live inserts, model consistency."""

from __future__ import annotations

import threading

import httpx
from targets import Answer, target

from webhook_inspector.core import service as service_module
from webhook_inspector.core.forwarder import ForwardSettings
from webhook_inspector.core.listener import ListenerConfig
from webhook_inspector.core.model import CapturedRequest, Outcome
from webhook_inspector.core.service import CaptureService, ServiceThread
from webhook_inspector.core.store import Store, StoreWriter
from webhook_inspector.gui import capturemodel
from webhook_inspector.gui.capturemodel import (
    PAGE_ROWS,
    CaptureBridge,
    CaptureListModel,
    Column,
    Role,
)

from conftest import fill_store
from factories import make_capture


def test_pages_newest_first_and_fetches_more(tmp_path, qtmodeltester):
    path = tmp_path / "m.sqlite3"
    fill_store(path, PAGE_ROWS * 2 + 5)
    model = CaptureListModel(Store(path))
    assert model.rowCount() == PAGE_ROWS
    assert model.index(0, 0).data(Role.CAPTURE_ID) == PAGE_ROWS * 2 + 5
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == PAGE_ROWS * 2
    model.fetchMore()
    assert model.rowCount() == PAGE_ROWS * 2 + 5
    assert not model.canFetchMore()
    assert model.index(model.rowCount() - 1, 0).data(Role.CAPTURE_ID) == 1
    qtmodeltester.check(model)


def test_fetch_to_loads_a_far_row_in_one_go(tmp_path):
    path = tmp_path / "m.sqlite3"
    fill_store(path, 1000)
    model = CaptureListModel(Store(path))
    inserts: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda parent, first, last: inserts.append((first, last)))
    model.fetch_to(700)
    assert inserts == [(PAGE_ROWS, 700)]
    assert model.index(700, 0).data(Role.CAPTURE_ID) == 300
    model.fetch_to(5000)
    assert model.rowCount() == 1000 and not model.canFetchMore()


def test_live_captures_are_inserted_in_one_batch(tmp_path, qtbot, qtmodeltester):
    path = tmp_path / "m.sqlite3"
    fill_store(path, 3)
    model = CaptureListModel(Store(path))
    inserts: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda parent, first, last: inserts.append((first, last)))
    bridge = CaptureBridge()
    model.follow(bridge)
    writer = StoreWriter(path, lambda capture, cid: b"")
    fresh = [
        CapturedRequest(
            received_at_us=1, method="PUT", target=f"/new/{n}", http_version="1.1", headers=(),
            body=b"", remote_ip="127.0.0.1", remote_port=1,
        )
        for n in range(50)
    ]  # fmt: skip
    for cid in writer.write_now(fresh):
        bridge.on_capture(cid, fresh[0])
    writer.stop()
    qtbot.wait_until(lambda: model.rowCount() == 53, timeout=3000)
    assert inserts == [(0, 49)]
    assert model.index(0, Column.PATH).data() == "/new/49"
    qtmodeltester.check(model)


def test_refused_rows_are_marked(tmp_path):
    path = tmp_path / "m.sqlite3"
    writer = StoreWriter(path, lambda capture, cid: b"")
    refused = CapturedRequest(
        received_at_us=1, method="POST", target="/big", http_version="1.1", headers=(),
        body=b"", remote_ip="127.0.0.1", remote_port=1, outcome=Outcome.TOO_LARGE, status=413,
    )  # fmt: skip
    writer.write_now([refused])
    writer.stop()
    model = CaptureListModel(Store(path))
    assert model.index(0, Column.OUTCOME).data() == "too_large"
    assert model.index(0, Column.STATUS).data() == "413"
    from PySide6.QtCore import Qt

    assert model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) is not None


def test_control_characters_stay_on_one_line(tmp_path):
    path = tmp_path / "m.sqlite3"
    writer = StoreWriter(path, lambda capture, cid: b"")
    hostile = CapturedRequest(
        received_at_us=1, method="GET", target="/a\x1b[31m\nb", http_version="1.1", headers=(),
        body=b"", remote_ip="127.0.0.1", remote_port=1,
    )  # fmt: skip
    writer.write_now([hostile])
    writer.stop()
    model = CaptureListModel(Store(path))  # held: an index must not outlive its model
    shown = model.index(0, Column.PATH).data()
    assert "\x1b" not in shown and "\n" not in shown


def test_remove_ids_drops_rows(tmp_path, qtmodeltester):
    path = tmp_path / "m.sqlite3"
    fill_store(path, 10)
    model = CaptureListModel(Store(path))
    model.remove_ids({10, 9, 5, 1})
    assert [model.index(r, 0).data(Role.CAPTURE_ID) for r in range(model.rowCount())] == [
        8, 7, 6, 4, 3, 2,
    ]  # fmt: skip
    qtmodeltester.check(model)


def test_a_delegate_sees_each_cells_own_roles(tmp_path, qtbot):
    # Views paint through multiData with one reused array: every role must be set or cleared.
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem, QTableView

    path = tmp_path / "m.sqlite3"
    fill_store(path, 2)
    model = CaptureListModel(Store(path))
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    delegate = QStyledItemDelegate()
    seen = {}
    for column in (Column.SIZE, Column.PATH, Column.STATUS, Column.METHOD):
        option = QStyleOptionViewItem()
        delegate.initStyleOption(option, model.index(0, column))
        seen[column] = (option.text, bool(option.displayAlignment & Qt.AlignmentFlag.AlignRight))
    assert seen[Column.SIZE][1] and seen[Column.STATUS][1]
    assert not seen[Column.PATH][1] and not seen[Column.METHOD][1]
    assert seen[Column.PATH][0] == model.index(0, Column.PATH).data()
    assert seen[Column.METHOD][0] == "POST"


def test_the_bridge_signals_once_until_the_list_reads_again(tmp_path, qtbot):
    path = tmp_path / "b.sqlite3"
    fill_store(path, 2)
    model = CaptureListModel(Store(path))
    bridge = CaptureBridge()
    model.follow(bridge)
    signals: list[int] = []
    bridge.captured.connect(signals.append)
    writer = StoreWriter(path, lambda capture, cid: b"")
    first = CapturedRequest(received_at_us=1, method="POST", target="/a", http_version="1.1",
                            headers=(), body=b"", remote_ip="127.0.0.1", remote_port=1)  # fmt: skip
    ids = writer.write_now([first, first, first])
    for cid in ids:
        bridge.on_capture(cid, first)  # as the service's observer, on its thread
    qtbot.wait_until(lambda: model.rowCount() == 5, timeout=3000)
    assert signals == [ids[0]]  # one signal carried all three
    later = writer.write_now([first])
    writer.stop()
    bridge.on_capture(later[0], first)  # the list read again: the bridge is armed
    qtbot.wait_until(lambda: model.rowCount() == 6, timeout=3000)
    assert signals == [ids[0], later[0]]


def test_the_list_shows_a_forwarded_capture_heard_after_a_later_one(tmp_path, qtbot, monkeypatch):
    # With --forward-answer target, the second capture (answered at once) is heard before the
    # first (its target takes 1 s): the list must still show both. See test_service.py's
    # test_observers_hear_forwarded_captures_in_id_order for why OBSERVE_AFTER_S is raised.
    monkeypatch.setattr(service_module, "OBSERVE_AFTER_S", 30.0)
    path = tmp_path / "l.sqlite3"
    with target(Answer(body=b"slow", delay_s=1.0), Answer(body=b"fast")) as t:
        forward = ForwardSettings(t.url, answer="target", timeout_s=10)
        service = CaptureService(ListenerConfig(port=0), path, forward=forward)
        bridge = CaptureBridge()
        heard: list[int] = []
        service.add_observer(bridge.on_capture)
        service.add_observer(lambda cid, capture: heard.append(cid))
        thread = ServiceThread(service)
        thread.start()
        model = CaptureListModel(Store(path))
        model.follow(bridge)
        try:
            with httpx.Client(timeout=10) as slow_client, httpx.Client(timeout=10) as client:
                sending = threading.Thread(target=lambda: slow_client.post(f"{service.url}a"))
                sending.start()
                qtbot.wait_until(lambda: bool(t.seen), timeout=5000)
                client.post(f"{service.url}b")
                qtbot.wait_until(lambda: model.rowCount() >= 1, timeout=5000)
                sending.join(10)
        finally:
            thread.stop()
    assert sorted(heard) == [1, 2]
    qtbot.wait(300)  # three flush intervals: whatever the bridge announced has been read
    assert [model.index(row, Column.PATH).data() for row in range(model.rowCount())] == [
        "/b",
        "/a",
    ]


def test_a_time_out_of_range_shows_a_dash_and_the_rest_of_the_row(tmp_path):
    # An imported capture can carry any time: year 33658 must not break the row.
    path = tmp_path / "m.sqlite3"
    StoreWriter(path, lambda capture, cid: b"").write_now(
        [make_capture(received_at_us=10**18, target="/far/future")]
    )
    model = CaptureListModel(Store(path))
    assert model.index(0, Column.TIME).data() == "—"
    assert model.index(0, Column.PATH).data() == "/far/future"


def test_captures_beyond_one_reads_limit_are_shown_by_the_next(tmp_path, qtbot, monkeypatch):
    # An import through another connection (`webhook-inspector import`) while the window is
    # open: more than one live read takes (100,000; 50 here). The watermark must stop at the
    # last capture read, not at the store's newest id, or the rest are never shown nor counted.
    monkeypatch.setattr(capturemodel, "LIVE_READ_ROWS", 50)
    path = tmp_path / "m.sqlite3"
    fill_store(path, 1)
    model = CaptureListModel(Store(path))
    bridge = CaptureBridge()
    model.follow(bridge)
    fill_store(path, 51)  # imported: nobody announces these
    writer = StoreWriter(path, lambda capture, cid: b"")
    live = make_capture(target="/live")
    (cid,) = writer.write_now([live])
    bridge.on_capture(cid, live)
    qtbot.wait_until(lambda: model.rowCount() > 1, timeout=10_000)
    (cid,) = writer.write_now([live])  # the next live capture reads again
    writer.stop()
    bridge.on_capture(cid, live)
    qtbot.wait_until(lambda: model.index(0, Column.PATH).data() == "/live", timeout=10_000)
    qtbot.wait(300)
    assert model.total == Store(path).count() == 54
    assert model.rowCount() == 54  # was 52: two never shown
