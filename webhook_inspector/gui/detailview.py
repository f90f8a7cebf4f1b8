"""The detail view: one capture's overview, headers, body, raw request and hex dump."""

from __future__ import annotations

import json
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QImageReader, QPixmap, QResizeEvent, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from webhook_inspector.core.highlightpool import Highlighter
from webhook_inspector.core.model import CapturedRequest
from webhook_inspector.core.pretty import Presentation, hex_dump, present
from webhook_inspector.core.sizes import human_size
from webhook_inspector.gui.bodyview import BodyView
from webhook_inspector.gui.textviews import plain_label, text_view, visible

RAW_LIMIT_BYTES = 2 * 1024 * 1024  # the Raw tab shows the head and the first 2 MiB of body
CELL_LIMIT_CHARS = 10_000  # a table cell shows this much of a value (100k-char headers exist)
IMAGE_LIMIT_PIXELS = 64_000_000
MAX_MARKS = 1000  # search terms marked in a body at most
MARK_LIMIT_CHARS = 2 * 1024 * 1024  # bigger bodies are not searched for marks on the UI thread


def _table(name: str, headers: tuple[str, ...]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setAccessibleName(name)
    table.setHorizontalHeaderLabels(list(headers))
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    table.verticalHeader().setDefaultSectionSize(22)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    return table


def _cell(text: str) -> QTableWidgetItem:
    shown = visible(text[:CELL_LIMIT_CHARS])
    if len(text) > CELL_LIMIT_CHARS:
        shown += f" … ({len(text)} characters)"
    item = QTableWidgetItem(shown)
    item.setToolTip("")  # a tooltip would interpret HTML; cells never get one
    return item


def wire_text(value: str) -> str:
    """A header or target (latin-1 as received) shown as UTF-8 where it is UTF-8."""
    try:
        return value.encode("latin-1").decode("utf-8", "replace")
    except UnicodeEncodeError:  # already text (decoded elsewhere)
        return value


def _fill(table: QTableWidget, rows: list[tuple[str, ...]]) -> None:
    table.setRowCount(len(rows))
    for row, values in enumerate(rows):
        for column, value in enumerate(values):
            table.setItem(row, column, _cell(value))


def signature_text(capture: CapturedRequest) -> str:
    """The stored verification verdict as readable plain text."""
    if not capture.signature_detail:
        return (
            "Not checked: no verification profile matched this capture.\n\n"
            "Add one under Edit → Verification profiles (or `listen --verify "
            "SCHEME=SECRET,path=GLOB`), or check it now with `webhook-inspector verify "
            f"--scheme ID --secret S --capture {capture.id}`."
        )
    try:
        detail = json.loads(capture.signature_detail)
    except ValueError:
        return capture.signature_detail
    lines = [
        f"{str(detail.get('status', '')).upper()} · {detail.get('scheme', '')}"
        f" · {detail.get('reason', '')}",
        "",
        str(detail.get("explanation", "")),
    ]
    explanation = str(detail.get("explanation", ""))
    if detail.get("expected") and "expected:" not in explanation:
        lines += ["", f"expected:  {detail['expected']}"]
    for received in detail.get("received") or []:
        if "received:" not in explanation:
            lines.append(f"received:  {received}")
    if detail.get("skew_s") is not None:
        lines.append(
            f"timestamp skew: {detail['skew_s']:.0f} s (tolerance {detail.get('tolerance_s')} s)"
        )
    for hint in detail.get("hints") or []:
        if hint not in explanation:
            lines += ["", f"hint: {hint}"]
    if detail.get("signed_string") and "signed string" not in explanation:
        lines += ["", "signed string (non-printable bytes escaped):", str(detail["signed_string"])]
    return visible("\n".join(lines))


def _image(data: bytes) -> QPixmap | None:
    """The image as a pixmap, or None when Qt cannot decode it or it is absurdly large."""
    pixmap = QPixmap()
    if not pixmap.loadFromData(data):
        return None
    if pixmap.width() * pixmap.height() > IMAGE_LIMIT_PIXELS:
        return None
    return pixmap


NOTHING_SELECTED = "Select a request in the list to see it whole (j/k or ↑/↓ move through it)."


class DetailView(QTabWidget):
    """Tabs showing one capture; every captured string is shown as plain text.

    Signals: edit_resend, copy_curl, copy_body, save_body — the user asked for that action.
    """

    edit_resend = Signal()
    copy_curl = Signal()
    copy_body = Signal()
    save_body = Signal()

    def __init__(
        self, highlighter: Highlighter | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("detailTabs")
        self.setAccessibleName("Capture details")
        QImageReader.setAllocationLimit(256)  # MB: a hostile image header cannot ask for more
        self.overview = _table("overviewTable", ("Field", "Value"))
        self.query = _table("queryTable", ("Name", "Value"))
        self.headers = _table("headersTable", ("Name", "Value"))
        self.body = BodyView(highlighter)
        self.body.highlighted.connect(self._mark_terms)
        self.raw = text_view("rawView", "Raw request")
        self.hex = text_view("hexView", "Hex dump")
        self.body_note = plain_label(name="bodyNote")
        self.body_note.setWordWrap(True)
        self.form = _table("formTable", ("Field", "Value"))
        self.parts = _table("partsTable", ("Name", "File name", "Type", "Size"))
        self.image = QLabel()
        self.image.setObjectName("bodyImage")
        self.image.setTextFormat(Qt.TextFormat.PlainText)
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image_scroll = QScrollArea()
        self.image_scroll.setWidget(self.image)
        self.image_scroll.setWidgetResizable(True)
        self.presentation: Presentation | None = None
        self._terms: tuple[str, ...] = ()
        self.marks = 0  # search terms marked in the body
        self.capture: CapturedRequest | None = None

        overview = QWidget()
        layout = QVBoxLayout(overview)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.overview, 3)
        self.query_title = plain_label("Query")
        layout.addWidget(self.query_title)
        layout.addWidget(self.query, 1)

        self.body_split = QSplitter(Qt.Orientation.Vertical)
        self.body_split.setObjectName("bodySplitter")
        for widget in (self.form, self.parts, self.image_scroll, self.body):
            self.body_split.addWidget(widget)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 4, 0, 0)
        body_layout.addWidget(self.body_note)
        body_layout.addWidget(self.body_split, 1)

        self.addTab(overview, "Overview")
        self.addTab(self.headers, "Headers")
        self.addTab(body, "Body")
        self.addTab(self.raw, "Raw")
        self.addTab(self.hex, "Hex")
        self.signature = text_view("signatureView", "Signature check")
        self.signature.setLineWrapMode(self.signature.LineWrapMode.WidgetWidth)
        self.signature_index = self.addTab(self.signature, "Signature")
        self.setCornerWidget(self._actions(), Qt.Corner.TopRightCorner)
        self.setCurrentIndex(self.indexOf(body))  # what people open a webhook for
        self.show_capture(None)

    def _actions(self) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 4, 0)
        self._labels: list[tuple[QToolButton, str, str]] = []  # button, full text, short text
        for name, text, short, signal in (
            ("editResend", "Edit and resend", "Resend…", self.edit_resend),
            ("copyCurl", "Copy as cURL", "cURL", self.copy_curl),
            ("copyBody", "Copy body", "Copy", self.copy_body),
            ("saveBody", "Save body…", "Save…", self.save_body),
        ):
            button = QToolButton()
            button.setObjectName(name)
            button.setText(text)
            button.setAccessibleName(text)
            button.setToolTip(text)
            button.setAutoRaise(True)
            button.clicked.connect(signal.emit)
            row.addWidget(button)
            self._labels.append((button, text, short))
        self.action_buttons = box
        self._full_actions_width = box.sizeHint().width()
        return box

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Keep every tab in view: short action labels when the full ones would not fit."""
        super().resizeEvent(event)
        self._fit_actions()

    def _fit_actions(self) -> None:
        short = self.width() < self.tabBar().sizeHint().width() + self._full_actions_width + 8
        for button, text, brief in self._labels:
            button.setText(brief if short else text)

    def show_capture(self, capture: CapturedRequest | None) -> None:
        """Show `capture`, or clear every tab for None."""
        self.capture = capture
        self.action_buttons.setEnabled(capture is not None)
        if capture is None:
            for table in (self.overview, self.query, self.headers, self.form, self.parts):
                table.setRowCount(0)
            self.body.stop()
            for view in (self.body, self.raw, self.hex):
                view.clear()
            self.body_note.setText(NOTHING_SELECTED)
            self.signature.clear()
            self.setTabText(self.signature_index, "Signature")
            self._fit_actions()
            self.presentation = None
            self._show_structured(None)
            return
        _fill(self.overview, self._overview_rows(capture))
        query = capture.query_items()
        _fill(self.query, query)
        self.query.setVisible(bool(query))
        self.query_title.setVisible(bool(query))
        fields = list(capture.headers) + list(capture.trailers)
        _fill(self.headers, [(wire_text(name), wire_text(value)) for name, value in fields])
        encoding = ", ".join(capture.header_values("content-encoding"))
        shown = present(capture.body, capture.content_type, encoding)
        self.presentation = shown
        notes = [*shown.notes, human_size(len(capture.body)) + " as received"]
        if capture.outcome != "captured":
            notes.insert(0, f"refused ({capture.outcome}): the body may be partial")
        self.body.set_body(shown.text, shown.mime)
        if self.body.note:
            notes.append(self.body.note)
        self.body_note.setText(visible(" · ".join(notes)))
        self._mark_terms()
        self._show_structured(shown)
        raw = capture.raw_head + b"\r\n\r\n" + capture.body[:RAW_LIMIT_BYTES]
        self.raw.setPlainText(visible(raw.decode("utf-8", "replace")))
        if len(capture.body) > RAW_LIMIT_BYTES:
            self.raw.appendPlainText(f"\n… {len(capture.body) - RAW_LIMIT_BYTES} more bytes")
        self.hex.setPlainText(hex_dump(capture.body))
        self.signature.setPlainText(signature_text(capture))
        mark = {"valid": " ✓", "invalid": " ✗", "missing": " –"}.get(capture.signature, "")
        self.setTabText(self.signature_index, "Signature" + mark)
        self._fit_actions()

    def set_terms(self, terms: tuple[str, ...]) -> None:
        """Mark these search terms wherever they occur in the body (case-insensitive)."""
        self._terms = tuple(t for t in terms if t)
        self._mark_terms()

    def _mark_terms(self) -> None:
        selections = []
        small = self.presentation is not None and len(self.presentation.text) <= MARK_LIMIT_CHARS
        text = self.body.toPlainText() if self._terms and small else ""
        lowered = text.lower()
        color = QColor(255, 214, 0, 150)
        for term in self._terms:
            needle, start = term.lower(), 0
            while len(selections) < MAX_MARKS and (start := lowered.find(needle, start)) >= 0:
                cursor = QTextCursor(self.body.document())
                cursor.setPosition(start)
                cursor.setPosition(start + len(needle), QTextCursor.MoveMode.KeepAnchor)
                selection = QTextEdit.ExtraSelection()
                selection.cursor = cursor
                selection.format.setBackground(color)
                selections.append(selection)
                start += len(needle)
        self.body.setExtraSelections(selections)
        self.marks = len(selections)

    @staticmethod
    def _overview_rows(capture: CapturedRequest) -> list[tuple[str, str]]:
        when = datetime.fromtimestamp(capture.received_at_us / 1e6).astimezone()
        rows = [
            ("Method", wire_text(capture.method)),
            ("Target (raw)", wire_text(capture.target)),
            ("Path (decoded)", capture.decoded_path),
            ("Remote", capture.remote),
            ("Received", when.isoformat(timespec="microseconds")),
            ("HTTP version", capture.http_version),
            ("Body size", f"{len(capture.body)} bytes ({human_size(len(capture.body))})"),
            ("Content type", capture.content_type),
            ("Outcome", str(capture.outcome) + (f": {capture.reason}" if capture.reason else "")),
            ("Answered", str(capture.status)),
        ]
        if capture.declared_size is not None:
            rows.append(("Declared size", f"{capture.declared_size} bytes"))
        if capture.id is not None:
            rows.insert(0, ("Capture", f"#{capture.id}"))
        return rows

    def _show_structured(self, shown: Presentation | None) -> None:
        form = shown.form if shown else None
        parts = shown.parts if shown else None
        pixmap = _image(shown.image) if shown and shown.image else None
        self.form.setVisible(form is not None)
        self.parts.setVisible(parts is not None)
        self.image_scroll.setVisible(pixmap is not None)
        if form is not None:
            _fill(self.form, list(form))
        if parts is not None:
            _fill(self.parts, [(p.name, p.filename, p.content_type, human_size(len(p.body)))
                               for p in parts])  # fmt: skip
        if pixmap is not None:
            self.image.setPixmap(pixmap)
            self.image.setToolTip("")
        else:
            self.image.clear()
        self.body.setVisible(pixmap is None)
