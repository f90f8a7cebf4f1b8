"""What full-text search sees of a capture: its search text, word tokens and body kind.

The index (FTS5, unicode61 tokenizer) and the scan of not-yet-indexed captures both use these
functions, so a capture matches the same words before and after the indexer reaches it.
"""

from __future__ import annotations

import functools
import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from webhook_inspector.core.bodies import (
    BodyKind,
    decode_content,
    decode_text,
    detect_kind,
    parse_content_type,
)

# Measured (benchmarks/bench_search.py): unicode61 costs ~45 µs and ~60 % of the data size per
# 1.7 KB capture; trigram ~500 µs and 75–300 %. Bodies past the cap are not word-searchable
# (body: still scans them whole), which bounds the cost of one huge capture.
INDEX_BODY_BYTES = 16 * 1024
FTS_TOKENIZER = "unicode61 remove_diacritics 2"
# Contentless (the text is derived from the stored raw data) and without per-row column sizes
# (nothing ranks by bm25): the docsize row per capture cost ~10 % of the indexing CPU.
FTS_OPTIONS = f"content='', columnsize=0, tokenize='{FTS_TOKENIZER}'"
# FTS5 merges segments in the background of each write. Merging 16 at a time instead of 4
# rewrites each row fewer times: 126 -> 87 µs CPU per capture on 100k captures, with queries
# as fast (benchmarks/bench_search.py).
FTS_SETTINGS: dict[str, int] = {"automerge": 16, "crisismerge": 64}
_TEXT_KINDS = frozenset(
    {BodyKind.JSON, BodyKind.XML, BodyKind.HTML, BodyKind.FORM, BodyKind.MULTIPART, BodyKind.TEXT}
)
_WORD = re.compile(r"[^\W_]+")
_CONTENT_TYPE = re.compile(r"^content-type:(.*)$", re.IGNORECASE | re.MULTILINE)
_CONTENT_ENCODING = re.compile(r"^content-encoding:(.*)$", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True, slots=True)
class SearchDoc:
    """One capture as indexed: its text and the kind of its (decoded) body."""

    text: str
    kind: str


def search_doc(method: str, target: str, head: bytes, body: bytes) -> SearchDoc:
    """Method, target, header lines and the decoded body text (capped) of one capture."""
    # The raw head already holds the request line and "Name: value" lines; decoding it whole
    # costs a fraction of parsing it into pairs (measured: 1 µs vs 10 µs).
    head_text = head.decode("utf-8", "replace")
    if not head_text.startswith(f"{method} "):  # refused requests may keep a partial head
        head_text = f"{method} {target}\n{head_text}"
    content_type = _header(_CONTENT_TYPE, head_text)
    encoding = ", ".join(m.group(1).strip() for m in _CONTENT_ENCODING.finditer(head_text))
    data = body
    if encoding:
        data = decode_content(body, encoding, max_output=INDEX_BODY_BYTES).data
    kind = detect_kind(content_type, data)
    if kind not in _TEXT_KINDS:
        return SearchDoc(head_text, kind.value)
    return SearchDoc(
        f"{head_text}\n{_body_text(data[:INDEX_BODY_BYTES], content_type)}", kind.value
    )


def _header(pattern: re.Pattern[str], head_text: str) -> str:
    match = pattern.search(head_text)
    return match.group(1).strip() if match else ""


@functools.lru_cache(maxsize=256)
def _charset(content_type: str) -> str | None:
    """The charset parameter; cached, as a few Content-Type values repeat over many captures."""
    return parse_content_type(content_type)[1].get("charset")


def _body_text(data: bytes, content_type: str) -> str:
    charset = _charset(content_type)
    if charset is None or charset.lower() in ("utf-8", "utf8", "us-ascii", "ascii"):
        try:
            return data.decode("utf-8")  # the common case, at C speed
        except UnicodeDecodeError:
            pass
    return decode_text(data, charset).text


def words(text: str) -> list[str]:
    """Lowercased words without diacritics, split as FTS5's unicode61 tokenizer splits them."""
    folded = unicodedata.normalize("NFKD", text.lower())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _WORD.findall(folded)


def has_words(text_words: Sequence[str], term_words: Sequence[str], prefix: bool) -> bool:
    """Whether `term_words` occur consecutively in `text_words` (the last one as a prefix)."""
    n = len(term_words)
    if n == 0:
        return False
    head, last = list(term_words[:-1]), term_words[-1]
    for i in range(len(text_words) - n + 1):
        if text_words[i : i + n - 1] == head:
            word = text_words[i + n - 1]
            if word == last or (prefix and word.startswith(last)):
                return True
    return False


def fts_phrase(term: str, prefix: bool) -> str:
    """The FTS5 MATCH string for one term: a quoted phrase, `*` for a prefix match."""
    return '"' + term.replace('"', '""') + '"' + ("*" if prefix else "")


_DOC_SELECT = (
    "SELECT c.id, c.method, c.target, b.head, b.body FROM captures c JOIN bodies b ON b.id = c.id"
)


def create_index(db: sqlite3.Connection) -> None:
    """Create the empty FTS5 table with its settings (inside the caller's transaction)."""
    db.execute(f"CREATE VIRTUAL TABLE search_fts USING fts5(text, {FTS_OPTIONS})")
    for name, value in FTS_SETTINGS.items():
        db.execute("INSERT INTO search_fts(search_fts, rank) VALUES (?, ?)", (name, value))


def write_docs(db: sqlite3.Connection, docs: Sequence[tuple[int, SearchDoc]]) -> None:
    """Insert prepared documents into the index tables (inside the caller's transaction)."""
    db.executemany(
        "INSERT INTO search_fts(rowid, text) VALUES (?, ?)", [(i, d.text) for i, d in docs]
    )
    db.executemany(
        "INSERT OR REPLACE INTO search_kinds VALUES (?, ?)", [(i, d.kind) for i, d in docs]
    )


def unindex_captures(db: sqlite3.Connection, ids: Iterable[int]) -> None:
    """Remove indexed captures from the index, before their rows go (caller's transaction).

    The index is contentless (it keeps no copy of the text), so FTS5 needs the text that was
    indexed to delete it; it is rebuilt from the stored raw data.
    """
    wanted = list(ids)
    for chunk in _chunks(wanted):
        marks = ",".join("?" * len(chunk))
        rows = db.execute(
            f"{_DOC_SELECT} WHERE c.id IN ({marks})"
            " AND c.id <= (SELECT value FROM meta WHERE key = 'indexed_id')",
            chunk,
        ).fetchall()
        db.executemany(
            "INSERT INTO search_fts(search_fts, rowid, text) VALUES ('delete', ?, ?)",
            [(r[0], search_doc(r[1], r[2], bytes(r[3]), bytes(r[4])).text) for r in rows],
        )
        db.executemany("DELETE FROM search_kinds WHERE id = ?", [(i,) for i in chunk])


def clear_index(db: sqlite3.Connection) -> None:
    """Empty the index (inside the caller's transaction)."""
    db.execute("INSERT INTO search_fts(search_fts) VALUES ('delete-all')")
    db.execute("DELETE FROM search_kinds")


def _chunks(ids: list[int], size: int = 500) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]
