"""Typed document access: errors carry the format and a JSON pointer."""

from __future__ import annotations

import pytest

from webhook_inspector.core.errors import FormatError
from webhook_inspector.core.formats.documents import Node, kind, wire_text


def test_errors_name_format_and_pointer():
    root = Node({"a/b": [{"x": 1}]}, "Demo")
    [item] = list(root.items("a/b"))
    with pytest.raises(FormatError, match=r"^Demo /a~1b/0/x: must be a string, not a number$"):
        item.get("x", str)
    with pytest.raises(FormatError, match=r"^Demo /a~1b/0/y: missing$"):
        item.get("y", str)


def test_pairs_skip_disabled_entries():
    root = Node({"h": [{"name": "a", "value": "1"}, {"name": "b", "value": 2, "disabled": True},
                       {"name": "c", "value": 3}]}, "Demo")  # fmt: skip
    assert root.pairs("h") == [("a", "1"), ("c", "3")]


def test_kind_and_wire_text():
    assert kind(True) == "true or false" and kind(None) == "null" and kind([]) == "an array"
    assert wire_text("é") == "\xc3\xa9"
