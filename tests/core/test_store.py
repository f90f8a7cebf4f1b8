"""The SQLite store: paging, reads, deletes, migrations, and the group-commit writer."""

from __future__ import annotations

import asyncio
import sqlite3
import threading

import pytest

from webhook_inspector.core.errors import NotFoundError, QueryInterrupted, StoreError
from webhook_inspector.core.model import CapturedRequest, Outcome
from webhook_inspector.core.query import compile_query
from webhook_inspector.core.store import SCHEMA_VERSION, Store, StoreWriter, connect


def _capture(n: int, **extra: object) -> CapturedRequest:
    head = b"POST /hook/%d HTTP/1.1\r\nHost: x\r\nX-N: %d" % (n, n)
    fields = {
        "received_at_us": 1_700_000_000_000_000 + n,
        "method": "POST",
        "target": f"/hook/{n}",
        "http_version": "1.1",
        "headers": (("Host", "x"), ("X-N", str(n))),
        "body": b"body-%d" % n,
        "remote_ip": "127.0.0.1",
        "remote_port": 40000 + n,
        "raw_head": head,
    }
    fields.update(extra)
    return CapturedRequest(**fields)  # type: ignore[arg-type]


def _respond(capture: CapturedRequest, capture_id: int) -> bytes:
    return b"HTTP/1.1 200 OK\r\n\r\n#%d" % capture_id


def _fill(path, count: int) -> list[int]:
    writer = StoreWriter(path, _respond)
    ids = writer.write_now([_capture(n) for n in range(count)])
    writer.stop()
    return ids


def test_write_and_read_back_whole(tmp_path):
    path = tmp_path / "s.sqlite3"
    [cid] = _fill(path, 1)
    capture = Store(path).get(cid)
    assert capture.id == cid == 1
    assert capture.body == b"body-0"
    assert capture.raw_head.endswith(b"X-N: 0")
    assert capture.headers == (("Host", "x"), ("X-N", "0"))
    assert capture.response == b"HTTP/1.1 200 OK\r\n\r\n#1"


def test_keyset_paging_newest_first(tmp_path):
    path = tmp_path / "s.sqlite3"
    _fill(path, 250)
    store = Store(path)
    first = store.summaries(limit=100)
    second = store.summaries(limit=100, before_id=first[-1].id)
    third = store.summaries(limit=100, before_id=second[-1].id)
    ids = [s.id for s in first + second + third]
    assert ids == list(range(250, 0, -1))
    assert store.summaries_after(245) == sorted(first[:5], key=lambda s: s.id)
    assert first[0].body_size == len(b"body-249")


def test_get_missing_raises_not_found(tmp_path):
    path = tmp_path / "s.sqlite3"
    _fill(path, 1)
    with pytest.raises(NotFoundError, match="#99"):
        Store(path).get(99)


def test_delete_and_clear_never_reuse_ids(tmp_path):
    path = tmp_path / "s.sqlite3"
    _fill(path, 5)
    store = Store(path)
    assert store.delete([4, 5, 77]) == 2
    assert store.count() == 3
    assert store.clear() == 3
    assert store.count() == 0
    [new_id] = _fill(path, 1)
    assert new_id == 6
    assert store.integrity_check() == "ok"


def test_migrates_a_schema_1_store(tmp_path):
    path = tmp_path / "old.sqlite3"
    db = connect(path, upto=1)
    db.execute(
        "INSERT INTO captures VALUES (7, 1, 'default', 'PUT', '/old', '1.1', '10.0.0.1', 5,"
        " 0, 'text/plain', 3, NULL, 'captured', '', 200)"
    )
    db.execute("INSERT INTO bodies VALUES (7, ?, ?)", (b"PUT /old HTTP/1.1\r\nA: b", b"old"))
    db.close()
    store = Store(path)
    assert store._db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    old = store.get(7)
    assert (old.method, old.body, old.response, old.headers) == ("PUT", b"old", b"", (("A", "b"),))
    assert store.count() == 1  # migration 7 counted the existing rows
    [new_id] = _fill(path, 1)
    assert new_id == 8  # the id counter starts after the migrated rows
    assert store.count() == 2


def test_count_follows_inserts_deletes_and_clear_without_scanning(tmp_path):
    path = tmp_path / "s.sqlite3"
    _fill(path, 7)
    store = Store(path)
    store.delete([2, 3])
    _fill(path, 4)
    true_count = store._db.execute("SELECT count(*) FROM captures").fetchone()[0]
    assert store.count() == true_count == 9
    plan = store._db.execute("EXPLAIN QUERY PLAN SELECT value FROM meta WHERE key = 'count'")
    assert "SCAN" not in " ".join(str(row) for row in plan)
    store.clear()
    assert store.count() == 0


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "new.sqlite3"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version={SCHEMA_VERSION + 5}")
    db.close()
    with pytest.raises(StoreError, match="newer Webhook Inspector"):
        Store(path)


def test_not_a_database_gives_a_clear_error(tmp_path):
    path = tmp_path / "junk.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot open the capture store"):
        Store(path)


def test_outcomes_round_trip(tmp_path):
    path = tmp_path / "s.sqlite3"
    writer = StoreWriter(path, _respond)
    refused = _capture(1, outcome=Outcome.TOO_LARGE, declared_size=10**9, status=413, reason="big")
    [cid] = writer.write_now([refused])
    writer.stop()
    got = Store(path).get(cid)
    assert (got.outcome, got.declared_size, got.status, got.reason) == (
        Outcome.TOO_LARGE,
        10**9,
        413,
        "big",
    )


def test_writer_thread_groups_commits_and_delivers_on_the_loop(tmp_path):
    path = tmp_path / "s.sqlite3"
    writer = StoreWriter(path, _respond)
    results: list[tuple[int, bytes]] = []
    threads: set[str] = set()

    async def main() -> None:
        writer.start(asyncio.get_running_loop())
        done = asyncio.Event()

        def on_done(cid: int, response: bytes) -> None:
            threads.add(threading.current_thread().name)
            results.append((cid, response))
            if len(results) == 300:
                done.set()

        for n in range(300):
            writer.submit(_capture(n), on_done, lambda exc: None)
        await asyncio.wait_for(done.wait(), 10)

    asyncio.run(main())
    writer.stop()
    assert [cid for cid, _ in results] == list(range(1, 301))
    assert results[0][1].endswith(b"#1")
    assert threads == {threading.main_thread().name}
    assert writer.batches < 300  # submitted in one burst: commits were shared
    assert Store(path).count() == 300


def test_writer_settles_on_its_thread_and_wakes_the_loop_only_for_the_rest(tmp_path):
    path = tmp_path / "s.sqlite3"
    writer = StoreWriter(path, _respond)
    settled: list[tuple[int, str]] = []
    delivered: list[tuple[int, str]] = []

    def settle(cid: int, response: bytes) -> bool:
        settled.append((cid, threading.current_thread().name))
        if cid == 5:
            raise RuntimeError("a broken settle")  # logged; the loop still gets its `done`
        return cid % 2 == 1  # odd ids are taken here; even ones still need the loop

    async def main() -> None:
        writer.start(asyncio.get_running_loop())
        done = asyncio.Event()

        def on_done(cid: int, response: bytes) -> None:
            delivered.append((cid, threading.current_thread().name))
            if cid == 6:
                done.set()

        for n in range(6):
            writer.submit(_capture(n), on_done, lambda exc: None, settle)
        await asyncio.wait_for(done.wait(), 10)

    asyncio.run(main())
    writer.stop()
    assert settled == [(cid, "store-writer") for cid in range(1, 7)]
    assert delivered == [(cid, threading.main_thread().name) for cid in (2, 4, 5, 6)]


def test_writer_failure_reaches_failed_callback(tmp_path):
    path = tmp_path / "s.sqlite3"
    writer = StoreWriter(path, _respond)
    errors: list[BaseException] = []

    async def main() -> None:
        writer.start(asyncio.get_running_loop())
        db = sqlite3.connect(path)
        db.execute("DROP TABLE captures")
        db.commit()
        db.close()
        failed = asyncio.Event()

        def on_failed(exc: BaseException) -> None:
            errors.append(exc)
            failed.set()

        writer.submit(_capture(1), lambda cid, r: None, on_failed)
        await asyncio.wait_for(failed.wait(), 10)

    asyncio.run(main())
    writer.stop()
    assert isinstance(errors[0], StoreError)
    assert "no such table" in str(errors[0])


def _exchange(status, body=b"", **kw):
    from webhook_inspector.core.model import Exchange, OutgoingRequest

    request = OutgoingRequest("POST", "http://t/h", (("X-Sig", "v1"), ("x-sig", "v2")), b"{}")
    return Exchange(request, 1_795_000_000_000_000, status=status, body=body, **kw)


def test_sends_keep_the_request_and_every_attempt(tmp_path):
    store = Store(tmp_path / "s.sqlite3")
    attempts = [
        _exchange(None, error_kind="refused", error="connection refused: x", total_ms=1.5),
        _exchange(500, b"\x00\xff", headers=(("A", "1"), ("a", "2")), connect_ms=0.3),
        _exchange(200, b"ok", first_byte_ms=2.0, total_ms=2.5),
    ]
    send_id = store.record_send(attempts[0].request, attempts, kind="send", schedule="svix")
    record = store.get_send(send_id)
    assert record.request == attempts[0].request and record.schedule == "svix"
    assert record.attempts == tuple(attempts)
    assert [s.id for s in store.sends()] == [send_id]
    with pytest.raises(NotFoundError):
        store.get_send(send_id + 1)


def test_forward_of_finds_the_forward_written_through_the_writer(tmp_path):
    from webhook_inspector.core.store import insert_send

    path = tmp_path / "f.sqlite3"
    writer = StoreWriter(path, lambda capture, cid: b"")
    loop = asyncio.new_event_loop()
    writer.start(loop)
    forward = _exchange(202, b"taken")
    writer.submit_write(lambda db: insert_send(db, forward.request, [forward], kind="forward",
                                               capture_id=7, schedule=""))  # fmt: skip
    writer.submit_write(lambda db: db.execute("INSERT INTO no_such_table VALUES (1)"))
    writer.stop()
    loop.close()
    store = Store(path)
    record = store.forward_of(7)
    assert record is not None and record.attempts[0].status == 202
    assert record.request.body == b""  # the capture holds the body; not stored twice
    assert store.forward_of(8) is None


def test_insert_forwards_writes_what_insert_send_writes_and_the_answers(tmp_path):
    from webhook_inspector.core.store import connect, insert_forwards, insert_send

    path = tmp_path / "b.sqlite3"
    writer = StoreWriter(path, lambda capture, cid: b"default")
    writer.write_now([_capture(n) for n in range(3)])
    answered = _exchange(201, b"made", headers=(("A", "1"),), connect_ms=0.2, total_ms=1.0)
    failed = _exchange(None, error_kind="refused", error="connection refused", total_ms=0.5)
    db = connect(path)
    insert_send(db, answered.request, [answered], kind="forward", capture_id=1, schedule="")
    insert_forwards(db, [(2, answered, b"HTTP/1.1 201 Created"), (3, failed, None)])
    db.close()
    store = Store(path)
    one, two, three = (store.forward_of(n) for n in (1, 2, 3))
    assert one is not None and two is not None and three is not None
    assert (two.request, two.attempts, two.kind) == (one.request, one.attempts, one.kind)
    assert three.attempts[0].error_kind == "refused" and len({one.id, two.id, three.id}) == 3
    assert store.get(2).response == b"HTTP/1.1 201 Created"
    assert store.get(3).response == b"default"


def test_interrupt_stops_a_running_search_and_the_next_one_runs(tmp_path):
    path = tmp_path / "s.sqlite3"
    writer = StoreWriter(path, lambda capture, cid: b"")
    body = b"lorem ipsum dolor sit amet " * 200  # scanned whole: no match for the 2-char term
    writer.write_now([_capture(n, body=body) for n in range(3000)])
    writer.stop()
    store = Store(path)
    absent = compile_query("\u00f8\u00f8")  # under 3 characters: a scan of every capture
    stop = threading.Event()

    def keep_interrupting() -> None:
        while not stop.is_set():  # no-ops until the scan starts, then stops it
            store.interrupt()

    thread = threading.Thread(target=keep_interrupting)
    thread.start()
    try:
        with pytest.raises(QueryInterrupted):
            store.search(absent)
    finally:
        stop.set()
        thread.join()
    assert store.search(absent) == []
    assert [s.id for s in store.search(compile_query("lorem"), limit=2)] == [3000, 2999]
