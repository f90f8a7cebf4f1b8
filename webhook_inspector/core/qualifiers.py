"""The qualifiers of the filter language (`method:`, `header:`, `size:` …): value → tree node."""

from __future__ import annotations

import difflib
import ipaddress
import re
from collections.abc import Callable
from datetime import UTC, datetime

from webhook_inspector.core.bodies import BodyKind
from webhook_inspector.core.errors import QueryError
from webhook_inspector.core.querytree import BODY_SQL, HEAD_SQL, Age, Group, Node, Raw, like_pattern

# The signature verdict of a capture ("" in the column: no profile applied, shown as unknown).
SIGNATURE_SQL = "(CASE c.sig WHEN '' THEN 'unknown' ELSE c.sig END)"
SIGNATURE_VALUES = ("valid", "invalid", "missing", "unknown")

_PATH = "substr(c.target, 1, instr(c.target || '?', '?') - 1)"
_GLOB_CHARS = frozenset("*?[")
_UNITS = {"": 1, "b": 1, "k": 1000, "kb": 1000, "ki": 1024, "kib": 1024, "m": 10**6,
          "mb": 10**6, "mi": 1024**2, "mib": 1024**2, "g": 10**9, "gb": 10**9,
          "gi": 1024**3, "gib": 1024**3}  # fmt: skip
_AGE_UNITS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400, "w": 604800}
_NUMBER_UNIT = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z]*)", re.IGNORECASE)
_COMPARISON = re.compile(r"(>=|<=|!=|>|<|=)?(.*)", re.DOTALL)


# --- values -------------------------------------------------------------------------------------


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
        return Raw(f"{column} LIKE ? ESCAPE '\\'", (like_pattern(text),))
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
    # Cheap C prefilters before the exact check in Python: the head must hold the name, and a
    # substring value, somewhere. SQLite's lower() folds ASCII only, so only ASCII text is
    # prefiltered (a necessary condition, never a false negative).
    needles = [spec[2:].lower() for spec, mode in ((name_spec, "e:"), (value_spec, "s:"))
               if spec.startswith(mode) and spec[2:].isascii() and spec[2:]]  # fmt: skip
    prefilter = "".join("instr(lower(CAST(b.head AS TEXT)), ?) AND " for _ in needles)
    return Raw(
        f"EXISTS(SELECT 1 FROM bodies b WHERE b.id = c.id AND {prefilter}wi_header(b.head, ?, ?))",
        (*needles, name_spec, value_spec),
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
        return Raw(sql, (like_pattern(value), value.encode()))
    return Raw(f"wi_match(?, {BODY_SQL})", (spec,))


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
            raise QueryError(unknown_name("type", item, _KINDS, p), p)
        return Raw(
            "coalesce((SELECT kind FROM search_kinds WHERE id = c.id),"
            f" wi_kind({HEAD_SQL}, {BODY_SQL})) = ?",
            (kind,),
        )

    return _choices(value, pos, one)


def _sig(value: str, pos: int) -> Node:
    def one(item: str, p: int) -> Node:
        if item.lower() not in SIGNATURE_VALUES:
            raise QueryError(unknown_name("signature state", item, SIGNATURE_VALUES, p), p)
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


def unknown_name(what: str, name: str, known: tuple[str, ...] | list[str], pos: int) -> str:
    close = difflib.get_close_matches(name.lower(), known, n=1, cutoff=0.5)
    hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(known)}"
    return f"unknown {what} {name!r} at position {pos + 1} ({hint})"
