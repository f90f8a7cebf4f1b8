"""The body viewer: shows a body at once, inserts big ones in timed chunks, colours what is seen."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from bisect import bisect_left

from PySide6.QtCore import QRect, QTimer, Signal, Slot
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QPalette,
    QTextCharFormat,
    QTextCursor,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from webhook_inspector.core.highlight import (
    HIGHLIGHT_LIMIT_CHARS,
    PREFIX_LEX_CHARS,
    Blocks,
    SpanIndex,
    display_text,
    inline_limit,
    lex_blocks,
    lexer_for_mime,
    prefix_stop,
    split_blocks,
)
from webhook_inspector.core.highlightpool import Highlighter
from webhook_inspector.core.syntaxthemes import SyntaxTheme, syntax_theme
from webhook_inspector.core.tasks import spawn

log = logging.getLogger(__name__)

FIRST_CHUNK_CHARS = 64 * 1024  # shown before set_body returns: several screens
CHUNK_CHARS = 64 * 1024  # first guess per timer tick; adapted to INSERT_BUDGET_MS
INSERT_BUDGET_MS = 10.0
MAX_CHUNK_CHARS = 256 * 1024
# The next chunk starts this long after the previous one ENDED (a single-shot timer restarted
# after the work): a repeating timer is always overdue after a 12 ms tick and starves the rest.
INSERT_INTERVAL_MS = 4


class BodyView(QPlainTextEdit):
    """A read-only view of one body's text, highlighted lazily by MIME type.

    Signals: blocks_formatted(int) after formats were applied to that many visible blocks;
    highlighted() once the whole text is inserted and spans for every block are known.
    Big bodies are lexed on `highlighter`'s worker processes, through the running asyncio loop.
    """

    blocks_formatted = Signal(int)
    highlighted = Signal()

    def __init__(self, highlighter: Highlighter | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("bodyView")
        self.setAccessibleName("Body")
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self._highlighter = highlighter or Highlighter()
        self._generation = 0
        self._text = ""
        self._lexer = "text"
        self._blocks: Blocks = split_blocks("")
        self._index = SpanIndex(1)
        self._inserted = 0  # blocks in the document so far
        self._chunk_chars = CHUNK_CHARS
        self._cursor = QTextCursor(self.document())
        self._formatted: set[int] = set()  # blocks whose formats match the current spans and theme
        self._formatting = False
        self._spans_complete = True
        self._finished = True
        self._task: asyncio.Task[None] | None = None
        self._formats: list[QTextCharFormat | None] = []
        self.note = ""
        self._insert_timer = QTimer(self)
        self._insert_timer.setInterval(INSERT_INTERVAL_MS)
        self._insert_timer.setSingleShot(True)
        self._insert_timer.timeout.connect(self._on_insert_timer_timeout)
        self.updateRequest.connect(self._on_view_update_request)
        self.set_theme("light")

    # --- public ---------------------------------------------------------------------------

    def set_body(self, text: str, mime: str) -> None:
        """Show `text` now (big texts finish in timed chunks) and colour it as `mime` says."""
        self.stop()
        self._generation += 1
        self._text = text
        self._lexer = lexer_for_mime(mime) if len(text) <= HIGHLIGHT_LIMIT_CHARS else "text"
        self._blocks = split_blocks(text)
        self._index = SpanIndex(len(self._blocks))
        self._formatted.clear()
        self._finished = False
        long_lines = self._blocks.cut_lines()
        self.note = "long lines wrapped to the window" if long_lines else ""
        self.document().clear()
        # Qt draws every glyph of each visible line, clipped or not: 35 lines of 4096 characters
        # took 300-580 ms a paint. Wrapped, a paint draws one screenful, so long lines wrap.
        self.setLineWrapMode(
            QPlainTextEdit.LineWrapMode.WidgetWidth
            if long_lines
            else QPlainTextEdit.LineWrapMode.NoWrap
        )
        self._cursor = QTextCursor(self.document())
        self._inserted = 0
        self._insert(FIRST_CHUNK_CHARS)
        if self._inserted < len(self._blocks):
            self._insert_timer.start()
        self._start_highlighting()
        self._format_visible()
        self._check_finished()

    def set_theme(self, theme: str) -> None:
        """Colour with the "light" or "dark" syntax theme; re-applies to the visible blocks."""
        self._apply_theme(syntax_theme(theme))

    def stop(self) -> None:
        """Stop inserting and lexing the current body (what is shown stays)."""
        self._insert_timer.stop()
        if self._task is not None:
            self._task.cancel()
            self._task = None

    def is_highlighted(self) -> bool:
        """Whether the whole body is inserted and every block's spans are known."""
        return self._finished

    # --- inserting --------------------------------------------------------------------------

    def _insert(self, chars: int) -> None:
        blocks = self._blocks
        first = self._inserted
        stop = max(first + 1, bisect_left(blocks.starts, blocks.starts[first] + chars))
        stop = min(stop, len(blocks))
        shown = display_text(self._text, blocks, first, stop)
        self._cursor.insertText(shown if first == 0 else "\n" + shown)
        self._inserted = stop

    @Slot()
    def _on_insert_timer_timeout(self) -> None:
        started = time.perf_counter()
        self._insert(self._chunk_chars)
        spent_ms = max((time.perf_counter() - started) * 1000, 0.5)
        scale = min(2.0, max(0.25, INSERT_BUDGET_MS / spent_ms))
        self._chunk_chars = int(min(MAX_CHUNK_CHARS, max(16 * 1024, self._chunk_chars * scale)))
        if self._inserted < len(self._blocks):
            self._insert_timer.start()
        self._format_visible()
        self._check_finished()

    # --- lexing -----------------------------------------------------------------------------

    def _start_highlighting(self) -> None:
        if self._lexer == "text":
            self._spans_complete = True
            return
        blocks = self._blocks
        inline = inline_limit(self._lexer)
        if len(self._text) <= inline:
            self._index.add(lex_blocks(self._lexer, self._text, blocks, 0, len(blocks)))
            self._spans_complete = True
            return
        # The first screen is lexed here (a few ms), the whole text on the worker processes.
        prefix = prefix_stop(blocks, min(PREFIX_LEX_CHARS, inline))
        self._index.add(lex_blocks(self._lexer, self._text, blocks, 0, prefix))
        self._spans_complete = False
        self._task = spawn(self._lex_in_pool(self._generation), name="highlight body")

    async def _lex_in_pool(self, generation: int) -> None:
        chunks = self._highlighter.chunks(self._lexer, self._text, self._blocks)
        async with contextlib.aclosing(chunks):
            async for chunk in chunks:
                if generation != self._generation:
                    return
                self._index.add(chunk)
                self._formatted.difference_update(range(chunk.first, chunk.stop))
                self._format_visible()
        if generation == self._generation:
            self._spans_complete = True
            self._task = None
            self._check_finished()

    def _check_finished(self) -> None:
        if not self._finished and self._spans_complete and self._inserted >= len(self._blocks):
            self._finished = True
            self.highlighted.emit()

    # --- formatting ---------------------------------------------------------------------------

    def _apply_theme(self, theme: SyntaxTheme) -> None:
        formats: list[QTextCharFormat | None] = []
        for look in theme.looks:
            if look is None:
                formats.append(None)
                continue
            fmt = QTextCharFormat()
            if look.color:
                fmt.setForeground(QColor(look.color))
            if look.bold:
                fmt.setFontWeight(QFont.Weight.Bold)
            fmt.setFontItalic(look.italic)
            formats.append(fmt)
        self._formats = formats
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Base, QColor(theme.background))
        palette.setColor(QPalette.ColorRole.Text, QColor(theme.foreground))
        self.setPalette(palette)
        self._formatted.clear()
        self._format_visible()

    @Slot(QRect, int)
    def _on_view_update_request(self, _rect: QRect, _dy: int) -> None:
        self._format_visible()

    def _format_visible(self) -> None:
        """Apply spans to the blocks on screen that do not have them yet."""
        if self._formatting:
            return  # markContentsDirty below asks for an update, which calls us again
        self._formatting = True
        done = 0
        try:
            document = self.document()
            offset = self.contentOffset()
            bottom = self.viewport().rect().bottom()
            block = self.firstVisibleBlock()
            while (
                block.isValid()
                and self.blockBoundingGeometry(block).translated(offset).top() <= bottom
            ):
                number = block.blockNumber()
                if number not in self._formatted and number < self._inserted:
                    spans = self._index.spans(number)
                    if spans is not None:
                        block.layout().setFormats(self._ranges(spans))
                        document.markContentsDirty(block.position(), block.length())
                        self._formatted.add(number)
                        done += 1
                block = block.next()
        finally:
            self._formatting = False
        if done:
            self.blocks_formatted.emit(done)

    def _ranges(self, spans: list[tuple[int, int, int]]) -> list[QTextLayout.FormatRange]:
        ranges = []
        formats = self._formats
        for column, length, cls in spans:
            fmt = formats[cls]
            if fmt is None:
                continue
            span = QTextLayout.FormatRange()
            span.start, span.length, span.format = column, length, fmt
            ranges.append(span)
        return ranges
