"""What a body view shows: decoded, pretty-printed text, form fields, multipart parts, images.

Derived on demand from the raw bytes (never stored). One presenter per BodyKind, in a registry.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from urllib.parse import parse_qsl

from webhook_inspector.core.bodies import (
    BodyKind,
    decode_content,
    decode_text,
    detect_kind,
    human_size,
    parse_content_type,
)

PRETTY_LIMIT_BYTES = 2 * 1024 * 1024  # above this JSON is shown as sent, not re-indented
TEXT_LIMIT_CHARS = 16 * 1024 * 1024  # a view never gets more text than this
HEX_LIMIT_BYTES = 64 * 1024  # binary bodies: a hex dump of the first 64 KiB
MAX_PARTS = 200
_LEXER_MIMES = {
    BodyKind.JSON: "application/json",
    BodyKind.XML: "application/xml",
    BodyKind.HTML: "text/html",
    BodyKind.FORM: "text/plain",
    BodyKind.TEXT: "text/plain",
}
_DISPOSITION_PARAM = re.compile(r';\s*([\w*-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)')


@dataclass(frozen=True, slots=True)
class Part:
    """One part of a multipart body: its own headers and body, presented in turn."""

    headers: tuple[tuple[str, str], ...]
    name: str
    filename: str
    content_type: str
    body: bytes
    shown: Presentation


@dataclass(frozen=True, slots=True)
class Presentation:
    """A body ready to show: text for a text view plus the structured views that apply."""

    kind: BodyKind
    text: str
    mime: str = ""  # for the highlighter; "" means plain
    notes: tuple[str, ...] = ()
    data: bytes = b""  # content-decoded bytes (what "save decoded" would write)
    form: tuple[tuple[str, str], ...] | None = None
    parts: tuple[Part, ...] | None = None
    image: bytes | None = None
    charset: str = ""
    invalid_bytes: int = 0
    extra: dict[str, str] = field(default_factory=dict)


def hex_dump(data: bytes, limit: int = HEX_LIMIT_BYTES) -> str:
    """Classic offset / hex / ASCII dump of the first `limit` bytes."""
    lines = []
    for offset in range(0, min(len(data), limit), 16):
        chunk = data[offset : offset + 16]
        hexes = " ".join(f"{b:02x}" for b in chunk)
        text = "".join(chr(b) if 32 <= b < 127 else "." for b in chunk)
        lines.append(f"{offset:08x}  {hexes:<47}  {text}")
    if len(data) > limit:
        lines.append(f"… {len(data) - limit} more bytes (save the body to see them all)")
    return "\n".join(lines)


def _text(data: bytes, charset: str | None) -> tuple[str, list[str], str, int]:
    decoded = decode_text(data, charset)
    notes = [decoded.note] if decoded.note else []
    if decoded.invalid_bytes:
        notes.append(f"{decoded.invalid_bytes} invalid {decoded.charset} bytes shown as \ufffd")
    text = decoded.text
    if len(text) > TEXT_LIMIT_CHARS:
        notes.append(f"showing the first {human_size(TEXT_LIMIT_CHARS)} of text")
        text = text[:TEXT_LIMIT_CHARS]
    return text, notes, decoded.charset, decoded.invalid_bytes


def pretty_json(text: str) -> str | None:
    """`text` re-indented by 2 spaces, or None if it is not JSON (or nests too deeply)."""
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except (ValueError, RecursionError):
        return None


def _present_text(kind: BodyKind, data: bytes, charset: str | None) -> Presentation:
    text, notes, used, invalid = _text(data, charset)
    if kind == BodyKind.JSON:
        pretty = pretty_json(text) if len(data) <= PRETTY_LIMIT_BYTES else None
        if pretty is not None:
            text = pretty
        elif len(data) > PRETTY_LIMIT_BYTES:
            notes.append(f"not re-indented (over {human_size(PRETTY_LIMIT_BYTES)})")
        else:
            notes.append("not valid JSON: shown as sent")
    mime = _LEXER_MIMES.get(kind, "")
    return Presentation(kind, text, mime, tuple(notes), data, charset=used, invalid_bytes=invalid)


def _present_form(kind: BodyKind, data: bytes, charset: str | None) -> Presentation:
    shown = _present_text(kind, data, charset)
    raw = data.decode("latin-1")
    fields = parse_qsl(raw, keep_blank_values=True, encoding=charset or "utf-8", errors="replace")
    return replace(shown, form=tuple(fields))


def _present_binary(kind: BodyKind, data: bytes, charset: str | None) -> Presentation:
    note = f"binary, {human_size(len(data))}: shown as hex"
    return Presentation(kind, hex_dump(data), "", (note,), data)


def _present_image(kind: BodyKind, data: bytes, charset: str | None) -> Presentation:
    shown = _present_binary(kind, data, charset)
    return replace(shown, image=data, notes=(f"image, {human_size(len(data))}",))


def _disposition(value: str) -> dict[str, str]:
    return {
        m.group(1).lower(): m.group(2).strip().strip('"').replace('\\"', '"')
        for m in _DISPOSITION_PARAM.finditer(value)
    }


def split_multipart(data: bytes, boundary: str) -> list[tuple[tuple[tuple[str, str], ...], bytes]]:
    """The parts of a multipart body as (headers, body); stops at the closing boundary."""
    delimiter = b"--" + boundary.encode("latin-1")
    chunks = data.split(delimiter)
    parts = []
    for raw in chunks[1:]:
        if raw.startswith(b"--") or len(parts) >= MAX_PARTS:
            break
        chunk = raw.removeprefix(b"\r\n").removeprefix(b"\n")
        chunk = chunk[:-2] if chunk.endswith(b"\r\n") else chunk.removesuffix(b"\n")
        head, sep, body = chunk.partition(b"\r\n\r\n")
        if not sep:
            head, sep, body = chunk.partition(b"\n\n")
        headers = []
        for line in head.decode("latin-1").splitlines():
            name, colon, value = line.partition(":")
            if colon:
                headers.append((name.strip(), value.strip()))
        parts.append((tuple(headers), body))
    return parts


def _present_multipart(kind: BodyKind, data: bytes, charset: str | None) -> Presentation:
    return _present_binary(kind, data, charset)  # replaced by present() when a boundary exists


def _multipart(data: bytes, boundary: str) -> Presentation:
    parts = []
    lines = []
    for number, (headers, body) in enumerate(split_multipart(data, boundary), 1):
        lookup = {name.lower(): value for name, value in headers}
        params = _disposition(lookup.get("content-disposition", ""))
        content_type = lookup.get("content-type", "")
        shown = present(body, content_type)
        part = Part(headers, params.get("name", ""), params.get("filename", ""), content_type,
                    body, shown)  # fmt: skip
        parts.append(part)
        label = f"part {number}" + (f" · {part.name}" if part.name else "")
        label += f" · {part.filename}" if part.filename else ""
        lines.append(f"── {label} · {human_size(len(body))} ──")
        lines += [f"{name}: {value}" for name, value in headers]
        lines.append("")
        lines.append(shown.text if shown.kind != BodyKind.BINARY else f"({shown.notes[0]})")
        lines.append("")
    if not parts:
        shown = _present_text(BodyKind.TEXT, data, None)
        return replace(shown, kind=BodyKind.MULTIPART,
                       notes=(*shown.notes, f"no part with boundary {boundary!r}"))  # fmt: skip
    note = f"multipart, {len(parts)} part" + ("s" if len(parts) != 1 else "")
    return Presentation(BodyKind.MULTIPART, "\n".join(lines), "", (note,), data,
                        parts=tuple(parts))  # fmt: skip


Presenter = Callable[[BodyKind, bytes, "str | None"], Presentation]
PRESENTERS: dict[BodyKind, Presenter] = {
    BodyKind.JSON: _present_text,
    BodyKind.XML: _present_text,
    BodyKind.HTML: _present_text,
    BodyKind.TEXT: _present_text,
    BodyKind.FORM: _present_form,
    BodyKind.MULTIPART: _present_multipart,
    BodyKind.IMAGE: _present_image,
    BodyKind.BINARY: _present_binary,
    BodyKind.EMPTY: lambda kind, data, charset: Presentation(kind, "", "", ("empty body",)),
}


def present(body: bytes, content_type: str, content_encoding: str = "") -> Presentation:
    """Decode `body` (within limits) and choose how to show it; never raises for bad input."""
    notes: list[str] = []
    data = body
    if content_encoding.strip():
        decoded = decode_content(body, content_encoding)
        data = decoded.data
        notes += [n for n in (decoded.note, decoded.error) if n]
    mime, params = parse_content_type(content_type)
    kind = detect_kind(content_type, data)
    if kind == BodyKind.MULTIPART and params.get("boundary"):
        shown = _multipart(data, params["boundary"])
    else:
        shown = PRESENTERS[kind](kind, data, params.get("charset"))
    if mime and kind != BodyKind.EMPTY:
        notes.insert(0, mime)
    return replace(shown, notes=(*notes, *shown.notes), data=data)
