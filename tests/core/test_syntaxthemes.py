"""Token classes and the paired light/dark colour tables."""

from __future__ import annotations

import re

import pytest
from pygments.token import Name, Number, String, Text, Token

from webhook_inspector.core.errors import UsageError
from webhook_inspector.core.syntaxthemes import PLAIN, TOKEN_CLASSES, syntax_theme, token_class


def test_token_types_map_to_their_nearest_listed_class():
    assert TOKEN_CLASSES[token_class(Number.Integer.Long)] is Number
    assert TOKEN_CLASSES[token_class(String.Double)] is String.Double
    assert TOKEN_CLASSES[token_class(Name.Other)] is Name
    assert token_class(Text) == token_class(Token) == PLAIN


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_themes_colour_the_json_classes(theme):
    colours = syntax_theme(theme)
    assert len(colours.looks) == len(TOKEN_CLASSES)
    assert colours.looks[PLAIN] is None
    for ttype in (Name.Tag, String.Double, Number):
        look = colours.looks[TOKEN_CLASSES.index(ttype)]
        assert look is not None and re.fullmatch(r"#[0-9a-fA-F]{6}", look.color or "")
    assert re.fullmatch(r"#[0-9a-fA-F]{6}", colours.background)


def test_light_and_dark_differ_and_unknown_themes_are_refused():
    light, dark = syntax_theme("light"), syntax_theme("dark")
    assert light.style_name != dark.style_name and light.background != dark.background
    with pytest.raises(UsageError, match="known: light, dark"):
        syntax_theme("sepia")
