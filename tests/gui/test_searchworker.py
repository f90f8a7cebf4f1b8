"""The search worker: pages and counts on its own thread and connection."""

from __future__ import annotations

from webhook_inspector.core.query import compile_query
from webhook_inspector.gui.searchworker import SearchWorker

from conftest import fill_store


def test_worker_counts_only_when_the_first_page_cannot(qtbot, qloop, tmp_path):
    def arun(coro):
        task = qloop.create_task(coro)
        qtbot.wait_until(task.done, timeout=5000)
        return task.result()

    path = tmp_path / "w.sqlite3"
    fill_store(path, 450)
    worker = SearchWorker(path)
    try:
        few = arun(worker.page(compile_query("/4")))  # /4, /40-/49, /400-/449
        assert few.exhausted and few.total == len(few.rows) == 61
        query = compile_query("pi")
        page = arun(worker.page(query))
        assert page.total is None and len(page.rows) == 200 and page.upto_id == 450
        fill_store(path, 5)  # live captures after the page: counted as they are shown
        assert arun(worker.count(query, page.upto_id)) == 450
        assert arun(worker.count(query, 455)) == 455
    finally:
        worker.close()
