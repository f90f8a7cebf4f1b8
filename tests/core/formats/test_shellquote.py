"""Shell quoting: bash and printf output read back by a real bash gives the same bytes."""

from __future__ import annotations

import subprocess

from hypothesis import given, settings
from hypothesis import strategies as st

from webhook_inspector.core.formats.shellquote import bash_quote, cmd_quote, printf_format


def _bash_argument(word: bytes) -> bytes:
    result = subprocess.run([b"bash", b"-c", b"printf %s " + word], capture_output=True, check=True)
    return result.stdout


@settings(max_examples=25, deadline=None)
@given(st.binary(max_size=40).filter(lambda data: b"\x00" not in data))
def test_bash_quote_round_trips_through_bash(data):
    assert _bash_argument(bash_quote(data)) == data


@settings(max_examples=25, deadline=None)
@given(st.binary(max_size=40))
def test_printf_format_prints_exactly_the_bytes(data):
    result = subprocess.run([b"bash", b"-c", b"printf " + printf_format(data)], capture_output=True)
    assert result.stdout == data


def test_bash_quote_forms():
    assert bash_quote(b"plain text") == b"'plain text'"
    assert bash_quote("café".encode()) == "'café'".encode()
    assert bash_quote(b"it's") == b"$'it\\'s'"
    assert bash_quote(b"a\nb\xff") == b"$'a\\nb\\xff'"


def test_cmd_quote_like_chrome():
    assert cmd_quote('a "b" & %PATH%') == '^"a ^\\^"b^\\^" ^& ^%^PATH^%^"'
    assert cmd_quote("x\ny") == '^"x^\n\ny^"'
