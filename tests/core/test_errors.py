"""Error helpers."""

from __future__ import annotations

from webhook_inspector.core.errors import QueryInterrupted, StoreError, interrupted


def test_interrupted_is_told_apart():
    assert interrupted(QueryInterrupted("search stopped"))
    assert interrupted(StoreError("search failed: interrupted"))
    assert not interrupted(StoreError("database is locked"))
