"""Unexpected exceptions are logged and shown once, with a copyable traceback."""

from __future__ import annotations

import logging
import sys

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QPushButton

from webhook_inspector.gui.crashreporter import CrashReporter


def _raise_and_report(reporter: CrashReporter, message: str) -> None:
    try:
        raise ValueError(message)
    except ValueError:
        reporter.report(*sys.exc_info())


def test_report_logs_and_shows_a_dialog(qtbot, caplog):
    reporter = CrashReporter()
    with caplog.at_level(logging.ERROR):
        _raise_and_report(reporter, "<b>boom</b>")
    dialog = reporter.dialog
    assert dialog is not None
    qtbot.add_widget(dialog)
    assert dialog.isVisible() and not dialog.isModal()
    assert "ValueError: <b>boom</b>" in dialog.details.toPlainText()
    assert "ValueError: <b>boom</b>" in caplog.text
    _raise_and_report(reporter, "second")
    assert reporter.dialog is dialog and "second" in dialog.details.toPlainText()
    dialog.findChild(QPushButton, "copyTraceback").click()
    assert "<b>boom</b>" in QGuiApplication.clipboard().text()


def test_install_and_uninstall_swap_the_hook():
    before = sys.excepthook
    reporter = CrashReporter()
    reporter.install()
    try:
        assert sys.excepthook == reporter.report
    finally:
        reporter.uninstall()
    assert sys.excepthook is before
