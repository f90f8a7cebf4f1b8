"""`import --collection` then `run` through cli.main: Postman folders in, exact bytes out."""

from __future__ import annotations

import threading
from pathlib import Path

from targets import target

from webhook_inspector import cli
from webhook_inspector.core.collection.tree import Collection
from webhook_inspector.core.collection.variables import render
from webhook_inspector.core.formats.importers import import_bytes
from webhook_inspector.core.formats.importresult import Environment

IMPORTS = Path(__file__).resolve().parents[1] / "data" / "imports"
SECRET = "tok-s3cr3t-value"


def threaded(argv: list[str]) -> int:
    code: list[int] = []
    thread = threading.Thread(target=lambda: code.append(cli.main(argv)))
    thread.start()
    thread.join(60)
    return code[0]


def test_import_postman_then_run_one_request_delivers_exact_bytes(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("webhook_inspector.core.secrets._from_keyring", lambda name: None)
    monkeypatch.setenv("WEBHOOK_INSPECTOR_SECRET_SHOP_TOKEN", SECRET)
    source = IMPORTS / "postman_v21.json"
    folder = tmp_path / "shop"
    assert cli.main(["import", str(source), "--collection", str(folder)]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == ["Orders/Create order.yml", "Login ∕ form.yml"]
    assert "imported 2 requests and 1 environments (Postman collection) into" in err
    assert (folder / "Orders" / "Create order.yml").is_file()

    # An environment for the test target; the token comes from the secret store.
    collection = Collection.open(folder)
    with target() as t:
        env = Environment("test", (("baseUrl", t.url), ("token", "{{secret:shop-token}}")))
        collection.save_environment(env)
        code = threaded(["run", str(folder), "Orders/Create order.yml", "--env", "test"])
    assert code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"200 POST {t.url}/orders?expand=items  Orders/Create order.yml ")
    (seen,) = t.seen
    original = import_bytes(source.read_bytes()).requests[0]
    expected = render(original, env, secrets={"shop-token": SECRET}.__getitem__)
    assert (seen.method, seen.raw_path) == ("POST", "/orders?expand=items")
    assert seen.body == expected.body
    received = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in seen.headers
                if k.lower() not in (b"host", b"content-length")]  # fmt: skip
    assert received == list(expected.headers)
    assert ("Authorization", f"Bearer {SECRET}") in received
    written = b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())
    assert SECRET.encode() not in written


def test_run_with_an_undefined_variable_sends_nothing(tmp_path, capsys):
    folder = tmp_path / "shop"
    assert cli.main(["import", str(IMPORTS / "postman_v21.json"), "--collection", str(folder)]) == 0
    capsys.readouterr()
    with target() as t:
        code = threaded(["run", str(folder), "Orders", "--env", "Shop API"])
    assert code == 2
    err = capsys.readouterr().err
    assert err == (
        "webhook-inspector: error: undefined variable {{token}} in header Authorization"
        " of Orders/Create order.yml\n"
    )
    assert t.seen == []


def test_run_names_unknown_environments_and_collections(tmp_path, capsys):
    assert cli.main(["run", str(tmp_path)]) == 1
    assert "is not a collection (no opencollection.yml)" in capsys.readouterr().err
    Collection.create(tmp_path / "c")
    assert cli.main(["run", str(tmp_path / "c"), "--env", "prod"]) == 2
    assert "no environment named 'prod' in collection (known: none)" in capsys.readouterr().err
