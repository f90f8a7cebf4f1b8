"""The main window: listener bar, live capture list, detail tabs, status bar."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QEvent, QItemSelection, QModelIndex, QObject, Qt, Slot
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QMainWindow,
    QSplitter,
    QStatusBar,
    QTableView,
    QToolBar,
)

from webhook_inspector.core.errors import NotFoundError
from webhook_inspector.core.store import Store
from webhook_inspector.gui.capturemodel import CaptureListModel, Column, Role
from webhook_inspector.gui.detailview import DetailView, plain_label


class MainWindow(QMainWindow):
    """The window people open: requests arrive in the list, a click shows one whole."""

    def __init__(self, store: Store, url: str, closed: asyncio.Event | None = None) -> None:
        super().__init__()
        self.setWindowTitle("Webhook Inspector")
        self.setObjectName("mainWindow")
        self.resize(1200, 760)
        self._store = store
        self._closed = closed
        self.model = CaptureListModel(store, self)

        self.url_field = QLineEdit(url)
        self.url_field.setObjectName("listenUrl")
        self.url_field.setAccessibleName("Listening URL")
        self.url_field.setReadOnly(True)
        self.url_field.setMinimumWidth(260)
        toolbar = QToolBar("Listener")
        toolbar.setObjectName("listenerBar")
        toolbar.setMovable(False)
        toolbar.addWidget(plain_label("  Listening on  "))
        toolbar.addWidget(self.url_field)
        copy = QAction("Copy URL", self)
        copy.setObjectName("copyUrl")
        copy.triggered.connect(self._copy_url)
        toolbar.addAction(copy)
        self.addToolBar(toolbar)

        self.table = QTableView()
        self.table.setObjectName("captureList")
        self.table.setAccessibleName("Captured requests")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.PATH, QHeaderView.ResizeMode.Stretch)
        for column, width in ((Column.TIME, 100), (Column.METHOD, 70), (Column.STATUS, 55)):
            header.resizeSection(column, width)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)

        self.detail = DetailView()
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setObjectName("mainSplitter")
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setSizes([320, 440])
        self.setCentralWidget(splitter)

        self.count_label = plain_label(name="captureCount")
        status = QStatusBar()
        status.addPermanentWidget(self.count_label)
        self.setStatusBar(status)
        self.model.rowsInserted.connect(self._update_count)
        self.model.modelReset.connect(self._update_count)
        self._update_count()

        # j/k as in mutt and Gmail; an item view would otherwise eat letters for type-ahead.
        self.table.installEventFilter(self)

    def select_row(self, row: int) -> None:
        """Select and show `row` of the list."""
        index = self.model.index(row, 0)
        self.table.selectRow(row)
        self.table.scrollTo(index)

    @Slot()
    def _update_count(self) -> None:
        self.count_label.setText(f"{self._store.count()} captures")

    @Slot()
    def _copy_url(self) -> None:
        QGuiApplication.clipboard().setText(self.url_field.text())
        self.statusBar().showMessage("URL copied", 2000)

    def _move(self, step: int) -> None:
        current = self.table.currentIndex()
        row = current.row() + step if current.isValid() else 0
        if 0 <= row < self.model.rowCount():
            self.select_row(row)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Turn j/k on the list into next/previous row."""
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            step = {Qt.Key.Key_J: 1, Qt.Key.Key_K: -1}.get(Qt.Key(event.key()))
            if step is not None and event.modifiers() == Qt.KeyboardModifier.NoModifier:
                self._move(step)
                return True
        return super().eventFilter(watched, event)

    @Slot(QItemSelection, QItemSelection)
    def _on_selection_changed(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        if len(rows) != 1:
            self.detail.show_capture(None)
            return
        self._show(rows[0])

    def _show(self, index: QModelIndex) -> None:
        capture_id = index.data(Role.CAPTURE_ID)
        try:
            self.detail.show_capture(self._store.get(capture_id))
        except NotFoundError:
            self.detail.show_capture(None)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Tell the app's main coroutine to shut down."""
        if self._closed is not None:
            self._closed.set()
        super().closeEvent(event)
