"""The filter language (DESIGN §5): text → syntax tree → SQL with bound parameters only.

`compile_query(text)` parses or raises QueryError (with the position and a suggestion);
`Query.where()` gives a WHERE fragment over `captures c`. Values never enter the SQL text:
they are parameters, or arguments of the `wi_*` functions that `install_functions` registers.
The parts: core/queryparser.py (lexer, parser), core/qualifiers.py, core/querytree.py.
"""

from __future__ import annotations

import fnmatch
import functools
import ipaddress
import re
import sqlite3
from collections.abc import Callable

from webhook_inspector.core import searchtext
from webhook_inspector.core.httpwire import headers_from_raw_head
from webhook_inspector.core.model import CapturedRequest
from webhook_inspector.core.qualifiers import QUALIFIER_EXAMPLES, QUALIFIERS
from webhook_inspector.core.queryparser import parse
from webhook_inspector.core.querytree import Query

__all__ = ["QUALIFIERS", "QUALIFIER_EXAMPLES", "Query", "compile_query", "install_functions"]


def compile_query(text: str) -> Query:
    """Parse a filter expression. Raises QueryError naming the position of the problem."""
    root, terms = parse(text)
    return Query(text, root, tuple(terms))


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
