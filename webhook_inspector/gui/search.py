"""The search box: the filter language as you type, run off the UI thread, newest query wins."""

from __future__ import annotations

import asyncio
import concurrent.futures
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

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

from webhook_inspector.core.errors import InspectorError, QueryError, QueryInterrupted, StoreError
from webhook_inspector.core.model import CaptureSummary
from webhook_inspector.core.query import QUALIFIERS, Query, compile_query
from webhook_inspector.core.store import Store
from webhook_inspector.gui.settings import Settings
from webhook_inspector.gui.textviews import plain_label, visible

DEBOUNCE_MS = 200
PAGE_ROWS = 200
HISTORY_SIZE = 10


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a search: its rows, whether more remain, and the total when it is known.

    `upto_id` is the newest capture the search could see: counting up to it and adding the
    live captures that arrive later counts each match once.
    """

    query: Query
    rows: list[CaptureSummary]
    exhausted: bool
    total: int | None = None
    upto_id: int = 0


class SearchWorker:
    """Runs searches on one worker thread with its own store connection.

    Only the newest search matters: starting one interrupts the query still running.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._executor = concurrent.futures.ThreadPoolExecutor(1, "search")
        self._local = threading.local()
        self._stores: list[Store] = []
        self.generation = 0

    def _store(self) -> Store:
        store = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = Store(self.path)
            self._stores.append(store)
        return store

    def _page(self, query: Query, before_id: int | None) -> Page:
        store = self._store()
        try:
            upto = store.last_id()
            rows = store.search(query, limit=PAGE_ROWS, before_id=before_id)
        except sqlite3.OperationalError as exc:  # "interrupted" when a newer search began
            raise StoreError(f"search failed: {exc}") from exc
        exhausted = len(rows) < PAGE_ROWS
        # A first page that holds every match is its own count: no second scan.
        total = len(rows) if exhausted and before_id is None else None
        return Page(query, rows, exhausted, total, max(upto, rows[0].id if rows else 0))

    def _count(self, query: Query, upto_id: int) -> int:
        try:
            return self._store().count_matching(query, upto_id=upto_id)
        except sqlite3.OperationalError as exc:
            raise StoreError(f"search failed: {exc}") from exc

    async def page(self, query: Query, before_id: int | None = None) -> Page:
        """A page of `query` (newest first); QueryInterrupted or StoreError otherwise.

        The first page carries the total when it already holds every match; otherwise ask
        `count` once the page is shown, so a scan-only term paints its list first.
        """
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._page, query, before_id)

    async def count(self, query: Query, upto_id: int) -> int:
        """How many captures up to `upto_id` match `query` (a Page's upto_id)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._count, query, upto_id)

    async def header_names(self) -> list[str]:
        """Header names seen lately, for completing `header:`."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self._executor, lambda: self._store().recent_header_names()
        )

    def interrupt(self) -> None:
        """Abort the query running on the worker, if any (its caller gets QueryInterrupted)."""
        for store in self._stores:
            store.interrupt()

    def close(self) -> None:
        """Stop the worker thread and close its connection."""
        self.interrupt()
        self._executor.shutdown(wait=True, cancel_futures=True)
        for store in self._stores:
            store.close()


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

        self.words = QStringListModel([f"{name}:" for name in sorted(QUALIFIERS)])
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
        known = set(self.words.stringList())
        self.words.setStringList(self.words.stringList() + [w for w in words if w not in known])

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


def interrupted(exc: BaseException) -> bool:
    """Whether a search failed only because a newer one interrupted it."""
    if isinstance(exc, QueryInterrupted):
        return True
    return isinstance(exc, InspectorError) and "interrupt" in str(exc).lower()
