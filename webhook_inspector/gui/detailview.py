"""The detail view: one capture's overview, headers, body, raw request and hex dump."""

from __future__ import annotations

import json
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from webhook_inspector.core.model import CapturedRequest

PRETTY_LIMIT_BYTES = 2 * 1024 * 1024  # above this the body is shown as sent, not re-indented
HEX_LIMIT_BYTES = 64 * 1024  # the hex tab shows the first 64 KiB
VISIBLE_CONTROLS = {c: 0x2400 + c for c in range(32) if c not in (9, 10)} | {127: 0x2421}


def visible(text: str) -> str:
    """Show control characters as Unicode control pictures (␛ for ESC) so nothing is obeyed."""
    return text.translate(VISIBLE_CONTROLS)


def hex_dump(data: bytes, limit: int = HEX_LIMIT_BYTES) -> str:
    """Classic offset / hex / ASCII dump of the first `limit` bytes."""
    lines = []
    for offset in range(0, min(len(data), limit), 16):
        chunk = data[offset : offset + 16]
        hexes = " ".join(f"{b:02x}" for b in chunk)
        text = "".join(chr(b) if 32 <= b < 127 else "." for b in chunk)
        lines.append(f"{offset:08x}  {hexes:<47}  {text}")
    if len(data) > limit:
        lines.append(f"… {len(data) - limit} more bytes (save the body to see them all)")
    return "\n".join(lines)


def pretty_body(capture: CapturedRequest) -> str:
    """The body as readable text: JSON re-indented, otherwise decoded with U+FFFD for bad bytes."""
    body = capture.body
    if not body:
        return ""
    text = body.decode("utf-8", "replace")
    if len(body) <= PRETTY_LIMIT_BYTES and text.lstrip()[:1] in ("{", "["):
        try:
            return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
        except (ValueError, RecursionError):
            pass
    return visible(text)


def plain_label(text: str = "", name: str = "") -> QLabel:
    """A QLabel that never interprets its text as HTML."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    if name:
        label.setObjectName(name)
    return label


def _mono() -> QFont:
    return QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)


def _text_view(name: str) -> QPlainTextEdit:
    view = QPlainTextEdit()
    view.setObjectName(name)
    view.setAccessibleName(name)
    view.setReadOnly(True)
    view.setFont(_mono())
    view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    return view


def _table(name: str, headers: tuple[str, str]) -> QTableWidget:
    table = QTableWidget(0, 2)
    table.setObjectName(name)
    table.setAccessibleName(name)
    table.setHorizontalHeaderLabels(list(headers))
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    return table


def _fill(table: QTableWidget, rows: list[tuple[str, str]]) -> None:
    table.setRowCount(len(rows))
    for row, (name, value) in enumerate(rows):
        table.setItem(row, 0, QTableWidgetItem(visible(name)))
        table.setItem(row, 1, QTableWidgetItem(visible(value[:10_000])))


class DetailView(QTabWidget):
    """Tabs showing one capture; every captured string is shown as plain text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailTabs")
        self.setAccessibleName("Capture details")
        self.overview = _table("overviewTable", ("Field", "Value"))
        self.query = _table("queryTable", ("Name", "Value"))
        self.headers = _table("headersTable", ("Name", "Value"))
        self.body = _text_view("bodyView")
        self.raw = _text_view("rawView")
        self.hex = _text_view("hexView")
        self.body_note = plain_label(name="bodyNote")

        overview = QWidget()
        layout = QVBoxLayout(overview)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.overview, 3)
        layout.addWidget(plain_label("Query"))
        layout.addWidget(self.query, 1)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addWidget(self.body_note)
        body_layout.addWidget(self.body)
        self.addTab(overview, "Overview")
        self.addTab(self.headers, "Headers")
        self.addTab(body, "Body")
        self.addTab(self.raw, "Raw")
        self.addTab(self.hex, "Hex")
        self.capture: CapturedRequest | None = None

    def show_capture(self, capture: CapturedRequest | None) -> None:
        """Show `capture`, or clear every tab for None."""
        self.capture = capture
        if capture is None:
            for table in (self.overview, self.query, self.headers):
                table.setRowCount(0)
            for view in (self.body, self.raw, self.hex):
                view.clear()
            self.body_note.clear()
            return
        when = datetime.fromtimestamp(capture.received_at_us / 1e6).astimezone()
        rows = [
            ("Method", capture.method),
            ("Target (raw)", capture.target),
            ("Path (decoded)", capture.decoded_path),
            ("Remote", capture.remote),
            ("Received", when.isoformat(timespec="microseconds")),
            ("HTTP version", capture.http_version),
            ("Body size", f"{len(capture.body)} bytes"),
            ("Content type", capture.content_type),
            ("Outcome", str(capture.outcome) + (f": {capture.reason}" if capture.reason else "")),
            ("Answered", str(capture.status)),
        ]
        if capture.declared_size is not None:
            rows.append(("Declared size", f"{capture.declared_size} bytes"))
        _fill(self.overview, rows)
        _fill(self.query, capture.query_items())
        _fill(self.headers, list(capture.headers) + list(capture.trailers))
        kind = capture.content_type or "no content type"
        self.body_note.setText(visible(f"{kind} · {len(capture.body)} bytes"))
        self.body.setPlainText(pretty_body(capture))
        raw = capture.raw_head + b"\r\n\r\n" + capture.body[:PRETTY_LIMIT_BYTES]
        self.raw.setPlainText(visible(raw.decode("utf-8", "replace")))
        self.hex.setPlainText(hex_dump(capture.body))
