"""Body views: content-type detection, Content-Encoding decoding with limits, charset decoding."""

from __future__ import annotations

import codecs
import contextvars
import enum
import json
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from webhook_inspector.core.sizes import human_size

MiB = 1024 * 1024
MAX_OUTPUT_BYTES = 64 * MiB
MAX_RATIO = 1000
RATIO_FLOOR_BYTES = 1 * MiB  # below this, any ratio is fine: tiny bodies compress very well
CHUNK_BYTES = 1 * MiB
ZSTD_PIECE_BYTES = 64  # a zstd block is >= 4 bytes and <= 128 KiB, so output per piece <= ~2 MiB
ZSTD_MAX_WINDOW_BYTES = 8 * MiB  # RFC 9659 lets a zstd content coding decoder refuse more
SNIFF_BYTES = 8192
JSON_SNIFF_MAX_BYTES = 1 * MiB
CONTROL_RATIO = 0.05


class BodyKind(enum.StrEnum):
    """What a body holds, as far as choosing a view goes."""

    JSON = "json"
    XML = "xml"
    HTML = "html"
    FORM = "form"
    MULTIPART = "multipart"
    TEXT = "text"
    IMAGE = "image"
    BINARY = "binary"
    EMPTY = "empty"


# --- content types ----------------------------------------------------------------------------

_MIME = re.compile(r"[a-z0-9!#$&^_.+*-]+/[a-z0-9!#$&^_.+*-]+")
_PARAM = re.compile(r';\s*([^\s;=]+)\s*=\s*("(?:[^"\\]|\\.)*"?|[^;]*)')

_KIND_MIMES: dict[BodyKind, tuple[str, ...]] = {
    BodyKind.JSON: ("application/json", "text/json", "application/x-amz-json-1.0",
                    "application/x-amz-json-1.1"),
    BodyKind.XML: ("application/xml", "text/xml", "image/svg+xml"),
    BodyKind.HTML: ("text/html", "application/xhtml+xml"),
    BodyKind.FORM: ("application/x-www-form-urlencoded",),
    BodyKind.TEXT: ("application/javascript", "application/x-javascript", "application/ecmascript",
                    "application/x-ndjson", "application/yaml", "application/x-yaml",
                    "application/graphql"),
    BodyKind.BINARY: ("application/pdf", "application/zip", "application/gzip",
                      "application/protobuf", "application/x-protobuf", "application/grpc",
                      "application/msgpack", "application/x-msgpack", "application/cbor"),
}  # fmt: skip
_MIME_KINDS = {mime: kind for kind, mimes in _KIND_MIMES.items() for mime in mimes}
_SUFFIX_KINDS: dict[str, BodyKind] = {"json": BodyKind.JSON, "xml": BodyKind.XML}
_TOP_LEVEL_KINDS: dict[str, BodyKind] = {
    "text": BodyKind.TEXT, "image": BodyKind.IMAGE, "multipart": BodyKind.MULTIPART,
    "audio": BodyKind.BINARY, "video": BodyKind.BINARY, "font": BodyKind.BINARY,
}  # fmt: skip


def parse_content_type(value: str) -> tuple[str, dict[str, str]]:
    """Split a Content-Type into a lowercased media type ("" if malformed) and its parameters."""
    head, _, rest = value.partition(";")
    mime = head.strip().lower()
    if not _MIME.fullmatch(mime):
        mime = ""
    params: dict[str, str] = {}
    for match in _PARAM.finditer(";" + rest):
        raw = match[2].strip()
        if raw.startswith('"'):
            raw = re.sub(r"\\(.)", r"\1", raw[1:-1] if len(raw) > 1 and raw[-1] == '"' else raw[1:])
        params.setdefault(match[1].lower(), raw)
    return mime, params


def _kind_from_mime(mime: str) -> BodyKind | None:
    if mime in _MIME_KINDS:
        return _MIME_KINDS[mime]
    top, _, sub = mime.partition("/")
    suffix = sub.rpartition("+")[2] if "+" in sub else ""
    return _SUFFIX_KINDS.get(suffix) or _TOP_LEVEL_KINDS.get(top)


def detect_kind(content_type: str, body: bytes) -> BodyKind:
    """Classify a body: a specific Content-Type wins; a missing or generic one means sniffing."""
    if not body:
        return BodyKind.EMPTY
    mime, _ = parse_content_type(content_type)
    if mime == "text/plain":  # AWS SNS, among others, posts its JSON as text/plain
        return BodyKind.JSON if _is_json(_head(body), body) else BodyKind.TEXT
    return _kind_from_mime(mime) or _sniff(body)


# --- sniffing ---------------------------------------------------------------------------------

_IMAGE_SIGNATURES: dict[str, Callable[[bytes], bool]] = {
    "png": lambda b: b.startswith(b"\x89PNG\r\n\x1a\n"),
    "jpeg": lambda b: b.startswith(b"\xff\xd8\xff"),
    "gif": lambda b: b.startswith((b"GIF87a", b"GIF89a")),
    "webp": lambda b: b.startswith(b"RIFF") and b[8:12] == b"WEBP",
}
_BOMS: tuple[tuple[bytes, str], ...] = (  # UTF-32 first: its LE BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)  # fmt: skip
_WIDE_CODECS = frozenset({"utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"})
_CONTROL_BYTES = bytes(set(range(32)) - set(b"\t\n\r\f\v\b\x1b")) + b"\x7f"
_FORM = re.compile(r"[\w.~%+*\-\[\]]+=[^&\s]*(?:&[\w.~%+*\-\[\]]+=[^&\s]*)*")
_MULTIPART = re.compile(r"--[^\r\n]{1,200}\r?\n(?:[^\r\n]+\r?\n)*?content-disposition:", re.I)


def _bom(data: bytes) -> tuple[str, int]:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec, len(bom)
    return "", 0


def _head(body: bytes) -> str:
    codec, skip = _bom(body)
    return body[skip : skip + SNIFF_BYTES].decode(codec or "utf-8", "replace").lstrip()


def _looks_binary(body: bytes) -> bool:
    if _bom(body)[0] in _WIDE_CODECS:
        return False  # wide text is full of NUL bytes
    sample = body[:SNIFF_BYTES]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return b"\0" in sample or controls > CONTROL_RATIO * len(sample)


def _is_json(head: str, body: bytes) -> bool:
    if head[:1] not in ("{", "["):
        return False
    if len(body) > JSON_SNIFF_MAX_BYTES:  # too big to parse just to pick a view
        return body[-64:].rstrip()[-1:] in (b"}", b"]")
    try:
        json.loads(body)
    except (ValueError, RecursionError):
        return False
    return True


def _is_form(head: str, body: bytes) -> bool:
    sample = head if len(body) <= SNIFF_BYTES else head.rpartition("&")[0]
    return bool(_FORM.fullmatch(sample.rstrip()))


def _is_html(head: str, body: bytes) -> bool:
    start = head[:512].lower()
    return start.startswith(("<!doctype html", "<html")) or (
        start.startswith("<?xml") and ("<html" in start or "<!doctype html" in start)
    )


def _is_xml(head: str, body: bytes) -> bool:
    return head.startswith("<?xml") or (
        re.match(r"<[A-Za-z_!]", head) is not None and body[-64:].rstrip().endswith(b">")
    )


_SNIFFERS: tuple[tuple[BodyKind, Callable[[str, bytes], bool]], ...] = (
    (BodyKind.IMAGE, lambda head, body: any(f(body) for f in _IMAGE_SIGNATURES.values())),
    (BodyKind.BINARY, lambda head, body: _looks_binary(body)),
    (BodyKind.JSON, _is_json),
    (BodyKind.HTML, _is_html),
    (BodyKind.XML, _is_xml),
    (BodyKind.MULTIPART, lambda head, body: _MULTIPART.match(head) is not None),
    (BodyKind.FORM, _is_form),
)


def _sniff(body: bytes) -> BodyKind:
    head = _head(body)
    for kind, test in _SNIFFERS:
        if test(head, body):
            return kind
    return BodyKind.TEXT


# --- Content-Encoding -------------------------------------------------------------------------


class _CorruptStream(Exception):
    """A decoder met data it cannot decode; the message says what went wrong."""


Decoder = Callable[[bytes], Iterator[bytes]]
_GZIP_MAGIC = b"\x1f\x8b"
_GZIP_WBITS = 31  # zlib's wbits for a gzip wrapper


def _zlib_stream(data: bytes, wbits: int) -> Iterator[bytes]:
    """Inflate zlib, raw deflate or gzip (every member) in bounded chunks."""
    pending = data
    while True:
        inflater = zlib.decompressobj(wbits)
        while not inflater.eof:
            try:
                out = inflater.decompress(pending, CHUNK_BYTES)
            except zlib.error as exc:
                raise _CorruptStream(f"corrupt data ({str(exc).rpartition(': ')[2]})") from None
            pending = inflater.unconsumed_tail
            if not out and not pending and not inflater.eof:
                raise _CorruptStream("truncated data (the stream ends early)")
            if out:
                yield out
        pending = inflater.unused_data
        if not (wbits == _GZIP_WBITS and pending.startswith(_GZIP_MAGIC)):
            break
    if pending:
        raise _CorruptStream(f"{len(pending)} bytes of trailing data after the stream")


def _gunzip(data: bytes) -> Iterator[bytes]:
    if not data.startswith(_GZIP_MAGIC):
        raise _CorruptStream("not a gzip stream (invalid header)")
    yield from _zlib_stream(data, _GZIP_WBITS)


def _inflate(data: bytes) -> Iterator[bytes]:
    # "deflate" means zlib-wrapped by the RFC, but many servers send raw deflate.
    wrapped = len(data) > 1 and (data[0] & 0x0F) == 8 and ((data[0] << 8) | data[1]) % 31 == 0
    if wrapped:
        try:
            zlib.decompressobj(15).decompress(data, 1)
        except zlib.error:
            wrapped = False
    yield from _zlib_stream(data, 15 if wrapped else -15)


def _unbrotli(data: bytes) -> Iterator[bytes]:
    import brotli  # noqa: PLC0415 - imported on first use: it costs start-up time

    decompressor = brotli.Decompressor()
    pending = data
    try:
        while not decompressor.is_finished():
            out = decompressor.process(pending, output_buffer_limit=CHUNK_BYTES)
            pending = b""
            done = decompressor.is_finished()
            if not out and not done and decompressor.can_accept_more_data():
                raise _CorruptStream("truncated data (the stream ends early)")
            if out:
                yield out
    except brotli.error:
        raise _CorruptStream("corrupt data, or not a brotli stream") from None


_ZSTD_WINDOW_TOO_BIG = "window above the 8 MiB that Content-Encoding: zstd allows (RFC 9659)"
_ZSTD_FRAME = re.compile(rb"\x28\xb5\x2f\xfd|[\x50-\x5f]\x2a\x4d\x18")


def _unzstd(data: bytes) -> Iterator[bytes]:
    if not _ZSTD_FRAME.match(data):
        raise _CorruptStream("not a zstd stream (invalid header)")
    import zstandard  # noqa: PLC0415 - imported on first use: it costs start-up time

    context = zstandard.ZstdDecompressor(max_window_size=ZSTD_MAX_WINDOW_BYTES)
    view, pos = memoryview(data), 0
    while pos < len(data):  # one frame per pass; a body may hold several
        if not _ZSTD_FRAME.match(data, pos):
            raise _CorruptStream(f"{len(data) - pos} bytes of trailing data after the stream")
        frame = context.decompressobj()
        while not frame.eof and pos < len(data):
            try:
                out = frame.decompress(view[pos : pos + ZSTD_PIECE_BYTES])
            except zstandard.ZstdError as exc:
                if "too much memory" in str(exc):
                    raise _CorruptStream(_ZSTD_WINDOW_TOO_BIG) from None
                raise _CorruptStream(f"corrupt data ({str(exc).rpartition(': ')[2]})") from None
            pos += ZSTD_PIECE_BYTES
            if out:
                yield out
        if not frame.eof:
            raise _CorruptStream("truncated data (the stream ends early)")
        pos = min(pos, len(data)) - len(frame.unused_data)


DECODERS: dict[str, Decoder] = {
    "gzip": _gunzip,
    "x-gzip": _gunzip,
    "deflate": _inflate,
    "br": _unbrotli,
    "zstd": _unzstd,
}
NO_OP_ENCODINGS = frozenset({"identity"})


@dataclass(frozen=True, slots=True)
class DecodedBody:
    """A body with its Content-Encoding undone, as far as the limits and the data allowed."""

    data: bytes
    encodings: tuple[str, ...] = ()  # those undone, in the order the sender applied them
    error: str = ""
    truncated: bool = False
    raw_size: int = 0

    @property
    def note(self) -> str:
        """A one-line summary such as "gzip 1.2 KB → 14 KB", or "" if nothing was decoded."""
        if not self.encodings:
            return ""
        sizes = f"{human_size(self.raw_size)} → {human_size(len(self.data))}"
        return f"{', '.join(self.encodings)} {sizes}" + (" (truncated)" if self.truncated else "")


def _run(
    name: str, data: bytes, raw_size: int, max_output: int, max_ratio: float
) -> tuple[bytes, str, bool]:
    """Drain one decoder under the caps: (output, error or "", whether output is partial)."""
    chunks = DECODERS[name](data)
    out = bytearray()
    try:
        for chunk in chunks:
            out += chunk
            if len(out) > max_output:
                del out[max_output:]
                return bytes(out), f"stopped at the {human_size(max_output)} output cap", True
            if len(out) > RATIO_FLOOR_BYTES and len(out) > max_ratio * raw_size:
                return bytes(out), f"compression ratio above {max_ratio}:1, stopped", True
    except _CorruptStream as exc:
        return bytes(out), f"{name}: {exc}", bool(out)
    return bytes(out), "", False


def decode_content(
    body: bytes,
    content_encoding: str,
    *,
    max_output: int = MAX_OUTPUT_BYTES,
    max_ratio: float = MAX_RATIO,
) -> DecodedBody:
    """Undo a Content-Encoding list (last applied first); never raises for bad input.

    Stops past `max_output` bytes, or once the output passes 1 MiB and is more than
    `max_ratio` times `body`. On failure, the output so far (or the body) comes back with
    `error` set. Several Content-Encoding headers should be joined with ", " first.
    """
    names = [n.strip().lower() for n in content_encoding.split(",")]
    names = [n for n in names if n and n not in NO_OP_ENCODINGS]
    if not body:  # a 204 or HEAD-style answer may still name an encoding
        return DecodedBody(body)
    data, undone = body, []
    for name in reversed(names):
        if name not in DECODERS:
            known = ", ".join(sorted(DECODERS.keys() | NO_OP_ENCODINGS))
            error = f"unknown content encoding {name!r} (known: {known})"
            return DecodedBody(data, tuple(reversed(undone)), error, False, len(body))
        out, error, partial = _run(name, data, len(body), max_output, max_ratio)
        if out or not error:
            data = out
            undone.append(name)
        if error:
            return DecodedBody(data, tuple(reversed(undone)), error, partial, len(body))
    return DecodedBody(data, tuple(reversed(undone)), "", False, len(body))


# --- charsets ---------------------------------------------------------------------------------

_invalid_counter: contextvars.ContextVar[list[int]] = contextvars.ContextVar("invalid_counter")
_REPLACE_EACH = "webhook_inspector.replace_each_byte"
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")  # what surrogateescape turns a bad byte into


def _replace_each_byte(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: one U+FFFD per invalid byte, counted for `decode_text`."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    count = exc.end - exc.start
    counter = _invalid_counter.get(None)
    if counter is not None:
        counter[0] += count
    return "\ufffd" * count, exc.end


codecs.register_error(_REPLACE_EACH, _replace_each_byte)


@dataclass(frozen=True, slots=True)
class DecodedText:
    """Body bytes as text, with the charset used and how many bytes were invalid in it."""

    text: str
    charset: str
    invalid_bytes: int = 0
    note: str = ""


def _text_codec(name: str) -> str:
    try:
        canonical = codecs.lookup(name.strip().strip("\"'")).name
        b" ".decode(canonical, "ignore")  # LookupError for bytes-to-bytes codecs (base64)
    except (LookupError, ValueError):  # ValueError: a NUL or a lone surrogate in the name
        return ""
    return canonical


def decode_text(data: bytes, charset: str | None = None) -> DecodedText:
    """Decode body bytes for display: a BOM wins, then `charset`, then UTF-8.

    Each invalid byte becomes U+FFFD, so damage stays visible, and is counted.
    """
    codec, skip = _bom(data)
    note = ""
    if charset and not codec:
        codec = _text_codec(charset)
        note = "" if codec else f"unknown charset {charset!r}, shown as utf-8"
    codec = codec or "utf-8"
    if codec == "utf-8":  # the common case, at C speed: UTF-8 never flags an ASCII byte
        text, invalid = _ESCAPED_BYTE.subn("\ufffd", data[skip:].decode(codec, "surrogateescape"))
        return DecodedText(text, codec, invalid, note)
    counter = [0]
    token = _invalid_counter.set(counter)
    try:
        text = data[skip:].decode(codec, _REPLACE_EACH)
    finally:
        _invalid_counter.reset(token)
    return DecodedText(text, codec, counter[0], note)
