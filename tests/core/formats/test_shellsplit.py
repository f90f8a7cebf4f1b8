"""Splitting bash and cmd command lines into words."""

from __future__ import annotations

import pytest

from webhook_inspector.core.errors import FormatError
from webhook_inspector.core.formats.shellsplit import split_bash, split_cmd


def _words(text: str) -> list[list[str]]:
    return [command for statement in split_bash(text) for command in statement.commands]


def test_bash_quoting_forms():
    assert _words("""a 'b c' "d \\"e\\" $f" $'g\\x41\\n\\'' h\\ i""") == [
        ["a", "b c", 'd "e" $f', "gA\n'", "h i"]
    ]


def test_bash_continuations_comments_and_statements():
    text = "# first\ncurl a \\\n  b; curl c && curl d\nprintf x | curl e\n"
    statements = split_bash(text)
    assert [s.commands for s in statements] == [
        [["curl", "a", "b"]],
        [["curl", "c"]],
        [["curl", "d"]],
        [["printf", "x"], ["curl", "e"]],
    ]
    assert statements[-1].line == 4


def test_bash_non_utf8_bytes_survive_as_surrogates():
    [[word]] = _words("$'\\xff\\xc3\\xa9'")
    assert word.encode("utf-8", "surrogateescape") == b"\xff\xc3\xa9"


def test_bash_unclosed_quote_names_its_line():
    with pytest.raises(FormatError, match=r"line 2: a double quote is never closed"):
        split_bash('curl a\ncurl "b')


def test_cmd_carets_and_runtime_quoting():
    text = 'curl ^"a b^" ^\r\n  -d ^"^{^\\^"k^\\^":1^}^" ^\r\n  "plain ^ caret"\r\nREM note\r\n'
    [statement] = split_cmd(text)
    assert statement.commands == [["curl", "a b", "-d", '{"k":1}', "plain ^ caret"]]


def test_cmd_escaped_newline_is_part_of_the_word():
    [statement] = split_cmd('curl ^"one^\n\ntwo^"\n')
    assert statement.commands == [["curl", "one\ntwo"]]
