"""Plain-text building blocks never interpret or obey captured text."""

from __future__ import annotations

from PySide6.QtCore import Qt

from webhook_inspector.gui.textviews import plain_label, text_view, visible


def test_visible_marks_controls_and_bidi_overrides():
    assert visible("a\x1bb\x00\tc\n") == "a␛b␀\tc\n"
    assert visible("x\u202ey\u2066") == "x⟦U+202E⟧y⟦U+2066⟧"
    assert visible("\x7f") == "␡"


def test_plain_label_and_text_view(qtbot):
    label = plain_label("<b>x</b>", "name")
    qtbot.add_widget(label)
    assert label.textFormat() == Qt.TextFormat.PlainText and label.objectName() == "name"
    view = text_view("v", "Some view")
    qtbot.add_widget(view)
    assert view.isReadOnly() and view.accessibleName() == "Some view"
