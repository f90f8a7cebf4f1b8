"""`send` and `resend`: deliver a request (signed, on a retry schedule) and print the response."""

# ruff: noqa: PLC0415 (handlers import what they need when they run: `list` must not pay for httpx)

from __future__ import annotations

import argparse
import base64
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from webhook_inspector.core.errors import InspectorError, UsageError

if TYPE_CHECKING:
    from webhook_inspector.cli import AddCommand
    from webhook_inspector.core.model import Exchange, OutgoingRequest
    from webhook_inspector.core.retries import Attempt, Delivery, Schedule
    from webhook_inspector.core.sender import Signer

BODY_METHODS = frozenset(("POST", "PUT", "PATCH"))


def add_commands(add: AddCommand) -> None:
    """Register `send` and `resend`."""
    p = add("send", cmd_send, "send a request and print the response")
    p.add_argument("method", help="HTTP method, sent as written")
    p.add_argument("url")
    p.add_argument("-H", "--header", action="append", default=[], metavar="'Name: value'")
    p.add_argument("--body-file", metavar="F", help="body bytes from F ('-': stdin)")
    _add_delivery_options(p)

    p = add("resend", cmd_resend, "send a stored capture again, byte-exact")
    p.add_argument("id", type=int)
    p.add_argument("--to", metavar="URL", help="base URL (default: the capture's Host)")
    _add_delivery_options(p)


def _add_delivery_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--sign", metavar="ID", help="signing scheme (see `schemes`)")
    p.add_argument("--secret", metavar="S", help="signing secret for --sign")
    p.add_argument("--retries", type=int, metavar="N", help="retry a failure up to N times")
    p.add_argument(
        "--schedule",
        metavar="NAME",
        help="stripe, shopify, svix, github, none, or fixed:5s, linear:5s, exponential:1s",
    )
    p.add_argument("--compress", type=float, default=1.0, metavar="F",
                   help="divide every retry wait by F (86400: a day a second)")  # fmt: skip
    p.add_argument("--timeout", type=float, metavar="S", help="seconds for the whole answer")
    p.add_argument("--insecure", action="store_true", help="do not verify TLS certificates")
    p.add_argument("--json", action="store_true", help="every attempt as one JSON object")


def cmd_send(args: argparse.Namespace) -> int:
    """Send METHOD URL with the given headers and body."""
    from webhook_inspector.core.model import OutgoingRequest

    headers = tuple(_parse_header(text) for text in args.header)
    body = _read_body(args.body_file, expected=args.method.upper() in BODY_METHODS)
    request = OutgoingRequest(args.method, args.url, headers, body)
    return _deliver(args, request, None, kind="send", capture_id=None)


def cmd_resend(args: argparse.Namespace) -> int:
    """Send stored capture ID again to --to (or its own Host)."""
    from webhook_inspector.core.forwarder import forward_request
    from webhook_inspector.core.store import Store

    path = _db_path(args)
    if not path.exists():
        raise InspectorError(f"no capture store at {path} (run 'webhook-inspector listen' first)")
    store = Store(path)
    try:
        capture = store.get(args.id)
    finally:
        store.close()
    if not capture.method or not capture.target.startswith("/"):
        raise UsageError(f"capture #{args.id} was refused ({capture.reason}); nothing to resend")
    base = args.to
    if not base:
        host = capture.header("host")
        if not host:
            raise UsageError(f"capture #{args.id} has no Host header: give --to URL")
        base = f"{'https' if capture.tls else 'http'}://{host}"
    request, target = forward_request(capture, base)
    return _deliver(args, request, target, kind="resend", capture_id=capture.id)


def _deliver(
    args: argparse.Namespace,
    request: OutgoingRequest,
    raw_target: bytes | None,
    *,
    kind: str,
    capture_id: int | None,
) -> int:
    import asyncio  # not at the top: the CLI parser (and `gui`) load this module

    from webhook_inspector.core.retries import deliver
    from webhook_inspector.core.sender import Sender, SendOptions

    schedule = _schedule(args)
    sign = _signer(args)
    timeout = args.timeout if args.timeout else schedule.timeout_s
    options = SendOptions(timeout_s=timeout, verify_tls=not args.insecure)

    def report(attempt: Attempt, next_wait_s: float | None) -> None:
        if not args.json:
            then = "" if next_wait_s is None else f"; retrying in {next_wait_s:g} s"
            print(f"attempt {attempt.number}: {_outcome(attempt.exchange)}{then}", file=sys.stderr)

    async def run() -> Delivery:
        async with Sender() as sender:
            return await deliver(sender, request, schedule, compress=args.compress,
                                 options=options, sign=sign, on_attempt=report,
                                 raw_target=raw_target)  # fmt: skip

    delivery = asyncio.run(run())
    send_id = _record(args, delivery, kind, capture_id)
    out = sys.stdout.buffer
    last = delivery.last
    if args.json:
        doc = {
            "send_id": send_id,
            "delivered": delivery.delivered,
            "schedule": schedule.name,
            "request": {"method": last.request.method, "url": last.request.url,
                        "headers": last.request.headers},
            "attempts": [_attempt_json(a) for a in delivery.attempts],
        }  # fmt: skip
        out.write(json.dumps(doc, indent=2).encode() + b"\n")
    elif last.status is not None:
        from webhook_inspector.cli import safe_text

        lines = [f"HTTP/{last.http_version} {last.status} {last.reason}"]
        lines += [f"{safe_text(k)}: {safe_text(v)}" for k, v in last.headers]
        out.write(("\n".join(lines) + "\n\n").encode())
        out.write(last.body)
        if last.body_truncated:
            print(
                f"body: {last.body_size} bytes in all, saved to {last.body_path}", file=sys.stderr
            )
    out.flush()
    if last.status is None and not args.json:
        raise InspectorError(last.error)
    return 0 if delivery.delivered else 1


def _record(args: argparse.Namespace, delivery: Delivery, kind: str, capture_id: int | None) -> int:
    """Keep the send in the history; a store that cannot be written only costs a warning."""
    from webhook_inspector.core.store import Store

    try:
        store = Store(_db_path(args))
        try:
            return store.record_send(delivery.request, [a.exchange for a in delivery.attempts],
                                     kind=kind, capture_id=capture_id,
                                     schedule=delivery.schedule.name)  # fmt: skip
        finally:
            store.close()
    except InspectorError as exc:
        print(f"webhook-inspector: warning: not kept in the history: {exc}", file=sys.stderr)
        return 0


def _outcome(exchange: Exchange) -> str:
    if exchange.status is None:
        return exchange.error
    return f"{exchange.status} {exchange.reason} in {exchange.total_ms:.1f} ms"


def _attempt_json(attempt: Attempt) -> dict[str, object]:
    e = attempt.exchange
    try:
        body, encoding = e.body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        body, encoding = base64.b64encode(e.body).decode("ascii"), "base64"
    return {
        "number": attempt.number, "waited_s": attempt.waited_s, "failure": attempt.failure,
        "status": e.status, "reason": e.reason, "headers": e.headers, "body": body,
        "body_encoding": encoding, "body_size": e.body_size, "body_path": e.body_path,
        "connect_ms": e.connect_ms, "first_byte_ms": e.first_byte_ms, "total_ms": e.total_ms,
        "error_kind": e.error_kind, "error": e.error,
    }  # fmt: skip


def _schedule(args: argparse.Namespace) -> Schedule:
    from webhook_inspector.core.retries import SCHEDULES, parse_schedule

    if args.retries is not None and args.retries < 0:
        raise UsageError("--retries must be 0 or more")
    if args.schedule:
        return parse_schedule(args.schedule, args.retries)
    if args.retries:
        return parse_schedule("exponential:1s", args.retries)
    return SCHEDULES["none"]


def _signer(args: argparse.Namespace) -> Signer | None:
    if not args.sign:
        if args.secret:
            raise UsageError("--secret needs --sign ID")
        return None
    if not args.secret:
        raise UsageError(f"--sign {args.sign} needs --secret")
    try:
        from webhook_inspector.core import signing  # type: ignore[attr-defined]

        make = signing.request_signer
    except (ImportError, AttributeError) as exc:
        raise InspectorError("signing is not available") from exc
    return make(args.sign, args.secret)  # type: ignore[no-any-return]


def _parse_header(text: str) -> tuple[str, str]:
    name, sep, value = text.partition(":")
    if not sep or not name.strip() or name != name.strip():
        raise UsageError(f"invalid header {text!r} (expected 'Name: value')")
    return name, value.strip()


def _read_body(body_file: str | None, *, expected: bool) -> bytes:
    if body_file not in (None, "-"):
        try:
            return Path(body_file).read_bytes()
        except OSError as exc:
            raise InspectorError(f"cannot read {body_file}: {exc.strerror}") from exc
    stdin = sys.stdin
    if body_file is None and (not expected or stdin is None or _is_tty(stdin)):
        return b""
    return stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read().encode()


def _is_tty(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (OSError, ValueError, AttributeError):
        return True


def _db_path(args: argparse.Namespace) -> Path:
    from webhook_inspector.core.store import default_db_path

    return Path(args.db) if args.db else default_db_path()
