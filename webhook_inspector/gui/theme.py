"""Light and dark palettes for the Fusion style, following the OS scheme unless told otherwise."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

_DARK = {
    QPalette.ColorRole.Window: "#202124",
    QPalette.ColorRole.WindowText: "#e8eaed",
    QPalette.ColorRole.Base: "#17181a",
    QPalette.ColorRole.AlternateBase: "#26282b",
    QPalette.ColorRole.ToolTipBase: "#2d2f33",
    QPalette.ColorRole.ToolTipText: "#e8eaed",
    QPalette.ColorRole.PlaceholderText: "#8a8f98",
    QPalette.ColorRole.Text: "#e8eaed",
    QPalette.ColorRole.Button: "#2d2f33",
    QPalette.ColorRole.ButtonText: "#e8eaed",
    QPalette.ColorRole.BrightText: "#ff6b6b",
    QPalette.ColorRole.Highlight: "#3d6fb4",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Link: "#8ab4f8",
    QPalette.ColorRole.Mid: "#3c4043",
    QPalette.ColorRole.Dark: "#111214",
    QPalette.ColorRole.Light: "#3c4043",
}
_DISABLED_TEXT = "#6b6f76"
_FUSION = "webhookInspectorFusion"  # a property: the app was made with the Fusion style


def system_prefers_dark() -> bool:
    """Whether the OS asks for a dark scheme (Qt ≥ 6.5 reports it; offscreen says unknown)."""
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def dark_palette() -> QPalette:
    """Our dark palette."""
    palette = QPalette()
    for role, color in _DARK.items():
        palette.setColor(role, QColor(color))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText,
                 QPalette.ColorRole.WindowText):  # fmt: skip
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(_DISABLED_TEXT))
    return palette


def fusion_application(argv: list[str]) -> QApplication:
    """A QApplication in the Fusion style.

    The style is named in argv: `setStyle("Fusion")` returns the style object, and wrapping it
    for Python costs ~11 ms of enum creation before the window's first paint.
    """
    app = QApplication([*argv, "-style", "Fusion"])
    app.setProperty(_FUSION, True)
    return app


def apply_theme(app: QApplication, theme: str) -> bool:
    """Apply "light", "dark" or "system" to `app`; return whether the result is dark.

    "system" that is not dark is the default palette: Fusion's, resolved under the desktop's own
    where it has one (which may be dark even when Qt cannot tell the scheme). "light" is Fusion's
    own light palette, whatever the desktop's.
    """
    if not app.property(_FUSION):
        app.setStyle("Fusion")
        app.setProperty(_FUSION, True)
    if theme == "dark" or (theme == "system" and system_prefers_dark()):
        app.setPalette(dark_palette())
        return True
    if theme == "light":
        app.setPalette(app.style().standardPalette())
        return False
    app.setPalette(QPalette())
    return is_dark(app)


def is_dark(app: QApplication) -> bool:
    """Whether the current palette is a dark one."""
    return app.palette().color(QPalette.ColorRole.Window).lightness() < 128
