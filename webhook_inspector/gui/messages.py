"""A non-modal message bar for expected errors and notices (never rich text)."""

from __future__ import annotations

import enum

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

INFO_TIMEOUT_MS = 6000
_COLORS = {  # background, border: readable on light and dark palettes alike
    "info": ("#e3effd", "#8ab4f8"),
    "warning": ("#fff4d6", "#f2c14e"),
    "error": ("#fde7e9", "#e57373"),
}


class Level(enum.StrEnum):
    """How serious a message is."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


class MessageBar(QFrame):
    """One line above the content; errors stay until closed, notices fade after a while."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.setAccessibleName("Messages")
        self.label = QLabel()
        self.label.setObjectName("messageText")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton()
        close.setObjectName("messageClose")
        close.setText("✕")
        close.setAccessibleName("Close message")
        close.setAutoRaise(True)
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 4, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(close)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.level = Level.INFO
        self.hide()

    @Slot(str)
    def show_message(self, text: str, level: Level = Level.ERROR) -> None:
        """Show `text` (plain) at `level`; info messages hide themselves after a few seconds."""
        self.level = Level(level)
        background, border = _COLORS[self.level]
        self.setStyleSheet(
            f"#messageBar {{ background: {background}; border: 1px solid {border};"
            " border-radius: 4px; } #messageBar QLabel, #messageBar QToolButton"
            " { color: #202124; }"
        )
        self.label.setText(text)
        self.show()
        if self.level == Level.INFO:
            self._timer.start(INFO_TIMEOUT_MS)
        else:
            self._timer.stop()
