"""Scans split by id range: the ranges, the parallel runs, interruption, and the store's pages."""

from __future__ import annotations

import itertools
import os
import sqlite3
import sys
import threading
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webhook_inspector.core import rangescan
from webhook_inspector.core.query import compile_query
from webhook_inspector.core.rangescan import RangeScanner, part_count, split
from webhook_inspector.core.store import Store

from conftest import fill_store


@given(st.integers(1, 10**6), st.integers(0, 10**5), st.integers(1, 8))
def test_ranges_cover_every_id_once_newest_first(low, extra, parts):
    high = low + extra
    ranges = split(low, high, parts)
    assert 1 <= len(ranges) <= parts
    assert ranges[0][1] == high and ranges[-1][0] == low
    for (newer_low, _), (_, older_high) in itertools.pairwise(ranges):
        assert older_high == newer_low - 1
    assert all(a <= b for a, b in ranges)


def test_small_scans_stay_on_one_connection(monkeypatch):
    monkeypatch.setattr(rangescan, "CPUS", 8)
    assert part_count(100) == 1
    assert part_count(rangescan.MIN_ROWS_PER_PART * 2) == 2
    assert part_count(10**6) == rangescan.MAX_PARTS
    monkeypatch.setattr(rangescan, "CPUS", 1)
    assert part_count(10**6) == 1


def _numbers(tmp_path, count: int):
    path = tmp_path / "n.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY)")
    db.executemany("INSERT INTO t VALUES (?)", [(n,) for n in range(1, count + 1)])
    db.commit()
    db.close()
    return path


def test_each_range_runs_on_its_own_connection(tmp_path):
    scanner = RangeScanner(_numbers(tmp_path, 1000), lambda db: None)
    sql = "SELECT count(*), min(id), max(id) FROM t WHERE id BETWEEN ? AND ?"
    try:
        parts = scanner.map(sql, lambda lo, hi: (lo, hi), split(1, 1000, 3))
    finally:
        scanner.close()
    assert [rows[0] for rows in parts] == [(334, 667, 1000), (333, 334, 666), (333, 1, 333)]


def test_interrupt_stops_every_part_and_the_scanner_still_works(tmp_path):
    scanner = RangeScanner(_numbers(tmp_path, 10), lambda db: None)
    endless = ("WITH RECURSIVE n(x) AS (SELECT ? UNION ALL SELECT x + 1 FROM n WHERE x < ?)"
               " SELECT count(*) FROM n")  # fmt: skip
    errors: list[BaseException] = []

    def scan() -> None:
        try:
            scanner.map(endless, lambda lo, hi: (lo, 10**12), [(2, 2), (1, 1)])
        except sqlite3.OperationalError as exc:
            errors.append(exc)

    thread = threading.Thread(target=scan)
    thread.start()
    time.sleep(0.3)
    scanner.interrupt()
    thread.join(timeout=10)
    try:
        assert not thread.is_alive()
        assert errors and "interrupt" in str(errors[0])
        rows = scanner.map("SELECT count(*) FROM t WHERE id BETWEEN ? AND ?",
                           lambda lo, hi: (lo, hi), [(6, 10), (1, 5)])  # fmt: skip
        assert rows == [[(5,)], [(5,)]]
    finally:
        scanner.close()


@pytest.fixture
def split_store(tmp_path, monkeypatch):
    """30 captures whose bodies all hold "ping", scanned in 3 ranges."""
    monkeypatch.setattr(rangescan, "MIN_ROWS_PER_PART", 3)
    monkeypatch.setattr(rangescan, "CPUS", 3)
    fill_store(tmp_path / "s.sqlite3", 30)
    store = Store(tmp_path / "s.sqlite3")
    yield store
    store.close()


def test_a_short_term_page_is_the_newest_matches_across_ranges(split_store):
    query = compile_query("pi")
    assert [s.id for s in split_store.search(query, limit=5)] == [30, 29, 28, 27, 26]
    assert split_store._scanner.connections == 3  # the scan did run over three ranges
    assert [s.id for s in split_store.search(query, limit=4, before_id=12)] == [11, 10, 9, 8]
    assert [s.id for s in split_store.search(query, limit=50, before_id=3)] == [2, 1]
    assert split_store.count_matching(query) == 30
    assert split_store.count_matching(query, upto_id=10) == 10
    assert split_store.count_matching(compile_query("zq")) == 0


@pytest.mark.skipif(sys.platform != "linux", reason="per-thread nice is a Linux feature")
def test_parts_run_on_threads_that_yield_to_the_ui(tmp_path):
    def setup(db: sqlite3.Connection) -> None:
        db.create_function("nice", 0, lambda: os.getpriority(os.PRIO_PROCESS, 0))

    scanner = RangeScanner(_numbers(tmp_path, 10), setup)
    try:
        parts = scanner.map("SELECT nice() WHERE ? <= ?", lambda lo, hi: (lo, hi), split(1, 10, 2))
    finally:
        scanner.close()
    ours = os.getpriority(os.PRIO_PROCESS, 0)
    assert [rows[0][0] for rows in parts] == [min(19, ours + rangescan.SCAN_NICENESS)] * 2
