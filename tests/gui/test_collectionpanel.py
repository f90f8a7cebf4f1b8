"""The collection sidebar on a real folder: save, notice outside edits, open, run, import."""

from __future__ import annotations

import httpx
from targets import Answer, target

from webhook_inspector.core.collection.tree import Collection
from webhook_inspector.core.formats.importresult import Environment
from webhook_inspector.core.model import OutgoingRequest
from webhook_inspector.core.store import Store
from webhook_inspector.core.tasks import spawn
from webhook_inspector.gui.mainwindow import MainWindow


def _window(qtbot, running) -> MainWindow:
    window = MainWindow(Store(running.db_path), running.url)
    qtbot.add_widget(window)
    window.show()
    return window


def _ids(panel) -> list[str]:
    found = []

    def walk(node) -> None:
        for n in range(node.childCount()):
            child = node.child(n)
            found.append(child.data(0, 0x0101))
            walk(child)

    walk(panel.tree.invisibleRootItem())
    return found


def test_save_a_capture_without_its_secrets(qtbot, qloop, running, tmp_path):
    headers = {"X-Hub-Signature-256": "sha256=deadbeef", "X-GitHub-Event": "push"}
    httpx.post(running.url + "hooks/gh", content=b'{"zen": "x"}', headers=headers)
    window = _window(qtbot, running)
    panel = window.show_collection()
    folder = tmp_path / "coll"
    folder.mkdir()
    spawn(panel.open_folder(folder), name="open")
    qtbot.wait_until(lambda: panel.collection is not None, timeout=5000)
    window.select_row(0)
    window.save_capture_to_collection()
    qtbot.wait_until(lambda: len(_ids(panel)) == 1, timeout=5000)
    saved = next(folder.rglob("*.yml"))
    text = saved.read_text()
    assert "deadbeef" not in text and "{{secret:" in text
    assert "secrets left out" in panel.status.text()
    request = Collection.open(folder).load_request(_ids(panel)[0])
    assert request.body == b'{"zen": "x"}' and ("X-GitHub-Event", "push") in request.headers


def test_outside_edits_open_with_environment_and_run(qtbot, qloop, running, tmp_path, monkeypatch):
    monkeypatch.setattr("webhook_inspector.gui.collectionpanel.WATCH_INTERVAL_MS", 100)
    folder = tmp_path / "c2"
    collection = Collection.create(folder, "Shop")
    window = _window(qtbot, running)
    panel = window.show_collection()
    spawn(panel.open_folder(folder), name="open")
    qtbot.wait_until(lambda: panel.collection is not None, timeout=5000)
    with target(Answer(status=201)) as t:
        # Someone else (a git pull) adds files while the panel is open.
        collection.save_environment(Environment("local", (("base", t.url),)))
        folder_id = collection.add_folder("", "Orders")
        create = OutgoingRequest("POST", "{{base}}/orders", (), b'{"n": 1}')
        collection.save_request(folder_id, "Create", create)
        collection.save_request(folder_id, "Ping", OutgoingRequest("GET", "{{base}}/ping"))
        qtbot.wait_until(lambda: len(_ids(panel)) == 3, timeout=5000)
        assert "Reloaded" in panel.status.text()
        panel.env.setCurrentIndex(panel.env.findData("local"))
        panel.select(f"{folder_id}/Create.yml")
        assert panel.selected_id() == f"{folder_id}/Create.yml", _ids(panel)
        panel.open_selected()
        qtbot.wait_until(lambda: window.composer is not None or bool(window.errors), timeout=5000)
        assert not window.errors, window.errors
        assert window.composer.url.text() == t.url + "/orders"
        panel.select(folder_id)
        panel.run_selected()
        qtbot.wait_until(lambda: getattr(panel, "ran", None) == (2, 2), timeout=10_000)
    assert sorted(seen.raw_path for seen in t.seen) == ["/orders", "/ping"]
    panel.select(f"{folder_id}/Ping.yml")
    panel.move_selected("")
    qtbot.wait_until(lambda: "Ping.yml" in _ids(panel), timeout=5000)
    from webhook_inspector.core.formats import EXPORTERS

    spawn(panel.export(EXPORTERS["har"], "", True, tmp_path / "c.har"), name="export")
    qtbot.wait_until(lambda: panel.status.text().startswith("Exported 2"), timeout=5000)
    assert '"url": "' + t.url + '/orders"' in (tmp_path / "c.har").read_text()


def test_a_dropped_curl_file_goes_to_the_composer(qtbot, qloop, running, tmp_path):
    window = _window(qtbot, running)
    path = tmp_path / "req.sh"
    path.write_text("curl 'http://example.test/a' -H 'X-A: 1' --data-raw 'hi'\n")
    spawn(window.import_file(path), name="import")
    qtbot.wait_until(lambda: window.composer is not None, timeout=5000)
    request = window.composer.request()
    assert request.url == "http://example.test/a" and request.body == b"hi"
    window.composer.url.setText("curl -X PUT http://example.test/b -d x=1")
    assert window.composer.request().method == "PUT"
    (tmp_path / "bad.json").write_text("{not json")
    spawn(window.import_file(tmp_path / "bad.json"), name="import bad")
    qtbot.wait_until(lambda: window.error_label.text() == "1 error", timeout=5000)
    assert "bad.json" in window.messages.label.text()
