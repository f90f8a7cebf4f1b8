"""The filter language's syntax tree: nodes that render to SQL, the compiled Query, free text.

Values never enter the SQL text: they are parameters, or arguments of the `wi_*` functions that
core/query.py registers on a connection.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from webhook_inspector.core import searchtext
from webhook_inspector.core.errors import QueryError

MIN_INDEXED_TERM_CHARS = 3  # shorter terms are found by a substring scan (DESIGN §5)
HEAD_SQL = "(SELECT head FROM bodies WHERE id = c.id)"
BODY_SQL = "(SELECT body FROM bodies WHERE id = c.id)"
_INDEXED_ID = "(SELECT value FROM meta WHERE key = 'indexed_id')"

# --- the tree -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Context:
    """What a tree needs at execution time: the clock, for age:."""

    now_us: int


class Node:
    """A part of a query that renders to SQL."""

    def sql(self, ctx: Context) -> tuple[str, list[object]]:
        """The SQL fragment (true/false per capture row `c`) and its parameters."""
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class Raw(Node):
    """A fixed SQL fragment with its parameters."""

    fragment: str
    params: tuple[object, ...] = ()

    def sql(self, ctx: Context) -> tuple[str, list[object]]:
        """The fragment as it is."""
        return self.fragment, list(self.params)


@dataclass(frozen=True, slots=True)
class Age(Node):
    """Captures younger (`older=False`) or older than `seconds`."""

    seconds: float
    older: bool

    def sql(self, ctx: Context) -> tuple[str, list[object]]:
        """A received_at_us comparison against the context's clock."""
        cutoff = ctx.now_us - int(self.seconds * 1_000_000)
        return ("c.received_at_us < ?" if self.older else "c.received_at_us >= ?"), [cutoff]


@dataclass(frozen=True, slots=True)
class Group(Node):
    """AND or OR over several nodes."""

    op: str
    children: tuple[Node, ...]

    def sql(self, ctx: Context) -> tuple[str, list[object]]:
        """The children joined by the operator."""
        parts, params = [], []
        for child in self.children:
            fragment, child_params = child.sql(ctx)
            parts.append(f"({fragment})")
            params.extend(child_params)
        return f" {self.op} ".join(parts), params


@dataclass(frozen=True, slots=True)
class Not(Node):
    """Negation."""

    child: Node

    def sql(self, ctx: Context) -> tuple[str, list[object]]:
        """NOT of the child."""
        fragment, params = self.child.sql(ctx)
        return f"NOT ({fragment})", params


@dataclass(frozen=True, slots=True)
class FullText(Node):
    """Words through the FTS index, plus a scan of the captures not indexed yet."""

    phrase: str  # the FTS5 MATCH string
    term: str

    def sql(self, ctx: Context) -> tuple[str, list[object]]:
        """Index membership, or for the unindexed tail the same word test in Python."""
        return (
            "c.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?)"
            f" OR (c.id > {_INDEXED_ID}"
            f" AND wi_words(?, ?, c.method, c.target, {HEAD_SQL}, {BODY_SQL}))",
            [self.phrase, self.term, int(self.phrase.endswith("*"))],
        )


@dataclass(frozen=True, slots=True)
class Substring(Node):
    """A term too short for the index, found by a substring scan of the raw head and body.

    LIKE folds ASCII case only, as the rest of SQLite does without ICU.
    """

    term: str

    def on_bodies(self) -> tuple[str, list[object]]:
        """The test over one `bodies b` row."""
        pattern = like_pattern(self.term)
        return (
            "CAST(b.head AS TEXT) LIKE ? ESCAPE '\\' OR CAST(b.body AS TEXT) LIKE ? ESCAPE '\\'",
            [pattern, pattern],
        )

    def sql(self, ctx: Context) -> tuple[str, list[object]]:
        """The bodies test for the capture row `c`."""
        fragment, params = self.on_bodies()
        return f"EXISTS(SELECT 1 FROM bodies b WHERE b.id = c.id AND ({fragment}))", params


@dataclass(frozen=True)
class Query:
    """A compiled filter: hand it to Store.search / count_matching / summaries_after."""

    text: str
    root: Node | None
    terms: tuple[str, ...] = ()  # the free-text terms, for highlighting matches

    def where(self, now_us: int | None = None) -> tuple[str, list[object]]:
        """A WHERE fragment over `captures c` and its parameters."""
        if self.root is None:
            return "1", []
        now = time.time_ns() // 1000 if now_us is None else now_us
        return self.root.sql(Context(now))

    def driver(self) -> tuple[str, Query] | None:
        """An FTS phrase every match must hold, and the query left beside it; or None.

        A page of results can then walk the index newest first and stop after a page,
        instead of collecting every capture holding a common word.
        """
        root = self.root
        if _fts_expression(root) is not None:  # words only: the index answers it all
            return str(_fts_expression(root)), Query(self.text, None, self.terms)
        if not (isinstance(root, Group) and root.op == "AND"):
            return None
        phrases = [p for child in root.children if (p := _fts_expression(child)) is not None]
        if not phrases:
            return None
        rest = tuple(child for child in root.children if _fts_expression(child) is None)
        left = None if not rest else rest[0] if len(rest) == 1 else Group("AND", rest)
        return " AND ".join(f"({p})" for p in phrases), Query(self.text, left, self.terms)

    def scanner(self) -> tuple[Substring, Query] | None:
        """A short term every match must hold, and the query left beside it; or None.

        The scan can then walk the bodies newest first and stop after a page, without
        looking up each capture's body by id (~15 % of a full scan).
        """
        root = self.root
        if isinstance(root, Substring):
            return root, Query(self.text, None, self.terms)
        if not (isinstance(root, Group) and root.op == "AND"):
            return None
        short = next((child for child in root.children if isinstance(child, Substring)), None)
        if short is None:
            return None
        rest = tuple(child for child in root.children if child is not short)
        left = rest[0] if len(rest) == 1 else Group("AND", rest)
        return short, Query(self.text, left, self.terms)


def _fts_expression(node: Node | None) -> str | None:
    """The FTS5 expression for a tree of words joined by AND/OR, or None if it holds more."""
    if isinstance(node, FullText):
        return node.phrase
    if isinstance(node, Group):
        parts = [_fts_expression(child) for child in node.children]
        if all(part is not None for part in parts):
            return f" {node.op} ".join(f"({part})" for part in parts)
    return None


def like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# --- free text ----------------------------------------------------------------------------------


def text_term(term: str, pos: int, phrase: bool) -> Node:
    """Words through the index (plus the unindexed tail); short terms by a substring scan."""
    if not term:
        raise QueryError(f'empty phrase "" at position {pos + 1}', pos)
    prefix = not phrase
    if len(term) >= MIN_INDEXED_TERM_CHARS and searchtext.words(term):
        return FullText(searchtext.fts_phrase(" ".join(searchtext.words(term)), prefix), term)
    return Substring(term)
