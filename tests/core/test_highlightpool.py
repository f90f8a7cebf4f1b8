"""The highlighting pool: same spans as inline lexing, and nothing heavy imported up front."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from array import array
from concurrent.futures import ThreadPoolExecutor

from webhook_inspector.core.highlight import SpanIndex, lex_blocks, plan_pieces, split_blocks
from webhook_inspector.core.highlightpool import Highlighter


def _run_on_plain_asyncio(coro):
    """Run `coro` with asyncio.run on a fresh thread: core code runs on any loop.

    (Not the session's qasync loop: once that exists, asyncio.run in later tests would fail.)
    """
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coro).result(timeout=60)


def test_the_worker_pool_gives_the_same_spans_as_inline():
    records = [{"id": n, "name": f"n{n} ✓", "ok": n % 2 == 0} for n in range(30_000)]
    text = json.dumps(records, indent=2, ensure_ascii=False)
    blocks = split_blocks(text)
    inline = lex_blocks("json", text, blocks, 0, len(blocks))
    highlighter = Highlighter(workers=2)

    async def collect():
        return [chunk async for chunk in highlighter.chunks("json", text, blocks)]

    try:
        chunks = _run_on_plain_asyncio(collect())
    finally:
        highlighter.close()
    assert len(chunks) == len(plan_pieces("json", blocks)) > 1
    index = SpanIndex(len(blocks))
    for chunk in chunks:
        assert isinstance(chunk.columns, array)
        index.add(chunk)
    for b in range(len(blocks)):
        assert index.spans(b) == inline.block_spans(b), b


def test_creating_a_highlighter_loads_neither_pygments_nor_multiprocessing():
    code = (
        "import sys\nfrom webhook_inspector.core.highlightpool import Highlighter\n"
        "Highlighter().close()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pygments', 'multiprocessing')"
        " or m == 'webhook_inspector.core.highlight'))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
