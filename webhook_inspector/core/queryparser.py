"""The filter language's lexer and recursive-descent parser: text → syntax tree (DESIGN §5)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from webhook_inspector.core.errors import QueryError
from webhook_inspector.core.qualifiers import QUALIFIER_EXAMPLES, QUALIFIERS, unknown_name
from webhook_inspector.core.querytree import Group, Node, Not, text_term

_QUALIFIER = re.compile(r"([A-Za-z][A-Za-z_-]*):")


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # ( ) OR AND - word phrase qualifier end
    text: str
    pos: int
    value: str = ""
    value_pos: int = 0


class _Lexer:
    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0

    def tokens(self) -> list[_Token]:
        out = []
        while (token := self._next()).kind != "end":
            out.append(token)
        out.append(token)
        return out

    def _next(self) -> _Token:
        text, n = self.text, len(self.text)
        while self.i < n and text[self.i].isspace():
            self.i += 1
        if self.i >= n:
            return _Token("end", "", n)
        start, ch = self.i, text[self.i]
        if ch in "()":
            self.i += 1
            return _Token(ch, ch, start)
        if ch == "-":
            self.i += 1
            if self.i >= n or text[self.i].isspace() or text[self.i] == ")":
                raise QueryError(f"'-' must be followed by a term at position {start + 1}", start)
            return _Token("-", "-", start)
        if ch == '"':
            return _Token("phrase", self._quoted(), start)
        qualifier = _QUALIFIER.match(text, start)
        if qualifier:
            self.i = qualifier.end()
            value_pos = self.i
            value = self._quoted() if self.i < n and text[self.i] == '"' else self._value()
            return _Token("qualifier", qualifier.group(1).lower(), start, value, value_pos)
        while self.i < n and not text[self.i].isspace() and text[self.i] not in '()"':
            self.i += 1
        word = text[start : self.i]
        return _Token(word if word in ("OR", "AND") else "word", word, start)

    def _quoted(self) -> str:
        start, text = self.i, self.text
        self.i += 1
        out = []
        while self.i < len(text):
            ch = text[self.i]
            if ch == "\\" and self.i + 1 < len(text):
                out.append(text[self.i + 1])
                self.i += 2
                continue
            self.i += 1
            if ch == '"':
                return "".join(out)
            out.append(ch)
        raise QueryError(f"unterminated quote at position {start + 1}", start)

    def _value(self) -> str:
        """A qualifier value: up to a space, or a ')' that closes an outer group.

        Quoted parts ("…") may hold spaces: header:x-note="a b".
        """
        text, depth, out = self.text, 0, []
        while self.i < len(text) and not text[self.i].isspace():
            ch = text[self.i]
            if ch == '"':
                out.append(self._quoted())
                continue
            if ch == "(":
                depth += 1
            elif ch == ")":
                if depth == 0:
                    break
                depth -= 1
            out.append(ch)
            self.i += 1
        return "".join(out)


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _Lexer(text).tokens()
        self.k = 0
        self.terms: list[str] = []

    @property
    def token(self) -> _Token:
        return self.tokens[self.k]

    def parse(self) -> Node | None:
        if self.token.kind == "end":
            return None
        node = self._or()
        if self.token.kind == ")":
            raise QueryError(f"unmatched ')' at position {self.token.pos + 1}", self.token.pos)
        return node

    def _or(self) -> Node:
        nodes = [self._and()]
        while self.token.kind == "OR":
            op = self.token
            self.k += 1
            if self.token.kind in ("end", ")", "OR", "AND"):
                raise QueryError(f"OR needs a term after it at position {op.pos + 1}", op.pos)
            nodes.append(self._and())
        return nodes[0] if len(nodes) == 1 else Group("OR", tuple(nodes))

    def _and(self) -> Node:
        nodes = []
        while self.token.kind not in ("end", ")", "OR"):
            if self.token.kind == "AND":
                if not nodes:
                    raise QueryError(
                        f"AND needs a term before it at position {self.token.pos + 1}",
                        self.token.pos,
                    )
                self.k += 1
                continue
            nodes.append(self._unary())
        if not nodes:
            token = self.token
            what = "OR needs a term before it" if token.kind == "OR" else "a term is missing"
            if token.kind == ")":
                what = "empty parentheses" if self._after_open() else "unmatched ')'"
            raise QueryError(f"{what} at position {token.pos + 1}", token.pos)
        return nodes[0] if len(nodes) == 1 else Group("AND", tuple(nodes))

    def _after_open(self) -> bool:
        return self.k > 0 and self.tokens[self.k - 1].kind == "("

    def _unary(self) -> Node:
        if self.token.kind == "-":
            self.k += 1
            if self.token.kind in ("end", ")", "OR", "AND"):
                pos = self.tokens[self.k - 1].pos
                raise QueryError(f"'-' must be followed by a term at position {pos + 1}", pos)
            return Not(self._unary())
        return self._primary()

    def _primary(self) -> Node:
        token = self.token
        self.k += 1
        if token.kind == "(":
            node = self._or()
            if self.token.kind != ")":
                raise QueryError(f"missing ')' for '(' at position {token.pos + 1}", token.pos)
            self.k += 1
            return node
        if token.kind == "qualifier":
            return self._qualifier(token)
        if token.kind in ("word", "phrase"):
            self.terms.append(token.text)
            return text_term(token.text, token.pos, phrase=token.kind == "phrase")
        raise QueryError(f"unexpected {token.text!r} at position {token.pos + 1}", token.pos)

    def _qualifier(self, token: _Token) -> Node:
        compile_value = QUALIFIERS.get(token.text)
        if compile_value is None:
            message = unknown_name(
                "qualifier", token.text + ":", [f"{q}:" for q in QUALIFIERS], token.pos
            )
            raise QueryError(f'{message}; to search for the text, put it in quotes: "…"', token.pos)
        if not token.value:
            example = QUALIFIER_EXAMPLES[token.text]
            raise QueryError(
                f"{token.text}: needs a value at position {token.pos + 1} (e.g. {example})",
                token.pos,
            )
        return compile_value(token.value, token.value_pos)


def parse(text: str) -> tuple[Node | None, list[str]]:
    """The tree of `text` (None when empty) and its free-text terms. Raises QueryError."""
    parser = _Parser(text)
    try:
        return parser.parse(), parser.terms
    except RecursionError:
        raise QueryError("the expression nests too deeply", 0) from None
