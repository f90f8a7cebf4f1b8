"""Import into a collection, all or nothing: folders become directories, environments saved.

Imported names carry their folders joined with `/` (a `/` inside a name arrives as `∕`). Every
request file is built in memory first; a new collection is then written into a temporary
folder and renamed into place, an existing one gets its new files and loses them again if
any write fails. Secret header and variable values are kept out of the files (secretvalues).
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from webhook_inspector.core.collection.manifest import MANIFEST_NAME
from webhook_inspector.core.collection.names import safe_name
from webhook_inspector.core.collection.requestfile import dump_request
from webhook_inspector.core.collection.secretvalues import (
    MovedSecret,
    without_secret_headers,
    without_secret_variables,
)
from webhook_inspector.core.collection.tree import Collection
from webhook_inspector.core.errors import InspectorError
from webhook_inspector.core.formats.importresult import Environment, ImportResult
from webhook_inspector.core.model import OutgoingRequest


@dataclass(slots=True)
class ImportSummary:
    """What an import wrote: request ids, environment names and the secrets left out."""

    root: Path
    request_ids: list[str] = field(default_factory=list)
    environments: list[str] = field(default_factory=list)
    secrets: list[MovedSecret] = field(default_factory=list)


def import_into(result: ImportResult, path: Path | str, *, name: str = "") -> ImportSummary:
    """Write `result` into the collection at `path`, creating it when absent or empty."""
    target = Path(path).resolve()
    planned, environments, secrets = _plan(result)
    if (target / MANIFEST_NAME).is_file():
        collection = Collection.open(target)
        summary = ImportSummary(collection.root, secrets=secrets)
        _write_into(collection, planned, environments, summary, rollback=True)
        return summary
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InspectorError(f"{target} is neither a collection nor an empty folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.import-"))
    try:
        collection = Collection.create(staging / "c", name or result.format)
        summary = ImportSummary(target, secrets=secrets)
        _write_into(collection, planned, environments, summary, rollback=False)
        if target.exists():
            target.rmdir()  # empty, checked above
        (staging / "c").rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return summary


def _plan(
    result: ImportResult,
) -> tuple[list[tuple[str, str, OutgoingRequest]], list[Environment], list[MovedSecret]]:
    secrets: list[MovedSecret] = []
    planned = []
    for request in result.requests:
        *folders, leaf = (request.name or f"{request.method} {request.url}").split("/")
        clean, moved = without_secret_headers(OutgoingRequest(
            request.method, request.url, request.headers, request.body, leaf or "untitled"
        ))  # fmt: skip
        secrets += moved
        dump_request(clean, seq=0, side_name="check.body")  # fails here, before any write
        planned.append(("/".join(folders), clean.name, clean))
    environments: list[Environment] = []
    for environment in result.environments:
        clean_env, moved = without_secret_variables(environment)
        secrets += moved
        environments.append(clean_env)
    return planned, environments, secrets


def _write_into(
    collection: Collection,
    planned: list[tuple[str, str, OutgoingRequest]],
    environments: list[Environment],
    summary: ImportSummary,
    *,
    rollback: bool,
) -> None:
    manifest = collection.manifest
    created_folders: list[str] = []
    try:
        for folder_path, leaf, request in planned:
            folder = ""
            for part in folder_path.split("/") if folder_path else ():
                existed = (collection.root / folder / safe_name(part, "folder")).exists()
                folder = collection.add_folder(folder, part)
                if not existed:
                    created_folders.append(folder)
            summary.request_ids.append(
                collection.save_request(folder, leaf, request, overwrite=False)
            )
        for environment in environments:
            collection.save_environment(environment)
            summary.environments.append(environment.name)
    except BaseException:
        if rollback:
            for item_id in reversed(summary.request_ids):
                collection.delete(item_id)
            collection.save_manifest(manifest)
            for folder in reversed(created_folders):
                with contextlib.suppress(OSError):
                    (collection.root / folder).rmdir()
        raise
