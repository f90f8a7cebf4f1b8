"""The filter language (DESIGN §5): text → syntax tree → SQL with bound parameters only.

`compile_query(text)` parses or raises QueryError (with the position and a suggestion);
`Query.where()` gives a WHERE fragment over `captures c`. Values never enter the SQL text:
they are parameters, or arguments of the `wi_*` functions that `install_functions` registers.
"""

from __future__ import annotations

import difflib
import fnmatch
import functools
import ipaddress
import re
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from webhook_inspector.core import searchtext
from webhook_inspector.core.bodies import BodyKind
from webhook_inspector.core.errors import QueryError
from webhook_inspector.core.httpwire import headers_from_raw_head
from webhook_inspector.core.model import CapturedRequest

MIN_INDEXED_TERM_CHARS = 3  # shorter terms are found by a substring scan (DESIGN §5)
# The signature verdict of a capture; a constant until captures carry one. Wire it by naming
# the column here, e.g. "c.signature".
SIGNATURE_SQL = "(CASE c.sig WHEN '' THEN 'unknown' ELSE c.sig END)"
SIGNATURE_VALUES = ("valid", "invalid", "missing", "unknown")

_HEAD = "(SELECT head FROM bodies WHERE id = c.id)"
_BODY = "(SELECT body FROM bodies WHERE id = c.id)"
_INDEXED_ID = "(SELECT value FROM meta WHERE key = 'indexed_id')"
_PATH = "substr(c.target, 1, instr(c.target || '?', '?') - 1)"
_GLOB_CHARS = frozenset("*?[")
_UNITS = {"": 1, "b": 1, "k": 1000, "kb": 1000, "ki": 1024, "kib": 1024, "m": 10**6,
          "mb": 10**6, "mi": 1024**2, "mib": 1024**2, "g": 10**9, "gb": 10**9,
          "gi": 1024**3, "gib": 1024**3}  # fmt: skip
_AGE_UNITS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400, "w": 604800}
_NUMBER_UNIT = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z]*)", re.IGNORECASE)
_COMPARISON = re.compile(r"(>=|<=|!=|>|<|=)?(.*)", re.DOTALL)
_QUALIFIER = re.compile(r"([A-Za-z][A-Za-z_-]*):")


# --- the tree -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Context:
    """What a tree needs at execution time: the clock, for age:."""

    now_us: int


class Node:
    """A part of a query that renders to SQL."""

    def sql(self, ctx: Context) -> tuple[str, list[object]]:
        """The SQL fragment (true/false per capture row `c`) and its parameters."""
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class Raw(Node):
    """A fixed SQL fragment with its parameters."""

    fragment: str
    params: tuple[object, ...] = ()

    def sql(self, ctx: Context) -> tuple[str, list[object]]:
        """The fragment as it is."""
        return self.fragment, list(self.params)


@dataclass(frozen=True, slots=True)
class Age(Node):
    """Captures younger (`older=False`) or older than `seconds`."""

    seconds: float
    older: bool

    def sql(self, ctx: Context) -> tuple[str, list[object]]:
        """A received_at_us comparison against the context's clock."""
        cutoff = ctx.now_us - int(self.seconds * 1_000_000)
        return ("c.received_at_us < ?" if self.older else "c.received_at_us >= ?"), [cutoff]


@dataclass(frozen=True, slots=True)
class Group(Node):
    """AND or OR over several nodes."""

    op: str
    children: tuple[Node, ...]

    def sql(self, ctx: Context) -> tuple[str, list[object]]:
        """The children joined by the operator."""
        parts, params = [], []
        for child in self.children:
            fragment, child_params = child.sql(ctx)
            parts.append(f"({fragment})")
            params.extend(child_params)
        return f" {self.op} ".join(parts), params


@dataclass(frozen=True, slots=True)
class Not(Node):
    """Negation."""

    child: Node

    def sql(self, ctx: Context) -> tuple[str, list[object]]:
        """NOT of the child."""
        fragment, params = self.child.sql(ctx)
        return f"NOT ({fragment})", params


@dataclass(frozen=True, slots=True)
class FullText(Node):
    """Words through the FTS index, plus a scan of the captures not indexed yet."""

    phrase: str  # the FTS5 MATCH string
    term: str

    def sql(self, ctx: Context) -> tuple[str, list[object]]:
        """Index membership, or for the unindexed tail the same word test in Python."""
        return (
            "c.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?)"
            f" OR (c.id > {_INDEXED_ID} AND wi_words(?, ?, c.method, c.target, {_HEAD}, {_BODY}))",
            [self.phrase, self.term, int(self.phrase.endswith("*"))],
        )


@dataclass(frozen=True)
class Query:
    """A compiled filter: hand it to Store.search / count_matching / summaries_after."""

    text: str
    root: Node | None
    terms: tuple[str, ...] = ()  # the free-text terms, for highlighting matches

    def where(self, now_us: int | None = None) -> tuple[str, list[object]]:
        """A WHERE fragment over `captures c` and its parameters."""
        if self.root is None:
            return "1", []
        now = time.time_ns() // 1000 if now_us is None else now_us
        return self.root.sql(Context(now))

    def driver(self) -> tuple[str, Query] | None:
        """An FTS phrase every match must hold, and the query left beside it; or None.

        A page of results can then walk the index newest first and stop after a page,
        instead of collecting every capture holding a common word.
        """
        root = self.root
        if _fts_expression(root) is not None:  # words only: the index answers it all
            return str(_fts_expression(root)), Query(self.text, None, self.terms)
        if not (isinstance(root, Group) and root.op == "AND"):
            return None
        phrases = [p for child in root.children if (p := _fts_expression(child)) is not None]
        if not phrases:
            return None
        rest = tuple(child for child in root.children if _fts_expression(child) is None)
        left = None if not rest else rest[0] if len(rest) == 1 else Group("AND", rest)
        return " AND ".join(f"({p})" for p in phrases), Query(self.text, left, self.terms)


def _fts_expression(node: Node | None) -> str | None:
    """The FTS5 expression for a tree of words joined by AND/OR, or None if it holds more."""
    if isinstance(node, FullText):
        return node.phrase
    if isinstance(node, Group):
        parts = [_fts_expression(child) for child in node.children]
        if all(part is not None for part in parts):
            return f" {node.op} ".join(f"({part})" for part in parts)
    return None


# --- values -------------------------------------------------------------------------------------


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _check_regex(pattern: str, pos: int) -> None:
    try:
        re.compile(pattern)
    except (re.error, RecursionError, OverflowError) as exc:
        raise QueryError(f"invalid regular expression at position {pos + 1}: {exc}", pos) from None


def _spec(value: str, pos: int, plain: str) -> str:
    """A matcher for wi_match: regex (~), glob (* ? [), else `plain` (s substring, e exact)."""
    if value.startswith("~"):
        _check_regex(value[1:], pos + 1)
        return "r:" + value[1:]
    if _GLOB_CHARS & set(value):
        return "g:" + value
    return f"{plain}:{value}"


def _text_node(column: str, value: str, pos: int, plain: str) -> Node:
    """Match a text column: ~regex, glob, or `plain` ('s' substring, 'e' exact), any case."""
    spec = _spec(value, pos, plain)
    mode, text = spec[0], spec[2:]
    if mode == "s":
        return Raw(f"{column} LIKE ? ESCAPE '\\'", (_like(text),))
    if mode == "e":
        return Raw(f"{column} = ? COLLATE NOCASE", (text,))
    return Raw(f"wi_match(?, {column})", (spec,))


def _choices(value: str, pos: int, one: Callable[[str, int], Node]) -> Node:
    """A comma (or |) separated list of alternatives, ORed."""
    if value.startswith("~"):
        return one(value, pos)
    nodes, offset = [], pos
    for item in re.split(r"[,|]", value):
        if not item:
            raise QueryError(f"empty item in the list at position {offset + 1}", offset)
        nodes.append(one(item, offset))
        offset += len(item) + 1
    return nodes[0] if len(nodes) == 1 else Group("OR", tuple(nodes))


def _number(text: str, units: dict[str, int | float], pos: int, what: str) -> float:
    match = _NUMBER_UNIT.fullmatch(text.strip())
    unit = match.group(2).lower() if match else ""
    if match is None or unit not in units:
        known = ", ".join(u for u in units if u)
        raise QueryError(f"invalid {what} {text!r} at position {pos + 1} (units: {known})", pos)
    return float(match.group(1)) * units[unit]


def _compare(column: str, value: str, pos: int, parse: Callable[[str, int], float]) -> Node:
    match = _COMPARISON.fullmatch(value)
    assert match is not None  # the pattern matches any text
    op, rest = match.group(1) or "=", match.group(2)
    shift = len(match.group(1) or "")
    sql_op = "<>" if op == "!=" else op
    return Raw(f"{column} {sql_op} ?", (parse(rest, pos + shift),))


# --- qualifiers ---------------------------------------------------------------------------------


def _method(value: str, pos: int) -> Node:
    return _choices(value, pos, lambda v, p: _text_node("c.method", v, p, "e"))


def _path(value: str, pos: int) -> Node:
    return _text_node(_PATH, value, pos, "s")


def _inbox(value: str, pos: int) -> Node:
    return _choices(value, pos, lambda v, p: _text_node("c.inbox", v, p, "e"))


def _name_value(value: str, pos: int) -> tuple[str, str]:
    """Split NAME=VALUE into matcher specs (name exact, value substring; '' = any value)."""
    name, eq, wanted = value.partition("=")
    if not name:
        raise QueryError(f"a name is missing before '=' at position {pos + 1}", pos)
    value_spec = _spec(wanted, pos + len(name) + 1, "s") if eq else ""
    return _spec(name, pos, "e"), value_spec


def _header(value: str, pos: int) -> Node:
    name_spec, value_spec = _name_value(value, pos)
    if name_spec.startswith("e:"):  # cheap C prefilter before the exact check in Python
        prefilter = "instr(lower(CAST(b.head AS TEXT)), ?) AND "
        params: tuple[object, ...] = (name_spec[2:].lower(), name_spec, value_spec)
    else:
        prefilter, params = "", (name_spec, value_spec)
    return Raw(
        f"EXISTS(SELECT 1 FROM bodies b WHERE b.id = c.id AND {prefilter}wi_header(b.head, ?, ?))",
        params,
    )


def _query(value: str, pos: int) -> Node:
    name_spec, value_spec = _name_value(value, pos)
    return Raw("instr(c.target, '?') AND wi_query(c.target, ?, ?)", (name_spec, value_spec))


def _body(value: str, pos: int) -> Node:
    spec = _spec(value, pos, "s")
    if spec.startswith("s:"):
        sql = (
            "EXISTS(SELECT 1 FROM bodies b WHERE b.id = c.id"
            " AND (CAST(b.body AS TEXT) LIKE ? ESCAPE '\\' OR instr(b.body, ?)))"
        )
        # LIKE ignores ASCII case but stops at a NUL byte; instr finds the exact bytes anywhere.
        return Raw(sql, (_like(value), value.encode()))
    return Raw(f"wi_match(?, {_BODY})", (spec,))


def _from(value: str, pos: int) -> Node:
    def one(item: str, p: int) -> Node:
        if "/" in item and not item.startswith("~"):
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise QueryError(f"invalid network {item!r} at position {p + 1}", p) from None
            return Raw("wi_in_network(?, c.remote_ip)", (item,))
        return _text_node("c.remote_ip", item, p, "e")

    return _choices(value, pos, one)


def _status(value: str, pos: int) -> Node:
    def one(item: str, p: int) -> Node:
        klass = re.fullmatch(r"([1-5])xx", item, re.IGNORECASE)
        if klass:
            low = int(klass.group(1)) * 100
            return Raw("c.status BETWEEN ? AND ?", (low, low + 99))
        return _compare("c.status", item, p, lambda t, q: _number(t, {"": 1}, q, "status"))

    return _choices(value, pos, one)


def _size(value: str, pos: int) -> Node:
    return _compare("c.body_size", value, pos, lambda t, p: _number(t, _UNITS, p, "size"))


_KINDS = tuple(kind.value for kind in BodyKind)


def _type(value: str, pos: int) -> Node:
    def one(item: str, p: int) -> Node:
        kind = item.lower()
        if kind not in _KINDS:
            raise QueryError(_unknown("type", item, _KINDS, p), p)
        return Raw(
            "coalesce((SELECT kind FROM search_kinds WHERE id = c.id),"
            f" wi_kind({_HEAD}, {_BODY})) = ?",
            (kind,),
        )

    return _choices(value, pos, one)


def _sig(value: str, pos: int) -> Node:
    def one(item: str, p: int) -> Node:
        if item.lower() not in SIGNATURE_VALUES:
            raise QueryError(_unknown("signature state", item, SIGNATURE_VALUES, p), p)
        return Raw(f"{SIGNATURE_SQL} = ?", (item.lower(),))

    return _choices(value, pos, one)


def _datetime_us(text: str, pos: int) -> int:
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise QueryError(
            f"invalid date {text!r} at position {pos + 1} (e.g. 2026-11-22 or 2026-11-22T10:00,"
            " UTC unless an offset is given)",
            pos,
        ) from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return int(when.timestamp() * 1_000_000)


def _after(value: str, pos: int) -> Node:
    return Raw("c.received_at_us >= ?", (_datetime_us(value, pos),))


def _before(value: str, pos: int) -> Node:
    return Raw("c.received_at_us < ?", (_datetime_us(value, pos),))


def _age(value: str, pos: int) -> Node:
    match = _COMPARISON.fullmatch(value)
    assert match is not None
    op = match.group(1) or "<"
    if op not in ("<", "<=", ">", ">="):
        raise QueryError(f"age: takes < or > (e.g. age:<10m) at position {pos + 1}", pos)
    seconds = _number(match.group(2), _AGE_UNITS, pos + len(match.group(1) or ""), "age")
    return Age(seconds, older=op.startswith(">"))


QUALIFIERS: dict[str, Callable[[str, int], Node]] = {
    "method": _method, "path": _path, "header": _header, "query": _query, "body": _body,
    "from": _from, "status": _status, "size": _size, "type": _type, "inbox": _inbox,
    "sig": _sig, "after": _after, "before": _before, "age": _age,
}  # fmt: skip
QUALIFIER_EXAMPLES = {
    "method": "method:POST,PUT", "path": "path:/hooks/*", "header": "header:x-github-event=push",
    "query": "query:token=abc", "body": "body:order_id", "from": "from:127.0.0.1",
    "status": "status:5xx", "size": "size:>1kb", "type": "type:json", "inbox": "inbox:default",
    "sig": "sig:invalid", "after": "after:2026-11-22T10:00", "before": "before:2026-11-23",
    "age": "age:<10m",
}  # fmt: skip


def _unknown(what: str, name: str, known: tuple[str, ...] | list[str], pos: int) -> str:
    close = difflib.get_close_matches(name.lower(), known, n=1, cutoff=0.5)
    hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(known)}"
    return f"unknown {what} {name!r} at position {pos + 1} ({hint})"


# --- free text ----------------------------------------------------------------------------------


def _text(term: str, pos: int, phrase: bool) -> Node:
    """Words through the index (plus the unindexed tail); short terms by a substring scan."""
    if not term:
        raise QueryError(f'empty phrase "" at position {pos + 1}', pos)
    prefix = not phrase
    if len(term) >= MIN_INDEXED_TERM_CHARS and searchtext.words(term):
        return FullText(searchtext.fts_phrase(" ".join(searchtext.words(term)), prefix), term)
    pattern = _like(term)
    return Raw(
        "EXISTS(SELECT 1 FROM bodies b WHERE b.id = c.id AND"
        " (CAST(b.head AS TEXT) LIKE ? ESCAPE '\\' OR CAST(b.body AS TEXT) LIKE ? ESCAPE '\\'))",
        (pattern, pattern),
    )


# --- lexer and parser ---------------------------------------------------------------------------


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
            return _text(token.text, token.pos, phrase=token.kind == "phrase")
        raise QueryError(f"unexpected {token.text!r} at position {token.pos + 1}", token.pos)

    def _qualifier(self, token: _Token) -> Node:
        compile_value = QUALIFIERS.get(token.text)
        if compile_value is None:
            message = _unknown(
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


def compile_query(text: str) -> Query:
    """Parse a filter expression. Raises QueryError naming the position of the problem."""
    parser = _Parser(text)
    try:
        root = parser.parse()
    except RecursionError:
        raise QueryError("the expression nests too deeply", 0) from None
    return Query(text, root, tuple(parser.terms))


# --- SQL functions ------------------------------------------------------------------------------


@functools.lru_cache(maxsize=256)
def _matcher(spec: str) -> Callable[[str], bool]:
    mode, text = spec[0], spec[2:]
    if mode == "r":
        return re.compile(text, re.IGNORECASE).search  # type: ignore[return-value]
    if mode == "g":
        pattern = text.lower()
        return lambda value: fnmatch.fnmatchcase(value.lower(), pattern)
    if mode == "e":
        lowered = text.lower()
        return lambda value: value.lower() == lowered
    lowered = text.lower()
    return lambda value: lowered in value.lower()


def _as_text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return "" if value is None else str(value)


def _wi_match(spec: str, value: object) -> int:
    return int(bool(_matcher(spec)(_as_text(value))))


def _pairs_match(pairs: list[tuple[str, str]], name_spec: str, value_spec: str) -> int:
    name_ok, value_ok = _matcher(name_spec), _matcher(value_spec) if value_spec else None
    return int(
        any(name_ok(name) and (value_ok is None or value_ok(value)) for name, value in pairs)
    )


def _wi_header(head: bytes, name_spec: str, value_spec: str) -> int:
    return _pairs_match(list(headers_from_raw_head(bytes(head))), name_spec, value_spec)


def _wi_query(target: str, name_spec: str, value_spec: str) -> int:
    capture = CapturedRequest(0, "", target, "", (), b"", "", 0)
    return _pairs_match(capture.query_items(), name_spec, value_spec)


@functools.lru_cache(maxsize=64)
def _term_words(term: str) -> list[str]:
    return searchtext.words(term)


def _wi_words(term: str, prefix: int, *capture: object) -> int:
    method, target, head, body = capture
    doc = searchtext.search_doc(str(method), str(target), bytes(head or b""), bytes(body or b""))  # type: ignore[arg-type]
    return int(searchtext.has_words(searchtext.words(doc.text), _term_words(term), bool(prefix)))


def _wi_kind(head: bytes, body: bytes) -> str:
    return searchtext.search_doc("", "", bytes(head or b""), bytes(body or b"")).kind


def _wi_in_network(network: str, ip: str) -> int:
    try:
        return int(ipaddress.ip_address(ip) in ipaddress.ip_network(network, strict=False))
    except ValueError:
        return 0


_FUNCTIONS: dict[str, tuple[int, Callable[..., object]]] = {
    "wi_match": (2, _wi_match),
    "wi_header": (3, _wi_header),
    "wi_query": (3, _wi_query),
    "wi_words": (6, _wi_words),
    "wi_kind": (2, _wi_kind),
    "wi_in_network": (2, _wi_in_network),
}


def install_functions(db: sqlite3.Connection) -> None:
    """Register the SQL functions compiled queries call on a connection."""
    for name, (arity, fn) in _FUNCTIONS.items():
        db.create_function(name, arity, fn, deterministic=True)
