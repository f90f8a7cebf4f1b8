"""Searches run on a worker thread with its own store connection; the newest one wins."""

from __future__ import annotations

import asyncio
import concurrent.futures
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from webhook_inspector.core.errors import StoreError
from webhook_inspector.core.model import CaptureSummary
from webhook_inspector.core.query import Query
from webhook_inspector.core.store import Store
from webhook_inspector.gui.capturemodel import PAGE_ROWS  # a search pages as the list does


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a search: its rows, whether more remain, and the total when it is known.

    `upto_id` is the newest capture the search could see: counting up to it and adding the
    live captures that arrive later counts each match once.
    """

    query: Query
    rows: list[CaptureSummary]
    exhausted: bool
    total: int | None = None
    upto_id: int = 0


class SearchWorker:
    """Runs searches on one worker thread with its own store connection.

    Only the newest search matters: starting one interrupts the query still running.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._executor = concurrent.futures.ThreadPoolExecutor(1, "search")
        self._local = threading.local()
        self._stores: list[Store] = []
        self.generation = 0

    def _store(self) -> Store:
        store = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = Store(self.path)
            self._stores.append(store)
        return store

    def _page(self, query: Query, before_id: int | None) -> Page:
        store = self._store()
        try:
            upto = store.last_id()
            rows = store.search(query, limit=PAGE_ROWS, before_id=before_id)
        except sqlite3.OperationalError as exc:  # "interrupted" when a newer search began
            raise StoreError(f"search failed: {exc}") from exc
        exhausted = len(rows) < PAGE_ROWS
        # A first page that holds every match is its own count: no second scan.
        total = len(rows) if exhausted and before_id is None else None
        return Page(query, rows, exhausted, total, max(upto, rows[0].id if rows else 0))

    def _count(self, query: Query, upto_id: int) -> int:
        try:
            return self._store().count_matching(query, upto_id=upto_id)
        except sqlite3.OperationalError as exc:
            raise StoreError(f"search failed: {exc}") from exc

    async def page(self, query: Query, before_id: int | None = None) -> Page:
        """A page of `query` (newest first); QueryInterrupted or StoreError otherwise.

        The first page carries the total when it already holds every match; otherwise ask
        `count` once the page is shown, so a scan-only term paints its list first.
        """
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._page, query, before_id)

    async def count(self, query: Query, upto_id: int) -> int:
        """How many captures up to `upto_id` match `query` (a Page's upto_id)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._count, query, upto_id)

    async def header_names(self) -> list[str]:
        """Header names seen lately, for completing `header:`."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self._executor, lambda: self._store().recent_header_names()
        )

    def interrupt(self) -> None:
        """Abort the query running on the worker, if any (its caller gets QueryInterrupted)."""
        for store in self._stores:
            store.interrupt()

    def close(self) -> None:
        """Stop the worker thread and close its connection."""
        self.interrupt()
        self._executor.shutdown(wait=True, cancel_futures=True)
        for store in self._stores:
            store.close()
