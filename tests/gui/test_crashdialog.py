"""The crash dialog shows a traceback as plain text and copies it whole."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QPushButton

from webhook_inspector.gui.crashdialog import CrashDialog


def test_dialog_shows_plain_text_and_copies_it(qtbot):
    text = "Traceback …\nValueError: <b>boom</b> \u202eevil"
    dialog = CrashDialog(text)
    qtbot.add_widget(dialog)
    assert dialog.details.toPlainText() == text and dialog.details.isReadOnly()
    dialog.findChild(QPushButton, "copyTraceback").click()
    assert QGuiApplication.clipboard().text() == text
