"""SQLite capture store: schema and migrations, paging reads, and the group-commit writer."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import queue
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from webhook_inspector.core.errors import NotFoundError, QueryInterrupted, StoreError
from webhook_inspector.core.model import (
    CapturedRequest,
    CaptureSummary,
    Exchange,
    Outcome,
    OutgoingRequest,
)
from webhook_inspector.core.rangescan import Bind, RangeScanner, part_count, split

if TYPE_CHECKING:
    import asyncio

    from webhook_inspector.core.query import Query

log = logging.getLogger(__name__)

PAGE_SIZE_BYTES = 16384  # measured: 16 KiB pages cost ~40 % less CPU per 2 KiB capture than 4 KiB
BUSY_TIMEOUT_MS = 5000
MAX_BATCH = 512  # captures per transaction at most
CHECKPOINT_EVERY_CAPTURES = 256  # wake the checkpointer after this many commits
CHECKPOINT_IDLE_S = 1.0

_SUMMARY_COLUMNS = (
    "id, received_at_us, inbox, method, target, remote_ip, content_type, body_size,"
    " outcome, status, reason, sig"
)

_SEARCH_COLUMNS = ", ".join(f"c.{name.strip()}" for name in _SUMMARY_COLUMNS.split(","))

_CAPTURE_SELECT = (
    "SELECT c.id, received_at_us, inbox, method, target, http_version, remote_ip, remote_port,"
    " tls, declared_size, outcome, reason, status, head, body, response, trailers, sig,"
    " signature"
    " FROM captures c JOIN bodies b ON b.id = c.id"
)


def _migrate_1(db: sqlite3.Connection) -> None:
    """Summary rows apart from raw head and body bytes."""
    db.execute(
        """CREATE TABLE captures(
            id INTEGER PRIMARY KEY,
            received_at_us INTEGER NOT NULL,
            inbox TEXT NOT NULL,
            method TEXT NOT NULL,
            target TEXT NOT NULL,
            http_version TEXT NOT NULL,
            remote_ip TEXT NOT NULL,
            remote_port INTEGER NOT NULL,
            tls INTEGER NOT NULL,
            content_type TEXT NOT NULL,
            body_size INTEGER NOT NULL,
            declared_size INTEGER,
            outcome TEXT NOT NULL,
            reason TEXT NOT NULL,
            status INTEGER NOT NULL)"""
    )
    db.execute(
        "CREATE TABLE bodies(id INTEGER PRIMARY KEY, head BLOB NOT NULL, body BLOB NOT NULL)"
    )


def _migrate_2(db: sqlite3.Connection) -> None:
    """Keep the response answered and chunked trailers; a key-value table (id counter, indexer)."""
    db.execute("ALTER TABLE bodies ADD COLUMN response BLOB NOT NULL DEFAULT x''")
    db.execute("ALTER TABLE bodies ADD COLUMN trailers BLOB NOT NULL DEFAULT x''")
    db.execute("CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID")
    db.execute("INSERT INTO meta(key, value) SELECT 'last_id', coalesce(max(id), 0) FROM captures")


def _migrate_3(db: sqlite3.Connection) -> None:
    """The search index: FTS5 words of each capture and its body kind, filled by the indexer."""
    from webhook_inspector.core import searchtext  # noqa: PLC0415 - see _install_functions

    db.execute(
        "CREATE VIRTUAL TABLE search_fts USING fts5("
        f"text, content='', tokenize='{searchtext.FTS_TOKENIZER}')"
    )
    db.execute("CREATE TABLE search_kinds(id INTEGER PRIMARY KEY, kind TEXT NOT NULL)")
    # Every capture with an id up to this one is in the index; the rest is scanned.
    db.execute("INSERT INTO meta(key, value) VALUES ('indexed_id', 0)")


def _migrate_4(db: sqlite3.Connection) -> None:
    db.execute(
        """CREATE TABLE sends(
            id INTEGER PRIMARY KEY,
            started_at_us INTEGER NOT NULL,
            kind TEXT NOT NULL,
            capture_id INTEGER,
            schedule TEXT NOT NULL,
            method TEXT NOT NULL,
            url TEXT NOT NULL,
            headers TEXT NOT NULL,
            body BLOB NOT NULL)"""
    )
    db.execute("CREATE INDEX sends_capture ON sends(capture_id) WHERE capture_id IS NOT NULL")
    db.execute(
        """CREATE TABLE attempts(
            send_id INTEGER NOT NULL,
            number INTEGER NOT NULL,
            started_at_us INTEGER NOT NULL,
            request_headers TEXT NOT NULL,
            status INTEGER,
            reason TEXT NOT NULL,
            headers TEXT NOT NULL,
            body BLOB NOT NULL,
            body_size INTEGER NOT NULL,
            body_path TEXT NOT NULL,
            connect_ms REAL,
            first_byte_ms REAL,
            total_ms REAL NOT NULL,
            error_kind TEXT NOT NULL,
            error TEXT NOT NULL,
            PRIMARY KEY(send_id, number)) WITHOUT ROWID"""
    )


def _migrate_5(db: sqlite3.Connection) -> None:
    """Signature verdicts: a summary column for the list and filters, the explanation apart."""
    db.execute("ALTER TABLE captures ADD COLUMN sig TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE bodies ADD COLUMN signature TEXT NOT NULL DEFAULT ''")


def _migrate_6(db: sqlite3.Connection) -> None:
    """The search index rebuilt leaner (no column sizes, merges 16 segments at a time)."""
    from webhook_inspector.core import searchtext  # noqa: PLC0415 - see _install_functions

    db.execute("DROP TABLE search_fts")
    searchtext.create_index(db)
    db.execute("DELETE FROM search_kinds")
    # The indexer starts over; until it is done, searches scan what it has not reached.
    db.execute("UPDATE meta SET value = 0 WHERE key = 'indexed_id'")


def _migrate_7(db: sqlite3.Connection) -> None:
    """The capture count kept in meta, so a window opens without scanning the table."""
    db.execute("INSERT OR REPLACE INTO meta(key, value) SELECT 'count', count(*) FROM captures")


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (
    _migrate_1,
    _migrate_2,
    _migrate_3,
    _migrate_4,
    _migrate_5,
    _migrate_6,
    _migrate_7,
)
SCHEMA_VERSION = len(MIGRATIONS)


def connect(path: Path | str, *, upto: int = SCHEMA_VERSION) -> sqlite3.Connection:
    """Open the store file, create or migrate its schema up to version `upto`.

    Raises StoreError with a readable message when the file cannot be used.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version == 0:
            db.execute(f"PRAGMA page_size={PAGE_SIZE_BYTES}")
        if db.execute("PRAGMA journal_mode=WAL").fetchone()[0].lower() != "wal":
            raise StoreError(f"{path}: cannot switch the store to WAL mode")
        db.execute("PRAGMA synchronous=NORMAL")
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{path} was written by a newer Webhook Inspector (schema {version}, "
                f"this one knows {SCHEMA_VERSION})"
            )
        if version < upto:
            db.execute("BEGIN IMMEDIATE")
            try:
                version = db.execute("PRAGMA user_version").fetchone()[0]
                for step in range(version, upto):
                    log.info("migrating %s to schema %d", path, step + 1)
                    MIGRATIONS[step](db)
                db.execute(f"PRAGMA user_version={upto}")
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"cannot open the capture store {path}: {exc}") from exc
    return db


_OUTCOMES = {outcome.value: outcome for outcome in Outcome}


def _summary(row: Sequence[object]) -> CaptureSummary:
    # Positional, in _SUMMARY_COLUMNS order: the list builds thousands of these per jump.
    return CaptureSummary._make((*row[:8], _OUTCOMES[row[8]], *row[9:12]))  # type: ignore[index]


def _install_functions(db: sqlite3.Connection) -> None:
    """Give `db` the SQL functions compiled queries call.

    The query language (and the search index's text functions behind it) is imported on the
    first query, not with the store: the window opens a store before its first paint, and these
    imports cost ~50 ms of start-up.
    """
    from webhook_inspector.core.query import install_functions  # noqa: PLC0415

    install_functions(db)


class Store:
    """Reads and edits of the capture store through one connection.

    Use one Store per thread; it opens its own connection, so readers never block the writer.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._db = connect(self.path)
        self._functions = False  # the query functions, installed on the first query
        self._scanner = RangeScanner(self.path, _install_functions)  # short terms, in parallel

    def _queries(self) -> sqlite3.Connection:
        """The connection, ready for compiled queries' SQL."""
        if not self._functions:
            _install_functions(self._db)
            self._functions = True
        return self._db

    def close(self) -> None:
        """Close the connection (and the scanner's, if a scan opened them)."""
        self._scanner.close()
        self._db.close()

    def __enter__(self) -> Store:
        """Use as `with Store(path) as store:` to close the connection afterwards."""
        return self

    def __exit__(self, *exc: object) -> None:
        """Close the connection."""
        self.close()

    def interrupt(self) -> None:
        """Stop the query running on this store's connection; any thread may call it.

        The interrupted search or count raises QueryInterrupted. With no query running it does
        nothing, but a query starting at that very moment may be the one stopped: callers that
        cancel an old search to start a new one tell the two apart by their own generation count.
        """
        self._db.interrupt()
        self._scanner.interrupt()

    def count(self) -> int:
        """The number of captures (kept in meta by every insert and delete: no table scan)."""
        return int(self._db.execute("SELECT value FROM meta WHERE key = 'count'").fetchone()[0])

    def last_id(self) -> int:
        """The newest capture id, or 0 when the store is empty."""
        row = self._db.execute("SELECT max(id) FROM captures").fetchone()
        return int(row[0] or 0)

    def summaries(self, limit: int = 100, before_id: int | None = None) -> list[CaptureSummary]:
        """One page of summaries, newest first, older than `before_id` (keyset paging)."""
        sql = f"SELECT {_SUMMARY_COLUMNS} FROM captures"
        if before_id is None:
            rows = self._db.execute(f"{sql} ORDER BY id DESC LIMIT ?", (limit,))
        else:
            rows = self._db.execute(
                f"{sql} WHERE id < ? ORDER BY id DESC LIMIT ?", (before_id, limit)
            )
        return [_summary(row) for row in rows]

    def summaries_after(
        self,
        after_id: int,
        limit: int = 1000,
        query: Query | None = None,
        upto_id: int | None = None,
    ) -> list[CaptureSummary]:
        """Summaries newer than `after_id` (up to `upto_id`), oldest first, matching `query`."""
        where, params = query.where() if query is not None else ("1", [])
        db = self._db if query is None else self._queries()
        upto = (1 << 63) - 1 if upto_id is None else upto_id
        rows = db.execute(
            f"SELECT {_SEARCH_COLUMNS} FROM captures c WHERE c.id > ? AND c.id <= ?"
            f" AND ({where}) ORDER BY c.id LIMIT ?",
            (after_id, upto, *params, limit),
        )
        return [_summary(row) for row in rows]

    def search(
        self, query: Query, limit: int = 100, before_id: int | None = None
    ) -> list[CaptureSummary]:
        """One page of summaries matching `query`, newest first, older than `before_id`.

        Captures the indexer has not reached yet are scanned, so a new capture is found at once.
        May take a while on big stores with scan-only terms: call it off the UI thread; another
        thread may stop it with `interrupt()` (it then raises QueryInterrupted).
        """
        with _interruptible():
            return self._search(query, limit, before_id)

    def _search(self, query: Query, limit: int, before_id: int | None) -> list[CaptureSummary]:
        db = self._queries()
        keyset = "" if before_id is None else " AND c.id < ?"
        keys = [] if before_id is None else [before_id]
        driven = query.driver()
        scanned = query.scanner() if driven is None else None
        if scanned is not None:
            short, rest = scanned
            test, test_params = short.on_bodies()
            where, params = rest.where()
            sql = (
                f"SELECT {_SEARCH_COLUMNS} FROM bodies b CROSS JOIN captures c ON c.id = b.id"
                f" WHERE ({test}) AND ({where}) AND b.id BETWEEN ? AND ?"
                " ORDER BY b.id DESC LIMIT ?"
            )
            high = None if before_id is None else before_id - 1
            parts = self._scan(sql, lambda lo, hi: (*test_params, *params, lo, hi, limit), high)
            return [_summary(row) for rows in parts for row in rows][:limit]
        if driven is None:
            where, params = query.where()
            rows = db.execute(
                f"SELECT {_SEARCH_COLUMNS} FROM captures c WHERE ({where}){keyset}"
                " ORDER BY c.id DESC LIMIT ?",
                (*params, *keys, limit),
            ).fetchall()
            return [_summary(row) for row in rows]
        # Newest first: the unindexed tail (scanned), then the index walked backwards, which
        # stops after a page even for a word most captures hold.
        indexed = self.indexed_id()
        where, params = query.where()
        rows = db.execute(
            f"SELECT {_SEARCH_COLUMNS} FROM captures c WHERE c.id > ? AND ({where}){keyset}"
            " ORDER BY c.id DESC LIMIT ?",
            (indexed, *params, *keys, limit),
        ).fetchall()
        if len(rows) < limit:
            phrase, rest = driven
            where, params = rest.where()
            rows += db.execute(
                f"SELECT {_SEARCH_COLUMNS} FROM search_fts f JOIN captures c ON c.id = f.rowid"
                f" WHERE search_fts MATCH ? AND f.rowid <= ? AND ({where}){keyset}"
                " ORDER BY f.rowid DESC LIMIT ?",
                (phrase, indexed, *params, *keys, limit - len(rows)),
            ).fetchall()
        return [_summary(row) for row in rows]

    def _scan(self, sql: str, bind: Bind, high: int | None) -> list[list[Any]]:
        """Rows of a bodies scan over ids up to `high`, per id range (newest first)."""
        # `bind(low, high)` gives the parameters; a big store is split across connections.
        # Two subqueries: min() and max() in one SELECT scan the whole table instead of two seeks.
        bounds = "SELECT (SELECT min(id) FROM bodies), (SELECT max(id) FROM bodies)"
        low, newest = self._db.execute(bounds).fetchone()
        high = newest if high is None or newest is None else min(high, newest)
        if low is None or high < low:
            return []
        return self._scanner.map(sql, bind, split(low, high, part_count(high - low + 1)))

    def recent_header_names(self, captures: int = 300) -> list[str]:
        """Header names (lower-cased, sorted) seen in the newest `captures` captures."""

        rows = self._db.execute("SELECT head FROM bodies ORDER BY id DESC LIMIT ?", (captures,))
        parse = _httpwire().headers_from_raw_head
        return sorted({name.lower() for (head,) in rows for name, _ in parse(head)})

    def count_matching(self, query: Query, upto_id: int | None = None) -> int:
        """How many captures match `query`, among ids up to `upto_id` if given.

        Off the UI thread; `interrupt()` stops it (QueryInterrupted). A short term alone is
        counted over the bodies table only, without looking each capture's body up by id.
        """
        scanned = query.scanner()
        if scanned is not None and scanned[1].root is None:
            test, params = scanned[0].on_bodies()
            sql = f"SELECT count(*) FROM bodies b WHERE ({test}) AND b.id BETWEEN ? AND ?"
            with _interruptible():
                parts = self._scan(sql, lambda lo, hi: (*params, lo, hi), upto_id)
            return sum(int(rows[0][0]) for rows in parts)
        where, params = query.where()
        upto = [] if upto_id is None else [upto_id]
        bound = "" if upto_id is None else " AND c.id <= ?"
        sql = f"SELECT count(*) FROM captures c WHERE ({where}){bound}"
        with _interruptible():
            return int(self._queries().execute(sql, (*params, *upto)).fetchone()[0])

    def indexed_id(self) -> int:
        """The id up to which every capture is in the search index."""
        row = self._db.execute("SELECT value FROM meta WHERE key = 'indexed_id'").fetchone()
        return int(row[0])

    def get(self, capture_id: int) -> CapturedRequest:
        """One capture whole. Raises NotFoundError."""
        row = self._db.execute(
            f"{_CAPTURE_SELECT} WHERE c.id = ?",
            (capture_id,),
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no capture #{capture_id} in {self.path}")
        return _capture(row, _httpwire())

    def iter_captures(
        self, batch: int = 200, query: Query | None = None
    ) -> Iterator[CapturedRequest]:
        """Every capture (matching `query` if given), oldest first, read a batch at a time."""
        where, params = query.where() if query is not None else ("1", [])
        db = self._db if query is None else self._queries()
        wire = _httpwire()
        after = 0
        while True:
            rows = db.execute(
                f"{_CAPTURE_SELECT} WHERE c.id > ? AND ({where}) ORDER BY c.id LIMIT ?",
                (after, *params, batch),
            ).fetchall()
            if not rows:
                return
            for row in rows:
                yield _capture(row, wire)
            after = rows[-1][0]

    def delete(self, ids: Iterable[int]) -> int:
        """Delete captures by id; return how many were deleted."""
        id_list = [(i,) for i in ids]
        from webhook_inspector.core import searchtext  # noqa: PLC0415 - see _install_functions

        with self._write():
            _remember_last_id(self._db)
            searchtext.unindex_captures(self._db, [i for (i,) in id_list])
            self._db.executemany("DELETE FROM bodies WHERE id = ?", id_list)
            before = self._db.total_changes
            self._db.executemany("DELETE FROM captures WHERE id = ?", id_list)
            deleted = self._db.total_changes - before
            _add_to_count(self._db, -deleted)
            return deleted

    def clear(self) -> int:
        """Delete every capture; ids keep counting up from where they were."""
        from webhook_inspector.core import searchtext  # noqa: PLC0415 - see _install_functions

        with self._write():
            _remember_last_id(self._db)
            searchtext.clear_index(self._db)
            self._db.execute("DELETE FROM bodies")
            self._db.execute("UPDATE meta SET value = 0 WHERE key = 'count'")
            return self._db.execute("DELETE FROM captures").rowcount

    def record_send(
        self,
        request: OutgoingRequest,
        attempts: Sequence[Exchange],
        *,
        kind: str = "send",
        capture_id: int | None = None,
        schedule: str = "",
    ) -> int:
        """Keep a send and its attempts in the history; return the send's id."""
        with self._write():
            return insert_send(
                self._db, request, attempts, kind=kind, capture_id=capture_id, schedule=schedule
            )

    def sends(self, limit: int = 100, before_id: int | None = None) -> list[SendRecord]:
        """One page of the send history, newest first, with every attempt."""
        rows = self._db.execute(
            f"{_SEND_SELECT} WHERE id < ? ORDER BY id DESC LIMIT ?",
            (before_id if before_id is not None else 2**62, limit),
        ).fetchall()
        return [self._send_record(row) for row in rows]

    def get_send(self, send_id: int) -> SendRecord:
        """One send with its attempts. Raises NotFoundError."""
        row = self._db.execute(f"{_SEND_SELECT} WHERE id = ?", (send_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no send #{send_id} in {self.path}")
        return self._send_record(row)

    def forward_of(self, capture_id: int) -> SendRecord | None:
        """The forwarding of capture `capture_id` (target, response, latency), if any."""
        row = self._db.execute(
            f"{_SEND_SELECT} WHERE capture_id = ? AND kind = 'forward' ORDER BY id DESC LIMIT 1",
            (capture_id,),
        ).fetchone()
        return None if row is None else self._send_record(row)

    def _send_record(self, row: Sequence[object]) -> SendRecord:
        send_id = int(row[0])  # type: ignore[call-overload]
        request = OutgoingRequest(
            method=str(row[5]),
            url=str(row[6]),
            headers=_pairs(row[7]),
            body=bytes(row[8]),  # type: ignore[arg-type]
        )
        attempts = tuple(
            Exchange(
                request=OutgoingRequest(request.method, request.url, _pairs(a[1]), request.body),
                started_at_us=a[0], status=a[2], reason=a[3], headers=_pairs(a[4]),
                body=bytes(a[5]), body_size=a[6], body_path=a[7], connect_ms=a[8],
                first_byte_ms=a[9], total_ms=a[10], error_kind=a[11], error=a[12],
            )
            for a in self._db.execute(
                "SELECT started_at_us, request_headers, status, reason, headers, body, body_size,"
                " body_path, connect_ms, first_byte_ms, total_ms, error_kind, error"
                " FROM attempts WHERE send_id = ? ORDER BY number",
                (send_id,),
            )
        )  # fmt: skip
        return SendRecord(
            id=send_id,
            started_at_us=int(row[1]),  # type: ignore[call-overload]
            kind=str(row[2]),
            capture_id=row[3],  # type: ignore[arg-type]
            schedule=str(row[4]),
            request=request,
            attempts=attempts,
        )

    def integrity_check(self) -> str:
        """SQLite's own integrity check ('ok' when sound)."""
        return str(self._db.execute("PRAGMA integrity_check").fetchone()[0])

    def _write(self) -> _Transaction:
        return _Transaction(self._db)


@contextlib.contextmanager
def _interruptible() -> Iterator[None]:
    """Turn SQLite's 'interrupted' error (from Store.interrupt) into QueryInterrupted."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        if "interrupt" not in str(exc):
            raise
        raise QueryInterrupted("the search was stopped before it finished") from None


_SEND_SELECT = (
    "SELECT id, started_at_us, kind, capture_id, schedule, method, url, headers, body FROM sends"
)


@dataclass(frozen=True, slots=True)
class SendRecord:
    """A send kept in the history: the request as composed and every attempt made."""

    id: int
    started_at_us: int
    kind: str  # "send", "resend" or "forward"
    capture_id: int | None
    schedule: str
    request: OutgoingRequest
    attempts: tuple[Exchange, ...]


def _pairs(text: object) -> tuple[tuple[str, str], ...]:
    return tuple((str(k), str(v)) for k, v in json.loads(str(text)))


def insert_send(
    db: sqlite3.Connection,
    request: OutgoingRequest,
    attempts: Sequence[Exchange],
    *,
    kind: str,
    capture_id: int | None,
    schedule: str,
) -> int:
    """Insert a send and its attempts inside the caller's transaction; return the send id."""
    started = attempts[0].started_at_us if attempts else 0
    # A forward's request body is the capture's own body: not stored twice.
    body = b"" if kind == "forward" else request.body
    cursor = db.execute(
        "INSERT INTO sends(started_at_us, kind, capture_id, schedule, method, url, headers, body)"
        " VALUES (?,?,?,?,?,?,?,?)",
        (started, kind, capture_id, schedule, request.method, request.url,
         json.dumps(request.headers), body),
    )  # fmt: skip
    send_id = int(cursor.lastrowid or 0)
    db.executemany(
        "INSERT INTO attempts VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            (send_id, number, e.started_at_us, json.dumps(e.request.headers), e.status, e.reason,
             json.dumps(e.headers), e.body, e.body_size, e.body_path, e.connect_ms,
             e.first_byte_ms, e.total_ms, e.error_kind, e.error)
            for number, e in enumerate(attempts, 1)
        ],
    )  # fmt: skip
    return send_id


def insert_forwards(
    db: sqlite3.Connection, forwards: Sequence[tuple[int, Exchange, bytes | None]]
) -> None:
    """Insert forward results (capture id, exchange, answer sent or None) in one go.

    The same rows as `insert_send(kind="forward")` for each, plus the capture's stored
    response set to the answer when one is given; three statements for the whole batch.
    """
    first = int(db.execute("SELECT coalesce(max(id), 0) FROM sends").fetchone()[0]) + 1
    sends, attempts = [], []
    for send_id, (capture_id, e) in enumerate(((c, e) for c, e, _ in forwards), first):
        request_headers = json.dumps(e.request.headers)
        sends.append((send_id, e.started_at_us, "forward", capture_id, "", e.request.method,
                      e.request.url, request_headers, b""))  # fmt: skip
        attempts.append((send_id, 1, e.started_at_us, request_headers, e.status, e.reason,
                         json.dumps(e.headers), e.body, e.body_size, e.body_path, e.connect_ms,
                         e.first_byte_ms, e.total_ms, e.error_kind, e.error))  # fmt: skip
    db.executemany("INSERT INTO sends VALUES (?,?,?,?,?,?,?,?,?)", sends)
    db.executemany("INSERT INTO attempts VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", attempts)
    db.executemany(
        "UPDATE bodies SET response = ? WHERE id = ?",
        [(answer, capture_id) for capture_id, _, answer in forwards if answer is not None],
    )


def _next_id(db: sqlite3.Connection) -> int:
    """The id for the next capture: after the newest row and the newest ever deleted."""
    row = db.execute(
        "SELECT max(coalesce((SELECT max(id) FROM captures), 0),"
        " (SELECT value FROM meta WHERE key = 'last_id'))"
    ).fetchone()
    return int(row[0]) + 1


def _remember_last_id(db: sqlite3.Connection) -> None:
    """Before deleting rows, keep the highest id ever given in meta."""
    db.execute(
        "UPDATE meta SET value = max(value, coalesce((SELECT max(id) FROM captures), 0))"
        " WHERE key = 'last_id'"
    )


def _add_to_count(db: sqlite3.Connection, delta: int) -> None:
    db.execute("UPDATE meta SET value = value + ? WHERE key = 'count'", (delta,))


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT, rolled back on error, errors turned into StoreError."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(f"the capture store is busy: {exc}") from exc

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self._db.execute("COMMIT")
        else:
            self._db.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise StoreError(f"the capture store failed: {exc}") from exc


def _httpwire() -> ModuleType:
    """core.httpwire, imported on first use (see _install_functions): call once per read."""
    from webhook_inspector.core import httpwire  # noqa: PLC0415

    return httpwire


def _capture(row: Sequence[object], wire: ModuleType) -> CapturedRequest:
    """The capture in `row` (_CAPTURE_SELECT's columns); `wire` is `_httpwire()`."""
    head = bytes(row[13])  # type: ignore[arg-type]
    return CapturedRequest(
        id=row[0],  # type: ignore[arg-type]
        received_at_us=row[1],  # type: ignore[arg-type]
        inbox=row[2],  # type: ignore[arg-type]
        method=row[3],  # type: ignore[arg-type]
        target=row[4],  # type: ignore[arg-type]
        http_version=row[5],  # type: ignore[arg-type]
        remote_ip=row[6],  # type: ignore[arg-type]
        remote_port=row[7],  # type: ignore[arg-type]
        tls=bool(row[8]),
        declared_size=row[9],  # type: ignore[arg-type]
        outcome=Outcome(row[10]),
        reason=row[11],  # type: ignore[arg-type]
        status=row[12],  # type: ignore[arg-type]
        raw_head=head,
        headers=wire.headers_from_raw_head(head),
        body=bytes(row[14]),  # type: ignore[arg-type]
        response=bytes(row[15]),  # type: ignore[arg-type]
        trailers=wire.lenient_header_lines(bytes(row[16]).split(b"\r\n")),  # type: ignore[arg-type]
        signature=row[17],  # type: ignore[arg-type]
        signature_detail=row[18],  # type: ignore[arg-type]
    )


Respond = Callable[[CapturedRequest, int], bytes]
Done = Callable[[int, bytes], None]
Failed = Callable[[BaseException], None]
Settle = Callable[[int, bytes], bool]  # on the writer thread: True if `done` need not run
Queued = tuple[CapturedRequest, Done, Failed, Settle | None]
Write = Callable[[sqlite3.Connection], None]
_STOP = None


class StoreWriter:
    """The single writer: a thread that commits queued captures in groups.

    `submit` may be called from the event loop's thread only; `done(id, response)` or
    `failed(exc)` run later on that loop, after the capture's transaction committed (or
    failed). Whatever queued while one transaction ran goes into the next, so a burst shares
    one commit and a lone request waits for nobody. `respond(capture, id)` builds the bytes
    to answer with; it runs on the writer thread so the answer is stored with the capture.
    """

    def __init__(self, path: Path | str, respond: Respond) -> None:
        self.path = Path(path)
        self._respond = respond
        self._queue: queue.SimpleQueue[Queued | Write | None] = queue.SimpleQueue()
        self._db = connect(self.path)
        # Checkpoints copy the WAL into the database file; done inside a commit they stall every
        # request waiting on it (p99 ×3 measured). A second connection does them beside the writer.
        self._db.execute("PRAGMA wal_autocheckpoint=0")
        self._checkpointer: _Checkpointer | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        # Held for each capture transaction. Another writer of this file in this process (the
        # search indexer) takes it too: the writer then waits on a lock that wakes it at once,
        # not in SQLite's busy handler, which sleeps in steps of 1-25 ms (p99 x5 measured).
        self.write_lock = threading.Lock()
        self._busy = False
        self._last_busy = 0.0  # time.monotonic() when the writer last had work
        self.committed = 0
        self.batches = 0

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        """Start the writer thread; results are delivered on `loop`."""
        self._loop = loop
        self._checkpointer = _Checkpointer(self.path)
        self._thread = threading.Thread(target=self._run, name="store-writer", daemon=True)
        self._thread.start()

    def submit(
        self, capture: CapturedRequest, done: Done, failed: Failed, settle: Settle | None = None
    ) -> None:
        """Queue one capture for the next transaction.

        `done` runs on the loop once it is committed, unless `settle(capture_id, response)`,
        called first on the writer thread, returns True: then the loop is not woken for it.
        """
        self._queue.put((capture, done, failed, settle))

    def submit_write(self, write: Write) -> None:
        """Run `write(connection)` in the next transaction (side rows such as forward results).

        It runs inside a savepoint on the writer thread: if it fails, it is logged and rolled
        back alone, and the captures sharing the transaction are still committed.
        """
        self._queue.put(write)

    def stop(self) -> None:
        """Commit everything queued, then end the thread and close the connection (blocking)."""
        if self._thread is not None:
            self._queue.put(_STOP)
            self._thread.join()
            self._thread = None
        if self._checkpointer is not None:
            self._checkpointer.stop()
            self._checkpointer = None
        with contextlib.suppress(sqlite3.Error):
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._db.close()

    def idle_for(self) -> float:
        """Seconds since the writer last had captures to commit; 0 while it has (any thread)."""
        if self._busy or not self._queue.empty():
            return 0.0
        return time.monotonic() - self._last_busy

    def write_now(self, captures: Sequence[CapturedRequest]) -> list[int]:
        """Commit captures synchronously when the thread is not running (imports, tests)."""
        assert self._thread is None, "write_now is for a writer that was not started"
        return [cid for cid, _ in self._commit(list(captures))]

    def _run(self) -> None:
        get, get_nowait = self._queue.get, self._queue.get_nowait
        stopping = False
        while not stopping:
            self._busy = False
            item = get()
            self._busy = True
            self._last_busy = time.monotonic()
            batch: list[Queued] = []
            writes: list[Write] = []
            while True:
                if item is _STOP:
                    stopping = True
                elif isinstance(item, tuple):
                    batch.append(item)
                else:
                    writes.append(item)
                if len(batch) + len(writes) >= MAX_BATCH:
                    break
                try:
                    item = get_nowait()
                except queue.Empty:
                    break
            if batch or writes:
                self._write_batch(batch, writes)
            self._last_busy = time.monotonic()

    def _write_batch(self, batch: list[Queued], writes: list[Write]) -> None:
        try:
            results = self._commit([queued[0] for queued in batch], writes)
        except (sqlite3.Error, OSError) as exc:
            log.error("store write failed for %d captures: %s", len(batch), exc)
            error = StoreError(f"the capture store failed: {exc}")
            if batch:
                self._deliver(_fail_all, batch, error)
            return
        unsettled = [
            (queued[1], result)
            for queued, result in zip(batch, results, strict=True)
            if queued[3] is None or not _settled(queued[3], result)
        ]
        if unsettled:
            self._deliver(_succeed_all, unsettled)

    def _deliver(self, fn: Callable[..., None], *args: object) -> None:
        assert self._loop is not None
        try:
            self._loop.call_soon_threadsafe(fn, *args)
        except RuntimeError:  # the loop closed under us: nobody is waiting any more
            log.warning("event loop closed; %d results undelivered", len(args[0]))  # type: ignore[arg-type]

    def _commit(
        self, captures: list[CapturedRequest], writes: Sequence[Write] = ()
    ) -> list[tuple[int, bytes]]:
        with self.write_lock:
            results = self._insert(captures, writes)
        self._last_busy = time.monotonic()
        self.committed += len(captures)
        self.batches += 1
        if self._checkpointer is not None:
            self._checkpointer.note(len(captures))
        return results

    def _insert(
        self, captures: list[CapturedRequest], writes: Sequence[Write]
    ) -> list[tuple[int, bytes]]:
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            # Ids continue after the newest row, or after the newest ever deleted (kept in meta by
            # delete and clear), so an id is never reused; one meta write (the count) per batch.
            next_id = _next_id(db)
            summary_rows = []
            body_rows = []
            results = []
            respond = self._respond
            for offset, c in enumerate(captures):
                cid = next_id + offset
                response = respond(c, cid)
                summary_rows.append(
                    (
                        cid, c.received_at_us, c.inbox, c.method, c.target, c.http_version,
                        c.remote_ip, c.remote_port, c.tls, c.content_type, len(c.body),
                        c.declared_size, c.outcome.value, c.reason, c.status, c.signature,
                    )
                )  # fmt: skip
                trailers = b"\r\n".join(f"{k}: {v}".encode("latin-1") for k, v in c.trailers)
                body_rows.append((cid, c.raw_head, c.body, response, trailers, c.signature_detail))
                results.append((cid, response))
            db.executemany(
                "INSERT INTO captures VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", summary_rows
            )
            db.executemany(
                "INSERT INTO bodies(id, head, body, response, trailers, signature)"
                " VALUES (?,?,?,?,?,?)",
                body_rows,
            )
            _add_to_count(db, len(captures))
            for write in writes:
                _run_write(db, write)
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        return results


def _run_write(db: sqlite3.Connection, write: Write) -> None:
    db.execute("SAVEPOINT side_write")
    try:
        write(db)
    except sqlite3.Error as exc:
        log.error("side write failed: %s", exc)
        db.execute("ROLLBACK TO side_write")
    db.execute("RELEASE side_write")


class _Checkpointer:
    """Copies the WAL into the database from its own thread and connection (PASSIVE mode).

    A passive checkpoint never blocks the writer or readers; it copies what it can.
    """

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        self._wake = threading.Event()
        self._stopping = False
        self._since = 0
        self._thread = threading.Thread(target=self._run, name="store-checkpoint", daemon=True)
        self._thread.start()

    def note(self, committed: int) -> None:
        """Count commits; wake the thread once enough piled up (called by the writer thread)."""
        self._since += committed
        if self._since >= CHECKPOINT_EVERY_CAPTURES:
            self._since = 0
            self._wake.set()

    def stop(self) -> None:
        """End the thread and close its connection."""
        self._stopping = True
        self._wake.set()
        self._thread.join()
        self._db.close()

    def _run(self) -> None:
        while not self._stopping:
            self._wake.wait(CHECKPOINT_IDLE_S)
            self._wake.clear()
            try:
                self._db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            except sqlite3.Error as exc:
                log.warning("checkpoint failed: %s", exc)


def _settled(settle: Settle, result: tuple[int, bytes]) -> bool:
    """`settle(*result)` on the writer thread; one that raises is logged and left to the loop."""
    try:
        return settle(*result)
    except Exception:
        log.exception("settling capture %d failed", result[0])
        return False


def _succeed_all(committed: list[tuple[Done, tuple[int, bytes]]]) -> None:
    for done, (cid, response) in committed:
        done(cid, response)


def _fail_all(batch: list[Queued], error: BaseException) -> None:
    for queued in batch:
        queued[2](error)


def default_db_path() -> Path:
    """`WEBHOOK_INSPECTOR_DB`, else captures.sqlite3 in the user data dir."""
    env = os.environ.get("WEBHOOK_INSPECTOR_DB")
    if env:
        return Path(env)
    from platformdirs import user_data_path  # noqa: PLC0415 (only the CLI defaults need it)

    return user_data_path("webhook-inspector", appauthor=False) / "captures.sqlite3"
