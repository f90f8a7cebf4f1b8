"""The search box: the filter language as you type, compiled once typing pauses.

The query language is imported when first used, not with the box: the window builds the box
before its first paint, and the app loads the language on a thread right after (DESIGN §6).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QCompleter,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from webhook_inspector.core.errors import QueryError
from webhook_inspector.gui.textviews import plain_label, visible

if TYPE_CHECKING:
    from webhook_inspector.core.query import Query
    from webhook_inspector.gui.settings import Settings

DEBOUNCE_MS = 200
HISTORY_SIZE = 10


class SearchBox(QWidget):
    """A filter box with its error line, qualifier completion, saved filters and history.

    Signals: query_changed(object) — a compiled Query, or None for "show everything", emitted
    after typing pauses (a text that does not parse shows its error below instead).
    """

    query_changed = Signal(object)

    def __init__(self, settings: Settings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self.edit = QLineEdit()
        self.edit.setObjectName("searchBox")
        self.edit.setAccessibleName("Search captures")
        self.edit.setClearButtonEnabled(True)
        self.edit.setPlaceholderText(
            'Filter (Ctrl+F): words, "phrases", method:POST status:5xx header:x-github-event '
            "age:<10m -ping"
        )
        self.error = plain_label(name="searchError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #d93025;")
        self.error.hide()
        self.menu_button = QToolButton()
        self.menu_button.setObjectName("searchMenu")
        self.menu_button.setText("Filters")
        self.menu_button.setAccessibleName("Saved filters and history")
        self.menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu = QMenu(self.menu_button)
        self.menu.aboutToShow.connect(self._fill_menu)
        self.menu_button.setMenu(self.menu)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.menu_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.error)

        self.words = QStringListModel()  # the qualifiers, filled on first use
        self.completer = QCompleter(self.words, self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setWidget(self.edit)
        self.completer.activated.connect(self._complete)
        self.edit.textEdited.connect(self._suggest)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.apply)
        self.edit.textChanged.connect(lambda _text: self._timer.start())
        self.query: Query | None = None

    def add_words(self, words: list[str]) -> None:
        """Offer more completions (header names seen in the store, as `header:name`)."""
        current = self.completion_words()
        known = set(current)
        self.words.setStringList(current + [w for w in words if w not in known])

    def completion_words(self) -> list[str]:
        """What the completer offers: every qualifier, then what `add_words` added."""
        if not self.words.rowCount():
            from webhook_inspector.core.qualifiers import QUALIFIERS  # noqa: PLC0415

            self.words.setStringList([f"{name}:" for name in sorted(QUALIFIERS)])
        return self.words.stringList()

    @Slot()
    def apply(self) -> None:
        """Compile the text now and announce the query (or show why it does not parse)."""
        self._timer.stop()
        text = self.edit.text()
        if not text.strip():
            self.error.hide()
            self.query = None
            self.query_changed.emit(None)
            return
        from webhook_inspector.core.query import compile_query  # noqa: PLC0415

        try:
            query = compile_query(text)
        except QueryError as exc:
            self.error.setText(visible(str(exc)))
            self.error.show()
            return
        self.error.hide()
        self.query = query
        self.query_changed.emit(query)

    def remember(self, text: str) -> None:
        """Put a query that found something into the history."""
        if self._settings is None or not text.strip():
            return
        history = [text] + [h for h in self._settings.strings("search/history") if h != text]
        self._settings.set_strings("search/history", history[:HISTORY_SIZE])

    # completion

    def _token(self) -> tuple[int, str]:
        text, cursor = self.edit.text(), self.edit.cursorPosition()
        start = max(text.rfind(" ", 0, cursor), text.rfind("(", 0, cursor)) + 1
        if text[start : start + 1] == "-":
            start += 1
        return start, text[start:cursor]

    @Slot(str)
    def _suggest(self, _text: str) -> None:
        self.completion_words()
        _start, token = self._token()
        if len(token) < 1 or (":" in token and not token.lower().startswith("header:")):
            self.completer.popup().hide()
            return
        self.completer.setCompletionPrefix(token)
        if self.completer.completionCount() and self.completer.currentCompletion() != token:
            self.completer.complete()
        else:
            self.completer.popup().hide()

    @Slot(str)
    def _complete(self, word: str) -> None:
        start, _token = self._token()
        text, cursor = self.edit.text(), self.edit.cursorPosition()
        self.edit.setText(text[:start] + word + text[cursor:])
        self.edit.setCursorPosition(start + len(word))

    # saved filters and history

    def _fill_menu(self) -> None:
        self.menu.clear()
        save = self.menu.addAction("Save this filter…")
        save.setEnabled(self._settings is not None and bool(self.edit.text().strip()))
        save.triggered.connect(self._ask_name)
        if self._settings is None:
            return
        saved = self._settings.saved_filters()
        if saved:
            self.menu.addSection("Saved")
            for name, text in saved.items():
                act = self.menu.addAction(visible(name))
                act.setToolTip("")
                act.triggered.connect(lambda _c=False, t=text: self.edit.setText(t))
        history = self._settings.strings("search/history")
        if history:
            self.menu.addSection("Recent")
            for text in history:
                act = self.menu.addAction(visible(text[:80]))
                act.triggered.connect(lambda _c=False, t=text: self.edit.setText(t))

    @Slot()
    def _ask_name(self) -> None:
        dialog = QInputDialog(self)
        dialog.setObjectName("saveFilterDialog")
        dialog.setWindowTitle("Save filter")
        dialog.setLabelText("Name for this filter:")
        dialog.textValueSelected.connect(self.save_filter)
        self.name_dialog = dialog
        dialog.open()  # never exec(): a nested loop would stall the asyncio tasks

    @Slot(str)
    def save_filter(self, name: str) -> None:
        """Save the current text under `name`."""
        if self._settings is not None and name.strip() and self.edit.text().strip():
            self._settings.save_filter(name.strip(), self.edit.text())
