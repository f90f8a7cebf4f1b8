"""Persistent window and listener settings in a QSettings INI file (path from platformdirs)."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs
from PySide6.QtCore import QByteArray, QSettings

if TYPE_CHECKING:
    from webhook_inspector.core.verification import Profile


THEMES = ("system", "light", "dark")
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


def default_settings_path() -> Path:
    """$WEBHOOK_INSPECTOR_SETTINGS, else settings.ini in the user config dir."""
    override = os.environ.get("WEBHOOK_INSPECTOR_SETTINGS")
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir("webhook-inspector")) / "settings.ini"


class Settings:
    """Typed access to the few values the app remembers between runs."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_settings_path()
        self._qs = QSettings(str(self.path), QSettings.Format.IniFormat)

    def _str(self, key: str, default: str) -> str:
        value = self._qs.value(key, default)
        return value if isinstance(value, str) else default

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._qs.value(key)
        return value if isinstance(value, QByteArray) else None

    @property
    def host(self) -> str:
        """The address the listener binds."""
        return self._str("listener/host", DEFAULT_HOST) or DEFAULT_HOST

    @property
    def port(self) -> int:
        """The port the listener binds (0: any free port)."""
        text = self._str("listener/port", str(DEFAULT_PORT))
        return int(text) if text.isdigit() and int(text) < 65536 else DEFAULT_PORT

    def set_listener(self, host: str, port: int) -> None:
        """Remember the address the user chose."""
        self._qs.setValue("listener/host", host)
        self._qs.setValue("listener/port", str(port))

    @property
    def theme(self) -> str:
        """ "system", "light" or "dark"."""
        theme = self._str("ui/theme", "system")
        return theme if theme in THEMES else "system"

    @theme.setter
    def theme(self, value: str) -> None:
        self._qs.setValue("ui/theme", value)

    @property
    def follow_newest(self) -> bool:
        """Whether the list jumps to each new capture."""
        return self._str("ui/follow_newest", "false") == "true"

    @follow_newest.setter
    def follow_newest(self, value: bool) -> None:
        self._qs.setValue("ui/follow_newest", "true" if value else "false")

    def strings(self, key: str) -> list[str]:
        """A saved list of strings (empty when absent)."""
        value = self._qs.value(key, [])
        if isinstance(value, str):  # QSettings hands back a one-item list as a plain string
            return [value]
        return [str(v) for v in value] if isinstance(value, list) else []

    def set_strings(self, key: str, values: list[str]) -> None:
        """Save a list of strings."""
        self._qs.setValue(key, values)

    def saved_filters(self) -> dict[str, str]:
        """Named filters, in the order they were saved."""
        names, texts = self.strings("search/saved_names"), self.strings("search/saved_texts")
        return dict(zip(names, texts, strict=False))

    def save_filter(self, name: str, text: str) -> None:
        """Save (or replace) the filter `name`."""
        saved = self.saved_filters()
        saved[name] = text
        self.set_strings("search/saved_names", list(saved))
        self.set_strings("search/saved_texts", list(saved.values()))

    def profiles(self) -> list[Profile]:
        """The verification profiles (secret references, never values)."""
        from webhook_inspector.core.verification import Profile  # noqa: PLC0415 - after paint

        profiles = []
        for text in self.strings("verify/profiles"):
            try:
                data = json.loads(text)
                profiles.append(Profile(data["scheme"], data["secret"], data.get("path", ""),
                                        data.get("url", "")))  # fmt: skip
            except (ValueError, KeyError, TypeError):
                continue  # a hand-edited line that does not parse is skipped
        return profiles

    def set_profiles(self, profiles: list[Profile]) -> None:
        """Save the verification profiles."""
        self.set_strings("verify/profiles", [json.dumps(dataclasses.asdict(p)) for p in profiles])

    def state(self, key: str) -> QByteArray | None:
        """A saved widget state (geometry, splitter, header) or None."""
        return self._bytes(f"state/{key}")

    def set_state(self, key: str, value: QByteArray) -> None:
        """Save a widget state."""
        self._qs.setValue(f"state/{key}", value)

    def sync(self) -> None:
        """Write to disk now."""
        self._qs.sync()
