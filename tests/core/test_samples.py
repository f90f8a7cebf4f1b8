"""Sample webhooks: loaded from resources, posted to the real listener, offered as curl."""

from __future__ import annotations

import asyncio
import json
import shlex
import subprocess

import pytest

from webhook_inspector.core.errors import InspectorError
from webhook_inspector.core.samples import curl_example, load_samples, request_bytes, send_sample


def test_samples_load_with_headers_and_json_bodies():
    samples = load_samples()
    assert len(samples) >= 3
    for sample in samples:
        assert sample.path.startswith("/") and json.loads(sample.body)
        assert "Content-Type" in dict(sample.headers)


def test_send_sample_is_captured_byte_exact(running):
    sample = load_samples()[0]
    status = asyncio.run(send_sample(running.url, sample))
    assert status == 200
    capture = running.store().get(running.store().last_id())
    assert capture.target == sample.path and capture.body == sample.body
    assert list(capture.headers[1 : 1 + len(sample.headers)]) == list(sample.headers)


def test_send_to_a_closed_port_is_a_clear_error(running):
    url = running.url
    running.thread.stop()
    with pytest.raises(InspectorError, match="cannot send the sample to"):
        asyncio.run(send_sample(url, load_samples()[0]))


def test_curl_example_runs_with_real_curl(running):
    sample = load_samples()[0]
    command = curl_example(running.url, sample)
    result = subprocess.run(["bash", "-c", command + " -s"], capture_output=True, timeout=20)
    assert result.returncode == 0, result.stderr
    capture = running.store().get(running.store().last_id())
    assert json.loads(capture.body) == json.loads(sample.body)
    assert shlex.split(command.replace("\\\n", ""))[0] == "curl"


def test_request_bytes_keep_header_order():
    sample = load_samples()[0]
    raw = request_bytes("http://127.0.0.1:9/", sample)
    assert raw.startswith(f"POST {sample.path} HTTP/1.1\r\nHost: 127.0.0.1:9\r\n".encode())
    assert raw.endswith(sample.body)


def test_missing_samples_folder_is_a_clear_error(tmp_path):
    with pytest.raises(InspectorError, match="no sample webhooks"):
        load_samples(tmp_path)
    (tmp_path / "bad.json").write_text("{")
    with pytest.raises(InspectorError, match=r"bad\.json is unreadable"):
        load_samples(tmp_path)
