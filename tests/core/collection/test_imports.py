"""Importing into a collection: folders become directories, all or nothing, no secret written."""

from __future__ import annotations

from pathlib import Path

import pytest

from webhook_inspector.core.collection.imports import import_into
from webhook_inspector.core.collection.tree import Collection
from webhook_inspector.core.errors import InspectorError, UsageError
from webhook_inspector.core.formats.importers import import_bytes
from webhook_inspector.core.formats.importresult import Environment, ImportResult
from webhook_inspector.core.model import OutgoingRequest

IMPORTS = Path(__file__).resolve().parents[2] / "data" / "imports"


def all_bytes(root: Path) -> bytes:
    return b"\n".join(p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file())


def test_postman_folders_become_directories(tmp_path):
    result = import_bytes((IMPORTS / "postman_v21.json").read_bytes())
    summary = import_into(result, tmp_path / "shop", name="Shop API")
    assert summary.request_ids == ["Orders/Create order.yml", "Login ∕ form.yml"]
    assert summary.environments == ["Shop API"]
    collection = Collection.open(tmp_path / "shop")
    assert collection.manifest.name == "Shop API"
    assert [item.name for item in collection.items()] == ["Orders", "Login ∕ form"]
    loaded = collection.load_request("Orders/Create order.yml")
    original = result.requests[0]
    assert (loaded.method, loaded.url, loaded.headers, loaded.body) == (
        original.method, original.url, original.headers, original.body,
    )  # fmt: skip
    assert loaded.name == "Create order"
    assert collection.environment("Shop API").variables == (
        ("baseUrl", "https://shop.example.com"),
    )
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # staging removed


def test_secret_values_never_reach_a_file(tmp_path):
    result = ImportResult(
        "test",
        (
            OutgoingRequest(
                "GET",
                "http://h/",
                (("Authorization", "Bearer tok-123456"), ("X-Api-Key", "key-abcdef")),
                name="A/B",
            ),
        ),
        environments=(Environment("prod", (("apiKey", "env-key-987"), ("base", "http://h"))),),
    )
    summary = import_into(result, tmp_path / "c")
    written = all_bytes(tmp_path / "c")
    for value in (b"tok-123456", b"key-abcdef", b"env-key-987"):
        assert value not in written
    assert b"{{secret:authorization}}" in written
    assert b"secret: true" in written
    assert {s.name for s in summary.secrets} == {"authorization", "x-api-key", "apiKey"}


def test_into_an_existing_collection_names_never_clash(tmp_path):
    collection = Collection.create(tmp_path / "c")
    collection.save_request("Orders", "Create order", OutgoingRequest("GET", "http://keep/"))
    result = import_bytes((IMPORTS / "postman_v21.json").read_bytes())
    summary = import_into(result, tmp_path / "c")
    assert summary.request_ids[0] == "Orders/Create order (2).yml"
    assert collection.load_request("Orders/Create order.yml").url == "http://keep/"


def test_a_failure_midway_leaves_an_existing_collection_as_it_was(tmp_path):
    collection = Collection.create(tmp_path / "c", "C")
    (collection.root / "Blocked").write_text("a file where a folder must go")
    before = sorted(p.name for p in collection.root.rglob("*"))
    manifest = (collection.root / "opencollection.yml").read_bytes()
    result = ImportResult(
        "test",
        (OutgoingRequest("GET", "http://h/1", name="First"),
         OutgoingRequest("GET", "http://h/2", name="New/Second"),
         OutgoingRequest("GET", "http://h/3", name="Blocked/Third")),
        environments=(),
    )  # fmt: skip
    with pytest.raises(UsageError, match="a file has that name"):
        import_into(result, collection.root)
    assert sorted(p.name for p in collection.root.rglob("*")) == before
    assert (collection.root / "opencollection.yml").read_bytes() == manifest


def test_a_new_collection_is_not_left_half_written(tmp_path):
    result = ImportResult(
        "test",
        (OutgoingRequest("GET", "http://h/1", name="X"),
         OutgoingRequest("GET", "http://h/2", name="X.yml/inner")),  # a folder where X.yml is
    )  # fmt: skip
    with pytest.raises(UsageError, match="a file has that name"):
        import_into(result, tmp_path / "new")
    assert list(tmp_path.iterdir()) == []  # neither the collection nor its staging folder


def test_a_busy_folder_is_refused_untouched(tmp_path):
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    result = ImportResult("test", (OutgoingRequest("GET", "http://h/1", name="X"),))
    with pytest.raises(InspectorError, match="neither a collection nor an empty folder"):
        import_into(result, tmp_path / "busy")
    assert [p.name for p in (tmp_path / "busy").iterdir()] == ["notes.txt"]
