"""Scans that cannot use an index, split by id range over several connections at once.

A term shorter than the index's 3 characters is a LIKE over every head and body: ~1.5 ns a byte
when the term starts with a non-ASCII character (SQLite reads it character by character), 330 ms
over 200 MB. SQLite releases the GIL while it runs, so K connections over K id ranges finish in
about 1/K of the time on K idle cores (measured on 2: 342–423 ms → 205–267 ms).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

MAX_PARTS = 4
CPUS = os.cpu_count() or 1
MIN_ROWS_PER_PART = 5_000  # below this a second connection costs more than it saves
SCAN_NICENESS = 10  # the scan threads take every idle core but yield to the UI thread

Bind = Callable[[int, int], Sequence[object]]  # (low id, high id) → the query's parameters


def _lower_priority() -> None:
    """On Linux `nice` is per thread: a scan using every core must not starve the UI thread."""
    if sys.platform == "linux":
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), SCAN_NICENESS)


def part_count(rows: int) -> int:
    """How many ranges a scan over `rows` rows is split into on this machine."""
    return max(1, min(MAX_PARTS, CPUS, rows // MIN_ROWS_PER_PART))


def split(low: int, high: int, parts: int) -> list[tuple[int, int]]:
    """`parts` contiguous id ranges covering [low, high], the newest (highest) first."""
    span = high - low + 1
    edges = [low + span * i // parts for i in range(parts + 1)]
    ranges = [(edges[i], edges[i + 1] - 1) for i in range(parts) if edges[i] < edges[i + 1]]
    return ranges[::-1]


class RangeScanner:
    """Runs one query per id range, each on its own connection and thread; newest range first.

    Connections open on first use and are reused; `interrupt()` stops every running part
    (they raise sqlite3.OperationalError "interrupted", as Connection.interrupt does).
    """

    def __init__(self, path: Path, setup: Callable[[sqlite3.Connection], None]) -> None:
        self._path = path
        self._setup = setup
        self._connections: list[sqlite3.Connection] = []
        self._pool: ThreadPoolExecutor | None = None
        self._pool_size = 0
        self._lock = threading.Lock()

    def map(self, sql: str, bind: Bind, ranges: list[tuple[int, int]]) -> list[list[Any]]:
        """The rows of `sql` for each range, in the order of `ranges`."""
        connections = self._open(len(ranges))
        if len(ranges) == 1:
            return [connections[0].execute(sql, bind(*ranges[0])).fetchall()]
        assert self._pool is not None
        futures = [
            self._pool.submit(self._run, connection, sql, bind(low, high))
            for connection, (low, high) in zip(connections, ranges, strict=True)
        ]
        try:
            return [future.result() for future in futures]
        finally:  # a part failed or was interrupted: stop the others and wait for them
            if any(not future.done() for future in futures):
                self.interrupt()
                for future in futures:
                    future.exception()

    @property
    def connections(self) -> int:
        """How many connections the scans have opened so far."""
        return len(self._connections)

    def interrupt(self) -> None:
        """Stop every part that is running; any thread may call it."""
        for connection in list(self._connections):
            connection.interrupt()

    def close(self) -> None:
        """Close the connections and the threads."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
            self._pool_size = 0
        for connection in self._connections:
            connection.close()
        self._connections = []

    @staticmethod
    def _run(connection: sqlite3.Connection, sql: str, params: Sequence[object]) -> list[Any]:
        return connection.execute(sql, params).fetchall()

    def _open(self, count: int) -> list[sqlite3.Connection]:
        with self._lock:
            while len(self._connections) < count:
                connection = sqlite3.connect(self._path, check_same_thread=False)
                self._setup(connection)
                self._connections.append(connection)
            if count > self._pool_size > 0 or (count > 1 and self._pool is None):
                from concurrent.futures import ThreadPoolExecutor  # noqa: PLC0415 - start-up

                if self._pool is not None:
                    self._pool.shutdown(wait=True)
                self._pool = ThreadPoolExecutor(
                    count, thread_name_prefix="range-scan", initializer=_lower_priority
                )
                self._pool_size = count
            return self._connections[:count]
