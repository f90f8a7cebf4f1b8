"""`webhook-inspector listen` as a real process: output, signals, kill -9 durability."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from webhook_inspector.core.store import Store

from conftest import read_response


class ListenProcess:
    """A `listen --port 0` subprocess and its announced URL."""

    def __init__(self, db: Path, *args: str, read_stdout: bool = True) -> None:
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "webhook_inspector",
                "listen",
                "--port",
                "0",
                "--db",
                str(db),
                *args,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        first = self.proc.stdout.readline().decode()
        assert first.startswith("Listening on http://127.0.0.1:"), first
        self.url = first.split()[-1]
        self.port = int(self.url.rsplit(":", 1)[1].strip("/"))
        self.lines: list[str] = []
        if read_stdout:
            self._reader = threading.Thread(target=self._read, daemon=True)
            self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line.decode().rstrip("\n"))

    def stop(self, sig: int = signal.SIGTERM) -> int:
        self.proc.send_signal(sig)
        return self.proc.wait(timeout=20)


@pytest.fixture
def listen(tmp_path):
    started: list[ListenProcess] = []

    def start(*args: str, read_stdout: bool = True) -> ListenProcess:
        process = ListenProcess(tmp_path / "cap.sqlite3", *args, read_stdout=read_stdout)
        started.append(process)
        return process

    yield start
    for process in started:
        if process.proc.poll() is None:
            process.proc.kill()
            process.proc.wait()
        process.proc.stdout.close()
        process.proc.stderr.close()


def _wait_for(predicate, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


def test_prints_one_line_per_capture_and_stops_on_sigterm(listen, tmp_path):
    process = listen()
    with httpx.Client() as client:
        for n in range(3):
            assert client.post(f"{process.url}hook/{n}?a=1", content=b"12345").status_code == 200
    _wait_for(lambda: len(process.lines) == 3)
    assert process.lines[0].split()[1:] == ["POST", "/hook/0?a=1", "5", "#1"]
    assert process.stop() == 0
    assert Store(tmp_path / "cap.sqlite3").count() == 3


def test_json_format_lines(listen):
    process = listen("--format", "json")
    httpx.put(process.url + "j", content=b"{}")
    _wait_for(lambda: process.lines)
    record = json.loads(process.lines[0])
    assert record["method"] == "PUT" and record["target"] == "/j" and record["id"] == 1
    assert record["outcome"] == "captured" and record["size"] == 2


def test_sigint_flushes_and_exits_zero(listen, tmp_path):
    process = listen()
    httpx.post(process.url, content=b"x")
    assert process.stop(signal.SIGINT) == 0
    assert Store(tmp_path / "cap.sqlite3").count() == 1


def test_unread_stdout_never_stalls_capture(listen):
    process = listen(read_stdout=False)  # nobody reads: the pipe fills after ~1500 lines
    with socket.create_connection(("127.0.0.1", process.port), timeout=10) as sock:
        for n in range(4000):
            sock.sendall(b"POST /p/%d HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nx" % n)
            assert b" 200 OK" in read_response(sock)


def test_kill_9_mid_burst_loses_no_answered_request(listen, tmp_path):
    process = listen()
    acknowledged: dict[int, bytes] = {}
    stop = threading.Event()

    def client(worker: int) -> None:
        try:
            with socket.create_connection(("127.0.0.1", process.port), timeout=5) as sock:
                n = 0
                while not stop.is_set():
                    body = b"w%d-n%d-" % (worker, n) + os.urandom(64).hex().encode()
                    sock.sendall(
                        b"POST /burst HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n%s"
                        % (len(body), body)
                    )
                    answer = read_response(sock)
                    if not answer.startswith(b"HTTP/1.1 200"):
                        return
                    acknowledged[json.loads(answer.partition(b"\r\n\r\n")[2])["id"]] = body
                    n += 1
        except OSError:
            return  # the server died under us: that is the point

    workers = [threading.Thread(target=client, args=(w,)) for w in range(8)]
    for w in workers:
        w.start()
    _wait_for(lambda: len(acknowledged) > 300)
    process.proc.kill()  # SIGKILL: no flush, no clean-up
    process.proc.wait()
    stop.set()
    for w in workers:
        w.join()
    store = Store(tmp_path / "cap.sqlite3")
    assert store.integrity_check() == "ok"
    for capture_id, body in acknowledged.items():
        assert store.get(capture_id).body == body
    assert store.count() >= len(acknowledged)


def test_port_in_use_is_one_clear_line(listen, tmp_path):
    process = listen()
    result = subprocess.run(
        [sys.executable, "-m", "webhook_inspector", "listen", "--port", str(process.port),
         "--db", str(tmp_path / "other.sqlite3")],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.strip().startswith("webhook-inspector: cannot listen on 127.0.0.1:")
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
