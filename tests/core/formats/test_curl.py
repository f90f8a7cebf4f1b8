"""cURL export: golden files, and real curl delivering every captured byte to a real server."""

from __future__ import annotations

import hashlib
import io
import subprocess

import pytest
from formatsamples import check_golden, sample_captures

from webhook_inspector.core.formats import get_exporter
from webhook_inspector.core.formats.curl import curl_bash, curl_call, curl_cmd

from factories import make_capture

CAPTURES = sample_captures()


def _export(name: str, *, redact: bool) -> bytes:
    out = io.BytesIO()
    assert get_exporter(name).export(CAPTURES, out, redact=redact) == len(CAPTURES)
    return out.getvalue()


@pytest.mark.parametrize("redact", [True, False], ids=["redacted", "verbatim"])
@pytest.mark.parametrize("name", ["curl", "curl-cmd"])
def test_golden(name, redact):
    suffix = "sh" if name == "curl" else "cmd"
    check_golden(
        f"{name}_{'redacted' if redact else 'verbatim'}.{suffix}", _export(name, redact=redact)
    )


def test_redaction_hides_secrets_and_signatures_only():
    text = _export("curl", redact=True)
    assert b"s3cret" not in text and b"deadbeef" not in text
    assert b"-H 'Authorization: REDACTED'" in text
    assert b"-H 'X-GitHub-Event: issues'" in text
    assert b"s3cret" in _export("curl", redact=False)


@pytest.mark.parametrize("capture", CAPTURES, ids=lambda c: f"capture{c.id}")
def test_real_curl_delivers_the_capture_exactly(capture, echo_server, tmp_path):
    capture = sample_captures(echo_server.host)[capture.id - 1]
    command = curl_bash(capture)
    result = subprocess.run(
        [b"bash", b"-c", command.rstrip(b"\n") + b" -sS -o /dev/null"],
        capture_output=True,
        cwd=tmp_path,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    [delivered] = echo_server.received
    assert delivered.method == capture.method
    assert delivered.target == capture.target
    assert delivered.headers == capture.headers
    assert hashlib.sha256(delivered.body).digest() == hashlib.sha256(capture.body).digest()


def test_nul_bytes_travel_on_stdin_text_in_an_argument():
    binary, text = CAPTURES[2], CAPTURES[4]
    assert curl_bash(binary).startswith(b"printf '\\000\\001")
    assert b"--data-binary @-" in curl_bash(binary)
    assert b"--data-raw $'line one\\r\\nit\\'s $HOME" in curl_bash(text)


def test_method_is_implied_when_curl_would_pick_it():
    options = [option for option, _ in curl_call(CAPTURES[0]).arguments]
    assert "-X" not in options  # POST with a body
    assert ("-X", b"DELETE") in curl_call(CAPTURES[5]).arguments
    head = make_capture(method="HEAD", headers=(("Host", "h"),))
    assert ("--head", None) in curl_call(head).arguments


def test_awkward_targets_go_verbatim_in_request_target():
    arguments = dict(curl_call(CAPTURES[6]).arguments)
    assert arguments["--request-target"] == b"http://example.test/absolute?form=1"
    dots = dict(curl_call(CAPTURES[5]).arguments)
    assert "--path-as-is" in dots and "--globoff" in dots


def test_cmd_flavour_quotes_like_chrome_and_sends_binary_from_a_file():
    text = curl_cmd(CAPTURES[4]).decode()
    assert '--data-raw ^"line one' not in text  # a CR cannot cross cmd.exe
    assert "REM the body is" in text and "@capture-5.body" in text
    json_command = curl_cmd(CAPTURES[0]).decode()
    assert '^{^\\^"action^\\^":' in json_command
    assert json_command.endswith("\r\n")
