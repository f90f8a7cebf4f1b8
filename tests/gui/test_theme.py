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


def test_system_after_dark_is_the_default_palette_again(qapp):
    from PySide6.QtGui import QPalette

    try:
        assert apply_theme(qapp, "system") is False  # offscreen: no dark desktop palette
        default = QPalette(qapp.palette())
        apply_theme(qapp, "dark")
        assert qapp.palette() != default and is_dark(qapp)
        apply_theme(qapp, "system")
        assert qapp.palette() == default and not is_dark(qapp)
        assert qapp.style().name() == "fusion"
    finally:
        apply_theme(qapp, "light")


def test_light_is_fusions_own_palette(qapp):
    apply_theme(qapp, "dark")
    assert apply_theme(qapp, "light") is False
    assert qapp.palette() == qapp.style().standardPalette() and not is_dark(qapp)
