"""NDJSON export and import: one capture a line, every byte kept (bodies and heads in base64)."""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

from webhook_inspector.core.errors import FormatError
from webhook_inspector.core.formats.har import iso_utc
from webhook_inspector.core.model import CapturedRequest, Outcome

_REQUIRED: Any = object()
_JSON_TYPES = {str: "a string", int: "an integer", bool: "true or false", list: "an array"}
_OUTCOMES = ", ".join(outcome.value for outcome in Outcome)


def write_ndjson(captures: Iterable[CapturedRequest], out: BinaryIO) -> int:
    """Write one JSON object a line to `out`, a capture at a time; return the count.

    Output is pure ASCII (`ensure_ascii`): no tool that splits lines on U+2028 or NEL, which
    latin-1 header bytes can hold, will cut a record in two.
    """
    count = 0
    for capture in captures:
        out.write(json.dumps(ndjson_record(capture), separators=(",", ":")).encode("ascii"))
        out.write(b"\n")
        count += 1
    return count


def ndjson_record(capture: CapturedRequest) -> dict[str, Any]:
    """One capture as the dict written on its line.

    `body_base64` always holds the exact bytes; `body_text` is there only when the body is
    valid UTF-8, for people and `jq`. `received_at` is derived from `received_at_us`.
    """
    body = capture.body
    record: dict[str, Any] = {
        "id": capture.id,
        "received_at": iso_utc(capture.received_at_us),
        "received_at_us": capture.received_at_us,
        "inbox": capture.inbox,
        "method": capture.method,
        "target": capture.target,
        "http_version": capture.http_version,
        "headers": [[name, value] for name, value in capture.headers],
        "trailers": [[name, value] for name, value in capture.trailers],
        "remote_ip": capture.remote_ip,
        "remote_port": capture.remote_port,
        "tls": capture.tls,
        "outcome": capture.outcome.value,
        "reason": capture.reason,
        "declared_size": capture.declared_size,
        "status": capture.status,
        "body_size": len(body),
    }
    with contextlib.suppress(UnicodeDecodeError):  # binary: body_base64 alone carries it
        record["body_text"] = body.decode("utf-8")
    record["body_base64"] = _b64(body)
    record["raw_head_base64"] = _b64(capture.raw_head)
    record["response_base64"] = _b64(capture.response)
    return record


def read_ndjson(lines: Iterable[bytes | str]) -> Iterator[CapturedRequest]:
    """Restore captures, byte-exact, from lines written by `write_ndjson`; blank lines are skipped.

    Raises FormatError naming the first bad line (counting from 1) and what is wrong with it.
    Captures before that line have already been yielded: callers wanting all or nothing
    collect them first.
    """
    for number, raw in enumerate(lines, start=1):
        try:
            line = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        except UnicodeDecodeError as exc:
            raise FormatError(f"NDJSON line {number}: not UTF-8 ({exc.reason})") from None
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            problem = f"not valid JSON ({exc.msg} at column {exc.colno})"
            raise FormatError(f"NDJSON line {number}: {problem}") from None
        if not isinstance(data, dict):
            raise FormatError(f"NDJSON line {number}: expected a JSON object, not {_kind(data)}")
        yield _Record(data, number).capture()


class _Record:
    """One parsed line, with typed access that fails with the line number."""

    def __init__(self, data: dict[str, Any], number: int) -> None:
        self.data = data
        self.number = number

    def capture(self) -> CapturedRequest:
        body = self.base64("body_base64")
        size = self.field("body_size", int, default=None, nullable=True)
        if size is not None and size != len(body):
            raise self.error(f"body_size is {size} but body_base64 holds {len(body)} bytes")
        name = self.field("outcome", str, default=Outcome.CAPTURED.value)
        try:
            outcome = Outcome(name)
        except ValueError:
            raise self.error(f"unknown outcome {name!r} (known: {_OUTCOMES})") from None
        return CapturedRequest(
            id=self.field("id", int, default=None, nullable=True),
            received_at_us=self.field("received_at_us", int),
            inbox=self.field("inbox", str, default="default"),
            method=self.latin1("method"),
            target=self.latin1("target"),
            http_version=self.latin1("http_version"),
            headers=self.pairs("headers"),
            trailers=self.pairs("trailers", default=()),
            body=body,
            remote_ip=self.field("remote_ip", str),
            remote_port=self.field("remote_port", int),
            tls=self.field("tls", bool, default=False),
            outcome=outcome,
            reason=self.field("reason", str, default=""),
            declared_size=self.field("declared_size", int, default=None, nullable=True),
            status=self.field("status", int, default=200),
            raw_head=self.base64("raw_head_base64", default=b""),
            response=self.base64("response_base64", default=b""),
        )

    def error(self, problem: str) -> FormatError:
        return FormatError(f"NDJSON line {self.number}: {problem}")

    def field(
        self, name: str, kind: type, *, default: Any = _REQUIRED, nullable: bool = False
    ) -> Any:
        if name not in self.data:
            if default is _REQUIRED:
                raise self.error(f"missing field {name!r}")
            return default
        value = self.data[name]
        if value is None and nullable:
            return None
        # bool is an int in Python, but `true` is no port number.
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            wanted = _JSON_TYPES[kind] + (" or null" if nullable else "")
            raise self.error(f"field {name!r} must be {wanted}, not {_kind(value)}")
        return value

    def latin1(self, name: str) -> str:
        value: str = self.field(name, str)
        self.check_latin1(name, value)
        return value

    def check_latin1(self, name: str, value: str) -> None:
        # Captured text is wire bytes read as latin-1; anything past U+00FF never came off a wire.
        try:
            value.encode("latin-1")
        except UnicodeEncodeError:
            raise self.error(f"field {name!r} has characters beyond U+00FF") from None

    def pairs(self, name: str, *, default: Any = _REQUIRED) -> tuple[tuple[str, str], ...]:
        items = self.field(name, list, default=default)
        if items is default:
            return items  # type: ignore[no-any-return]
        pairs = []
        for index, item in enumerate(items):
            if not (
                isinstance(item, list) and len(item) == 2 and all(isinstance(s, str) for s in item)
            ):
                raise self.error(f"{name}[{index}] must be a [name, value] pair of strings")
            self.check_latin1(f"{name}[{index}]", item[0] + item[1])
            pairs.append((item[0], item[1]))
        return tuple(pairs)

    def base64(self, name: str, *, default: Any = _REQUIRED) -> bytes:
        value = self.field(name, str, default=default)
        if value is default:
            return value  # type: ignore[no-any-return]
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise self.error(f"field {name!r} is not valid base64") from None


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    return {str: "a string", list: "an array", dict: "an object"}.get(type(value), "something else")
