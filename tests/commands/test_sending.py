"""`send` and `resend` through cli.main against real targets."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import httpx
import pytest
from targets import Answer, target

from webhook_inspector import cli
from webhook_inspector.core.store import Store


def _threaded(argv):
    import threading

    code = []
    thread = threading.Thread(target=lambda: code.append(cli.main(argv)))
    thread.start()
    thread.join(60)
    return code[0]


def test_send_delivers_the_body_and_headers_and_keeps_history(tmp_path, capsysbinary):
    body = bytes(range(256))
    (tmp_path / "body.bin").write_bytes(body)
    db = str(tmp_path / "h.sqlite3")
    with target(Answer(status=201, body=b"created")) as t:
        code = _threaded(["send", "POST", t.url + "/hook?a=1", "-H", "X-Event: ping",
                          "-H", "x-event: pong", "--body-file", str(tmp_path / "body.bin"),
                          "--db", db])  # fmt: skip
    out = capsysbinary.readouterr()
    assert code == 0
    assert out.out.startswith(b"HTTP/1.1 201 Created\n") and out.out.endswith(b"\n\ncreated")
    seen = t.seen[0]
    assert hashlib.sha256(seen.body).digest() == hashlib.sha256(body).digest()
    assert [h for h in seen.headers if h[0].lower() == b"x-event"] == [
        (b"X-Event", b"ping"), (b"x-event", b"pong")]  # fmt: skip
    assert Store(db).sends()[0].attempts[0].status == 201


def test_send_retries_on_a_schedule_and_reports_json(tmp_path, capsys):
    answers = (Answer(status=500), Answer(status=500), Answer(status=200))
    with target(*answers) as t:
        code = _threaded(["send", "GET", t.url, "--schedule", "svix", "--compress", "1e6",
                          "--json", "--db", str(tmp_path / "h.sqlite3")])  # fmt: skip
    out = capsys.readouterr()
    doc = json.loads(out.out)
    assert code == 0 and doc["delivered"]
    assert [a["status"] for a in doc["attempts"]] == [500, 500, 200]
    assert len(Store(tmp_path / "h.sqlite3").get_send(doc["send_id"]).attempts) == 3


def test_send_to_a_closed_port_is_one_clear_line(tmp_path, capsys):
    code = _threaded(["send", "GET", "http://127.0.0.1:9/", "--retries", "1", "--compress",
                      "1e6", "--db", str(tmp_path / "h.sqlite3")])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1
    assert err.splitlines()[-1].startswith("webhook-inspector: connection refused")
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["send", "GET", "http://x/", "-H", "no colon"], "invalid header"),
        (["send", "GET", "http://x/", "--schedule", "hourly"], "unknown schedule"),
        (["send", "GET", "http://x/", "--sign", "stripe"], "needs --secret"),
    ],
)
def test_usage_errors_exit_2(tmp_path, capsys, argv, words):
    assert _threaded([*argv, "--db", str(tmp_path / "h.sqlite3")]) == 2
    assert words in capsys.readouterr().err


def test_resend_sends_a_capture_again_byte_exact(running, tmp_path, capsys):
    body = b'{"id": "evt_1"}'
    httpx.post(running.url + "hooks/a?b=%2F", content=body, headers={"Stripe-Signature": "t=1"})
    with target() as t:
        code = _threaded(["resend", "1", "--to", t.url + "/x", "--db", str(running.db_path)])
    assert code == 0
    assert t.seen[0].raw_path == "/x/hooks/a?b=%2F" and t.seen[0].body == body
    assert (b"Stripe-Signature", b"t=1") in t.seen[0].headers
    record = Store(running.db_path).sends()[0]
    assert record.kind == "resend" and record.capture_id == 1
    out = capsys.readouterr()
    assert out.out.startswith("HTTP/1.1 200 OK") and out.err.startswith("attempt 1: 200 OK")


def test_listen_forward_to_end_to_end(tmp_path):
    with target(Answer(status=204, body=b"")) as t, subprocess.Popen(
        [sys.executable, "-m", "webhook_inspector", "listen", "--port", "0", "--db",
         str(tmp_path / "l.sqlite3"), "--forward-to", t.url, "--forward-answer", "target"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    ) as proc:  # fmt: skip
        try:
            url = proc.stdout.readline().split()[-1]
            answer = httpx.post(url + "x", content=b"\x1f\x8b binary")
        finally:
            proc.terminate()
            err = proc.communicate(timeout=20)[1]
    assert answer.status_code == 204
    assert t.seen[0].body == b"\x1f\x8b binary"
    assert proc.returncode == 0, err
    assert Store(tmp_path / "l.sqlite3").forward_of(1).attempts[0].status == 204


SW_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"  # Standard Webhooks' published example key


def test_send_signed_verifies_at_the_target(tmp_path, capsys):
    from webhook_inspector.core.model import OutgoingRequest
    from webhook_inspector.core.signing import Status, verify

    (tmp_path / "b.json").write_bytes(b'{"type": "ping"}')
    with target(Answer()) as t:
        code = _threaded(["send", "POST", t.url + "/hook", "--body-file", str(tmp_path / "b.json"),
                          "--sign", "standard_webhooks", "--secret", SW_SECRET,
                          "--db", str(tmp_path / "h.sqlite3")])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    seen = t.seen[0]
    headers = tuple((n.decode(), v.decode()) for n, v in seen.headers)
    received = OutgoingRequest("POST", t.url + "/hook", headers, seen.body)
    result = verify("standard_webhooks", received, SW_SECRET)
    assert result.status == Status.VALID, result.explanation
