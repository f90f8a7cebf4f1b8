"""File → Export: captures in any export format, off the UI thread, with progress."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QWidget,
)

from webhook_inspector.core.formats import EXPORTERS, Exporter
from webhook_inspector.core.model import CapturedRequest
from webhook_inspector.core.query import Query
from webhook_inspector.core.store import Store

PROGRESS_EVERY = 200  # captures between progress reports

Progress = Callable[[int], None]


def export_to_file(
    db_path: Path, target: Path, exporter: Exporter, *, query: Query | None = None,
    ids: list[int] | None = None, redact: bool = True, progress: Progress | None = None,
) -> int:  # fmt: skip
    """Write the chosen captures to `target` (via a .part file); run it on a worker thread."""

    def chosen(store: Store) -> Iterator[CapturedRequest]:
        captures = (store.get(i) for i in ids) if ids is not None else store.iter_captures(
            query=query)  # fmt: skip
        for count, capture in enumerate(captures, 1):
            if progress is not None and count % PROGRESS_EVERY == 0:
                progress(count)
            yield capture

    with Store(db_path) as store:
        return exporter.export_file(chosen(store), target, redact=redact)


class ExportDialog(QDialog):
    """Format, scope (all / current filter / selection) and redaction, then a file name.

    Signals: chosen(Exporter, str scope, bool redact, Path) — start the export.
    """

    chosen = Signal(object, str, bool, object)

    def __init__(
        self, has_filter: bool, selected: int, parent: QWidget | None = None, *,
        noun: str = "capture",
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export captures")
        self.format = QComboBox()
        self.format.setObjectName("exportFormat")
        for name, exporter in EXPORTERS.items():
            self.format.addItem(f"{exporter.description or name} ({name})", name)
        self.scope = QComboBox()
        self.scope.setObjectName("exportScope")
        self.scope.addItem(f"Every {noun}", "all")
        if has_filter:
            self.scope.addItem(f"{noun.capitalize()}s matching the filter", "filter")
        if selected:
            self.scope.addItem(f"The {selected} selected {noun}(s)", "selection")
            self.scope.setCurrentIndex(self.scope.count() - 1)
        self.redact = QCheckBox("Redact secrets and signature headers")
        self.redact.setObjectName("exportRedact")
        self.redact.setChecked(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._ask_file)
        buttons.rejected.connect(self.close)
        form = QFormLayout(self)
        form.addRow("Format", self.format)
        form.addRow("Captures", self.scope)
        form.addRow("", self.redact)
        form.addRow(buttons)

    def exporter(self) -> Exporter:
        """The chosen format."""
        return EXPORTERS[str(self.format.currentData())]

    @Slot()
    def _ask_file(self) -> None:
        exporter = self.exporter()
        dialog = QFileDialog(self, "Export to")
        dialog.setObjectName("exportFileDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.selectFile(f"captures{exporter.extension}")
        dialog.fileSelected.connect(lambda path: self.start(Path(path)))
        self.file_dialog = dialog
        dialog.open()

    def start(self, path: Path) -> None:
        """Announce the export to `path` with the chosen options and close."""
        scope = str(self.scope.currentData())
        self.chosen.emit(self.exporter(), scope, self.redact.isChecked(), path)
        self.close()


async def run_export(
    db_path: Path, target: Path, exporter: Exporter, *, query: Query | None,
    ids: list[int] | None, redact: bool, progress: Progress,
) -> int:  # fmt: skip
    """export_to_file on a worker thread; progress is called on the caller's loop."""
    loop = asyncio.get_running_loop()

    def report(count: int) -> None:
        loop.call_soon_threadsafe(progress, count)

    return await asyncio.to_thread(export_to_file, db_path, target, exporter, query=query,
                                   ids=ids, redact=redact, progress=report)  # fmt: skip
