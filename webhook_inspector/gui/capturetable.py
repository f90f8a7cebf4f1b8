"""The capture list's view: a table that paints holding the GIL once, not once per cell."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QPaintEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from webhook_inspector.gui.capturemodel import CaptureListModel, Column

ROW_HEIGHT = 22
COLUMN_WIDTHS = ((Column.TIME, 100), (Column.METHOD, 70), (Column.STATUS, 55),
                 (Column.SIZE, 70), (Column.TYPE, 150), (Column.OUTCOME, 90))  # fmt: skip


class CaptureTable(QTableView):
    """Rows of captures, newest first: whole rows selected, the path column stretched.

    Painting the visible cells calls into Python three times a cell (`rowCount` and
    `columnCount` through `index()`, then `multiData`): ~260 calls a paint. Started from Qt's
    event loop, each call takes the GIL afresh, and while the capture threads run Python, each
    can wait for them: measured with one busy Python thread beside it, a paint of the list took
    152 ms instead of 9. `paintEvent` is overridden so that the paint starts in Python: the GIL
    is taken once and the cells' calls find it held (23 ms under the same load, 4 ms idle).

    Keys: j/k move through the rows (loading older ones at the end); Delete and Ctrl+C ask for
    the selection to be deleted or copied as cURL (the view alone would copy one cell).
    Signals: delete_requested, copy_requested.
    """

    delete_requested = Signal()
    copy_requested = Signal()

    def __init__(self, model: CaptureListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("captureList")
        self.setAccessibleName("Captured requests")
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        rows = self.verticalHeader()
        rows.setVisible(False)
        rows.setDefaultSectionSize(ROW_HEIGHT)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setAlternatingRowColors(True)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.PATH, QHeaderView.ResizeMode.Stretch)
        for column, width in COLUMN_WIDTHS:
            header.resizeSection(column, width)

    def paintEvent(self, event: QPaintEvent) -> None:
        """Paint the visible cells in one hold of the GIL (see the class docstring)."""
        super().paintEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """j/k, Delete and Ctrl+C as the class docstring says; other keys as any table."""
        if event.matches(QKeySequence.StandardKey.Delete):
            self.delete_requested.emit()
            return
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_requested.emit()
            return
        step = {Qt.Key.Key_J: 1, Qt.Key.Key_K: -1}.get(Qt.Key(event.key()))
        if step is not None and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            self.move_current(step)
            return
        super().keyPressEvent(event)

    def move_current(self, step: int) -> None:
        """Select the row `step` rows below the current one (the first if there is none)."""
        model = self.model()
        current = self.currentIndex()
        row = current.row() + step if current.isValid() else 0
        if row >= model.rowCount() and model.canFetchMore():
            model.fetchMore()
        if 0 <= row < model.rowCount():
            self.select_row(row)

    def select_row(self, row: int) -> None:
        """Select `row` and scroll it into view."""
        self.selectRow(row)
        self.scrollTo(self.model().index(row, 0))
