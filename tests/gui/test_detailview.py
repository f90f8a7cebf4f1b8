"""The detail view shows every captured string literally, and each kind of body readably."""

from __future__ import annotations

import base64
import gzip
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QToolButton

from webhook_inspector.core.model import CapturedRequest
from webhook_inspector.gui.detailview import DetailView

from factories import make_capture

HOSTILE = "<img src=x onerror=alert(1)><b>bold</b> \x1b[31mred\x1b[0m \u202eevil\x00nul"
PNG_1PX = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)

_BASE: dict[str, Any] = {
    "target": "/a%2Fb?q=1+2",
    "headers": (("X-Evil", HOSTILE), ("x-evil", "2"), ("Content-Type", "application/json")),
    "body": b'{"b": [1, 2], "a": "x"}',
    "remote_port": 9,
    "raw_head": b"POST /a%2Fb?q=1+2 HTTP/1.1\r\nX-Evil: ...",
}


def _capture(**extra: Any) -> CapturedRequest:
    return make_capture(**{**_BASE, **extra})


def _view(qtbot) -> DetailView:
    view = DetailView()
    qtbot.add_widget(view)
    view.show()
    return view


def test_tabs_show_the_capture(qtbot):
    view = _view(qtbot)
    view.show_capture(_capture())
    assert [view.tabText(i) for i in range(view.count())] == [
        "Overview", "Headers", "Body", "Raw", "Hex", "Signature",
    ]  # fmt: skip
    assert view.headers.rowCount() == 3
    assert view.headers.item(1, 0).text() == "x-evil"
    assert view.query.item(0, 1).text() == "1 2"
    assert view.body.toPlainText() == '{\n  "b": [\n    1,\n    2\n  ],\n  "a": "x"\n}'
    assert view.hex.toPlainText().startswith("00000000  7b 22 62 22")
    assert view.body_note.text().startswith("application/json")
    assert view.form.isHidden() and view.parts.isHidden()


def test_hostile_text_is_never_interpreted(qtbot):
    view = _view(qtbot)
    headers = (("X-Evil", HOSTILE), ("Content-Type", "text/html"))
    view.show_capture(_capture(body=HOSTILE.encode(), target="/<b>x</b>", headers=headers))
    shown = view.headers.item(0, 1).text()
    assert "<img src=x" in shown and "\x1b" not in shown and "␛" in shown
    assert "\u202e" not in shown and "⟦U+202E⟧" in shown
    body = view.body.toPlainText()
    assert "<b>bold</b>" in body and "␀" in body and "\x00" not in body
    for label in view.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName()


def test_gzip_body_is_decoded_with_a_note(qtbot):
    view = _view(qtbot)
    payload = b'{"event": "' + b"x" * 5000 + b'"}'
    headers = (("Content-Type", "application/json"), ("Content-Encoding", "gzip"))
    view.show_capture(_capture(headers=headers, body=gzip.compress(payload)))
    assert '"event": "xxx' in view.body.toPlainText()
    assert "gzip" in view.body_note.text() and "→ 4.9 KB" in view.body_note.text()


def test_invalid_utf8_is_visible_and_counted(qtbot):
    view = _view(qtbot)
    view.show_capture(_capture(headers=(("Content-Type", "text/plain"),), body=b"ok \xff\xfe end"))
    assert view.body.toPlainText() == "ok \ufffd\ufffd end"
    assert "2 invalid utf-8 bytes" in view.body_note.text()


def test_form_body_shows_a_table(qtbot):
    view = _view(qtbot)
    headers = (("Content-Type", "application/x-www-form-urlencoded"),)
    view.show_capture(_capture(headers=headers, body=b"a=1&b=x+y&c=%E2%9C%93&empty="))
    assert not view.form.isHidden()
    rows = [(view.form.item(r, 0).text(), view.form.item(r, 1).text()) for r in range(4)]
    assert rows == [("a", "1"), ("b", "x y"), ("c", "✓"), ("empty", "")]


def test_multipart_body_shows_its_parts(qtbot):
    view = _view(qtbot)
    body = (
        b'--XyZ\r\nContent-Disposition: form-data; name="payload"\r\n\r\n{"a": 1}\r\n'
        b'--XyZ\r\nContent-Disposition: form-data; name="file"; filename="x.bin"\r\n'
        b"Content-Type: application/octet-stream\r\n\r\n\x00\x01\x02\r\n--XyZ--\r\n"
    )
    view.show_capture(_capture(headers=(("Content-Type", "multipart/form-data; boundary=XyZ"),),
                               body=body))  # fmt: skip
    assert view.parts.rowCount() == 2
    assert view.parts.item(1, 1).text() == "x.bin" and view.parts.item(1, 3).text() == "3 B"
    assert "part 1 · payload" in view.body.toPlainText()


def test_image_body_is_shown_as_an_image(qtbot):
    view = _view(qtbot)
    view.show_capture(_capture(headers=(("Content-Type", "image/png"),), body=PNG_1PX))
    assert not view.image_scroll.isHidden()
    assert view.image.pixmap().width() == 1
    assert view.body.isHidden()


def test_huge_header_value_is_cut_in_the_table(qtbot):
    view = _view(qtbot)
    view.show_capture(_capture(headers=(("X-Long", "v" * 100_000),)))
    assert view.headers.item(0, 1).text().endswith("… (100000 characters)")


def test_clearing(qtbot):
    view = _view(qtbot)
    view.show_capture(_capture())
    view.show_capture(None)
    assert view.body.toPlainText() == "" and view.headers.rowCount() == 0
    assert not view.action_buttons.isEnabled()
    assert view.body_note.text().startswith("Select a request")
    view.show_capture(_capture())
    assert not view.body_note.text().startswith("Select a request")


@pytest.mark.parametrize(("width", "short"), [(760, True), (1400, False)])
def test_every_tab_stays_in_view_beside_the_actions(qtbot, width, short):
    # In an 800 px window the four action labels pushed the Signature tab behind scroll arrows.
    view = _view(qtbot)
    view.show_capture(_capture(signature="invalid"))
    view.resize(width, 400)
    qtbot.wait_until(lambda: view.width() == width)
    bar = view.tabBar()
    assert bar.width() >= bar.sizeHint().width()  # room for every tab: no scroll arrows
    assert view.tabText(view.count() - 1) == "Signature ✗"
    buttons = view.action_buttons.findChildren(QToolButton)
    texts = {b.objectName(): b.text() for b in buttons}
    assert texts["copyCurl"] == ("cURL" if short else "Copy as cURL")
    assert {b.accessibleName() for b in buttons} == {
        "Edit and resend", "Copy as cURL", "Copy body", "Save body…",
    }  # fmt: skip
    assert view.action_buttons.geometry().left() >= bar.geometry().right()  # beside the tabs
