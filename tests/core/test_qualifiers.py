"""The qualifier registry: every qualifier has an example that compiles, and names are suggested."""

from __future__ import annotations

import pytest

from webhook_inspector.core.errors import QueryError
from webhook_inspector.core.qualifiers import QUALIFIER_EXAMPLES, QUALIFIERS, unknown_name
from webhook_inspector.core.querytree import Context, Node


def test_every_qualifier_has_an_example_that_compiles_to_sql():
    assert set(QUALIFIER_EXAMPLES) == set(QUALIFIERS)
    for name, example in QUALIFIER_EXAMPLES.items():
        value = example.partition(":")[2]
        node = QUALIFIERS[name](value, len(name) + 1)
        assert isinstance(node, Node)
        fragment, params = node.sql(Context(now_us=0))
        assert fragment.replace("'?'", "").count("?") == len(params), name
        assert value not in fragment or value.isalpha(), name  # values are parameters


def test_values_are_checked_with_positions():
    with pytest.raises(QueryError, match="position 7") as caught:
        QUALIFIERS["size"](">lots", 5)  # the number starts after '>'
    assert caught.value.position == 6
    with pytest.raises(QueryError, match="did you mean 'json'"):
        QUALIFIERS["type"]("jsn", 5)


def test_unknown_names_suggest_the_nearest():
    assert "did you mean 'method'" in unknown_name("qualifier", "methd", ("method", "path"), 0)
    assert "known: method, path" in unknown_name("qualifier", "zzz", ("method", "path"), 0)
