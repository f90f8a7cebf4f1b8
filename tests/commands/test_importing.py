"""`import` on the command line: listing requests, restoring NDJSON captures, clear errors."""

from __future__ import annotations

from pathlib import Path

from webhook_inspector import cli
from webhook_inspector.core.store import Store, StoreWriter

from factories import make_capture

IMPORTS = Path(__file__).resolve().parents[1] / "data" / "imports"


def test_lists_requests_and_environments_with_warnings(capsys):
    assert cli.main(["import", str(IMPORTS / "postman_v21.json")]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        "POST {{baseUrl}}/orders?expand=items  Orders/Create order",
        "POST https://auth.example.com:8443/login  Login ∕ form",
        "environment Shop API: baseUrl",
    ]
    assert "warning: Postman collection: scripts (event) are not imported" in captured.err
    assert "read 2 requests and 1 environments (Postman collection)" in captured.err


def test_requests_are_not_written_into_the_capture_store(tmp_path, capsys):
    db = tmp_path / "c.sqlite3"
    assert cli.main(["import", str(IMPORTS / "chrome.har"), "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("webhook-inspector: error: HAR holds requests to send, not captures")
    assert not db.exists()


def test_malformed_file_is_one_line_and_exit_1(tmp_path, capsys):
    bad = tmp_path / "bad.har"
    bad.write_text('{"log": {"entries": [{"request": {"method": "GET"}}]}}')
    assert cli.main(["import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err == "webhook-inspector: HAR /log/entries/0/request/url: missing\n"


def test_ndjson_export_restores_captures_byte_exact(tmp_path, capsys):
    source_db, target_db = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    captures = [
        make_capture(
            body=b"\x00\xffbody",
            headers=(("Authorization", "k"),),
            raw_head=b"POST /hook HTTP/1.1\r\nAuthorization: k",
        ),
        make_capture(method="GET", target="/x?y=%2F", raw_head=b"GET /x?y=%2F HTTP/1.1"),
    ]
    writer = StoreWriter(source_db, lambda capture, cid: b"HTTP/1.1 200 OK\r\n\r\n")
    writer.write_now(captures)
    writer.stop()
    export = tmp_path / "all.ndjson"
    args = [
        "export",
        "--db",
        str(source_db),
        "--format",
        "ndjson",
        "--no-redact",
        "-o",
        str(export),
    ]
    assert cli.main(args) == 0
    assert cli.main(["import", str(export), "--db", str(target_db)]) == 0
    assert "restored 2 captures" in capsys.readouterr().err
    restored = list(Store(target_db).iter_captures())
    assert [c.body for c in restored] == [c.body for c in captures]
    assert restored[0].headers == (("Authorization", "k"),)
    assert restored[0].response == b"HTTP/1.1 200 OK\r\n\r\n"


def test_export_redacts_unless_asked(tmp_path, capsysbinary):
    db = tmp_path / "a.sqlite3"
    writer = StoreWriter(db, lambda capture, cid: b"")
    head = b"POST /hook HTTP/1.1\r\nHost: h\r\nStripe-Signature: t=1,v1=ab"
    headers = (("Host", "h"), ("Stripe-Signature", "t=1,v1=ab"))
    writer.write_now([make_capture(headers=headers, raw_head=head)])
    writer.stop()
    assert cli.main(["export", "--db", str(db), "--format", "curl"]) == 0
    assert b"-H 'Stripe-Signature: REDACTED'" in capsysbinary.readouterr().out
    assert cli.main(["export", "--db", str(db), "--format", "curl", "--no-redact"]) == 0
    assert b"-H 'Stripe-Signature: t=1,v1=ab'" in capsysbinary.readouterr().out


def test_missing_file(capsys, tmp_path):
    assert cli.main(["import", str(tmp_path / "none.har")]) == 1
    assert "cannot read" in capsys.readouterr().err


def test_import_into_a_collection_is_all_or_nothing(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    schema = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
    bad.write_text(f'{{"info": {{"schema": "{schema}", "name": "x"}}, '
                   '"item": [{"name": "a", "request": 5}]}')  # fmt: skip
    folder = tmp_path / "c"
    assert cli.main(["import", str(bad), "--collection", str(folder)]) == 1
    assert capsys.readouterr().err.startswith("webhook-inspector: Postman collection /item/0")
    assert not folder.exists()
    assert list(tmp_path.iterdir()) == [bad]


def test_import_into_a_collection_refuses_db_and_ndjson(tmp_path, capsys):
    args = ["import", str(IMPORTS / "chrome.har"), "--collection", str(tmp_path / "c")]
    assert cli.main([*args, "--db", str(tmp_path / "x.sqlite3")]) == 2
    assert "not both" in capsys.readouterr().err
    ndjson = tmp_path / "x.ndjson"
    ndjson.write_text('{"received_at_us": 1, "body_base64": ""}\n')
    assert cli.main(["import", str(ndjson), "--collection", str(tmp_path / "c")]) == 2
    assert "holds captures" in capsys.readouterr().err


def test_import_into_a_collection_names_the_secrets_it_left_out(tmp_path, capsys):
    curl = tmp_path / "c.txt"
    curl.write_text("curl 'http://h/x' -H 'Authorization: Bearer abc-123-secret'\n")
    assert cli.main(["import", str(curl), "--collection", str(tmp_path / "c")]) == 0
    err = capsys.readouterr().err
    assert "left out secret 'authorization' (header Authorization of" in err
    assert "$WEBHOOK_INSPECTOR_SECRET_AUTHORIZATION" in err
    assert "abc-123-secret" not in err
    written = b"".join(p.read_bytes() for p in (tmp_path / "c").rglob("*") if p.is_file())
    assert b"abc-123-secret" not in written
