"""The background indexer: catch-up, tail scan, deletes, migration from schema 2."""

from __future__ import annotations

import threading

from webhook_inspector.core import indexer as indexer_module
from webhook_inspector.core.indexer import INDEX_BATCH_ROWS, SearchIndexer
from webhook_inspector.core.query import compile_query
from webhook_inspector.core.store import SCHEMA_VERSION, Store, StoreWriter, connect

from factories import make_capture


def _write(path, *bodies: bytes) -> list[int]:
    writer = StoreWriter(path, lambda capture, cid: b"")
    captures = [
        make_capture(body=b, raw_head=b"POST /hook HTTP/1.1\r\nContent-Type: text/plain")
        for b in bodies
    ]
    ids = writer.write_now(captures)
    writer.stop()
    return ids


def _fts_ids(store: Store, word: str) -> list[int]:
    rows = store._db.execute(
        "SELECT rowid FROM search_fts WHERE search_fts MATCH ? ORDER BY rowid", (f'"{word}"',)
    )
    return [r[0] for r in rows]


def test_catches_up_in_batches_with_progress(tmp_path):
    path = tmp_path / "s.sqlite3"
    count = INDEX_BATCH_ROWS * 2 + 5
    _write(path, *[f"item {n} apple".encode() for n in range(count)])
    seen: list[tuple[int, int]] = []
    done = threading.Event()

    def progress(indexed: int, last: int) -> None:
        seen.append((indexed, last))
        if indexed == last:
            done.set()

    indexer = SearchIndexer(path, progress)
    indexer.start()
    assert done.wait(10)
    indexer.stop()
    assert seen == [(INDEX_BATCH_ROWS, count), (2 * INDEX_BATCH_ROWS, count), (count, count)]
    store = Store(path)
    assert store.indexed_id() == count
    assert len(_fts_ids(store, "apple")) == count


def test_unindexed_tail_is_found_and_then_indexed(tmp_path):
    path = tmp_path / "s.sqlite3"
    indexer = SearchIndexer(path)
    indexer.start()
    [first] = _write(path, b"banana split")
    assert indexer.wait_caught_up()
    [second] = _write(path, b"banana bread")
    store = Store(path)
    query = compile_query("banana")
    # whether or not the indexer got to it yet, the new capture is found
    assert [s.id for s in store.search(query)] == [second, first]
    assert indexer.wait_caught_up()
    indexer.stop()
    assert _fts_ids(store, "banana") == [first, second]
    assert [s.id for s in store.search(query)] == [second, first]


def test_delete_and_clear_remove_index_rows(tmp_path):
    path = tmp_path / "s.sqlite3"
    ids = _write(path, b"cherry one", b"cherry two", b"cherry three")
    indexer = SearchIndexer(path)
    while indexer.run_once():
        pass
    indexer.stop()
    store = Store(path)
    assert store.delete([ids[1]]) == 1
    assert _fts_ids(store, "cherry") == [ids[0], ids[2]]
    assert _fts_ids(store, "two") == []
    assert store._db.execute("SELECT count(*) FROM search_kinds").fetchone()[0] == 2
    assert store._db.execute("INSERT INTO search_fts(search_fts) VALUES ('integrity-check')")
    store.clear()
    assert _fts_ids(store, "cherry") == []
    assert store._db.execute("SELECT count(*) FROM search_kinds").fetchone()[0] == 0
    assert store.integrity_check() == "ok"


def test_rows_deleted_before_indexing_are_not_indexed(tmp_path):
    path = tmp_path / "s.sqlite3"
    ids = _write(path, b"damson a", b"damson b")
    Store(path).delete([ids[0]])
    indexer = SearchIndexer(path)
    assert indexer.run_once() == 1
    indexer.stop()
    assert _fts_ids(Store(path), "damson") == [ids[1]]


def test_schema_2_store_migrates_and_gets_indexed(tmp_path):
    path = tmp_path / "old.sqlite3"
    db = connect(path, upto=2)
    db.execute(
        "INSERT INTO captures VALUES (4, 1, 'default', 'POST', '/old', '1.1', '10.0.0.1', 5,"
        " 0, 'text/plain', 10, NULL, 'captured', '', 200)"
    )
    db.execute(
        "INSERT INTO bodies(id, head, body) VALUES (4, ?, ?)",
        (b"POST /old HTTP/1.1\r\nContent-Type: text/plain", b"elderberry"),
    )
    db.close()
    store = Store(path)
    assert store._db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert store.indexed_id() == 0
    assert [s.id for s in store.search(compile_query("elderberry"))] == [4]  # tail scan
    indexer = SearchIndexer(path)
    assert indexer.run_once() == 1
    indexer.stop()
    assert _fts_ids(store, "elderberry") == [4]
    assert [s.id for s in store.search(compile_query("elderberry type:text"))] == [4]


def test_schema_5_index_is_rebuilt_lean(tmp_path):
    path = tmp_path / "v5.sqlite3"
    ids = _write(path, b"fig jam")
    db = connect(path)  # the writer created the newest schema; roll the index back to v5's
    db.execute("DROP TABLE search_fts")
    db.execute("CREATE VIRTUAL TABLE search_fts USING fts5(text, content='')")
    db.execute("INSERT INTO search_fts(rowid, text) VALUES (?, 'fig jam')", (ids[0],))
    db.execute("UPDATE meta SET value = ? WHERE key = 'indexed_id'", (ids[0],))
    db.execute("PRAGMA user_version = 5")
    db.close()
    store = Store(path)
    assert store.indexed_id() == 0  # rebuilt from scratch; the tail scan still finds it
    assert [s.id for s in store.search(compile_query("fig"))] == ids
    config = dict(store._db.execute("SELECT k, v FROM search_fts_config"))
    assert config["automerge"] == 16
    assert store._db.execute(
        "SELECT count(*) FROM sqlite_master WHERE name = 'search_fts_docsize'"
    ).fetchone() == (0,)
    indexer = SearchIndexer(path)
    assert indexer.run_once() == 1
    indexer.stop()
    assert _fts_ids(store, "fig") == ids


def test_indexer_takes_short_turns_while_the_capture_writer_is_busy(tmp_path, monkeypatch):
    path = tmp_path / "s.sqlite3"
    writer = StoreWriter(path, lambda capture, cid: b"")
    writer.write_now([make_capture(body=b"grape %d" % n) for n in range(40)])
    monkeypatch.setattr(indexer_module, "WRITER_IDLE_S", 3600.0)  # the writer counts as busy
    monkeypatch.setattr(indexer_module, "MAX_DEFER_S", 0.01)
    indexer = SearchIndexer(path, writer=writer)
    assert indexer.run_once() == indexer_module.BUSY_BATCH_ROWS
    with writer.write_lock:  # the writer's lock is free again after the turn
        pass
    monkeypatch.setattr(indexer_module, "WRITER_IDLE_S", 0.0)  # idle: the rest in one batch
    assert indexer.run_once() == 40 - indexer_module.BUSY_BATCH_ROWS
    indexer.stop()
    writer.stop()
    assert len(_fts_ids(Store(path), "grape")) == 40
