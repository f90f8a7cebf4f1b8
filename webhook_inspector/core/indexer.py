"""The background search indexer: its own thread and connection, off the capture path."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol

from webhook_inspector.core import searchtext
from webhook_inspector.core.store import connect

log = logging.getLogger(__name__)

# Rows per index transaction while the capture writer is idle: bigger batches cost less CPU
# a row (fewer FTS5 segments to merge). A capture arriving meanwhile waits for the write lock
# (~15 ms); under load the indexer takes BUSY_BATCH_ROWS (~1 ms) at a time.
INDEX_BATCH_ROWS = 256
BUSY_BATCH_ROWS = 16
IDLE_POLL_S = 0.5  # catch up on captures written by another process even without a nudge
# Capture comes first: the indexer waits until the capture writer has been idle this long
# (searches scan what is not indexed yet), but indexes a batch at least every MAX_DEFER_S so
# that a steady load cannot starve it (then indexing takes ~3 % of a core).
WRITER_IDLE_S = 0.05
MAX_DEFER_S = 0.25

Progress = Callable[[int, int], None]


class WriterActivity(Protocol):
    """What the indexer needs of the capture writer in its process (StoreWriter has it)."""

    write_lock: threading.Lock

    def idle_for(self) -> float:
        """Seconds since the writer last had captures to commit; 0 while it has."""
        ...


class SearchIndexer:
    """Adds new captures to the search index in batches, from its own thread.

    `progress(indexed_id, last_id)` is called on the indexer's thread after each batch (a
    GUI adapter marshals it). `notify()` may be called from any thread to say captures were
    committed; the indexer also polls, so captures written by another process are picked up.
    Search results never depend on it being current: the unindexed tail is scanned.
    Given the capture `writer` of the same process, it yields to it: it waits until the writer
    has been idle for WRITER_IDLE_S (at most MAX_DEFER_S) and takes the writer's lock around
    each index transaction.
    """

    def __init__(
        self,
        path: Path | str,
        progress: Progress | None = None,
        *,
        writer: WriterActivity | None = None,
    ) -> None:
        self.path = Path(path)
        self._progress = progress
        self._writer = writer
        self._stopped = threading.Event()
        self._db = connect(self.path)
        self._wake = threading.Event()
        self._caught_up = threading.Event()
        self._stopping = False
        self._thread: threading.Thread | None = None
        self.indexed_rows = 0

    def start(self) -> None:
        """Start the thread; it catches up on everything not yet indexed first."""
        self._thread = threading.Thread(target=self._run, name="search-indexer", daemon=True)
        self._thread.start()

    def notify(self, *_args: object) -> None:
        """Wake the indexer: new captures were committed (usable as a capture observer)."""
        self._wake.set()

    def stop(self) -> None:
        """End the thread after the batch in hand and close the connection (blocking)."""
        if self._thread is not None:
            self._stopping = True
            self._stopped.set()
            self._wake.set()
            self._thread.join()
            self._thread = None
        self._db.close()

    def wait_caught_up(self, timeout_s: float = 10.0) -> bool:
        """Block until every capture present now is indexed; False on timeout (tests, tools)."""
        with _reader(self.path) as db:
            target = db.execute("SELECT coalesce(max(id), 0) FROM captures").fetchone()[0]
            deadline = time.monotonic() + timeout_s
            while _indexed_id(db) < target:
                self._caught_up.clear()
                self._wake.set()
                if not self._caught_up.wait(max(0.0, deadline - time.monotonic())):
                    return _indexed_id(db) >= target
        return True

    def run_once(self) -> int:
        """Index one batch on the calling thread; return how many captures it covered."""
        db = self._db
        start = _indexed_id(db)
        ids = [
            row[0]
            for row in db.execute(
                "SELECT id FROM captures WHERE id > ? ORDER BY id LIMIT ?",
                (start, INDEX_BATCH_ROWS),
            )
        ]
        if not ids:
            return 0
        ids = ids[: self._wait_turn()]
        # Reading and decoding happen outside the write lock; the inserts (FTS5 tokenises
        # there) hold it. Captures deleted in between are dropped inside the transaction.
        docs = _read_docs(db, ids)
        if self._writer is None:
            return self._write(start, ids, docs)
        with self._writer.write_lock:
            return self._write(start, ids, docs)

    def _wait_turn(self) -> int:
        """Wait until the capture writer is idle (at most MAX_DEFER_S); return the batch size."""
        writer = self._writer
        if writer is None:
            return INDEX_BATCH_ROWS
        deadline = time.monotonic() + MAX_DEFER_S
        while (idle := writer.idle_for()) < WRITER_IDLE_S:
            wait = min(WRITER_IDLE_S - idle, deadline - time.monotonic())
            if wait <= 0 or self._stopped.wait(wait):
                return BUSY_BATCH_ROWS  # a short turn: the writer has captures coming
        return INDEX_BATCH_ROWS

    def _write(
        self, start: int, ids: list[int], docs: list[tuple[int, searchtext.SearchDoc]]
    ) -> int:
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            alive = {row[0] for row in db.execute(
                f"SELECT id FROM captures WHERE id IN ({','.join('?' * len(ids))})", ids
            )}  # fmt: skip
            if _indexed_id(db) != start:  # another indexer on the same file got there first
                db.execute("ROLLBACK")
                return 0
            searchtext.write_docs(db, [(i, doc) for i, doc in docs if i in alive])
            db.execute("UPDATE meta SET value = ? WHERE key = 'indexed_id'", (ids[-1],))
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        self.indexed_rows += len(ids)
        return len(ids)

    def _run(self) -> None:
        while not self._stopping:
            try:
                done = self.run_once()
            except sqlite3.Error as exc:
                log.warning("search indexing failed, retrying: %s", exc)
                done = 0
            if done and self._progress is not None:
                self._report()
            if done:
                continue
            self._caught_up.set()
            self._wake.wait(IDLE_POLL_S)
            self._wake.clear()

    def _report(self) -> None:
        assert self._progress is not None
        last = self._db.execute("SELECT coalesce(max(id), 0) FROM captures").fetchone()[0]
        try:
            self._progress(_indexed_id(self._db), int(last))
        except Exception:
            log.exception("index progress callback failed")


def _indexed_id(db: sqlite3.Connection) -> int:
    return int(db.execute("SELECT value FROM meta WHERE key = 'indexed_id'").fetchone()[0])


@contextlib.contextmanager
def _reader(path: Path) -> Iterator[sqlite3.Connection]:
    db = connect(path)
    try:
        yield db
    finally:
        db.close()


def _read_docs(db: sqlite3.Connection, ids: list[int]) -> list[tuple[int, searchtext.SearchDoc]]:
    marks = ",".join("?" * len(ids))
    rows = db.execute(
        "SELECT c.id, c.method, c.target, b.head, b.body FROM captures c"
        f" JOIN bodies b ON b.id = c.id WHERE c.id IN ({marks})",
        ids,
    ).fetchall()
    return [(r[0], searchtext.search_doc(r[1], r[2], bytes(r[3]), bytes(r[4]))) for r in rows]
