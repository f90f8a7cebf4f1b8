"""The body view: coloured visible blocks, lazy formats, big and hostile bodies shown literally."""

from __future__ import annotations

import json

import pytest
from pygments.token import Name, String
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPlainTextEdit

from webhook_inspector.core.highlight import (
    BLOCK_MAX_CHARS,
    INLINE_LEX_CHARS,
    INVISIBLE_MARK,
)
from webhook_inspector.core.highlightpool import Highlighter
from webhook_inspector.core.syntaxthemes import TOKEN_CLASSES, syntax_theme
from webhook_inspector.gui.bodyview import BodyView

HOSTILE = "<img src=x onerror=alert(1)><b>bold</b> \x1b[31mred\x1b[0m \u202eevil\x00nul"


@pytest.fixture(scope="module")
def highlighter():
    """One worker pool for the module: starting workers is the slow part."""
    pool = Highlighter(workers=1)
    yield pool
    pool.close()


@pytest.fixture
def view(qtbot, qloop, highlighter):
    widget = BodyView(highlighter)
    qtbot.add_widget(widget)
    widget.resize(640, 400)
    widget.show()
    qtbot.wait_exposed(widget)
    yield widget
    widget.stop()


def _colour_of(ttype, theme: str = "light") -> str:
    look = syntax_theme(theme).looks[TOKEN_CLASSES.index(ttype)]
    assert look is not None and look.color
    return look.color.lower()


def _has_formats(view: BodyView, block_number: int) -> bool:
    return bool(view.document().findBlockByNumber(block_number).layout().formats())


def _coloured_text(view: BodyView, block_number: int) -> list[tuple[str, str]]:
    """(text, colour) for every format range of a block, read back through the document."""
    block = view.document().findBlockByNumber(block_number)
    found = []
    for span in block.layout().formats():
        cursor = QTextCursor(view.document())
        cursor.setPosition(block.position() + span.start)
        end = block.position() + span.start + span.length
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        found.append((cursor.selectedText(), span.format.foreground().color().name()))
    return found


def _big_json(lines: int) -> str:
    text = json.dumps([{"id": n, "name": f"item {n}"} for n in range(lines // 4)], indent=2)
    assert len(text) > INLINE_LEX_CHARS  # the worker path
    return text


def test_a_json_body_is_coloured_on_screen(view, qtbot):
    assert view.objectName() == "bodyView" and view.accessibleName() == "Body"
    assert view.isReadOnly()
    view.set_body('{"key": "value", "n": 1}', "application/json")
    qtbot.wait_until(lambda: _has_formats(view, 0))
    coloured = _coloured_text(view, 0)
    assert ('"key"', _colour_of(Name.Tag)) in coloured
    assert ('"value"', _colour_of(String.Double)) in coloured
    assert view.is_highlighted()


def test_columns_are_right_after_astral_characters(view, qtbot):
    view.set_body('{"🎉": "ok"}', "application/json")
    qtbot.wait_until(lambda: _has_formats(view, 0))
    assert [text for text, _ in _coloured_text(view, 0)] == ['"🎉"', '"ok"']


def test_a_big_body_is_lexed_by_the_workers_and_formatted_lazily(view, qtbot):
    text = _big_json(10_000)
    with qtbot.wait_signal(view.highlighted, timeout=60_000):
        view.set_body(text, "application/json")
    assert view.toPlainText() == text
    last = view.document().blockCount() - 1
    assert last > 20
    assert not view.document().findBlockByNumber(last).layout().formats()  # never on screen
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum())
    shown = view.firstVisibleBlock().blockNumber()
    assert shown > last // 2
    qtbot.wait_until(lambda: _has_formats(view, shown))
    assert ('"name"', _colour_of(Name.Tag)) in _coloured_text(view, shown)
    assert not _has_formats(view, last // 2)  # scrolled over, never shown


def test_a_5mb_single_line_json_is_cut_into_wrapped_blocks(view, qtbot):
    text = json.dumps([{"id": n, "tags": ["a", "b"], "ok": True} for n in range(140_000)])
    assert len(text) > 5_000_000 and "\n" not in text
    with qtbot.wait_signal(view.highlighted, timeout=90_000):
        view.set_body(text, "application/json")
    document = view.document()
    # Qt lays out a whole block at once: no block may hold the whole line.
    assert document.blockCount() >= len(text) // BLOCK_MAX_CHARS
    lengths = [document.findBlockByNumber(n).length() for n in range(0, document.blockCount(), 97)]
    assert max(lengths) <= BLOCK_MAX_CHARS + 1
    assert view.lineWrapMode() == QPlainTextEdit.LineWrapMode.WidgetWidth
    assert view.note
    assert view.toPlainText().replace("\n", "") == text
    qtbot.wait_until(lambda: _has_formats(view, 0))


def test_hostile_text_is_shown_literally(view, qtbot):
    view.set_body(HOSTILE + "\r\n" + "x\u2028y", "text/html")
    shown = view.toPlainText()
    assert "<img src=x onerror=alert(1)><b>bold</b>" in shown
    assert "␛[31mred␛[0m" in shown and "␀nul" in shown and INVISIBLE_MARK + "evil" in shown
    assert "␍\nx" + INVISIBLE_MARK + "y" in shown
    assert not any(ord(c) < 32 and c not in "\n\t" for c in shown)
    assert "\u202e" not in shown
    qtbot.wait_until(lambda: _has_formats(view, 0))
    assert {"img", "onerror"} <= {text for text, _ in _coloured_text(view, 0)}


def test_ansi_escapes_in_json_are_visible(view, qtbot):
    view.set_body('{"log": "\x1b[31mred\x1b[0m"}', "application/json")
    assert view.toPlainText() == '{"log": "␛[31mred␛[0m"}'


def test_switching_the_theme_recolours(view, qtbot):
    view.set_body('{"key": 1}', "application/json")
    qtbot.wait_until(lambda: _has_formats(view, 0))
    assert ('"key"', _colour_of(Name.Tag)) in _coloured_text(view, 0)
    view.set_theme("dark")
    dark = _colour_of(Name.Tag, "dark")
    assert dark != _colour_of(Name.Tag)
    qtbot.wait_until(lambda: ('"key"', dark) in _coloured_text(view, 0))
    assert view.palette().base().color().name() == syntax_theme("dark").background.lower()


def test_a_new_body_replaces_one_still_being_lexed(view, qtbot):
    view.set_body(_big_json(40_000), "application/json")
    assert not view.is_highlighted()
    with qtbot.wait_signal(view.highlighted, timeout=30_000):
        view.set_body('{"small": true}', "application/json")
    assert view.toPlainText() == '{"small": true}'
    assert view.is_highlighted()


def test_plain_text_is_shown_uncoloured(view, qtbot):
    with qtbot.wait_signal(view.highlighted, timeout=5000):
        view.set_body("just words\n" * 3, "application/octet-stream")
    assert view.toPlainText() == "just words\n" * 3
    assert not view.document().firstBlock().layout().formats()


def test_a_slow_lexer_runs_on_the_workers_even_for_a_small_body(view, qtbot):
    script = "let total = compute({a: 1, b: [2, 3]}); // sum\n" * 200
    view.set_body(script, "application/javascript")
    assert not view.is_highlighted()  # 10 KB of JavaScript is too slow to lex here
    qtbot.wait_signal(view.highlighted, timeout=30_000).wait()
    qtbot.wait_until(lambda: _has_formats(view, 0))
    assert "let" in {text for text, _ in _coloured_text(view, 0)}
