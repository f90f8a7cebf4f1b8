"""The capture list's table: its set-up, and cells painted under one Python paint event."""

from __future__ import annotations

import sys

from PySide6.QtCore import QModelIndex, QModelRoleDataSpan, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QHeaderView

from webhook_inspector.core.model import CaptureSummary, Outcome
from webhook_inspector.core.store import Store, StoreWriter
from webhook_inspector.gui.capturemodel import PAGE_ROWS, CaptureListModel, Column
from webhook_inspector.gui.capturetable import CaptureTable

from conftest import fill_store
from factories import make_capture


class CallerRecordingModel(CaptureListModel):
    """Notes the name of the Python function each cell's data call was made under."""

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self.callers: list[str] = []

    def multiData(
        self, index: QModelIndex | QPersistentModelIndex, roleDataSpan: QModelRoleDataSpan
    ) -> None:
        frame = sys._getframe(1)
        self.callers.append(frame.f_code.co_name if frame is not None else "")
        super().multiData(index, roleDataSpan)


def _shown(qtbot, model: CaptureListModel, height: int = 400) -> CaptureTable:
    table = CaptureTable(model)
    qtbot.addWidget(table)
    table.resize(900, height)
    table.show()
    qtbot.waitExposed(table)
    return table


def _repaint(table: CaptureTable) -> None:
    """Repaint the rows from Qt's event loop, as a real update does."""
    table.viewport().update()
    QApplication.processEvents()


def test_cells_are_painted_under_one_python_paint_event(tmp_path, qtbot):
    # Qt's event loop calls paintEvent; the override makes Python hold the GIL for the whole
    # paint, so the ~3 calls a cell do not each wait for the capture threads to let it go.
    path = tmp_path / "t.sqlite3"
    fill_store(path, 40)
    model = CallerRecordingModel(Store(path))
    table = _shown(qtbot, model)
    model.callers.clear()
    _repaint(table)
    assert len(model.callers) >= 7 * 10  # ten rows or more were painted
    assert set(model.callers) == {"paintEvent"}


def test_selects_whole_rows_and_stretches_the_path(tmp_path, qtbot):
    path = tmp_path / "t.sqlite3"
    fill_store(path, 3)
    table = CaptureTable(CaptureListModel(Store(path)))
    qtbot.addWidget(table)
    assert table.objectName() == "captureList"
    assert table.accessibleName() == "Captured requests"
    assert table.selectionBehavior() is QAbstractItemView.SelectionBehavior.SelectRows
    assert table.selectionMode() is QAbstractItemView.SelectionMode.ExtendedSelection
    header = table.horizontalHeader()
    assert header.sectionResizeMode(Column.PATH) is QHeaderView.ResizeMode.Stretch
    assert header.sectionSize(Column.METHOD) == 70
    assert not table.verticalHeader().isVisible()


class OneBadRowModel(CaptureListModel):
    """Fails to format one row (a bug in a column's text); counts the cells asked for."""

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self.calls = 0
        self.bad_id: int | None = None

    def multiData(
        self, index: QModelIndex | QPersistentModelIndex, roleDataSpan: QModelRoleDataSpan
    ) -> None:
        self.calls += 1
        super().multiData(index, roleDataSpan)

    def _texts_of(self, s: CaptureSummary) -> tuple[str, ...]:
        if s.id == self.bad_id:
            raise ValueError("one bad row")
        return super()._texts_of(s)


def test_a_row_that_fails_to_format_leaves_the_others_painted(tmp_path, qtbot, caplog):
    # Inside the Python paintEvent an exception left pending would fail every later cell's
    # call at once (the rows below came out blank): the model logs it and leaves the row empty.
    path = tmp_path / "t.sqlite3"
    fill_store(path, 40)
    model = OneBadRowModel(Store(path))
    table = _shown(qtbot, model)
    model.calls = 0
    _repaint(table)
    every_cell = model.calls
    model.calls, model.bad_id = 0, model.summary(1).id
    _repaint(table)
    _repaint(table)
    assert model.calls == 2 * every_cell  # every other cell was still asked for its data
    failures = [r for r in caplog.records if "could not be shown" in r.getMessage()]
    assert len(failures) == 1  # logged once, not once a cell or a paint
    assert model.index(1, Column.PATH).data() is None
    assert model.index(2, Column.PATH).data() == model.summary(2).target


def _reddish_pixels(table: CaptureTable) -> int:
    image = table.viewport().grab().toImage()
    count = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            color = image.pixelColor(x, y)
            count += color.red() > 150 and color.green() < 110 and color.blue() < 110
    return count


def test_refused_rows_are_painted_in_the_error_colour(tmp_path, qtbot):
    # The model answers colours as QColor (no QBrush built at start-up): the delegate must
    # still paint with them.
    captured, refused = tmp_path / "c.sqlite3", tmp_path / "r.sqlite3"
    StoreWriter(captured, lambda capture, cid: b"").write_now([make_capture()])
    StoreWriter(refused, lambda capture, cid: b"").write_now(
        [make_capture(outcome=Outcome.TOO_LARGE, status=413)]
    )
    counts = []
    for path in (captured, refused):
        counts.append(_reddish_pixels(_shown(qtbot, CaptureListModel(Store(path)), height=200)))
    assert counts[0] == 0 and counts[1] > 20


def test_keys_move_and_ask_for_delete_and_copy(tmp_path, qtbot):
    path = tmp_path / "t.sqlite3"
    fill_store(path, PAGE_ROWS + 5)
    model = CaptureListModel(Store(path))
    table = _shown(qtbot, model)
    asked: list[str] = []
    table.delete_requested.connect(lambda: asked.append("delete"))
    table.copy_requested.connect(lambda: asked.append("copy"))
    qtbot.keyClick(table, Qt.Key.Key_J)  # nothing current: the first row
    assert table.currentIndex().row() == 0
    qtbot.keyClick(table, Qt.Key.Key_J)
    qtbot.keyClick(table, Qt.Key.Key_K)
    qtbot.keyClick(table, Qt.Key.Key_K)  # stays on the first row
    assert table.currentIndex().row() == 0
    table.select_row(PAGE_ROWS - 1)
    qtbot.keyClick(table, Qt.Key.Key_J)  # past the loaded page: the next one is fetched
    assert model.rowCount() == PAGE_ROWS + 5 and table.currentIndex().row() == PAGE_ROWS
    qtbot.keyClick(table, Qt.Key.Key_J, Qt.KeyboardModifier.ShiftModifier)  # not a move
    qtbot.keyClick(table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(table, Qt.Key.Key_Delete)  # last, unmodified: Qt keeps the last modifiers
    assert asked == ["copy", "delete"]
    assert table.currentIndex().row() == PAGE_ROWS
