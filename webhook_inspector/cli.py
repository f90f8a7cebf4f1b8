"""Command line: argument parsing and output for every subcommand (no GUI import unless asked)."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import logging
import os
import queue
import re
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn, Protocol, TextIO

from webhook_inspector import __version__
from webhook_inspector.core.errors import InspectorError, UsageError
from webhook_inspector.core.model import CapturedRequest

PRINT_QUEUE_LINES = 10_000
_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*([kmg]?i?b?)?", re.IGNORECASE)
_UNITS = {"": 1, "b": 1, "k": 1000, "kb": 1000, "kib": 1024, "m": 10**6, "mb": 10**6}
_UNITS |= {"mib": 1024**2, "g": 10**9, "gb": 10**9, "gib": 1024**3, "ki": 1024, "mi": 1024**2}
# Modules under webhook_inspector/commands/ that add subcommands: each has add_commands(add).
COMMAND_MODULES: tuple[str, ...] = (
    "webhook_inspector.commands.signing",
    "webhook_inspector.commands.importing",
    "webhook_inspector.commands.sending",
    "webhook_inspector.commands.collections",
)
_FILTER_HELP = (
    "only captures matching EXPR, e.g. 'stripe status:5xx age:<1h' (words, \"phrases\","
    " method: path: header: query: body: from: status: size: type: inbox: sig: after: before:"
    " age:, OR, ( ), -negation)"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


class AddCommand(Protocol):
    """Adds one subcommand: its name, handler and help; `db` adds the --db option."""

    def __call__(
        self, name: str, fn: Callable[[argparse.Namespace], int], text: str, *, db: bool = True
    ) -> argparse.ArgumentParser: ...


class _Parser(argparse.ArgumentParser):
    """argparse with one-line usage errors (exit 2)."""

    def error(self, message: str) -> NoReturn:
        """Print one line and exit 2."""
        self.exit(2, f"{self.prog}: error: {message}\n")


def parse_size(text: str) -> int:
    """Parse '10MiB', '500kb', '1024' into bytes. Raises UsageError."""
    match = _SIZE.fullmatch(text.strip())
    unit = (match.group(2) or "").lower() if match else ""
    if match is None or unit not in _UNITS:
        raise UsageError(f"invalid size {text!r} (examples: 1048576, 512KiB, 10MiB)")
    return int(float(match.group(1)) * _UNITS[unit])


def _size_arg(text: str) -> int:
    try:
        return parse_size(text)
    except UsageError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def safe_text(text: str) -> str:
    """Make control characters (ANSI escapes, bidi overrides) visible as \\x.. escapes."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256
                        else f"\\u{ord(m.group()):04x}", text)  # fmt: skip


def iso_time(received_at_us: int) -> str:
    """UTC ISO 8601 with microseconds."""
    return datetime.fromtimestamp(received_at_us / 1e6, UTC).isoformat(timespec="microseconds")


class LinePrinter:
    """Formats and writes capture lines from its own thread, dropping lines when the reader lags.

    Capture must never wait for a terminal or a pipe nobody reads; printing is best effort.
    Formatting happens on the printer's thread too, off the listener's loop.
    """

    def __init__(self, stream: TextIO, render: Callable[[int, CapturedRequest], str]) -> None:
        self.dropped = 0
        self._stream = stream
        self._render = render
        self._queue: queue.Queue[tuple[int, CapturedRequest] | None] = queue.Queue(
            PRINT_QUEUE_LINES
        )
        self._thread = threading.Thread(target=self._run, name="line-printer", daemon=True)
        self._thread.start()

    def print(self, capture_id: int, capture: CapturedRequest) -> None:
        """Queue one capture's line, or count it as dropped when the queue is full."""
        try:
            self._queue.put_nowait((capture_id, capture))
        except queue.Full:
            self.dropped += 1

    def close(self, timeout_s: float = 2.0) -> None:
        """Flush what is queued, waiting at most `timeout_s` for a stuck stream."""
        with contextlib.suppress(queue.Full):
            self._queue.put(None, timeout=timeout_s)
        self._thread.join(timeout_s)

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            try:
                self._stream.write(self._render(*item) + "\n")
                if self._queue.empty():
                    self._stream.flush()
            except (OSError, ValueError):  # closed pipe: keep capturing, stop printing
                return


def _db_path(args: argparse.Namespace) -> Path:
    from webhook_inspector.core.store import default_db_path

    return Path(args.db) if args.db else default_db_path()


def _open_existing_store(args: argparse.Namespace):
    from webhook_inspector.core.store import Store

    path = _db_path(args)
    if not path.exists():
        raise InspectorError(f"no capture store at {path} (run 'webhook-inspector listen' first)")
    return Store(path)


def _filter(args: argparse.Namespace):
    """The compiled --filter expression, or None. Raises QueryError (a usage error)."""
    if not args.filter:
        return None
    from webhook_inspector.core.query import compile_query

    return compile_query(args.filter)


def _capture_line(capture_id: int, capture: CapturedRequest) -> str:
    stamp = datetime.fromtimestamp(capture.received_at_us / 1e6).strftime("%H:%M:%S.%f")[:-3]
    outcome = "" if capture.status < 400 else f" {capture.status} {capture.outcome}"
    outcome += f" signature:{capture.signature}" if capture.signature else ""
    target = safe_text(capture.target) or "-"
    method = safe_text(capture.method) or "-"
    return f"{stamp} {method} {target} {len(capture.body)}{outcome} #{capture_id}"


def _capture_json(capture_id: int, capture: CapturedRequest) -> str:
    return json.dumps(
        {
            "id": capture_id,
            "received_at": iso_time(capture.received_at_us),
            "method": capture.method,
            "target": capture.target,
            "size": len(capture.body),
            "status": capture.status,
            "outcome": str(capture.outcome),
            "remote": capture.remote,
            "signature": capture.signature or None,
        }
    )


def cmd_listen(args: argparse.Namespace) -> int:
    """Run the capture service until SIGINT/SIGTERM."""
    import asyncio  # not at the top: `gui` paints its window before asyncio loads

    from webhook_inspector.core.listener import ListenerConfig
    from webhook_inspector.core.service import CaptureService

    config = ListenerConfig(host=args.host, port=args.port, max_body=args.max_body)
    forward = None
    if args.forward_to:
        from webhook_inspector.core.forwarder import ForwardSettings

        forward = ForwardSettings(args.forward_to, answer=args.forward_answer)
    verifier = None
    if args.verify:
        from webhook_inspector.core.verification import Verifier, parse_profile

        verifier = Verifier(parse_profile(spec) for spec in args.verify)
    # WEBHOOK_INSPECTOR_NO_INDEX=1: no search indexer in this process (benchmarks measure its
    # cost with it; searches still find everything, scanning what is not indexed).
    index = os.environ.get("WEBHOOK_INSPECTOR_NO_INDEX", "") != "1"
    service = CaptureService(
        config, _db_path(args), forward=forward, index=index, verifier=verifier
    )
    printer = LinePrinter(sys.stdout, _capture_json if args.format == "json" else _capture_line)
    service.add_observer(printer.print)

    async def run() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        try:
            await service.start()
        except OSError as exc:
            await asyncio.to_thread(service.writer.stop)
            raise InspectorError(
                f"cannot listen on {args.host}:{args.port}: {exc.strerror}"
            ) from exc
        sys.stdout.write(f"Listening on {service.url}\n")
        if forward is not None:
            print(f"Forwarding to {forward.url} (answering with {forward.answer})", file=sys.stderr)
        sys.stdout.flush()
        await stop.wait()
        await service.stop()

    try:
        asyncio.run(run())
    finally:
        printer.close()
    if printer.dropped:
        print(
            f"{printer.dropped} capture lines were not printed (output was not read)",
            file=sys.stderr,
        )
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    """Print the newest captures."""
    query = _filter(args)
    store = _open_existing_store(args)
    rows = store.search(query, limit=args.limit) if query else store.summaries(limit=args.limit)
    for s in rows:
        if args.json:
            print(json.dumps({
                "id": s.id, "received_at": iso_time(s.received_at_us), "inbox": s.inbox,
                "method": s.method, "target": s.target, "remote_ip": s.remote_ip,
                "content_type": s.content_type, "size": s.body_size, "status": s.status,
                "outcome": str(s.outcome), "reason": s.reason, "signature": s.signature or None,
            }))  # fmt: skip
        else:
            when = iso_time(s.received_at_us)[:23]
            method, target = safe_text(s.method) or "-", safe_text(s.target) or "-"
            print(f"#{s.id:<7} {when} {s.status} {method:7} {target} {s.body_size}B {s.outcome}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    """Print one capture."""
    store = _open_existing_store(args)
    capture = store.get(args.id)
    out = sys.stdout.buffer
    if args.body:
        out.write(capture.body)
    elif args.raw:
        out.write(capture.raw_head + b"\r\n\r\n" + capture.body)
    elif args.json:
        from webhook_inspector.core.formats.ndjson import ndjson_record

        out.write(json.dumps(ndjson_record(capture), indent=2).encode() + b"\n")
    else:
        lines = [
            f"#{capture.id} {iso_time(capture.received_at_us)} from {capture.remote}"
            f" → {capture.status} {capture.outcome}"
            + (f": {safe_text(capture.reason)}" if capture.reason else ""),
            "",
            safe_text(capture.raw_head.decode("utf-8", "replace")),
            "",
            safe_text(capture.body.decode("utf-8", "replace")),
        ]
        out.write("\n".join(lines).encode() + b"\n")
    out.flush()
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Write every capture in an export format."""
    from webhook_inspector.core.formats import get_exporter

    exporter = get_exporter(args.format)
    query = _filter(args)
    if args.collection:
        if args.db or query is not None:
            raise UsageError("--collection exports a collection: --db and --filter do not apply")
        from webhook_inspector.core.collection.captures import collection_captures
        from webhook_inspector.core.collection.tree import Collection

        collection = Collection.open(args.collection)
        # Read (and check) every request before writing anything: all or nothing.
        captures = list(collection_captures(collection, args.request or "", args.env))
    else:
        captures = _open_existing_store(args).iter_captures(query=query)
    redact = not args.no_redact
    if args.output in (None, "-"):
        count = exporter.export(captures, sys.stdout.buffer, redact=redact)
        sys.stdout.buffer.flush()
    else:
        target = Path(args.output)
        count = exporter.export_file(captures, target, redact=redact)
        noun = "requests" if args.collection else "captures"
        print(f"exported {count} {noun} to {target}", file=sys.stderr)
    return 0


def cmd_gui(args: argparse.Namespace) -> int:
    """Open the desktop window (or render it to a PNG with --screenshot)."""
    from webhook_inspector.app import AppOptions, run

    screenshot = Path(args.screenshot) if args.screenshot else None
    options = AppOptions(_db_path(args), args.host, args.port, screenshot, args.theme)
    return run(options)


def _add_gui_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", help="address to bind (default: the last one used, else 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (0 picks a free one; default: last, else 8765)")
    p.add_argument("--theme", choices=("system", "light", "dark"), help="default: the saved one")
    p.add_argument("--db", help="capture store (default: $WEBHOOK_INSPECTOR_DB, else user data)")
    p.add_argument("--screenshot", metavar="PNG", help="render the window to PNG and exit")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = _Parser(prog="webhook-inspector", description="Capture and inspect webhooks.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _add_gui_options(parser)
    parser.set_defaults(func=cmd_gui)
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    def add(
        name: str, fn: Callable[[argparse.Namespace], int], text: str, *, db: bool = True
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=text, description=text)
        if db:
            p.add_argument(
                "--db", help="capture store (default: $WEBHOOK_INSPECTOR_DB or the user data dir)"
            )
        p.set_defaults(func=fn)
        return p

    p = sub.add_parser("gui", help="open the desktop window (the default)")
    _add_gui_options(p)
    p.set_defaults(func=cmd_gui)

    p = add("listen", cmd_listen, "capture requests headless and print one line per capture")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8765, help="port (0 picks a free one)")
    p.add_argument("--max-body", type=_size_arg, default=10 * 1024 * 1024, help="default 10MiB")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--forward-to", metavar="URL", help="forward each capture byte-exact to URL")
    p.add_argument(
        "--verify",
        action="append",
        metavar="SCHEME=SECRET[,path=GLOB][,url=URL]",
        help="verify signatures on arrival (repeatable; first matching path wins); SECRET may"
        " be secret:NAME (keyring, then $WEBHOOK_INSPECTOR_SECRET_NAME) or env:VAR",
    )
    p.add_argument(
        "--forward-answer",
        choices=("ours", "target"),
        default="ours",
        help="answer senders at once (ours, default) or with the target's response",
    )

    p = add("list", cmd_list, "list the newest captures")
    p.add_argument("--filter", metavar="EXPR", help=_FILTER_HELP)
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--json", action="store_true", help="one JSON object per line")

    p = add("show", cmd_show, "show one capture")
    p.add_argument("id", type=int)
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--raw", action="store_true", help="the request as received (bytes)")
    mode.add_argument("--body", action="store_true", help="the raw body bytes")
    mode.add_argument("--json", action="store_true")

    from webhook_inspector.core.formats import EXPORTERS

    p = add("export", cmd_export, "export every capture")
    p.add_argument("--filter", metavar="EXPR", help=_FILTER_HELP)
    p.add_argument("--collection", metavar="DIR", help="export a collection's requests instead")
    p.add_argument("--request", metavar="ID", help="with --collection: one request or folder")
    p.add_argument("--env", metavar="NAME", help="with --collection: render with this environment")
    p.add_argument("--format", required=True, choices=tuple(EXPORTERS))
    p.add_argument(
        "--no-redact",
        action="store_true",
        help="keep secrets and signature headers (Authorization, X-Hub-Signature-256 …)",
    )
    p.add_argument("-o", "--output", help="file to write (default stdout)")
    for module in COMMAND_MODULES:
        importlib.import_module(module).add_commands(add)
    return parser


def _opens_window(argv: list[str]) -> bool:
    """Whether `argv` surely opens the window: nothing, or `gui …` without help."""
    return not argv or (argv[0] == "gui" and "-h" not in argv and "--help" not in argv)


def _window_parser() -> argparse.ArgumentParser:
    """The parser of `gui` alone (build_parser imports every command's module: ~15 ms)."""
    parser = _Parser(prog="webhook-inspector gui", description="Open the desktop window.")
    _add_gui_options(parser)
    parser.set_defaults(func=cmd_gui)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `webhook-inspector` command."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    argv = list(sys.argv[1:] if argv is None else argv)
    if _opens_window(argv):  # the window's start-up skips every other command's module
        args = _window_parser().parse_args(argv[1:] if argv[:1] == ["gui"] else argv)
    else:
        args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except UsageError as exc:
        print(f"webhook-inspector: error: {exc}", file=sys.stderr)
        return 2
    except InspectorError as exc:
        print(f"webhook-inspector: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, and keep exit-time flushing quiet too.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130
