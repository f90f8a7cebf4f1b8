"""The command line in-process: list, show, export, sizes, and one-line errors."""

from __future__ import annotations

import json

import pytest

from webhook_inspector import cli
from webhook_inspector.core.model import CapturedRequest
from webhook_inspector.core.store import StoreWriter

HOSTILE = "\x1b[31mred\x1b[0m \u202eevil"


def _capture(n: int, body: bytes, target: str = "/hook") -> CapturedRequest:
    return CapturedRequest(
        received_at_us=1_795_000_000_000_000 + n,
        method="POST",
        target=target,
        http_version="1.1",
        headers=(("Content-Type", "application/json"), ("X-N", str(n))),
        body=body,
        remote_ip="127.0.0.1",
        remote_port=5000,
        raw_head=f"POST {target} HTTP/1.1\r\nContent-Type: application/json\r\nX-N: {n}".encode(
            "latin-1"
        ),
    )


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "cli.sqlite3"
    writer = StoreWriter(path, lambda capture, cid: b"")
    writer.write_now(
        [
            _capture(1, b'{"a": 1}'),
            _capture(2, b"\xff\xfe\x00binary"),
            _capture(3, HOSTILE.encode(), target="/x?q=%2F+"),
        ]
    )
    writer.stop()
    return str(path)


def test_list_json_newest_first(db, capsys):
    assert cli.main(["list", "--db", db, "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["id"] for r in rows] == [3, 2, 1]
    assert rows[0]["target"] == "/x?q=%2F+" and rows[1]["size"] == 9


def test_list_limit_and_text(db, capsys):
    assert cli.main(["list", "--db", db, "--limit", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("#3 ") and out.count("\n") == 1


def test_show_body_writes_raw_bytes(db, capsysbinary):
    assert cli.main(["show", "2", "--db", db, "--body"]) == 0
    assert capsysbinary.readouterr().out == b"\xff\xfe\x00binary"


def test_show_raw_is_the_request_as_received(db, capsysbinary):
    assert cli.main(["show", "1", "--db", db, "--raw"]) == 0
    out = capsysbinary.readouterr().out
    assert out == b'POST /hook HTTP/1.1\r\nContent-Type: application/json\r\nX-N: 1\r\n\r\n{"a": 1}'


def test_show_text_neutralises_terminal_escapes(db, capsysbinary):
    assert cli.main(["show", "3", "--db", db]) == 0
    out = capsysbinary.readouterr().out.decode()
    assert "\x1b" not in out and "\u202e" not in out
    assert "\\x1b[31mred" in out and "\\u202e" in out


def test_show_missing_capture_is_one_line(db, capsys):
    assert cli.main(["show", "42", "--db", db]) == 1
    err = capsys.readouterr().err
    assert err.strip() == f"webhook-inspector: no capture #42 in {db}"


def test_missing_store_is_a_clear_error(tmp_path, capsys):
    assert cli.main(["list", "--db", str(tmp_path / "none.sqlite3")]) == 1
    assert "no capture store at" in capsys.readouterr().err


def test_usage_errors_exit_2_with_one_line(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["listen", "--max-body", "lots"])
    assert info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "invalid size 'lots'" in err


def test_db_from_environment(db, capsys, monkeypatch):
    monkeypatch.setenv("WEBHOOK_INSPECTOR_DB", db)
    assert cli.main(["list", "--json"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 3


@pytest.mark.parametrize(
    ("text", "size"),
    [("1024", 1024), ("10MiB", 10 * 1024**2), ("1.5kb", 1500), ("512 KiB", 512 * 1024)],
)
def test_parse_size(text, size):
    assert cli.parse_size(text) == size


def test_export_ndjson_round_trips(db, tmp_path, capsys):
    from webhook_inspector.core.formats.ndjson import read_ndjson

    out = tmp_path / "all.ndjson"
    assert cli.main(["export", "--db", db, "--format", "ndjson", "-o", str(out)]) == 0
    assert "exported 3 captures" in capsys.readouterr().err
    captures = list(read_ndjson(out.read_text().splitlines()))
    assert [c.body for c in captures] == [b'{"a": 1}', b"\xff\xfe\x00binary", HOSTILE.encode()]


def test_export_har_to_stdout(db, capsysbinary):
    assert cli.main(["export", "--db", db, "--format", "har"]) == 0
    har = json.loads(capsysbinary.readouterr().out)
    entries = har["log"]["entries"]
    assert len(entries) == 3
    assert entries[2]["request"]["url"].endswith("/x?q=%2F+")


def test_list_filter(db, capsys):
    assert cli.main(["list", "--db", db, "--json", "--filter", "path:/hook OR x-n:3"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("webhook-inspector: error: unknown qualifier 'x-n:' at position 15")
    assert "\n" not in err
    assert cli.main(["list", "--db", db, "--json", "--filter", "header:x-n=1 OR path:/x"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["id"] for r in rows] == [3, 1]
    assert cli.main(["list", "--db", db, "--filter", "body:binary"]) == 0
    assert capsys.readouterr().out.startswith("#2 ")


def test_bad_filter_message_is_the_query_error(db, capsys):
    from webhook_inspector.core.errors import QueryError
    from webhook_inspector.core.query import compile_query

    with pytest.raises(QueryError) as info:
        compile_query("status:")
    assert cli.main(["export", "--db", db, "--format", "ndjson", "--filter", "status:"]) == 2
    assert capsys.readouterr().err.strip() == f"webhook-inspector: error: {info.value}"


def test_export_filter(db, tmp_path, capsys):
    from webhook_inspector.core.formats.ndjson import read_ndjson

    out = tmp_path / "some.ndjson"
    argv = ["export", "--db", db, "--format", "ndjson", "-o", str(out), "--filter=-header:x-n=2"]
    assert cli.main(argv) == 0
    assert "exported 2 captures" in capsys.readouterr().err
    assert [c.target for c in read_ndjson(out.read_text().splitlines())] == ["/hook", "/x?q=%2F+"]


def test_listen_verify_spec_errors_are_usage_errors(tmp_path, capsys):
    code = cli.main(["listen", "--port", "0", "--db", str(tmp_path / "x.sqlite3"),
                     "--verify", "stripe"])  # fmt: skip
    assert code == 2
    assert "expected SCHEME=SECRET" in capsys.readouterr().err


def test_the_window_path_parses_as_the_full_parser_does():
    argv = ["gui", "--port", "0", "--db", "x.sqlite3", "--theme", "dark"]
    assert cli._opens_window(argv) and cli._opens_window([])
    assert not cli._opens_window(["gui", "--help"]) and not cli._opens_window(["list"])
    assert not cli._opens_window(["--port", "0"])  # top-level options: the full parser decides
    light = cli._window_parser().parse_args(argv[1:])
    full = cli.build_parser().parse_args(argv)
    assert vars(light) == {k: v for k, v in vars(full).items() if k != "command"}


def test_the_window_path_rejects_unknown_options(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["gui", "--bogus"])
    assert exc.value.code == 2 and "--bogus" in capsys.readouterr().err
