"""Token classes for highlighted bodies and their colours in a light and a dark pygments style."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from pygments.style import StyleMeta
from pygments.styles import get_style_by_name
from pygments.token import (
    Comment,
    Error,
    Generic,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Text,
    Token,
    _TokenType,
)
from pygments.util import ClassNotFound

from webhook_inspector.core.errors import UsageError

# Index 0 means "plain": no span is stored for it. Order matters only in that indexes are stable
# within one run; spans carry indexes, never token objects, so they stay compact and picklable.
TOKEN_CLASSES: tuple[_TokenType, ...] = (
    Text, Keyword, Keyword.Constant, Keyword.Declaration, Keyword.Type, Name, Name.Tag,
    Name.Attribute, Name.Builtin, Name.Function, Name.Class, Name.Entity, Name.Variable,
    Name.Namespace, Name.Decorator, String, String.Double, String.Single, String.Escape,
    String.Interpol, String.Regex, String.Doc, Number, Operator, Operator.Word, Punctuation,
    Comment, Comment.Preproc, Comment.Special, Generic.Heading, Generic.Subheading,
    Generic.Deleted, Generic.Inserted, Generic.Emph, Generic.Strong, Error,
)  # fmt: skip
PLAIN = 0
_CLASS_INDEX = {ttype: n for n, ttype in enumerate(TOKEN_CLASSES)}

# Paired styles per theme, best first; the first one installed wins.
THEME_STYLES: dict[str, tuple[str, ...]] = {
    "light": ("default", "friendly"),
    "dark": ("github-dark", "monokai"),
}


@cache
def token_class(ttype: _TokenType) -> int:
    """The index in TOKEN_CLASSES of `ttype` or its nearest listed ancestor (PLAIN if none)."""
    while ttype is not Token:
        index = _CLASS_INDEX.get(ttype)
        if index is not None:
            return index
        ttype = ttype.parent
    return PLAIN


@dataclass(frozen=True)
class TokenLook:
    """How one token class is drawn: colour as "#rrggbb" (or None), bold, italic."""

    color: str | None
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class SyntaxTheme:
    """Colours for every token class plus the view's background and default text colour."""

    style_name: str
    background: str
    foreground: str
    looks: tuple[TokenLook | None, ...]  # indexed like TOKEN_CLASSES; None: drawn as plain text


def _style_for(theme: str) -> StyleMeta:
    names = THEME_STYLES.get(theme)
    if names is None:
        raise UsageError(f"unknown theme {theme!r}; known: {', '.join(THEME_STYLES)}")
    for name in names:  # not get_all_styles(): it scans every installed package (~40 ms)
        try:
            return get_style_by_name(name)
        except ClassNotFound:
            continue
    return get_style_by_name("default")


@cache
def syntax_theme(theme: str) -> SyntaxTheme:
    """The colours of `theme` ("light" or "dark"); raises UsageError for another name."""
    style = _style_for(theme)
    plain = style.style_for_token(Text)
    foreground = "#" + (plain["color"] or ("d0d0d0" if theme == "dark" else "000000"))
    looks: list[TokenLook | None] = []
    for ttype in TOKEN_CLASSES:
        spec = style.style_for_token(ttype)
        color = f"#{spec['color']}" if spec["color"] else None
        look = TokenLook(color, bool(spec["bold"]), bool(spec["italic"]))
        plain_look = color in (None, foreground) and not look.bold and not look.italic
        looks.append(None if ttype is Text or plain_look else look)
    return SyntaxTheme(
        style_name=style.name,
        background=style.background_color,
        foreground=foreground,
        looks=tuple(looks),
    )
