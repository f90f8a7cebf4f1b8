"""The lexer and parser: tree shapes, free-text terms, and errors with positions."""

from __future__ import annotations

import pytest

from webhook_inspector.core.errors import QueryError
from webhook_inspector.core.queryparser import parse
from webhook_inspector.core.querytree import FullText, Group, Not, Raw


def test_and_binds_tighter_than_or():
    root, terms = parse('alpha OR beta "gamma delta"')
    assert isinstance(root, Group)
    assert root.op == "OR"
    left, right = root.children
    assert isinstance(left, FullText)
    assert isinstance(right, Group)
    assert right.op == "AND"
    assert terms == ["alpha", "beta", "gamma delta"]


def test_negation_parentheses_and_qualifiers():
    root, terms = parse("-(method:PUT OR status:5xx)")
    assert isinstance(root, Not)
    assert isinstance(root.child, Group)
    assert all(isinstance(child, Raw) for child in root.child.children)
    assert terms == []
    assert parse("   ") == (None, [])


@pytest.mark.parametrize(
    ("text", "position"),
    [("(alpha", 0), ("alpha )", 6), ("bogus:1", 0), ('"open', 0), ("alpha OR", 6)],
)
def test_errors_carry_the_position(text, position):
    with pytest.raises(QueryError) as caught:
        parse(text)
    assert caught.value.position == position


def test_deep_nesting_is_a_query_error():
    with pytest.raises(QueryError, match="nests too deeply"):
        parse("(" * 5000 + "x" + ")" * 5000)
