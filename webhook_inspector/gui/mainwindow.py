"""The main window: listener bar, message bar, live capture list, detail tabs, status bar."""

from __future__ import annotations

import importlib
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QEvent, QItemSelection, QModelIndex, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QApplication,
    QLineEdit,
    QMainWindow,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QStatusBar,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from webhook_inspector.core.errors import InspectorError, NotFoundError, interrupted
from webhook_inspector.core.model import CapturedRequest, Exchange, OutgoingRequest
from webhook_inspector.core.store import Store
from webhook_inspector.core.tasks import spawn, to_thread

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDockWidget

    from webhook_inspector.core.highlightpool import Highlighter
    from webhook_inspector.core.query import Query
    from webhook_inspector.core.samples import Sample
    from webhook_inspector.core.sender import Sender
    from webhook_inspector.core.verification import Profile
    from webhook_inspector.gui.collectionpanel import CollectionPanel
    from webhook_inspector.gui.composer import Composer
    from webhook_inspector.gui.detailview import DetailView
    from webhook_inspector.gui.listenercontrol import ListenerControl
    from webhook_inspector.gui.searchworker import Page, SearchWorker
from webhook_inspector.gui.capturemodel import CaptureListModel, Role
from webhook_inspector.gui.capturetable import CaptureTable
from webhook_inspector.gui.emptystate import EmptyState
from webhook_inspector.gui.messages import Level, MessageBar
from webhook_inspector.gui.search import SearchBox
from webhook_inspector.gui.settings import THEMES, Settings
from webhook_inspector.gui.textviews import plain_label
from webhook_inspector.gui.theme import apply_theme, is_dark

_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
_EXTENSIONS = {"json": ".json", "xml": ".xml", "html": ".html", "form": ".txt", "text": ".txt",
               "multipart": ".bin", "image": "", "binary": ".bin", "empty": ".bin"}  # fmt: skip
_IMAGE_EXTENSIONS = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif",
                     "image/webp": ".webp", "image/svg+xml": ".svg"}  # fmt: skip


def body_file_name(capture: CapturedRequest, kind: str) -> str:
    """A safe base name for saving a body: the path's last segment, never a path."""
    last = capture.decoded_path.rstrip("/").rpartition("/")[2]
    stem = _UNSAFE_NAME.sub("_", last).strip("._")[:60] or "body"
    mime = capture.content_type.split(";")[0].strip().lower()
    suffix = _IMAGE_EXTENSIONS.get(mime, ".bin") if kind == "image" else _EXTENSIONS.get(kind, "")
    return f"capture-{capture.id}-{stem}{suffix}"


T = TypeVar("T")

# Modules the first paint goes without, imported on a thread right after it (finish_start).
AFTER_FIRST_PAINT = (
    "webhook_inspector.gui.detailview",
    "webhook_inspector.core.query",
    "webhook_inspector.gui.searchworker",
)


def _import_all(names: tuple[str, ...]) -> None:
    for name in names:
        importlib.import_module(name)


def _with_store(path: Path, work: Callable[[Store], T]) -> T:
    """Run `work` on a connection of its own (for worker threads: connections stay put)."""
    with Store(path) as store:
        return work(store)


class MainWindow(QMainWindow):
    """The window people open: requests arrive in the list, a click shows one whole.

    Signals: first_painted() — the window is on screen (start-up continues from there);
    closed() — the user closed it (the app shuts down).
    """

    first_painted = Signal()
    closed = Signal()

    def __init__(
        self,
        store: Store,
        url: str = "",
        *,
        control: ListenerControl | None = None,
        settings: Settings | None = None,
        sample: Sample | None = None,
        highlighter: Highlighter | None = None,
        listen_on: tuple[str, int] | None = None,
    ) -> None:
        """`listen_on` (host, port): the app will attach a listener there after the first paint."""
        super().__init__()
        self.setWindowTitle("Webhook Inspector")
        self.setObjectName("mainWindow")
        self.resize(1200, 760)
        self._store = store
        self._control: ListenerControl | None = None
        self._settings = settings
        self.is_closed = False
        self._sample = sample
        self._resend_base: str | None = None
        self._listening = bool(url)
        self.model = CaptureListModel(store, self)

        self._build_listener_bar(url)
        self._build_actions()
        self.messages = MessageBar()

        self.table = CaptureTable(self.model)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)

        self.empty = EmptyState(sample)
        self.empty.set_url(url)
        self.empty.send_sample.connect(self._send_sample)
        self.list_stack = QStackedWidget()
        self.list_stack.setObjectName("listStack")
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.empty)

        # The detail view (and pygments behind it) is built after the first paint, or when first
        # used: until then an empty pane holds its place in the splitter.
        self._highlighter = highlighter
        self._detail: DetailView | None = None
        self._detail_slot = QWidget()
        self._detail_slot.setObjectName("detailPlaceholder")
        self.composer: Composer | None = None
        self.composer_dock: QDockWidget | None = None
        self.collection: CollectionPanel | None = None
        self.collection_dock: QDockWidget | None = None
        self.setAcceptDrops(True)
        self._sender: Sender | None = None
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("mainSplitter")
        self.search = SearchBox(settings)
        self.search.query_changed.connect(self._on_query)
        self._search_worker: SearchWorker | None = None
        self._search_generation = 0
        self._count_pending = False  # a search's list is shown, its count still running
        self._counted_page: Page | None = None  # the page whose count is running
        self._names_loaded = False
        self.model.page_loader = self._load_page
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.setSpacing(4)
        top_layout.addWidget(self.search)
        top_layout.addWidget(self.list_stack, 1)
        self.splitter.addWidget(top)
        self.splitter.addWidget(self._detail_slot)
        self.splitter.setSizes([320, 440])
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.messages)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self.count_label = plain_label(name="captureCount")
        self.state_label = plain_label(name="listenerState")
        self.error_label = plain_label(name="errorCount")
        self.error_label.hide()
        self.errors: list[str] = []
        status = QStatusBar()
        status.addPermanentWidget(self.error_label)
        status.addPermanentWidget(self.state_label)
        status.addPermanentWidget(self.count_label)
        self.setStatusBar(status)
        self.model.rowsInserted.connect(self._on_rows_inserted)
        self.model.rowsRemoved.connect(self._update_count)
        self.model.modelReset.connect(self._update_count)
        self._update_count()
        self._on_listener_state(url)
        if listen_on is not None:
            self.host_field.setText(listen_on[0])
            self.port_field.setValue(listen_on[1])
            if not url:  # the app binds after the first paint
                self.url_field.setText("starting…")
                self.state_label.setText("starting…")
        if control is not None:
            self.attach_control(control)

        # j/k as in mutt and Gmail (the table's own keys); Delete and Ctrl+C act on the selection.
        self.table.delete_requested.connect(self._delete_selected)
        self.table.copy_requested.connect(self._copy_curl)
        self._restore_settings()
        self.list_stack.currentWidget().setFocus()  # the list, or the empty state's button
        self.url_field.installEventFilter(self)  # its first paint: the window is on screen

    # building

    @property
    def detail(self) -> DetailView:
        """The detail view, built on first use."""
        if self._detail is None:
            self._detail = self._build_detail()
        return self._detail

    @property
    def detail_built(self) -> bool:
        """Whether the detail view exists yet (it is built after the first paint)."""
        return self._detail is not None

    def _build_detail(self) -> DetailView:
        from webhook_inspector.gui.detailview import DetailView  # noqa: PLC0415 - after paint

        detail = DetailView(self._highlighter)
        detail.copy_body.connect(self._copy_body)
        detail.save_body.connect(self._save_body)
        detail.copy_curl.connect(self._copy_curl)
        detail.edit_resend.connect(self.edit_and_resend)
        app = QApplication.instance()
        if isinstance(app, QApplication) and is_dark(app):
            detail.body.set_theme("dark")
        sizes = self.splitter.sizes()
        self.splitter.replaceWidget(1, detail)
        self.splitter.setSizes(sizes)
        self._detail_slot.deleteLater()
        return detail

    async def finish_start(self) -> None:
        """Build what the first paint went without: the detail view and the search language.

        Their modules (pygments, the query compiler) are imported on a thread, so the window
        keeps painting meanwhile.
        """
        await to_thread(_import_all, AFTER_FIRST_PAINT)
        if self._detail is None:  # nothing built it while the modules loaded
            self._detail = self._build_detail()

    def attach_control(self, control: ListenerControl) -> None:
        """Drive the listener through `control` (the app attaches it after the first paint)."""
        self._control = control
        self.host_field.setText(control.config.host)
        self.port_field.setValue(control.config.port)
        self.toggle_action.setEnabled(True)
        control.state_changed.connect(self._on_listener_state)
        control.failed.connect(self.show_error)

    def _build_listener_bar(self, url: str) -> None:
        self.host_field = QLineEdit("127.0.0.1")
        self.host_field.setObjectName("listenHost")
        self.host_field.setAccessibleName("Listen address")
        self.host_field.setMaximumWidth(130)
        self.host_field.setToolTip("Address to bind: 127.0.0.1 is this machine only")
        self.port_field = QSpinBox()
        self.port_field.setObjectName("listenPort")
        self.port_field.setAccessibleName("Listen port")
        self.port_field.setRange(0, 65535)
        self.port_field.setSpecialValueText("any")
        self.port_field.setValue(8765)
        self.url_field = QLineEdit(url)
        self.url_field.setObjectName("listenUrl")
        self.url_field.setAccessibleName("Listening URL")
        self.url_field.setReadOnly(True)
        self.url_field.setMinimumWidth(230)
        self.url_field.setMaximumWidth(360)
        self.toggle_action = QAction("Stop", self)
        self.toggle_action.setObjectName("listenToggle")
        self.toggle_action.triggered.connect(self._toggle_listener)
        self.toggle_action.setEnabled(False)  # until a listener is attached
        self.host_field.returnPressed.connect(self._restart_listener)
        self.port_field.editingFinished.connect(self._port_edited)
        copy = QAction("Copy URL", self)
        copy.setObjectName("copyUrl")
        copy.triggered.connect(self._copy_url)
        self.follow_action = QAction("Follow newest", self)
        self.follow_action.setObjectName("followNewest")
        self.follow_action.setCheckable(True)
        self.follow_action.setToolTip("Select each new capture as it arrives")
        toolbar = QToolBar("Listener")
        toolbar.setObjectName("listenerBar")
        toolbar.setMovable(False)
        toolbar.addWidget(plain_label(" Listen on "))
        toolbar.addWidget(self.host_field)
        toolbar.addWidget(plain_label(" : "))
        toolbar.addWidget(self.port_field)
        toolbar.addAction(self.toggle_action)
        toolbar.addSeparator()
        toolbar.addWidget(self.url_field)
        toolbar.addAction(copy)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer)
        toolbar.addAction(self.follow_action)
        self.addToolBar(toolbar)

    def _build_actions(self) -> None:
        def action(text: str, name: str, slot: object, keys: QKeySequence | str = "") -> QAction:
            act = QAction(text, self)
            act.setObjectName(name)
            if keys:
                act.setShortcut(QKeySequence(keys))
            act.triggered.connect(slot)
            return act

        self.quit_action = action("Quit", "quitAction", self.close, QKeySequence.StandardKey.Quit)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.delete_action = action("Delete selected", "deleteAction", self._delete_selected,
                                    QKeySequence.StandardKey.Delete)  # fmt: skip
        self.clear_action = action("Clear all…", "clearAction", self._confirm_clear)
        self.profiles_action = action("Verification profiles…", "profilesAction",
                                      self.edit_profiles)  # fmt: skip
        self.copy_action = action("Copy as cURL", "copyAction", self._copy_curl)
        self.resend_action = action("Edit and resend…", "resendAction", self.edit_and_resend,
                                    "Ctrl+E")  # fmt: skip
        self.search_action = action("Search", "searchAction", self.focus_search,
                                    QKeySequence.StandardKey.Find)  # fmt: skip
        self.collection_action = action("Collection", "collectionAction", self.show_collection,
                                        "Ctrl+Shift+L")  # fmt: skip
        self.save_capture_action = action("Save capture to collection", "saveCaptureAction",
                                          self.save_capture_to_collection, "Ctrl+S")  # fmt: skip
        self.composer_action = action("Composer", "composerAction", self.show_composer,
                                      "Ctrl+Shift+N")  # fmt: skip
        menu = self.menuBar()
        self.export_action = action("Export…", "exportAction", self.open_export, "Ctrl+Shift+E")
        self.import_action = action("Import…", "importAction", self._choose_import, "Ctrl+O")
        self.history_action = action("Send history", "historyAction", self.open_history, "Ctrl+H")
        file_menu = menu.addMenu("&File")
        for act in (self.import_action, self.export_action):
            file_menu.addAction(act)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = menu.addMenu("&Edit")
        for act in (self.resend_action, self.copy_action, self.delete_action, self.clear_action):
            edit_menu.addAction(act)
        edit_menu.addAction(self.save_capture_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.profiles_action)
        view_menu = menu.addMenu("&View")
        view_menu.addAction(self.search_action)
        view_menu.addAction(self.follow_action)
        view_menu.addAction(self.composer_action)
        view_menu.addAction(self.collection_action)
        view_menu.addAction(self.history_action)
        theme_menu = view_menu.addMenu("Theme")
        self.theme_actions = QActionGroup(self)
        for theme in THEMES:
            act = QAction(theme.capitalize(), self.theme_actions)
            act.setObjectName(f"theme_{theme}")
            act.setCheckable(True)
            act.setData(theme)
            theme_menu.addAction(act)
        self.theme_actions.triggered.connect(self._choose_theme)
        # Delete and Ctrl+C act on the list; elsewhere the focused widget keeps its own keys.
        for act in (self.delete_action, self.copy_action):
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._list_actions = (self.delete_action, self.copy_action)

    def _restore_settings(self) -> None:
        for act in self._list_actions:
            self.table.addAction(act)
        self.copy_action.setShortcut(QKeySequence.StandardKey.Copy)
        settings = self._settings
        theme = settings.theme if settings else "system"
        for act in self.theme_actions.actions():
            act.setChecked(act.data() == theme)
        if settings is None:
            return
        self.follow_action.setChecked(settings.follow_newest)
        if (geometry := settings.state("geometry")) is not None:
            self.restoreGeometry(geometry)
        if (split := settings.state("splitter")) is not None:
            self.splitter.restoreState(split)
        if (columns := settings.state("columns")) is not None:
            self.table.horizontalHeader().restoreState(columns)

    def save_settings(self) -> None:
        """Remember geometry, splitter, columns, listener address and toggles."""
        settings = self._settings
        if settings is None:
            return
        settings.set_state("geometry", self.saveGeometry())
        settings.set_state("splitter", self.splitter.saveState())
        settings.set_state("columns", self.table.horizontalHeader().saveState())
        settings.follow_newest = self.follow_action.isChecked()
        if self._control is not None:
            settings.set_listener(self._control.config.host, self._control.config.port)
        settings.sync()

    # listener

    @Slot(str)
    def _on_listener_state(self, url: str) -> None:
        self._listening = bool(url)
        self.url_field.setText(url or "stopped")
        self.empty.set_url(url)
        running = bool(url)
        self.toggle_action.setText("Stop" if running else "Start")
        self.toggle_action.setToolTip("Stop listening" if running else "Start listening")
        self.state_label.setText("listening" if running else "stopped")

    @Slot()
    def _toggle_listener(self) -> None:
        if self._control is None:
            return
        if self._control.running:
            spawn(self._control.stop(), name="stop listener")
        else:
            self._restart_listener()

    @Slot()
    def _port_edited(self) -> None:
        if self._control is not None and self.port_field.value() != self._control.config.port:
            self._restart_listener()

    @Slot()
    def _restart_listener(self) -> None:
        if self._control is None:
            return
        host = self.host_field.text().strip() or "127.0.0.1"
        self.messages.hide()
        spawn(self._control.start(host, self.port_field.value()), name="start listener")

    @Slot()
    def _copy_url(self) -> None:
        QGuiApplication.clipboard().setText(self.url_field.text())
        self.statusBar().showMessage("URL copied", 2000)

    @Slot()
    def _send_sample(self) -> None:
        if self._sample is not None and self.url_field.text().startswith("http"):
            spawn(self._post_sample(self.url_field.text(), self._sample), name="send sample")

    async def _post_sample(self, url: str, sample: Sample) -> None:
        from webhook_inspector.core.samples import send_sample  # noqa: PLC0415 - after paint

        try:
            status = await send_sample(url, sample)
        except InspectorError as exc:
            self.show_error(str(exc))
            return
        self.statusBar().showMessage(f"Sample {sample.name} sent: answered {status}", 4000)

    @Slot(str)
    def show_error(self, text: str) -> None:
        """Show an expected error in the message bar and count it in the status bar."""
        self.errors.append(text)
        count = len(self.errors)
        self.error_label.setText(f"{count} error" + ("s" if count > 1 else ""))
        self.error_label.setToolTip("")
        self.error_label.show()
        self.messages.show_message(text, Level.ERROR)

    # list

    def select_row(self, row: int) -> None:
        """Select and show `row` of the list."""
        self.table.select_row(row)

    def selected_ids(self) -> list[int]:
        """The capture ids of the selected rows, in list order."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.model.summary(row).id for row in rows]

    @Slot(QModelIndex, int, int)
    def _on_rows_inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        self._update_count()
        if first != 0:
            return
        if self.follow_action.isChecked():
            self.select_row(0)
            return
        bar = self.table.verticalScrollBar()
        if bar.value() > 0 or self.table.selectionModel().hasSelection():
            # Keep the rows the user is looking at where they are: new ones arrive above.
            self.table.updateGeometries()
            bar.setValue(bar.value() + last - first + 1)

    @Slot()
    def _update_count(self) -> None:
        total = self.model.total
        if self.model.query is not None:
            more = "+" if self._count_pending else ""
            self.count_label.setText(f"{total}{more} matching")
            self.list_stack.setCurrentWidget(self.table)
            return
        self.count_label.setText(f"{total} capture" + ("" if total == 1 else "s"))
        shown = self.table if total else self.empty
        if shown is not self.list_stack.currentWidget():
            had_focus = self.list_stack.currentWidget().isAncestorOf(self.focusWidget())
            self.list_stack.setCurrentWidget(shown)
            if had_focus:  # the first capture: keys go to the list, not to the toolbar
                shown.setFocus()

    # search

    def _worker(self) -> SearchWorker:
        if self._search_worker is None:
            from webhook_inspector.gui.searchworker import SearchWorker  # noqa: PLC0415

            self._search_worker = SearchWorker(self._store.path)
        return self._search_worker

    @Slot(object)
    def _on_query(self, query: Query | None) -> None:
        self._search_generation += 1
        if self._search_worker is not None:
            self._search_worker.interrupt()
        self.detail.set_terms(query.terms if query is not None else ())
        self._count_pending = False
        if query is None:
            self.model.reload()
            return
        self.count_label.setText("searching…")
        spawn(self._search(query, self._search_generation), name="search")

    async def _search(self, query: Query, generation: int) -> None:
        try:
            page = await self._worker().page(query)
        except InspectorError as exc:
            if generation == self._search_generation and not interrupted(exc):
                self.show_error(str(exc))
            return
        if generation != self._search_generation:
            return  # a newer query is on its way
        # The list paints first; a count that needs a scan of its own follows ("200+").
        self._count_pending = page.total is None
        self.model.show_page(query, page.rows, page.exhausted, len(page.rows), page.upto_id)
        if page.rows:
            self.search.remember(self.search.edit.text())
        if page.total is None:
            self._counted_page = page
            await self._count(query, page, generation)

    async def _count(self, query: Query, page: Page, generation: int) -> None:
        try:
            total = await self._worker().count(query, page.upto_id)
        except InspectorError as exc:
            if generation == self._search_generation and not interrupted(exc):
                self.show_error(str(exc))  # the label keeps "N+ matching"
            return
        if generation != self._search_generation:
            return
        self._count_pending = False
        self._counted_page = None
        # The matches up to upto_id, and the live ones listed since (deletes already left out).
        self.model.total = total + self.model.rows_newer_than(page.upto_id)
        self._update_count()

    def _recount(self) -> None:
        """Count the shown search again: a delete landed while its count was scanning."""
        page, query = self._counted_page, self.model.query
        if not self._count_pending or page is None or query is None:
            return
        self._search_generation += 1
        self._worker().interrupt()
        spawn(self._count(query, page, self._search_generation), name="search count")

    def _load_page(self, query: Query, before_id: int | None) -> None:
        spawn(self._next_page(query, before_id), name="search page")

    async def _next_page(self, query: Query, before_id: int | None) -> None:
        try:
            page = await self._worker().page(query, before_id)
        except InspectorError:
            self.model.page_failed(query)
            return
        self.model.append_page(query, page.rows, page.exhausted)

    async def _complete_header_names(self) -> None:
        try:
            names = await self._worker().header_names()
        except InspectorError:
            return
        self.search.add_words([f"header:{name}" for name in names])

    @Slot()
    def focus_search(self) -> None:
        """Ctrl+F: put the cursor in the search box (and learn header names to complete)."""
        self.search.edit.setFocus()
        self.search.edit.selectAll()
        if not self._names_loaded:
            self._names_loaded = True
            spawn(self._complete_header_names(), name="header names")

    @Slot()
    def _delete_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            spawn(self._delete(ids), name="delete captures")

    async def _delete(self, ids: list[int]) -> None:
        try:
            deleted = await to_thread(_with_store, self._store.path,
                                              lambda store: store.delete(ids))  # fmt: skip
        except InspectorError as exc:
            self.show_error(str(exc))
            return
        self.model.total -= deleted
        self.model.remove_ids(set(ids))
        self._recount()  # a scan under way may or may not have seen these rows
        self.statusBar().showMessage(f"Deleted {deleted} capture(s)", 3000)

    @Slot()
    def _confirm_clear(self) -> None:
        from PySide6.QtWidgets import QMessageBox  # noqa: PLC0415 - dialogs load on first use

        box = QMessageBox(self)
        box.setObjectName("clearConfirm")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Clear all captures")
        box.setText(f"Delete all {self.model.total} captures from {self._store.path.name}?")
        box.setInformativeText("This cannot be undone.")
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.accepted.connect(lambda: spawn(self._clear(), name="clear captures"))
        self.clear_box = box
        box.open()  # never exec(): a nested loop would stall the asyncio tasks

    async def _clear(self) -> None:
        query = self.model.query
        try:
            await to_thread(_with_store, self._store.path, Store.clear)
        except InspectorError as exc:
            self.show_error(str(exc))
            return
        # The list is empty now, filtered or not: a search or count still under way is dropped
        # (its generation is over), not applied to the emptied list; the filter stays.
        self._search_generation += 1
        if self._search_worker is not None:
            self._search_worker.interrupt()
        self._count_pending = False
        self._counted_page = None
        if query is None:
            self.model.reload()
        else:
            self.model.show_page(query, [], True, 0, 0)
        self._update_count()
        self.detail.show_capture(None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The URL field's first paint: the window is on screen (`first_painted`)."""
        if watched is self.url_field and event.type() == QEvent.Type.Paint:
            self.url_field.removeEventFilter(self)
            # After the rest of this paint pass; dropped if the window is gone by then.
            QTimer.singleShot(0, self, self.first_painted.emit)
        return super().eventFilter(watched, event)

    @Slot(QItemSelection, QItemSelection)
    def _on_selection_changed(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        if len(rows) != 1:
            self.detail.show_capture(None)
            return
        self._show(rows[0])

    def _show(self, index: QModelIndex) -> None:
        capture_id = index.data(Role.CAPTURE_ID)
        try:
            self.detail.show_capture(self._store.get(capture_id))
        except NotFoundError:
            self.detail.show_capture(None)

    # body actions

    @Slot()
    def _copy_body(self) -> None:
        shown = self.detail.presentation
        if shown is not None:
            QGuiApplication.clipboard().setText(shown.text)
            self.statusBar().showMessage("Body copied", 2000)

    @Slot()
    def _copy_curl(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        captures = [self._store.get(capture_id) for capture_id in ids[:100]]
        from webhook_inspector.core.formats import get_exporter  # noqa: PLC0415 - on first use

        buffer = io.BytesIO()
        try:
            get_exporter("curl").write(captures, buffer)
        except InspectorError as exc:
            self.show_error(str(exc))
            return
        QGuiApplication.clipboard().setText(buffer.getvalue().decode("utf-8", "replace"))
        self.statusBar().showMessage(f"Copied {len(captures)} cURL command(s)", 2000)

    @Slot()
    def _save_body(self) -> None:
        capture = self.detail.capture
        shown = self.detail.presentation
        if capture is None or shown is None:
            return
        from PySide6.QtWidgets import QFileDialog  # noqa: PLC0415 - dialogs load on first use

        dialog = QFileDialog(self, "Save body")
        dialog.setObjectName("saveBodyDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.selectFile(body_file_name(capture, str(shown.kind)))
        dialog.fileSelected.connect(lambda path: spawn(self._write_body(Path(path), capture.body),
                                                       name="save body"))  # fmt: skip
        self.save_dialog = dialog
        dialog.open()

    async def _write_body(self, path: Path, body: bytes) -> None:
        try:
            await to_thread(path.write_bytes, body)
        except OSError as exc:
            self.show_error(f"cannot save the body to {path}: {exc.strerror}")
            return
        self.statusBar().showMessage(f"Saved {len(body)} bytes to {path.name}", 4000)

    # signatures

    @Slot()
    def edit_profiles(self) -> None:
        """Open the verification profiles dialog (non-modal)."""
        from webhook_inspector.gui.profiles import ProfilesDialog  # noqa: PLC0415 - loads signing

        profiles = self._settings.profiles() if self._settings is not None else []
        dialog = ProfilesDialog(profiles, self)
        dialog.profiles_changed.connect(self._profiles_changed)
        self.profiles_dialog = dialog
        dialog.show()

    @Slot(list)
    def _profiles_changed(self, profiles: list[Profile]) -> None:
        if self._settings is not None:
            self._settings.set_profiles(profiles)
            self._settings.sync()
        if self._control is not None and self._control.set_profiles(profiles):
            count = len(profiles)
            self.statusBar().showMessage(f"Verifying new captures with {count} profile(s)", 4000)

    # composer

    def show_composer(self) -> Composer:
        """Open the composer dock (built on first use: it loads the signing schemes)."""
        if self.composer is None or self.composer_dock is None:
            # Imported on first use: signing (cryptography) and httpx cost start-up time.
            from webhook_inspector.gui.composer import Composer  # noqa: PLC0415

            self.composer = Composer(self._send_composed)
            self.composer.sent.connect(self._composed_sent)
            self.composer.save_requested.connect(self._save_composed)
            from PySide6.QtWidgets import QDockWidget  # noqa: PLC0415

            dock = QDockWidget("Composer", self)
            dock.setObjectName("composerDock")
            dock.setWidget(self.composer)
            self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
            self.resizeDocks([dock], [480], Qt.Orientation.Horizontal)
            self.composer_dock = dock
            if not self.composer.url.text():
                self.composer.url.setText(self.url_field.text() if self._listening else "")
        self.composer_dock.show()
        self.composer_dock.raise_()
        return self.composer

    @Slot()
    def edit_and_resend(self) -> None:
        """Open the selected capture in the composer, byte-exact, aimed at the last target."""
        capture = self.detail.capture
        if capture is None:
            return
        from webhook_inspector.core.forwarder import forward_request  # noqa: PLC0415

        composer = self.show_composer()
        base = self._resend_base or (self.url_field.text() if self._listening else "")
        composer.load(forward_request(capture, base or "http://127.0.0.1:8765/")[0])
        composer.url.setFocus()

    async def _send_composed(self, request: OutgoingRequest) -> Exchange:
        capture = self.detail.capture
        return await self._send(request, None, capture.id if capture is not None else None)

    @Slot(object)
    def _composed_sent(self, exchange: Exchange) -> None:
        url = exchange.request.url
        capture = self.detail.capture
        if capture is not None and url.endswith(capture.target):
            self._resend_base = url[: len(url) - len(capture.target)] or None
        if exchange.status is None:
            self.show_error(f"send failed: {exchange.error}")

    # export, import, history

    @Slot()
    def open_export(self) -> None:
        """Choose a format, the captures and redaction; the export runs off the UI thread."""
        from webhook_inspector.gui.exporting import ExportDialog  # noqa: PLC0415

        dialog = ExportDialog(self.model.query is not None, len(self.selected_ids()), self)
        dialog.chosen.connect(self._export)
        self.export_dialog = dialog
        dialog.show()

    @Slot(object, str, bool, object)
    def _export(self, exporter: object, scope: str, redact: bool, target: Path) -> None:
        ids = self.selected_ids() if scope == "selection" else None
        query = self.model.query if scope == "filter" else None
        spawn(self._run_export(exporter, target, query, ids, redact), name="export")

    async def _run_export(
        self, exporter: object, target: Path, query: Query | None, ids: list[int] | None,
        redact: bool,
    ) -> None:  # fmt: skip
        from webhook_inspector.gui.exporting import run_export  # noqa: PLC0415

        def progress(count: int) -> None:
            self.statusBar().showMessage(f"Exporting… {count} captures written")

        try:
            written = await run_export(self._store.path, target, exporter, query=query,  # type: ignore[arg-type]
                                       ids=ids, redact=redact, progress=progress)  # fmt: skip
        except InspectorError as exc:
            self.show_error(str(exc))
            return
        self.last_export = (target, written)
        self.statusBar().showMessage(f"Exported {written} captures to {target.name}", 6000)

    @Slot()
    def _choose_import(self) -> None:
        from PySide6.QtWidgets import QFileDialog  # noqa: PLC0415 - dialogs load on first use

        dialog = QFileDialog(self, "Import HAR, Postman, Insomnia, Bruno, OpenCollection or cURL")
        dialog.setObjectName("importDialog")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(lambda path: spawn(self.import_file(Path(path)), name="import"))
        self.import_dialog = dialog
        dialog.open()

    @Slot()
    def open_history(self) -> None:
        """Show the send history (read off the UI thread)."""
        from webhook_inspector.gui.history import HistoryDialog  # noqa: PLC0415

        dialog = HistoryDialog(self._store.path, self)
        dialog.reopen.connect(self._open_in_composer)
        self.history_dialog = dialog
        dialog.show()
        spawn(dialog.load(), name="load history")

    # collections

    def show_collection(self) -> CollectionPanel:
        """Open the collection sidebar (built on first use)."""
        if self.collection is None or self.collection_dock is None:
            from webhook_inspector.gui.collectionpanel import CollectionPanel  # noqa: PLC0415

            self.collection = CollectionPanel(self._send_prepared)
            self.collection.open_request.connect(self._open_in_composer)
            self.collection.message.connect(self.show_error)
            from PySide6.QtWidgets import QDockWidget  # noqa: PLC0415

            dock = QDockWidget("Collection", self)
            dock.setObjectName("collectionDock")
            dock.setWidget(self.collection)
            self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
            self.resizeDocks([dock], [280], Qt.Orientation.Horizontal)
            self.collection_dock = dock
        self.collection_dock.show()
        return self.collection

    async def _send_prepared(self, request: OutgoingRequest, sign: object) -> Exchange:
        return await self._send(request, sign, None)

    async def _send(
        self, request: OutgoingRequest, sign: object, capture_id: int | None
    ) -> Exchange:
        """Send with the window's one sender (httpx loads on first use) and keep it in history."""
        from webhook_inspector.core.sender import Sender  # noqa: PLC0415

        if self._sender is None:
            self._sender = Sender()
        exchange = await self._sender.send(request, sign=sign)  # type: ignore[arg-type]

        def record(store: Store) -> int:
            return store.record_send(exchange.request, [exchange], kind="composer",
                                     capture_id=capture_id)  # fmt: skip

        try:
            await to_thread(_with_store, self._store.path, record)
        except InspectorError as exc:
            self.show_error(f"the send was not saved in the history: {exc}")
        return exchange

    @Slot(object)
    def _open_in_composer(self, request: OutgoingRequest) -> None:
        self.show_composer().load(request)

    @Slot()
    def save_capture_to_collection(self) -> None:
        """Save the selected capture (as a request to our listener's path) in the collection."""
        capture = self.detail.capture
        if capture is None:
            return
        from webhook_inspector.core.forwarder import forward_request  # noqa: PLC0415

        listener = self.url_field.text() if self._listening else ""
        base = self._resend_base or listener or "http://localhost/"
        request = forward_request(capture, base)[0]
        name = f"{capture.method} {capture.decoded_path}".replace("/", " ").strip()[:60]
        spawn(self.show_collection().save_request(request, name), name="save capture")

    @Slot(object)
    def _save_composed(self, request: OutgoingRequest) -> None:
        name = f"{request.method} {request.url.split('://')[-1].partition('/')[2]}"
        name = name.replace("/", " ").strip()[:60] or request.method
        spawn(self.show_collection().save_request(request, name), name="save request")

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """Accept files dropped on the window (imports)."""
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        """Import each dropped file: into the open collection, or into the composer."""
        for url in event.mimeData().urls():
            if url.isLocalFile():
                spawn(self.import_file(Path(url.toLocalFile())), name="import file")
        event.acceptProposedAction()

    async def import_file(self, path: Path) -> None:
        """Read `path` in any import format; all of it into the collection, or one request."""
        from webhook_inspector.core.formats.importers import import_bytes  # noqa: PLC0415

        try:
            data = await to_thread(path.read_bytes)
            result = await to_thread(import_bytes, data)
        except OSError as exc:
            self.show_error(f"cannot read {path.name}: {exc.strerror}")
            return
        except InspectorError as exc:
            self.show_error(f"{path.name}: {exc}")
            return
        if self.collection is not None and self.collection.collection is not None:
            await self.collection.import_result(result)
        elif result.requests:
            self.show_composer().load(result.requests[0])
            count = len(result.requests)
            self.statusBar().showMessage(
                f"{path.name}: {count} request(s); the first is in the composer"
                " (open a collection to import them all)", 6000)  # fmt: skip

    # look

    @Slot(QAction)
    def _choose_theme(self, act: QAction) -> None:
        theme = str(act.data())
        app = QApplication.instance()
        if isinstance(app, QApplication):
            dark = apply_theme(app, theme)
            if self._detail is not None:
                self._detail.body.set_theme("dark" if dark else "light")
        if self._settings is not None:
            self._settings.theme = theme

    def closeEvent(self, event: QCloseEvent) -> None:
        """Save settings and tell the app's main coroutine to shut down."""
        self.save_settings()
        if self._detail is not None:
            self._detail.body.stop()
        if self._search_worker is not None:
            self._search_worker.close()
            self._search_worker = None
        if self._sender is not None:
            spawn(self._sender.aclose(), name="close sender")
        self.is_closed = True
        self.closed.emit()
        super().closeEvent(event)
