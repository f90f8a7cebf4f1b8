"""A collection on disk: a folder of request files, folders as directories, a root manifest.

Item ids are paths relative to the collection root with `/` separators (`Orders/Create.yml`,
`Orders` for a folder), stable while the files stay where they are. Every id is checked to stay
inside the root (no `..`, no symlink out), so a collection pulled from git cannot make us read
or write elsewhere. Writes go to a temporary file that replaces the old one, never half-written.
Call from any one thread at a time; nothing here touches the network.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from webhook_inspector.core.collection.manifest import (
    MANIFEST_NAME,
    Manifest,
    dump_manifest,
    load_manifest,
)
from webhook_inspector.core.collection.names import RESERVED_STEMS, numbered, safe_name
from webhook_inspector.core.collection.requestfile import (
    SIDE_SUFFIX,
    dump_request,
    load_request,
    read_seq,
)
from webhook_inspector.core.errors import FormatError, InspectorError, NotFoundError, UsageError
from webhook_inspector.core.formats.importresult import Environment
from webhook_inspector.core.model import OutgoingRequest

REQUEST_SUFFIX = ".yml"
_SKIPPED_DIRS = frozenset({"environments", ".git", "node_modules"})


@dataclass(frozen=True, slots=True)
class Item:
    """A node of the collection tree: a folder (with children) or a request."""

    id: str
    name: str
    kind: str  # "folder" or "request"
    method: str = ""
    seq: int = 0
    children: tuple[Item, ...] = ()
    error: str = ""  # a request file that does not parse says why here, instead of vanishing


class Collection:
    """A collection folder: read its tree, load, save, rename, move, copy and delete requests."""

    def __init__(self, root: Path, manifest: Manifest) -> None:
        self.root = root
        self.manifest = manifest

    @classmethod
    def open(cls, path: Path | str) -> Collection:
        """Open the collection at `path`; raises NotFoundError or FormatError."""
        root = Path(path).resolve()
        manifest_path = root / MANIFEST_NAME
        if not manifest_path.is_file():
            raise NotFoundError(f"{root} is not a collection (no {MANIFEST_NAME})")
        text = _read_text(manifest_path)
        return cls(root, load_manifest(text, f"collection manifest {manifest_path}"))

    @classmethod
    def create(cls, path: Path | str, name: str = "") -> Collection:
        """Make a new, empty collection at `path` (an absent or empty folder)."""
        root = Path(path).resolve()
        if root.exists() and (not root.is_dir() or any(root.iterdir())):
            raise UsageError(f"{root} exists and is not an empty folder")
        root.mkdir(parents=True, exist_ok=True)
        collection = cls(root, Manifest(name or root.name))
        collection.save_manifest(collection.manifest)
        return collection

    # Reading

    def items(self) -> tuple[Item, ...]:
        """The tree under the root: folders first, then requests by seq and name."""
        return self._folder_items(self.root)

    def request_ids(self, folder: str = "") -> list[str]:
        """Every request id under `folder` (all when empty), depth first in tree order."""
        start = self._path(folder) if folder else self.root
        found: list[str] = []

        def walk(items: tuple[Item, ...]) -> None:
            for item in items:
                if item.kind == "folder":
                    walk(item.children)
                else:
                    found.append(item.id)

        walk(self._folder_items(start))
        return found

    def load_request(self, item_id: str) -> OutgoingRequest:
        """The request saved as `item_id`; raises NotFoundError or FormatError."""
        path = self._path(item_id)
        if not path.is_file():
            raise NotFoundError(f"no request {item_id!r} in collection {self.manifest.name!r}")
        request, _ = load_request(
            _read_text(path), f"request {item_id}", lambda name: self._read_side(path, name)
        )
        return request

    def environments(self) -> tuple[Environment, ...]:
        """The collection's environments, as the manifest lists them."""
        return self.manifest.environments

    def environment(self, name: str) -> Environment:
        """One environment by name; raises UsageError listing the known ones."""
        return self.manifest.environment(name)

    def fingerprint(self) -> str:
        """A digest of every file's path, size and mtime: it changes when anything on disk does.

        Cheap (no file is read), so a window can poll it to notice a `git pull`.
        """
        digest = hashlib.blake2b(digest_size=16)
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames[:] = sorted(d for d in dirnames if d != ".git")
            for filename in sorted(filenames):
                path = os.path.join(dirpath, filename)
                try:
                    stat = os.stat(path)
                except OSError:
                    continue
                relative = os.path.relpath(path, self.root)
                digest.update(f"{relative}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
        return digest.hexdigest()

    # Writing

    def save_manifest(self, manifest: Manifest) -> None:
        """Write `manifest` as the collection's root file."""
        _write_atomic(self.root / MANIFEST_NAME, dump_manifest(manifest).encode("utf-8"))
        self.manifest = manifest

    def save_environment(self, environment: Environment) -> None:
        """Add `environment`, or replace the one with its name."""
        kept = tuple(e for e in self.manifest.environments if e.name != environment.name)
        self.save_manifest(replace(self.manifest, environments=(*kept, environment)))

    def add_folder(self, parent: str, name: str) -> str:
        """Create folder `name` under `parent` (or find it); returns its id."""
        path = self._folder_path(parent) / safe_name(name, "folder")
        if path.exists() and not path.is_dir():
            raise UsageError(f"cannot make folder {self._id(path)!r}: a file has that name")
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InspectorError(f"cannot make folder {path}: {exc.strerror}") from None
        return self._id(path)

    def save_request(
        self, folder: str, name: str, request: OutgoingRequest, *, overwrite: bool = True
    ) -> str:
        """Save `request` as `name` in `folder` (created as needed); returns the item id.

        With `overwrite` an existing request of that name is replaced (it keeps its place);
        without, the name gets a number until it is free.
        """
        directory = self._folder_path(folder)
        directory.mkdir(parents=True, exist_ok=True)
        stem = safe_name(name)
        path = directory / (stem + REQUEST_SUFFIX)
        if not overwrite:
            number = 1
            while path.exists() or path.with_suffix(SIDE_SUFFIX).exists():
                number += 1
                path = directory / (safe_name(numbered(stem, number)) + REQUEST_SUFFIX)
        seq = self._seq_for(path)
        self._write_request(path, replace(request, name=name), seq)
        return self._id(path)

    def rename(self, item_id: str, new_name: str) -> str:
        """Give a request or folder a new name; returns its new id."""
        path = self._path(item_id)
        if path.is_dir():
            target = path.with_name(safe_name(new_name, "folder"))
            self._refuse_existing(target)
            path.rename(target)
            return self._id(target)
        request = self.load_request(item_id)
        target = path.with_name(safe_name(new_name) + REQUEST_SUFFIX)
        if target != path:
            self._refuse_existing(target)
        self._write_request(target, replace(request, name=new_name), self._seq_for(path))
        if target != path:
            self._remove_request_files(path)
        return self._id(target)

    def move(self, item_id: str, folder: str) -> str:
        """Move a request or folder into `folder` ("" is the root); returns its new id."""
        path = self._path(item_id)
        directory = self._folder_path(folder)
        if path.is_dir() and (directory == path or path in directory.parents):
            raise UsageError(f"cannot move folder {item_id!r} into itself")
        directory.mkdir(parents=True, exist_ok=True)
        target = directory / path.name
        self._refuse_existing(target)
        if path.is_file():
            side = path.with_suffix(SIDE_SUFFIX)
            if side.exists():
                side.rename(target.with_suffix(SIDE_SUFFIX))
        path.rename(target)
        return self._id(target)

    def duplicate(self, item_id: str) -> str:
        """Copy a request next to itself as "<name> copy"; returns the copy's id."""
        request = self.load_request(item_id)
        folder = self._id(self._path(item_id).parent)
        return self.save_request(folder, f"{request.name} copy", request, overwrite=False)

    def delete(self, item_id: str) -> None:
        """Delete a request (and its side file) or a folder with everything in it."""
        path = self._path(item_id)
        if path == self.root:
            raise UsageError("the collection root cannot be deleted")
        if path.is_dir():
            shutil.rmtree(path)
        elif path.is_file():
            self._remove_request_files(path)
        else:
            raise NotFoundError(f"no item {item_id!r} in collection {self.manifest.name!r}")

    # Internals

    def _folder_items(self, directory: Path) -> tuple[Item, ...]:
        folders: list[Item] = []
        requests: list[Item] = []
        try:
            entries = sorted(directory.iterdir(), key=lambda p: p.name)
        except OSError:
            return ()
        for entry in entries:
            if entry.is_symlink():
                continue  # a link could lead out of the collection
            if entry.is_dir():
                if entry.name in _SKIPPED_DIRS or entry.name.startswith("."):
                    continue
                folder_id = self._id(entry)
                folders.append(Item(folder_id, entry.name, "folder",
                                    children=self._folder_items(entry)))  # fmt: skip
            elif entry.suffix == REQUEST_SUFFIX and entry.stem not in RESERVED_STEMS:
                requests.append(self._request_item(entry))
        requests.sort(key=lambda item: (item.seq, item.name.casefold(), item.id))
        return (*folders, *requests)

    def _request_item(self, path: Path) -> Item:
        item_id = self._id(path)
        try:
            request, seq = load_request(_read_text(path), f"request {item_id}", lambda _: b"")
        except InspectorError as exc:
            return Item(item_id, path.stem, "request", error=str(exc))
        return Item(item_id, request.name or path.stem, "request", request.method, seq)

    def _write_request(self, path: Path, request: OutgoingRequest, seq: int) -> None:
        side = path.with_suffix(SIDE_SUFFIX)
        written = dump_request(request, seq=seq, side_name=side.name)
        if written.side_body is not None:
            _write_atomic(side, written.side_body)
        else:
            side.unlink(missing_ok=True)
        _write_atomic(path, written.text.encode("utf-8"))

    def _remove_request_files(self, path: Path) -> None:
        path.with_suffix(SIDE_SUFFIX).unlink(missing_ok=True)
        path.unlink()

    def _seq_for(self, path: Path) -> int:
        if path.is_file():
            return read_seq(_read_text(path), str(path))
        seqs = [
            read_seq(_read_text(p), str(p))
            for p in path.parent.glob("*" + REQUEST_SUFFIX)
            if p.stem not in RESERVED_STEMS and not p.is_symlink()
        ]
        return max(seqs, default=0) + 1

    def _read_side(self, request_path: Path, name: str) -> bytes:
        # A side file sits next to its request: a bare name, never a path.
        if PurePosixPath(name).name != name or "\\" in name or name in ("", ".", ".."):
            raise FormatError(f"request {self._id(request_path)}: body file {name!r} must be "
                              "a file name next to the request")  # fmt: skip
        side = request_path.parent / name
        self._check_inside(side)
        try:
            return side.read_bytes()
        except OSError as exc:
            raise FormatError(
                f"request {self._id(request_path)}: cannot read body file {name}: {exc.strerror}"
            ) from None

    def _path(self, item_id: str) -> Path:
        parts = PurePosixPath(item_id).parts if item_id else ()
        if any(part in ("..", ".") or "\\" in part for part in parts) or item_id.startswith("/"):
            raise UsageError(f"item id {item_id!r} must be a path inside the collection")
        path = self.root.joinpath(*parts)
        self._check_inside(path)
        return path

    def _folder_path(self, folder: str) -> Path:
        path = self._path(folder)
        if path.exists() and not path.is_dir():
            raise UsageError(f"{folder!r} is a request, not a folder")
        return path

    def _check_inside(self, path: Path) -> None:
        resolved = path.resolve()
        if resolved != self.root and self.root not in resolved.parents:
            raise UsageError(f"{path} leads outside the collection")

    def _id(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix() if path != self.root else ""

    def _refuse_existing(self, target: Path) -> None:
        if target.exists():
            raise UsageError(f"{self._id(target)!r} already exists in the collection")


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InspectorError(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise FormatError(f"{path} is not UTF-8 text") from None


def _write_atomic(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise InspectorError(f"cannot write {path}: {exc.strerror}") from None
