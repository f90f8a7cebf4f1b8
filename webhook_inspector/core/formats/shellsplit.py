"""Splitting bash and Windows cmd command lines into words, the way those shells would.

Only what browsers' "Copy as cURL" and our own exports write is understood: quoting, `$'…'`,
continuations, comments, `^` escapes, and statements joined by newlines, `;`, `&&` and `|`.
Nothing is expanded or run. Bytes that are not UTF-8 (`$'\\xff'`) come back as lone surrogates
(`surrogateescape`), so `word.encode("utf-8", "surrogateescape")` gives the exact bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from webhook_inspector.core.errors import FormatError

_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v",
                   "e": "\x1b", "E": "\x1b", "\\": "\\", "'": "'", '"': '"', "?": "?"}  # fmt: skip
_OPERATORS = ("&&", "||", ";", "|", "&")


@dataclass
class Statement:
    """Commands joined by pipes (`printf … | curl …`), each a list of words, and its line."""

    line: int
    commands: list[list[str]] = field(default_factory=list)


def _byte_char(value: int) -> str:
    return chr(value) if value < 0x80 else chr(0xDC00 + value)


class _BashReader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1

    def error(self, problem: str) -> FormatError:
        return FormatError(f"cURL command line {self.line}: {problem}")

    def statements(self) -> list[Statement]:
        result: list[Statement] = []
        statement = Statement(self.line)
        words: list[str] = []

        def end_command() -> None:
            if words:
                statement.commands.append(list(words))
                words.clear()

        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char == "\\" and text.startswith("\n", self.pos + 1):
                self.pos += 2
                self.line += 1
            elif char == "\\" and text.startswith("\r\n", self.pos + 1):
                self.pos += 3
                self.line += 1
            elif char in " \t\r":
                self.pos += 1
            elif char == "#" and not words:
                while self.pos < len(text) and text[self.pos] != "\n":
                    self.pos += 1
            elif char == "\n" or text.startswith(_OPERATORS, self.pos):
                operator = next((op for op in _OPERATORS if text.startswith(op, self.pos)), "\n")
                self.pos += len(operator)
                end_command()
                if operator == "|":
                    continue
                if statement.commands:
                    result.append(statement)
                if operator == "\n":
                    self.line += 1
                statement = Statement(self.line)
            else:
                words.append(self.word())
        end_command()
        if statement.commands:
            result.append(statement)
        return result

    def word(self) -> str:
        text = self.text
        parts: list[str] = []
        while self.pos < len(text):
            char = text[self.pos]
            if char in " \t\r\n" or text.startswith(_OPERATORS, self.pos):
                break
            if text.startswith("$'", self.pos):
                self.pos += 2
                parts.append(self.ansi_c())
            elif char == "'":
                end = text.find("'", self.pos + 1)
                if end < 0:
                    raise self.error("a single quote is never closed")
                parts.append(text[self.pos + 1 : end])
                self.line += text.count("\n", self.pos, end)
                self.pos = end + 1
            elif char == '"':
                self.pos += 1
                parts.append(self.double_quoted())
            elif char == "\\":
                if self.pos + 1 < len(text):
                    parts.append(text[self.pos + 1])
                self.pos += 2
            else:
                parts.append(char)
                self.pos += 1
        return "".join(parts)

    def double_quoted(self) -> str:
        text = self.text
        parts: list[str] = []
        while self.pos < len(text):
            char = text[self.pos]
            if char == '"':
                self.pos += 1
                return "".join(parts)
            if char == "\\" and self.pos + 1 < len(text) and text[self.pos + 1] in '$`"\\\n':
                if text[self.pos + 1] != "\n":
                    parts.append(text[self.pos + 1])
                self.pos += 2
                continue
            if char == "\n":
                self.line += 1
            parts.append(char)
            self.pos += 1
        raise self.error("a double quote is never closed")

    def ansi_c(self) -> str:
        text = self.text
        parts: list[str] = []
        while self.pos < len(text):
            char = text[self.pos]
            if char == "'":
                self.pos += 1
                return "".join(parts)
            if char != "\\":
                parts.append(char)
                self.pos += 1
                continue
            escape = text[self.pos + 1 : self.pos + 2]
            self.pos += 2
            if escape in _SIMPLE_ESCAPES:
                parts.append(_SIMPLE_ESCAPES[escape])
            elif escape == "x":
                parts.append(_byte_char(self.number(16, 2)))
            elif escape in "uU" and escape:
                parts.append(chr(self.number(16, 4 if escape == "u" else 8)))
            elif escape.isdigit() and escape in "01234567":
                self.pos -= 1
                parts.append(_byte_char(self.number(8, 3) & 0xFF))
            elif escape == "c" and self.pos < len(text):
                parts.append(chr(ord(text[self.pos]) & 0x1F))
                self.pos += 1
            else:
                parts.append("\\" + escape)
        raise self.error("a $'…' string is never closed")

    def number(self, base: int, most: int) -> int:
        digits = "0123456789abcdefABCDEF"[: base + (6 if base == 16 else 0)]
        start = self.pos
        while self.pos < len(self.text) and self.pos - start < most:
            if self.text[self.pos] not in digits:
                break
            self.pos += 1
        if self.pos == start:
            raise self.error("an escape in a $'…' string has no digits")
        return int(self.text[start : self.pos], base)


def split_bash(text: str) -> list[Statement]:
    """The statements of a bash script, each a list of piped commands of unquoted words.

    Raises FormatError naming the line of an unclosed quote.
    """
    return _BashReader(text).statements()


def split_cmd(text: str) -> list[Statement]:
    """The commands of a cmd.exe script (one a line after `^` continuations), split into words.

    cmd.exe removes its carets first (outside double quotes; a caret before a line end joins
    the lines and takes the next character literally), then the C runtime splits words:
    whitespace outside quotes, `"` toggles, backslashes count only before a quote.
    """
    statements: list[Statement] = []
    line_number = 1
    chars: list[str] = []
    start_line = 1
    quoted = False
    pos = 0
    while pos < len(text):
        char = text[pos]
        if char == "^" and not quoted:
            pos += 1
            if text.startswith("\r\n", pos) or text.startswith("\n", pos):
                pos += 2 if text[pos] == "\r" else 1
                line_number += 1
                if pos < len(text):
                    chars.append("\0" + text[pos])  # escaped: taken literally
                    if text[pos] == "\n":
                        line_number += 1
                    pos += 1
                continue
            if pos < len(text):
                chars.append("\0" + text[pos])
                pos += 1
            continue
        if char == '"':
            quoted = not quoted
        if char in "\r\n" and not quoted:
            if char == "\n":
                line_number += 1
            pos += 1
            if char == "\n":
                _finish_cmd(chars, start_line, statements)
                chars = []
                start_line = line_number
            continue
        chars.append(char)
        pos += 1
    _finish_cmd(chars, start_line, statements)
    return statements


def _finish_cmd(chars: list[str], line: int, statements: list[Statement]) -> None:
    plain = "".join(c[-1] for c in chars).lstrip()
    if not plain or plain.upper().startswith(("REM ", "REM\t", "::", "@REM ")) or plain == "REM":
        return
    words = _crt_split(chars, line)
    if words:
        statements.append(Statement(line, [words]))


def _crt_split(chars: list[str], line: int) -> list[str]:
    words: list[str] = []
    current: list[str] = []
    in_word = False
    quoted = False
    index = 0
    while index < len(chars):
        char = chars[index][-1]
        if char == "\\":
            run = 0
            while index < len(chars) and chars[index][-1] == "\\":
                run += 1
                index += 1
            if index < len(chars) and chars[index][-1] == '"':
                current.append("\\" * (run // 2))
                if run % 2:
                    current.append('"')
                    index += 1
            else:
                current.append("\\" * run)
            in_word = True
            continue
        if char == '"':
            if quoted and index + 1 < len(chars) and chars[index + 1][-1] == '"':
                current.append('"')  # "" inside quotes is one quote
                index += 2
                continue
            quoted = not quoted
            in_word = True
        elif char in " \t" and not quoted:
            if in_word:
                words.append("".join(current))
                current, in_word = [], False
        else:
            current.append(char)
            in_word = True
        index += 1
    if quoted:
        raise FormatError(f"cURL command line {line}: a double quote is never closed")
    if in_word:
        words.append("".join(current))
    return words
