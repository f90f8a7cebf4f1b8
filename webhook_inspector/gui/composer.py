"""The composer pane: edit a request byte-exact, sign it on every edit, send it, see the answer."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from webhook_inspector.core.errors import InspectorError
from webhook_inspector.core.model import Exchange, OutgoingRequest
from webhook_inspector.core.pretty import present, pretty_json
from webhook_inspector.core.signing import SCHEMES, Signer, request_signer
from webhook_inspector.core.sizes import human_size
from webhook_inspector.core.tasks import spawn
from webhook_inspector.gui.textviews import mono_font, plain_label, text_view, visible

METHODS = ("POST", "PUT", "PATCH", "GET", "DELETE", "HEAD", "OPTIONS")
GENERATED_COLOR = QColor(90, 120, 200)
EDIT_LIMIT_BYTES = 2 * 1024 * 1024  # bigger or binary bodies are sent as loaded, not edited


Send = Callable[[OutgoingRequest], Awaitable[Exchange]]


def _item(text: str, *, editable: bool = True) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if not editable:
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


class HeaderTable(QTableWidget):
    """Headers in order, each with an on/off box; generated ones marked and read-only."""

    def __init__(self) -> None:
        super().__init__(0, 2)
        self.setObjectName("composerHeaders")
        self.setAccessibleName("Request headers")
        self.setHorizontalHeaderLabels(["Name", "Value"])
        self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.horizontalHeader().resizeSection(0, 200)
        self.horizontalHeader().setStretchLastSection(True)
        self.verticalHeader().setDefaultSectionSize(22)

    def set_headers(self, headers: tuple[tuple[str, str], ...]) -> None:
        """Replace the user's headers (generated ones are dropped)."""
        self.setRowCount(0)
        for name, value in headers:
            self.add_header(name, value)

    def add_header(self, name: str = "", value: str = "", *, generated: bool = False) -> None:
        """Append one row."""
        row = self.rowCount()
        self.insertRow(row)
        name_item = _item(visible(name) if generated else name, editable=not generated)
        name_item.setFlags(name_item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        name_item.setCheckState(Qt.CheckState.Checked)
        value_item = _item(value, editable=not generated)
        if generated:
            font = QFont(name_item.font())
            font.setItalic(True)
            for item in (name_item, value_item):
                item.setFont(font)
                item.setForeground(QBrush(GENERATED_COLOR))
                item.setData(Qt.ItemDataRole.UserRole, "generated")
            value_item.setToolTip("")
        self.setItem(row, 0, name_item)
        self.setItem(row, 1, value_item)

    def is_generated(self, row: int) -> bool:
        """Whether `row` was added by the signing profile."""
        item = self.item(row, 0)
        return item is not None and item.data(Qt.ItemDataRole.UserRole) == "generated"

    def user_headers(self) -> tuple[tuple[str, str], ...]:
        """The enabled, non-generated headers in order."""
        return tuple(self._rows(generated=False))

    def set_generated(self, headers: tuple[tuple[str, str], ...]) -> None:
        """Replace the generated rows (they always come last)."""
        for row in reversed(range(self.rowCount())):
            if self.is_generated(row):
                self.removeRow(row)
        for name, value in headers:
            self.add_header(name, value, generated=True)

    def generated_headers(self) -> tuple[tuple[str, str], ...]:
        """The generated rows, in order."""
        return tuple(self._rows(generated=True))

    def _rows(self, *, generated: bool) -> list[tuple[str, str]]:
        rows = []
        for row in range(self.rowCount()):
            name, value = self.item(row, 0), self.item(row, 1)
            if name is None or self.is_generated(row) != generated:
                continue
            if name.checkState() == Qt.CheckState.Checked and name.text().strip():
                rows.append((name.text().strip(), value.text() if value else ""))
        return rows


class Composer(QWidget):
    """Method, URL, headers, body and a signing profile; Ctrl+Enter sends, Esc cancels.

    `send` does the network work (core/sender.py through an adapter); `signer` returns the
    headers a signing profile adds for a request, or raises InspectorError. Signals:
    sent(Exchange) after each completed send; save_requested(OutgoingRequest) for "Save to
    collection". A cURL command pasted into the URL field fills the whole composer.
    """

    sent = Signal(object)
    save_requested = Signal(object)

    def __init__(self, send: Send, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composer")
        self.setAccessibleName("Composer")
        self._send = send
        self._signer: Signer | None = None
        self._raw_body: bytes | None = None  # bytes kept exact while the editor is untouched
        self._task: asyncio.Task[None] | None = None

        self.method = QComboBox()
        self.method.setObjectName("composerMethod")
        self.method.setAccessibleName("Method")
        self.method.setEditable(True)
        self.method.addItems(METHODS)
        self.url = QLineEdit()
        self.url.setObjectName("composerUrl")
        self.url.setAccessibleName("URL")
        self.url.setPlaceholderText("http://127.0.0.1:3000/webhooks")
        self.send_button = QPushButton("Send")
        self.send_button.setObjectName("composerSend")
        self.send_button.setToolTip("Send (Ctrl+Enter)")
        self.send_button.clicked.connect(self.send)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("composerCancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        save = QPushButton("Save to collection")
        save.setObjectName("composerSave")
        save.clicked.connect(lambda: self.save_requested.emit(self.request()))
        self.url.textChanged.connect(self._maybe_curl)
        top = QHBoxLayout()
        top.addWidget(self.method)
        top.addWidget(self.url, 1)
        actions = QHBoxLayout()
        for button in (self.send_button, self.cancel_button, save):
            actions.addWidget(button)
        actions.addStretch(1)

        self.headers = HeaderTable()
        self.headers.itemChanged.connect(self._resign)
        add = QPushButton("Add header")
        add.setObjectName("composerAddHeader")
        add.clicked.connect(lambda: self.headers.add_header())  # noqa: PLW0108 - not clicked(bool)
        remove = QPushButton("Remove header")
        remove.setObjectName("composerRemoveHeader")
        remove.clicked.connect(self._remove_header)
        self.body = QPlainTextEdit()
        self.body.setObjectName("composerBody")
        self.body.setAccessibleName("Request body")
        self.body.setFont(mono_font())
        self.body.textChanged.connect(self._body_edited)
        format_json = QPushButton("Format JSON")
        format_json.setObjectName("composerFormatJson")
        format_json.clicked.connect(self.format_json)
        from_file = QPushButton("Body from file…")
        from_file.setObjectName("composerBodyFile")
        from_file.clicked.connect(self._choose_body_file)
        self.body_note = plain_label(name="composerBodyNote")
        self.sign_note = plain_label(name="composerSignNote")
        self.sign_note.setWordWrap(True)
        self.scheme = QComboBox()
        self.scheme.setObjectName("composerScheme")
        self.scheme.setAccessibleName("Signing scheme")
        self.scheme.addItem("No signing", "")
        for scheme_id in sorted(SCHEMES):
            self.scheme.addItem(scheme_id, scheme_id)
        self.secret = QLineEdit()
        self.secret.setObjectName("composerSecret")
        self.secret.setAccessibleName("Signing secret")
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setPlaceholderText("secret, or secret:NAME (keyring) / env:VAR")
        self.scheme.currentIndexChanged.connect(self._profile_changed)
        self.secret.editingFinished.connect(self._profile_changed)
        signing_row = QHBoxLayout()
        signing_row.addWidget(plain_label("Sign with"))
        signing_row.addWidget(self.scheme)
        signing_row.addWidget(self.secret, 1)
        header_buttons = QHBoxLayout()
        for widget in (add, remove):
            header_buttons.addWidget(widget)
        header_buttons.addStretch(1)
        body_buttons = QHBoxLayout()
        for widget in (format_json, from_file, self.body_note):
            body_buttons.addWidget(widget)
        body_buttons.addStretch(1)

        request = QWidget()
        request_layout = QVBoxLayout(request)
        request_layout.setContentsMargins(0, 0, 0, 0)
        request_layout.addWidget(self.headers, 2)
        request_layout.addLayout(header_buttons)
        request_layout.addLayout(signing_row)
        request_layout.addWidget(self.sign_note)
        request_layout.addWidget(self.body, 3)
        request_layout.addLayout(body_buttons)

        self.status = plain_label(name="replyStatus")
        self.reply_headers = QTableWidget(0, 2)
        self.reply_headers.setObjectName("replyHeaders")
        self.reply_headers.setHorizontalHeaderLabels(["Name", "Value"])
        self.reply_headers.horizontalHeader().setStretchLastSection(True)
        self.reply_headers.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.reply_body = text_view("replyBody", "Response body")
        reply_tabs = QTabWidget()
        reply_tabs.setObjectName("replyTabs")
        reply_tabs.addTab(self.reply_body, "Body")
        reply_tabs.addTab(self.reply_headers, "Headers")
        reply = QWidget()
        reply_layout = QVBoxLayout(reply)
        reply_layout.setContentsMargins(0, 0, 0, 0)
        reply_layout.addWidget(self.status)
        reply_layout.addWidget(reply_tabs, 1)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(request)
        split.addWidget(reply)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(actions)
        layout.addWidget(split, 1)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.send)
        QShortcut(QKeySequence("Ctrl+Enter"), self, self.send)
        self.method.currentTextChanged.connect(self._resign)
        self.url.textChanged.connect(self._resign)

    # loading

    def load(self, request: OutgoingRequest) -> None:
        """Fill the composer with `request`; its body bytes stay exact until edited."""
        self.method.setCurrentText(request.method)
        self.url.setText(request.url)
        self.headers.blockSignals(True)
        self.headers.set_headers(request.headers)
        self.headers.blockSignals(False)
        self._set_body_bytes(request.body)
        self._resign()

    def _set_body_bytes(self, body: bytes, source: str = "") -> None:
        editable = len(body) <= EDIT_LIMIT_BYTES
        try:
            text = body.decode("utf-8") if editable else ""
        except UnicodeDecodeError:
            editable, text = False, ""
        self._raw_body = body
        self.body.blockSignals(True)
        self.body.setReadOnly(not editable)
        self.body.setPlainText(text if editable else present(body, "").text)
        self.body.blockSignals(False)
        where = f" from {source}" if source else ""
        note = f"{human_size(len(body))}{where}"
        if not editable:
            note += " · sent byte for byte (binary or large: not editable here)"
        self.body_note.setText(visible(note))

    @Slot()
    def _body_edited(self) -> None:
        if not self.body.isReadOnly():
            self._raw_body = None
        self._resign()

    def body_bytes(self) -> bytes:
        """The body to send: the loaded bytes if untouched, else the editor's text as UTF-8."""
        if self._raw_body is not None:
            return self._raw_body
        return self.body.toPlainText().encode("utf-8")

    def request(self) -> OutgoingRequest:
        """The request as composed, generated headers included."""
        generated = self.headers.generated_headers()
        names = {name.lower() for name, _ in generated}
        user = tuple(h for h in self.headers.user_headers() if h[0].lower() not in names)
        body = self.body_bytes()
        if self._raw_body is None:  # edited: a Content-Length from the capture would now lie
            user = tuple((n, str(len(body))) if n.lower() == "content-length" else (n, v)
                         for n, v in user)  # fmt: skip
        headers = user + generated
        return OutgoingRequest(self.method.currentText().strip(), self.url.text().strip(),
                               headers, body)  # fmt: skip

    @Slot(str)
    def _maybe_curl(self, text: str) -> None:
        if not text.lstrip().startswith("curl "):
            return
        from webhook_inspector.core.formats.importers import import_bytes  # noqa: PLC0415

        try:
            result = import_bytes(text.encode("utf-8"))
        except InspectorError as exc:
            self.body_note.setText(visible(f"not a cURL command we can read: {exc}"))
            return
        if result.requests:
            self.load(result.requests[0])
            notes = "; ".join(result.warnings)
            self.body_note.setText(
                visible("filled from the cURL command" + (f" ({notes})" if notes else ""))
            )

    # editing helpers

    @Slot()
    def format_json(self) -> None:
        """Re-indent a JSON body (a no-op with a note when the body is not JSON)."""
        pretty = pretty_json(self.body.toPlainText()) if not self.body.isReadOnly() else None
        if pretty is None:
            self.body_note.setText("the body is not JSON: left as it is")
            return
        self.body.setPlainText(pretty)

    @Slot()
    def _remove_header(self) -> None:
        row = self.headers.currentRow()
        if row >= 0 and not self.headers.is_generated(row):
            self.headers.removeRow(row)
            self._resign()

    @Slot()
    def _choose_body_file(self) -> None:
        dialog = QFileDialog(self, "Body from file")
        dialog.setObjectName("composerBodyDialog")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(lambda path: spawn(self.load_body_file(Path(path)),
                                                       name="read body file"))  # fmt: skip
        self.file_dialog = dialog
        dialog.open()

    async def load_body_file(self, path: Path) -> None:
        """Read `path` off the UI thread and use its bytes as the body."""
        try:
            data = await asyncio.to_thread(path.read_bytes)
        except OSError as exc:
            self.body_note.setText(visible(f"cannot read {path.name}: {exc.strerror}"))
            return
        self._set_body_bytes(data, path.name)
        self._resign()

    # signing

    @Slot()
    def _profile_changed(self) -> None:
        scheme_id = str(self.scheme.currentData() or "")
        if not scheme_id:
            self.set_signer(None)
            return
        if not self.secret.text():
            self._signer = None
            self._resign()
            self.sign_note.setText(f"{scheme_id}: enter the secret (or secret:NAME / env:VAR)")
            return
        try:
            signer = request_signer(scheme_id, self.secret.text())
        except InspectorError as exc:
            self.set_signer(None)
            self.sign_note.setText(visible(f"not signed: {exc}"))
            return
        self.set_signer(signer)

    def set_signer(self, signer: Signer | None) -> None:
        """Use `signer` to add headers on every edit (None: no signing)."""
        self._signer = signer
        self._resign()

    @Slot()
    def _resign(self) -> None:
        if self._signer is None:
            self.headers.blockSignals(True)
            self.headers.set_generated(())
            self.headers.blockSignals(False)
            self.sign_note.clear()
            return
        unsigned = OutgoingRequest(self.method.currentText().strip(), self.url.text().strip(),
                                   self.headers.user_headers(), self.body_bytes())  # fmt: skip
        try:
            generated = self._signer(unsigned)
            note = f"signed: {len(generated)} generated header(s), updated on every edit"
        except InspectorError as exc:
            generated, note = (), f"not signed: {exc}"
        self.headers.blockSignals(True)
        self.headers.set_generated(generated)
        self.headers.blockSignals(False)
        self.sign_note.setText(visible(note))

    # sending

    @Slot()
    def send(self) -> None:
        """Send the composed request (one at a time)."""
        if self._task is not None and not self._task.done():
            return
        request = self.request()
        if not request.url:
            self.status.setText("Enter a URL first")
            return
        self.status.setText(f"Sending {request.method} {request.url} …")
        self.send_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self._task = spawn(self._run(request), name="composer send")

    @Slot()
    def cancel(self) -> None:
        """Cancel the send in flight."""
        if self._task is not None and not self._task.done():
            self._task.cancel()

    async def _run(self, request: OutgoingRequest) -> None:
        try:
            exchange = await self._send(request)
        except asyncio.CancelledError:
            self.status.setText("Cancelled")
            return
        finally:
            self.send_button.setEnabled(True)
            self.cancel_button.setEnabled(False)
        self.show_exchange(exchange)
        self.sent.emit(exchange)

    def show_exchange(self, exchange: Exchange) -> None:
        """Show an answer (status, timings, headers, body) or why there was none."""
        if exchange.status is None:
            self.status.setText(visible(f"No answer: {exchange.error}"))
        else:
            timings = [("connect", exchange.connect_ms), ("first byte", exchange.first_byte_ms),
                       ("total", exchange.total_ms)]  # fmt: skip
            spent = " · ".join(f"{name} {ms:.1f} ms" for name, ms in timings if ms is not None)
            size = human_size(exchange.body_size)
            if exchange.body_truncated:
                size += f" (showing {human_size(len(exchange.body))}; whole body in"
                size += f" {exchange.body_path})"
            line = f"{exchange.status} {exchange.reason} · {size} · {spent}"
            self.status.setText(visible(line))
        self.reply_headers.setRowCount(len(exchange.headers))
        for row, (name, value) in enumerate(exchange.headers):
            self.reply_headers.setItem(row, 0, QTableWidgetItem(visible(name)))
            self.reply_headers.setItem(row, 1, QTableWidgetItem(visible(value)))
        content_type = exchange.header("content-type") or ""
        encoding = exchange.header("content-encoding") or ""
        shown = present(exchange.body, content_type, encoding)
        self.reply_body.setPlainText(visible(shown.text))
