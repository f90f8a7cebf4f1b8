"""Plain-text building blocks: labels that never interpret HTML, monospace read-only views."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QLabel, QPlainTextEdit

# C0 controls (except tab and newline) and DEL as Unicode control pictures: ␛ for ESC, ␀ for NUL.
VISIBLE_CONTROLS = {c: 0x2400 + c for c in range(32) if c not in (9, 10)} | {127: 0x2421}
# Bidi overrides and isolates would reorder what follows them: show them as ⟦U+202E⟧.
VISIBLE_CONTROLS |= {c: f"⟦U+{c:04X}⟧" for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def visible(text: str) -> str:
    """Show control characters and bidi overrides as visible marks so nothing is obeyed."""
    return text.translate(VISIBLE_CONTROLS)


def plain_label(text: str = "", name: str = "") -> QLabel:
    """A QLabel that never interprets its text as HTML."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    if name:
        label.setObjectName(name)
    return label


def mono_font() -> QFont:
    """The system's fixed-width font."""
    return QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)


def text_view(name: str, accessible: str = "") -> QPlainTextEdit:
    """A read-only, unwrapped, monospace QPlainTextEdit."""
    view = QPlainTextEdit()
    view.setObjectName(name)
    view.setAccessibleName(accessible or name)
    view.setReadOnly(True)
    view.setFont(mono_font())
    view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    return view
