"""The capture list model: pages summaries from the store and batches live inserts."""

from __future__ import annotations

import enum
import logging
import threading
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QModelRoleDataSpan,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor

from webhook_inspector.core.model import CapturedRequest, CaptureSummary, Outcome
from webhook_inspector.core.sizes import human_size
from webhook_inspector.core.store import Store

if TYPE_CHECKING:
    from webhook_inspector.core.query import Query

log = logging.getLogger(__name__)

PAGE_ROWS = 200
FLUSH_INTERVAL_MS = 100  # at most 10 inserts a second, whatever the request rate
LIVE_READ_ROWS = 100_000  # rows one live read takes at most (a big import in another process)
ERROR_COLOR = QColor(200, 60, 60)
TEXT_CACHE_ROWS = 2000  # formatting a time per paint per cell is most of a page's cost

Index = QModelIndex | QPersistentModelIndex


class Role(enum.IntEnum):
    """Custom data roles."""

    SUMMARY = Qt.ItemDataRole.UserRole + 1
    CAPTURE_ID = Qt.ItemDataRole.UserRole + 2


class Column(enum.IntEnum):
    """The list's columns, in order."""

    TIME = 0
    METHOD = 1
    PATH = 2
    STATUS = 3
    SIZE = 4
    TYPE = 5
    OUTCOME = 6
    SIGNATURE = 7


_DISPLAY = Qt.ItemDataRole.DisplayRole.value
_FOREGROUND = Qt.ItemDataRole.ForegroundRole.value
_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole.value
_SUMMARY = Role.SUMMARY.value
_CAPTURE_ID = Role.CAPTURE_ID.value
_ANSWERED_ROLES = frozenset({_DISPLAY, _FOREGROUND, _ALIGNMENT, _SUMMARY, _CAPTURE_ID})
_RIGHT_ALIGNED = (Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value
_RIGHT_COLUMNS = frozenset({Column.STATUS.value, Column.SIZE.value})
_SIGNATURE_COLUMN = Column.SIGNATURE.value

HEADERS = ("Time", "Method", "Path", "Status", "Size", "Content type", "Outcome", "Signature")
SIGNATURE_MARKS = {"valid": "✓ valid", "invalid": "✗ invalid", "missing": "– missing"}
# Text colours are answered as QColor, which the delegate takes as a brush: building the first
# QBrush in Python creates QGradient's enums (its ~180 presets), ~8 ms of start-up.
SIGNATURE_COLORS = {"valid": QColor(30, 150, 70), "invalid": QColor(200, 60, 60)}


def _one_line(text: str) -> str:
    # A path is data: keep it on one row whatever control characters it carries.
    return text.translate({c: "\ufffd" for c in range(32)})


class CaptureBridge(QObject):
    """Tells the GUI thread that captures were committed (queued signal), once per batch.

    After a signal, later captures are only left in the store until a reader calls `rearm()`
    (the list does so before each read of new rows): 1000 req/s cost the GUI thread a handful
    of calls a second, not a thousand, each of which had to win the GIL from the capture threads.

    Signals: captured(int) — captures from this id on were committed.
    """

    captured = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._armed = True

    def on_capture(self, capture_id: int, capture: CapturedRequest) -> None:
        """Service observer: runs on the service thread, emits across threads when armed."""
        with self._lock:
            if not self._armed:
                return
            self._armed = False
        self.captured.emit(capture_id)

    def rearm(self) -> None:
        """Signal the next capture again: call before reading the store for new captures."""
        with self._lock:
            self._armed = True


class CaptureListModel(QAbstractTableModel):
    """Newest-first summaries: older pages on demand, new captures in batches at the top."""

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._rows: list[CaptureSummary] = []
        self._exhausted = False
        self.total = 0  # captures in the store, kept current without counting again
        self._texts: dict[int, tuple[str, ...]] = {}  # display strings of rows painted lately
        self._broken: set[int] = set()  # captures whose row failed to render (logged once)
        # With a filter, rows come from searches run off the UI thread: `page_loader(query,
        # before_id)` is asked for the next page and answers through `append_page`.
        self.query: Query | None = None
        self.page_loader: Callable[[Query, int | None], None] | None = None
        self._loading = False
        # Every capture up to this id has been looked at (shown, or left out by the filter):
        # live reads start above it, whatever order the captures were announced in.
        self._seen_upto = 0
        self._bridges: list[CaptureBridge] = []
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.timeout.connect(self._flush)
        self.reload()

    # loading

    def reload(self) -> None:
        """Drop every row (and the filter) and load the newest page again."""
        self.query = None
        self._loading = False
        self.beginResetModel()
        self.total = self._store.count()
        self._rows = self._store.summaries(limit=PAGE_ROWS)
        self._exhausted = len(self._rows) < PAGE_ROWS
        self._seen_upto = self._rows[0].id if self._rows else 0
        self.endResetModel()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        """True while older captures remain in the store."""
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        """Append the next older page (keyset: ids below the oldest row)."""
        if parent.isValid():
            return
        if self.query is None:
            self._fetch(PAGE_ROWS)
        elif self.page_loader is not None and not self._loading and not self._exhausted:
            self._loading = True
            self.page_loader(self.query, self._rows[-1].id if self._rows else None)

    def show_page(self, query: Query, rows: list[CaptureSummary], exhausted: bool,
                  total: int, upto_id: int) -> None:  # fmt: skip
        """Show the first page of a search (rows from a worker), replacing every row.

        `upto_id` is the newest capture the search could see (the page's `upto_id`).
        """
        self.beginResetModel()
        self.query = query
        self._rows = list(rows)
        self._exhausted = exhausted
        self._loading = False
        self.total = total
        self._seen_upto = upto_id
        self.endResetModel()

    def append_page(self, query: Query, rows: list[CaptureSummary], exhausted: bool) -> None:
        """Append a later page of the current search; pages of an older search are dropped."""
        if query is not self.query:
            return
        self._loading = False
        self._exhausted = exhausted
        if rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()

    def page_failed(self, query: Query) -> None:
        """A page load failed or was interrupted: allow asking again."""
        if query is self.query:
            self._loading = False

    def fetch_to(self, row: int) -> None:
        """Load every row up to `row` in one query (a jump far down the list, unfiltered)."""
        if row >= len(self._rows) and self.query is None:
            self._fetch(row + 1 - len(self._rows))

    def _fetch(self, count: int) -> None:
        if self._exhausted:
            return
        before = self._rows[-1].id if self._rows else None
        page = self._store.summaries(limit=count, before_id=before)
        self._exhausted = len(page) < count
        if page:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
            self._rows.extend(page)
            self.endInsertRows()

    def follow(self, bridge: CaptureBridge) -> None:
        """Show the captures `bridge` announces (and rearm it each time new rows are read)."""
        self._bridges.append(bridge)
        bridge.captured.connect(self.on_captured)
        bridge.rearm()  # a signal sent before this went to nobody

    @Slot(int)
    def on_captured(self, capture_id: int) -> None:
        """Note new captures; rows are inserted at most every FLUSH_INTERVAL_MS."""
        if not self._flush_timer.isActive():
            self._flush_timer.start(FLUSH_INTERVAL_MS)

    def _flush(self) -> None:
        # Only what was committed since the last look, up to the newest id now: a filter that
        # matched nothing must not make this rescan the whole store on the UI thread. Ids are
        # committed in order by one writer, but may be announced out of order (a forwarded
        # capture is announced with its target's answer): the watermark does not depend on it.
        for bridge in self._bridges:  # before the read: a capture committed after it signals
            bridge.rearm()
        after, upto = self._seen_upto, self._store.last_id()
        fresh = self._store.summaries_after(after, LIVE_READ_ROWS, self.query, upto_id=upto)
        # A read cut short by its limit has looked only up to its last row: the next goes on.
        full = len(fresh) == LIVE_READ_ROWS
        self._seen_upto = fresh[-1].id if full else max(after, upto)
        if full:
            self._flush_timer.start(FLUSH_INTERVAL_MS)
        if not fresh:
            return
        fresh.reverse()  # newest first, like the rows below them
        self.total += len(fresh)
        self.beginInsertRows(QModelIndex(), 0, len(fresh) - 1)
        self._rows[:0] = fresh
        self.endInsertRows()

    def remove_ids(self, ids: set[int]) -> None:
        """Drop rows whose captures were deleted, one contiguous run at a time."""
        row = len(self._rows) - 1
        while row >= 0:
            if self._rows[row].id in ids:
                end = row
                while row - 1 >= 0 and self._rows[row - 1].id in ids:
                    row -= 1
                self.beginRemoveRows(QModelIndex(), row, end)
                del self._rows[row : end + 1]
                self.endRemoveRows()
            row -= 1

    # Qt model API

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Rows loaded so far."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Fixed columns."""
        return 0 if parent.isValid() else len(Column)

    def rows_newer_than(self, capture_id: int) -> int:
        """How many listed rows have ids above `capture_id` (they are at the top)."""
        count = 0
        for s in self._rows:
            if s.id <= capture_id:
                break
            count += 1
        return count

    def summary(self, row: int) -> CaptureSummary:
        """The summary shown in `row`."""
        return self._rows[row]

    def row_of(self, capture_id: int) -> int | None:
        """The row showing `capture_id`, if loaded."""
        for row, summary in enumerate(self._rows):
            if summary.id == capture_id:
                return row
        return None

    def data(self, index: Index, role: int = _DISPLAY) -> object:
        """Display text per column; the summary and id under their own roles."""
        if role not in _ANSWERED_ROLES:
            return None
        row = index.row()
        if not 0 <= row < len(self._rows):
            return None
        s = self._rows[row]
        if role == _DISPLAY:
            try:
                return self._texts_of(s)[index.column()]
            except Exception:  # as in multiData
                self._report_broken(s)
                return None
        if role == _FOREGROUND:
            return self._color(s, index.column())
        if role == _ALIGNMENT:
            return _RIGHT_ALIGNED if index.column() in _RIGHT_COLUMNS else None
        return s if role == _SUMMARY else s.id

    def multiData(self, index: Index, roleDataSpan: QModelRoleDataSpan) -> None:
        """Every role a delegate asks of one cell, in one call (Qt's view paints through this).

        A paint would otherwise call data() ~7 times per visible cell, each a call from C++ into
        Python that must take the GIL back from the capture threads: under 1000 req/s that
        made a repaint of the list 4x slower than on an idle machine.
        """
        row = index.row()
        if not 0 <= row < len(self._rows):
            return
        try:
            self._fill(self._rows[row], index.column(), roleDataSpan)
        except Exception:  # never out of a paint: every later cell's call would fail with it
            self._report_broken(self._rows[row])
            for i in range(len(roleDataSpan)):
                roleDataSpan[i].clearData()

    def _report_broken(self, s: CaptureSummary) -> None:
        """Log (once per capture) the exception that kept a row from being shown."""
        if s.id not in self._broken:
            self._broken.add(s.id)
            log.exception("capture %d could not be shown in the list", s.id)

    def _fill(self, s: CaptureSummary, column: int, roleDataSpan: QModelRoleDataSpan) -> None:
        for i in range(len(roleDataSpan)):
            item = roleDataSpan[i]
            role = item.role()
            value: object = None
            if role == _DISPLAY:
                value = self._texts_of(s)[column]
            elif role == _FOREGROUND:
                value = self._color(s, column)
            elif role == _ALIGNMENT and column in _RIGHT_COLUMNS:
                value = _RIGHT_ALIGNED
            elif role == _SUMMARY:
                value = s
            elif role == _CAPTURE_ID:
                value = s.id
            if value is None:
                item.clearData()  # the delegate reuses its array: a role left alone keeps the
            else:  # previous cell's value (measured: every column came out right-aligned)
                item.setData(value)

    def _texts_of(self, s: CaptureSummary) -> tuple[str, ...]:
        texts = self._texts.get(s.id)
        if texts is None:
            if len(self._texts) > TEXT_CACHE_ROWS:
                self._texts.clear()
            texts = self._texts[s.id] = tuple(self._display(s, c) for c in Column)
        return texts

    @staticmethod
    def _color(s: CaptureSummary, column: int) -> QColor | None:
        if column == _SIGNATURE_COLUMN and s.signature in SIGNATURE_COLORS:
            return SIGNATURE_COLORS[s.signature]
        return None if s.outcome is Outcome.CAPTURED else ERROR_COLOR

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        """Column titles."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section] if 0 <= section < len(HEADERS) else None
        return None

    @staticmethod
    def _display(s: CaptureSummary, column: Column) -> str:
        if column == Column.TIME:
            try:
                moment = datetime.fromtimestamp(s.received_at_us / 1e6)
            except (OverflowError, OSError, ValueError):  # an imported time out of range
                return "—"
            return moment.strftime("%H:%M:%S.%f")[:-3]
        if column == Column.METHOD:
            return _one_line(s.method) or "—"
        if column == Column.PATH:
            return _one_line(s.target[:500]) or "—"
        if column == Column.STATUS:
            return str(s.status)
        if column == Column.SIZE:
            return human_size(s.body_size)
        if column == Column.TYPE:
            return _one_line(s.content_type.split(";")[0][:80])
        if column == Column.SIGNATURE:
            return SIGNATURE_MARKS.get(s.signature, "")
        return "captured" if s.outcome == Outcome.CAPTURED else f"{s.outcome}"
