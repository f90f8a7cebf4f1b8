"""The message bar shows plain text; errors stay, notices go away by themselves."""

from __future__ import annotations

from PySide6.QtCore import Qt

from webhook_inspector.gui.messages import Level, MessageBar


def test_error_stays_and_is_plain(qtbot):
    bar = MessageBar()
    qtbot.add_widget(bar)
    assert bar.isHidden()
    bar.show_message("<b>port</b> in use")
    assert not bar.isHidden() and bar.level == Level.ERROR
    assert bar.label.text() == "<b>port</b> in use"
    assert bar.label.textFormat() == Qt.TextFormat.PlainText
    assert not bar._timer.isActive()


def test_info_hides_itself(qtbot, monkeypatch):
    monkeypatch.setattr("webhook_inspector.gui.messages.INFO_TIMEOUT_MS", 50)
    bar = MessageBar()
    qtbot.add_widget(bar)
    bar.show_message("copied", Level.INFO)
    qtbot.wait_until(bar.isHidden, timeout=2000)
