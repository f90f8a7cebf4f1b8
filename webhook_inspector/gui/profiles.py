"""The verification profiles dialog: which captures to verify, with which scheme and secret."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from webhook_inspector.core.errors import InspectorError
from webhook_inspector.core.secrets import env_name, store_secret
from webhook_inspector.core.signing import SCHEMES
from webhook_inspector.core.verification import Profile
from webhook_inspector.gui.textviews import plain_label, visible

COLUMNS = ("Scheme", "Secret name", "Path (glob)", "Public URL (Twilio, Square)")


class ProfilesDialog(QDialog):
    """Edits the profiles; secret values go to the keyring, only their names are saved.

    Signals: profiles_changed(list) — the user pressed Save with these profiles.
    """

    profiles_changed = Signal(list)

    def __init__(self, profiles: list[Profile], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("profilesDialog")
        self.setWindowTitle("Verification profiles")
        self.resize(760, 360)
        intro = plain_label(
            "Every new capture whose path matches a profile is verified on arrival (first match "
            "wins). Secrets are stored in the system keyring under their name, or read from "
            "$WEBHOOK_INSPECTOR_SECRET_<NAME>; they are never written to settings or exports."
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("profilesTable")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        add = QPushButton("Add profile")
        add.setObjectName("addProfile")
        add.clicked.connect(lambda: self.add_row(Profile("github_sha256", "secret:github")))
        remove = QPushButton("Remove profile")
        remove.setObjectName("removeProfile")
        remove.clicked.connect(lambda: self.table.removeRow(self.table.currentRow()))
        self.secret_value = QLineEdit()
        self.secret_value.setObjectName("secretValue")
        self.secret_value.setAccessibleName("Secret value")
        self.secret_value.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret_value.setPlaceholderText("secret value for the selected profile's name")
        store = QPushButton("Store in keyring")
        store.setObjectName("storeSecret")
        store.clicked.connect(self._store_secret)
        self.status = plain_label(name="profilesStatus")
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.close)
        rows = QHBoxLayout()
        for widget in (add, remove):
            rows.addWidget(widget)
        rows.addStretch(1)
        secret_row = QHBoxLayout()
        secret_row.addWidget(self.secret_value, 1)
        secret_row.addWidget(store)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(rows)
        layout.addLayout(secret_row)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        for profile in profiles:
            self.add_row(profile)

    def add_row(self, profile: Profile) -> None:
        """Append a row showing `profile`."""
        row = self.table.rowCount()
        self.table.insertRow(row)
        scheme = QComboBox()
        scheme.addItems(sorted(SCHEMES))
        scheme.setCurrentText(profile.scheme)
        self.table.setCellWidget(row, 0, scheme)
        name = profile.secret.removeprefix("secret:")
        for column, text in ((1, name), (2, profile.path), (3, profile.url)):
            self.table.setItem(row, column, QTableWidgetItem(text))

    def profiles(self) -> list[Profile]:
        """The profiles as edited (rows without a secret name are skipped)."""
        result = []
        for row in range(self.table.rowCount()):
            scheme = self.table.cellWidget(row, 0)
            texts = [(self.table.item(row, c).text().strip() if self.table.item(row, c) else "")
                     for c in (1, 2, 3)]  # fmt: skip
            if isinstance(scheme, QComboBox) and texts[0]:
                secret = texts[0] if texts[0].startswith("env:") else f"secret:{texts[0]}"
                result.append(Profile(scheme.currentText(), secret, texts[1], texts[2]))
        return result

    @Slot()
    def _store_secret(self) -> None:
        row = self.table.currentRow()
        item = self.table.item(row, 1) if row >= 0 else None
        name = item.text().strip() if item else ""
        if not name or not self.secret_value.text():
            self.status.setText("Select a profile with a secret name and type the value first.")
            return
        try:
            store_secret(name, self.secret_value.text())
        except InspectorError as exc:
            self.status.setText(visible(str(exc)))
            return
        self.secret_value.clear()
        self.status.setText(visible(f"Stored secret {name!r} in the keyring ({env_name(name)} "
                                    "also works)."))  # fmt: skip

    @Slot()
    def _save(self) -> None:
        self.profiles_changed.emit(self.profiles())
        self.close()
