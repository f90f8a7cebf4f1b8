"""One place for unexpected exceptions: log them and show a dialog with a copyable traceback."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from types import TracebackType

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

log = logging.getLogger("webhook_inspector")

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], None]


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


class CrashReporter:
    """The excepthook: logs every unexpected exception and shows it (one dialog at a time)."""

    def __init__(self, parent: Callable[[], QWidget | None] = lambda: None) -> None:
        self._parent = parent
        self.dialog: CrashDialog | None = None
        self._previous: ExceptHook | None = None

    def install(self) -> None:
        """Become sys.excepthook (Qt slot exceptions land here too)."""
        self._previous = sys.excepthook
        sys.excepthook = self.report

    def uninstall(self) -> None:
        """Give sys.excepthook back."""
        if self._previous is not None:
            sys.excepthook = self._previous
            self._previous = None

    def report(
        self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        """Log the exception and show (or extend) the dialog."""
        if issubclass(kind, KeyboardInterrupt):
            QGuiApplication.quit()
            return
        text = "".join(traceback.format_exception(kind, exc, tb))
        log.error("unexpected error:\n%s", text)
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.details.appendPlainText("\n" + text)
            return
        self.dialog = CrashDialog(text, self._parent())
        self.dialog.show()

    def loop_handler(self, loop: object, context: dict[str, object]) -> None:
        """asyncio exception handler for the GUI loop: the same report."""
        exc = context.get("exception")
        if isinstance(exc, BaseException):
            self.report(type(exc), exc, exc.__traceback__)
        else:
            log.error("asyncio: %s", context.get("message"))
