"""One place for unexpected exceptions: log them and show them in a dialog.

The dialog's module loads with the first report: the hook is installed before the window's
first paint, and the dialog's Qt classes cost start-up time (DESIGN §6).
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtGui import QGuiApplication

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from webhook_inspector.gui.crashdialog import CrashDialog

log = logging.getLogger("webhook_inspector")

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], None]


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
        from webhook_inspector.gui.crashdialog import CrashDialog  # noqa: PLC0415

        self.dialog = CrashDialog(text, self._parent())
        self.dialog.show()

    def loop_handler(self, loop: object, context: dict[str, object]) -> None:
        """asyncio exception handler for the GUI loop: the same report."""
        exc = context.get("exception")
        if isinstance(exc, BaseException):
            self.report(type(exc), exc, exc.__traceback__)
        else:
            log.error("asyncio: %s", context.get("message"))
