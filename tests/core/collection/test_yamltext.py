"""Stable YAML: keys in order, block scalars for lines, every string back unchanged."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webhook_inspector.core.collection.yamltext import dump_yaml, load_yaml, odd_characters
from webhook_inspector.core.errors import FormatError


def test_keys_keep_their_order_and_lines_become_blocks():
    text = dump_yaml({"z": 1, "a": {"y": "one\ntwo\n", "b": "x"}})
    assert text == "z: 1\na:\n  y: |\n    one\n    two\n  b: x\n"


@given(st.text())  # includes NEL, LS/PS, BOM, controls
def test_every_string_comes_back(value):
    assert load_yaml(dump_yaml({"v": value}), "t")["v"] == value


def test_lone_surrogates_come_back_escaped():
    value = "\udcff\ud800x"
    text = dump_yaml({"v": value})
    assert "\\uDCFF" in text
    assert load_yaml(text, "t")["v"] == value


def test_odd_characters_counts_what_needs_escapes():
    assert odd_characters("plain\ttext\r\né") == 0
    assert odd_characters("\x00\x85\u2028") == 3


def test_broken_yaml_is_a_format_error_with_a_line():
    with pytest.raises(FormatError, match=r"^thing line 2"):
        load_yaml("a: 1\n b: [\n", "thing")
