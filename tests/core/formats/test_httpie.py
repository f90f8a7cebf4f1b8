"""HTTPie export: golden files, and real `http` delivering the capture to a real server."""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
from pathlib import Path

import pytest
from formatsamples import check_golden, sample_captures

from webhook_inspector.core.formats import get_exporter
from webhook_inspector.core.formats.httpie import httpie_bash

CAPTURES = sample_captures()
HTTP = Path(sys.executable).with_name("http")


@pytest.mark.parametrize("redact", [True, False], ids=["redacted", "verbatim"])
def test_golden(redact):
    out = io.BytesIO()
    assert get_exporter("httpie").export(CAPTURES, out, redact=redact) == len(CAPTURES)
    check_golden(f"httpie_{'redacted' if redact else 'verbatim'}.sh", out.getvalue())


# HTTPie cannot send a latin-1 header from argv (4), keep `..` segments in a query-bearing URL
# it re-quotes (6), or send an absolute-form target (7): those need the cURL export.
@pytest.mark.parametrize("number", [1, 2, 3, 5])
def test_real_httpie_delivers_the_capture(number, echo_server, tmp_path):
    capture = sample_captures(echo_server.host)[number - 1]
    command = httpie_bash(capture).rstrip(b"\n").replace(b"http ", str(HTTP).encode() + b" ", 1)
    result = subprocess.run(
        [b"bash", b"-c", command + b" --quiet"], capture_output=True, cwd=tmp_path, timeout=60
    )
    assert result.returncode == 0, result.stderr
    [delivered] = echo_server.received
    assert delivered.method == capture.method
    assert delivered.target == capture.target
    # requests and http.client order the headers themselves; the list is the same.
    assert sorted(delivered.headers) == sorted(capture.headers)
    assert hashlib.sha256(delivered.body).digest() == hashlib.sha256(capture.body).digest()


def test_text_bodies_in_raw_binary_bodies_on_stdin():
    assert b'--raw \'{"action"' in httpie_bash(CAPTURES[0])
    assert b"--ignore-stdin" in httpie_bash(CAPTURES[0])
    binary = httpie_bash(CAPTURES[2])
    assert binary.startswith(b"printf '\\000") and b"--ignore-stdin" not in binary


def test_defaults_the_capture_lacked_are_switched_off():
    command = httpie_bash(CAPTURES[1])
    assert b"'User-Agent:'" in command and b"'Accept-Encoding:'" in command
    assert b"'Accept:'" not in command  # the capture had one
    assert b"'X-Empty;'" in command
