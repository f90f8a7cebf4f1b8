"""A collection on disk: the tree, byte-exact requests, edits, and nothing outside the folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from webhook_inspector.core.collection.manifest import MANIFEST_NAME, SigningProfile
from webhook_inspector.core.collection.tree import Collection
from webhook_inspector.core.errors import FormatError, NotFoundError, UsageError
from webhook_inspector.core.formats.importresult import Environment
from webhook_inspector.core.model import OutgoingRequest

JSON = OutgoingRequest(
    "POST", "{{base}}/orders", (("Content-Type", "application/json"), ("x-a", "1"), ("X-A", "2")),
    b'{"a": 1}\n', "Create order",
)  # fmt: skip
BINARY = OutgoingRequest("PUT", "http://h/up", (("Content-Type", "image/png"),), b"\x89PNG\0\xff")


@pytest.fixture
def collection(tmp_path: Path) -> Collection:
    return Collection.create(tmp_path / "shop", "Shop")


def names(items) -> list:
    return [(i.name, [c.name for c in i.children]) if i.kind == "folder" else i.name for i in items]


def test_save_and_load_are_byte_exact(collection):
    first = collection.save_request("Orders", "Create order", JSON)
    second = collection.save_request("Orders/Files", "Upload", BINARY)
    assert first == "Orders/Create order.yml"
    again = Collection.open(collection.root)
    assert again.load_request(first) == JSON
    assert again.load_request(second).body == BINARY.body
    assert (collection.root / "Orders/Files/Upload.body").read_bytes() == BINARY.body


def test_tree_lists_folders_first_then_requests_in_saved_order(collection):
    collection.save_request("", "b", JSON)
    collection.save_request("", "a", JSON)
    collection.save_request("Orders", "Create", JSON)
    assert names(collection.items()) == [("Orders", ["Create"]), "b", "a"]
    assert collection.request_ids() == ["Orders/Create.yml", "b.yml", "a.yml"]
    assert collection.items()[1].method == "POST"


def test_overwrite_keeps_the_place_and_no_overwrite_numbers(collection):
    collection.save_request("", "a", JSON)
    collection.save_request("", "b", JSON)
    collection.save_request("", "a", BINARY)
    assert names(collection.items()) == ["a", "b"]
    assert collection.save_request("", "a", JSON, overwrite=False) == "a (2).yml"


def test_rename_move_duplicate_delete(collection):
    item = collection.save_request("", "Upload", BINARY)
    renamed = collection.rename(item, "Put it")
    assert renamed == "Put it.yml"
    assert not (collection.root / "Upload.body").exists()
    moved = collection.move(renamed, "Archive")
    assert moved == "Archive/Put it.yml"
    assert collection.load_request(moved).body == BINARY.body
    copy = collection.duplicate(moved)
    assert copy == "Archive/Put it copy.yml"
    assert collection.load_request(copy).name == "Put it copy"
    folder = collection.rename("Archive", "Old")
    assert collection.request_ids() == ["Old/Put it.yml", "Old/Put it copy.yml"]
    collection.delete("Old/Put it.yml")
    assert not (collection.root / "Old/Put it.body").exists()
    collection.delete(folder)
    assert collection.items() == ()


def test_moving_onto_an_existing_item_or_into_itself_is_refused(collection):
    collection.save_request("", "a", JSON)
    collection.save_request("F", "a", JSON)
    with pytest.raises(UsageError, match="already exists"):
        collection.move("a.yml", "F")
    with pytest.raises(UsageError, match="into itself"):
        collection.move("F", "F/G")


def test_names_that_would_escape_are_made_safe(collection):
    folder = collection.add_folder("", "../../outside")
    item = collection.save_request(folder, "../../evil", JSON)
    assert item == "_.._outside/_.._evil.yml"
    assert collection.load_request(item).name == "../../evil"
    with pytest.raises(UsageError, match="must be a path inside"):
        collection.save_request("../../outside", "x", JSON)  # a folder id is checked, not mended
    assert list(collection.root.parent.iterdir()) == [collection.root]


@pytest.mark.parametrize("item_id", ["../x.yml", "/etc/passwd", "a/../../x", "a\\..\\x"])
def test_ids_outside_the_collection_are_refused(collection, item_id):
    with pytest.raises(UsageError):
        collection.load_request(item_id)


def test_side_file_paths_cannot_leave_the_folder(collection, tmp_path):
    (tmp_path / "secret.txt").write_text("private")
    (collection.root / "r.yml").write_text(
        "info: {name: r, type: http}\nhttp:\n  method: POST\n  url: http://h/\n"
        "  body:\n    type: file\n    data:\n    - {filePath: ../secret.txt, contentType: x, "
        "selected: true}\n"
    )
    with pytest.raises(FormatError, match="must be a file name next to the request"):
        collection.load_request("r.yml")


def test_symlinks_out_of_the_collection_are_not_followed(collection, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "x.yml").write_text("info: {name: x}\nhttp: {method: GET, url: http://h/}\n")
    os.symlink(outside, collection.root / "link")
    assert collection.items() == ()
    with pytest.raises(UsageError, match="outside the collection"):
        collection.load_request("link/x.yml")


def test_a_broken_file_shows_its_error_in_the_tree(collection):
    (collection.root / "bad.yml").write_text("info: [\n")
    (item,) = collection.items()
    assert item.id == "bad.yml"
    assert item.error.startswith("request bad.yml line")
    with pytest.raises(FormatError):
        collection.load_request("bad.yml")


def test_fingerprint_notices_edits_made_outside(collection):
    item = collection.save_request("", "a", JSON)
    before = collection.fingerprint()
    assert collection.fingerprint() == before
    path = collection.root / item
    path.write_text(path.read_text().replace("/orders", "/orders/v2"))
    os.utime(path, ns=(1, 1))
    assert collection.fingerprint() != before
    assert Collection.open(collection.root).load_request(item).url == "{{base}}/orders/v2"


def test_environments_and_profiles_live_in_the_manifest(collection):
    collection.save_environment(Environment("local", (("base", "http://127.0.0.1:1"),)))
    collection.save_environment(Environment("local", (("base", "http://127.0.0.1:2"),)))
    reopened = Collection.open(collection.root)
    assert reopened.environments() == (Environment("local", (("base", "http://127.0.0.1:2"),)),)
    assert reopened.environment("local").variables[0][1] == "http://127.0.0.1:2"
    text = (collection.root / MANIFEST_NAME).read_text()
    text += "extensions:\n  webhook-inspector:\n    signing:\n"
    text += "    - {name: gh, scheme: github_sha256, secret: GH}\n"
    (collection.root / MANIFEST_NAME).write_text(text)
    signing = Collection.open(collection.root).manifest.signing
    assert signing == (SigningProfile("gh", "github_sha256", "GH"),)


def test_open_needs_a_manifest_and_create_an_empty_folder(tmp_path):
    with pytest.raises(NotFoundError, match="not a collection"):
        Collection.open(tmp_path)
    (tmp_path / "x").write_text("")
    with pytest.raises(UsageError, match="not an empty folder"):
        Collection.create(tmp_path)
