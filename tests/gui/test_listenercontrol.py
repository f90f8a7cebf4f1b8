"""Starting, stopping and moving the listener from the GUI thread, never blocking it."""

from __future__ import annotations

import socket

import httpx

from webhook_inspector.core.listener import ListenerConfig
from webhook_inspector.core.tasks import spawn
from webhook_inspector.gui.capturemodel import CaptureBridge
from webhook_inspector.gui.listenercontrol import ListenerControl


def test_start_stop_and_restart(qtbot, qloop, tmp_path):
    bridge = CaptureBridge()
    control = ListenerControl(tmp_path / "c.sqlite3", bridge, ListenerConfig(port=0))
    states: list[str] = []
    control.state_changed.connect(states.append)
    try:
        control.start_now()
        assert control.running and states == [control.url]
        with qtbot.wait_signal(bridge.captured, timeout=5000) as captured:
            httpx.post(control.url + "x", content=b"1")
        assert captured.args[0] == 1
        spawn(control.stop(), name="stop")
        qtbot.wait_until(lambda: not control.running and states[-1] == "", timeout=5000)
        spawn(control.start("127.0.0.1", 0), name="start")
        qtbot.wait_until(lambda: control.running, timeout=5000)
        assert httpx.post(control.url + "y", content=b"2").status_code == 200
    finally:
        control.stop_now()


def test_port_in_use_reports_and_stays_stopped(qtbot, qloop, tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        control = ListenerControl(tmp_path / "c.sqlite3", CaptureBridge(), ListenerConfig(port=0))
        errors: list[str] = []
        control.failed.connect(errors.append)
        spawn(control.start("127.0.0.1", port), name="start")
        qtbot.wait_until(lambda: bool(errors), timeout=5000)
    assert f"cannot listen on 127.0.0.1:{port}" in errors[0]
    assert not control.running and control.url == ""
