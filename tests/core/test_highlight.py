"""Highlighting core: lexer choice, display blocks, span arrays, the worker pool, hostile input."""

from __future__ import annotations

import itertools
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pygments.lexers.data import JsonLexer
from pygments.token import Keyword, Name, Number, Operator, Punctuation, String

from webhook_inspector.core.highlight import (
    BLOCK_MAX_CHARS,
    INVISIBLE_MARK,
    FastJsonLexer,
    SpanIndex,
    display_text,
    inline_limit,
    lex_blocks,
    lexer_for_mime,
    plan_pieces,
    prefix_stop,
    split_blocks,
    visible,
)
from webhook_inspector.core.syntaxthemes import TOKEN_CLASSES, token_class


def _tokens(text: str, lexer: str) -> list[tuple[str, object]]:
    """Every span as (the text it covers, its token type), block by block."""
    blocks = split_blocks(text)
    chunk = lex_blocks(lexer, text, blocks, 0, len(blocks))
    found = []
    for b in range(len(blocks)):
        start = blocks.starts[b]
        for column, length, cls in chunk.block_spans(b):
            found.append((text[start + column : start + column + length], TOKEN_CLASSES[cls]))
    return found


@pytest.mark.parametrize(
    ("mime", "lexer"),
    [
        ("application/json; charset=utf-8", "json"),
        ("application/vnd.api+json", "json"),
        ("application/soap+xml", "xml"),
        ("TEXT/HTML", "html"),
        ("application/x-www-form-urlencoded", "form"),
        ("application/yaml", "yaml"),
        ("text/x-python", "pygments:python"),
        ("application/octet-stream", "text"),
        ("", "text"),
        ("not a mime", "text"),
    ],
)
def test_lexer_by_mime_type(mime, lexer):
    assert lexer_for_mime(mime) == lexer


def test_json_spans_name_keys_strings_numbers_and_constants():
    assert _tokens('{"a": [1, -2.5e3, true, null, "x\\"y"]}', "json") == [
        ('"a"', Name.Tag),
        ("1", Number),
        ("-2.5e3", Number),
        ("true", Keyword.Constant),
        ("null", Keyword.Constant),
        ('"x\\"y"', String.Double),
    ]


def test_xml_spans():
    found = _tokens('<?xml version="1.0"?>\n<a href="x">t &amp; u<!-- c --></a>', "xml")
    assert ("<a", Name.Tag) in found
    assert ('"x"', String) in found
    assert ("&amp;", Name.Entity) in found
    assert any(text == "<!-- c -->" for text, _ in found)


def test_form_spans():
    assert _tokens("a=1&b%20c=x%2Fy", "form") == [
        ("a", Name.Attribute),
        ("=", Operator),
        ("1", String),
        ("&", Punctuation),
        ("b", Name.Attribute),
        ("%20", String.Escape),
        ("c", Name.Attribute),
        ("=", Operator),
        ("x", String),
        ("%2F", String.Escape),
        ("y", String),
    ]


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    max_leaves=30,
)


COLOURED = (Name.Tag, String.Double, Number, Keyword.Constant)


def _coloured(tokens) -> set[tuple[int, object, str]]:
    return {
        (pos, TOKEN_CLASSES[token_class(ttype)], value)
        for pos, ttype, value in tokens
        if TOKEN_CLASSES[token_class(ttype)] in COLOURED
    }


@settings(max_examples=150, deadline=None)
@given(json_values, st.sampled_from([None, 2]))
def test_fast_json_lexer_agrees_with_pygments(value, indent):
    text = json.dumps(value, indent=indent, ensure_ascii=False)
    ours = list(FastJsonLexer().get_tokens_unprocessed(text))
    assert _coloured(ours) == _coloured(JsonLexer().get_tokens_unprocessed(text))
    assert "".join(v for _, _, v in ours) == text  # every character is in some token


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["\n", "a", "bb", "x" * 700, "y" * 5000]), max_size=40))
def test_blocks_cover_the_text_with_newline_or_cut_gaps(parts):
    text = "".join(parts)
    blocks = split_blocks(text)
    assert blocks.starts[0] == 0 and blocks.ends[-1] == len(text)
    rebuilt = []
    for b in range(len(blocks)):
        assert blocks.ends[b] - blocks.starts[b] <= BLOCK_MAX_CHARS
        rebuilt.append(text[blocks.starts[b] : blocks.ends[b]])
        if b + 1 < len(blocks):
            gap = text[blocks.ends[b] : blocks.starts[b + 1]]
            assert gap in ("", "\n")
            rebuilt.append(gap)
    assert "".join(rebuilt) == text
    shown = display_text(text, blocks, 0, len(blocks))
    assert shown.count("\n") == len(blocks) - 1  # one newline per block break, nothing else


def test_a_long_line_is_cut_and_said_so():
    blocks = split_blocks("x" * (3 * BLOCK_MAX_CHARS + 5))
    assert len(blocks) == 4 and blocks.cut_lines()
    assert not split_blocks("short\nlines\n" * 1000).cut_lines()


def test_hostile_characters_are_shown_one_for_one():
    text = "<b>x</b>\x1b[31mred\x00\u202eevil\u2028\u2029\r\n\t"
    shown = visible(text)
    assert len(shown) == len(text)
    assert "\x1b" not in shown and "\x00" not in shown and "\u202e" not in shown
    assert shown.startswith("<b>x</b>␛[31mred␀" + INVISIBLE_MARK + "evil")
    assert shown.endswith(INVISIBLE_MARK * 2 + "␍\n\t")
    assert visible("plain") == "plain"


def test_columns_count_utf16_units_after_astral_characters():
    text = '{"🎉": "ok", "k": 1}'
    blocks = split_blocks(text)
    chunk = lex_blocks("json", text, blocks, 0, 1)
    utf16 = text.encode("utf-16-le")
    got = [
        (utf16[2 * c : 2 * (c + n)].decode("utf-16-le"), TOKEN_CLASSES[k])
        for c, n, k in chunk.block_spans(0)
    ]
    assert got == [('"🎉"', Name.Tag), ('"ok"', String.Double), ('"k"', Name.Tag), ("1", Number)]


def test_a_token_across_a_cut_is_split_between_blocks():
    text = '"' + "s" * (BLOCK_MAX_CHARS + 10) + '"'
    blocks = split_blocks(text)
    chunk = lex_blocks("json", text, blocks, 0, len(blocks))
    assert chunk.block_spans(0) == [(0, BLOCK_MAX_CHARS, TOKEN_CLASSES.index(String.Double))]
    assert chunk.block_spans(1) == [(0, 12, TOKEN_CLASSES.index(String.Double))]


def test_plain_text_has_no_spans():
    blocks = split_blocks("a\nb")
    chunk = lex_blocks("text", "a\nb", blocks, 0, len(blocks))
    assert list(chunk.offsets) == [0, 0] and len(chunk.columns) == 0


def test_span_index_keeps_the_newest_spans_per_block():
    text = '{"a": 1}\n' * 2000
    blocks = split_blocks(text)
    index = SpanIndex(len(blocks))
    assert index.spans(0) is None
    index.add(lex_blocks("json", text, blocks, 0, prefix_stop(blocks, 100)))
    before = index.spans(0)
    assert before and index.spans(len(blocks) - 2) is None
    index.add(lex_blocks("json", text, blocks, 0, len(blocks)))
    assert index.spans(0) == before and index.spans(len(blocks) - 2)
    assert index.spans(len(blocks)) is None


def test_pieces_are_cut_only_at_newlines_and_only_for_line_safe_lexers():
    text = ('{"k": "' + "v" * 100 + '"}\n') * 20_000 + "z" * 100_000
    blocks = split_blocks(text)
    pieces = plan_pieces("json", blocks, size=256 * 1024)
    assert len(pieces) > 3 and pieces[0][0] == 0 and pieces[-1][1] == len(blocks)
    for (_, stop), (first, _) in itertools.pairwise(pieces):
        assert stop == first and text[blocks.starts[first] - 1] == "\n"
    assert plan_pieces("xml", blocks, size=256 * 1024) == [(0, len(blocks))]


def test_deep_nesting_and_huge_input_lex_without_recursion():
    deep = "[" * 10_000 + "]" * 10_000
    assert _tokens(deep, "json") == []
    nested_xml = "<a>" * 10_000 + "</a>" * 10_000
    assert len(_tokens(nested_xml, "xml")) >= 20_000
    huge = '{"s": "' + "x" * 2_000_000 + '"}'
    spans = _tokens(huge, "json")
    assert spans[0] == ('"s"', Name.Tag) and sum(len(t) for t, _ in spans[1:]) == 2_000_002


def test_hostile_json_lexes_in_linear_time():
    # A stray "t" after a long run of spaces made a backtracking pattern quadratic; pytest-timeout
    # stops this test if that comes back.
    text = " " * 300_000 + "t" + " " * 300_000 + '"unterminated\n' * 5 + "\x00<b>x</b>\u202e"
    found = _tokens(text, "json")
    assert [t for t, _ in found] == ['"unterminated'] * 5


def test_slow_lexers_get_a_smaller_inline_limit():
    assert inline_limit("javascript") < inline_limit("xml") < inline_limit("json")
    assert inline_limit("pygments:python") <= inline_limit("xml")
