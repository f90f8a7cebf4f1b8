"""Collections export through the same exporters as captures, and the commands still deliver."""

from __future__ import annotations

import hashlib
import json
import subprocess

import pytest
from targets import target

from webhook_inspector import cli
from webhook_inspector.core.collection.captures import collection_captures, request_as_capture
from webhook_inspector.core.collection.tree import Collection
from webhook_inspector.core.formats import EXPORTERS
from webhook_inspector.core.formats.har import request_url
from webhook_inspector.core.formats.importresult import Environment
from webhook_inspector.core.model import OutgoingRequest

BODY = bytes(range(256))


def test_request_as_capture_keeps_url_headers_and_body():
    request = OutgoingRequest("PATCH", "https://api.example.com:8443/v1/x%2Fy?a=1&b=%20",
                              (("X-B", "2"), ("x-b", "3")), BODY)  # fmt: skip
    capture = request_as_capture(request, "Orders/Patch.yml")
    assert request_url(capture) == request.url
    assert capture.headers[0] == ("Host", "api.example.com:8443")
    assert capture.headers[1:] == request.headers and capture.body == BODY and capture.tls
    assert request_as_capture(OutgoingRequest("GET", "http://h?q=1")).target == "/?q=1"


def test_exported_curl_of_a_collection_delivers_the_same_bytes(tmp_path):
    collection = Collection.create(tmp_path / "c", "C")
    with target() as t:
        folder = collection.add_folder("", "Hooks")
        headers = (("Content-Type", "application/octet-stream"), ("X-Order", "1"), ("x-order", "2"))
        collection.save_request(folder, "Binary", OutgoingRequest("POST", "{{base}}/bin?x=%2F",
                                                                  headers, BODY))  # fmt: skip
        collection.save_environment(Environment("local", (("base", t.url),)))
        out = tmp_path / "run.sh"
        with out.open("wb") as fh:
            count = EXPORTERS["curl"].export(collection_captures(collection, "", "local"), fh)
        assert count == 1
        result = subprocess.run(["bash", str(out)], capture_output=True, timeout=30)
        assert result.returncode == 0, result.stderr
    seen = t.seen[0]
    assert seen.raw_path == "/bin?x=%2F"
    assert hashlib.sha256(seen.body).digest() == hashlib.sha256(BODY).digest()
    orders = [h for h in seen.headers if h[0].lower() == b"x-order"]
    assert orders == [(b"X-Order", b"1"), (b"x-order", b"2")]


def test_cli_exports_a_collection_with_placeholders_kept(tmp_path, capsysbinary):
    collection = Collection.create(tmp_path / "c", "C")
    auth = (("X-Api-Key", "{{secret:shop_key}}"),)
    collection.save_request("", "Ping", OutgoingRequest("GET", "http://x/ping", auth))
    collection.save_request("", "Pong", OutgoingRequest("POST", "http://x/pong", (), b"{}"))
    code = cli.main(["export", "--collection", str(tmp_path / "c"), "--format", "postman",
                     "--no-redact"])  # fmt: skip
    doc = json.loads(capsysbinary.readouterr().out)
    assert code == 0 and len(doc["item"]) == 2
    assert "{{secret:shop_key}}" in json.dumps(doc)
    collection.save_request("", "Templated", OutgoingRequest("GET", "{{base}}/t"))
    assert cli.main(["export", "--collection", str(tmp_path / "c"), "--format", "har"]) == 2


@pytest.mark.parametrize("extra", [["--db", "x.sqlite3"], ["--filter", "method:GET"]])
def test_cli_collection_export_refuses_capture_options(tmp_path, capsys, extra):
    Collection.create(tmp_path / "c", "C")
    code = cli.main(["export", "--collection", str(tmp_path / "c"), "--format", "har", *extra])
    assert code == 2 and "--collection exports a collection" in capsys.readouterr().err
