"""Export from the window: chosen format and scope, off the UI thread, redacted by default."""

from __future__ import annotations

import json

from webhook_inspector.core.formats import EXPORTERS
from webhook_inspector.core.formats.ndjson import read_ndjson
from webhook_inspector.core.query import compile_query
from webhook_inspector.core.store import Store
from webhook_inspector.gui.exporting import ExportDialog, export_to_file
from webhook_inspector.gui.mainwindow import MainWindow

from conftest import fill_store


def test_export_to_file_scopes_and_progress(tmp_path):
    db = tmp_path / "e.sqlite3"
    fill_store(db, 450)
    seen = []
    count = export_to_file(db, tmp_path / "all.ndjson", EXPORTERS["ndjson"], progress=seen.append)
    assert count == 450 and seen == [200, 400]
    with (tmp_path / "all.ndjson").open("rb") as fh:
        assert len(list(read_ndjson(fh))) == 450
    query = compile_query("path:/hooks/1*")
    assert export_to_file(db, tmp_path / "f.har", EXPORTERS["har"], query=query) == 111
    assert export_to_file(db, tmp_path / "s.sh", EXPORTERS["curl"], ids=[3, 5]) == 2
    assert not list(tmp_path.glob("*.part"))


def test_dialog_and_window_export_selection_redacted(qtbot, qloop, make_service, tmp_path):
    import httpx

    running = make_service()
    httpx.post(running.url + "x", content=b"{}", headers={"Authorization": "Bearer s3cret"})
    window = MainWindow(Store(running.db_path), running.url)
    qtbot.add_widget(window)
    window.show()
    window.select_row(0)
    dialog = ExportDialog(False, 1)
    qtbot.add_widget(dialog)
    assert dialog.scope.currentData() == "selection" and dialog.redact.isChecked()
    dialog.format.setCurrentIndex(dialog.format.findData("har"))
    dialog.chosen.connect(window._export)
    dialog.start(tmp_path / "one.har")
    qtbot.wait_until(lambda: hasattr(window, "last_export"), timeout=5000)
    text = (tmp_path / "one.har").read_text()
    assert "s3cret" not in text and len(json.loads(text)["log"]["entries"]) == 1
