"""The capture list's table: its set-up, and cells painted under one Python paint event."""

from __future__ import annotations

import sys

from PySide6.QtCore import QModelIndex, QModelRoleDataSpan, QPersistentModelIndex
from PySide6.QtWidgets import QAbstractItemView, QApplication, QHeaderView

from webhook_inspector.core.store import Store
from webhook_inspector.gui.capturemodel import CaptureListModel, Column
from webhook_inspector.gui.capturetable import CaptureTable

from conftest import fill_store


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


def test_cells_are_painted_under_one_python_paint_event(tmp_path, qtbot):
    # Qt's event loop calls paintEvent; the override makes Python hold the GIL for the whole
    # paint, so the ~3 calls a cell do not each wait for the capture threads to let it go.
    path = tmp_path / "t.sqlite3"
    fill_store(path, 40)
    model = CallerRecordingModel(Store(path))
    table = CaptureTable(model)
    qtbot.addWidget(table)
    table.resize(900, 400)
    table.show()
    qtbot.waitExposed(table)
    model.callers.clear()
    table.viewport().update()
    QApplication.processEvents()
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
