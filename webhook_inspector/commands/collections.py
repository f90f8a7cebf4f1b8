"""`run`: send requests saved in a collection (one, a folder, or all) with an environment."""

# ruff: noqa: PLC0415 (handlers import what they need when they run: `list` must not pay for httpx)

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from webhook_inspector.cli import AddCommand
    from webhook_inspector.core.collection.runner import Prepared
    from webhook_inspector.core.model import Exchange


def add_commands(add: AddCommand) -> None:
    """Register `run`."""
    p = add(
        "run",
        cmd_run,
        "send a collection's requests (one, a folder, or all), rendered with an environment",
        db=False,
    )
    p.add_argument("collection", metavar="DIR", help="the collection folder")
    p.add_argument(
        "item", nargs="?", default="", metavar="ID",
        help="request or folder id, e.g. 'Orders/Create order.yml' (default: all)",
    )  # fmt: skip
    p.add_argument("--env", metavar="NAME", help="environment whose {{variables}} to use")
    p.add_argument("--timeout", type=float, default=30.0, metavar="S")
    p.add_argument("--insecure", action="store_true", help="do not verify TLS certificates")
    p.add_argument("--json", action="store_true", help="one JSON object per request")


def cmd_run(args: argparse.Namespace) -> int:
    """Render every chosen request (stopping at the first undefined variable), then send each."""
    import asyncio  # not at the top: the CLI parser (and `gui`) load this module

    from webhook_inspector.cli import safe_text
    from webhook_inspector.core.collection.runner import prepare, send_all
    from webhook_inspector.core.collection.tree import Collection
    from webhook_inspector.core.sender import Sender, SendOptions

    collection = Collection.open(args.collection)
    prepared = prepare(collection, args.item, args.env)
    options = SendOptions(timeout_s=args.timeout, verify_tls=not args.insecure)

    def report(item: Prepared, exchange: Exchange) -> None:
        if args.json:
            print(json.dumps(_json(item, exchange)), flush=True)
            return
        outcome = str(exchange.status) if exchange.status is not None else exchange.error
        signed = f" signed:{item.profile}" if item.profile else ""
        print(f"{safe_text(outcome)} {safe_text(item.request.method)} "
              f"{safe_text(item.request.url)}  {safe_text(item.item_id)} "
              f"{exchange.total_ms:.0f}ms{signed}", flush=True)  # fmt: skip

    async def run() -> list[Exchange]:
        async with Sender() as sender:
            return await send_all(sender, prepared, options, report)

    exchanges = asyncio.run(run())
    failed = sum(1 for exchange in exchanges if not exchange.ok)
    if failed:
        print(f"{failed} of {len(exchanges)} requests did not get a 2xx answer", file=sys.stderr)
    return 1 if failed else 0


def _json(item: Prepared, exchange: Exchange) -> dict[str, object]:
    return {
        "id": item.item_id,
        "method": item.request.method,
        "url": item.request.url,
        "signed_with": item.profile or None,
        "status": exchange.status,
        "error": exchange.error or None,
        "total_ms": round(exchange.total_ms, 3),
        "response_size": exchange.body_size,
    }
