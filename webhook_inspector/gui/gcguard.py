"""Run Python's cyclic garbage collector on the GUI thread only.

The collector runs in whichever thread happens to allocate when a threshold is crossed. With a
capture service, an indexer and a store writer allocating on their own threads, a cycle that
holds Qt objects (a closed window, a dialog and its lambdas) could be collected there, and
deleting Qt objects off their thread crashed the process (measured: a segfault under 1000 req/s
during "Garbage-collecting" on the capture thread). So automatic collection is switched off and a
timer on the GUI thread collects with the same generation thresholds.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer, Slot

CHECK_INTERVAL_MS = 100


class MainThreadGC(QObject):
    """Disables automatic collection while alive; collects from a GUI-thread timer instead."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        self.collections = 0
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_INTERVAL_MS)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    @Slot()
    def check(self) -> None:
        """Collect the generations whose counts passed their thresholds, as CPython would."""
        young, middle, old = gc.get_count()
        first, second, third = self.thresholds
        if young > first:
            generation = 2 if middle > second and old > third else 1 if middle > second else 0
            gc.collect(generation)
            self.collections += 1

    def freeze(self) -> None:
        """Move everything alive now (modules, the window) out of the collector's sight.

        Full collections then walk only what was allocated later, so one on the GUI thread
        does not stall it for the whole heap's worth of objects.
        """
        gc.collect()
        gc.freeze()

    def stop(self) -> None:
        """Give collection back to the interpreter."""
        self._timer.stop()
        gc.unfreeze()
        if self._was_enabled:
            gc.enable()
