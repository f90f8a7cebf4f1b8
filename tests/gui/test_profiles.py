"""Verification profiles in the window: edited, saved without secrets, applied to new captures."""

from __future__ import annotations

import time

import httpx
import keyring
import pytest
from keyring.backends import fail

from webhook_inspector.core.listener import ListenerConfig
from webhook_inspector.core.model import OutgoingRequest
from webhook_inspector.core.signing import sign
from webhook_inspector.core.store import Store
from webhook_inspector.core.verification import Profile
from webhook_inspector.gui.capturemodel import CaptureBridge, Column
from webhook_inspector.gui.listenercontrol import ListenerControl
from webhook_inspector.gui.mainwindow import MainWindow
from webhook_inspector.gui.profiles import ProfilesDialog
from webhook_inspector.gui.settings import Settings

SECRET = "whsec_gui_test"


@pytest.fixture
def no_keyring():
    """A keyring that refuses everything (never the user's real one)."""
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


def test_dialog_edits_profiles_and_never_saves_values(qtbot, tmp_path, no_keyring):
    dialog = ProfilesDialog([Profile("stripe", "secret:gui_stripe", "/stripe*")])
    qtbot.add_widget(dialog)
    dialog.add_row(Profile("twilio", "env:TWILIO_TOKEN", "/sms", "https://example.com"))
    twilio = Profile("twilio", "env:TWILIO_TOKEN", "/sms", "https://example.com")
    assert dialog.profiles() == [Profile("stripe", "secret:gui_stripe", "/stripe*"), twilio]
    dialog.table.setCurrentCell(0, 1)
    dialog.secret_value.setText("<b>value</b>")
    dialog._store_secret()
    assert "WEBHOOK_INSPECTOR_SECRET_GUI_STRIPE" in dialog.status.text()
    saved = []
    dialog.profiles_changed.connect(saved.append)
    dialog._save()
    settings = Settings(tmp_path / "s.ini")
    settings.set_profiles(saved[0])
    settings.sync()
    assert Settings(tmp_path / "s.ini").profiles() == saved[0]
    assert "<b>value</b>" not in (tmp_path / "s.ini").read_text()


def test_signed_captures_show_their_verdict(qtbot, qloop, tmp_path, monkeypatch):
    monkeypatch.setenv("WEBHOOK_INSPECTOR_SECRET_GUI_STRIPE", SECRET)
    bridge = CaptureBridge()
    db = tmp_path / "g.sqlite3"
    control = ListenerControl(db, bridge, ListenerConfig(port=0))
    assert control.set_profiles([Profile("stripe", "secret:gui_stripe", "/stripe*")])
    control.start_now()
    try:
        window = MainWindow(Store(db), control.url, control=control)
        qtbot.add_widget(window)
        window.model.follow(bridge)
        window.show()
        for path, secret in (("stripe/ok", SECRET), ("stripe/bad", "whsec_wrong")):
            body = b'{"id": "evt_1", "type": "charge.succeeded"}'
            request = OutgoingRequest("POST", control.url + path, (), body)
            headers = dict(sign("stripe", request, secret, now=time.time).headers)
            httpx.post(control.url + path, content=body, headers=headers)
        qtbot.wait_until(lambda: window.model.rowCount() == 2, timeout=5000)
        column = [window.model.index(r, Column.SIGNATURE).data() for r in range(2)]
        assert column == ["✗ invalid", "✓ valid"]
        window.select_row(0)
        text = window.detail.signature.toPlainText()
        assert text.startswith("INVALID · stripe · mismatch") and "expected:" in text
        assert SECRET not in text and "whsec_wrong" not in text
        assert window.detail.tabText(window.detail.signature_index) == "Signature ✗"
        assert not control.set_profiles([Profile("stripe", "env:UNSET_VARIABLE_X")])
        assert "UNSET_VARIABLE_X" in window.messages.label.text()
    finally:
        control.stop_now()
