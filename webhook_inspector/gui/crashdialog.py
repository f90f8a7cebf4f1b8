"""The dialog that shows an unexpected exception's traceback, with a Copy button."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from webhook_inspector.gui.textviews import mono_font, plain_label


class CrashDialog(QDialog):
    """Shows a traceback as plain text with a Copy button; opened non-modally."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setWindowTitle("Webhook Inspector: unexpected error")
        self.resize(720, 420)
        intro = plain_label(
            "Something went wrong inside Webhook Inspector. Capture keeps running; the details"
            " below were also written to the log. Please include them in a bug report."
        )
        intro.setWordWrap(True)
        self.details = QPlainTextEdit(text)
        self.details.setObjectName("crashTraceback")
        self.details.setReadOnly(True)
        self.details.setFont(mono_font())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = QPushButton("Copy details")
        copy.setObjectName("copyTraceback")
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(text))
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
