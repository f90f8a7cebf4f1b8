"""What an empty store shows: where to send webhooks, a curl example and a sample button."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from webhook_inspector.core.samples import Sample, curl_example
from webhook_inspector.gui.textviews import plain_label, text_view


class EmptyState(QWidget):
    """Greets a new user as webhook.site does: the URL, a ready-to-paste curl, a sample.

    Signals: send_sample — the user pressed "Send a sample".
    """

    send_sample = Signal()

    def __init__(self, sample: Sample | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        self.setAccessibleName("No captures yet")
        self._sample = sample
        title = plain_label("No webhooks captured yet", "emptyTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        self.url = plain_label(name="emptyUrl")
        self.url.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.curl = text_view("curlExample", "curl example")
        self.curl.setMaximumHeight(110)
        self.copy_button = copy_curl = QPushButton("Copy curl command")
        copy_curl.setObjectName("copyCurlExample")
        copy_curl.clicked.connect(self._copy_curl)
        self.sample_button = QPushButton("Send a sample webhook")
        self.sample_button.setObjectName("sendSample")
        self.sample_button.setEnabled(sample is not None)
        self.sample_button.clicked.connect(self.send_sample.emit)
        self.setFocusProxy(copy_curl)  # focus here, not in the toolbar's address field
        buttons = QHBoxLayout()
        buttons.addWidget(copy_curl)
        buttons.addWidget(self.sample_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.addWidget(title)
        layout.addWidget(plain_label("Point your webhook provider or your own code at:"))
        layout.addWidget(self.url)
        layout.addSpacing(8)
        layout.addWidget(plain_label("Or paste this into a terminal:"))
        layout.addWidget(self.curl)
        layout.addLayout(buttons)
        layout.addStretch(1)

    def set_url(self, url: str) -> None:
        """Show where the listener is (or that it is stopped)."""
        self.url.setText(url or "The listener is stopped: press Start in the toolbar.")
        self.sample_button.setEnabled(bool(url) and self._sample is not None)
        self.curl.setPlainText(curl_example(url, self._sample) if url and self._sample else "")

    @Slot()
    def _copy_curl(self) -> None:
        QGuiApplication.clipboard().setText(self.curl.toPlainText())
