"""CLI: `sign`, `verify`, `schemes` and `keygen` over core/signing."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from webhook_inspector.core.errors import InspectorError, UsageError

if TYPE_CHECKING:
    from webhook_inspector.cli import AddCommand
    from webhook_inspector.core.signing import Message, Scheme


def add_commands(add: AddCommand) -> None:
    """Register sign, verify, schemes and keygen."""
    p = add("sign", cmd_sign, "print the headers that sign a request", db=False)
    p.add_argument("--scheme", required=True, help="signing scheme id (see 'schemes')")
    key = p.add_mutually_exclusive_group(required=True)
    key.add_argument("--secret", help="shared secret, or env:VAR / secret:NAME")
    key.add_argument("--private-key", help="private key for public-key schemes (or env:/secret:)")
    p.add_argument("--body-file", help="body to sign ('-' or absent: stdin)")
    p.add_argument("--timestamp", help="Unix seconds or ISO 8601 (default: now)")
    p.add_argument("--id", help="message id where the scheme signs one (default: random)")
    p.add_argument("--url", default="", help="the URL the request goes to (Twilio, Square)")
    p.add_argument("-H", "--header", action="append", default=[], metavar="'Name: value'",
                   help="request header (Twilio and Mailgun read Content-Type)")  # fmt: skip
    p.add_argument("--json", action="store_true", help="one JSON object")

    p = add("verify", cmd_verify, "verify a request's signature (exit 0 valid, 1 invalid)")
    p.add_argument("--scheme", required=True, help="signing scheme id (see 'schemes')")
    key = p.add_mutually_exclusive_group(required=True)
    key.add_argument("--secret", help="shared secret, or env:VAR / secret:NAME")
    key.add_argument("--public-key", help="public key for public-key schemes (or env:/secret:)")
    p.add_argument("-H", "--header", action="append", default=[], metavar="'Name: value'")
    p.add_argument("--body-file", help="body as received ('-' or absent: stdin)")
    p.add_argument("--url", help="the URL the provider called (Twilio, Square)")
    p.add_argument("--tolerance", type=float, help="replay window in seconds (0: no check)")
    p.add_argument("--now", help="verify as of this time (Unix seconds or ISO 8601)")
    p.add_argument("--capture", type=int, metavar="ID", help="verify a stored capture")
    p.add_argument("--json", action="store_true", help="one JSON object")

    p = add("schemes", cmd_schemes, "list signing schemes: id, headers, algorithm", db=False)
    p.add_argument("--json", action="store_true", help="one JSON object per line")

    p = add("keygen", cmd_keygen, "make a test key pair (or secret) for a scheme", db=False)
    p.add_argument("--scheme", required=True, help="signing scheme id (see 'schemes')")
    p.add_argument("--json", action="store_true", help="one JSON object")


def parse_header(text: str) -> tuple[str, str]:
    """'Name: value' as a pair; raises UsageError."""
    name, sep, value = text.partition(":")
    if not sep or not name.strip() or name != name.strip():
        raise UsageError(f"invalid header {text!r} (expected 'Name: value')")
    return name, value.strip()


def _read_body(path: str | None) -> bytes:
    if path in (None, "-"):
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise InspectorError(f"cannot read {path}: {exc.strerror}") from None


def _key(scheme: Scheme, shared: str | None, asymmetric: str | None, option: str) -> str:
    from webhook_inspector.core.secrets import resolve_reference  # noqa: PLC0415

    if scheme.key.public_key and asymmetric is None:
        raise UsageError(f"{scheme.id} uses a key pair: give {option} ({scheme.key.description})")
    if not scheme.key.public_key and shared is None:
        raise UsageError(f"{scheme.id} uses a shared secret: give --secret")
    return resolve_reference(shared if shared is not None else asymmetric or "")


def cmd_sign(args: argparse.Namespace) -> int:
    """Sign a body and print the headers to add."""
    from webhook_inspector.core.signing import Message, get_scheme, sign  # noqa: PLC0415
    from webhook_inspector.core.signing.base import escape_bytes  # noqa: PLC0415
    from webhook_inspector.core.signing.engine import parse_time_argument  # noqa: PLC0415

    scheme = get_scheme(args.scheme)
    key = _key(scheme, args.secret, args.private_key, "--private-key")
    headers = tuple(parse_header(h) for h in args.header)
    message = Message("POST", args.url, headers, _read_body(args.body_file))
    timestamp = parse_time_argument(args.timestamp) if args.timestamp else None
    result = sign(scheme, message, key, timestamp=timestamp, msg_id=args.id)
    body_changed = result.message.body != message.body
    if args.json:
        document: dict[str, object] = {
            "scheme": scheme.id,
            "headers": dict(result.headers),
            "url": result.message.url,
            "signed_string": escape_bytes(result.signed_string),
        }
        if body_changed:
            document["body"] = result.message.body.decode("utf-8", "replace")
        print(json.dumps(document))
        return 0
    for name, value in result.headers:
        print(f"{name}: {value}")
    if result.message.url != message.url:
        print(f"note: send to {result.message.url} (the signed URL)", file=sys.stderr)
    if body_changed:
        print(f"note: {scheme.title} carries its signature in the body; send this body "
              "(or use --json):", file=sys.stderr)  # fmt: skip
        print(result.message.body.decode("utf-8", "replace"), file=sys.stderr)
    return 0


def _capture_message(args: argparse.Namespace) -> Message:
    from webhook_inspector.core.signing import as_message  # noqa: PLC0415
    from webhook_inspector.core.store import Store, default_db_path  # noqa: PLC0415

    if args.header or args.body_file:
        raise UsageError("--capture verifies a stored request: leave out -H and --body-file")
    path = Path(args.db) if args.db else default_db_path()
    if not path.exists():
        raise InspectorError(f"no capture store at {path} (run 'webhook-inspector listen' first)")
    store = Store(path)
    try:
        return as_message(store.get(args.capture), url=args.url)
    finally:
        store.close()


def cmd_verify(args: argparse.Namespace) -> int:
    """Verify a signature: 0 valid, 1 invalid or missing (reason on stderr)."""
    from webhook_inspector.cli import safe_text  # noqa: PLC0415
    from webhook_inspector.core.signing import Message, get_scheme, verify  # noqa: PLC0415
    from webhook_inspector.core.signing.engine import parse_time_argument  # noqa: PLC0415

    scheme = get_scheme(args.scheme)
    key = _key(scheme, args.secret, args.public_key, "--public-key")
    now = parse_time_argument(args.now) if args.now else None
    if args.capture is not None:
        message = _capture_message(args)
    else:
        headers = tuple(parse_header(h) for h in args.header)
        message = Message("POST", args.url or "", headers, _read_body(args.body_file))
    result = verify(scheme, message, key, now=now, tolerance=args.tolerance)
    if args.json:
        print(json.dumps(result.to_json()))
    elif result.valid:
        print(f"valid: {safe_text(result.explanation)}")
    if not result.valid:
        text = safe_text(result.explanation)
        if args.json:
            text = text.splitlines()[0]
        print(f"{result.status} ({result.reason}): {text}", file=sys.stderr)
    return 0 if result.valid else 1


def cmd_schemes(args: argparse.Namespace) -> int:
    """List every scheme."""
    from webhook_inspector.core.signing import SCHEMES  # noqa: PLC0415

    for scheme in SCHEMES.values():
        if args.json:
            print(json.dumps({
                "id": scheme.id, "title": scheme.title, "algorithm": scheme.algorithm,
                "headers": list(scheme.header_names), "aliases": list(scheme.aliases),
                "tolerance_s": scheme.tolerance_s, "key": scheme.key.description,
                "source": scheme.source,
            }))  # fmt: skip
        else:
            print(f"{scheme.id:22} {scheme.algorithm:18} {', '.join(scheme.header_names)}")
    return 0


def cmd_keygen(args: argparse.Namespace) -> int:
    """Print a fresh test key pair (public-key schemes) or secret."""
    from webhook_inspector.core.signing import get_scheme  # noqa: PLC0415

    scheme = get_scheme(args.scheme)
    private, public = scheme.key.generate()
    if args.json:
        print(json.dumps({"scheme": scheme.id, "private_key": private, "public_key": public}))
    elif scheme.key.public_key:
        print(f"private key (sign --private-key): {private}")
        print(f"public key (verify --public-key): {public}")
    else:
        print(f"secret (--secret): {private}")
    return 0
