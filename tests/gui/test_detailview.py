"""The detail view shows every captured string literally."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from webhook_inspector.core.model import CapturedRequest
from webhook_inspector.gui.detailview import DetailView, hex_dump, pretty_body, visible

from factories import make_capture

HOSTILE = "<img src=x onerror=alert(1)><b>bold</b> \x1b[31mred\x1b[0m \u202eevil\x00nul"


_BASE: dict[str, Any] = {
    "target": "/a%2Fb?q=1+2",
    "headers": (("X-Evil", HOSTILE), ("x-evil", "2")),
    "body": b'{"b": [1, 2], "a": "x"}',
    "remote_port": 9,
    "raw_head": b"POST /a%2Fb?q=1+2 HTTP/1.1\r\nX-Evil: ...",
}


def _capture(**extra: Any) -> CapturedRequest:
    return make_capture(**{**_BASE, **extra})


def test_tabs_show_the_capture(qtbot):
    view = DetailView()
    qtbot.add_widget(view)
    view.show_capture(_capture())
    assert [view.tabText(i) for i in range(view.count())] == [
        "Overview", "Headers", "Body", "Raw", "Hex",
    ]  # fmt: skip
    assert view.headers.rowCount() == 2
    assert view.headers.item(1, 0).text() == "x-evil"
    assert view.query.item(0, 1).text() == "1 2"
    assert view.body.toPlainText() == '{\n  "b": [\n    1,\n    2\n  ],\n  "a": "x"\n}'
    assert view.hex.toPlainText().startswith("00000000  7b 22 62 22")


def test_hostile_text_is_never_interpreted(qtbot):
    view = DetailView()
    qtbot.add_widget(view)
    view.show_capture(_capture(body=HOSTILE.encode(), target="/<b>x</b>"))
    shown = view.headers.item(0, 1).text()
    assert "<img src=x" in shown and "\x1b" not in shown and "␛" in shown
    assert "<b>bold</b>" in view.body.toPlainText()
    for label in view.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName()


def test_invalid_utf8_is_visible():
    body = pretty_body(_capture(body=b"ok \xff\xfe end"))
    assert body == "ok \ufffd\ufffd end"


def test_visible_and_hex_dump():
    assert visible("a\x1bb\x00") == "a␛b␀"
    dump = hex_dump(bytes(range(40)), limit=32)
    assert dump.splitlines()[1].startswith("00000010  10 11")
    assert dump.endswith("… 8 more bytes (save the body to see them all)")


def test_clearing(qtbot):
    view = DetailView()
    qtbot.add_widget(view)
    view.show_capture(_capture())
    view.show_capture(None)
    assert view.body.toPlainText() == "" and view.headers.rowCount() == 0
