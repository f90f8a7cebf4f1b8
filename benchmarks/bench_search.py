"""Search on 100k realistic captures: the filter language with its index vs a naive LIKE scan.

Run as `.venv/bin/python benchmarks/bench_search.py [--captures N] [--runs R] [--fresh]
[--only LABEL]` (`--only 2-char` times the short terms alone, with the index as it is).

The store is built once through StoreWriter and kept under /tmp between runs (--fresh rebuilds
it); indexing is timed on it (CPU per row, on the indexer's own connection, batch size as in
production). Each query runs R times warm through Store.search (one page of 100, newest
first); the same question asked as a LIKE scan over captures+bodies is the baseline, in the
same run. For the 2-character terms (a scan, not the index) it also times the window's path:
before, the search worker counted every match before the list could paint; now the list paints
after the page and the count follows (none when the page already holds every match). While
those run, a heartbeat thread measures the longest wait for the GIL (what would stall the UI
thread). Then, in the real window (offscreen, qasync), each filter applied → its list painted
(p95), and the first query cold: the store evicted from the page cache, a fresh connection.
Nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_corpus import make_captures

from webhook_inspector.core import indexer
from webhook_inspector.core.indexer import SearchIndexer
from webhook_inspector.core.query import compile_query
from webhook_inspector.core.store import Store, StoreWriter

DEFAULT_PATH = Path("/tmp/webhook-inspector-bench-search.sqlite3")
PAGE = 100
WINDOW_PAGE = 200  # rows the window's search worker asks for (gui/search.py PAGE_ROWS)
HEARTBEAT_S = 0.001
_SCAN = (
    "SELECT c.id FROM captures c JOIN bodies b ON b.id = c.id WHERE {} ORDER BY c.id DESC LIMIT 100"
)
_ANY = "(c.target LIKE ? OR CAST(b.head AS TEXT) LIKE ? OR CAST(b.body AS TEXT) LIKE ?)"

# (label, filter expression, LIKE-scan WHERE, its parameters)
QUERIES: list[tuple[str, str, str, tuple[str, ...]]] = [
    ("common word", "payment", _ANY, ("%payment%",) * 3),
    ("frequent word", "straße", _ANY, ("%straße%",) * 3),
    ("rare word", "chargeback", _ANY, ("%chargeback%",) * 3),
    ("needle (3 hits)", "quarantine", _ANY, ("%quarantine%",) * 3),
    ("absent word", "zyxwvut", _ANY, ("%zyxwvut%",) * 3),
    ("phrase", '"hotfix review"', _ANY, ("%hotfix review%",) * 3),
    ("two words", "refund london", f"{_ANY} AND {_ANY}", ("%refund%",) * 3 + ("%london%",) * 3),
    ("word OR word", "tokyo OR madrid", f"({_ANY} OR {_ANY})",
     ("%tokyo%",) * 3 + ("%madrid%",) * 3),
    ("negated word", "-payment", f"NOT {_ANY}", ("%payment%",) * 3),
    ("2-char term", "東京", _ANY, ("%東京%",) * 3),
    ("2-char absent", "øø", _ANY, ("%øø%",) * 3),
    ("method:", "method:DELETE", "c.method = ?", ("DELETE",)),
    ("status:", "status:4xx", "c.status BETWEEN 400 AND 499", ()),
    ("path: glob", "path:/hooks/github/3*", "c.target GLOB ?", ("/hooks/github/3*",)),
    ("header:=", "header:x-github-event=release", "CAST(b.head AS TEXT) LIKE ?",
     ("%X-GitHub-Event: release%",)),
    ("size:", "size:>2kb", "c.body_size > 2000", ()),
    ("type:", "type:xml", "c.content_type LIKE ?", ("application/xml%",)),
    ("from:", "from:10.0.3.7", "c.remote_ip = ?", ("10.0.3.7",)),
    ("body: substring", "body:warehouse", "CAST(b.body AS TEXT) LIKE ?", ("%warehouse%",)),
    ("word + qualifiers", "refund method:POST -status:4xx",
     f"{_ANY} AND c.method = 'POST' AND NOT c.status BETWEEN 400 AND 499", ("%refund%",) * 3),
    ("rare word + type", "chargeback type:json", f"{_ANY} AND c.content_type LIKE ?",
     ("%chargeback%",) * 3 + ("application/json%",)),
]  # fmt: skip


def build(path: Path, count: int) -> float:
    """Write `count` captures; return the seconds it took."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    start = time.perf_counter()
    writer = StoreWriter(path, lambda capture, cid: b"")
    captures = make_captures(count)
    for offset in range(0, count, 500):
        writer.write_now(captures[offset : offset + 500])
    writer.stop()
    return time.perf_counter() - start


def reset_index(path: Path) -> None:
    """Empty the index so indexing can be timed again on the same captures."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("BEGIN")
    db.execute("INSERT INTO search_fts(search_fts) VALUES ('delete-all')")
    db.execute("DELETE FROM search_kinds")
    db.execute("UPDATE meta SET value = 0 WHERE key = 'indexed_id'")
    db.execute("COMMIT")
    db.execute("VACUUM")
    db.close()


def time_indexing(path: Path) -> tuple[float, int]:
    """Index everything on this thread; return (CPU µs per row, rows)."""
    indexer = SearchIndexer(path)
    cpu = time.thread_time()
    rows = 0
    while done := indexer.run_once():
        rows += done
    cpu = time.thread_time() - cpu
    indexer.stop()
    return cpu / max(rows, 1) * 1e6, rows


def sizes(path: Path) -> tuple[int, int]:
    """(bytes of captures + bodies, bytes of the index tables), from dbstat."""
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    rows = db.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall()
    db.close()
    data = sum(size for name, size in rows if name in ("captures", "bodies"))
    index = sum(size for name, size in rows if name.startswith(("search_fts", "search_kinds")))
    return data, index


def timings(fn, runs: int) -> tuple[float, float, int]:
    """(p50 ms, p95 ms, result count) of `fn` over `runs` runs after one warm-up."""
    result = fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return statistics.median(samples), p95, len(result)


class Heartbeat:
    """A thread that wakes every millisecond and keeps the longest gap between wake-ups."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        last = time.perf_counter()
        while not self._stop.wait(HEARTBEAT_S):
            now = time.perf_counter()
            self.longest = max(self.longest, now - last - HEARTBEAT_S)
            last = now


def window_paths(store: Store, text: str, runs: int) -> tuple[float, float, float, float]:
    """(p95 ms to paint before, p95 ms to paint now, p95 ms of the count after it, GIL gap ms)."""
    query = compile_query(text)
    where, params = query.where()
    old_count = f"SELECT count(*) FROM captures c WHERE ({where})"  # the count before this change

    def before() -> list[object]:
        rows = store.search(query, limit=WINDOW_PAGE)
        store._db.execute(old_count, params).fetchone()
        return rows

    def now() -> list[object]:
        store.last_id()
        return store.search(query, limit=WINDOW_PAGE)

    paged = len(now()) == WINDOW_PAGE  # else the page is its own count
    with Heartbeat() as beat:
        _, old95, _ = timings(before, runs)
        _, new95, _ = timings(now, runs)
        count95 = timings(lambda: [store.count_matching(query)], runs)[1] if paged else 0.0
    return old95, new95, count95, beat.longest * 1000


COLD_LABELS = ("common word", "rare word", "phrase", "header:=", "word + qualifiers", "2-char term")


def evict(path: Path) -> None:
    """Drop the store's files from the page cache, as the machine does after ~30 s untouched."""
    for suffix in ("", "-wal", "-shm"):
        name = Path(f"{path}{suffix}")
        if not name.exists():
            continue
        fd = os.open(name, os.O_RDONLY)
        try:
            os.fsync(fd)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def cold_first_query(path: Path, text: str) -> float:
    """ms for the first search on a store whose pages are on disk only (a fresh connection)."""
    query = compile_query(text)
    evict(path)
    with Store(path) as store:
        t0 = time.perf_counter()
        store.search(query, limit=WINDOW_PAGE)
        return (time.perf_counter() - t0) * 1000


def window_typed_to_painted(path: Path, texts: list[str], runs: int) -> dict[str, float]:
    """p95 ms from a filter applied in the real window to its list painted with the results."""
    import asyncio

    import qasync
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    from webhook_inspector.gui.mainwindow import MainWindow

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication([])
    window = MainWindow(Store(path), "http://127.0.0.1:1/")
    painted: asyncio.Event | None = None

    class PaintAfterReset(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and painted is not None and reset:
                painted.set()
            return False

    reset: list[bool] = []
    window.model.modelReset.connect(lambda: reset.append(True))
    probe = PaintAfterReset()
    window.table.viewport().installEventFilter(probe)
    figures: dict[str, float] = {}

    async def measure() -> None:
        nonlocal painted
        window.show()
        await window.finish_start()
        for text in texts:
            samples = []
            for _ in range(runs):
                window.search.edit.setText("")
                window.search.apply()
                await asyncio.sleep(0.05)
                painted, reset[:] = asyncio.Event(), []
                t0 = time.perf_counter()
                window.search.edit.setText(text)
                window.search.apply()
                await painted.wait()
                samples.append((time.perf_counter() - t0) * 1000)
            samples.sort()
            figures[text] = samples[min(len(samples) - 1, int(len(samples) * 0.95))]

    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
        runner.run(measure())
    window.close()
    return figures


def main() -> None:
    """Build or reuse the store, time indexing and the queries, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--captures", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--db", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--fresh", action="store_true", help="rebuild the store")
    parser.add_argument("--skip-indexing", action="store_true", help="reuse the index as is")
    parser.add_argument("--only", default="", help="time only the queries whose label has this")
    parser.add_argument(
        "--batch", type=int, default=indexer.INDEX_BATCH_ROWS, help="rows per batch"
    )
    args = parser.parse_args()
    indexer.INDEX_BATCH_ROWS = args.batch

    path: Path = args.db
    existing = path.exists() and Store(path).count() == args.captures
    if args.fresh or not existing:
        print(f"building {args.captures} captures in {path} …", flush=True)
        print(f"  written in {build(path, args.captures):.1f} s", flush=True)
    if not (args.skip_indexing or args.only) or Store(path).indexed_id() < args.captures:
        reset_index(path)
        us_per_row, rows = time_indexing(path)
        print(
            f"indexing: {us_per_row:.0f} µs CPU per capture over {rows} captures"
            f" (batches of {args.batch})"
        )
    data, index = sizes(path)
    print(
        f"data {data / 1e6:.1f} MB, index {index / 1e6:.1f} MB ({index / data * 100:.0f} % of data)"
    )

    store = Store(path)
    scan = sqlite3.connect(path)
    print(f"\n{'query':20} {'expression':34} {'hits':>5} {'p50 ms':>7} {'p95 ms':>7}"
          f" {'LIKE p50':>9} {'LIKE p95':>9} {'speed-up':>8}")  # fmt: skip
    worst3 = worst2 = 0.0
    speedups = []
    for label, text, where, params in [q for q in QUERIES if args.only in q[0]]:
        query = compile_query(text)
        p50, p95, hits = timings(lambda q=query: store.search(q, limit=PAGE), args.runs)
        sql = _SCAN.format(where)
        l50, l95, _ = timings(lambda s=sql, p=params: scan.execute(s, p).fetchall(), args.runs)
        short = label.startswith("2-char")
        if short:
            worst2 = max(worst2, p95)
        else:
            worst3 = max(worst3, p95)
        speedups.append(l50 / p50)
        print(f"{label:20} {text:34} {hits:5} {p50:7.1f} {p95:7.1f} {l50:9.1f} {l95:9.1f}"
              f" {l50 / p50:7.1f}×")  # fmt: skip
    short_terms = [(lb, text) for lb, text, _, _ in QUERIES if lb.startswith("2-char")]
    print(f"\nthe window's path for 2-char terms (first page of {WINDOW_PAGE}), p95 ms:")
    print(f"{'query':20} {'expression':12} {'painted before':>15} {'painted now':>12}"
          f" {'count after':>12} {'GIL gap':>8}")  # fmt: skip
    worst_paint = worst_gap = 0.0
    for label, text in short_terms:
        old95, new95, count95, gap = window_paths(store, text, args.runs)
        worst_paint, worst_gap = max(worst_paint, new95), max(worst_gap, gap)
        print(f"{label:20} {text:12} {old95:15.1f} {new95:12.1f} {count95:12.1f} {gap:8.1f}")
    texts = [text for lb, text, _, _ in QUERIES if args.only in lb]
    window_runs = max(5, args.runs // 2)
    typed = window_typed_to_painted(path, texts, window_runs)
    print(f"\nin the window: filter applied → list painted, p95 ms ({window_runs} runs):")
    for text, ms in typed.items():
        print(f"  {text:34} {ms:7.1f}")
    cold = [(lb, text, cold_first_query(path, text)) for lb, text, _, _ in QUERIES
            if lb in COLD_LABELS and args.only in lb]  # fmt: skip
    if cold:
        print(f"\nthe first query cold (store evicted from the page cache; page of {WINDOW_PAGE}):")
        for label, text, ms in cold:
            print(f"{label:20} {text:34} {ms:7.1f} ms")
    count_query = compile_query("payment")
    c50, c95, _ = timings(lambda: [store.count_matching(count_query)], max(3, args.runs // 4))
    print(f"{'count (common word)':20} {'payment':34} {'':5} {c50:7.1f} {c95:7.1f}")
    print(
        f"\nsummary: worst p95 {worst3 or float('nan'):.1f} ms for 3+-char queries,"
        f" {worst2:.1f} ms for 2-char"
        f" (window: painted ≤ {worst_paint:.1f} ms, GIL gap ≤ {worst_gap:.1f} ms);"
        f" cold first query ≤ {max((ms for *_, ms in cold), default=0):.0f} ms;"
        f" window typed → painted ≤ {max(typed.values(), default=0):.0f} ms p95;"
        f" median speed-up over LIKE {statistics.median(speedups or [0]):.1f}×; index"
        f" {index / data * 100:.0f} % of data; {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
