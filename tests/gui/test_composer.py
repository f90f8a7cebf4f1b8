"""The composer against a real target: byte-exact resend, signing on every edit, cancel, errors."""

from __future__ import annotations

import hashlib

import httpx
from PySide6.QtCore import Qt
from targets import Answer, target

from webhook_inspector.core.model import OutgoingRequest
from webhook_inspector.core.signing import Status, verify
from webhook_inspector.core.store import Store
from webhook_inspector.gui.composer import Composer, HeaderTable
from webhook_inspector.gui.mainwindow import MainWindow

JSON = (("Content-Type", "application/json"),)
SW_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"  # Standard Webhooks' published example key


def _window(qtbot, running) -> MainWindow:
    window = MainWindow(Store(running.db_path), running.url)
    qtbot.add_widget(window)
    window.show()
    return window


def _received(t, path: str) -> OutgoingRequest:
    seen = t.seen[-1]
    headers = tuple((n.decode("latin-1"), v.decode("latin-1")) for n, v in seen.headers)
    return OutgoingRequest(seen.method, t.url + path, headers, seen.body)


def test_edit_and_resend_is_byte_exact_and_kept_in_history(qtbot, qloop, running):
    body = b'{"amount": 2000, "note": "caf\xc3\xa9"}'
    httpx.post(running.url + "hooks/pay?x=%2F", content=body,
               headers={"Content-Type": "application/json", "X-Event": "paid"})  # fmt: skip
    window = _window(qtbot, running)
    window.select_row(0)
    with target(Answer(status=202, body=b'{"ok": true}',
                       headers=(("Content-Type", "application/json"),))) as t:  # fmt: skip
        window.edit_and_resend()
        composer = window.composer
        assert composer is not None and composer.url.text().endswith("/hooks/pay?x=%2F")
        composer.url.setText(t.url + "/hooks/pay?x=%2F")
        composer.send()
        qtbot.wait_until(lambda: composer.status.text().startswith("202"), timeout=10_000)
    seen = t.seen[0]
    assert seen.raw_path == "/hooks/pay?x=%2F"
    assert hashlib.sha256(seen.body).digest() == hashlib.sha256(body).digest()
    assert (b"X-Event", b"paid") in seen.headers
    assert '"ok": true' in composer.reply_body.toPlainText()
    qtbot.wait_until(lambda: len(Store(running.db_path).sends()) == 1, timeout=5000)
    assert Store(running.db_path).sends()[0].attempts[0].status == 202


def test_signing_profile_resigns_on_every_edit(qtbot, qloop):
    composer = Composer(lambda request: None)
    qtbot.add_widget(composer)
    composer.load(OutgoingRequest("POST", "http://127.0.0.1:9/gh", JSON, b'{"a": 1}'))
    composer.secret.setText("s3cret")
    composer.scheme.setCurrentIndex(composer.scheme.findData("github_sha256"))
    first = composer.headers.generated_headers()
    assert [n for n, _ in first] == ["X-Hub-Signature-256"]
    assert composer.headers.is_generated(composer.headers.rowCount() - 1)
    composer.body.setPlainText('{"a": 2}')
    second = composer.headers.generated_headers()
    assert second != first
    request = composer.request()
    assert verify("github_sha256", request, "s3cret").status == Status.VALID
    composer.scheme.setCurrentIndex(0)
    assert composer.headers.generated_headers() == ()


def test_signed_send_verifies_at_the_target(qtbot, qloop, running):
    window = _window(qtbot, running)
    composer = window.show_composer()
    with target(Answer()) as t:
        composer.load(OutgoingRequest("POST", t.url + "/sw", JSON, b'{"type": "user.created"}'))
        composer.secret.setText(SW_SECRET)
        composer.scheme.setCurrentIndex(composer.scheme.findData("standard_webhooks"))
        composer.send()
        qtbot.wait_until(lambda: composer.status.text().startswith("200"), timeout=10_000)
    result = verify(
        "standard_webhooks", _received(t, "/sw"), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    )
    assert result.status == Status.VALID, result.explanation


def test_binary_body_is_sent_exactly_and_not_editable(qtbot, qloop, running):
    window = _window(qtbot, running)
    composer = window.show_composer()
    body = bytes(range(256)) * 4
    with target(Answer()) as t:
        composer.load(OutgoingRequest("PUT", t.url + "/bin", (), body))
        assert composer.body.isReadOnly() and "byte for byte" in composer.body_note.text()
        composer.send()
        qtbot.wait_until(lambda: composer.status.text().startswith("200"), timeout=10_000)
    assert t.seen[0].body == body


def test_edited_body_fixes_a_captured_content_length(qtbot, qloop):
    composer = Composer(lambda request: None)
    qtbot.add_widget(composer)
    composer.load(OutgoingRequest("POST", "http://x/", (("Content-Length", "2"),), b"{}"))
    composer.body.setPlainText('{"longer": true}')
    assert ("Content-Length", "16") in composer.request().headers


def test_cancel_and_refused(qtbot, qloop, running):
    window = _window(qtbot, running)
    composer = window.show_composer()
    with target(Answer(delay_s=5)) as t:
        composer.load(OutgoingRequest("GET", t.url + "/slow"))
        composer.send()
        qtbot.wait_until(lambda: len(t.seen) == 1, timeout=5000)
        assert composer.cancel_button.isEnabled()
        composer.cancel()
        qtbot.wait_until(lambda: composer.status.text() == "Cancelled", timeout=5000)
    composer.load(OutgoingRequest("GET", "http://127.0.0.1:9/"))
    composer.send()
    qtbot.wait_until(lambda: composer.status.text().startswith("No answer"), timeout=10_000)
    assert "refused" in composer.status.text() and window.error_label.text() == "1 error"


def test_header_table_keeps_order_and_switches(qtbot):
    table = HeaderTable()
    qtbot.add_widget(table)
    table.set_headers((("X-A", "1"), ("x-a", "2"), ("Host", "h")))
    table.item(2, 0).setCheckState(Qt.CheckState.Unchecked)
    assert table.user_headers() == (("X-A", "1"), ("x-a", "2"))
