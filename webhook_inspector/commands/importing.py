"""The `import` subcommand: read requests from other tools, or restore captures from NDJSON.

Imported HAR, Postman, Insomnia, Bruno, OpenCollection and cURL items are requests to send, not
webhooks that arrived: the store keeps only what reached the listener (DESIGN §2), so they are
never written into it as fake captures. Without a target, `import` checks the file and lists what
it holds. An NDJSON export (`export --format ndjson`) is captures, byte-exact: `import` restores
it into the store (`--db`), all rows in one transaction.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from webhook_inspector.cli import AddCommand, safe_text
from webhook_inspector.core.errors import InspectorError, UsageError

if TYPE_CHECKING:
    from webhook_inspector.core.formats.importresult import ImportResult


def add_commands(add: AddCommand) -> None:
    """Register `import`."""
    p = add(
        "import",
        cmd_import,
        "import requests (HAR, Postman, Insomnia, Bruno, OpenCollection, cURL) and list them, "
        "or restore captures from an NDJSON export into the store",
    )
    p.add_argument("file", help="the file to import ('-' reads stdin); its format is sniffed")
    p.add_argument(
        "--collection",
        metavar="DIR",
        help="write the requests (folders as directories) and environments into this collection "
        "(created when absent); secret values are left out and named",
    )


def _read(name: str) -> bytes:
    if name == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(name).read_bytes()
    except OSError as exc:
        raise InspectorError(f"cannot read {name}: {exc.strerror}") from exc


def _is_ndjson_export(data: bytes) -> bool:
    first = next((line for line in data.splitlines() if line.strip()), b"")
    try:
        record = json.loads(first)
    except ValueError:
        return False
    return isinstance(record, dict) and "body_base64" in record and "received_at_us" in record


def cmd_import(args: argparse.Namespace) -> int:
    """Restore an NDJSON export into the store, or read and list another format's requests."""
    if args.collection and args.db:
        raise UsageError("give --db (captures) or --collection (requests), not both")
    data = _read(args.file)
    if _is_ndjson_export(data):
        if args.collection:
            raise UsageError("an NDJSON export holds captures: restore it with --db, not into a "
                             "collection")  # fmt: skip
        return _restore_captures(args, data)
    from webhook_inspector.core.formats.importers import import_bytes  # noqa: PLC0415 (lazy: CLI start-up)

    result = import_bytes(data)
    if args.collection:
        return _into_collection(args, result)
    if args.db:
        raise UsageError(
            f"{result.format} holds requests to send, not captures; the capture store keeps "
            "only what arrived (import without --db to list them)"
        )
    for warning in result.warnings:
        print(f"warning: {safe_text(warning)}", file=sys.stderr)
    for request in result.requests:
        print(f"{safe_text(request.method)} {safe_text(request.url)}  {safe_text(request.name)}")
    for environment in result.environments:
        names = ", ".join(name for name, _ in environment.variables)
        print(f"environment {safe_text(environment.name)}: {safe_text(names)}")
    print(
        f"read {len(result.requests)} requests and {len(result.environments)} environments "
        f"({result.format})",
        file=sys.stderr,
    )
    return 0


def _into_collection(args: argparse.Namespace, result: ImportResult) -> int:
    from webhook_inspector.core.collection.imports import import_into  # noqa: PLC0415

    for warning in result.warnings:
        print(f"warning: {safe_text(warning)}", file=sys.stderr)
    name = Path(args.file).stem if args.file != "-" else ""
    summary = import_into(result, Path(args.collection), name=name)
    for item_id in summary.request_ids:
        print(safe_text(item_id))
    for secret in summary.secrets:
        print(f"left out {safe_text(secret.hint)}", file=sys.stderr)
    print(
        f"imported {len(summary.request_ids)} requests and {len(summary.environments)} "
        f"environments ({result.format}) into {summary.root}",
        file=sys.stderr,
    )
    return 0


def _restore_captures(args: argparse.Namespace, data: bytes) -> int:
    # Imported here, not at the top: other subcommands must not pay for them at start-up.
    from webhook_inspector.cli import _db_path  # noqa: PLC0415
    from webhook_inspector.core.formats.ndjson import read_ndjson  # noqa: PLC0415
    from webhook_inspector.core.store import StoreWriter  # noqa: PLC0415

    captures = list(read_ndjson(data.splitlines()))  # all or nothing: every line read first
    path = _db_path(args)
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = StoreWriter(path, lambda capture, _id: capture.response)
    try:
        ids = writer.write_now(captures)
    finally:
        writer.stop()
    span = f" (#{ids[0]}–#{ids[-1]})" if ids else ""
    print(f"restored {len(ids)} captures into {path}{span}", file=sys.stderr)
    return 0
