"""The collection sidebar: a folder of request files as a tree, environments, run, and edits."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from webhook_inspector.core.collection.captures import collection_captures
from webhook_inspector.core.collection.imports import import_into
from webhook_inspector.core.collection.runner import prepare
from webhook_inspector.core.collection.secretvalues import without_secret_headers
from webhook_inspector.core.collection.tree import Collection, Item
from webhook_inspector.core.collection.variables import render
from webhook_inspector.core.errors import InspectorError
from webhook_inspector.core.formats import Exporter
from webhook_inspector.core.formats.importresult import ImportResult
from webhook_inspector.core.model import Exchange, OutgoingRequest
from webhook_inspector.core.tasks import spawn
from webhook_inspector.gui.exporting import ExportDialog
from webhook_inspector.gui.textviews import plain_label, visible

WATCH_INTERVAL_MS = 2000  # how often the folder is checked for edits made elsewhere (git pull)
ID_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2

SendPrepared = Callable[[OutgoingRequest, object], Awaitable[Exchange]]


class CollectionPanel(QWidget):
    """Shows one collection folder; every disk access runs off the UI thread.

    `send(request, sign)` sends one rendered request (the window's sender). Signals:
    open_request(OutgoingRequest) — put this request in the composer; message(str) — an
    expected error or a result for the message bar.
    """

    open_request = Signal(object)
    message = Signal(str)

    def __init__(self, send: SendPrepared, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("collectionPanel")
        self.setAccessibleName("Collection")
        self._send = send
        self.collection: Collection | None = None
        self._fingerprint = ""
        self.title = plain_label("No collection open", "collectionTitle")
        open_button = QPushButton("Open…")
        open_button.setObjectName("openCollection")
        open_button.clicked.connect(self._choose_folder)
        self.env = QComboBox()
        self.env.setObjectName("environmentSelector")
        self.env.setAccessibleName("Environment")
        self.env.addItem("No environment", "")
        self.tree = QTreeWidget()
        self.tree.setObjectName("collectionTree")
        self.tree.setAccessibleName("Collection requests")
        self.tree.setHeaderHidden(True)
        self.tree.itemDoubleClicked.connect(lambda item, _col: self.open_selected())
        self.status = plain_label(name="collectionStatus")
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        for name, text, slot in (
            ("runCollection", "Run", self.run_selected),
            ("newFolder", "New folder", self._ask_folder),
            ("renameItem", "Rename", self._ask_rename),
            ("moveItem", "Move", self._ask_move),
            ("duplicateItem", "Duplicate", self.duplicate_selected),
            ("deleteItem", "Delete", self._confirm_delete),
            ("exportCollection", "Export…", self._open_export),
        ):
            button = QPushButton(text)
            button.setObjectName(name)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(open_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.env)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self._watch = QTimer(self)
        self._watch.setInterval(WATCH_INTERVAL_MS)
        self._watch.timeout.connect(lambda: spawn(self._check_outside_edits(), name="watch"))

    # opening and refreshing

    @Slot()
    def _choose_folder(self) -> None:
        dialog = QFileDialog(self, "Open or create a collection folder")
        dialog.setObjectName("collectionDialog")
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.fileSelected.connect(lambda path: spawn(self.open_folder(Path(path)), name="open"))
        self.folder_dialog = dialog
        dialog.open()

    async def open_folder(self, path: Path) -> None:
        """Open the collection in `path` (creating one in an empty folder)."""

        def load() -> Collection:
            try:
                return Collection.open(path)
            except InspectorError:
                if path.is_dir() and not any(path.iterdir()):
                    return Collection.create(path, path.name)
                raise

        try:
            self.collection = await asyncio.to_thread(load)
        except InspectorError as exc:
            self.message.emit(str(exc))
            return
        self.title.setText(visible(self.collection.manifest.name or path.name))
        await self.refresh()
        self._watch.start()

    async def refresh(self) -> None:
        """Re-read the tree and environments from disk."""
        collection = self.collection
        if collection is None:
            return

        def read() -> tuple[Collection, tuple[Item, ...], list[str], str]:
            fresh = Collection.open(collection.root)  # the manifest may have changed too
            names = [env.name for env in fresh.environments()]
            return fresh, fresh.items(), names, fresh.fingerprint()

        try:
            fresh, items, environments, self._fingerprint = await asyncio.to_thread(read)
        except InspectorError as exc:
            self.message.emit(str(exc))
            return
        self.collection = fresh
        selected = self.selected_id()
        self.tree.clear()
        self._add_items(self.tree.invisibleRootItem(), items)
        self.tree.expandAll()
        current = self.env.currentData()
        self.env.clear()
        self.env.addItem("No environment", "")
        for name in environments:
            self.env.addItem(visible(name), name)
        self.env.setCurrentIndex(max(0, self.env.findData(current)))
        if selected:
            self.select(selected)

    def _add_items(self, parent: QTreeWidgetItem, items: tuple[Item, ...]) -> None:
        for item in items:
            label = item.name if item.kind == "folder" else f"{item.method:7} {item.name}"
            if item.error:
                label += f"  ⚠ {item.error}"
            node = QTreeWidgetItem([visible(label)])
            node.setData(0, ID_ROLE, item.id)
            node.setData(0, KIND_ROLE, item.kind)
            parent.addChild(node)
            self._add_items(node, item.children)

    async def _check_outside_edits(self) -> None:
        collection = self.collection
        if collection is None:
            return
        try:
            fingerprint = await asyncio.to_thread(collection.fingerprint)
        except InspectorError:
            return
        if fingerprint != self._fingerprint:
            await self.refresh()
            self.status.setText("Reloaded: the folder changed on disk")

    # selection

    def selected_id(self) -> str:
        """The id of the selected item ("" for none)."""
        item = self.tree.currentItem()
        return str(item.data(0, ID_ROLE)) if item is not None else ""

    def _selected_folder(self) -> str:
        item = self.tree.currentItem()
        if item is None:
            return ""
        if item.data(0, KIND_ROLE) == "folder":
            return str(item.data(0, ID_ROLE))
        return str(item.data(0, ID_ROLE)).rpartition("/")[0]

    def select(self, item_id: str) -> None:
        """Select the item with `item_id`, if shown."""
        for node in self.tree.findItems(
            "", Qt.MatchFlag.MatchContains | Qt.MatchFlag.MatchRecursive
        ):
            if node.data(0, ID_ROLE) == item_id:
                self.tree.setCurrentItem(node)
                return

    # actions

    def _environment(self) -> str | None:
        return str(self.env.currentData() or "") or None

    @Slot()
    def open_selected(self) -> None:
        """Put the selected request, rendered with the environment, into the composer."""
        if self.collection is None or not self.selected_id():
            return
        spawn(self._open(self.collection, self.selected_id()), name="open request")

    async def _open(self, collection: Collection, item_id: str) -> None:
        env = self._environment()

        def load() -> OutgoingRequest:
            return render(collection.load_request(item_id),
                          collection.environment(env) if env else None)  # fmt: skip

        try:
            request = await asyncio.to_thread(load)
        except InspectorError as exc:
            self.message.emit(str(exc))
            return
        self.open_request.emit(request)

    @Slot()
    def run_selected(self) -> None:
        """Send the selected request, or every request of the selected folder, in order."""
        if self.collection is not None:
            spawn(self._run(self.collection, self.selected_id()), name="run collection")

    async def _run(self, collection: Collection, item_id: str) -> None:
        try:
            prepared = await asyncio.to_thread(prepare, collection, item_id, self._environment())
        except InspectorError as exc:
            self.message.emit(str(exc))
            return
        ok = 0
        for number, item in enumerate(prepared, 1):
            self.status.setText(visible(f"Sending {number}/{len(prepared)}: {item.item_id}"))
            exchange = await self._send(item.request, item.sign)
            ok += exchange.ok
        self.status.setText(f"Ran {len(prepared)} request(s): {ok} answered 2xx")
        self.ran = (len(prepared), ok)

    async def save_request(self, request: OutgoingRequest, name: str) -> str | None:
        """Save `request` (secret header values replaced by references) in the selected folder."""
        collection = self.collection
        if collection is None:
            self.message.emit("Open a collection folder first (Collection → Open…)")
            return None
        clean, moved = without_secret_headers(request)
        folder = self._selected_folder()
        try:
            item_id = await asyncio.to_thread(collection.save_request, folder, name, clean)
        except InspectorError as exc:
            self.message.emit(str(exc))
            return None
        await self.refresh()
        self.select(item_id)
        note = f"Saved {item_id}"
        if moved:
            note += "; secrets left out: " + "; ".join(m.hint for m in moved)
        self.status.setText(visible(note))
        return item_id

    async def import_result(self, result: ImportResult) -> None:
        """Write an imported file's requests and environments into the open collection."""
        collection = self.collection
        if collection is None:
            self.message.emit("Open a collection folder first to import into it")
            return
        try:
            summary = await asyncio.to_thread(import_into, result, collection.root)
        except InspectorError as exc:
            self.message.emit(str(exc))
            return
        await self.refresh()
        self.status.setText(f"Imported {len(summary.request_ids)} request(s) ({result.format})")

    def _edit(self, work: Callable[[Collection], object], done: str) -> None:
        collection = self.collection
        if collection is None:
            return

        async def run() -> None:
            try:
                await asyncio.to_thread(work, collection)
            except InspectorError as exc:
                self.message.emit(str(exc))
                return
            await self.refresh()
            self.status.setText(visible(done))

        spawn(run(), name="edit collection")

    @Slot()
    def duplicate_selected(self) -> None:
        """Copy the selected request next to it."""
        item_id = self.selected_id()
        if item_id:
            self._edit(lambda c: c.duplicate(item_id), f"Duplicated {item_id}")

    def _ask(self, title: str, label: str, text: str, then: Callable[[str], None]) -> None:
        dialog = QInputDialog(self)
        dialog.setWindowTitle(title)
        dialog.setLabelText(label)
        dialog.setTextValue(text)
        dialog.textValueSelected.connect(then)
        self.input_dialog = dialog
        dialog.open()

    @Slot()
    def _ask_folder(self) -> None:
        parent = self._selected_folder()

        def create(name: str) -> None:
            self._edit(lambda c: c.add_folder(parent, name), f"Added {name}")

        self._ask("New folder", "Folder name:", "", create)

    @Slot()
    def _ask_rename(self) -> None:
        item_id = self.selected_id()
        if item_id:
            old = item_id.rpartition("/")[2].removesuffix(".yml")

            def rename(name: str) -> None:
                self._edit(lambda c: c.rename(item_id, name), f"Renamed to {name}")

            self._ask("Rename", "New name:", old, rename)

    @Slot()
    def _ask_move(self) -> None:
        if self.selected_id():
            self._ask("Move", "Into folder (e.g. Orders/Paid; empty for the top):", "",
                      self.move_selected)  # fmt: skip

    def move_selected(self, folder: str) -> None:
        """Move the selected item into `folder` ("" = the root)."""
        item_id = self.selected_id()
        if item_id:
            self._edit(lambda c: c.move(item_id, folder), f"Moved {item_id}")

    @Slot()
    def _open_export(self) -> None:
        if self.collection is None:
            return
        dialog = ExportDialog(False, 1 if self.selected_id() else 0, self, noun="request")
        dialog.chosen.connect(lambda exporter, scope, redact, path: spawn(
            self.export(exporter, "" if scope == "all" else self.selected_id(), redact, path),
            name="export collection"))  # fmt: skip
        self.export_dialog = dialog
        dialog.show()

    async def export(self, exporter: Exporter, item_id: str, redact: bool, target: Path) -> None:
        """Export the collection (or one request or folder) with the active environment."""
        collection, env = self.collection, self._environment()
        if collection is None:
            return

        def run() -> int:
            captures = list(collection_captures(collection, item_id, env))  # all checked first
            return exporter.export_file(captures, target, redact=redact)

        try:
            written = await asyncio.to_thread(run)
        except InspectorError as exc:
            self.message.emit(str(exc))
            return
        self.status.setText(visible(f"Exported {written} request(s) to {target.name}"))

    @Slot()
    def _confirm_delete(self) -> None:
        item_id = self.selected_id()
        if not item_id:
            return
        box = QMessageBox(self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setWindowTitle("Delete")
        box.setText(f"Delete {item_id} from the collection folder?")
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        box.accepted.connect(lambda: self._edit(lambda c: c.delete(item_id), f"Deleted {item_id}"))
        self.delete_box = box
        box.open()
