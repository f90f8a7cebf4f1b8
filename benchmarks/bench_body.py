"""Select a 10 MB JSON body in the body view, offscreen: how soon it shows, colours, and stalls.

Run as `.venv/bin/python benchmarks/bench_body.py [--rounds N]`.

Figures per variant: first text (set_body → first paint), first coloured screen (→ first paint
with formats on the top block), all highlighted (→ the view's `highlighted` signal), and the
longest gap of a 10 ms heartbeat timer (the longest UI stall). Baselines in the same run: the same
view with the lexer on a Python thread instead of worker processes (the trap DESIGN §6 measured),
and a bare QPlainTextEdit.setPlainText of the whole text. A second table shows what lexing costs
inline by size, which sets INLINE_LEX_CHARS. Nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import time
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, field

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

HEARTBEAT_MS = 10
SETTLE_S = 0.3
TIMEOUT_S = 60.0
BODY_MB = 10


def pretty_json(megabytes: float) -> str:
    """A list of webhook-like records, indented: ~13 characters a line."""
    rng = random.Random(1)
    items, size, n = [], 0, 0
    while size < megabytes * 1_000_000:
        item = {
            "id": n, "event": "order.updated", "name": f"item {n} ✓", "price": rng.random() * 100,
            "tags": ["a", "b", "c"], "active": n % 2 == 0, "nested": {"x": None, "y": [1, 2, 3]},
        }  # fmt: skip
        items.append(item)
        size += 230
        n += 1
    return json.dumps(items, indent=2, ensure_ascii=False)


@dataclass
class Run:
    """One selection of a body in one variant."""

    variant: str
    body: str
    first_text_ms: float = float("nan")
    first_colour_ms: float = float("nan")
    all_ms: float = float("nan")
    gaps_ms: list[float] = field(default_factory=list)

    @property
    def stall_ms(self) -> float:
        """The longest heartbeat gap."""
        return max(self.gaps_ms, default=float("nan"))


async def measure(
    variant: str, body_name: str, text: str, make_view: Callable, show: Callable
) -> Run:
    """Show `text` in a fresh view and time it against a heartbeat timer."""
    from PySide6.QtCore import QEvent, QObject, Qt, QTimer

    run = Run(variant, body_name)
    view, done = make_view()
    view.resize(900, 700)
    view.show()
    await asyncio.sleep(SETTLE_S)
    started = 0.0

    class PaintWatch(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and started:
                now = (time.perf_counter() - started) * 1000
                if run.first_text_ms != run.first_text_ms and view.document().characterCount() > 1:
                    run.first_text_ms = now
                block = view.firstVisibleBlock()
                if run.first_colour_ms != run.first_colour_ms and block.layout().formats():
                    run.first_colour_ms = now
            return False

    watch = PaintWatch()
    view.viewport().installEventFilter(watch)
    last = [0.0]

    def beat() -> None:
        now = time.perf_counter()
        if last[0]:
            run.gaps_ms.append((now - last[0]) * 1000)
        last[0] = now

    heartbeat = QTimer()
    heartbeat.setTimerType(Qt.TimerType.PreciseTimer)
    heartbeat.setInterval(HEARTBEAT_MS)
    heartbeat.timeout.connect(beat)
    heartbeat.start()
    await asyncio.sleep(0.05)
    started = time.perf_counter()
    show(view, text)
    try:
        await asyncio.wait_for(done.wait(), TIMEOUT_S)
        run.all_ms = (time.perf_counter() - started) * 1000
    except TimeoutError:
        pass
    await asyncio.sleep(0.2)
    heartbeat.stop()
    view.viewport().removeEventFilter(watch)
    view.close()
    view.deleteLater()
    return run


def thread_highlighter() -> object:
    """The baseline: the same pieces, lexed on a Python thread pool in this process."""
    from webhook_inspector.core.highlightpool import Highlighter

    class ThreadHighlighter(Highlighter):
        def _executor(self) -> Executor:  # type: ignore[override]
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self._workers)  # type: ignore[assignment]
            return self._pool  # type: ignore[return-value]

    return ThreadHighlighter()


def lex_table() -> list[tuple[str, int, float]]:
    """Inline lexing cost by lexer and size (median of 5)."""
    from webhook_inspector.core.highlight import lex_blocks, split_blocks

    xml_unit = '<order id="1" state="paid"><item sku="a-1">Tea &amp; cake</item></order>\n'
    sources = {
        "json": pretty_json(0.3),
        "xml": xml_unit * 5000,
        "javascript": "let x = {a: 1};\n" * 20000,
    }
    rows = []
    for lexer, source in sources.items():
        for size in (8_000, 32_000, 64_000, 128_000):
            text = source[:size]
            blocks = split_blocks(text)
            times = []
            for _ in range(5):
                t = time.perf_counter()
                lex_blocks(lexer, text, blocks, 0, len(blocks))
                times.append((time.perf_counter() - t) * 1000)
            rows.append((lexer, size, statistics.median(times)))
    return rows


async def main(rounds: int) -> list[Run]:
    """Interleave the variants `rounds` times on both bodies."""
    from PySide6.QtWidgets import QPlainTextEdit

    from webhook_inspector.core.highlightpool import Highlighter
    from webhook_inspector.gui.bodyview import BodyView

    bodies = {"pretty": pretty_json(BODY_MB)}
    bodies["one line"] = json.dumps(json.loads(bodies["pretty"]), ensure_ascii=False)
    runs: list[Run] = []
    pool = Highlighter()

    def body_view(highlighter: object) -> Callable:
        def make() -> tuple[BodyView, asyncio.Event]:
            view = BodyView(highlighter)  # type: ignore[arg-type]
            done = asyncio.Event()
            view.highlighted.connect(done.set)
            return view, done

        return make

    def plain_view() -> tuple[QPlainTextEdit, asyncio.Event]:
        view = QPlainTextEdit()
        view.setReadOnly(True)
        view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        return view, asyncio.Event()

    def set_plain(view: QPlainTextEdit, text: str) -> None:
        view.setPlainText(text)
        asyncio.get_running_loop().call_soon(done_plain.set)

    done_plain = asyncio.Event()

    def set_body(view: BodyView, text: str) -> None:
        view.set_body(text, "application/json")

    cold = Highlighter()
    pretty = bodies["pretty"]
    runs.append(await measure("processes, cold pool", "pretty", pretty, body_view(cold), set_body))
    cold.close()
    threads = thread_highlighter()
    for _ in range(rounds):
        for name, text in bodies.items():
            runs.append(await measure("processes (ours)", name, text, body_view(pool), set_body))
            runs.append(await measure("python threads", name, text, body_view(threads), set_body))

    def plain_make() -> tuple[QPlainTextEdit, asyncio.Event]:
        view, _ = plain_view()
        done_plain.clear()
        return view, done_plain

    runs.append(await measure("setPlainText, no colour", "pretty", pretty, plain_make, set_plain))
    pool.close()
    threads.close()  # type: ignore[attr-defined]
    return runs


def print_tables(runs: list[Run], lexing: list[tuple[str, int, float]]) -> None:
    """The figures, one row per variant and body (medians over rounds)."""
    print(f"{'variant':<24} {'body':<9} {'n':>2} {'first text':>11} {'first colour':>13} "
          f"{'all':>8} {'stall':>7} {'p99 gap':>8}")  # fmt: skip
    groups: dict[tuple[str, str], list[Run]] = {}
    for run in runs:
        groups.setdefault((run.variant, run.body), []).append(run)
    for (variant, body), group in groups.items():

        def med(get: Callable[[Run], float], group: list[Run] = group) -> float:
            return statistics.median(get(r) for r in group)

        p99 = med(lambda r: sorted(r.gaps_ms)[int(len(r.gaps_ms) * 0.99)] if r.gaps_ms else 0.0)
        print(f"{variant:<24} {body:<9} {len(group):>2} {med(lambda r: r.first_text_ms):>8.0f} ms "
              f"{med(lambda r: r.first_colour_ms):>10.0f} ms {med(lambda r: r.all_ms):>5.0f} ms "
              f"{med(lambda r: r.stall_ms):>4.0f} ms {p99:>5.0f} ms")  # fmt: skip
    print()
    print(f"{'inline lexing':<14} {'chars':>8} {'ms':>7}")
    for lexer, size, ms in lexing:
        print(f"{lexer:<14} {size:>8} {ms:>7.1f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()

    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    with asyncio.Runner(loop_factory=qasync.QEventLoop) as runner:
        results = runner.run(main(args.rounds))
    print_tables(results, lex_table())
    ours = [r for r in results if r.variant == "processes (ours)" and r.body == "pretty"]
    threads = [r for r in results if r.variant == "python threads" and r.body == "pretty"]

    def med(runs: list[Run], get: Callable[[Run], float]) -> float:
        return statistics.median(get(r) for r in runs)

    print(
        f"\nbench_body: {BODY_MB} MB JSON: first text {med(ours, lambda r: r.first_text_ms):.0f}"
        " ms,"
        f" first coloured screen {med(ours, lambda r: r.first_colour_ms):.0f} ms,"
        f" all highlighted {med(ours, lambda r: r.all_ms):.0f} ms,"
        f" longest stall {med(ours, lambda r: r.stall_ms):.0f} ms"
        f" (Python-thread lexer: {med(threads, lambda r: r.stall_ms):.0f} ms)"
    )
