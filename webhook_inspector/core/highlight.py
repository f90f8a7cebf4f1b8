"""Body highlighting: lexers by MIME type, display blocks, span arrays (the pool: highlightpool)."""

from __future__ import annotations

import importlib
import re
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

from pygments.lexer import Lexer, RegexLexer
from pygments.lexers import get_lexer_by_name, get_lexer_for_mimetype
from pygments.token import (
    Error,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Text,
    Whitespace,
    _TokenType,
)
from pygments.util import ClassNotFound

from webhook_inspector.core.syntaxthemes import PLAIN, token_class

# A QTextDocument pays ~6 µs per block: 10 MB of pretty JSON as 760k one-line blocks takes 4.6 s
# to insert, as ~2 KB blocks 0.1 s. So a display block holds several lines (joined by U+2028), and
# a line longer than BLOCK_MAX_CHARS is cut into pieces: Qt lays out a whole block at once, and a
# 5 MB single-line block took 3-5 s to lay out even with wrapping off.
BLOCK_TARGET_CHARS = 1536
BLOCK_MAX_CHARS = 2048
LINE_BREAK_IN_BLOCK = "\u2028"

INLINE_LEX_CHARS = 64 * 1024  # JSON and forms: lexed on the UI thread up to this (~9 ms)
PYGMENTS_INLINE_CHARS = 4 * 1024  # any other pygments lexer: unknown speed, keep it short
PREFIX_LEX_CHARS = 8 * 1024  # lexed inline ahead of the pool so the first screen is coloured
PIECE_CHARS = 512 * 1024  # line-safe lexers lex big texts in pieces of this size, in parallel
HIGHLIGHT_LIMIT_CHARS = 64 * 1024 * 1024  # above this a body is shown plain

# Characters that would be obeyed rather than shown: C0 controls (not tab and newline), DEL,
# bidi overrides and isolates, zero-width marks, separators Qt turns into block breaks. Each maps
# to one BMP character, so offsets in the shown text equal offsets in the original.
INVISIBLE_MARK = "\u2370"  # ⍰
VISIBLE_CHARS: dict[int, int] = (
    {c: 0x2400 + c for c in range(32) if c not in (9, 10)}
    | {0x7F: 0x2421}
    | dict.fromkeys(
        [0x061C, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2028, 0x2029, 0x202A, 0x202B, 0x202C,
         0x202D, 0x202E, 0x2060, 0x2066, 0x2067, 0x2068, 0x2069, 0xFDD0, 0xFDD1, 0xFEFF],
        ord(INVISIBLE_MARK),
    )
)  # fmt: skip
_NEEDS_VISIBLE = re.compile("[" + "".join(re.escape(chr(c)) for c in VISIBLE_CHARS) + "]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")  # two UTF-16 units each in Qt's offsets


class FormLexer(RegexLexer):
    """application/x-www-form-urlencoded: names, values and percent escapes."""

    name = "Form"
    aliases = ["form-urlencoded"]  # noqa: RUF012 - pygments reads these class attributes
    tokens = {  # noqa: RUF012
        "root": [
            (r"%[0-9A-Fa-f]{2}", String.Escape),
            (r"[^=&%\n]+", Name.Attribute),
            (r"=", Operator, "value"),
            (r"&", Punctuation),
            (r"[%\n]", Text),
        ],
        "value": [
            (r"%[0-9A-Fa-f]{2}", String.Escape),
            (r"[^&%\n]+", String),
            (r"&", Punctuation, "#pop"),
            (r"\n", Text, "#pop"),
            (r"%", String),
        ],
    }


class FastJsonLexer(Lexer):
    """JSON by one regular expression: ~4x faster than pygments' character loop, same tokens.

    Whitespace, punctuation and stray characters are skipped inside the regex engine; the two
    themes draw them as plain text anyway.
    """

    name = "JSON (fast)"
    aliases = ["fast-json"]  # noqa: RUF012 - pygments reads these class attributes
    # The skip run is possessive and the last branch takes any stray character, so every
    # attempt matches where it starts: linear time on any input, hostile or not.
    _TOKEN = re.compile(
        r'[^"\-0-9tfn]*+(?:'
        r'(?P<key>"[^"\\\n]*(?:\\.[^"\\\n]*)*"(?=\s*:))'
        r'|(?P<string>"[^"\\\n]*(?:\\.[^"\\\n]*)*"?)'
        r"|(?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)"
        r"|(?P<constant>true|false|null)"
        r"|(?P<other>[\s\S]|\Z))"
    )
    _TYPES: tuple[_TokenType, ...] = (Name.Tag, String.Double, Number, Keyword.Constant)

    def triples(self, text: str) -> Iterator[tuple[int, int, int]]:
        """(start, end, token class) of every coloured token."""
        classes = [token_class(t) for t in self._TYPES]
        for match in self._TOKEN.finditer(text):
            group = match.lastindex
            if group is not None and group <= len(classes):
                start, end = match.span(group)
                yield start, end, classes[group - 1]

    def get_tokens_unprocessed(self, text: str) -> Iterator[tuple[int, _TokenType, str]]:
        """pygments' interface: every character in a token, gaps as punctuation or whitespace."""
        pos = 0
        for match in self._TOKEN.finditer(text):
            group = match.lastindex
            if group is None or group > len(self._TYPES):
                continue
            start, end = match.span(group)
            if start > pos:
                yield from _gap_tokens(text, pos, start)
            yield start, self._TYPES[group - 1], match.group(group)
            pos = end
        if pos < len(text):
            yield from _gap_tokens(text, pos, len(text))


_GAP = re.compile(r"(\s+)|([{}\[\],:]+)|([^\s{}\[\],:]+)")


def _gap_tokens(text: str, start: int, end: int) -> Iterator[tuple[int, _TokenType, str]]:
    for match in _GAP.finditer(text, start, end):
        kind = (Whitespace, Punctuation, Error)[match.lastindex - 1]  # type: ignore[operator]
        yield match.start(), kind, match.group()


@dataclass(frozen=True)
class LexerSpec:
    """A lexer for bodies: how to build it, and whether pieces cut at newlines lex alike."""

    make: Callable[[], Lexer] | None  # None: plain text, nothing to colour
    line_safe: bool
    inline_chars: int = 16 * 1024  # lexed on the UI thread up to this size (~15 ms, bench_body)


def _pygments(module: str, name: str) -> Callable[[], Lexer]:
    """A factory for pygments.lexers.<module>.<name>, imported on first use (start-up time)."""

    def make() -> Lexer:
        return getattr(importlib.import_module(f"pygments.lexers.{module}"), name)()  # type: ignore[no-any-return]

    return make


LEXERS: dict[str, LexerSpec] = {
    # A JSON string cannot hold a raw newline, so JSON may be cut at newlines.
    "json": LexerSpec(FastJsonLexer, line_safe=True, inline_chars=INLINE_LEX_CHARS),
    "xml": LexerSpec(_pygments("html", "XmlLexer"), line_safe=False),
    "html": LexerSpec(_pygments("html", "HtmlLexer"), line_safe=False),
    "javascript": LexerSpec(
        _pygments("javascript", "JavascriptLexer"), line_safe=False, inline_chars=2048
    ),  # JavaScript lexes at ~5 ms/KB: only small bodies inline
    "yaml": LexerSpec(_pygments("data", "YamlLexer"), line_safe=False, inline_chars=8 * 1024),
    "css": LexerSpec(_pygments("css", "CssLexer"), line_safe=False),
    "graphql": LexerSpec(_pygments("graphql", "GraphQLLexer"), line_safe=False),
    "form": LexerSpec(FormLexer, line_safe=True, inline_chars=INLINE_LEX_CHARS),
    "text": LexerSpec(None, line_safe=True),
}
MIME_LEXERS: dict[str, str] = {
    "application/json": "json", "text/json": "json", "application/x-ndjson": "json",
    "application/jsonl": "json", "application/x-amz-json-1.0": "json",
    "application/x-amz-json-1.1": "json",
    "application/xml": "xml", "text/xml": "xml", "image/svg+xml": "xml",
    "text/html": "html", "application/xhtml+xml": "html",
    "application/javascript": "javascript", "text/javascript": "javascript",
    "application/x-javascript": "javascript", "application/ecmascript": "javascript",
    "application/yaml": "yaml", "application/x-yaml": "yaml", "text/yaml": "yaml",
    "text/x-yaml": "yaml", "text/css": "css", "application/graphql": "graphql",
    "application/x-www-form-urlencoded": "form", "text/plain": "text",
}  # fmt: skip
SUFFIX_LEXERS: dict[str, str] = {"json": "json", "xml": "xml", "yaml": "yaml"}
_PYGMENTS_PREFIX = "pygments:"


def lexer_for_mime(mime: str) -> str:
    """The lexer name for a MIME type: ours, then a +json/+xml suffix, then pygments', or "text"."""
    mime = mime.partition(";")[0].strip().lower()
    if mime in MIME_LEXERS:
        return MIME_LEXERS[mime]
    suffix = mime.rpartition("+")[2] if "+" in mime else ""
    if suffix in SUFFIX_LEXERS:
        return SUFFIX_LEXERS[suffix]
    try:
        found = get_lexer_for_mimetype(mime)
    except ClassNotFound:
        return "text"
    return _PYGMENTS_PREFIX + found.aliases[0] if found.aliases else "text"


def inline_limit(lexer_name: str) -> int:
    """Up to how many characters `lexer_name` is fast enough to run on the UI thread."""
    spec = LEXERS.get(lexer_name)
    return spec.inline_chars if spec is not None else PYGMENTS_INLINE_CHARS


def is_line_safe(lexer_name: str) -> bool:
    """Whether `lexer_name` may lex a text in pieces cut at newlines."""
    spec = LEXERS.get(lexer_name)
    return spec is not None and spec.line_safe


@cache
def _lexer(name: str) -> Lexer | None:
    if name.startswith(_PYGMENTS_PREFIX):
        return get_lexer_by_name(name.removeprefix(_PYGMENTS_PREFIX))
    make = LEXERS[name].make
    return make() if make is not None else None


def warm_lexer(name: str) -> None:
    """Build the lexer `name` in this process (a worker's first job: its imports happen here)."""
    _lexer(name)


# --- display blocks ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Blocks:
    """Display blocks of a text: block n shows text[starts[n]:ends[n]] (newlines as U+2028)."""

    starts: array[int]
    ends: array[int]

    def __len__(self) -> int:
        return len(self.starts)

    def cut_lines(self) -> bool:
        """Whether some line was cut into pieces because it was longer than BLOCK_MAX_CHARS."""
        return any(e == s for e, s in zip(self.ends, self.starts[1:], strict=False))


def split_blocks(text: str) -> Blocks:
    """Cut `text` into display blocks of about BLOCK_TARGET_CHARS, ending at newlines if it can."""
    starts, ends = array("I"), array("I")
    n, p = len(text), 0
    while True:
        # Bounded searches: an unbounded find on a 10 MB single line made this quadratic.
        q = text.find("\n", min(p + BLOCK_TARGET_CHARS, n), p + BLOCK_MAX_CHARS + 1)
        if q >= 0:
            following = q + 1
        elif n - p <= BLOCK_MAX_CHARS:
            q, following = n, n + 1
        else:  # a long line ahead: end before it, or cut it
            last = text.rfind("\n", p, p + BLOCK_TARGET_CHARS)
            q = last if last >= 0 else p + BLOCK_MAX_CHARS
            following = q + 1 if last >= 0 else q
        starts.append(p)
        ends.append(q)
        if following > n:
            return Blocks(starts, ends)
        p = following


def visible(text: str) -> str:
    """`text` with controls, bidi overrides and invisible separators shown as symbols, 1:1."""
    return text.translate(VISIBLE_CHARS) if _NEEDS_VISIBLE.search(text) else text


def display_text(text: str, blocks: Blocks, first: int, stop: int) -> str:
    """The shown text of blocks first..stop-1, joined by newlines (one per block break)."""
    return "\n".join(
        visible(text[s:e]).replace("\n", LINE_BREAK_IN_BLOCK)
        for s, e in zip(blocks.starts[first:stop], blocks.ends[first:stop], strict=True)
    )


# --- spans ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SpanChunk:
    """Token spans for blocks first..stop-1; block first+i owns spans offsets[i]:offsets[i+1].

    Columns and lengths count UTF-16 units from the block's start, as Qt's positions do.
    """

    first: int
    offsets: array[int]
    columns: array[int]
    lengths: array[int]
    classes: array[int]  # indexes into syntaxthemes.TOKEN_CLASSES

    @property
    def stop(self) -> int:
        """One past the last block covered."""
        return self.first + len(self.offsets) - 1

    def block_spans(self, block: int) -> list[tuple[int, int, int]]:
        """(column, length, class) of each span in `block`."""
        i = block - self.first
        lo, hi = self.offsets[i], self.offsets[i + 1]
        return list(zip(self.columns[lo:hi], self.lengths[lo:hi], self.classes[lo:hi], strict=True))


def lex_piece(
    lexer_name: str, piece: str, first: int, starts: array[int], ends: array[int]
) -> SpanChunk:
    """Lex `piece`, whose blocks (first, first+1, …) span starts[i]:ends[i] within it.

    Runs in a worker process for big bodies: everything in and out is plain picklable data.
    """
    offsets, columns, lengths = array("I", [0]), array("I"), array("I")
    classes = array("B")
    lexer = _lexer(lexer_name)
    count = len(starts)
    if lexer is None or count == 0:
        return SpanChunk(first, array("I", [0]) * (count + 1), columns, lengths, classes)
    astral = [] if piece.isascii() else [m.start() for m in _ASTRAL.finditer(piece)]
    b, block_start, block_end = 0, starts[0], ends[0]
    next_start = starts[1] if count > 1 else len(piece) + 1
    add_column, add_length, add_class = columns.append, lengths.append, classes.append
    for start, end, cls in _triples(lexer, piece):
        if end <= block_end and start < next_start and not astral:  # the common case, kept lean
            add_column(start - block_start)
            add_length(end - start)
            add_class(cls)
            continue
        pos = start  # the token crosses blocks, starts a new one, or needs UTF-16 columns
        while True:
            while pos >= next_start:
                b += 1
                offsets.append(len(columns))
                block_start, block_end = starts[b], ends[b]
                next_start = starts[b + 1] if b + 1 < count else len(piece) + 1
            stop = min(end, block_end)
            if stop > pos:
                if astral:
                    base = block_start + bisect_left(astral, block_start)
                    col16 = pos + bisect_left(astral, pos)
                    add_column(col16 - base)
                    add_length(stop + bisect_left(astral, stop) - col16)
                else:
                    add_column(pos - block_start)
                    add_length(stop - pos)
                add_class(cls)
            if end <= block_end or b + 1 >= count:
                break
            pos = next_start
    while len(offsets) <= count:
        offsets.append(len(columns))
    return SpanChunk(first, offsets, columns, lengths, classes)


def _triples(lexer: Lexer, text: str) -> Iterator[tuple[int, int, int]]:
    """(start, end, token class) of the tokens worth colouring."""
    if isinstance(lexer, FastJsonLexer):
        yield from lexer.triples(text)
        return
    class_of: dict[_TokenType, int] = {}
    for pos, ttype, value in lexer.get_tokens_unprocessed(text):
        cls = class_of.get(ttype)
        if cls is None:
            cls = class_of[ttype] = token_class(ttype)
        if cls != PLAIN and value:
            yield pos, pos + len(value), cls


def lex_blocks(lexer_name: str, text: str, blocks: Blocks, first: int, stop: int) -> SpanChunk:
    """Lex blocks first..stop-1 of `text` on this thread."""
    text_piece, starts, ends = piece(text, blocks, first, stop)
    return lex_piece(lexer_name, text_piece, first, starts, ends)


def piece(text: str, blocks: Blocks, first: int, stop: int) -> tuple[str, array[int], array[int]]:
    """The text of blocks [first, stop) with block starts and ends relative to it."""
    base = blocks.starts[first]
    starts = array("I", [s - base for s in blocks.starts[first:stop]])
    ends = array("I", [e - base for e in blocks.ends[first:stop]])
    return text[base : blocks.ends[stop - 1]], starts, ends


def prefix_stop(blocks: Blocks, chars: int = PREFIX_LEX_CHARS) -> int:
    """How many leading blocks hold about `chars` characters (at least one)."""
    return max(1, bisect_left(blocks.starts, chars))


def plan_pieces(lexer_name: str, blocks: Blocks, size: int = PIECE_CHARS) -> list[tuple[int, int]]:
    """Block ranges to lex separately: pieces cut at newlines for line-safe lexers, else one."""
    if not is_line_safe(lexer_name):
        return [(0, len(blocks))]
    pieces, first = [], 0
    starts, ends = blocks.starts, blocks.ends
    for b in range(1, len(blocks)):
        if starts[b] - starts[first] >= size and ends[b - 1] < starts[b]:
            pieces.append((first, b))
            first = b
    pieces.append((first, len(blocks)))
    return pieces


class SpanIndex:
    """The newest spans known for each block of one body."""

    def __init__(self, block_count: int) -> None:
        self._chunks: list[SpanChunk] = []
        self._owner = array("i", [-1]) * block_count

    def add(self, chunk: SpanChunk) -> None:
        """Use `chunk` for its blocks from now on (it replaces older spans there)."""
        self._chunks.append(chunk)
        n = len(self._chunks) - 1
        self._owner[chunk.first : chunk.stop] = array("i", [n]) * (chunk.stop - chunk.first)

    def spans(self, block: int) -> list[tuple[int, int, int]] | None:
        """(column, length, class) spans of `block`, or None while it has not been lexed."""
        if not 0 <= block < len(self._owner) or self._owner[block] < 0:
            return None
        return self._chunks[self._owner[block]].block_spans(block)
