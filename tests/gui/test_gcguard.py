"""Cyclic garbage is collected on the GUI thread's timer, never by whichever thread allocates."""

from __future__ import annotations

import gc
import weakref

from webhook_inspector.gui.gcguard import CHECK_INTERVAL_MS, MainThreadGC


class _Node:
    """A cycle that only the cyclic collector can free."""

    def __init__(self) -> None:
        self.me = self


def test_collection_moves_to_the_timer(qtbot):
    was_enabled = gc.isenabled()
    guard = MainThreadGC()
    try:
        assert not gc.isenabled()
        node = _Node()
        gone = weakref.ref(node)
        del node
        for _ in range(guard.thresholds[0] + 10):  # enough allocations to pass the threshold
            _Node()
        qtbot.wait(5 * CHECK_INTERVAL_MS)  # a few timer turns
        assert gone() is None
        assert guard.collections >= 1
        guard.freeze()
        assert gc.get_freeze_count() > 0
    finally:
        guard.stop()
    assert gc.isenabled() == was_enabled and gc.get_freeze_count() == 0
