"""Light and dark palettes apply and can be told apart."""

from __future__ import annotations

from webhook_inspector.gui.theme import apply_theme, dark_palette, is_dark


def test_dark_and_light(qapp):
    try:
        assert apply_theme(qapp, "dark") is True and is_dark(qapp)
        assert apply_theme(qapp, "light") is False and not is_dark(qapp)
        assert dark_palette().color(dark_palette().ColorRole.Base).lightness() < 64
    finally:
        apply_theme(qapp, "light")


def test_light_after_dark_is_the_default_palette_again(qapp):
    from PySide6.QtGui import QPalette

    try:
        apply_theme(qapp, "light")
        light = QPalette(qapp.palette())
        apply_theme(qapp, "dark")
        assert qapp.palette() != light
        apply_theme(qapp, "light")
        assert qapp.palette() == light
        assert qapp.style().name() == "fusion"
    finally:
        apply_theme(qapp, "light")
