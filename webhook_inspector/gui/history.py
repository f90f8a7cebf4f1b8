"""The send history: every send, resend, forward and collection run with its attempts."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from webhook_inspector.core.errors import InspectorError
from webhook_inspector.core.store import SendRecord, Store
from webhook_inspector.gui.textviews import plain_label, text_view, visible

PAGE = 200
COLUMNS = ("Time", "Kind", "Method", "URL", "Attempts", "Last status")


def _load(path: Path) -> list[SendRecord]:
    with Store(path) as store:
        return store.sends(limit=PAGE)


def attempts_text(record: SendRecord) -> str:
    """Every attempt of a send as plain text: status or error, and timings."""
    lines = [f"{record.request.method} {record.request.url}", ""]
    for number, attempt in enumerate(record.attempts, 1):
        when = datetime.fromtimestamp(attempt.started_at_us / 1e6).strftime("%H:%M:%S.%f")[:-3]
        outcome = (f"{attempt.status} {attempt.reason}" if attempt.status is not None
                   else f"no answer: {attempt.error}")  # fmt: skip
        lines.append(f"attempt {number} at {when}: {outcome} · {attempt.total_ms:.1f} ms")
        if attempt.status is not None:
            lines.append("  " + attempt.body[:300].decode("utf-8", "replace"))
    return visible("\n".join(lines))


class HistoryDialog(QDialog):
    """Browses the newest sends; "Open in composer" sends one again with changes.

    Signals: reopen(OutgoingRequest).
    """

    reopen = Signal(object)

    def __init__(self, db_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyDialog")
        self.setWindowTitle("Send history")
        self.resize(900, 520)
        self._path = db_path
        self.records: list[SendRecord] = []
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("historyTable")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.currentCellChanged.connect(lambda row, *_: self._show(row))
        self.details = text_view("historyDetails", "Attempts")
        self.status = plain_label(name="historyStatus")
        reopen = QPushButton("Open in composer")
        reopen.setObjectName("historyReopen")
        reopen.clicked.connect(self._reopen)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.details)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(reopen)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addLayout(row)

    async def load(self) -> None:
        """Read the newest sends off the UI thread and show them."""
        try:
            self.records = await asyncio.to_thread(_load, self._path)
        except InspectorError as exc:
            self.status.setText(visible(str(exc)))
            return
        self.table.setRowCount(len(self.records))
        for row, record in enumerate(self.records):
            last = record.attempts[-1] if record.attempts else None
            status = "—" if last is None else (str(last.status) if last.status else last.error_kind)
            when = datetime.fromtimestamp(record.started_at_us / 1e6).strftime("%Y-%m-%d %H:%M:%S")
            values = (when, record.kind, record.request.method, record.request.url,
                      str(len(record.attempts)), status)  # fmt: skip
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(visible(value)))
        self.status.setText(f"{len(self.records)} send(s), newest first")

    def _show(self, row: int) -> None:
        if 0 <= row < len(self.records):
            self.details.setPlainText(attempts_text(self.records[row]))

    @Slot()
    def _reopen(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.records):
            self.reopen.emit(self.records[row].request)
