"""Settings survive a restart in an INI file and bad values fall back to defaults."""

from __future__ import annotations

from PySide6.QtCore import QByteArray

from webhook_inspector.gui.settings import DEFAULT_PORT, Settings, default_settings_path


def test_round_trip(tmp_path):
    path = tmp_path / "settings.ini"
    settings = Settings(path)
    settings.set_listener("0.0.0.0", 9000)
    settings.theme = "dark"
    settings.follow_newest = True
    settings.set_state("geometry", QByteArray(b"\x01\x02"))
    settings.sync()
    again = Settings(path)
    assert (again.host, again.port, again.theme, again.follow_newest) == (
        "0.0.0.0",
        9000,
        "dark",
        True,
    )
    assert bytes(again.state("geometry").data()) == b"\x01\x02"
    assert "[listener]" in path.read_text()


def test_bad_values_fall_back(tmp_path):
    path = tmp_path / "settings.ini"
    path.write_text("[listener]\nport=99999\nhost=\n[ui]\ntheme=purple\n")
    settings = Settings(path)
    assert (settings.port, settings.host, settings.theme) == (DEFAULT_PORT, "127.0.0.1", "system")
    assert settings.state("missing") is None


def test_path_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("WEBHOOK_INSPECTOR_SETTINGS", str(tmp_path / "s.ini"))
    assert default_settings_path() == tmp_path / "s.ini"
